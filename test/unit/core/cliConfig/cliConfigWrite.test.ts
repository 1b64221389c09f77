import assert from 'node:assert/strict';
import { lstat, readFile, readdir, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { replaceCliKey, writeCliProfileKey } from '../../../../src/core/cliConfig/cliConfigWrite';
import { AuthError } from '../../../../src/core/errors';
import { whileUnwritable } from '../../../support/unwritable';
import { freshFolderEachTest } from './support';

async function rejectsWith(promise: Promise<unknown>, kind: string, message: RegExp): Promise<AuthError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AuthError, `expected an AuthError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.match(e.message, message);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('writeCliProfileKey', () => {
  let dir: string;
  let file: string;
  freshFolderEachTest((folder) => {
    dir = folder;
    file = join(folder, 'config.json');
  });

  it('sets the key of a profile and keeps every other byte of the file', async () => {
    const before =
      '{\n    "server": "https://base.example.com",\n    "telemetry": {"level": "off"},\n    "profiles": {\n        "production": {\n            "apiKey": "pc_old",\n            "server": "https://prod.example.com",\n            "default_environment": "webapp"\n        },\n        "staging": {\n            "server": "https://staging.example.com"\n        }\n    },\n    "activeProfile": "production"\n}\n';
    await writeFile(file, before);
    await writeCliProfileKey(file, 'production', { apiKey: 'pc_new' });
    assert.equal(await readFile(file, 'utf8'), before.replace('pc_old', 'pc_new'));
  });

  it('keeps tabs, CRLF line ends and the absence of a final newline', async () => {
    await writeFile(file, '{\r\n\t"server": "https://a.example.com"\r\n}');
    await writeCliProfileKey(file, undefined, { apiKey: 'pc_base' });
    assert.equal(await readFile(file, 'utf8'), '{\r\n\t"server": "https://a.example.com",\r\n\t"apiKey": "pc_base"\r\n}');
  });

  it('creates a profile that does not exist yet, after the existing ones', async () => {
    await writeFile(file, JSON.stringify({ profiles: { a: { server: 'https://a.example.com' } } }, null, 2));
    await writeCliProfileKey(file, 'b', { server: 'https://b.example.com', apiKey: 'pc_b' });
    const written = JSON.parse(await readFile(file, 'utf8'));
    assert.deepEqual(Object.keys(written.profiles), ['a', 'b']);
    assert.deepEqual(written.profiles.b, { server: 'https://b.example.com', apiKey: 'pc_b' });
  });

  it('creates a missing file and folder, readable only by its owner', async () => {
    const nested = join(dir, '.coderflow', 'config.json');
    await writeCliProfileKey(nested, 'production', { server: 'https://prod.example.com', apiKey: 'pc_prod' });
    assert.deepEqual(JSON.parse(await readFile(nested, 'utf8')), { profiles: { production: { server: 'https://prod.example.com', apiKey: 'pc_prod' } } });
    if (process.platform !== 'win32') assert.equal((await stat(nested)).mode & 0o777, 0o600);
  });

  it('tightens a file readable by others to 0600 and leaves no temporary file', async () => {
    await writeFile(file, '{}');
    await chmod(file, 0o644);
    await writeCliProfileKey(file, undefined, { apiKey: 'pc_base' });
    if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['config.json']);
  });

  it('writes through a symbolic link and keeps the link', async () => {
    const real = join(dir, 'real.json');
    await writeFile(real, '{"server": "https://a.example.com"}');
    await symlink(real, file);
    await writeCliProfileKey(file, undefined, { apiKey: 'pc_base' });
    assert.ok((await lstat(file)).isSymbolicLink());
    assert.equal(JSON.parse(await readFile(real, 'utf8')).apiKey, 'pc_base');
  });

  it('treats a profile named __proto__ as a name, not as the object prototype', async () => {
    await writeFile(file, '{}');
    await writeCliProfileKey(file, '__proto__', { apiKey: 'pc_x' });
    assert.equal(({} as Record<string, unknown>).apiKey, undefined);
    assert.equal(await readFile(file, 'utf8'), '{\n  "profiles": {\n    "__proto__": {\n      "apiKey": "pc_x"\n    }\n  }\n}');
  });

  it('refuses a file it cannot parse and leaves it untouched', async () => {
    const broken = '{"server": "https://a.example.com",, "apiKey": "pc_keep"}';
    await writeFile(file, broken);
    const mtime = (await stat(file)).mtimeMs;
    await rejectsWith(writeCliProfileKey(file, undefined, { apiKey: 'pc_new' }), 'bad-input', /line 1, column 36.*It was not changed\./);
    assert.equal(await readFile(file, 'utf8'), broken);
    assert.equal((await stat(file)).mtimeMs, mtime);
    assert.deepEqual(await readdir(dir), ['config.json']);
  });

  it('keeps every digit of an integer JavaScript cannot hold, and comments-free text as typed', async () => {
    const before = '{\n  "build": 123456789012345678901234567890,\n  "ratio": 1.50,\n  "profiles": {\n    "work": { "server": "https://w.example" }\n  }\n}\n';
    await writeFile(file, before);
    await writeCliProfileKey(file, 'work', { server: 'https://w2.example' });
    assert.equal(await readFile(file, 'utf8'), before.replace('https://w.example', 'https://w2.example'));
  });

  it('adds a field after a value laid out on one line without touching that line', async () => {
    const before = '{\n  "telemetry": { "level": "off" },\n  "editor": {"theme":"dark"}\n}\n';
    await writeFile(file, before);
    await writeCliProfileKey(file, 'work', { server: 'https://w.example', apiKey: 'pc_w' });
    assert.equal(
      await readFile(file, 'utf8'),
      '{\n  "telemetry": { "level": "off" },\n  "editor": {"theme":"dark"},\n  "profiles": {\n    "work": {\n      "server": "https://w.example",\n      "apiKey": "pc_w"\n    }\n  }\n}\n',
    );
  });

  it('adds to an object laid out on one line on that same line', async () => {
    await writeFile(file, '{"server": "https://a.example", "profiles": {"a": {"apiKey": "pc_a"}}}');
    await writeCliProfileKey(file, 'b', { apiKey: 'pc_b' });
    assert.equal(await readFile(file, 'utf8'), '{"server": "https://a.example", "profiles": {"a": {"apiKey": "pc_a"}, "b": {"apiKey":"pc_b"}}}');
  });

  it('changes a field named twice where the CLI reads it (the last one), leaving the first as it was', async () => {
    const twice = '{"profiles": {"work": {"apiKey": "pc_a"}}, "profiles": {"work": {"apiKey": "pc_b"}}}';
    await writeFile(file, twice);
    await writeCliProfileKey(file, 'work', { apiKey: 'pc_new' });
    assert.equal(await readFile(file, 'utf8'), twice.replace('"pc_b"', '"pc_new"'));
  });

  it('waits for a file emptied moments ago (another writer between truncating and writing) and writes what it then holds', async () => {
    await writeFile(file, '');
    const writing = writeCliProfileKey(file, 'work', { apiKey: 'pc_new' });
    await new Promise((r) => setTimeout(r, 5));
    await writeFile(file, '{\n  "server": "https://other-writer.example"\n}\n');
    await writing;
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { server: 'https://other-writer.example', profiles: { work: { apiKey: 'pc_new' } } });
  });

  it('says which file it gave up on when another writer changes it on every try', async () => {
    await writeFile(file, '{}');
    let n = 0;
    const keepChanging = setInterval(() => void writeFile(file, `{"n": ${++n}}`), 2);
    try {
      const outcome = await writeCliProfileKey(file, 'work', { apiKey: 'pc_new' }).then(() => 'saved', (e: unknown) => e);
      if (outcome !== 'saved') {
        assert.ok(outcome instanceof AuthError);
        assert.ok(outcome.message.includes(file));
        assert.match(outcome.message, /kept changing|not valid JSON|not changed/);
      }
    } finally {
      clearInterval(keepChanging);
    }
  });

  it('refuses an empty profile name', async () => {
    const error = await rejectsWith(writeCliProfileKey(file, ' ', { apiKey: 'pc_x' }), 'bad-input', /profile name/);
    assert.equal(error.field, 'profileName');
  });

  describe('properties', () => {
    const knownTop = new Set(['server', 'apiKey', 'activeProfile', 'profiles']);
    const knownProfile = new Set(['server', 'apiKey']);
    const name = fc.string({ minLength: 1, maxLength: 8 });
    const unknown = (known: Set<string>) =>
      fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => !known.has(k)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const profile = fc.record({ server: maybe(fc.webUrl()), apiKey: maybe(fc.string()), extra: unknown(knownProfile) }).map(({ server, apiKey, extra }) =>
      Object.assign(JSON.parse(JSON.stringify(extra)), server === undefined ? {} : { server }, apiKey === undefined ? {} : { apiKey }),
    );
    const config = fc
      .record({
        extra: unknown(knownTop),
        server: maybe(fc.webUrl()),
        apiKey: maybe(fc.string()),
        activeProfile: maybe(name),
        profiles: maybe(fc.dictionary(name, profile, { maxKeys: 4 })),
      })
      .map(({ extra, ...fields }) => {
        const out = JSON.parse(JSON.stringify(extra));
        for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
        return out as Record<string, unknown>;
      });
    const indent = fc.constantFrom<string | number>(0, 2, 4, '\t');
    // A blank profile name is refused (see above), so targets are names a person could type.
    const targetName = name.filter((n) => n.trim() !== '');

    function without(doc: Record<string, unknown>, profileName: string | undefined, field: string): unknown {
      const copy = JSON.parse(JSON.stringify(doc));
      if (profileName === undefined) delete copy[field];
      else if (copy.profiles && Object.prototype.hasOwnProperty.call(copy.profiles, profileName)) delete copy.profiles[profileName][field];
      return copy;
    }

    it('writing a key into any valid CLI config changes only that key', async () => {
      await fc.assert(
        fc.asyncProperty(config, indent, fc.option(targetName, { nil: undefined }), fc.string({ minLength: 1 }), async (doc, space, target, key) => {
          const text = JSON.stringify(doc, null, space);
          await writeFile(file, text);
          await writeCliProfileKey(file, target, { apiKey: key });
          const after = JSON.parse(await readFile(file, 'utf8'));
          const holder = target === undefined ? after : after.profiles[target];
          assert.equal(holder.apiKey, key);
          const existed = target === undefined || (doc.profiles !== undefined && Object.prototype.hasOwnProperty.call(doc.profiles, target));
          if (existed) {
            // Same fields in the same order once the written key is set aside.
            assert.equal(JSON.stringify(without(after, target, 'apiKey')), JSON.stringify(without(doc, target, 'apiKey')));
          } else {
            const trimmed = JSON.parse(JSON.stringify(after));
            delete trimmed.profiles[target];
            if (doc.profiles === undefined) delete trimmed.profiles;
            assert.equal(JSON.stringify(trimmed), JSON.stringify(doc));
          }
        }),
        { numRuns: 150 },
      );
    });

    it('an unparsable file is never written', async () => {
      const unparsable = fc.oneof(
        fc.string().filter((s) => {
          try {
            JSON.parse(s.replace(/^\uFEFF/, ''));
            return false;
          } catch {
            return s.trim() !== '';
          }
        }),
        fc.tuple(config, fc.nat()).map(([doc, cut]) => {
          const text = JSON.stringify(doc, null, 2);
          return text.slice(0, 1 + (cut % (text.length - 1)));
        }),
      );
      await fc.assert(
        fc.asyncProperty(unparsable, fc.option(targetName, { nil: undefined }), async (text, target) => {
          await writeFile(file, text);
          await rejectsWith(writeCliProfileKey(file, target, { apiKey: 'pc_new' }), 'bad-input', /not changed/);
          assert.equal(await readFile(file, 'utf8'), text);
          assert.deepEqual(await readdir(dir), ['config.json']);
        }),
        { numRuns: 150 },
      );
    });
  });
});

describe('replaceCliKey', () => {
  let dir: string;
  let file: string;
  freshFolderEachTest((folder) => {
    dir = folder;
    file = join(folder, 'config.json');
  });

  it('replaces the key wherever the file holds exactly that value, and nothing else', async () => {
    const before = '{\n  "apiKey": "pc_old",\n  "profiles": {\n    "a": {"apiKey": "pc_old", "server": "https://a"},\n    "b": {"apiKey": "pc_old2"},\n    "c": {"apiKey": "pc_old"}\n  }\n}\n';
    await writeFile(file, before);
    assert.deepEqual(await replaceCliKey(file, 'pc_old', 'pc_new'), { base: true, profiles: ['a', 'c'] });
    assert.equal(await readFile(file, 'utf8'), before.replace(/"pc_old"/g, '"pc_new"'));
  });

  it('does not write a file that does not hold the key, nor create a missing one', async () => {
    await writeFile(file, '{"apiKey": "pc_other"}');
    const mtime = (await stat(file)).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await replaceCliKey(file, 'pc_old', 'pc_new'), { base: false, profiles: [] });
    assert.equal((await stat(file)).mtimeMs, mtime);
    assert.deepEqual(await replaceCliKey(join(dir, 'none.json'), 'pc_old', 'pc_new'), { base: false, profiles: [] });
    assert.deepEqual(await readdir(dir), ['config.json']);
  });

  it('fails with the file named when the file holds the key but cannot be written', async function () {
    if (process.platform === 'win32') this.skip();
    await writeFile(file, '{"apiKey": "pc_old"}');
    const error = await whileUnwritable(file, () => rejectsWith(replaceCliKey(file, 'pc_old', 'pc_new'), 'bad-input', /could not be written .*it was not changed/));
    assert.ok(error.message.includes(file));
    assert.equal(await readFile(file, 'utf8'), '{"apiKey": "pc_old"}');
    assert.deepEqual(await readdir(dir), ['config.json'], 'no temporary file left');
  });
});
