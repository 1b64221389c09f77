import * as assert from 'node:assert/strict';
import vscode = require('vscode');
import type { ProfileMeta } from '../../src/profiles/profile';
import { completeSsoLogin } from '../server/browserless';
import { api, control, issueKey, serverUrl, until } from './support';

// Cancel means cancel, and SSO opens the browser at once, in the real extension host: the
// palette's input boxes are VS Code's own, typed into through the testing hook and accepted or
// closed with the commands Enter and Escape run (workbench.action.acceptSelectedQuickOpenItem,
// workbench.action.closeQuickOpen). The reference server's latency switch makes the checks slow.

const ENTER = 'workbench.action.acceptSelectedQuickOpenItem';
const ESCAPE = 'workbench.action.closeQuickOpen';
// Longer than the test waits for the cancel to take effect; shorter than the test's timeout.
const SLOW_MS = 4000;

async function setFault(fault: Record<string, unknown>): Promise<void> {
  assert.equal((await control('POST', 'faults', fault)).status, 204);
}

/** The input boxes the extension shows from now on, in order. */
async function inputBoxes() {
  const { testing } = await api();
  const shown: vscode.InputBox[] = [];
  const subscription = testing.onDidShowInputBox((box) => shown.push(box));
  let taken = 0;
  return {
    /** The next box, once VS Code shows it. */
    next: (what: string) => until(what, () => (shown.length > taken ? shown[taken++] : undefined), 10_000),
    /** The next box if VS Code has shown it already. */
    shownNext: () => (shown.length > taken ? shown[taken++] : undefined),
    dispose: () => subscription.dispose(),
  };
}

/** Types into a box and presses Enter, as a person does. */
async function enter(box: vscode.InputBox, value: string): Promise<void> {
  box.value = value;
  // The box shows asynchronously in the workbench; Enter before it is there would go nowhere.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await vscode.commands.executeCommand(ENTER);
}

/** Records calls to one of VS Code's functions and answers them from `answer` instead of the UI. */
function intercept<T extends object>(owner: T, name: keyof T & string, answer: (...args: unknown[]) => unknown) {
  const target = owner as Record<string, unknown>;
  const original = target[name];
  const calls: unknown[][] = [];
  target[name] = (...args: unknown[]) => {
    calls.push(args);
    return answer(...args);
  };
  return { calls, restore: () => void (target[name] = original) };
}

async function snapshot() {
  const { testing } = await api();
  const profiles = testing.store.list();
  const secrets = await Promise.all(profiles.map((p) => testing.secrets.get(`profoundCoder.profile/${p.id}`)));
  return { ids: profiles.map((p) => p.id).sort(), selected: testing.store.selectedId(), secrets: secrets.filter(Boolean).length };
}

describe('Cancel means cancel, from the palette (extension host)', function () {
  this.timeout(60_000);
  afterEach(async () => {
    await control('DELETE', 'faults');
    // Nothing of a failed test may be left open for the next one.
    await vscode.commands.executeCommand(ESCAPE);
  });

  for (const method of ['password', 'apiKey'] as const) {
    it(`Escape during a slow ${method === 'password' ? 'password' : 'API key'} check aborts it and leaves nothing saved or selected`, async () => {
      const { testing } = await api();
      const key = method === 'apiKey' ? (await issueKey('alice', 'IT cancel')).key : undefined;
      await setFault({ path: method === 'password' ? '/auth/cli-login' : '/auth/me', latencyMs: SLOW_MS, times: 1 });
      const before = await snapshot();
      const boxes = await inputBoxes();
      try {
        const running = Promise.resolve(vscode.commands.executeCommand<ProfileMeta | undefined>(method === 'password' ? 'profoundCoder.signIn' : 'profoundCoder.signInWithApiKey', method === 'password' ? { method } : undefined));
        await enter(await boxes.next('the server URL box'), serverUrl());
        let secretBox: vscode.InputBox;
        if (method === 'password') {
          await enter(await boxes.next('the username box'), 'alice');
          secretBox = await boxes.next('the password box');
          await enter(secretBox, 'alice-password');
        } else {
          secretBox = await boxes.next('the API key box');
          await enter(secretBox, key ?? '');
        }
        await until('the check is running', () => (secretBox.busy ? true : undefined));
        const escaped = Date.now();
        await vscode.commands.executeCommand(ESCAPE);
        assert.equal(await running, undefined, 'the command reports a cancel');
        assert.ok(Date.now() - escaped < SLOW_MS / 2, `the cancel took ${Date.now() - escaped} ms: it waited for the server`);
        // Past the time the server answers: a sign-in still running would save the profile now.
        await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
        assert.deepEqual(await snapshot(), before, 'no profile, selection or secret changed');
        assert.ok(testing.logLines.some((line) => /Sign-in to .* failed: cancelled/.test(line)), 'the log says the sign-in was cancelled');
      } finally {
        boxes.dispose();
      }
    });
  }

  it('a createSession caller is told "cancelled" after Escape, and nothing was made', async () => {
    const { testing } = await api();
    await setFault({ path: '/auth/cli-login', latencyMs: SLOW_MS, times: 1 });
    const before = await snapshot();
    const boxes = await inputBoxes();
    try {
      const creating = Promise.resolve(testing.authProvider.createSession([], {})).then(
        () => undefined,
        (error: unknown) => error,
      );
      await enter(await boxes.next('the server URL box'), serverUrl());
      // The method Quick Pick: its first item is the username and password.
      const username = await until('the username box', async () => {
        await vscode.commands.executeCommand(ENTER);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return boxes.shownNext();
      }, 10_000);
      await enter(username, 'alice');
      const password = await boxes.next('the password box');
      await enter(password, 'alice-password');
      await until('the check is running', () => (password.busy ? true : undefined));
      await vscode.commands.executeCommand(ESCAPE);
      const error = await creating;
      assert.ok(error instanceof Error && /cancelled/.test(error.message), `createSession answered ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
      assert.deepEqual(await snapshot(), before);
    } finally {
      boxes.dispose();
    }
  });
});

describe('SSO from the palette opens the browser at once (extension host)', function () {
  this.timeout(60_000);
  afterEach(() => control('DELETE', 'faults'));

  it('opens the verification page as the code arrives, offers Copy code and Open again, and rides out failed polls', async () => {
    // Two polls fail the way a restarting server or a proxy does; the sign-in goes on.
    await setFault({ path: '/auth/sso/token', status: 502, body: '<html><body>502 Bad Gateway</body></html>', times: 2 });
    const approvals: Promise<void>[] = [];
    const opened = intercept(vscode.env, 'openExternal', (uri) => {
      // The "browser": approves the code the address carries, once.
      if (approvals.length === 0) {
        // toString(true): VS Code's Uri encodes the query's "=" otherwise.
        const url = new URL((uri as vscode.Uri).toString(true));
        const code = url.searchParams.get('user_code') ?? '';
        approvals.push(completeSsoLogin(`${url.origin}${url.pathname}`, code, { username: 'bob', password: 'bob-password' }));
      }
      return Promise.resolve(true);
    });
    const answers = ['Copy code', 'Open again'];
    const shown = intercept(vscode.window, 'showInformationMessage', (message) =>
      // The Open again / Copy code notification: Copy code, Open again, then dismissed.
      Promise.resolve(String(message).includes('sign-in code') ? answers.shift() : undefined),
    );
    const warned = intercept(vscode.window, 'showWarningMessage', () => Promise.resolve(undefined));
    await vscode.env.clipboard.writeText('');
    try {
      const profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signInWithSso', { serverUrl: serverUrl(), profileName: 'IT sso at once' });
      await Promise.all(approvals);
      assert.equal(profile.method, 'sso');
      assert.equal(profile.username, 'bob');
      const addresses = opened.calls.map((call) => (call[0] as vscode.Uri).toString(true));
      assert.equal(addresses.length, 2, 'opened once at the start, once more for Open again');
      assert.ok(addresses.every((a) => a.startsWith(`${serverUrl()}/auth/sso/verify?user_code=`)), addresses.join(', '));
      assert.ok(shown.calls.some((call) => String(call[0]).includes(`Approve it at ${new URL(serverUrl()).host}`)), 'the host is named');
      const code = new URL(addresses[0] ?? '').searchParams.get('user_code');
      assert.equal(await vscode.env.clipboard.readText(), code, `Copy code copies the code (warnings: ${JSON.stringify(warned.calls)})`);
      const { testing } = await api();
      await testing.store.remove(profile.id);
    } finally {
      opened.restore();
      shown.restore();
      warned.restore();
    }
  });
});
