// `npm start`: the playground. Installs the npm dependencies if needed (scripts/ensureDependencies.mjs),
// builds the extension, packages it as a VSIX and installs it into code-server (VS Code in the
// browser, as a person would install it), starts the reference
// CoderFlow server (test control on, SSO on, SSO polling every 2 s) and opens a demo workspace
// whose settings point profoundCoder.serverUrl at it. Everything listens on loopback only: VS Code
// on 127.0.0.1, the CoderFlow server on 127.0.0.2. The second address matters: VS Code in a browser
// rewrites every page it opens on localhost or 127.0.0.1 to its own port-forwarding proxy (and
// drops the path), so SSO's "Open browser" would land on "Not found" there; any other loopback
// address is opened as it is, like a server on another machine.
// Ctrl+C stops everything.
//
//   npm start [-- --port 8080] [-- --server-port 3000]
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
// Only dependency-free modules are imported here: node_modules may not exist yet.
import { ensureDependencies } from './ensureDependencies.mjs';
import { ensureVscode, root } from './vscode.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : undefined;
};

function step(title, command, commandArgs) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${title} failed (exit ${code})`));
      console.log(`[playground] ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      resolve();
    });
  });
}

const bin = (name) => join(root, 'node_modules/.bin', name);
const runDir = join(root, '.cache/playground');
const stops = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error(`[playground] while stopping: ${error.message}`);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => {
  console.log('\n[playground] stopping…');
  void stopAll(0);
});
process.on('SIGTERM', () => void stopAll(0));
process.on('SIGHUP', () => void stopAll(0));

try {
  await ensureDependencies();
  await ensureVscode();
  await step('bundled the extension', process.execPath, ['scripts/build.mjs']);
  await step('compiled the reference server', bin('tsc'), ['-p', 'tsconfig.test.json']);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const vsix = join(runDir, 'coderflow.vsix');
  await step('packaged the VSIX', bin('vsce'), ['package', '--no-dependencies', '--out', vsix]);

  const { startServer } = require(join(root, 'out/test/server/index.js'));
  const { startCodeServer } = require(join(root, 'out/test/support/vscodeServer.js'));
  const server = await startServer({ host: '127.0.0.2', port: option('--server-port'), testControl: true, sso: true, pollIntervalSeconds: 2 });
  stops.push(() => server.stop());

  const folder = join(runDir, 'demo-workspace');
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(join(folder, '.vscode/settings.json'), `${JSON.stringify({ 'profoundCoder.serverUrl': server.url }, null, 2)}\n`);
  writeFileSync(
    join(folder, 'README.md'),
    `# CoderFlow playground\n\nThe CoderFlow icon in the Activity Bar opens the Profile Manager.\nThe reference server runs at ${server.url}.\n`,
  );
  const userSettings = join(runDir, 'data/user-data/User');
  mkdirSync(userSettings, { recursive: true });
  writeFileSync(join(userSettings, 'settings.json'), `${JSON.stringify({ 'workbench.startupEditor': 'readme', 'git.openRepositoryInParentFolders': 'never' }, null, 2)}\n`);

  const vscode = await startCodeServer({ folder, dataDir: join(runDir, 'data'), vsix, port: option('--port'), trustAll: true });
  stops.push(() => vscode.stop());

  console.log('');
  console.log('CoderFlow playground');
  console.log(`  VS Code (code-server):   ${vscode.url}`);
  console.log(`  CoderFlow test server:   ${server.url}`);
  console.log('  Demo users (username / password, roles):');
  for (const user of server.users) console.log(`    ${user.username} / ${user.password}  (${user.roles.join(', ')})`);
  console.log('Press Ctrl+C to stop.');
  void vscode.process.exited.then((code) => {
    if (stopping) return;
    console.error(`[playground] code-server stopped (${code}):\n${vscode.process.output()}`);
    void stopAll(1);
  });
} catch (error) {
  console.error(`[playground] ${error.message}`);
  await stopAll(1);
}
