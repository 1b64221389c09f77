import * as assert from 'node:assert/strict';
import vscode = require('vscode');
import type { CoderFlowApi } from '../../src/api';
import { RESTRICTED_WORKSPACE_SETTINGS } from './restrictedSettings';

// Runs in a folder left untrusted (Restricted Mode) whose .vscode/settings.json carries a key, a
// server URL and a CLI config path: what a cloned repository you did not write could carry.
describe('An untrusted workspace (Restricted Mode)', () => {
  it('is untrusted, and the extension still activates', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const extension = vscode.extensions.getExtension<CoderFlowApi>('profoundlogic.coderflow-vscode');
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('ignores the workspace values of apiKey, serverUrl and cliConfigPath, and says so', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')));
    assert.ok(file.includes(RESTRICTED_WORKSPACE_SETTINGS['profoundCoder.apiKey']), 'the workspace does carry a key');
    const report = await vscode.commands.executeCommand<{ credential?: { source: string; serverUrl: string }; ignoredSettings: string[] }>(
      'profoundCoder.showCredentialSource',
      { quiet: true },
    );
    for (const name of ['profoundCoder.apiKey', 'profoundCoder.serverUrl', 'profoundCoder.cliConfigPath']) {
      assert.ok(report.ignoredSettings.some((line) => line.startsWith(name) && line.includes('not trusted')), `${name} is reported as ignored`);
    }
    assert.notEqual(report.credential?.source, 'setting');
  });

  it('never uses the workspace key or sends anything to the workspace server', async () => {
    const api = await vscode.extensions.getExtension<CoderFlowApi>('profoundlogic.coderflow-vscode')?.activate();
    const credential = await api?.testing?.credential();
    assert.notEqual(credential?.apiKey, RESTRICTED_WORKSPACE_SETTINGS['profoundCoder.apiKey']);
    assert.notEqual(credential?.serverUrl, RESTRICTED_WORKSPACE_SETTINGS['profoundCoder.serverUrl']);
  });
});
