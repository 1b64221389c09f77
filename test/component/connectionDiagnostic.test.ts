import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoderFlowClient } from '../../src/core/http/client';
import { runConnectionDiagnostic } from '../../src/services/connectionCheck/connectionDiagnostic';
import { chooseProxy } from '../../src/services/connectionCheck/proxyChoice';
import { diagnosticView } from '../../src/services/connectionCheck/diagnosticView';
import { Redactor } from '../../src/core/redact';
import type { DiagnosticView } from '../../src/shared/webviewProtocol';
import { startServer, type ReferenceServer } from '../server';
import { datedCertificate } from '../server/tls';
import { eventually, profiles, usePage, type StubHost, type Theme } from './harness';

// Test connection's steps on the Profile Manager page, from real diagnostics against the reference
// server (an expired certificate, and a trusted one), in the three themes.

const DAY = 86_400_000;

describe('Profile Manager page: Test connection’s steps', function () {
  this.timeout(60_000);
  const browser = usePage();
  let trusted: ReferenceServer;
  let expired: ReferenceServer;
  let dir: string;
  let failing: DiagnosticView;
  let passing: DiagnosticView;

  before(async () => {
    const certificate = await datedCertificate({ names: ['IP:127.0.0.2'], notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY), commonName: 'CoderFlow expired' });
    [trusted, expired] = await Promise.all([startServer({ host: '127.0.0.2', tls: true }), startServer({ host: '127.0.0.2', tls: certificate, sso: false })]);
    dir = await mkdtemp(join(tmpdir(), 'coderflow-diagnostic-page-'));
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, `${trusted.caPem ?? ''}${expired.caPem ?? ''}`);
    const { key } = await trusted.issueKey('alice');
    const run = async (server: ReferenceServer, apiKey?: string) => {
      const tls = { caFile };
      const diagnostic = await runConnectionDiagnostic({
        serverUrl: server.url,
        client: new CoderFlowClient({ serverUrl: server.url, tls, ...(apiKey ? { apiKey } : {}) }),
        tls,
        proxy: chooseProxy(new URL(server.url), { env: {} }),
      });
      const redactor = new Redactor();
      redactor.add(apiKey);
      return diagnosticView(diagnostic, redactor, `report-${server.origin}`);
    };
    [failing, passing] = await Promise.all([run(expired, key), run(trusted, key)]);
    assert.equal(failing.ok, false, 'the expired certificate fails');
    assert.equal(passing.ok, true, 'the trusted one passes');
  });

  after(async () => {
    await Promise.all([trusted?.stop(), expired?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const announced = (host: StubHost) => host.page.getByRole('status').first().innerText();
  const item = (host: StubHost, name: string) => host.page.getByRole('listitem').filter({ has: host.page.getByText(name, { exact: true }) });

  async function profileTested(host: StubHost, diagnostic: DiagnosticView): Promise<void> {
    await host.sendState([{ ...profiles.production, serverUrl: diagnostic.serverUrl }, profiles.staging], { activeId: 'ext-production' });
    await item(host, 'production').getByRole('button', { name: 'Test connection', exact: true }).click();
    assert.deepEqual(await host.waitFor('testConnection'), { type: 'testConnection', id: 'ext-production' });
    const tls = diagnostic.steps.find((step) => step.id === 'tls');
    await host.answer('testConnection', { ok: true, value: { id: 'ext-production', ok: false, status: 'unreachable', message: tls?.detail ?? 'failed', ...(tls?.fix ? { fix: tls.fix } : {}), diagnostic: diagnostic } });
    await host.page.getByRole('region', { name: 'Connection test failed' }).waitFor();
  }

  it('shows every step under the profile, in order, with its status in words, its time, the certificate and what to do', async () => {
    const host = await browser.open();
    await profileTested(host, failing);
    const region = host.page.getByRole('region', { name: 'Connection test failed' });
    const steps = region.getByRole('listitem');
    assert.equal(await steps.count(), failing.steps.length);
    const heads = await region.locator('.step-head').allInnerTexts();
    assert.deepEqual(
      heads.map((text) => text.replace(/\s+/g, ' ').replace(/ \d+ ms$/, '').trim()),
      failing.steps.map((step) => `${step.name} ${{ ok: 'OK', warn: 'Warning', fail: 'Failed', skipped: 'Skipped' }[step.status]}`),
    );
    const tls = steps.filter({ hasText: 'TLS certificate' });
    assert.match(await tls.innerText(), /has expired/);
    assert.match(await tls.innerText(), /Valid until\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(expired\)/);
    assert.match(await tls.innerText(), /Subject\s+CN=CoderFlow expired/);
    assert.match(await tls.innerText(), /What to do: Ask the server's administrator to renew the certificate/);
    assert.equal(await tls.locator('dt').count(), await tls.locator('dd').count(), 'every fact has a label and a value');
    // The result is read out, and focus stays where the person was.
    await eventually(async () => assert.match(await announced(host), /^production: Connection test failed at TLS certificate: The certificate of 127\.0\.0\.2:\d+ has expired\./));
    assert.equal(await host.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action), 'testConnection');
    assert.deepEqual(await host.cspViolations(), [], 'the steps’ script and styles load under the Content Security Policy');
  });

  it('Copy report from the keyboard asks the host for that report only, and says when it is copied', async () => {
    const host = await browser.open();
    await profileTested(host, failing);
    const copy = host.page.getByRole('region', { name: 'Connection test failed' }).getByRole('button', { name: 'Copy report', exact: true });
    await copy.focus();
    await host.page.keyboard.press('Enter');
    assert.deepEqual(await host.waitFor('copyReport'), { type: 'copyReport', reportId: failing.reportId });
    await host.answer('copyReport', { ok: true, value: { message: 'Report copied to the clipboard. It does not contain your key.' } });
    await eventually(async () => assert.equal(await announced(host), 'Report copied to the clipboard. It does not contain your key.'));
    assert.match(await host.page.getByRole('region', { name: 'Connection test failed' }).innerText(), /Report copied to the clipboard/);
  });

  it('tests the Add profile form’s server URL before signing in, and drops an answer about an address no longer in the field', async () => {
    const host = await browser.open();
    await host.sendState([]);
    const serverUrl = host.page.getByRole('textbox', { name: 'Server URL', exact: true });
    await serverUrl.fill('not a url');
    const test = host.page.getByRole('region', { name: 'Add profile' }).getByRole('button', { name: 'Test connection to the server URL', exact: true });
    assert.equal(await test.innerText(), 'Test connection');
    // From the keyboard: Tab from the field to the button, Enter.
    await serverUrl.press('Tab');
    assert.equal(await test.evaluate((element) => element === document.activeElement), true, 'Test connection follows Server URL in the tab order');
    await host.page.keyboard.press('Enter');
    await eventually(async () => assert.match(await announced(host), /starts with https:\/\//));
    assert.equal((await host.receivedOf('testServer')).length, 0, 'nothing is sent for a malformed address');

    await serverUrl.fill(trusted.url);
    await test.focus();
    await host.page.keyboard.press('Enter');
    assert.deepEqual(await host.waitFor('testServer'), { type: 'testServer', serverUrl: trusted.url });
    // An answer to a request this page did not make (the id is not one of its own).
    await host.sendRaw({ type: 'response', id: 1000, ok: true, value: { serverUrl: 'https://other.example.com', diagnostic: failing } });
    await host.answer('testServer', { ok: true, value: { serverUrl: trusted.url, diagnostic: passing } });
    const region = host.page.getByRole('region', { name: 'Connection test passed' });
    await region.waitFor();
    assert.equal(await host.page.getByRole('region', { name: 'Connection test failed' }).count(), 0, 'the answer about another address was dropped');
    assert.match(await region.innerText(), /Trusted by\s+profoundCoder\.tls\.caFile/);
    assert.match(await region.innerText(), /API key \(\/auth\/me\)\s+OK/);
    await eventually(async () => assert.equal(await announced(host), 'Connection test passed: every step is OK.'));
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const satisfies readonly Theme[]) {
    it(`draws the steps with the ${theme} theme’s colours (screenshot component-diagnostic-${theme}.png)`, async () => {
      const host = await browser.open({ theme, width: 360 });
      await profileTested(host, failing);
      const colour = (selector: string, property: string) => host.page.locator(selector).first().evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
      const themeColour = (variable: string) =>
        host.page.evaluate((name) => {
          const probe = document.createElement('span');
          probe.style.color = `var(${name})`;
          document.body.append(probe);
          const value = getComputedStyle(probe).color;
          probe.remove();
          return value;
        }, variable);
      assert.equal(await colour('.diagnostic-step.fail .step-status', 'color'), await themeColour('--vscode-errorForeground'));
      assert.equal(await colour('.step-time', 'color'), await themeColour('--vscode-descriptionForeground'));
      const overflow = await host.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `scrolls ${overflow}px sideways`);
      await host.page.getByRole('region', { name: 'Connection test failed' }).scrollIntoViewIfNeeded();
      await host.screenshot(`diagnostic-${theme}`);
      assert.deepEqual(await host.cspViolations(), []);
    });
  }
});
