import assert from 'node:assert/strict';
import { usePage, eventually, profiles, type StubHost } from './harness';
import { parseToPage } from '../../src/shared/webviewProtocol';

describe('Profile Manager page: the profile list', function () {
  this.timeout(30_000);
  let host: StubHost;
  usePage((opened) => {
    host = opened;
  });

  const item = (name: string) => host.page.getByRole('listitem').filter({ has: host.page.getByText(name, { exact: true }) });

  it('says it is loading until the host answers, then invites the first sign-in when there are no profiles', async () => {
    await host.page.getByText('Loading profiles…').waitFor();
    await host.sendState([]);
    await host.page.getByText('No profiles yet').waitFor();
    assert.equal(await host.page.getByText('Loading profiles…').isVisible(), false);
    await host.page.getByRole('button', { name: 'Add profile', exact: true }).click();
    await eventually(async () =>
      assert.equal(await host.page.evaluate(() => document.activeElement?.id), 'profileName'),
    );
  });

  it('lists extension and CLI profiles, badges the CLI ones, and marks the active one with aria-current and its source', async () => {
    await host.sendState([profiles.production, profiles.staging, profiles.cli]);
    await item('staging').waitFor();
    assert.equal(await host.page.getByRole('listitem').count(), 3);
    assert.equal(await item('production').getAttribute('aria-current'), 'true');
    assert.equal(await item('staging').getAttribute('aria-current'), null);
    assert.match(await item('production').innerText(), /Active · from Profile Manager/);
    assert.match(await item('production').innerText(), /Signed in as alice · key pc_…a1b2 · via password/);
    assert.equal(await item('ci').getByText('CLI', { exact: true }).isVisible(), true);
    assert.equal(await item('production').getByText('CLI', { exact: true }).count(), 0);

    // The CLI's active profile carries its own source.
    await host.sendState([{ ...profiles.production, active: false, activeSource: undefined }, { ...profiles.cli, active: true, activeSource: 'cli-profile' }]);
    await eventually(async () => assert.equal(await item('ci').getAttribute('aria-current'), 'true'));
    assert.match(await item('ci').innerText(), /Active · from CoderFlow CLI profile/);
    assert.equal(await item('production').getAttribute('aria-current'), null);
  });

  it('offers on each profile what makes sense for it', async () => {
    await host.sendState([profiles.production, profiles.staging, profiles.cli, profiles.signedOut]);
    await item('staging').waitFor();
    const buttons = async (name: string) => (await item(name).getByRole('button').allInnerTexts()).map((text) => text.trim());
    assert.deepEqual(await buttons('production'), ['Test connection', 'Sign out', 'Remove', 'Save to CLI profile']);
    assert.deepEqual(await buttons('staging'), ['Use', 'Test connection', 'Sign out', 'Remove', 'Save to CLI profile']);
    assert.deepEqual(await buttons('ci'), ['Use', 'Test connection', 'Import from CLI']);
    assert.deepEqual(await buttons('old-laptop'), ['Sign in again', 'Remove']);
    assert.match(await item('ci').innerText(), /Managed by the CoderFlow CLI/);
    assert.match(await item('old-laptop').innerText(), /Signed out\./);
  });

  it('Use posts useProfile, shows the profile busy, and announces the switch once the host confirms', async () => {
    await host.sendState([profiles.production, profiles.staging]);
    const use = item('staging').getByRole('button', { name: 'Use', exact: true });
    await use.click();
    assert.deepEqual(await host.waitFor('useProfile'), { type: 'useProfile', id: 'ext-staging' });
    assert.equal(await item('staging').getAttribute('aria-busy'), 'true');
    for (const name of ['Use', 'Test connection', 'Sign out', 'Remove']) {
      assert.equal(await item('staging').getByRole('button', { name, exact: true }).isDisabled(), true, `${name} is disabled while busy`);
    }
    // A busy profile takes no second operation.
    await item('staging').getByRole('button', { name: 'Remove', exact: true }).click({ force: true });
    assert.equal((await host.receivedOf('removeProfile')).length, 0);
    assert.equal(await item('production').getByRole('button', { name: 'Sign out', exact: true }).isDisabled(), false);

    await host.answer('useProfile', { ok: true, value: {} });
    await host.sendState([{ ...profiles.production, active: false }, { ...profiles.staging, active: true, activeSource: 'profile' }]);
    await eventually(async () => assert.equal(await item('staging').getAttribute('aria-current'), 'true'));
    assert.equal(await item('staging').getAttribute('aria-busy'), null);
    await eventually(async () => assert.equal(await host.page.getByRole('status').first().innerText(), 'Now using staging.'));
  });

  it('shows the result of Test connection, with its fix, next to the profile', async () => {
    await host.sendState([profiles.production]);
    await item('production').getByRole('button', { name: 'Test connection', exact: true }).click();
    assert.deepEqual(await host.waitFor('testConnection'), { type: 'testConnection', id: 'ext-production' });
    await host.answer('testConnection', { ok: true, value: { id: 'ext-production', ok: false, status: 'invalidKey', message: 'Invalid API key.', fix: 'Re-run the sign-in or paste a new key.' } });
    await eventually(async () => assert.match(await item('production').innerText(), /Invalid API key\. Re-run the sign-in or paste a new key\./));
    assert.equal(await item('production').getAttribute('aria-busy'), null);
  });

  it('shows an operation’s error next to the profile it concerns, and nothing when the person declined', async () => {
    await host.sendState([profiles.production, profiles.staging]);
    await item('staging').getByRole('button', { name: 'Sign out', exact: true }).click();
    await host.waitFor('signOut');
    await host.answer('signOut', { ok: false, error: { message: 'Could not revoke the key on the server.', fix: 'Check your connection, then try again.' } });
    await eventually(async () => assert.match(await item('staging').innerText(), /Could not revoke the key on the server\. Check your connection, then try again\./));
    assert.doesNotMatch(await item('production').innerText(), /Could not revoke/);

    await item('production').getByRole('button', { name: 'Remove', exact: true }).click();
    await host.waitFor('removeProfile');
    await host.answer('removeProfile', { ok: false });
    await eventually(async () => assert.equal(await item('production').getAttribute('aria-busy'), null));
    assert.equal(await host.page.locator('.profile-status.error').count(), 1);
  });

  it('keeps focus on the pressed button while the list repaints, and moves it to the next profile after a removal', async () => {
    await host.sendState([profiles.production, profiles.staging, profiles.cli]);
    const test = item('staging').getByRole('button', { name: 'Test connection', exact: true });
    await test.focus();
    await host.page.keyboard.press('Enter');
    await host.waitFor('testConnection');
    await host.answer('testConnection', { ok: true, value: { id: 'ext-staging', ok: true, status: 'verified', message: 'Connected as alice.' } });
    await eventually(async () => assert.match(await item('staging').innerText(), /Connected as alice\./));
    assert.equal(await host.page.evaluate(() => document.activeElement?.textContent), 'Test connection');
    assert.equal(await host.page.evaluate(() => document.activeElement?.closest('li')?.dataset.id), 'ext-staging');

    await host.page.keyboard.press('Tab'); // Sign out
    await host.page.keyboard.press('Tab'); // Remove
    await host.page.keyboard.press('Enter');
    await host.waitFor('removeProfile');
    await host.answer('removeProfile', { ok: true, value: {} });
    await host.sendState([profiles.production, profiles.cli]);
    await eventually(async () => assert.equal(await host.page.getByRole('listitem').count(), 2));
    assert.equal(await host.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id), 'cli-ci');
    await eventually(async () => assert.equal(await host.page.getByRole('status').first().innerText(), 'Removed staging.'));
  });

  it('Sign in again fills the Add profile form with the profile’s name and server and checks the server', async () => {
    await host.sendState([profiles.signedOut]);
    await item('old-laptop').getByRole('button', { name: 'Sign in again', exact: true }).click();
    assert.equal(await host.page.getByRole('textbox', { name: 'Profile name', exact: true }).inputValue(), 'old-laptop');
    assert.equal(await host.page.getByRole('textbox', { name: 'Server URL', exact: true }).inputValue(), 'https://old.example.com');
    assert.deepEqual(await host.waitFor('probeServer'), { type: 'probeServer', serverUrl: 'https://old.example.com' });
  });

  it('shows where the credential in use comes from, and warns in an untrusted workspace', async () => {
    await host.sendState([profiles.production], {
      activeId: 'ext-production',
      credentialSource: { source: 'cli-env', detail: 'CODER_API_KEY from the environment', serverUrl: 'https://coderflow.example.com' },
      untrustedWorkspace: true,
    });
    await host.page.getByText('In use: CODER_API_KEY from the environment (https://coderflow.example.com)').waitFor();
    await host.page.getByText(/This workspace is not trusted/).waitFor();
    await host.sendState([profiles.production]);
    await eventually(async () => assert.equal(await host.page.getByText(/This workspace is not trusted/).isVisible(), false));
    assert.equal(await host.page.getByText(/^In use:/).isVisible(), false);
  });

  it('ignores messages from the host that do not parse, and keeps working', async () => {
    await host.sendState([profiles.production]);
    await item('production').waitFor();
    for (const junk of [
      null,
      'state',
      42,
      [],
      { type: 'state' },
      { type: 'state', profiles: [{ id: 'x' }] },
      { type: 'state', profiles: 'all of them' },
      { type: 'unknownThing', profiles: [] },
      { type: 'testResult', id: 'ext-production', ok: 'yes', status: 'verified', message: 'fine' },
      { type: 'operationResult', op: 'formatDisk', ok: true },
      { profiles: [] },
      { type: 'ssoCode', userCode: 'EVIL-CODE', verificationUri: 'https://x.example.com', expiresInSeconds: -5 },
      { type: 'probeResult', serverUrl: '', reachable: 'yes', ssoEnabled: true, passwordLoginEnabled: true },
      { type: 'showAddProfile', method: 'magic' },
    ]) {
      await host.sendRaw(junk);
    }
    await host.sendState([profiles.production, profiles.staging]);
    await eventually(async () => assert.equal(await host.page.getByRole('listitem').count(), 2));
    assert.doesNotMatch(await item('production').innerText(), /fine/);
    assert.equal(await host.page.getByRole('textbox', { name: 'Verification code' }).count(), 0);
    assert.equal(await host.page.getByRole('tab', { name: 'SSO' }).count(), 0);
  });

  it('refuses a state whose profile carries a whole key instead of the masked one', async () => {
    const wholeKey = 'pc_live_9f8e7d6c5b4a39281706';
    const leaking = { ...profiles.staging, maskedKey: wholeKey };
    assert.equal(parseToPage({ type: 'state', profiles: [leaking] }), undefined, 'the protocol rejects it');
    await host.sendState([profiles.production]);
    await item('production').waitFor();
    await host.sendRaw({ type: 'state', profiles: [profiles.production, leaking] });
    await item('production').getByRole('button', { name: 'Test connection', exact: true }).click();
    await host.waitFor('testConnection');
    await host.answerRaw('testConnection', { ok: true, value: { id: 'ext-production', ok: true, status: 'verified', message: 'ok', user: 'alice', key: wholeKey } });
    await eventually(async () => assert.match(await item('production').innerText(), /ok/));
    assert.equal(await host.page.getByRole('listitem').count(), 1);
    assert.equal((await host.page.content()).includes(wholeKey), false);
    assert.equal((await host.savedStates()).some((saved) => saved.includes(wholeKey)), false);
  });

  it('marks profile-list-painted once, when the list first paints', async () => {
    assert.equal(await host.page.evaluate(() => performance.getEntriesByName('profile-list-painted').length), 0);
    await host.sendState([profiles.production]);
    await host.sendState([profiles.production, profiles.staging]);
    await eventually(async () => assert.equal(await host.page.evaluate(() => performance.getEntriesByName('profile-list-painted').length), 1));
  });

  it('paints the last known list at once after a reload, before the host answers', async () => {
    await host.sendState([profiles.production, profiles.cli]);
    await item('ci').waitFor();
    await host.reload();
    assert.equal(await host.page.getByRole('listitem').count(), 2);
    assert.equal(await item('production').getAttribute('aria-current'), 'true');
    assert.equal(await host.page.evaluate(() => performance.getEntriesByName('profile-list-painted').length), 1);
  });
});
