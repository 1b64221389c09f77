import * as assert from 'node:assert/strict';
import { screenshotIfFailed, startSession, type Session } from '../support/session';

// Signing in from the Command Palette, step by step as a person does it, in a real VS Code in
// Chromium against the reference server.

describe('Signing in from the Command Palette', function () {
  this.timeout(120_000);
  let session: Session | undefined;

  before(async function () {
    this.timeout(180_000);
    session = await startSession();
  });

  afterEach(async function () {
    await screenshotIfFailed(this, session);
  });

  after(async () => {
    await session?.stop();
  });

  it('signs in with server URL, method, username and a masked password, and the status bar shows the profile', async () => {
    const { workbench, server } = session!;
    await workbench.statusBarItem(/CoderFlow: not signed in/).waitFor();

    await workbench.runCommand('CoderFlow: Sign In');
    await workbench.quickInputMessage().getByText('The address of your CoderFlow server').waitFor();
    await workbench.submitQuickInput(server.url);

    await workbench.chooseQuickPickItem('Username and password');
    await workbench.quickInputMessage().getByText(/Your username on/).waitFor();
    await workbench.submitQuickInput('alice');

    await workbench.quickInputMessage().getByText('Password for alice').waitFor();
    assert.equal(await workbench.quickInputField().getAttribute('type'), 'password', 'the password is masked');
    // A wrong password is refused in place: the box stays open with the reason under it.
    await workbench.submitQuickInput('not-alices-password');
    await workbench.quickInputMessage().getByText(/Wrong username or password\./).waitFor();
    await workbench.submitQuickInput('alice-password');

    const host = new URL(server.url).host;
    const profileName = `alice@${host}`;
    const said = await workbench.waitForNotification(/Signed in to CoderFlow as alice/);
    assert.ok(said.includes(`profile '${profileName}'`), said);
    const status = workbench.statusBarItem(`CoderFlow: ${profileName}, Profile`);
    await status.waitFor();
    assert.match(await status.innerText(), new RegExp(`^\\s*${profileName.replace(/[.]/g, '\\.')}\\s*$`));
  });

  it('opens the Profile Manager from the status bar, with the new profile active', async () => {
    const { workbench, server } = session!;
    const profileName = `alice@${new URL(server.url).host}`;
    await workbench.statusBarItem(`CoderFlow: ${profileName}, Profile`).click();
    const page = await workbench.webviewFrame({ text: profileName });
    const entry = page.getByRole('list', { name: 'Profiles', exact: true }).getByRole('listitem').filter({ hasText: profileName });
    await entry.and(page.locator('[aria-current="true"]')).waitFor();
    assert.match(await entry.innerText(), /via password/);
  });
});
