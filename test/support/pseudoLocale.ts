import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './vscodeServer';

// The pseudo-locale: every letter of every localisable string replaced by an accented look-alike
// (`Sign in` → `Şīɠƞ īƞ`), so that a Latin letter left on screen is text that did not go through
// l10n. Made from the English bundles with @vscode/l10n-dev's generate-pseudo, which writes
// `<name>.qps-ploc.json` next to each input; the outputs are gitignored and never packaged
// (.vscodeignore).

export const PSEUDO_LOCALE = 'qps-ploc';

const ENGLISH = { bundle: 'l10n/bundle.l10n.json', manifest: 'package.nls.json' };
const PSEUDO = { bundle: `l10n/bundle.l10n.${PSEUDO_LOCALE}.json`, manifest: `package.nls.${PSEUDO_LOCALE}.json` };

type Messages = Record<string, string | { message: string; comment?: string | string[] }>;

export interface PseudoLocale {
  /** What the pseudo-locale shows for a string the code gives to l10n.t (with `{0}`… left in place). */
  t(english: string): string;
  /** What the pseudo-locale shows for a manifest string, named by its English text in package.nls.json. */
  manifest(english: string): string;
  /** Deletes the generated files. */
  remove(): void;
}

export function generatePseudoLocale(): PseudoLocale {
  const cli = join(repoRoot, 'node_modules/@vscode/l10n-dev/dist/cli.js');
  execFileSync(process.execPath, [cli, 'generate-pseudo', '--language', PSEUDO_LOCALE, ENGLISH.bundle, ENGLISH.manifest], { cwd: repoRoot, stdio: 'pipe' });
  const read = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as Messages;
  const text = (value: Messages[string] | undefined) => (typeof value === 'string' ? value : value?.message);
  const bundle = read(PSEUDO.bundle);
  const englishManifest = read(ENGLISH.manifest);
  const pseudoManifest = read(PSEUDO.manifest);
  return {
    t(english) {
      const pseudo = text(bundle[english]);
      if (pseudo === undefined) throw new Error(`"${english}" is not in ${ENGLISH.bundle} (npm run l10n exports it)`);
      return pseudo;
    },
    manifest(english) {
      const key = Object.keys(englishManifest).find((name) => text(englishManifest[name]) === english);
      const pseudo = key === undefined ? undefined : text(pseudoManifest[key]);
      if (pseudo === undefined) throw new Error(`"${english}" is not in ${ENGLISH.manifest}`);
      return pseudo;
    },
    remove() {
      for (const path of Object.values(PSEUDO)) rmSync(join(repoRoot, path), { force: true });
    },
  };
}

/** A text the person is shown, and where: so that a failure names the string and its place. */
export interface ShownText {
  where: string;
  text: string;
}

// What may stay Latin under the pseudo-locale because no translation would change it: addresses,
// setting and command identifiers, the CLI's commands, file paths, the key prefix and masks,
// environment variable names.
const UNTRANSLATED = [
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s)'"’]+/gi,
  /\bcoder [a-z]+\b/g,
  /(~|\.{1,2})?\/[\w.-]+(\/[\w.-]+)+/g,
  /\bprofoundCoder\.[A-Za-z.]+/g,
  /\bpc_[^\s)]*/g,
  /\bCODER(FLOW)?_[A-Z_]+\b/g,
];

/**
 * The texts that still hold Latin words once `values` (user names, profile and key names, servers'
 * answers: data, not the extension's text) and the untranslatable forms above are taken out.
 * Each result names the text and the words.
 */
export function untranslated(texts: readonly ShownText[], values: readonly string[]): string[] {
  const found: string[] = [];
  const longestFirst = [...new Set(values)].filter((value) => value !== '').sort((a, b) => b.length - a.length);
  for (const { where, text } of texts) {
    let rest = text;
    for (const value of longestFirst) rest = rest.split(value).join(' ');
    for (const pattern of UNTRANSLATED) rest = rest.replace(pattern, ' ');
    const words = rest.match(/[A-Za-z]{2,}/g);
    if (words) found.push(`${where}: "${text}" (${words.join(' ')})`);
  }
  return found;
}
