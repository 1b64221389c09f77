import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signInWithPassword } from '../support/profileManager';
import { screenshotIfFailed, startSession, type Session } from '../support/session';
import { repoRoot } from '../support/vscodeServer';

// Another extension borrows the sign-in with
// vscode.authentication.getSession('coderflow', [], { createIfNone: true }). VS Code asks the person
// first ("… wants to sign in using CoderFlow"); once allowed, the session is the active profile.
// The other extension is a fixture (test/fixtures/session-consumer), installed as a VSIX.
describe('Another extension borrowing the CoderFlow session (VS Code in Chromium)', function () {
  this.timeout(180_000);
  let session: Session | undefined;
  const vsixDir = mkdtempSync(join(tmpdir(), 'coderflow-consumer-'));

  before(async function () {
    this.timeout(120_000);
    const vsix = join(vsixDir, 'session-consumer.vsix');
    execFileSync(
      join(repoRoot, 'node_modules/.bin/vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
      { cwd: join(repoRoot, 'test/fixtures/session-consumer'), stdio: 'ignore' },
    );
    session = await startSession({ installExtensions: [vsix] });
    await session.workbench.openViewContainer('CoderFlow');
  });
  afterEach(async function () {
    if (session) await screenshotIfFailed(this, session);
  });
  after(async () => {
    await session?.stop();
    rmSync(vsixDir, { recursive: true, force: true });
  });

  it('gets the active profile as its session after the person allows it', async () => {
    const { workbench, server } = session!;
    const page = await workbench.webviewFrame({ text: 'Profiles' });
    await signInWithPassword(page, { name: 'Borrowed', serverUrl: server.url, username: 'alice', password: 'alice-password' });
    await workbench.runCommand('CoderFlow Tests: Borrow the CoderFlow Session');
    const question = await workbench.answerDialog('Allow');
    assert.match(question, /CoderFlow Session Consumer \(test fixture\)' wants to sign in using CoderFlow/);
    const said = await workbench.waitForNotification('Consumer got the CoderFlow session');
    assert.match(said, /session of alice \(127\.0\.0\.\d+:\d+\) · Profile Manager; token is the key in use: true/);
  });
});
