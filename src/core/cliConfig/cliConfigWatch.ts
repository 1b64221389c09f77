// Watching the CoderFlow CLI's configuration file for any change: edited, replaced by a rename, created or deleted.
import { watch, watchFile, unwatchFile, type FSWatcher, type StatsListener } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { CliConfigState } from './cliConfigRead';

export interface WatchOptions {
  /** How often to look at the file when its folder cannot be watched. Default 2000 ms. */
  pollIntervalMs?: number;
  /**
   * What the caller just read (readCliConfig's state): changes are measured from it, so one made
   * between that read and the start of watching is reported rather than silently taken as the start.
   */
  initial?: CliConfigState;
}

/**
 * Calls onChange when the file's content changes, created, edited in place, replaced by an
 * atomic rename (as the CLI and this module write it) or deleted. Watching the folder, not the
 * file, is what survives a rename; polling covers a folder that does not exist yet.
 */
export function watchCliConfig(file: string, onChange: () => void, options: WatchOptions = {}): { dispose(): void } {
  const dir = dirname(file);
  const base = basename(file);
  let disposed = false;
  let debounce: NodeJS.Timeout | undefined;
  let last: string | undefined = startingPoint(options.initial);
  let folderWatcher: FSWatcher | undefined;

  const contentNow = async (): Promise<string> => {
    try {
      return `file:${await readFile(file, 'utf8')}`;
    } catch (e) {
      return `absent:${(e as NodeJS.ErrnoException).code ?? ''}`;
    }
  };
  const check = async () => {
    const now = await contentNow();
    if (disposed || now === last) return;
    const first = last === undefined;
    last = now;
    if (!first) onChange();
  };
  const schedule = () => {
    if (disposed) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => void check(), 50);
  };
  const watchFolder = () => {
    if (folderWatcher || disposed) return;
    try {
      folderWatcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || name === base) schedule();
      });
      folderWatcher.on('error', () => {
        folderWatcher?.close();
        folderWatcher = undefined;
      });
    } catch {
      folderWatcher = undefined;
    }
  };

  const onPoll: StatsListener = () => {
    watchFolder();
    schedule();
  };
  watchFile(file, { persistent: false, interval: options.pollIntervalMs ?? 2000 }, onPoll);
  watchFolder();
  // One look now: a change made after the caller's read but before the watchers started is
  // reported too (with `initial`), or the starting point is taken (without it).
  void check();

  return {
    dispose() {
      disposed = true;
      clearTimeout(debounce);
      folderWatcher?.close();
      unwatchFile(file, onPoll);
    },
  };
}

/** The watcher's view of a state read before: the same strings contentNow() makes. */
function startingPoint(state: CliConfigState | undefined): string | undefined {
  if (!state) return undefined;
  if (state.state === 'missing') return 'absent:ENOENT';
  return state.raw === undefined ? undefined : `file:${state.raw}`;
}
