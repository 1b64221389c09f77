import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import type { ThemeKind } from '../support/browser';
import { screenshotIfFailed, startSession, type Session } from '../support/session';

// What the Profile Manager shows first: update these when the page changes.
const PAGE_TITLE = 'CoderFlow Profile Manager';
const FIRST_HEADING = 'Profiles';

describe('Opening the Profile Manager', function () {
  this.timeout(180_000);
  let session: Session | undefined;

  before(async () => {
    session = await startSession({ workspaceSettings: (serverUrl) => ({ 'profoundCoder.serverUrl': serverUrl }) });
  });

  afterEach(async function () {
    await screenshotIfFailed(this, session);
  });

  after(async () => {
    await session?.stop();
  });

  it('shows the Profile Manager when a person clicks CoderFlow in the Activity Bar', async () => {
    const { workbench } = session!;
    await workbench.openViewContainer('CoderFlow');
    const sideBarTitle = workbench.page.locator('.part.sidebar .composite.title .title-label');
    assert.match(await sideBarTitle.innerText(), /CoderFlow: Profile Manager/i);

    const page = await workbench.webviewFrame({ text: FIRST_HEADING });
    assert.equal(await page.title(), PAGE_TITLE);
    assert.ok(await page.getByRole('heading', { name: FIRST_HEADING }).first().isVisible());

    const shot = await workbench.screenshot('profile-manager-from-activity-bar');
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, `screenshot ${shot} was not written`);
  });

  it('shows the Profile Manager again from the Command Palette after the person left it', async () => {
    const { workbench } = session!;
    await workbench.openViewContainer('Explorer');
    await workbench.runCommand('CoderFlow: Open Profile Manager');
    await workbench.webviewFrame({ text: FIRST_HEADING });
  });

  it('follows the color theme the person picks', async () => {
    const { workbench } = session!;
    const bodyClassOf: Record<ThemeKind, string> = {
      dark: 'vscode-dark',
      'high-contrast': 'vscode-high-contrast',
      'high-contrast-light': 'vscode-high-contrast-light',
      light: 'vscode-light',
    };
    for (const kind of ['dark', 'high-contrast', 'high-contrast-light', 'light'] as const) {
      await workbench.setColorTheme(kind);
      const page = await workbench.webviewFrame({ text: FIRST_HEADING });
      const bodyClasses = await page.locator('body').getAttribute('class');
      assert.ok(bodyClasses?.split(' ').includes(bodyClassOf[kind]), `${kind}: body class is "${bodyClasses}"`);
      await workbench.screenshot(`profile-manager-${kind}`);
    }
  });
});
