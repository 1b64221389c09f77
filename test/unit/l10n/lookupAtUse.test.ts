import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { fromNodeErrorCode, MESSAGES, toAuthError } from '../../../src/core/errors';
import { findJsonError } from '../../../src/core/cliConfig/cliConfigText';
import { expiryText } from '../../../src/shared/keyDates';
import { SCOPES } from '../../../src/services/settingsPolicy';

// The modules above were loaded (as the bundle loads them) before any translation is configured,
// as activation configures @vscode/l10n only once it runs. A text kept in a table built at load
// would stay English; these tables are functions and getters, looked up when a text is shown.
const root = join(__dirname, '..', '..', '..', '..');
const english = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string | { message: string }>;

/** Every text of the bundle, marked: «text». */
function markedBundle(): Record<string, string> {
  return Object.fromEntries(Object.entries(english).map(([key, value]) => [key, `«${typeof value === 'string' ? value : value.message}»`]));
}

describe('texts are looked up in the l10n bundle when used, not when their module loads', () => {
  before(() => l10n.config({ contents: markedBundle() }));
  after(() => l10n.config({ contents: {} }));

  it('AuthError messages and fixes (MESSAGES, Node error codes)', () => {
    assert.equal(MESSAGES.invalidApiKey, '«Invalid API key: the key was deleted, mistyped, or belongs to a deleted user.»');
    assert.equal(toAuthError(Object.assign(new Error('aborted'), { name: 'AbortError' })).message, '«Sign-in was cancelled.»');
    const refused = fromNodeErrorCode('ECONNREFUSED', 'coderflow.example.com');
    assert.equal(refused?.message, '«Nothing is answering at coderflow.example.com (connection refused).»');
    assert.equal(refused?.fix, '«Check the server URL, including the port, and that the CoderFlow server is running.»');
    assert.match(fromNodeErrorCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'h')?.fix ?? '', /^«Set profoundCoder\.tls\.caFile/);
  });

  it("the settings scopes' names, the CLI config's JSON expectations, a key's expiry", () => {
    assert.deepEqual(
      SCOPES.map(([, label]) => label()),
      ['«Workspace Folder settings»', '«Workspace settings»', '«User settings»'],
    );
    assert.equal(findJsonError('{ "a": }')?.expected, '«a value»');
    const now = Date.parse('2026-03-01T00:00:00Z');
    assert.equal(expiryText('2026-03-01T12:00:00Z', now), '«expires in 1 day»');
    assert.equal(expiryText('2026-03-03T12:00:00Z', now), '«expires in 3 days»');
  });

  it('with no bundle (English), the same calls give the English texts with their arguments', () => {
    l10n.config({ contents: {} });
    try {
      assert.equal(MESSAGES.cancelled, 'Sign-in was cancelled.');
      assert.equal(fromNodeErrorCode('ENOTFOUND', 'nowhere.example')?.message, 'The host name nowhere.example could not be found.');
    } finally {
      l10n.config({ contents: markedBundle() });
    }
  });
});
