import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vscode = require('vscode');
import { EXTENSION_ID, serverUrl, until } from './support';

// The public names other extensions and users rely on; the manifest must keep them.
const PUBLIC_COMMANDS = [
  'profoundCoder.openProfileManager',
  'profoundCoder.signIn',
  'profoundCoder.signInWithSso',
  'profoundCoder.signInWithApiKey',
  'profoundCoder.switchProfile',
  'profoundCoder.signOut',
  'profoundCoder.showCredentialSource',
  'profoundCoder.testConnection',
  'profoundCoder.forgetTrustedCertificates',
  'profoundCoder.manageApiKeys',
  'profoundCoder.rotateApiKey',
];
const EXPECTED_SCOPES: Record<string, string> = {
  'profoundCoder.serverUrl': 'resource',
  'profoundCoder.apiKey': 'resource',
  'profoundCoder.cliConfigPath': 'application',
  'profoundCoder.cliProfile': 'window',
  'profoundCoder.tls.caFile': 'application',
  'profoundCoder.tls.insecure': 'application',
  'profoundCoder.terminal.injectApiKey': 'application',
};

interface ManifestSetting {
  default: unknown;
  scope?: string;
}
interface Manifest {
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, ManifestSetting> };
  };
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is not loaded in this extension host`);
  return found;
}

/** The manifest as written in the repository, not as VS Code reports it back. */
function manifest(): Manifest {
  return JSON.parse(readFileSync(join(extension().extensionPath, 'package.json'), 'utf8')) as Manifest;
}

describe('CoderFlow in a real VS Code extension host', () => {
  it('activates on its own once VS Code has started', async () => {
    const ext = extension();
    await until('the extension activates on its own after startup', () => (ext.isActive ? true : undefined), 20_000);
  });

  it('declares every public command in its manifest', () => {
    const declared = manifest().contributes.commands.map((entry) => entry.command);
    assert.deepEqual(PUBLIC_COMMANDS.filter((id) => !declared.includes(id)), []);
  });

  it('registers every command the manifest contributes', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const declared = manifest().contributes.commands.map((entry) => entry.command);
    assert.ok(declared.length > 0);
    assert.deepEqual(declared.filter((id) => !registered.has(id)), []);
  });

  it('gives every contributed setting its declared default', () => {
    const settings = Object.entries(manifest().contributes.configuration.properties);
    assert.deepEqual(settings.map(([key]) => key).sort(), Object.keys(EXPECTED_SCOPES).sort());
    const configuration = vscode.workspace.getConfiguration();
    for (const [key, declared] of settings) {
      const inspected = configuration.inspect(key);
      assert.ok(inspected, `VS Code does not know the setting ${key}`);
      assert.deepEqual(inspected.defaultValue, declared.default, `default of ${key}`);
      assert.deepEqual(configuration.get(key), declared.default, `value of ${key} in a fresh workspace`);
    }
  });

  it('declares each setting with the scope the design gives it', () => {
    const properties = manifest().contributes.configuration.properties;
    for (const [key, scope] of Object.entries(EXPECTED_SCOPES)) {
      assert.equal(properties[key]?.scope, scope, `scope of ${key}`);
    }
  });

  it('refuses workspace values for the application-scoped TLS settings', async () => {
    const configuration = vscode.workspace.getConfiguration('profoundCoder');
    await assert.rejects(
      Promise.resolve(configuration.update('tls.insecure', true, vscode.ConfigurationTarget.Workspace)),
      /User settings|application/i,
    );
    await assert.rejects(
      Promise.resolve(configuration.update('tls.caFile', '/tmp/ca.pem', vscode.ConfigurationTarget.Workspace)),
      /User settings|application/i,
    );
    assert.equal(vscode.workspace.getConfiguration('profoundCoder').inspect('tls.insecure')?.workspaceValue, undefined);
  });

  it('accepts workspace values for the settings a workspace may carry', async () => {
    const configuration = vscode.workspace.getConfiguration('profoundCoder');
    try {
      await configuration.update('serverUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Workspace);
      assert.equal(vscode.workspace.getConfiguration('profoundCoder').inspect('serverUrl')?.workspaceValue, 'http://127.0.0.1:9');
    } finally {
      await configuration.update('serverUrl', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("takes profoundCoder.apiKey with the server URL of its scope, and an empty workspace value hides the user's, as VS Code applies settings", async () => {
    const configuration = () => vscode.workspace.getConfiguration('profoundCoder');
    const settingReason = async () => {
      const report = await vscode.commands.executeCommand<{ considered: { source: string; reason: string }[] }>('profoundCoder.showCredentialSource', { quiet: true });
      return report.considered.find((c) => c.source === 'setting')?.reason;
    };
    try {
      await configuration().update('serverUrl', serverUrl(), vscode.ConfigurationTarget.Global);
      await configuration().update('apiKey', `pc_${'k'.repeat(24)}`, vscode.ConfigurationTarget.Global);
      await until('the key in User settings is considered', async () => ((await settingReason())?.includes('(User settings)') ? true : undefined));
      await configuration().update('apiKey', '', vscode.ConfigurationTarget.Workspace);
      await until('the empty workspace value hides it', async () => ((await settingReason())?.startsWith('profoundCoder.apiKey is not set') ? true : undefined));
    } finally {
      await configuration().update('apiKey', undefined, vscode.ConfigurationTarget.Workspace);
      await configuration().update('apiKey', undefined, vscode.ConfigurationTarget.Global);
      await configuration().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
