import assert from 'node:assert/strict';
import { profiles, usePage } from './harness';
import type { DiagnosticView } from '../../src/shared/webviewProtocol';

// The page's translations: the host embeds vscode.l10n.bundle in the document, and the page draws
// its first text already translated, in the parts that are scripts of their own (the Test
// connection view, the API key list, the SSO code panel) too.

describe('Profile Manager page: translations from the host', function () {
  this.timeout(30_000);
  const page = usePage();

  const diagnostic: DiagnosticView = {
    reportId: 'report-1',
    serverUrl: 'https://coderflow.example.com',
    startedAt: '2026-11-30T10:00:00.000Z',
    ok: true,
    steps: [{ id: 'health', name: 'Health', status: 'ok', detail: 'Healthy.', durationMs: 12, facts: [] }],
  };

  it('draws the first text, the list and the Test connection view in the bundle’s language', async () => {
    const host = await page.open({
      l10nBundle: {
        'Loading profiles…': 'Profile werden geladen…',
        Profiles: 'Profile',
        'No profiles yet': 'Noch keine Profile',
        'Test connection': 'Verbindung testen',
        'Test connection to the server URL': 'Verbindung zur Server-URL testen',
        'Connection test passed': 'Verbindungstest bestanden',
        OK: 'In Ordnung',
      },
    });
    await host.page.getByText('Profile werden geladen…').waitFor();
    await host.sendState([]);
    await host.page.getByText('Noch keine Profile').waitFor();
    await host.page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
    // A string the bundle lacks stays English.
    assert.equal(await host.page.locator('#add-heading > span').textContent(), 'Add profile');

    const serverUrl = host.page.getByRole('textbox', { name: 'Server URL', exact: true });
    await serverUrl.fill(diagnostic.serverUrl);
    // Leaving the field checks the server, which shows a line above the button: leave it first.
    await serverUrl.press('Tab');
    await host.waitFor('probeServer');
    const test = host.page.getByRole('button', { name: 'Verbindung zur Server-URL testen', exact: true });
    assert.equal(await test.innerText(), 'Verbindung testen');
    await test.click();
    await host.waitFor('testServer');
    await host.answer('testServer', { ok: true, value: { serverUrl: diagnostic.serverUrl, diagnostic: diagnostic } });
    await host.page.getByRole('heading', { name: 'Verbindungstest bestanden' }).waitFor();
    assert.equal(await host.page.locator('.step-status').innerText(), 'In Ordnung');
  });

  it('draws the API key list and the SSO code panel, scripts of their own loaded later, in the bundle’s language', async () => {
    const host = await page.open({
      l10nBundle: {
        'API keys': 'API-Schlüssel',
        'Rotate key': 'Schlüssel rotieren',
        'Confirm the code in your browser': 'Bestätigen Sie den Code im Browser',
        'Copy code': 'Code kopieren',
      },
    });
    await host.sendState([profiles.production]);
    await host.page.getByRole('heading', { name: 'API-Schlüssel', exact: true }).waitFor();
    await host.page.getByRole('button', { name: 'Schlüssel rotieren', exact: true }).waitFor();
    await host.send({ type: 'ssoCode', userCode: 'WDJB-MJHT', verificationUri: 'https://coderflow.example.com/device', expiresInSeconds: 600 });
    await host.page.getByRole('heading', { name: 'Bestätigen Sie den Code im Browser', exact: true }).waitFor();
    await host.page.getByRole('button', { name: 'Code kopieren', exact: true }).waitFor();
    // A string the bundle lacks stays English there too.
    await host.page.getByRole('button', { name: 'Open again', exact: true }).waitFor();
  });

  it('keeps a translation that holds markup as text: it cannot end the data block or run a script', async () => {
    const hostile = '</script><script>window.translated = true</script><img src=x>';
    const host = await page.open({ l10nBundle: { 'No profiles yet': hostile } });
    await host.sendState([]);
    await host.page.getByText(hostile, { exact: true }).waitFor();
    assert.equal(await host.page.evaluate(() => (window as unknown as { translated?: boolean }).translated), undefined);
    assert.equal(await host.page.locator('img').count(), 0);
    assert.deepEqual(await host.cspViolations(), []);
  });

  it('shows English when the bundle is not a record of strings', async () => {
    const host = await page.open({ l10nBundle: { 'No profiles yet': 42, Profiles: 'Profile' } });
    const warnings: string[] = [];
    host.page.on('console', (message) => warnings.push(message.text()));
    await host.page.reload();
    await host.waitFor('ready');
    await host.sendState([]);
    await host.page.getByText('No profiles yet', { exact: true }).waitFor();
    await host.page.getByRole('heading', { name: 'Profiles', exact: true }).waitFor();
    assert.ok(warnings.some((text) => text.includes('the translations are not a record of strings')), warnings.join('\n'));
  });
});
