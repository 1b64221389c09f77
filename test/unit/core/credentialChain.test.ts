import assert from 'node:assert/strict';
import { AuthError } from '../../../src/core/errors';
import type { CliConfig } from '../../../src/core/cliConfig/cliConfigSchema';
import type { CliConfigState } from '../../../src/core/cliConfig/cliConfigRead';
import { resolve, type CredentialSource, type ResolveInputs } from '../../../src/core/credentialChain';

const HOME = '/home/dev';
const FILE = '/home/dev/.coderflow/config.json';

const cli = (config: CliConfig): CliConfigState => ({ state: 'ok', path: FILE, config, raw: JSON.stringify(config) });
const missing: CliConfigState = { state: 'missing', path: FILE };
const broken: CliConfigState = {
  state: 'error',
  path: FILE,
  error: new AuthError('bad-input', `The CoderFlow CLI config ${FILE} is not valid JSON at line 3, column 5: expected ',' or '}'.`),
  line: 3,
  column: 5,
};

const profile = { id: 'p1', name: 'Work', serverUrl: 'https://work.example.com', apiKey: 'pc_profile' };
const fullCli = cli({
  server: 'https://base.example.com',
  apiKey: 'pc_base',
  activeProfile: 'production',
  profiles: {
    production: { server: 'https://prod.example.com', apiKey: 'pc_prod' },
    staging: { server: 'https://staging.example.com' },
    keyOnly: { apiKey: 'pc_keyonly' },
  },
});
const settings = { serverUrl: 'https://settings.example.com/', apiKey: 'pc_setting', scope: 'User settings' };

interface Row {
  name: string;
  inputs: Omit<ResolveInputs, 'homedir'>;
  expect: { source: CredentialSource; serverUrl: string; apiKey: string; detail: RegExp } | undefined;
  /** Reasons the skipped sources must give. */
  reasons?: Partial<Record<CredentialSource, RegExp>>;
}

const rows: Row[] = [
  {
    name: 'the Profile Manager profile wins over everything else',
    inputs: { profile, env: { CODER_API_KEY: 'pc_env' }, cli: fullCli, settings },
    expect: { source: 'profile', serverUrl: 'https://work.example.com', apiKey: 'pc_profile', detail: /^Profile 'Work'/ },
    reasons: { 'cli-env': /CODER_API_KEY .*has a key too, but the key from Profile Manager comes first/, setting: /comes first/ },
  },
  {
    name: 'a profile without a key (signed out) falls through to the CLI config',
    inputs: { profile: { ...profile, apiKey: undefined }, env: {}, cli: fullCli, settings },
    expect: { source: 'cli-profile', serverUrl: 'https://prod.example.com', apiKey: 'pc_prod', detail: /CLI profile 'production' in ~\/\.coderflow\/config\.json/ },
    reasons: { profile: /no key in secure storage/ },
  },
  {
    name: 'CODER_API_KEY comes before the CLI profile, with the active profile\'s server',
    inputs: { env: { CODER_API_KEY: ' pc_env ' }, cli: fullCli, settings },
    expect: { source: 'cli-env', serverUrl: 'https://prod.example.com', apiKey: 'pc_env', detail: /CODER_API_KEY with the server of CLI profile 'production'/ },
    reasons: { 'cli-profile': /comes first/, profile: /No profile is chosen/ },
  },
  {
    name: 'CODER_API_KEY with no config file is not paired with a server from elsewhere',
    inputs: { env: { CODER_API_KEY: 'pc_env' }, cli: missing, settings: {} },
    expect: undefined,
    reasons: { 'cli-env': /CODER_API_KEY is set, but .*no CoderFlow CLI config at ~\/\.coderflow\/config\.json/ },
  },
  {
    name: 'CODER_API_KEY with no config file leaves the settings in charge',
    inputs: { env: { CODER_API_KEY: 'pc_env' }, cli: missing, settings },
    expect: { source: 'setting', serverUrl: 'https://settings.example.com', apiKey: 'pc_setting', detail: /profoundCoder\.serverUrl and profoundCoder\.apiKey \(User settings\)/ },
  },
  {
    name: 'CODER_API_KEY takes the base server when no profile is active',
    inputs: { env: { CODER_API_KEY: 'pc_env' }, cli: cli({ server: 'https://base.example.com' }), settings: {} },
    expect: { source: 'cli-env', serverUrl: 'https://base.example.com', apiKey: 'pc_env', detail: /the CLI config ~\/\.coderflow\/config\.json/ },
  },
  {
    name: 'CODER_API_KEY with a config that has no server at all is skipped',
    inputs: { env: { CODER_API_KEY: 'pc_env' }, cli: cli({ apiKey: 'pc_base' }), settings: {} },
    expect: undefined,
    reasons: { 'cli-env': /CODER_API_KEY is set, but the CLI config .* has no server URL/, 'cli-base': /has no server URL/ },
  },
  {
    name: 'the active CLI profile gives both its server and its key',
    inputs: { env: {}, cli: fullCli, settings },
    expect: { source: 'cli-profile', serverUrl: 'https://prod.example.com', apiKey: 'pc_prod', detail: /CLI profile 'production'/ },
    reasons: { 'cli-base': /has a key too, but the key from CoderFlow CLI profile comes first/, 'cli-env': /not set/ },
  },
  {
    name: 'profoundCoder.cliProfile overrides the CLI\'s activeProfile',
    inputs: { env: {}, cli: fullCli, cliProfile: 'keyOnly', settings },
    expect: { source: 'cli-profile', serverUrl: 'https://base.example.com', apiKey: 'pc_keyonly', detail: /CLI profile 'keyOnly'/ },
  },
  {
    name: 'a CLI profile without a key falls back to the base key, keeping its own server',
    inputs: { env: {}, cli: fullCli, cliProfile: 'staging', settings },
    expect: { source: 'cli-base', serverUrl: 'https://staging.example.com', apiKey: 'pc_base', detail: /base apiKey .*\(CLI profile 'staging' has no apiKey\)/ },
    reasons: { 'cli-profile': /CLI profile 'staging' in .* has no apiKey/ },
  },
  {
    name: 'an active profile that does not exist falls back to the base',
    inputs: { env: {}, cli: cli({ server: 'https://base.example.com', apiKey: 'pc_base', activeProfile: 'gone', profiles: {} }), settings },
    expect: { source: 'cli-base', serverUrl: 'https://base.example.com', apiKey: 'pc_base', detail: /CLI profile 'gone' \(named by activeProfile\) does not exist/ },
    reasons: { 'cli-profile': /CLI profile 'gone' \(named by activeProfile\) does not exist/ },
  },
  {
    name: 'a configured CLI profile that does not exist says the setting named it',
    inputs: { env: {}, cli: cli({ activeProfile: 'production', profiles: { production: { server: 'https://prod.example.com', apiKey: 'pc_prod' } } }), cliProfile: 'prdo', settings: {} },
    expect: undefined,
    reasons: { 'cli-profile': /'prdo' \(named by profoundCoder\.cliProfile\) does not exist/, 'cli-base': /no base apiKey/ },
  },
  {
    name: 'a base-only CLI config is used when no profile is active',
    inputs: { env: {}, cli: cli({ server: 'https://base.example.com/coderflow/', apiKey: 'pc_base' }), settings },
    expect: { source: 'cli-base', serverUrl: 'https://base.example.com/coderflow', apiKey: 'pc_base', detail: /^The base apiKey of the CLI config ~\/\.coderflow\/config\.json$/ },
    reasons: { 'cli-profile': /No CLI profile is active/ },
  },
  {
    name: 'the CLI config takes priority over the settings when both are present (docs)',
    inputs: { env: {}, cli: cli({ server: 'https://base.example.com', apiKey: 'pc_base' }), settings },
    expect: { source: 'cli-base', serverUrl: 'https://base.example.com', apiKey: 'pc_base', detail: /CLI config/ },
    reasons: { setting: /has a key too, but the key from CoderFlow CLI config comes first/ },
  },
  {
    name: 'settings only',
    inputs: { env: {}, cli: missing, settings },
    expect: { source: 'setting', serverUrl: 'https://settings.example.com', apiKey: 'pc_setting', detail: /User settings/ },
    reasons: { 'cli-profile': /no CoderFlow CLI config/, 'cli-base': /no CoderFlow CLI config/ },
  },
  {
    name: 'a settings key without a settings server URL is not used',
    inputs: { env: {}, cli: missing, settings: { apiKey: 'pc_setting', scope: 'Workspace settings' } },
    expect: undefined,
    reasons: { setting: /profoundCoder\.apiKey is set, but profoundCoder\.serverUrl is not \(Workspace settings\)/ },
  },
  {
    name: 'an unparsable CLI config is skipped with its parse error, and the settings are used',
    inputs: { env: {}, cli: broken, settings },
    expect: { source: 'setting', serverUrl: 'https://settings.example.com', apiKey: 'pc_setting', detail: /settings/ },
    reasons: { 'cli-profile': /line 3, column 5/, 'cli-base': /line 3, column 5/ },
  },
  {
    name: 'a CLI config not read at all is said so',
    inputs: { env: {}, cli: undefined, settings: {} },
    expect: undefined,
    reasons: { 'cli-base': /not read/ },
  },
  {
    name: 'a profile with an unusable server URL is skipped with the reason',
    inputs: { profile: { ...profile, serverUrl: 'ftp://work.example.com' }, env: {}, cli: missing, settings },
    expect: { source: 'setting', serverUrl: 'https://settings.example.com', apiKey: 'pc_setting', detail: /settings/ },
    reasons: { profile: /server URL of profile 'Work' is unusable.*https:\/\/ or http:\/\// },
  },
  {
    name: 'blank values count as absent',
    inputs: { profile: { ...profile, apiKey: '  ' }, env: { CODER_API_KEY: ' ' }, cli: cli({ server: ' ', apiKey: '' }), settings: { serverUrl: ' ', apiKey: ' ' } },
    expect: undefined,
    reasons: { 'cli-env': /not set/, setting: /profoundCoder\.apiKey is not set/ },
  },
  {
    name: 'nothing at all',
    inputs: { env: {}, cli: missing, settings: {} },
    expect: undefined,
    reasons: { profile: /No profile is chosen/, 'cli-env': /CODER_API_KEY is not set/, 'cli-profile': /no CoderFlow CLI config/, setting: /profoundCoder\.apiKey is not set/ },
  },
];

describe('resolve(): the credential chain', () => {
  for (const row of rows) {
    it(row.name, () => {
      const result = resolve({ ...row.inputs, homedir: HOME });
      assert.deepEqual(
        result.considered.map((c) => c.source),
        ['profile', 'cli-env', 'cli-profile', 'cli-base', 'setting'],
        'every source is accounted for, in order of priority',
      );
      if (row.expect === undefined) {
        assert.equal(result.credential, undefined);
        assert.ok(result.considered.every((c) => !c.used));
      } else {
        const { credential } = result;
        assert.ok(credential, `expected a credential from ${row.expect.source}: ${JSON.stringify(result.considered)}`);
        assert.equal(credential.source, row.expect.source);
        assert.equal(credential.serverUrl, row.expect.serverUrl);
        assert.equal(credential.apiKey, row.expect.apiKey);
        assert.match(credential.detail, row.expect.detail);
        assert.deepEqual(result.considered.filter((c) => c.used).map((c) => c.source), [row.expect.source]);
      }
      for (const [source, reason] of Object.entries(row.reasons ?? {})) {
        const entry = result.considered.find((c) => c.source === source);
        assert.ok(entry && !entry.used, `${source} is skipped`);
        assert.match(entry.reason, reason);
      }
      for (const entry of result.considered) {
        assert.ok(!/pc_\w/.test(entry.reason), `a reason never shows a key: ${entry.reason}`);
      }
    });
  }

  it('is pure: the same inputs give the same answer and are not changed', () => {
    const inputs: ResolveInputs = { profile, env: { CODER_API_KEY: 'pc_env' }, cli: fullCli, settings, homedir: HOME };
    const before = JSON.stringify(inputs);
    assert.deepEqual(resolve(inputs), resolve(inputs));
    assert.equal(JSON.stringify(inputs), before);
  });
});
