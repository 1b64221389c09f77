import assert from 'node:assert/strict';
import type { ApiKeyInfo } from '../../../../src/core/http/protocol';
import { JUST_USED_MS, justUsed, usedBetween } from '../../../../src/services/apiKeys/pastedKey';

const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const key = (id: string, lastUsedAt: string | null): ApiKeyInfo => ({ id, name: id, createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt });
const at = (offset: number) => new Date(NOW + offset).toISOString();

describe('which key was just used', () => {
  it('is the one key used most recently when no other was used within the window', () => {
    assert.deepEqual(justUsed([key('a', at(-60_000)), key('b', at(0)), key('c', null)]).map((k) => k.id), ['b']);
  });
  it('is every key used within the window of the most recent use (then the person is asked)', () => {
    assert.deepEqual(justUsed([key('a', at(-JUST_USED_MS)), key('b', at(0)), key('c', at(-JUST_USED_MS - 1))]).map((k) => k.id), ['a', 'b']);
  });
  it('is none when no key has a readable last-used time', () => {
    assert.deepEqual(justUsed([key('a', null), key('b', 'yesterday')]), []);
    assert.deepEqual(justUsed([]), []);
  });
});

describe('which key made two readings of the list', () => {
  it('is the key whose last-used time moved between them, however recently others were used', () => {
    const first = [key('a', at(-10)), key('b', at(-20)), key('c', null)];
    const second = [key('a', at(-10)), key('b', at(0)), key('c', null)];
    assert.deepEqual(usedBetween(first, second).map((k) => k.id), ['b']);
  });
  it('counts a first use (no time before) as moved, and a key new in the second reading as not', () => {
    assert.deepEqual(usedBetween([key('a', null)], [key('a', at(0)), key('new', at(0))]).map((k) => k.id), ['a']);
  });
  it('is none when no time moved (a server that keeps the time to the second)', () => {
    const same = [key('a', at(0)), key('b', at(0))];
    assert.deepEqual(usedBetween(same, same), []);
  });
});
