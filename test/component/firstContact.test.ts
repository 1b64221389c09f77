import assert from 'node:assert/strict';
import { usePage, eventually, profiles, type StubHost } from './harness';

// The Profile Manager starts where the person is: Server URL filled with the server the host
// suggests (their settings or the CoderFlow CLI's), checked at once; with profiles listed, the Add
// profile form folded behind its button.

const SUGGESTED = 'https://coderflow.example.com';
const OTHER = 'https://other.example.com';

describe('Profile Manager page: where the person starts', function () {
  this.timeout(30_000);
  let host: StubHost;
  usePage((opened) => {
    host = opened;
  });

  const textbox = (name: string) => host.page.getByRole('textbox', { name, exact: true });
  const button = (name: string) => host.page.getByRole('button', { name, exact: true });
  const tab = (name: string) => host.page.getByRole('tab', { name, exact: true });
  const toggle = () => button('Add profile');
  const form = () => host.page.getByRole('form', { name: 'Add profile' });
  const announced = () => host.page.getByRole('status').first().innerText();
  const reachable = (serverUrl: string) =>
    host.answer('probeServer', { ok: true, value: { serverUrl: serverUrl, reachable: true, ssoEnabled: true, passwordLoginEnabled: true, providerName: 'Okta' } });

  describe('the suggested server URL', () => {
    it('fills Server URL and checks the server at once, so the SSO tab is offered without typing', async () => {
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await eventually(async () => assert.equal(await textbox('Server URL').inputValue(), SUGGESTED));
      assert.deepEqual(await host.waitFor('probeServer'), { type: 'probeServer', serverUrl: SUGGESTED });
      assert.equal(await tab('SSO').count(), 0, 'no SSO tab before the server said it has SSO');
      await reachable(SUGGESTED);
      await tab('SSO').waitFor();
      await host.page.getByText('Server reachable. Sign in with username and password, SSO (Okta) or an API key.').waitFor();
      // The page checked on its own: nothing is read out to a screen reader the person did not ask for.
      assert.equal(await announced(), '');
      // The same suggestion again (every state message carries it) asks the server nothing more.
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.page.waitForTimeout(200);
      assert.equal((await host.receivedOf('probeServer')).length, 1);
    });

    it('never replaces what the person typed, and follows a changed suggestion only while they left it alone', async () => {
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await eventually(async () => assert.equal(await textbox('Server URL').inputValue(), SUGGESTED));
      // The setting changed: the untouched field follows.
      await host.sendState([], { suggestedServerUrl: OTHER });
      await eventually(async () => assert.equal(await textbox('Server URL').inputValue(), OTHER));
      assert.deepEqual((await host.receivedOf('probeServer')).map((message) => message.serverUrl), [SUGGESTED, OTHER]);

      await textbox('Server URL').fill('https://mine.example.com');
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.page.waitForTimeout(200);
      assert.equal(await textbox('Server URL').inputValue(), 'https://mine.example.com');

      // Emptied on purpose (about to type another address): left empty.
      await textbox('Server URL').fill('');
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.page.waitForTimeout(200);
      assert.equal(await textbox('Server URL').inputValue(), '');
    });

    it('leaves a field typed before the host answered as it is', async () => {
      await textbox('Server URL').fill('https://typed-first.example.com');
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.page.getByText('No profiles yet').waitFor();
      await host.page.waitForTimeout(200);
      assert.equal(await textbox('Server URL').inputValue(), 'https://typed-first.example.com');
      assert.equal((await host.receivedOf('probeServer')).length, 0);
    });

    it('does not change the server of a running sign-in', async () => {
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.waitFor('probeServer');
      await reachable(SUGGESTED);
      await textbox('Profile name').fill('work');
      await textbox('Username').fill('alice');
      await textbox('Password').fill('secret');
      await button('Sign in').click();
      await host.waitFor('signInPassword');
      await host.sendState([], { suggestedServerUrl: OTHER });
      await host.page.waitForTimeout(200);
      assert.equal(await textbox('Server URL').inputValue(), SUGGESTED);
    });

    it('comes back for the next profile after a sign-in', async () => {
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.waitFor('probeServer');
      await reachable(SUGGESTED);
      await textbox('Profile name').fill('production');
      await textbox('Username').fill('alice');
      await textbox('Password').fill('secret');
      await button('Sign in').click();
      await host.waitFor('signInPassword');
      await host.sendState([{ ...profiles.production, id: 'new-1' }], { suggestedServerUrl: SUGGESTED });
      await host.answer('signInPassword', { ok: true, value: { profileId: 'new-1' } });
      await eventually(async () => assert.equal(await toggle().getAttribute('aria-expanded'), 'false'));
      await toggle().click();
      assert.equal(await textbox('Profile name').inputValue(), '');
      assert.equal(await textbox('Password').inputValue(), '');
      assert.equal(await textbox('Server URL').inputValue(), SUGGESTED);
      // Checked again for the new form, whose SSO tab then shows.
      assert.equal((await host.waitFor('probeServer', 2)).serverUrl, SUGGESTED);
      await reachable(SUGGESTED);
      await tab('SSO').waitFor();
    });

    it('keeps the suggestion and its check across a reload without asking the server again', async () => {
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.waitFor('probeServer');
      await reachable(SUGGESTED);
      await tab('SSO').waitFor();
      await host.reload();
      assert.equal(await textbox('Server URL').inputValue(), SUGGESTED);
      await tab('SSO').waitFor();
      await host.sendState([], { suggestedServerUrl: SUGGESTED });
      await host.page.waitForTimeout(200);
      assert.equal((await host.receivedOf('probeServer')).length, 0, 'no second check after the reload');
    });
  });

  describe('the folded form', () => {
    it('is open, with no fold button, while there is no profile', async () => {
      await host.sendState([]);
      await host.page.getByText('No profiles yet').waitFor();
      await textbox('Profile name').waitFor();
      assert.equal(await form().isVisible(), true);
      assert.equal(await host.page.locator('button[aria-expanded]').isVisible(), false);
    });

    it('with profiles, folds behind an Add profile button that says whether it is open, operated from the keyboard', async () => {
      await host.sendState([profiles.production, profiles.staging], { suggestedServerUrl: SUGGESTED });
      await toggle().waitFor();
      assert.equal(await toggle().getAttribute('aria-expanded'), 'false');
      assert.equal(await form().count(), 0, 'the form is hidden from everyone, assistive technology too');
      assert.equal(await textbox('Server URL').count(), 0);
      const controls = await toggle().getAttribute('aria-controls');
      assert.ok(controls && (await host.page.locator(`#${controls}`).count()) === 1, 'aria-controls names the folded part');
      // The button names its region: the heading holds it.
      assert.equal(await host.page.getByRole('heading', { name: 'Add profile' }).count(), 1);

      await toggle().focus();
      await host.page.keyboard.press('Enter');
      await eventually(async () => assert.equal(await toggle().getAttribute('aria-expanded'), 'true'));
      assert.equal(await form().isVisible(), true);
      // The suggestion was filled and checked while folded: ready when unfolded.
      assert.equal(await textbox('Server URL').inputValue(), SUGGESTED);
      // The disclosure keeps the focus on its button; Tab goes on into the form.
      assert.equal(await host.page.evaluate(() => document.activeElement?.getAttribute('aria-expanded')), 'true');
      await host.page.keyboard.press('Tab');
      assert.equal(await host.page.evaluate(() => document.activeElement?.id), 'profileName');

      await toggle().focus();
      await host.page.keyboard.press('Space');
      await eventually(async () => assert.equal(await toggle().getAttribute('aria-expanded'), 'false'));
      assert.equal(await form().count(), 0);
      await host.screenshot('add-profile-folded');
    });

    it('stays open when the first profile appears while the person is filling it in', async () => {
      await host.sendState([]);
      await textbox('Profile name').fill('work');
      await textbox('Profile name').blur();
      // Another window signed in meanwhile.
      await host.sendState([profiles.production]);
      await toggle().waitFor();
      assert.equal(await toggle().getAttribute('aria-expanded'), 'true');
      assert.equal(await textbox('Profile name').inputValue(), 'work');
    });

    it('folds after a sign-in and puts the focus on the new profile', async () => {
      await host.sendState([]);
      await textbox('Profile name').fill('production');
      await textbox('Server URL').fill(SUGGESTED);
      await textbox('Server URL').blur();
      await host.waitFor('probeServer');
      await reachable(SUGGESTED);
      await tab('API key').click();
      await textbox('API key').fill('pc_0123456789abcdef0123');
      await button('Save key').click();
      await host.waitFor('saveApiKey');
      await host.answer('saveApiKey', { ok: true, value: { profileId: 'new-1' } });
      await host.sendState([{ ...profiles.production, id: 'new-1' }]);
      await eventually(async () => assert.equal(await toggle().getAttribute('aria-expanded'), 'false'));
      assert.equal(await host.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id), 'new-1');
    });

    it('opens for Sign in again and for a running SSO sign-in', async () => {
      await host.sendState([profiles.production, profiles.signedOut]);
      await toggle().waitFor();
      assert.equal(await toggle().getAttribute('aria-expanded'), 'false');
      await host.page.getByRole('listitem').filter({ hasText: 'old-laptop' }).getByRole('button', { name: 'Sign in again' }).click();
      await eventually(async () => assert.equal(await textbox('Profile name').inputValue(), 'old-laptop'));
      assert.equal(await toggle().getAttribute('aria-expanded'), 'true');

      await toggle().click();
      // After a reload the host sends the code of the SSO sign-in still running.
      await host.send({ type: 'ssoCode', userCode: 'WDJB-MJHT', verificationUri: `${SUGGESTED}/device`, expiresInSeconds: 600 });
      await textbox('Verification code').waitFor();
      assert.equal(await toggle().getAttribute('aria-expanded'), 'true');
    });

    it('stays folded across a reload', async () => {
      await host.sendState([profiles.production], { suggestedServerUrl: SUGGESTED });
      await toggle().waitFor();
      await host.reload();
      await toggle().waitFor();
      assert.equal(await toggle().getAttribute('aria-expanded'), 'false');
    });
  });
});
