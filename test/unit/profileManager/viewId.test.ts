import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILE_MANAGER_VIEW_ID } from '../../../src/profileManager/viewId';

// out/test/unit/profileManager → the repository root.
const root = join(__dirname, '..', '..', '..', '..');

interface Manifest {
  contributes: {
    views: Record<string, Array<{ id: string; type?: string }>>;
    menus: Record<string, Array<{ when?: string }>>;
  };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

describe("The Profile Manager view's id (src/profileManager/viewId.ts)", () => {
  it('is the one webview view package.json contributes', () => {
    const webviews = Object.values(manifest.contributes.views).flat().filter((view) => view.type === 'webview');
    assert.deepEqual(webviews.map((view) => view.id), [PROFILE_MANAGER_VIEW_ID]);
  });

  it("is the view the view title's buttons are shown on", () => {
    const whens = manifest.contributes.menus['view/title']?.map((item) => item.when) ?? [];
    assert.ok(whens.length > 0, 'the view has title buttons');
    assert.deepEqual(whens.filter((when) => when !== `view == ${PROFILE_MANAGER_VIEW_ID}`), []);
  });
});
