import assert from 'node:assert/strict';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCliConfig } from '../../../../src/core/cliConfig/cliConfigRead';
import { writeCliProfileKey } from '../../../../src/core/cliConfig/cliConfigWrite';
import { watchCliConfig } from '../../../../src/core/cliConfig/cliConfigWatch';
import { freshFolderEachTest } from './support';

/** Resolves when cond() holds, checking every 20 ms, or fails after ms. */
async function eventually(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watchCliConfig', () => {
  let dir: string;
  let file: string;
  let disposeAll: Array<{ dispose(): void }>;
  beforeEach(() => {
    disposeAll = [];
  });
  afterEach(() => {
    for (const d of disposeAll) d.dispose();
  });
  // Registered after the hooks above: the watchers are disposed before their folder is removed.
  freshFolderEachTest((folder) => {
    dir = folder;
    file = join(folder, 'config.json');
  });

  async function replaceAtomically(content: string): Promise<void> {
    const temp = join(dir, `.config.json.${Math.random()}.tmp`);
    await writeFile(temp, content);
    await rename(temp, file);
  }

  it('starts from the state the caller read, so a change made right after that read is not missed', async () => {
    await writeFile(file, '{"apiKey": "pc_1"}');
    const initial = await readCliConfig(file);
    await writeFile(file, '{"apiKey": "pc_2"}');
    let calls = 0;
    disposeAll.push(watchCliConfig(file, () => calls++, { initial, pollIntervalMs: 100 }));
    await eventually(() => calls === 1, 3000, 'the change made before the watch started');
  });

  it('does not report the state the caller read as a change', async () => {
    await writeFile(file, '{"apiKey": "pc_1"}');
    let calls = 0;
    disposeAll.push(watchCliConfig(file, () => calls++, { initial: await readCliConfig(file), pollIntervalMs: 100 }));
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(calls, 0);
  });

  it('notices a `coder login` that replaces the file by rename, again and again', async () => {
    await writeFile(file, '{"apiKey": "pc_1"}');
    let calls = 0;
    disposeAll.push(watchCliConfig(file, () => calls++));
    await new Promise((r) => setTimeout(r, 100));
    await replaceAtomically('{"apiKey": "pc_2"}');
    await eventually(() => calls === 1, 3000, 'the first replacement');
    await replaceAtomically('{"apiKey": "pc_3"}');
    await eventually(() => calls === 2, 3000, 'the second replacement');
    await writeCliProfileKey(file, undefined, { apiKey: 'pc_4' });
    await eventually(() => calls === 3, 3000, 'a write by this extension');
  });

  it('notices an edit in place and a deletion, but not a write of the same content', async () => {
    await writeFile(file, '{}');
    let calls = 0;
    disposeAll.push(watchCliConfig(file, () => calls++));
    await new Promise((r) => setTimeout(r, 100));
    await writeFile(file, '{}');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls, 0, 'same content: nothing to reload');
    await writeFile(file, '{"server": "https://a.example.com"}');
    await eventually(() => calls === 1, 3000, 'the edit');
    await rm(file);
    await eventually(() => calls === 2, 3000, 'the deletion');
  });

  it('notices the file appearing in a folder that did not exist when watching began', async () => {
    const nested = join(dir, '.coderflow', 'config.json');
    let calls = 0;
    disposeAll.push(watchCliConfig(nested, () => calls++, { pollIntervalMs: 100 }));
    await new Promise((r) => setTimeout(r, 150));
    await mkdir(join(dir, '.coderflow'));
    await writeFile(nested, '{"apiKey": "pc_1"}');
    await eventually(() => calls === 1, 3000, 'the new file');
  });

  it('stops calling after dispose', async () => {
    await writeFile(file, '{}');
    let calls = 0;
    const watcher = watchCliConfig(file, () => calls++, { pollIntervalMs: 100 });
    await new Promise((r) => setTimeout(r, 100));
    watcher.dispose();
    await replaceAtomically('{"apiKey": "pc_2"}');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(calls, 0);
  });
});
