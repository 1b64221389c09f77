import assert from 'node:assert/strict';
import { AuthError, fromNodeErrorCode, isAuthError, toAuthError } from '../../../src/core/errors';

describe('toAuthError', () => {
  it('passes an AuthError through unchanged', () => {
    const error = new AuthError('forbidden', 'no');
    assert.equal(toAuthError(error), error);
  });

  it('reads an abort as a cancel', () => {
    const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    assert.equal(toAuthError(abort).kind, 'cancelled');
  });

  it('recognises Node network and TLS codes, also when wrapped as a cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    assert.equal(toAuthError(refused).kind, 'network');
    const wrapped = new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }) });
    const tls = toAuthError(wrapped);
    assert.equal(tls.kind, 'tls');
    assert.equal(tls.detail, 'CERT_HAS_EXPIRED');
  });

  it('turns anything else into an unexpected-response that keeps the original text', () => {
    const error = toAuthError('boom');
    assert.equal(error.kind, 'unexpected-response');
    assert.match(error.message, /boom/);
  });
});

describe('fromNodeErrorCode', () => {
  const codes: Array<[string, 'network' | 'tls', RegExp]> = [
    ['ECONNREFUSED', 'network', /connection refused/],
    ['ENOTFOUND', 'network', /could not be found/],
    ['ECONNRESET', 'network', /closed before the server answered/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', /self-signed/],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls', /private \(self-signed\) certificate authority/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', /does not trust/],
    ['CERT_HAS_EXPIRED', 'tls', /has expired/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', /different host name/],
  ];
  for (const [code, kind, message] of codes) {
    it(`maps ${code} to '${kind}' with a message and a fix`, () => {
      const error = fromNodeErrorCode(code, 'coderflow.example.com');
      assert.ok(isAuthError(error, kind));
      assert.match(error.message, message);
      assert.match(error.message, /coderflow\.example\.com/);
      assert.ok((error.fix ?? '').length > 10);
      assert.equal(error.detail, code);
    });
  }

  it('leaves unknown codes to the caller', () => {
    assert.equal(fromNodeErrorCode('EWHATEVER', 'h'), undefined);
    assert.equal(fromNodeErrorCode(undefined, 'h'), undefined);
  });
});
