import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startServer } from '../server/index';
import { removeOnExit } from '../support/processes';
import { TEST_SERVER_URL_ENV } from '../support/session';
import { createWorkspace, freshRunDir, repoRoot } from '../support/vscodeServer';

// The same integration suite in desktop VS Code through @vscode/test-electron (`npm run
// test:desktop`), for machines that can download VS Code. Not part of `npm test`: these
// offline machines cannot download it, and runBrowser.ts covers the same suite there.

const VSCODE_VERSION = '1.100.3';

async function main(): Promise<number> {
  const server = await startServer({ testControl: true });
  const workspace = createWorkspace();
  const userData = freshRunDir('desktop');
  const removeUserData = removeOnExit(userData);
  try {
    await runTests({
      version: VSCODE_VERSION,
      // The download lands in the ignored .cache folder, not in a new .vscode-test at the root.
      cachePath: join(repoRoot, '.cache/vscode-test'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out/test/integration/index.js'),
      extensionTestsEnv: { [TEST_SERVER_URL_ENV]: server.url },
      // The desktop runner has no one to click the trust dialog: trust is turned off instead.
      launchArgs: [
        workspace.folder,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir', join(userData, 'user-data'),
        '--extensions-dir', join(userData, 'extensions'),
      ],
    });
    return 0;
  } catch (error) {
    console.error(`Desktop integration run failed: ${(error as Error).message}`);
    return 1;
  } finally {
    workspace.remove();
    removeUserData();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
