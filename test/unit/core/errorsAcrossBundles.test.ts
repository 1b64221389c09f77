import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { AuthError, isAuthError, toAuthError } from '../../../src/core/errors';

const root = join(__dirname, '../../../..');

type ErrorsModule = typeof import('../../../src/core/errors');

/**
 * src/core/errors.ts bundled on its own, minified, as scripts/build.mjs bundles it into each lazily
 * loaded bundle (dist/keys.js, dist/profileManager.js…): a second copy of the AuthError class.
 */
function bundledCopy(): ErrorsModule {
  const [output] = esbuild.buildSync({
    entryPoints: [join(root, 'src/core/errors.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    write: false,
    logLevel: 'silent',
  }).outputFiles;
  const module = { exports: {} as ErrorsModule };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('module', 'exports', 'require', output.text)(module, module.exports, require);
  return module.exports;
}

describe('AuthError across bundles', () => {
  const lazy = bundledCopy();

  it('is a class of its own in the other bundle (what this test is about)', () => {
    assert.notEqual(lazy.AuthError, AuthError);
  });

  it("recognises a lazily loaded bundle's AuthError here, and passes it through unchanged", () => {
    const error = new lazy.AuthError('invalid-api-key', 'Invalid API key.', { fix: 'Sign in again.' });
    assert.ok(error instanceof AuthError);
    assert.ok(isAuthError(error, 'invalid-api-key'));
    assert.equal(isAuthError(error, 'forbidden'), false);
    // Not re-wrapped as 'unexpected-response': the kind and the fix reach the person.
    assert.equal(toAuthError(error), error);
  });

  it("recognises this bundle's AuthError in the lazily loaded one", () => {
    const error = new AuthError('tls', 'Untrusted certificate.', { detail: 'SELF_SIGNED_CERT_IN_CHAIN' });
    assert.ok(error instanceof lazy.AuthError);
    assert.ok(lazy.isAuthError(error, 'tls'));
    assert.equal(lazy.toAuthError(error), error);
  });

  it('does not take an error that only has the name and kind of an AuthError for one', () => {
    const lookalike = Object.assign(new Error('Forbidden'), { name: 'AuthError', kind: 'forbidden' });
    assert.equal(lookalike instanceof AuthError, false);
    assert.equal(isAuthError(lookalike), false);
    assert.equal(toAuthError(lookalike).kind, 'unexpected-response');
    assert.equal(isAuthError(undefined), false);
  });
});
