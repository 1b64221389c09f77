import assert from 'node:assert/strict';
import { daysUntil, ExpiryChecks, expiryText, expiryWarningDue, isStale, localDay, rotatedKeyName, staleKeys } from '../../../src/shared/keyDates';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T12:00:00.000Z');
const at = (offset: number) => new Date(NOW + offset).toISOString();

describe('Key lifecycle dates', () => {
  describe('stale keys', () => {
    const cases: Array<[string, { createdAt: string; lastUsedAt: string | null }, boolean]> = [
      ['used yesterday', { createdAt: at(-400 * DAY), lastUsedAt: at(-DAY) }, false],
      ['last used 89 days ago', { createdAt: at(-400 * DAY), lastUsedAt: at(-89 * DAY) }, false],
      ['last used exactly 90 days ago', { createdAt: at(-400 * DAY), lastUsedAt: at(-90 * DAY) }, true],
      ['last used 200 days ago', { createdAt: at(-400 * DAY), lastUsedAt: at(-200 * DAY) }, true],
      ['never used, made 10 days ago', { createdAt: at(-10 * DAY), lastUsedAt: null }, false],
      ['never used, made 90 days ago', { createdAt: at(-90 * DAY), lastUsedAt: null }, true],
      ['with dates that do not parse', { createdAt: 'yesterday', lastUsedAt: 'soon' }, false],
    ];
    for (const [name, key, stale] of cases) {
      it(`${stale ? 'marks' : 'does not mark'} a key ${name} as stale`, () => assert.equal(isStale(key, NOW), stale));
    }

    it('never offers the key the profile holds for "Revoke stale keys"', () => {
      const keys = [
        { id: 'own', createdAt: at(-300 * DAY), lastUsedAt: at(-100 * DAY) },
        { id: 'old', createdAt: at(-300 * DAY), lastUsedAt: null },
        { id: 'new', createdAt: at(-3 * DAY), lastUsedAt: null },
      ];
      assert.deepEqual(staleKeys(keys, 'own', NOW).map((k) => k.id), ['old']);
      assert.deepEqual(staleKeys(keys, undefined, NOW).map((k) => k.id), ['own', 'old']);
    });
  });

  describe('expiry', () => {
    const texts: Array<[number, string]> = [
      [30 * DAY, 'expires in 30 days'],
      [7 * DAY, 'expires in 7 days'],
      [6 * DAY + 1, 'expires in 7 days'],
      [30 * 3_600_000, 'expires in 2 days'],
      [DAY, 'expires in 1 day'],
      [60_000, 'expires in 1 day'],
    ];
    for (const [offset, text] of texts) {
      it(`says "${text}" ${offset} ms before the expiry`, () => assert.equal(expiryText(at(offset), NOW), text));
    }

    it('says when an expired key expired, on the local calendar', () => {
      const expired = at(-3 * DAY);
      assert.equal(expiryText(expired, NOW), `expired on ${localDay(new Date(expired))}`);
      assert.equal(expiryText(at(0), NOW), `expired on ${localDay(new Date(NOW))}`);
      assert.ok((daysUntil(expired, NOW) ?? 0) < 0);
    });

    it('says nothing for a key without an expiry or with one it cannot read', () => {
      assert.equal(expiryText(undefined, NOW), undefined);
      assert.equal(expiryText(null, NOW), undefined);
      assert.equal(expiryText('next tuesday', NOW), undefined);
    });

    it('warns from 7 days before the expiry on, and for expired keys', () => {
      assert.equal(expiryWarningDue(at(8 * DAY), NOW), false);
      assert.equal(expiryWarningDue(at(7 * DAY + 1), NOW), false);
      assert.equal(expiryWarningDue(at(7 * DAY), NOW), true);
      assert.equal(expiryWarningDue(at(DAY), NOW), true);
      assert.equal(expiryWarningDue(at(-DAY), NOW), true);
      assert.equal(expiryWarningDue(null, NOW), false);
      assert.equal(expiryWarningDue('garbage', NOW), false);
    });
  });

  it('names a rotated key for the device and the local day: "VS Code on <host> (rotated YYYY-MM-DD)"', () => {
    const when = new Date(2026, 0, 5, 23, 59);
    assert.equal(rotatedKeyName('VS Code on build-01', when), 'VS Code on build-01 (rotated 2026-01-05)');
  });
});

describe('ExpiryChecks', () => {
  it('makes a key due when never looked at, then again only a day later', () => {
    const checks = new ExpiryChecks();
    assert.equal(checks.claim('p', 'k1', NOW), true);
    assert.equal(checks.claim('p', 'k1', NOW + DAY - 1), false);
    assert.equal(checks.claim('p', 'k1', NOW + DAY), true, 'a window open for a day looks again');
  });
  it('makes a key whose id became known later due at once', () => {
    const checks = new ExpiryChecks();
    assert.equal(checks.claim('p', 'k1', NOW), true);
    assert.equal(checks.claim('p', 'k2', NOW + 1), true);
    assert.equal(checks.claim('q', 'k1', NOW + 1), true);
  });
});
