import assert from 'node:assert/strict';
import { dispatch, type RequestHandlers } from '../../../src/profileManager/requestDispatcher';
import type { Answer, HostRequest, RequestKind } from '../../../src/shared/webviewProtocol';

const KEY = 'pc_' + 'k'.repeat(40) + 'wxyz';

/** Handlers where only `probeServer` is reached; the rest fail loudly if a test calls them. */
function handlers(probeServer: (payload: unknown) => Promise<unknown>): RequestHandlers {
  return new Proxy({} as RequestHandlers, {
    get: (_target, kind) => (kind === 'probeServer' ? probeServer : () => Promise.reject(new Error(`unexpected ${String(kind)}`))),
  });
}

async function answerTo(probeServer: (payload: unknown) => Promise<unknown>): Promise<{ answers: Answer<RequestKind>[]; logs: string[] }> {
  const answers: Answer<RequestKind>[] = [];
  const logs: string[] = [];
  const request = { type: 'request', id: 1, kind: 'probeServer', payload: { serverUrl: 'https://coderflow.example.com' } } as unknown as HostRequest;
  await dispatch(handlers(probeServer), request, (answer) => answers.push(answer), (line) => logs.push(line));
  return { answers, logs };
}

describe('the Profile Manager request dispatcher', () => {
  it('answers a handler value that fails its schema with a failure, so the page never waits for ever, and sends none of it', async () => {
    const { answers, logs } = await answerTo(async () => ({ serverUrl: 'https://coderflow.example.com', reachable: 'yes', apiKey: KEY }));
    assert.equal(answers.length, 1);
    const [answer] = answers;
    assert.equal(answer.ok, false);
    assert.ok(!answer.ok && answer.error?.message, 'the failure says something went wrong');
    assert.ok(!JSON.stringify(answers).includes(KEY), 'the refused value is not sent');
    assert.ok(logs.some((line) => line.includes('probeServer')));
  });

  it('answers a thrown failure with its message and fix, and a decline with a bare failure', async () => {
    const thrown = await answerTo(async () => {
      throw Object.assign(new Error('The server is down.'), { fix: 'Try later.' });
    });
    assert.deepEqual(thrown.answers, [{ ok: false, error: { message: 'The server is down.', fix: 'Try later.' } }]);
    const declined = await answerTo(async () => false);
    assert.deepEqual(declined.answers, [{ ok: false }]);
  });
});
