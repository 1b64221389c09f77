import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { startSession, type Session } from '../support/session';

// The Profile Manager page's heading: update this when the real page replaces the placeholder.
const PROFILE_MANAGER_TEXT = /CoderFlow Profile Manager/;

describe('Opening the Profile Manager', function () {
  this.timeout(180_000);
  let session: Session;

  before(async () => {
    session = await startSession({ workspaceSettings: (serverUrl) => ({ 'profoundCoder.serverUrl': serverUrl }) });
  });

  after(async () => {
    await session?.stop();
  });

  it('shows the Profile Manager when a person clicks CoderFlow in the Activity Bar', async () => {
    const { workbench } = session;
    await workbench.openViewContainer('CoderFlow');
    const sideBarTitle = workbench.page.locator('.part.sidebar .composite.title .title-label');
    assert.match(await sideBarTitle.innerText(), /CoderFlow: Profile Manager/i);
    const page = await workbench.webviewFrame({ text: PROFILE_MANAGER_TEXT });
    assert.ok(await page.getByText(PROFILE_MANAGER_TEXT).first().isVisible());
    const shot = await workbench.screenshot('profile-manager-from-activity-bar');
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, `screenshot ${shot} was not written`);
  });
});
