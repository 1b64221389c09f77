import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { usePage, eventually, profiles, type StubHost } from './harness';

const SERVER = 'https://coderflow.example.com';

describe('Profile Manager page: adding a profile', function () {
  this.timeout(30_000);
  let host: StubHost;
  usePage(async (opened) => {
    host = opened;
    await host.sendState([]);
  });

  const textbox = (name: string) => host.page.getByRole('textbox', { name, exact: true });
  // Playwright counts password inputs as textboxes; getByLabel('API key') would also match the
  // tab panel, which its tab names.
  const secret = (name: 'Password' | 'API key') => textbox(name);
  const button = (name: string) => host.page.getByRole('button', { name, exact: true });
  const tab = (name: string) => host.page.getByRole('tab', { name, exact: true });
  const announced = () => host.page.getByRole('status').first().innerText();
  const focusedName = () =>
    host.page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element) return '';
      const label = element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : undefined;
      return (label ?? element.textContent ?? '').trim();
    });
  const describedBy = async (locator: Locator) => {
    const ids = (await locator.getAttribute('aria-describedby'))?.split(' ') ?? [];
    const texts = await Promise.all(ids.map((id) => host.page.locator(`[id="${id}"]`).innerText()));
    return texts.join(' | ');
  };

  async function enterServer(url = SERVER, probe: { sso?: boolean; password?: boolean; providerName?: string } = {}) {
    await textbox('Profile name').fill('production');
    await textbox('Server URL').fill(url);
    await textbox('Server URL').blur();
    const sent = await host.waitFor('probeServer');
    assert.deepEqual(sent, { type: 'probeServer', serverUrl: url });
    await host.answer('probeServer', { ok: true, value: { serverUrl: url, reachable: true, ssoEnabled: probe.sso ?? false, passwordLoginEnabled: probe.password ?? true, ...(probe.providerName ? { providerName: probe.providerName } : {}) } });
    await host.page.getByText(/^Server reachable\./).waitFor();
  }

  it('names every field and button exactly as the issue lists them', async () => {
    await enterServer(SERVER, { sso: true });
    for (const name of ['Profile name', 'Server URL', 'Username']) assert.equal(await textbox(name).count(), 1, name);
    assert.equal(await secret('Password').getAttribute('type'), 'password');
    assert.equal(await button('Sign in').count(), 1);
    await tab('API key').click();
    assert.equal(await secret('API key').getAttribute('type'), 'password');
    assert.equal(await button('Save key').count(), 1);
    await tab('SSO').click();
    assert.equal(await button('Sign in with SSO').count(), 1);
    await button('Sign in with SSO').click();
    await host.send({ type: 'ssoCode', userCode: 'WDJB-MJHT', verificationUri: `${SERVER}/device`, expiresInSeconds: 600 });
    assert.equal(await textbox('Verification code').inputValue(), 'WDJB-MJHT');
    for (const name of ['Copy code', 'Open again', 'Cancel']) assert.equal(await button(name).count(), 1, name);
  });

  it('checks the server when Server URL loses focus and says which sign-in methods it offers', async () => {
    await textbox('Server URL').fill(SERVER);
    await textbox('Server URL').blur();
    await host.waitFor('probeServer');
    await host.page.getByText('Checking the server…').waitFor();
    assert.match(await describedBy(textbox('Server URL')), /Checking the server…/);
    assert.equal(await tab('SSO').count(), 0, 'no SSO tab before the server said it has SSO');

    await host.answer('probeServer', { ok: true, value: { serverUrl: SERVER, reachable: true, ssoEnabled: true, passwordLoginEnabled: true, providerName: 'Okta' } });
    const verdict = 'Server reachable. Sign in with username and password, SSO (Okta) or an API key.';
    await host.page.getByText(verdict).waitFor();
    assert.equal(await describedBy(textbox('Server URL')), verdict);
    assert.deepEqual(await host.page.getByRole('tab').allInnerTexts(), ['Username & password', 'SSO', 'API key']);
    await eventually(async () => assert.equal(await announced(), verdict));

    // Leaving the field again without a change asks nothing more.
    await textbox('Server URL').focus();
    await textbox('Server URL').blur();
    assert.equal((await host.receivedOf('probeServer')).length, 1);

    // Retyping the same URL hides the answer while typing, and leaving brings it back unasked.
    const status = host.page.locator('#serverUrl-status');
    await textbox('Server URL').fill(SERVER);
    assert.equal(await status.isVisible(), false);
    await textbox('Server URL').blur();
    await status.waitFor();
    assert.equal(await status.innerText(), verdict);
    assert.equal((await host.receivedOf('probeServer')).length, 1);
  });

  it('offers only SSO and API key when the server allows SSO only', async () => {
    await enterServer(SERVER, { sso: true, password: false });
    assert.deepEqual(await host.page.getByRole('tab').allInnerTexts(), ['SSO', 'API key']);
    assert.equal(await tab('SSO').getAttribute('aria-selected'), 'true');
    assert.equal(await button('Sign in with SSO').isVisible(), true);
    assert.equal(await textbox('Username').isVisible(), false);
  });

  it('shows why an unreachable server cannot be used, with the fix, under Server URL', async () => {
    await textbox('Server URL').fill('https://nowhere.example.com');
    await textbox('Server URL').blur();
    await host.waitFor('probeServer');
    await host.answer('probeServer', { ok: true, value: { serverUrl: 'https://nowhere.example.com', reachable: false, ssoEnabled: false, passwordLoginEnabled: false, error: { message: 'Could not reach nowhere.example.com.', fix: 'Check the URL, your network and any proxy settings.' } } });
    await eventually(async () => assert.equal(await textbox('Server URL').getAttribute('aria-invalid'), 'true'));
    assert.equal(await describedBy(textbox('Server URL')), 'Could not reach nowhere.example.com.\nCheck the URL, your network and any proxy settings.');
    assert.deepEqual(await host.page.getByRole('tab').allInnerTexts(), ['Username & password', 'API key']);

    // Typing clears the error.
    await textbox('Server URL').fill('https://coderflow.example.com');
    assert.equal(await textbox('Server URL').getAttribute('aria-invalid'), null);
    assert.equal(await textbox('Server URL').getAttribute('aria-describedby'), null);
  });

  it('ignores a probe answer about a URL the field no longer holds', async () => {
    await textbox('Server URL').fill('https://old.example.com');
    await textbox('Server URL').blur();
    await host.waitFor('probeServer');
    await textbox('Server URL').fill(SERVER);
    await textbox('Server URL').blur();
    await host.waitFor('probeServer', 2);
    await host.answer('probeServer', { ok: true, value: { serverUrl: 'https://old.example.com', reachable: false, ssoEnabled: false, passwordLoginEnabled: false, error: { message: 'Old server is down.' } } }, 1);
    await host.answer('probeServer', { ok: true, value: { serverUrl: SERVER, reachable: true, ssoEnabled: true, passwordLoginEnabled: true } }, 2);
    await host.page.getByText(/^Server reachable\./).waitFor();
    assert.equal(await host.page.getByText('Old server is down.').count(), 0);
    assert.equal(await textbox('Server URL').getAttribute('aria-invalid'), null);
  });

  it('explains, without asking the host, when Server URL is not an http(s) URL', async () => {
    await textbox('Server URL').fill('coderflow.example.com');
    await textbox('Server URL').blur();
    await eventually(async () => assert.equal(await textbox('Server URL').getAttribute('aria-invalid'), 'true'));
    assert.match(await describedBy(textbox('Server URL')), /starts with https:\/\/ or http:\/\//);
    assert.equal((await host.receivedOf('probeServer')).length, 0);
  });

  it('has a tablist whose tabs are reached with Tab and moved between with the arrow keys, Home and End', async () => {
    await enterServer(SERVER, { sso: true });
    assert.equal(await host.page.getByRole('tablist', { name: 'Sign-in method' }).count(), 1);
    await tab('Username & password').focus();
    const selected = async () => host.page.getByRole('tab', { selected: true }).innerText();
    const check = async (name: string, panelField: string | undefined) => {
      assert.equal(await selected(), name);
      assert.equal(await focusedName(), name);
      const tabIndexes = await host.page.getByRole('tab').evaluateAll((tabs) => tabs.map((t) => (t as HTMLElement).tabIndex));
      assert.equal(tabIndexes.filter((index) => index === 0).length, 1, 'one tab in the Tab order');
      const panel = host.page.getByRole('tabpanel');
      assert.equal(await panel.count(), 1);
      assert.equal(await panel.getAttribute('aria-labelledby'), await host.page.getByRole('tab', { selected: true }).getAttribute('id'));
      if (panelField) assert.equal(await panel.getByText(panelField, { exact: true }).first().isVisible(), true);
    };
    await host.page.keyboard.press('ArrowRight');
    await check('SSO', 'Sign in with SSO');
    await host.page.keyboard.press('ArrowRight');
    await check('API key', 'API key');
    await host.page.keyboard.press('ArrowRight');
    await check('Username & password', 'Username');
    await host.page.keyboard.press('ArrowLeft');
    await check('API key', undefined);
    await host.page.keyboard.press('Home');
    await check('Username & password', undefined);
    await host.page.keyboard.press('End');
    await check('API key', undefined);
    // Tab leaves the tablist for the panel's first field.
    await host.page.keyboard.press('Tab');
    assert.equal(await focusedName(), 'API key');
  });

  it('points at every missing field on the page before anything is posted', async () => {
    await button('Sign in').click();
    for (const [name, message] of [
      ['Profile name', 'Enter a name for this profile.'],
      ['Server URL', 'Enter the server URL.'],
      ['Username', 'Enter your username.'],
    ] as const) {
      assert.equal(await textbox(name).getAttribute('aria-invalid'), 'true', name);
      assert.equal(await describedBy(textbox(name)), message);
    }
    assert.equal(await secret('Password').getAttribute('aria-invalid'), 'true');
    assert.equal(await focusedName(), 'Profile name');
    const posted = (await host.received()).map((message) => message.type);
    assert.deepEqual(posted, ['ready']);
  });

  it('signs in with a password: posts it, stays busy until the host answers, then empties the form and focuses the new profile', async () => {
    await enterServer();
    await textbox('Username').fill('alice');
    await secret('Password').fill('correct horse');
    await secret('Password').press('Enter');
    assert.deepEqual(await host.waitFor('signInPassword'), {
      type: 'signInPassword',
      profileName: 'production',
      serverUrl: SERVER,
      username: 'alice',
      password: 'correct horse',
    });
    assert.equal(await button('Sign in').isDisabled(), true);
    assert.equal(await textbox('Profile name').getAttribute('readonly'), '');
    assert.equal(await host.page.getByRole('region', { name: 'Add profile' }).getAttribute('aria-busy'), 'true');
    await eventually(async () => assert.equal(await announced(), 'Signing in…'));
    // A second press while busy posts nothing.
    await button('Sign in').click({ force: true });
    await tab('API key').click();
    await secret('API key').fill('pc_0123456789abcdef');
    await button('Save key').click({ force: true });
    assert.equal((await host.receivedOf('signInPassword')).length, 1);
    assert.equal((await host.receivedOf('saveApiKey')).length, 0);

    await host.sendState([{ ...profiles.production, id: 'new-1' }]);
    await host.answer('signInPassword', { ok: true, value: { profileId: 'new-1' } });
    await eventually(async () => assert.equal(await announced(), 'Signed in. Profile production is saved.'));
    assert.equal(await host.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id), 'new-1');
    // With a profile listed the emptied form folds behind Add profile.
    await button('Add profile').click();
    for (const name of ['Profile name', 'Server URL']) assert.equal(await textbox(name).inputValue(), '', name);
    assert.equal(await secret('API key').inputValue(), '');
    await tab('Username & password').click();
    assert.equal(await textbox('Username').inputValue(), '');
    assert.equal(await button('Sign in').isDisabled(), false);
    assert.equal(await textbox('Profile name').getAttribute('readonly'), null);
  });

  it('a wrong password shows the error and its fix next to the field, keeps the username and empties the password', async () => {
    await enterServer();
    await textbox('Username').fill('alice');
    await secret('Password').fill('wrong');
    await button('Sign in').click();
    await host.waitFor('signInPassword');
    await host.answer('signInPassword', { ok: false, error: { message: 'Wrong username or password.', fix: 'Check both and try again, or sign in with SSO.', field: 'password' } });
    await eventually(async () => assert.equal(await secret('Password').getAttribute('aria-invalid'), 'true'));
    assert.equal(await describedBy(secret('Password')), 'Wrong username or password.\nCheck both and try again, or sign in with SSO.');
    assert.equal(await textbox('Username').inputValue(), 'alice');
    assert.equal(await textbox('Profile name').inputValue(), 'production');
    assert.equal(await textbox('Server URL').inputValue(), SERVER);
    assert.equal(await secret('Password').inputValue(), '');
    assert.equal(await focusedName(), 'Password');
    assert.equal(await button('Sign in').isDisabled(), false);

    // The next attempt goes out with the kept username.
    await secret('Password').fill('right');
    assert.equal(await secret('Password').getAttribute('aria-invalid'), null);
    await button('Sign in').click();
    assert.equal((await host.waitFor('signInPassword', 2)).username, 'alice');
  });

  it('Cancel while the server checks the password asks the host to abort, and a late answer changes nothing', async () => {
    await enterServer();
    assert.equal(await button('Cancel').count(), 0, 'no Cancel before a check runs');
    await textbox('Username').fill('alice');
    await secret('Password').fill('correct horse');
    await button('Sign in').click();
    await host.waitFor('signInPassword');
    await button('Cancel').click();
    assert.deepEqual(await host.waitFor('cancelSignIn'), { type: 'cancelSignIn' });
    await eventually(async () => assert.equal(await announced(), 'Sign-in cancelled. Nothing was saved.'));
    assert.equal(await button('Sign in').isDisabled(), false);
    assert.equal(await button('Cancel').count(), 0);
    assert.equal(await focusedName(), 'Sign in');
    // The host's answer to the aborted check arrives after the cancel: the form stays as it is.
    await host.answer('signInPassword', { ok: false });
    await host.page.waitForTimeout(100);
    assert.equal(await host.page.getByRole('alert').count(), 0);
    assert.equal(await textbox('Profile name').inputValue(), 'production');

    await tab('API key').click();
    await secret('API key').fill('pc_0123456789abcdef');
    await button('Save key').click();
    await host.waitFor('saveApiKey');
    await button('Cancel').click();
    await host.waitFor('cancelSignIn', 2);
    assert.equal(await button('Save key').isDisabled(), false);
  });

  it('shows an error that concerns no single field as an alert by the form', async () => {
    await enterServer();
    await textbox('Username').fill('alice');
    await secret('Password').fill('pw');
    await button('Sign in').click();
    await host.waitFor('signInPassword');
    await host.answer('signInPassword', { ok: false, error: { message: 'The server’s certificate is not trusted (self-signed).', fix: 'Set profoundCoder.tls.caFile to your CA’s PEM file.' } });
    const alert = host.page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /not trusted \(self-signed\)\.\s+Set profoundCoder\.tls\.caFile/);
    assert.equal(await textbox('Username').inputValue(), 'alice');
  });

  it('warns while typing a key that looks like an AI provider’s, and shows the host’s verdict on the field', async () => {
    await enterServer();
    await tab('API key').click();
    await secret('API key').fill('sk-ant-api03-abcdefghijklmnop');
    await eventually(async () => assert.match(await describedBy(secret('API key')), /AI provider’s key \(Anthropic\), not a CoderFlow key/));
    await secret('API key').fill('pc_0123456789abcdef');
    assert.doesNotMatch(await describedBy(secret('API key')), /AI provider/);

    // The host's check is the authoritative one.
    await secret('API key').fill('sk-proj-abcdefghijklmnop');
    await button('Save key').click();
    assert.equal((await host.waitFor('saveApiKey')).apiKey, 'sk-proj-abcdefghijklmnop');
    await host.answer('saveApiKey', { ok: false, error: { message: 'This is an OpenAI key, not a CoderFlow key.', fix: 'Paste a personal API key (pc_…).', field: 'apiKey' } });
    await eventually(async () => assert.equal(await secret('API key').getAttribute('aria-invalid'), 'true'));
    assert.match(await describedBy(secret('API key')), /^This is an OpenAI key, not a CoderFlow key\.\nPaste a personal API key/);
  });

  it('saves a pasted key, trimmed', async () => {
    await enterServer();
    await tab('API key').click();
    await secret('API key').fill('  pc_0123456789abcdef \n');
    await secret('API key').press('Enter');
    assert.deepEqual(await host.waitFor('saveApiKey'), {
      type: 'saveApiKey',
      profileName: 'production',
      serverUrl: SERVER,
      apiKey: 'pc_0123456789abcdef',
    });
    assert.equal(await button('Save key').isDisabled(), true);
    await host.answer('saveApiKey', { ok: true, value: { profileId: 'new-2' } });
    await eventually(async () => assert.equal(await secret('API key').inputValue(), ''));
    assert.equal(await button('Save key').isDisabled(), false);
  });

  it('SSO: shows the code large under "Verification code", copies it, opens the browser, counts down, and closes on success', async () => {
    await enterServer(SERVER, { sso: true, providerName: 'Okta' });
    await tab('SSO').click();
    assert.match(await host.page.getByRole('tabpanel').innerText(), /Sign in through Okta in your browser/);
    await button('Sign in with SSO').click();
    assert.deepEqual(await host.waitFor('startSso'), { type: 'startSso', profileName: 'production', serverUrl: SERVER });
    assert.equal(await button('Sign in with SSO').isDisabled(), true);

    await host.send({
      type: 'ssoCode',
      userCode: 'WDJB-MJHT',
      verificationUri: `${SERVER}/device`,
      verificationUriComplete: `${SERVER}/device?user_code=WDJB-MJHT`,
      expiresInSeconds: 125,
    });
    const code = textbox('Verification code');
    await code.waitFor();
    assert.equal(await code.inputValue(), 'WDJB-MJHT');
    assert.equal(await code.getAttribute('readonly'), '');
    assert.ok(parseFloat(await code.evaluate((element) => getComputedStyle(element).fontSize)) >= 24, 'the code is large');
    assert.equal(await focusedName(), 'Verification code');
    await eventually(async () => assert.match(await announced(), /Verification code WDJB-MJHT/));
    const panel = await host.page.getByRole('group', { name: 'Confirm the code in your browser' }).innerText();
    assert.match(panel, new RegExp(`Or go to ${SERVER}/device in any browser`));
    // The host opened the browser as the code came: the panel names where, to compare the code there.
    assert.ok(panel.includes(`Your browser opens ${new URL(SERVER).host}.`), panel);
    assert.equal(await button('Sign in with SSO').isVisible(), false);

    const countdown = host.page.getByRole('timer');
    assert.match(await countdown.innerText(), /^Code expires in 2:0[45]$/);
    await eventually(async () => assert.match(await countdown.innerText(), /^Code expires in 2:0[23]$/), 3000);

    await button('Copy code').click();
    assert.deepEqual(await host.waitFor('copyText'), { type: 'copyText', text: 'WDJB-MJHT' });
    await host.answer('copyText', { ok: true, value: {} });
    await eventually(async () => assert.equal(await announced(), 'Code copied.'));

    await button('Open again').click();
    assert.deepEqual(await host.waitFor('openExternal'), { type: 'openExternal', url: `${SERVER}/device?user_code=WDJB-MJHT` });
    await host.answer('openExternal', { ok: true, value: {} });
    // The browser-opened announcement replaces the code's: it says the code again.
    await eventually(async () => assert.equal(await announced(), 'Opened the browser. Check that it shows WDJB-MJHT.'));

    await host.answer('startSso', { ok: true, value: { profileId: 'new-3' } });
    await eventually(async () => assert.equal(await code.count(), 0));
    assert.equal(await textbox('Profile name').inputValue(), '');
    assert.equal(await button('Sign in with SSO').isVisible(), false, 'the SSO tab goes with the form’s reset');
    await eventually(async () => assert.equal(await announced(), 'Signed in. Profile production is saved.'));
  });

  it('SSO: Cancel asks the host to stop and brings back the start button', async () => {
    await enterServer(SERVER, { sso: true });
    await tab('SSO').click();
    await button('Sign in with SSO').click();
    await host.waitFor('startSso');
    await host.send({ type: 'ssoCode', userCode: 'ABCD-EFGH', verificationUri: `${SERVER}/device`, expiresInSeconds: 600 });
    await textbox('Verification code').waitFor();
    await button('Cancel').click();
    await host.waitFor('cancelSso');
    await eventually(async () => assert.equal(await textbox('Verification code').count(), 0));
    assert.equal(await button('Sign in with SSO').isDisabled(), false);
    assert.equal(await focusedName(), 'Sign in with SSO');
    await eventually(async () => assert.equal(await announced(), 'SSO sign-in cancelled.'));
    // The host's late answer to the cancelled flow changes nothing.
    await host.answer('startSso', { ok: false, error: { message: 'Sign-in was cancelled.' } });
    await host.page.waitForTimeout(100);
    assert.equal(await host.page.getByRole('alert').count(), 0);
    assert.equal(await textbox('Profile name').inputValue(), 'production');
  });

  it('SSO: warns in the last minute, says when the code expired, and shows the host’s error when the flow ends', async () => {
    await enterServer(SERVER, { sso: true });
    await tab('SSO').click();
    await button('Sign in with SSO').click();
    await host.waitFor('startSso');
    await host.send({ type: 'ssoCode', userCode: 'ABCD-EFGH', verificationUri: `${SERVER}/device`, expiresInSeconds: 61 });
    await eventually(async () => assert.equal(await announced(), 'The verification code expires in one minute.'), 4000);
    await host.send({ type: 'ssoCode', userCode: 'ABCD-EFGH', verificationUri: `${SERVER}/device`, expiresInSeconds: 1 });
    await eventually(async () => assert.equal(await host.page.getByRole('timer').innerText(), 'The code has expired.'), 4000);
    assert.equal(await button('Copy code').isDisabled(), true);
    assert.equal(await button('Open again').isDisabled(), true);
    await host.answer('startSso', { ok: false, error: { message: 'The verification code expired before it was approved.', fix: 'Select Sign in with SSO to get a new code.' } });
    await host.page.getByRole('alert').waitFor();
    assert.match(await host.page.getByRole('alert').innerText(), /expired before it was approved/);
    assert.equal(await textbox('Verification code').count(), 0);
    assert.equal(await button('Sign in with SSO').isDisabled(), false);
  });

  it('SSO: after a reload, the code the host sends again reopens the panel', async () => {
    await enterServer(SERVER, { sso: true });
    await tab('SSO').click();
    await button('Sign in with SSO').click();
    await host.waitFor('startSso');
    await host.reload();
    await host.send({ type: 'ssoCode', userCode: 'WXYZ-1234', verificationUri: `${SERVER}/device`, expiresInSeconds: 300 });
    assert.equal(await textbox('Verification code').inputValue(), 'WXYZ-1234');
    assert.equal(await tab('SSO').getAttribute('aria-selected'), 'true');
    assert.equal(await button('Sign in with SSO').isVisible(), false);
    // The reloaded page asks for the end of the sign-in it did not start.
    await host.answer('resumeSso', { ok: true, value: { profileId: 'p' } });
    await eventually(async () => assert.equal(await textbox('Verification code').count(), 0));
  });

  it('keeps what was typed across a reload, but never saves the password or the key', async () => {
    await enterServer(SERVER, { sso: true });
    await textbox('Username').fill('alice');
    await secret('Password').fill('hunter2-secret');
    await tab('API key').click();
    await secret('API key').fill('pc_supersecretvalue9');
    await host.reload();
    assert.equal(await textbox('Profile name').inputValue(), 'production');
    assert.equal(await textbox('Server URL').inputValue(), SERVER);
    assert.equal(await tab('API key').getAttribute('aria-selected'), 'true');
    assert.equal(await tab('SSO').count(), 1, 'the probe’s answer survives too');
    assert.equal(await secret('API key').inputValue(), '');
    await tab('Username & password').click();
    assert.equal(await textbox('Username').inputValue(), 'alice');
    assert.equal(await secret('Password').inputValue(), '');
    const saved = await host.savedStates();
    assert.ok(saved.length > 0);
    for (const state of saved) {
      assert.equal(state.includes('hunter2-secret'), false);
      assert.equal(state.includes('pc_supersecretvalue9'), false);
    }
    // Nothing of this reload was posted.
    assert.deepEqual((await host.received()).map((message) => message.type), ['ready']);
  });

  it('sends the password only inside signInPassword and the key only inside saveApiKey', async () => {
    await enterServer(SERVER, { sso: true });
    await textbox('Username').fill('alice');
    await secret('Password').fill('hunter2-secret');
    await button('Sign in').click();
    await host.waitFor('signInPassword');
    await host.answer('signInPassword', { ok: false, error: { message: 'Wrong username or password.', field: 'password' } });
    await tab('API key').click();
    await secret('API key').fill('pc_supersecretvalue9');
    await button('Save key').click();
    await host.waitFor('saveApiKey');
    for (const message of await host.received()) {
      const text = JSON.stringify(message);
      if (message.type !== 'signInPassword') assert.equal(text.includes('hunter2-secret'), false, message.type);
      if (message.type !== 'saveApiKey') assert.equal(text.includes('pc_supersecretvalue9'), false, message.type);
    }
  });

  it('works from the keyboard alone: Tab and arrow keys reach and operate everything', async () => {
    await host.sendState([profiles.production, profiles.staging, profiles.cli]);
    await host.page.getByRole('listitem').nth(2).waitFor();
    const keyboard = host.page.keyboard;
    const order: string[] = [];
    await host.page.locator('body').focus();
    for (let step = 0; step < 20; step++) {
      await keyboard.press('Tab');
      order.push(await focusedName());
      // The Add profile form is folded behind its button while profiles are listed.
      if (order.at(-1) === 'Add profile') await keyboard.press('Enter');
    }
    assert.deepEqual(order, [
      'Test connection', 'Sign out', 'Remove', 'Save to CLI profile', // production (active: no Use)
      'Use', 'Test connection', 'Sign out', 'Remove', 'Save to CLI profile', // staging
      'Use', 'Test connection', 'Import from CLI', // ci (CLI)
      'Rotate key', // API keys of the active profile
      'Add profile',
      'Profile name', 'Server URL', 'Test connection', 'Username & password', 'Username', 'Password',
    ]);

    // Operate a profile: Shift+Tab back to ci's Use, Enter.
    for (let step = 0; step < 9; step++) await keyboard.press('Shift+Tab');
    assert.equal(await focusedName(), 'Test connection');
    await keyboard.press('Shift+Tab');
    await keyboard.press('Enter');
    assert.deepEqual(await host.waitFor('useProfile'), { type: 'useProfile', id: 'cli-ci' });
    await host.answer('useProfile', { ok: true, value: {} });

    // Fill the form, probe by leaving the field, choose SSO with the arrow keys, start it with Enter.
    for (let step = 0; step < 5; step++) await keyboard.press('Tab');
    assert.equal(await focusedName(), 'Profile name');
    await keyboard.type('work');
    await keyboard.press('Tab');
    await keyboard.type(SERVER);
    await keyboard.press('Tab');
    await host.waitFor('probeServer');
    await host.answer('probeServer', { ok: true, value: { serverUrl: SERVER, reachable: true, ssoEnabled: true, passwordLoginEnabled: true } });
    await host.page.getByRole('form', { name: 'Add profile' }).getByText(/^Server reachable\./).waitFor();
    // Test connection for the typed server comes next, then the sign-in methods.
    assert.equal(await focusedName(), 'Test connection');
    await keyboard.press('Tab');
    assert.equal(await focusedName(), 'Username & password');
    await keyboard.press('ArrowRight');
    assert.equal(await focusedName(), 'SSO');
    await keyboard.press('Tab');
    assert.equal(await focusedName(), 'Sign in with SSO');
    await keyboard.press('Enter');
    await host.waitFor('startSso');
    await host.send({ type: 'ssoCode', userCode: 'KEYB-OARD', verificationUri: `${SERVER}/device`, expiresInSeconds: 600 });
    await eventually(async () => assert.equal(await focusedName(), 'Verification code'));
    await keyboard.press('Tab');
    assert.equal(await focusedName(), 'Open again');
    await keyboard.press('Enter');
    await host.waitFor('openExternal');
    await keyboard.press('Tab');
    assert.equal(await focusedName(), 'Copy code');
    await keyboard.press('Space');
    await host.waitFor('copyText');
    await keyboard.press('Tab');
    assert.equal(await focusedName(), 'Cancel');
    await keyboard.press('Enter');
    await host.waitFor('cancelSso');
    assert.equal(await focusedName(), 'Sign in with SSO');

    // API key tab, type a key, Enter saves it.
    await keyboard.press('Shift+Tab');
    assert.equal(await focusedName(), 'SSO');
    await keyboard.press('End');
    await keyboard.press('Tab');
    assert.equal(await focusedName(), 'API key');
    await keyboard.type('pc_keyboardonly1234');
    await keyboard.press('Enter');
    assert.equal((await host.waitFor('saveApiKey')).apiKey, 'pc_keyboardonly1234');
  });
});
