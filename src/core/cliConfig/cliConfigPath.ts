// Where the CoderFlow CLI's configuration file is (PROTOCOL.md §6): the setting, CODERFLOW_CONFIG, or the default.
import { posix, win32, type PlatformPath } from 'node:path';

// Where the CLI keeps its config and which environment variables it reads (PROTOCOL.md §6).
export const CLI_CONFIG_DIR = '.coderflow';
export const CLI_CONFIG_FILE = 'config.json';
export const CLI_CONFIG_ENV = 'CODERFLOW_CONFIG';
export const CLI_API_KEY_ENV = 'CODER_API_KEY';

export interface CliConfigLocation {
  path: string;
  from: 'setting' | 'CODERFLOW_CONFIG' | 'default';
}

function pathModule(platform: NodeJS.Platform | undefined): PlatformPath {
  return (platform ?? process.platform) === 'win32' ? win32 : posix;
}

function expandHome(p: string, homedir: string, paths: PlatformPath): string {
  if (p === '~') return homedir;
  if (p.startsWith('~/') || p.startsWith('~\\')) return paths.join(homedir, p.slice(2));
  return p;
}

/** Where the CLI config is: the profoundCoder.cliConfigPath setting, then CODERFLOW_CONFIG, then ~/.coderflow/config.json. */
export function findCliConfigPath(opts: {
  setting?: string;
  env: NodeJS.ProcessEnv;
  homedir: string;
  platform?: NodeJS.Platform;
}): CliConfigLocation {
  const paths = pathModule(opts.platform);
  const setting = opts.setting?.trim();
  if (setting) return { path: paths.resolve(opts.homedir, expandHome(setting, opts.homedir, paths)), from: 'setting' };
  const env = opts.env[CLI_CONFIG_ENV]?.trim();
  if (env) return { path: paths.resolve(opts.homedir, expandHome(env, opts.homedir, paths)), from: 'CODERFLOW_CONFIG' };
  return { path: paths.join(opts.homedir, CLI_CONFIG_DIR, CLI_CONFIG_FILE), from: 'default' };
}
