import assert from 'node:assert/strict';
import { findCliConfigPath } from '../../../../src/core/cliConfig/cliConfigPath';

describe('findCliConfigPath', () => {
  const home = '/home/dev';
  it('takes the profoundCoder.cliConfigPath setting first, expanding ~', () => {
    assert.deepEqual(findCliConfigPath({ setting: '~/work/coder.json', env: { CODERFLOW_CONFIG: '/etc/cf.json' }, homedir: home, platform: 'linux' }), {
      path: '/home/dev/work/coder.json',
      from: 'setting',
    });
  });
  it('takes CODERFLOW_CONFIG when the setting is empty', () => {
    assert.deepEqual(findCliConfigPath({ setting: '  ', env: { CODERFLOW_CONFIG: '/etc/cf.json' }, homedir: home, platform: 'linux' }), {
      path: '/etc/cf.json',
      from: 'CODERFLOW_CONFIG',
    });
  });
  it('reads a relative path as relative to the home folder, not to wherever VS Code started', () => {
    assert.equal(findCliConfigPath({ env: { CODERFLOW_CONFIG: 'cf/config.json' }, homedir: home, platform: 'linux' }).path, '/home/dev/cf/config.json');
  });
  it('defaults to ~/.coderflow/config.json', () => {
    assert.deepEqual(findCliConfigPath({ env: {}, homedir: home, platform: 'linux' }), { path: '/home/dev/.coderflow/config.json', from: 'default' });
  });
  it('defaults to %USERPROFILE%\\.coderflow\\config.json on Windows', () => {
    assert.deepEqual(findCliConfigPath({ env: {}, homedir: 'C:\\Users\\dev', platform: 'win32' }), {
      path: 'C:\\Users\\dev\\.coderflow\\config.json',
      from: 'default',
    });
  });
});
