// The size budgets of what ships: the production bundle, the Profile Manager page and
// the VSIX, each built by the project's own scripts in a temporary copy of the work tree, so the
// work tree's dist/ (a development build with source maps that other checks use) stays as it is.
//
//   node scripts/sizes.mjs     build, print the sizes, exit 1 when a budget is exceeded
//   import { packageInCopy, measure, checkBudgets } from './sizes.mjs'   the same, from the bench
//
// KB here is 1000 bytes: the stricter reading of the budgets.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { LAZY, SHARED } from './bundles.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const KB = 1000;
export const BUDGETS = {
  extension: { label: 'activation bundle (dist/extension.js, minified)', bytes: 30 * KB },
  webview: { label: "webview bundle (the page's JS + CSS)", bytes: 80 * KB },
  vsix: { label: 'VSIX', bytes: 300 * KB },
};
/** The bundle VS Code loads to activate the extension (scripts/build.mjs). */
export const EXTENSION_FILES = ['dist/extension.js'];
/**
 * The bundles loaded when first needed, and the shared modules (l10n.js, required by activation
 * too; zod.js; nodeFetch.js) (scripts/build.mjs): listed, not counted in the activation budget.
 */
export const LAZY_FILES = [
  ...Object.values(SHARED).map((path) => join('dist', path)),
  ...Object.keys(LAZY).map((name) => `dist/${name}.js`),
  'dist/webview/diagnostic.js',
  'dist/webview/diagnostic.css',
  'dist/webview/keys.js',
  'dist/webview/sso.js',
];
/** The JS and CSS the Profile Manager page loads (see src/profileManager/pageHtml.ts). */
export const WEBVIEW_FILES = ['dist/webview/main.js', 'dist/webview/main.css', 'dist/webview/codicons/codicon.css'];

// Build output and machine-local folders: the copy makes its own dist/ and links node_modules.
const NOT_COPIED = new Set(['node_modules', '.git', '.cache', '.artifacts', 'out', 'dist']);

/**
 * Copies the work tree to a temporary folder and runs `npm run package` there (the production
 * build, then vsce). Returns the folder, the VSIX path and a function that removes the folder.
 */
export async function packageInCopy({ log = () => {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'coderflow-package-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    cpSync(root, dir, {
      recursive: true,
      filter: (source) => {
        const top = relative(root, source).split(sep)[0];
        return !NOT_COPIED.has(top);
      },
    });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const started = Date.now();
    await run('npm', ['run', 'package', '--silent'], dir);
    log(`npm run package in a copy of the work tree (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { dir, vsix: join(dir, 'dist/coderflow.vsix'), remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/** Bytes of each shipped artifact of a packaged copy. */
export function measure(dir, vsix = join(dir, 'dist/coderflow.vsix')) {
  const size = (path) => statSync(join(dir, path)).size;
  const total = (paths) => paths.reduce((sum, path) => sum + size(path), 0);
  const webviewFiles = Object.fromEntries(WEBVIEW_FILES.map((path) => [path, size(path)]));
  const entries = readZip(vsix);
  return {
    extension: total(EXTENSION_FILES),
    webview: Object.values(webviewFiles).reduce((sum, bytes) => sum + bytes, 0),
    vsix: statSync(vsix).size,
    details: {
      webviewFiles,
      extensionFiles: Object.fromEntries(EXTENSION_FILES.map((path) => [path, size(path)])),
      lazyFiles: Object.fromEntries(LAZY_FILES.map((path) => [path, size(path)])),
      // A font, not JS or CSS: listed, not counted in the webview budget.
      codiconFont: size('dist/webview/codicons/codicon.ttf'),
      vsixEntries: Object.fromEntries(entries.map((entry) => [entry.name, entry.size])),
    },
  };
}

/** One line per budget: the figure, its bytes, the budget, whether it holds. */
export function checkBudgets(sizes) {
  return Object.entries(BUDGETS).map(([key, budget]) => ({
    key,
    label: budget.label,
    bytes: sizes[key],
    budget: budget.bytes,
    ok: sizes[key] <= budget.bytes,
  }));
}

/**
 * The entries of a zip file (a VSIX), read through its central directory; `data()` inflates one.
 * Enough for what vsce writes (stored or deflated entries, no zip64, no encryption).
 */
export function readZip(path) {
  const zip = readFileSync(path);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${path} is not a zip file (no end of central directory).`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${index}.`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({
      name,
      size,
      compressedSize,
      data() {
        const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
        const raw = zip.subarray(start, start + compressedSize);
        if (method === 0) return Buffer.from(raw);
        if (method === 8) return inflateRawSync(raw);
        throw new Error(`${path}: ${name} uses compression method ${method}.`);
      },
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Unpacks the `extension/` folder of a VSIX into `into` (what VS Code installs); returns `into`. */
export function unpackVsix(vsix, into) {
  for (const entry of readZip(vsix)) {
    if (!entry.name.startsWith('extension/') || entry.name.endsWith('/')) continue;
    const target = join(into, entry.name.slice('extension/'.length));
    if (!target.startsWith(into + sep)) throw new Error(`${vsix}: entry ${entry.name} leaves the folder.`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data());
  }
  if (!existsSync(join(into, 'package.json'))) throw new Error(`${vsix} has no extension/package.json.`);
  return into;
}

export function formatBytes(bytes) {
  return `${(bytes / KB).toFixed(1)} KB`;
}

function run(command, args, cwd) {
  // Under `npm test` or `npm run bench`, npm's own npm_config_* variables would point the nested
  // npm at the work tree instead of the copy; drop them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('close', (code, signal) =>
      code === 0 ? resolve(output) : reject(new Error(`\`${command} ${args.join(' ')}\` exited with ${code ?? signal}:\n${output.trim()}`)));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let copy;
  try {
    copy = await packageInCopy({ log: (line) => console.log(line) });
    const sizes = measure(copy.dir, copy.vsix);
    const lines = checkBudgets(sizes);
    for (const line of lines) {
      console.log(`${line.ok ? 'ok  ' : 'OVER'} ${line.label.padEnd(48)} ${formatBytes(line.bytes).padStart(9)}  budget ${formatBytes(line.budget)}`);
    }
    for (const [path, bytes] of Object.entries(sizes.details.lazyFiles)) {
      console.log(`     ${`${path} (loaded when first needed)`.padEnd(48)} ${formatBytes(bytes).padStart(9)}`);
    }
    const over = lines.filter((line) => !line.ok);
    if (over.length > 0) {
      console.error(`Size budget exceeded: ${over.map((line) => `${line.key} by ${formatBytes(line.bytes - line.budget)}`).join(', ')}.`);
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    copy?.remove();
  }
}
