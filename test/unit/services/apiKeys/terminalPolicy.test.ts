import assert from 'node:assert/strict';
import type { CliConfigState } from '../../../../src/core/cliConfig/cliConfigRead';
import { AuthError } from '../../../../src/core/errors';
import type { Credential } from '../../../../src/core/credentialChain';
import { cliServerOf, decideTerminalKey, type TerminalKeyInputs } from '../../../../src/services/apiKeys/terminalPolicy';

const KEY = `pc_${'9f8e'.repeat(16)}`;
const SERVER = 'https://coderflow.example.com';

const profileCredential: Credential = { serverUrl: SERVER, apiKey: KEY, source: 'profile', detail: "Profile 'work' (Profile Manager)" };
const cli = (config: object): CliConfigState => ({ state: 'ok', path: '/home/alice/.coderflow/config.json', config, raw: JSON.stringify(config) });

function decide(overrides: Partial<TerminalKeyInputs>) {
  return decideTerminalKey({ enabled: true, workspaceTrusted: true, credential: profileCredential, cli: cli({ server: SERVER }), profileName: 'work', ...overrides });
}

describe('CODER_API_KEY for new integrated terminals', () => {
  it('gives the key of the profile in use when the setting is on, and says whose it is', () => {
    const decision = decide({});
    assert.equal(decision.inject, true);
    assert.ok(decision.inject);
    assert.equal(decision.apiKey, KEY);
    assert.equal(decision.description, `CoderFlow: CODER_API_KEY of profile 'work' (${SERVER}), for the coder CLI`);
    assert.ok(!decision.description.includes(KEY));
  });

  const withheld: Array<[string, Partial<TerminalKeyInputs>, RegExp, boolean]> = [
    ['the setting is off (the default)', { enabled: false }, /is off/, false],
    ['nobody is signed in', { credential: undefined }, /Not signed in/, false],
    ['the workspace is not trusted', { workspaceTrusted: false }, /not trusted/, false],
    ['the key comes from the CLI config, which the CLI reads itself', { credential: { ...profileCredential, source: 'cli-profile' } }, /CLI reads itself/, false],
    ['the key is CODER_API_KEY already', { credential: { ...profileCredential, source: 'cli-env' } }, /CLI reads itself/, false],
    [
      'the CLI config sends the CLI to another server',
      { cli: cli({ activeProfile: 'prod', profiles: { prod: { server: 'https://elsewhere.example.com' } } }) },
      /points to https:\/\/elsewhere\.example\.com, not to https:\/\/coderflow\.example\.com/,
      true,
    ],
    ['the CLI config is missing (the CLI’s server is unknown)', { cli: { state: 'missing', path: '/home/alice/.coderflow/config.json' } }, /does not exist \(\/home\/alice\/\.coderflow\/config\.json\)/, true],
    ['the CLI config cannot be read', { cli: { state: 'error', path: '/x', error: new AuthError('bad-input', 'not JSON') } }, /cannot be read/, true],
    ['the CLI config has not been read yet', { cli: undefined }, /not been read yet/, false],
  ];
  for (const [when, inputs, reason, notify] of withheld) {
    it(`gives nothing when ${when}`, () => {
      const decision = decide(inputs);
      assert.equal(decision.inject, false);
      assert.ok(!decision.inject);
      assert.match(decision.reason, reason);
      assert.equal(decision.notify, notify);
    });
  }

  it('gives the key when the CLI config names the same server, or none', () => {
    assert.equal(decide({ cli: cli({ server: `${SERVER}/` }) }).inject, true);
    assert.equal(decide({ cli: cli({ server: 'https://other.example.com', activeProfile: 'p', profiles: { p: { server: SERVER } } }) }).inject, true);
    assert.equal(decide({ cli: cli({ profiles: { p: { server: 'https://other.example.com' } } }) }).inject, true, 'an inactive CLI profile does not count');
    assert.equal(decide({ cli: cli({}) }).inject, true);
    assert.equal(decide({ credential: { ...profileCredential, source: 'setting' }, profileName: undefined }).inject, true);
  });

  it('reads the CLI’s server as the CLI does: the active profile’s, else the base one', () => {
    assert.equal(cliServerOf(cli({ server: 'https://base.example.com', activeProfile: 'a', profiles: { a: { server: 'https://a.example.com' } } })), 'https://a.example.com');
    assert.equal(cliServerOf(cli({ server: 'https://base.example.com', activeProfile: 'a', profiles: { a: {} } })), 'https://base.example.com');
    assert.equal(cliServerOf(cli({ server: 'https://base.example.com', activeProfile: 'missing' })), 'https://base.example.com');
    assert.equal(cliServerOf(cli({})), undefined);
    assert.equal(cliServerOf(undefined), undefined);
  });
});
