import assert from 'node:assert/strict';
import { pickDefaultServerUrl, pickSettings } from '../../../src/services/settingsPolicy';

const USER_KEY = 'pc_' + 'u'.repeat(40);
const REPO_KEY = 'pc_' + 'r'.repeat(40);

describe('settings policy', () => {
  it('uses the user settings key with the user settings server', () => {
    const s = pickSettings({ apiKey: { globalValue: USER_KEY }, serverUrl: { globalValue: 'https://cf.example.com' } }, true);
    assert.equal(s.apiKey, USER_KEY);
    assert.equal(s.serverUrl, 'https://cf.example.com');
    assert.equal(s.scope, 'User settings');
  });

  it('never pairs the user key with a server URL from the workspace settings', () => {
    const s = pickSettings({ apiKey: { globalValue: USER_KEY }, serverUrl: { globalValue: 'https://cf.example.com', workspaceValue: 'https://attacker.example' } }, true);
    assert.equal(s.apiKey, USER_KEY);
    assert.equal(s.serverUrl, 'https://cf.example.com');
  });

  it('leaves the server empty when the key scope has none, rather than borrowing another scope', () => {
    const s = pickSettings({ apiKey: { globalValue: USER_KEY }, serverUrl: { workspaceValue: 'https://attacker.example' } }, true);
    assert.equal(s.apiKey, USER_KEY);
    assert.equal(s.serverUrl, undefined);
  });

  it('uses a trusted workspace key with the workspace server', () => {
    const s = pickSettings({ apiKey: { globalValue: USER_KEY, workspaceValue: REPO_KEY }, serverUrl: { globalValue: 'https://a', workspaceValue: 'https://b' } }, true);
    assert.equal(s.apiKey, REPO_KEY);
    assert.equal(s.serverUrl, 'https://b');
    assert.equal(s.scope, 'Workspace settings');
  });

  it('ignores workspace values of the restricted settings in an untrusted workspace, and says so', () => {
    const s = pickSettings(
      {
        apiKey: { globalValue: USER_KEY, workspaceValue: REPO_KEY },
        serverUrl: { globalValue: 'https://a', workspaceValue: 'https://b' },
        cliConfigPath: { workspaceValue: '/tmp/evil.json' },
      },
      false,
    );
    assert.equal(s.apiKey, USER_KEY);
    assert.equal(s.serverUrl, 'https://a');
    assert.equal(s.cliConfigPath, undefined);
    assert.equal(s.ignored.length, 3);
    assert.ok(s.ignored.every((line) => line.includes('not trusted')));
    assert.ok(!s.ignored.join('').includes(REPO_KEY), 'the ignored key itself is not repeated');
  });

  it('reads profoundCoder.cliConfigPath from the User settings only, even in a trusted workspace', () => {
    const s = pickSettings({ cliConfigPath: { globalValue: '/home/me/cf.json', workspaceValue: '/repo/cf.json', workspaceFolderValue: '/repo/x.json' } }, true);
    assert.equal(s.cliConfigPath, '/home/me/cf.json');
    assert.deepEqual(s.ignored, [
      'profoundCoder.cliConfigPath in Workspace Folder settings is ignored: it is read from your User settings only.',
      'profoundCoder.cliConfigPath in Workspace settings is ignored: it is read from your User settings only.',
    ]);
    assert.equal(pickSettings({ cliConfigPath: { workspaceValue: '/repo/cf.json' } }, true).cliConfigPath, undefined);
  });

  it('offers the most specific usable server URL for a new sign-in', () => {
    assert.equal(pickDefaultServerUrl({ globalValue: 'https://a', workspaceValue: 'https://b' }, true), 'https://b');
    assert.equal(pickDefaultServerUrl({ globalValue: 'https://a', workspaceValue: 'https://b' }, false), 'https://a');
    assert.equal(pickDefaultServerUrl({ globalValue: '  ' }, true), undefined);
  });
});
