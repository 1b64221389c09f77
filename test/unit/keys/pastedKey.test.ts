import assert from 'node:assert/strict';
import type { ApiKeyInfo } from '../../../src/auth/protocol';
import { JUST_USED_MS, justUsed } from '../../../src/session/pastedKey';

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
