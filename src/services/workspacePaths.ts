// Whether a file lies inside one of the open workspace folders, following symbolic links, so that
// a secret is never written where the workspace's repository (and its code) can reach it.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** The real path of a file that may not exist yet: its nearest existing ancestor resolved, the rest kept. */
function realPath(file: string): string {
  const absolute = resolve(file);
  try {
    return realpathSync.native(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : resolve(realPath(parent), relative(parent, absolute));
  }
}

/** The workspace folder that holds `file`, or undefined. */
export function folderHolding(file: string, folders: readonly string[]): string | undefined {
  const target = realPath(file);
  return folders.find((folder) => {
    const inside = relative(realPath(folder), target);
    return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
  });
}
