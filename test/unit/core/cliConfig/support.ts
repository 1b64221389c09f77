// What the CLI config tests share: a fresh temporary folder for each test.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'coderflow-cli-config-'));
}
