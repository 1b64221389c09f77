import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoderFlowClient } from '../../../../src/core/http/client';
import { AuthError } from '../../../../src/core/errors';
import { ProfileStore } from '../../../../src/profiles/store';
import {
  checkCliProfileName,
  cliProfileCredential,
  cliSaveEffect,
  importCliProfile,
  saveToCliProfile,
  suggestCliProfileName,
} from '../../../../src/services/apiKeys/cliSharing';
import { SignInService } from '../../../../src/services/signInService';
import { startServer, type ReferenceServer } from '../../../server';
import { MemoryMemento, MemorySecrets } from '../../profiles/memoryStorage';

const KEY = `pc_${'1a2b'.repeat(16)}`;

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AuthError, String(e));
    return e;
  }
  assert.fail('expected a rejection');
}

describe('Sharing keys with the CoderFlow CLI', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coderflow-keys-cli-'));
    file = join(dir, 'config.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  describe('Save to CLI profile', () => {
    it('writes the server and key into the named CLI profile, keeps every other field and the layout, mode 0600', async () => {
      const before = {
        server: 'https://base.example.com',
        apiKey: 'pc_base_key_0000',
        activeProfile: 'staging',
        telemetry: { enabled: false },
        profiles: {
          staging: { server: 'https://staging.example.com', apiKey: 'pc_staging_0000', default_environment: 'webapp' },
          work: { default_environment: 'api', color: 'blue' },
        },
      };
      await writeFile(file, `${JSON.stringify(before, null, 4)}\n`, { mode: 0o644 });
      await saveToCliProfile(file, 'work', { serverUrl: 'https://coderflow.example.com', apiKey: KEY });
      const text = await readFile(file, 'utf8');
      const after = JSON.parse(text) as typeof before;
      assert.deepEqual(after.profiles.work, { default_environment: 'api', color: 'blue', server: 'https://coderflow.example.com', apiKey: KEY });
      assert.deepEqual({ ...after, profiles: { ...after.profiles, work: before.profiles.work } }, before, 'nothing else changed');
      assert.match(text, /^\{\n {4}"server"/, 'the file keeps its four-space indent');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
    });

    it('creates the file, and its folder, when there is none', async () => {
      const nested = join(dir, 'new', 'config.json');
      await saveToCliProfile(nested, 'production', { serverUrl: 'https://coderflow.example.com', apiKey: KEY });
      assert.deepEqual(JSON.parse(await readFile(nested, 'utf8')), { profiles: { production: { server: 'https://coderflow.example.com', apiKey: KEY } } });
      assert.equal((await stat(nested)).mode & 0o777, 0o600);
    });

    it('never overwrites a file that does not parse, and says where it breaks', async () => {
      const broken = '{\n  "server": "https://base.example.com",\n  "profiles": { "a": { "apiKey": "pc_x" }, }\n}\n';
      await writeFile(file, broken, { mode: 0o600 });
      const error = await rejection(saveToCliProfile(file, 'work', { serverUrl: 'https://coderflow.example.com', apiKey: KEY }));
      assert.match(error.message, /is not valid JSON at line 3, column \d+/);
      assert.match(error.message, /It was not changed\./);
      assert.equal(await readFile(file, 'utf8'), broken, 'the file is as it was');
      assert.ok(!error.message.includes(KEY));
    });

    it('refuses a CLI profile name the CLI could not be given on its command line', async () => {
      assert.deepEqual(checkCliProfileName('  production '), { ok: true, name: 'production' });
      assert.equal(checkCliProfileName('').ok, false);
      assert.equal(checkCliProfileName('my laptop').ok, false);
      assert.equal(checkCliProfileName('x'.repeat(101)).ok, false);
      await assert.rejects(saveToCliProfile(file, 'my laptop', { serverUrl: 'https://a.example.com', apiKey: KEY }), /no spaces/);
      assert.equal(suggestCliProfileName(' IT  password '), 'IT-password');
    });

    it('tells a new or identical CLI profile from one whose key or server would be replaced', () => {
      const config = {
        profiles: {
          same: { server: 'https://coderflow.example.com/', apiKey: KEY },
          serverOnly: { server: 'https://coderflow.example.com' },
          otherKey: { server: 'https://coderflow.example.com', apiKey: 'pc_other' },
          otherServer: { server: 'https://elsewhere.example.com' },
          empty: {},
        },
      };
      const values = { serverUrl: 'https://coderflow.example.com', apiKey: KEY };
      assert.deepEqual(cliSaveEffect(config, 'missing', values), { kind: 'new' });
      assert.deepEqual(cliSaveEffect(undefined, 'missing', values), { kind: 'new' });
      assert.deepEqual(cliSaveEffect(config, 'empty', values), { kind: 'new' });
      assert.deepEqual(cliSaveEffect(config, 'same', values), { kind: 'same' });
      assert.deepEqual(cliSaveEffect(config, 'serverOnly', values), { kind: 'same' });
      assert.deepEqual(cliSaveEffect(config, 'otherKey', values), { kind: 'replaces', server: 'https://coderflow.example.com', hasKey: true });
      assert.deepEqual(cliSaveEffect(config, 'otherServer', values), { kind: 'replaces', server: 'https://elsewhere.example.com', hasKey: false });
    });
  });

  describe('Import from CLI', () => {
    let server: ReferenceServer;
    before(async () => {
      server = await startServer();
    });
    after(() => server.stop());

    function setup() {
      const store = new ProfileStore(new MemoryMemento(), new MemorySecrets(), new MemoryMemento());
      const signIn = new SignInService(store, (serverUrl, apiKey) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) }), () => undefined, 'VS Code on testhost');
      return { store, signIn };
    }

    it('takes the CLI profile’s own key, and its server or else the base server', () => {
      const config = { server: 'https://base.example.com', apiKey: 'pc_base', profiles: { a: { apiKey: ' pc_a ' }, b: { server: 'https://b.example.com', apiKey: 'pc_b' }, none: { server: 'https://n.example.com' } } };
      assert.deepEqual(cliProfileCredential(config, 'a', file), { serverUrl: 'https://base.example.com', apiKey: 'pc_a' });
      assert.deepEqual(cliProfileCredential(config, 'b', file), { serverUrl: 'https://b.example.com', apiKey: 'pc_b' });
      assert.throws(() => cliProfileCredential(config, 'none', file), /has no API key to import/);
      assert.throws(() => cliProfileCredential(config, 'missing', file), /There is no CLI profile 'missing'/);
      assert.throws(() => cliProfileCredential({ profiles: { a: { apiKey: 'pc_a' } } }, 'a', file), /names a server/);
    });

    it('makes a profile from a CLI profile once /auth/me confirmed its key, and chooses it', async () => {
      const { store, signIn } = setup();
      const issued = await server.issueKey('alice', 'CLI Access');
      await writeFile(file, JSON.stringify({ activeProfile: 'work', profiles: { work: { server: server.url, apiKey: issued.key } } }));
      const before = server.requests.length;
      const profile = await importCliProfile({ store, signIn }, file, 'work', 'work');
      assert.equal(profile.name, 'work');
      assert.equal(profile.username, 'alice');
      assert.equal(profile.method, 'apiKey');
      assert.equal(profile.createdByExtension, false, 'signing out keeps the key the CLI still uses');
      assert.equal(await store.getKey(profile.id), issued.key);
      assert.equal(store.selectedId(), profile.id);
      assert.ok(server.requests.slice(before).some((r) => r.method === 'GET' && r.path === '/auth/me' && r.authorization));
    });

    it('imports nothing when the server refuses the key', async () => {
      const { store, signIn } = setup();
      await writeFile(file, JSON.stringify({ profiles: { old: { server: server.url, apiKey: 'pc_0000000000000000000000000000dead' } } }));
      const error = await rejection(importCliProfile({ store, signIn }, file, 'old', 'old'));
      assert.equal(error.kind, 'invalid-api-key');
      assert.deepEqual(store.list(), []);
    });

    it('never replaces an extension profile of the same name', async () => {
      const { store, signIn } = setup();
      const mine = await signIn.password({ serverUrl: server.url, profileName: 'work' }, 'alice', 'alice-password');
      const issued = await server.issueKey('alice', 'CLI Access');
      await writeFile(file, JSON.stringify({ profiles: { work: { server: server.url, apiKey: issued.key } } }));
      const error = await rejection(importCliProfile({ store, signIn }, file, 'work', 'work'));
      assert.equal(error.field, 'profileName');
      assert.match(error.message, /A profile named 'work' exists already/);
      const key = await store.getKey(mine.id);
      assert.ok(key && server.keyIsValid(key), 'the existing profile keeps its working key');
      const imported = await importCliProfile({ store, signIn }, file, 'work', 'work (CLI)');
      assert.equal(await store.getKey(imported.id), issued.key);
      assert.equal(store.list().length, 2);
    });

    it('reports a CLI config that does not parse with where it breaks', async () => {
      const { store, signIn } = setup();
      await writeFile(file, '{ "profiles": { "work": { "apiKey": "pc_x" ');
      const error = await rejection(importCliProfile({ store, signIn }, file, 'work', 'work'));
      assert.match(error.message, /not valid JSON at line 1, column \d+/);
    });
  });
});
