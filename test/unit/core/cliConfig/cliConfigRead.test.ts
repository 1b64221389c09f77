import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listCliProfiles, readCliConfig } from '../../../../src/core/cliConfig/cliConfigRead';
import { freshFolderEachTest } from './support';

describe('readCliConfig and listCliProfiles', () => {
  let dir: string;
  freshFolderEachTest((folder) => (dir = folder));

  it('says the file is missing rather than failing', async () => {
    assert.deepEqual(await readCliConfig(join(dir, 'none.json')), { state: 'missing', path: join(dir, 'none.json') });
  });

  it('reads the config and lists its profiles in file order, without keys', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({
      server: 'https://base.example.com',
      activeProfile: 'staging',
      profiles: { production: { server: 'https://prod.example.com', apiKey: 'pc_prod', default_environment: 'webapp' }, staging: { server: 'https://staging.example.com' } },
    }));
    const state = await readCliConfig(file);
    assert.equal(state.state, 'ok');
    assert.ok(state.state === 'ok');
    assert.deepEqual(listCliProfiles(state.config), [
      { name: 'production', server: 'https://prod.example.com', hasKey: true, active: false },
      { name: 'staging', server: 'https://staging.example.com', hasKey: false, active: true },
    ]);
  });

  it('reports a JSON error with its line and column', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, '{\n  "server": "https://a.example.com",\n  "apiKey": "pc_x",\n}\n');
    const state = await readCliConfig(file);
    assert.equal(state.state, 'error');
    assert.ok(state.state === 'error');
    assert.equal(state.line, 4);
    assert.equal(state.column, 1);
    assert.match(state.error.message, /is not valid JSON at line 4, column 1: expected a property name in double quotes/);
    assert.ok(!state.error.message.includes('pc_x'), 'the message does not quote the file');
  });

  it('reports a missing comma where it is missing', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, '{"server": "https://a.example.com"\n "apiKey": "pc_x"}');
    const state = await readCliConfig(file);
    assert.ok(state.state === 'error');
    assert.deepEqual([state.line, state.column], [2, 2]);
    assert.match(state.error.message, /expected ',' or '}'/);
  });

  it('refuses JSON that is not an object, and fields of the wrong type, naming the field', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, '[]');
    const list = await readCliConfig(file);
    assert.ok(list.state === 'error');
    assert.match(list.error.message, /must hold a JSON object/);
    await writeFile(file, '{"profiles": {"production": {"server": 42}}}');
    const typed = await readCliConfig(file);
    assert.ok(typed.state === 'error');
    assert.match(typed.error.message, /profiles\.production\.server should be a string/);
  });

  it('reads a file that starts with a byte order mark', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, '\uFEFF{"server": "https://a.example.com"}');
    const state = await readCliConfig(file);
    assert.ok(state.state === 'ok');
    assert.equal(state.config.server, 'https://a.example.com');
  });
});
