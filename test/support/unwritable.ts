import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes a file impossible to replace or change, for anyone: root ignores permission bits, so as
 * root the file is made immutable (chattr +i, which a rename over it cannot pass either), else its
 * folder is made read-only. Returns what undoes it.
 */
export function makeUnwritable(file: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', file]);
    return () => execFileSync('chattr', ['-i', file]);
  }
  const dir = dirname(file);
  chmodSync(dir, 0o500);
  return () => chmodSync(dir, 0o700);
}
