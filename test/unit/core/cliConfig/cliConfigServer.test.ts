import assert from 'node:assert/strict';
import { AuthError } from '../../../../src/core/errors';
import type { CliConfigState } from '../../../../src/core/cliConfig/cliConfigRead';
import type { CliConfig } from '../../../../src/core/cliConfig/cliConfigSchema';
import { cliConfigServer } from '../../../../src/core/credentialChain';

// The server the Profile Manager offers from the CoderFlow CLI config: the chain's rule, with or
// without a key.
const FILE = '/home/dev/.coderflow/config.json';
const cli = (config: CliConfig): CliConfigState => ({ state: 'ok', path: FILE, config, raw: JSON.stringify(config) });
const config = cli({
  server: 'https://base.example.com',
  activeProfile: 'production',
  profiles: {
    production: { server: 'https://prod.example.com' },
    staging: { server: 'https://staging.example.com', apiKey: 'pc_staging' },
    keyOnly: { apiKey: 'pc_keyonly' },
  },
});

describe('cliConfigServer', () => {
  it("is the active profile's server, even when that profile holds no key", () => {
    assert.equal(cliConfigServer(config), 'https://prod.example.com');
  });

  it('follows profoundCoder.cliProfile over the active profile', () => {
    assert.equal(cliConfigServer(config, 'staging'), 'https://staging.example.com');
  });

  it("falls back to the base server for a profile without one, or one that does not exist", () => {
    assert.equal(cliConfigServer(config, 'keyOnly'), 'https://base.example.com');
    assert.equal(cliConfigServer(config, 'nope'), 'https://base.example.com');
    assert.equal(cliConfigServer(cli({ server: 'https://base.example.com' })), 'https://base.example.com');
  });

  it('is nothing without a readable config or a server in it', () => {
    assert.equal(cliConfigServer(undefined), undefined);
    assert.equal(cliConfigServer({ state: 'missing', path: FILE }), undefined);
    assert.equal(cliConfigServer({ state: 'error', path: FILE, error: new AuthError('bad-input', 'not JSON') }), undefined);
    assert.equal(cliConfigServer(cli({ profiles: { a: { apiKey: 'pc_a' } }, activeProfile: 'a' })), undefined);
  });
});
