import assert from 'node:assert/strict';
import { usePage, eventually, profiles, type StubHost } from './harness';
import type { ApiKeyView } from '../../src/shared/webviewProtocol';

const DAY = 86_400_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

const keys = {
  device: { id: 'key-1', name: 'VS Code on laptop', createdAt: iso(-10 * DAY), lastUsedAt: iso(-60_000), thisDevice: true, stale: false },
  ci: { id: 'key-2', name: 'CI pipeline', createdAt: iso(-200 * DAY), lastUsedAt: iso(-120 * DAY), thisDevice: false, stale: true },
  script: { id: 'key-3', name: 'Nightly script', createdAt: iso(-95 * DAY), lastUsedAt: null, thisDevice: false, stale: true },
  fresh: { id: 'key-4', name: 'CLI Access', createdAt: iso(-2 * DAY), lastUsedAt: iso(-DAY), expiresAt: iso(3 * DAY - 3_600_000), thisDevice: false, stale: false },
} satisfies Record<string, ApiKeyView>;

describe('Profile Manager page: API keys, rotation and the CLI', function () {
  this.timeout(30_000);
  let host: StubHost;
  usePage((opened) => {
    host = opened;
  });

  const section = () => host.page.getByRole('region', { name: 'API keys' });
  const keyItem = (name: string) => section().getByRole('listitem').filter({ has: host.page.getByText(name, { exact: true }) });
  const profileItem = (name: string) =>
    host.page.getByRole('list', { name: 'Profiles' }).getByRole('listitem').filter({ has: host.page.getByText(name, { exact: true }) });
  const button = (name: string) => host.page.getByRole('button', { name, exact: true });
  const focusedText = () => host.page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
  const status = () => host.page.getByRole('status').first();

  async function showKeys(list: ApiKeyView[] = [keys.device, keys.ci, keys.script, keys.fresh]): Promise<void> {
    await host.sendState([profiles.production, profiles.staging, profiles.cli]);
    assert.deepEqual(await host.waitFor('listKeys'), { type: 'listKeys', profileId: 'ext-production' });
    await host.answer('listKeys', { ok: true, value: { profileId: 'ext-production', keys: list } });
    await keyItem(list[0]?.name ?? '').waitFor();
  }

  it('shows the keys of the extension profile in use, and nothing for a CLI profile or a signed-out one', async () => {
    await host.sendState([{ ...profiles.production, active: false, activeSource: undefined }, { ...profiles.cli, active: true, activeSource: 'cli-profile' }]);
    await profileItem('ci').waitFor();
    assert.equal(await section().count(), 0, 'no section while a CLI profile is in use');
    assert.equal((await host.receivedOf('listKeys')).length, 0);

    await host.sendState([profiles.production, profiles.staging]);
    await section().waitFor();
    assert.deepEqual(await host.waitFor('listKeys'), { type: 'listKeys', profileId: 'ext-production' });
    assert.match(await section().innerText(), /Loading keys…/);
    assert.match(await section().innerText(), /The keys of alice on https:\/\/coderflow\.example\.com, listed with the key of production\./);

    // The same profile and key again: the list is not asked for twice.
    await host.sendState([profiles.production, profiles.staging]);
    // A new key (rotated, or signed in again) is another list.
    await host.sendState([{ ...profiles.production, maskedKey: 'pc_…9z9z' }, profiles.staging]);
    await host.waitFor('listKeys', 2);
    await host.sendState([{ ...profiles.production, status: 'signedOut', maskedKey: undefined }, profiles.staging]);
    await eventually(async () => assert.equal(await section().count(), 0));
    assert.equal((await host.receivedOf('listKeys')).length, 2);
  });

  it('lists each key with when it was made and last used, this device’s key, stale keys and expiry (screenshot component-keys-dark.png)', async () => {
    await showKeys();
    assert.equal(await section().getByRole('listitem').count(), 4);
    const device = await keyItem('VS Code on laptop').innerText();
    assert.match(device, /This device/);
    assert.match(device, /Created .+ · last used .+/);
    assert.doesNotMatch(device, /Stale/);
    assert.match(await keyItem('CI pipeline').innerText(), /Stale/);
    assert.match(await keyItem('Nightly script').innerText(), /Stale[\s\S]*never used/);
    const fresh = keyItem('CLI Access');
    assert.match(await fresh.innerText(), /Key expires in 3 days\./);
    assert.equal(await fresh.locator('.key-expiry.warning').count(), 1, 'an expiry within 7 days is a warning');
    assert.doesNotMatch(await fresh.innerText(), /Stale|This device/);
    assert.equal(await section().getByRole('button', { name: 'Revoke', exact: true }).count(), 4);
    assert.equal(await button('Revoke stale keys').isVisible(), true);
    assert.equal(await button('Rotate key').isVisible(), true);
    await host.screenshot('keys-dark');
  });

  it('offers Revoke stale keys only when a key other than this device’s is stale', async () => {
    await showKeys([keys.device, keys.fresh]);
    assert.equal(await button('Revoke stale keys').isVisible(), false);
    // A new key asks for the list again.
    await host.sendState([{ ...profiles.production, maskedKey: 'pc_…9z9z' }, profiles.staging, profiles.cli]);
    await host.answer('listKeys', { ok: true, value: { profileId: 'ext-production', keys: [{ ...keys.device, stale: true }, keys.fresh] } }, 2);
    await eventually(async () => assert.match(await keyItem('VS Code on laptop').innerText(), /Stale/));
    assert.equal(await button('Revoke stale keys').isVisible(), false);
  });

  it('Revoke asks the host for that key, shows it busy, and keeps focus in the list once the key is gone', async () => {
    await showKeys();
    await keyItem('CI pipeline').getByRole('button', { name: 'Revoke', exact: true }).click();
    assert.deepEqual(await host.waitFor('revokeKey'), { type: 'revokeKey', profileId: 'ext-production', keyId: 'key-2' });
    assert.equal(await keyItem('CI pipeline').getAttribute('aria-busy'), 'true');
    // One key operation at a time.
    await button('Rotate key').click({ force: true });
    assert.equal((await host.receivedOf('rotateKey')).length, 0);
    await keyItem('CI pipeline').getByRole('button', { name: 'Revoke', exact: true }).focus();

    await host.answer('revokeKey', { ok: true, value: { message: 'Revoked "CI pipeline".' } });
    await host.answer('listKeys', { ok: true, value: { profileId: 'ext-production', keys: [keys.device, keys.script, keys.fresh] } }, 2);
    await eventually(async () => assert.equal(await keyItem('CI pipeline').count(), 0));
    assert.match(await section().innerText(), /Revoked "CI pipeline"\./);
    await eventually(async () => assert.equal(await status().innerText(), 'Revoked "CI pipeline".'));
    assert.equal(await focusedText(), 'Revoke');
    assert.equal(await host.page.evaluate(() => document.activeElement?.closest('li')?.dataset.id), 'key-3', 'focus moved to the next key');
  });

  it('says nothing when the person declined the confirmation, and shows a revocation that failed', async () => {
    await showKeys();
    await keyItem('Nightly script').getByRole('button', { name: 'Revoke', exact: true }).click();
    await host.waitFor('revokeKey');
    await host.answer('revokeKey', { ok: false });
    await eventually(async () => assert.equal(await keyItem('Nightly script').getAttribute('aria-busy'), null));
    assert.doesNotMatch(await section().innerText(), /Revoked|not revoked/);

    await button('Revoke stale keys').click();
    assert.deepEqual(await host.waitFor('revokeStaleKeys'), { type: 'revokeStaleKeys', profileId: 'ext-production' });
    await host.answer('revokeStaleKeys', { ok: false, error: { message: 'This key was not revoked and is still live: "CI pipeline" (The server had a problem (503 Service Unavailable)).' } });
    await eventually(async () => assert.match(await section().innerText(), /This key was not revoked and is still live: "CI pipeline"/));
  });

  it('Rotate key asks the host, and shows the message that names the key still live when it failed', async () => {
    await showKeys();
    await button('Rotate key').click();
    assert.deepEqual(await host.waitFor('rotateKey'), { type: 'rotateKey', id: 'ext-production' });
    const failure =
      "Rotating the key of 'production' failed while testing the new key with /auth/me: The server had a problem (503 Service Unavailable). Try again later. The profile still holds its key \"VS Code on laptop\", which is still live.";
    await host.answer('rotateKey', { ok: false, error: { message: failure } });
    await eventually(async () => assert.match(await section().innerText(), /which is still live\./));
    assert.ok((await section().innerText()).includes(failure));
    assert.equal(await focusedText(), 'Rotate key', 'focus stays on the button');
  });

  it('shows on the profile when its key expires, as a warning from 7 days before', async () => {
    await host.sendState([{ ...profiles.production, keyExpiresAt: iso(30 * DAY - 3_600_000) }, { ...profiles.staging, keyExpiresAt: iso(5 * DAY - 3_600_000) }]);
    await profileItem('staging').waitFor();
    assert.match(await profileItem('production').innerText(), /Key expires in 30 days\./);
    assert.equal(await profileItem('production').locator('.key-expiry.warning').count(), 0);
    assert.match(await profileItem('staging').innerText(), /Key expires in 5 days\. Rotate it under API keys\./);
    assert.equal(await profileItem('staging').locator('.key-expiry.warning').count(), 1);
    await host.sendState([{ ...profiles.production, keyExpiresAt: iso(-2 * DAY) }]);
    await eventually(async () => assert.match(await profileItem('production').innerText(), /Key expired on \d{4}-\d{2}-\d{2}\./));
  });

  it('Save to CLI profile and Import from CLI ask the host and show what it did next to the profile', async () => {
    await host.sendState([profiles.production, profiles.cli]);
    await profileItem('production').getByRole('button', { name: 'Save to CLI profile', exact: true }).click();
    assert.deepEqual(await host.waitFor('saveToCli'), { type: 'saveToCli', id: 'ext-production' });
    assert.equal(await profileItem('production').getAttribute('aria-busy'), 'true');
    await host.answer('saveToCli', { ok: true, value: { message: "Saved to CLI profile 'production' in /home/alice/.coderflow/config.json. Use it with coder --profile=production or coder profile switch production." } });
    await eventually(async () => assert.match(await profileItem('production').innerText(), /Saved to CLI profile 'production' in \/home\/alice\/\.coderflow\/config\.json\./));
    assert.equal(await profileItem('production').getAttribute('aria-busy'), null);

    await profileItem('ci').getByRole('button', { name: 'Import from CLI', exact: true }).click();
    assert.deepEqual(await host.waitFor('importFromCli'), { type: 'importFromCli', id: 'cli-ci' });
    await host.answer('importFromCli', { ok: false, error: {
        message: 'The CoderFlow CLI config /home/alice/.coderflow/config.json is not valid JSON at line 3, column 5: expected a property name.',
        fix: 'Fix the file in an editor, or run coder login again.',
      } });
    await eventually(async () => assert.match(await profileItem('ci').innerText(), /not valid JSON at line 3, column 5/));
    await eventually(async () => assert.match(await status().innerText(), /line 3, column 5/));
  });

  it('offers Import from CLI only on CLI profiles that have a key', async () => {
    await host.sendState([profiles.cli, { ...profiles.cli, id: 'cli-empty', name: 'empty', maskedKey: undefined, status: 'signedOut' }]);
    await profileItem('empty').waitFor();
    assert.equal(await profileItem('ci').getByRole('button', { name: 'Import from CLI', exact: true }).count(), 1);
    assert.equal(await profileItem('empty').getByRole('button', { name: 'Import from CLI', exact: true }).count(), 0);
  });

  it('shows why the list could not be read, and drops any secret a host put in a key view', async () => {
    await host.sendState([profiles.production]);
    await host.waitFor('listKeys');
    await host.answer('listKeys', { ok: true, value: { profileId: 'ext-production', keys: [], error: { message: 'The key is valid, but your user does not have the permission this needs.', fix: 'Ask an administrator to review your teams and access bindings.' } } });
    await eventually(async () => assert.match(await section().innerText(), /does not have the permission this needs\. Ask an administrator/));

    const secret = `pc_${'ab12'.repeat(16)}`;
    // A new key asks for the list again; the host's answer carries a secret.
    await host.sendState([{ ...profiles.production, maskedKey: 'pc_…9z9z' }]);
    await host.waitFor('listKeys', 2);
    await host.answerRaw('listKeys', { ok: true, value: { profileId: 'ext-production', keys: [{ ...keys.device, key: secret }] } }, 2);
    await keyItem('VS Code on laptop').waitFor();
    assert.ok(!(await host.page.content()).includes(secret), 'a secret never reaches the DOM');
    assert.ok(!(await host.savedStates()).some((state) => state.includes(secret)), 'nor the saved state');

    // A list for another profile is not shown as this one's.
    await host.sendState([{ ...profiles.production, maskedKey: 'pc_…8y8y' }]);
    await host.waitFor('listKeys', 3);
    await host.answer('listKeys', { ok: true, value: { profileId: 'ext-staging', keys: [keys.ci] } }, 3);
    await new Promise((done) => setTimeout(done, 200));
    assert.equal(await keyItem('CI pipeline').count(), 0);
  });
});
