// What the CLI config tests share: a fresh temporary folder for each test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temporary folder for each test of the describe() that calls this, handed to `use`
 * before the test and removed after it (after the hooks registered before this call).
 */
export function freshFolderEachTest(use: (dir: string) => void): void {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coderflow-cli-config-'));
    use(dir);
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
}
