import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { type ReferenceServer, completeSsoLogin, startServer } from '../../server';
import { httpRequest } from '../../server/httpClient';
import { alice } from './helpers';

describe('reference server: self-signed TLS mode', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ tls: true, pollIntervalSeconds: 1 });
  });
  after(() => server.stop());

  it('serves https with a certificate for 127.0.0.1 and localhost, exposed as caPem', () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.caPem);
    const certificate = new X509Certificate(server.caPem);
    assert.ok(certificate.checkIP('127.0.0.1'));
    assert.ok(certificate.checkHost('localhost'));
  });

  it('answers a client that trusts caPem', async () => {
    const answer = await httpRequest(`${server.url}/health`, { ca: server.caPem });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { status: 'ok' });
  });

  it('is refused by a client that does not trust it', async () => {
    await assert.rejects(httpRequest(`${server.url}/health`), (error: NodeJS.ErrnoException) => {
      assert.match(String(error.code), /SELF_SIGNED|UNABLE_TO_VERIFY/);
      return true;
    });
    await assert.rejects(fetch(`${server.url}/health`), (error: Error) => {
      assert.match(String((error.cause as NodeJS.ErrnoException | undefined)?.code), /SELF_SIGNED|UNABLE_TO_VERIFY/);
      return true;
    });
  });

  it('completes the SSO round trip over https', async () => {
    // Global fetch cannot be told to trust caPem, hence httpRequest.
    const started = await httpRequest(`${server.url}/auth/sso/device`, { method: 'POST', ca: server.caPem, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const code = JSON.parse(started.body) as { deviceCode: string; userCode: string; verificationUri: string };
    assert.ok(code.verificationUri.startsWith('https://'));
    await completeSsoLogin(code.verificationUri, code.userCode, alice);
    const token = await httpRequest(`${server.url}/auth/sso/token`, {
      method: 'POST', ca: server.caPem, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ deviceCode: code.deviceCode }),
    });
    assert.equal(token.status, 200, token.body);
    assert.equal(JSON.parse(token.body).user.username, 'alice');
  });
});
