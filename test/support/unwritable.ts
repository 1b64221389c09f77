import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes a file impossible to replace or change, for anyone: root ignores permission bits, so as
 * root the file is made immutable (chattr +i, which a rename over it cannot pass either), else its
 * folder is made read-only. Returns what undoes it.
 */
function makeUnwritable(file: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', file]);
    return () => execFileSync('chattr', ['-i', file]);
  }
  const dir = dirname(file);
  chmodSync(dir, 0o500);
  return () => chmodSync(dir, 0o700);
}

/** Runs `run` while `file` cannot be written (see makeUnwritable), and makes it writable again after, whatever happened. */
export async function whileUnwritable<T>(file: string, run: () => Promise<T>): Promise<T> {
  const undo = makeUnwritable(file);
  try {
    return await run();
  } finally {
    undo();
  }
}
