import assert from 'node:assert/strict';
import { availableFlows } from '../../../src/shared/availableFlows';
import type { SignInMethod } from '../../../src/shared/signInMethod';

describe('availableFlows: the sign-in methods offered for a server', () => {
  // Every combination of the probe's three answers. Unreachable ones carry both flags so that a
  // server that did not answer can be seen not to have its (stale) flags read.
  const cases: Array<[reachable: boolean, ssoEnabled: boolean, passwordLoginEnabled: boolean, SignInMethod[]]> = [
    [true, true, true, ['password', 'sso', 'apiKey']],
    [true, true, false, ['sso', 'apiKey']],
    [true, false, true, ['password', 'apiKey']],
    [true, false, false, ['apiKey']],
    [false, true, true, ['password', 'apiKey']],
    [false, true, false, ['password', 'apiKey']],
    [false, false, true, ['password', 'apiKey']],
    [false, false, false, ['password', 'apiKey']],
  ];
  for (const [reachable, ssoEnabled, passwordLoginEnabled, expected] of cases) {
    it(`${reachable ? 'reachable' : 'unreachable'}, SSO ${ssoEnabled ? 'on' : 'off'}, password login ${passwordLoginEnabled ? 'on' : 'off'}: ${expected.join(', ')}`, () => {
      assert.deepEqual(availableFlows({ reachable, ssoEnabled, passwordLoginEnabled }), expected);
    });
  }

  it('gives each caller its own list', () => {
    const first = availableFlows({ reachable: true, ssoEnabled: true, passwordLoginEnabled: true });
    first.pop();
    assert.deepEqual(availableFlows({ reachable: true, ssoEnabled: true, passwordLoginEnabled: true }), ['password', 'sso', 'apiKey']);
  });
});
