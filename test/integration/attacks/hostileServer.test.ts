import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { ProfileMeta } from '../../../src/profiles/profile';
import { hostileServer, longestStall, type HostileServer } from '../../attacks/support';
import { observe } from '../../support/attackTable';
import { api, serverUrl, until } from '../support';

// Servers here are on 127.0.0.2 (the reference server under /cf), where VS Code's network patch is
// in the way as for any real server (it leaves only localhost and 127.0.0.1 alone). What a hostile
// answer costs is measured in the extension host itself, where every extension shares the loop,
// with the clients the extension makes (testing.makeClient).

const MAX_STALL_MS = 50;
/** As in the plain-Node probe: a stall the client causes happens on every try, one the machine causes does not. */
const TRIES = 4;
const SIZE = 1024 * 1024 - 16;

describe('attack: a hostile server, seen from the extension host', function () {
  this.timeout(90_000);
  let profile: ProfileMeta;
  let key: string;

  before(async () => {
    profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: serverUrl(), username: 'alice', password: 'alice-password', profileName: 'Hostile server',
    });
    await vscode.commands.executeCommand('profoundCoder.switchProfile', { profileId: profile.id });
    const credential = await (await api()).testing.credential();
    assert.ok(credential?.apiKey);
    key = credential.apiKey;
  });
  describe('answers made to stall the client', () => {
    let hostile: HostileServer;
    // Encoded once: the server runs in the extension host too, and the probe is for the client's work.
    let answer = Buffer.alloc(0);
    before(async () => {
      hostile = await hostileServer((_req, res) => {
        res.writeHead(500, { 'content-type': 'text/html', 'content-length': answer.length });
        res.end(answer);
      }, '127.0.0.2');
    });
    after(() => hostile.close());

    const bodies: Array<[string, string]> = [
      ['1 MiB of "<"', '<'.repeat(SIZE)],
      ['"<title" repeated to 1 MiB', '<title'.repeat(Math.floor(SIZE / 6))],
      ['"<script" repeated to 1 MiB', '<script'.repeat(Math.floor(SIZE / 7))],
      ['JSON nested 500,000 deep', `${'['.repeat(SIZE / 2)}${']'.repeat(SIZE / 2)}`],
    ];
    for (const [name, body] of bodies) {
      it(`a 500 with ${name} on 127.0.0.2 → the extension host’s event loop never blocked over ${MAX_STALL_MS} ms`, async () => {
        answer = Buffer.from(body);
        const client = (await api()).testing.makeClient(hostile.url, key);
        await client.health().catch(() => undefined);
        const stalls: number[] = [];
        let message = '';
        while (stalls.length < TRIES && !stalls.some((ms) => ms <= MAX_STALL_MS)) {
          stalls.push(await longestStall(() => client.me().catch((e: Error) => (message = e.message))));
        }
        const best = Math.min(...stalls);
        observe(`longest stall ${best.toFixed(1)} ms (tries: ${stalls.map((ms) => ms.toFixed(1)).join(', ')}); ${message.length} characters`);
        assert.ok(best <= MAX_STALL_MS, `blocked for ${stalls.join(', ')} ms`);
        assert.ok(!message.includes(key));
      });
    }
  });

  describe('terminals follow the CLI’s own config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coderflow-terminal-attack-'));
    const cliFile = join(dir, 'config.json');
    const settings = () => vscode.workspace.getConfiguration('profoundCoder');
    const write = (config: unknown) => writeFileSync(cliFile, JSON.stringify(config), { mode: 0o600 });
    const variable = async () => (await api()).testing.environmentVariableCollection.get('CODER_API_KEY')?.value;

    before(async () => {
      // The coder CLI in a new terminal reads CODERFLOW_CONFIG from the environment terminals inherit.
      process.env.CODERFLOW_CONFIG = cliFile;
      write({ activeProfile: 'prod', profiles: { prod: { server: serverUrl() }, staging: { server: 'https://staging.example.com' } } });
      await settings().update('terminal.injectApiKey', true, vscode.ConfigurationTarget.Global);
      await until('new terminals get the key', async () => ((await variable()) === key ? true : undefined), 5000);
    });
    after(async () => {
      await settings().update('terminal.injectApiKey', undefined, vscode.ConfigurationTarget.Global);
      delete process.env.CODERFLOW_CONFIG;
      rmSync(dir, { recursive: true, force: true });
    });

    it('`coder profile switch staging` in a terminal (the CLI config now names another server) → new terminals lose the key within 5 s', async () => {
      const started = Date.now();
      write({ activeProfile: 'staging', profiles: { prod: { server: serverUrl() }, staging: { server: 'https://staging.example.com' } } });
      await until('the key is withdrawn', async () => ((await variable()) === undefined ? true : undefined), 5000);
      observe(`withdrawn after ${Date.now() - started} ms`);
    });

    it('switching back to the profile’s server → the key is given again', async () => {
      write({ activeProfile: 'prod', profiles: { prod: { server: serverUrl() } } });
      await until('the key is back', async () => ((await variable()) === key ? true : undefined), 5000);
      observe('given again');
    });

    it('the CLI’s config deleted → new terminals lose the key', async () => {
      unlinkSync(cliFile);
      await until('the key is withdrawn', async () => ((await variable()) === undefined ? true : undefined), 5000);
      observe('withdrawn');
    });
  });
});
