import assert from 'node:assert/strict';
import { AuthError } from '../../../src/core/errors';
import { errorLogText, errorText, messageOf } from '../../../src/shared/errorText';

describe('An error as text (src/shared/errorText.ts)', () => {
  const refused = new AuthError('invalid-credentials', 'The username or password is wrong.', { fix: 'Check them and try again.', detail: 'HTTP 401' });

  it('gives the message alone, or anything thrown as a string', () => {
    assert.equal(messageOf(refused), 'The username or password is wrong.');
    assert.equal(messageOf('plain text'), 'plain text');
    assert.equal(messageOf(404), '404');
  });

  it('for a person: the message, then the fix when there is one', () => {
    assert.equal(errorText(refused), 'The username or password is wrong. Check them and try again.');
    assert.equal(errorText(new Error('Gone.')), 'Gone.');
    assert.equal(errorText(Object.assign(new Error('Odd.'), { fix: '' })), 'Odd.');
    assert.equal(errorText({ message: 'not an Error', fix: 'ignored' }), '[object Object]');
  });

  it('for the log: the message, then the kind and the detail when there are any', () => {
    assert.equal(errorLogText(refused), 'The username or password is wrong. (invalid-credentials, HTTP 401)');
    assert.equal(errorLogText(new AuthError('network', 'No answer.')), 'No answer. (network)');
    assert.equal(errorLogText(new Error('Plain.')), 'Plain.');
    assert.equal(errorLogText(undefined), 'undefined');
  });
});
