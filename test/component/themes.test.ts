import assert from 'node:assert/strict';
import { applyTheme, usePage, eventually, profiles, type StubHost, type Theme } from './harness';

const SERVER = 'https://coderflow.example.com';

/** `#rrggbb` → the `rgb(r, g, b)` that getComputedStyle reports. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

const expected: Record<Theme, { foreground: string; button: string; focus: string; error: string }> = {
  light: { foreground: '#3b3b3b', button: '#005fb8', focus: '#005fb8', error: '#be1100' },
  dark: { foreground: '#cccccc', button: '#0078d4', focus: '#0078d4', error: '#be1100' },
  'high-contrast': { foreground: '#ffffff', button: '#000000', focus: '#f38518', error: '#be1100' },
};

describe('Profile Manager page: themes, contrast and Content Security Policy', function () {
  this.timeout(30_000);
  let host: StubHost;
  const browser = usePage();

  /** A page showing most of what it can: every kind of profile, a probed server, an inline error. */
  async function busyPage(theme: Theme): Promise<StubHost> {
    const page = await browser.open({ theme });
    await page.sendState([profiles.production, profiles.staging, profiles.cli, profiles.signedOut], {
      activeId: 'ext-production',
      credentialSource: { source: 'profile', detail: 'profile “production” (Profile Manager)', serverUrl: SERVER },
    });
    await page.page.locator('li[data-id="ext-staging"] button[data-action="testConnection"]').click();
    await page.answer('testConnection', { ok: true, value: { id: 'ext-staging', ok: false, status: 'forbidden', message: 'The key works, but alice lacks permission.', fix: 'Ask an administrator.' } });
    await page.page.getByRole('button', { name: 'Add profile', exact: true }).click();
    const textbox = (name: string) => page.page.getByRole('textbox', { name, exact: true });
    await textbox('Profile name').fill('work');
    await textbox('Server URL').fill(SERVER);
    await textbox('Server URL').blur();
    await page.waitFor('probeServer');
    await page.answer('probeServer', { ok: true, value: { serverUrl: SERVER, reachable: true, ssoEnabled: true, passwordLoginEnabled: true, providerName: 'Okta' } });
    await textbox('Username').fill('alice');
    await textbox('Password').fill('wrong');
    await page.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitFor('signInPassword');
    await page.answer('signInPassword', { ok: false, error: { message: 'Wrong username or password.', fix: 'Check both, or sign in with SSO.', field: 'password' } });
    await eventually(async () => assert.equal(await textbox('Password').getAttribute('aria-invalid'), 'true'));
    return page;
  }

  it('loads its script, styles and codicon font under the extension’s Content Security Policy with no violation', async () => {
    host = await busyPage('dark');
    await host.page.evaluate(() => document.fonts.ready);
    assert.equal(await host.page.evaluate(() => document.fonts.check('16px codicon')), true, 'the codicon font loaded');
    const csp = await host.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /^default-src 'none'; script-src 'nonce-[^']+'; style-src http:\/\/127\.0\.0\.1:\d+; font-src http:\/\/127\.0\.0\.1:\d+; img-src http:\/\/127\.0\.0\.1:\d+ data:$/);
    assert.equal(await host.page.locator('[style]:not(html)').count(), 0, 'no inline style attributes');
    const inlineHandlers = await host.page.evaluate(() =>
      Array.from(document.querySelectorAll('*')).filter((element) => Array.from(element.attributes).some((attribute) => attribute.name.startsWith('on'))).length,
    );
    assert.equal(inlineHandlers, 0, 'no inline event handlers');
    assert.deepEqual(await host.cspViolations(), []);
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`draws with the ${theme} theme’s colours and focus outline (screenshots component-${theme}*.png)`, async () => {
      host = await busyPage(theme);
      const colours = expected[theme];
      const style = (selector: string, property: string) =>
        host.page.locator(selector).first().evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
      assert.equal(await style('body', 'color'), rgb(colours.foreground));
      assert.equal(await style('.actions .button:not(.secondary)', 'background-color'), rgb(colours.button));
      assert.equal(await style('#password', 'border-top-color'), rgb(colours.error));

      // Keyboard focus shows the theme's focus colour.
      await host.page.getByRole('tab', { name: 'SSO', exact: true }).focus();
      await host.page.keyboard.press('ArrowLeft');
      assert.equal(await style('[role="tab"][aria-selected="true"]', 'outline-color'), rgb(colours.focus));
      assert.notEqual(await style('[role="tab"][aria-selected="true"]', 'outline-style'), 'none');
      await host.screenshot(theme);

      await host.page.getByRole('tab', { name: 'SSO', exact: true }).click();
      await host.page.getByRole('button', { name: 'Sign in with SSO', exact: true }).click();
      await host.waitFor('startSso');
      await host.send({ type: 'ssoCode', userCode: 'WDJB-MJHT', verificationUri: `${SERVER}/device`, expiresInSeconds: 598 });
      await host.page.getByRole('textbox', { name: 'Verification code', exact: true }).waitFor();
      await host.page.getByRole('region', { name: 'Add profile' }).scrollIntoViewIfNeeded();
      await host.screenshot(`${theme}-sso`);
      assert.deepEqual(await host.cspViolations(), []);
    });
  }

  it('stays legible with the operating system’s forced colours (screenshot component-forced-colors.png)', async () => {
    host = await busyPage('dark');
    await host.page.emulateMedia({ forcedColors: 'active' });
    await host.page.getByRole('textbox', { name: 'Username', exact: true }).focus();
    await host.page.keyboard.press('Tab');
    const outline = await host.page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    assert.notEqual(outline.style, 'none');
    assert.ok(outline.width >= 2, `focus outline ${outline.width}px`);
    assert.notEqual(
      await host.page.locator('.profile.active').evaluate((element) => getComputedStyle(element).borderTopStyle),
      'none',
      'the active profile keeps a border when backgrounds are dropped',
    );
    await host.screenshot('forced-colors');
  });

  it('lays out without horizontal scrolling in a narrow sidebar', async () => {
    host = await browser.open({ width: 220 });
    await host.sendState([profiles.production, { ...profiles.cli, name: 'a-very-long-profile-name-from-the-cli-config' }]);
    await host.page.getByRole('listitem').nth(1).waitFor();
    const overflow = await host.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `scrolls ${overflow}px sideways`);
    await applyTheme(host.page, 'light');
    await host.screenshot('narrow');
  });
});
