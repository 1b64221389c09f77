import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../src/core/http/client';
import { toAuthError } from '../../src/core/errors';
import { checkApiKeyFormat } from '../../src/core/flows/apiKey';
import { AI_PROVIDER_PREFIXES } from '../../src/shared/secretShapes';
import { Redactor } from '../../src/core/redact';
import { keyShape, keyShapeWarning } from '../../webview-ui/keyShape';
import { startServer, type ReferenceServer } from '../server';
import { observe } from '../support/attackTable';
import { everythingIn, hostileServer, rejection } from './support';

// No secret in any error, log line or message: not the key, not a password, not a sign-in code,
// whatever the server echoes and however the error is printed (its cause chain included).

const PASSWORD = 'correct horse battery staple';

describe('attack: a server or a mistake puts a secret where it would be shown', function () {
  this.timeout(30_000);
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ sso: false });
  });
  after(() => server.stop());
  afterEach(() => server.faults.clear());

  it('a server that echoes the password in its error message → the password is masked in the error', async () => {
    server.faults.set({ path: '/auth/cli-login', status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'boom', message: `login failed for alice with password ${PASSWORD}` }) });
    const error = await rejection(new CoderFlowClient({ serverUrl: server.url }).cliLogin('alice', PASSWORD, 'attack'));
    observe(error.message);
    assert.ok(!everythingIn(error).includes(PASSWORD), 'the password appears nowhere in the error');
  });

  it('a server that echoes the password in an HTML error page → the password is masked in the excerpt', async () => {
    server.faults.set({ path: '/auth/cli-login', status: 502, body: `<html><body><h1>Bad Gateway</h1><pre>password=${PASSWORD}</pre></body></html>` });
    const error = await rejection(new CoderFlowClient({ serverUrl: server.url }).cliLogin('alice', PASSWORD, 'attack'));
    observe(error.message);
    assert.ok(!everythingIn(error).includes(PASSWORD));
  });

  it('a proxy page that echoes the Authorization header → the key is masked to pc_…last4', async () => {
    const { key } = await server.issueKey('alice');
    server.faults.set({ path: '/auth/me', status: 500, body: `<html><body><pre>Authorization: Bearer ${key}</pre></body></html>` });
    const error = await rejection(new CoderFlowClient({ serverUrl: server.url, apiKey: key }).me());
    observe(error.message);
    assert.ok(!everythingIn(error).includes(key));
  });

  it('a key with a control character (from a CLI config), sent anyway → the error and its cause hold no part of the key', async () => {
    const key = `pc_${'7c'.repeat(20)}\u0001tail${'e5'.repeat(8)}`;
    const target = await hostileServer((_req, res) => res.end('{}'));
    try {
      const error = await rejection(new CoderFlowClient({ serverUrl: target.url, apiKey: key }).me());
      observe(`${error.kind}: ${error.message}`);
      const all = everythingIn(error);
      for (const part of [key, key.slice(3, 30), `tail${'e5'.repeat(8)}`]) assert.ok(!all.includes(part), `the error shows ${JSON.stringify(part)}`);
      assert.deepEqual(target.requests, [], 'nothing was sent');
    } finally {
      await target.close();
    }
  });

  it('any thrown error quoting a key, turned into an AuthError → neither its message nor its cause keeps the key', () => {
    const key = `pc_${'ab'.repeat(24)}`;
    const error = toAuthError(new TypeError(`${key} is not a legal HTTP header value`));
    observe(error.message);
    assert.ok(!everythingIn(error).includes(key.slice(3)));
  });

  for (const { prefix, provider } of AI_PROVIDER_PREFIXES) {
    const pasted = `${prefix}${'Q7x'.repeat(12)}`;
    it(`an AI provider's key, ${provider} (${prefix}…), pasted or logged → the page and the host both name ${provider}, the log masks it`, () => {
      const page = keyShapeWarning(keyShape(pasted)) ?? '';
      let host = '';
      try {
        checkApiKeyFormat(pasted);
      } catch (e) {
        host = (e as Error).message;
      }
      const logged = new Redactor().redact(`the person pasted ${pasted} into the form`);
      observe(`page: …(${provider})…; host: ${host}; log: ${logged}`);
      assert.ok(page.includes(`(${provider})`), page);
      assert.ok(host.includes(`(${provider})`), host);
      assert.ok(!logged.includes(pasted.slice(prefix.length)), logged);
    });
  }
});
