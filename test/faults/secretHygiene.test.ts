import assert from 'node:assert/strict';
import { completeSsoLogin, startServer, type ReferenceServer } from '../server';
import { Journey } from './support/journey';
import { record } from './support/matrix';
import { allSurfaces, issuedKeys, keysIn } from './support/secrets';

describe('secret hygiene: the journeys that do succeed', () => {
  let server: ReferenceServer;
  let journey: Journey;
  before(async () => {
    server = await startServer({ pollIntervalSeconds: 1 });
  });
  after(() => server.stop());
  beforeEach(async () => {
    journey = await Journey.start(server, 'successful journeys');
  });
  afterEach(() => journey.finish());

  it('password, SSO and pasted-key sign-ins keep each key in SecretStorage only', async () => {
    const byPassword = await journey.service.password({ serverUrl: server.url, profileName: 'Password' }, 'alice', 'alice-password');
    let approval: Promise<void> | undefined;
    const bySso = await journey.service.sso({ serverUrl: server.url, profileName: 'SSO' }, (prompt) => {
      approval = completeSsoLogin(prompt.verificationUri, prompt.userCode, { username: 'bob', password: 'bob-password' });
    });
    await approval;
    const { key } = await server.issueKey('carol');
    const byKey = await journey.service.apiKey({ serverUrl: server.url, profileName: 'Pasted' }, key);
    for (const profile of [byPassword, bySso, byKey]) {
      const stored = await journey.store.getKey(profile.id);
      assert.ok(stored && server.keyIsValid(stored), `${profile.name} holds a live key`);
      assert.equal(profile.keyHint, stored.slice(-4), 'metadata keeps four characters, no more');
    }
    assert.equal(journey.store.list().length, 4);
  });

  it('signing the same profile in again replaces its key and revokes the old one, leaving no copy behind', async () => {
    const first = await journey.service.password({ serverUrl: server.url, profileName: 'Again' }, 'alice', 'alice-password');
    const firstKey = await journey.store.getKey(first.id);
    await journey.service.password({ serverUrl: server.url, profileName: 'Again' }, 'alice', 'alice-password');
    assert.ok(firstKey && !server.keyIsValid(firstKey));
    assert.equal(journey.secrets.values.size, 2, 'one entry for Existing, one for Again');
  });
});

// A root-level hook: it runs once, after every fault file, over everything those journeys left
// where a person, a log reader or another extension could see it.
after(async function scanEverySurface() {
  const keys = issuedKeys();
  const byArea = new Map<string, { surfaces: number; hits: number; where: string[] }>();
  for (const surface of allSurfaces()) {
    const found = keysIn(await surface.read());
    const entry = byArea.get(surface.area) ?? { surfaces: 0, hits: 0, where: [] };
    entry.surfaces += 1;
    entry.hits += found.length;
    if (found.length > 0) entry.where.push(surface.label);
    byArea.set(surface.area, entry);
  }
  for (const [area, { surfaces, hits }] of byArea) record({ type: 'secrets', area, surfaces, keys: keys.length, hits });
  assert.ok(keys.length > 0, 'the run issued keys to look for');
  const leaks = [...byArea].filter(([, e]) => e.hits > 0).map(([area, e]) => `${area}: ${e.where.join(', ')}`);
  assert.deepEqual(leaks, [], 'key values found outside SecretStorage');
});
