import assert from 'node:assert/strict';
import { aiProviderOf, isPersonalKey, keyShape, maskKey, redactSecrets } from '../../../src/shared/secretShapes';

describe('secret shapes', () => {
  it('tells a personal key from an AI provider’s, another text and one a header cannot carry', () => {
    assert.deepEqual(keyShape(`  pc_${'ab'.repeat(20)} `), { kind: 'personal' });
    assert.deepEqual(keyShape('gsk_abcdefghijklmnop'), { kind: 'aiProvider', provider: 'Groq' });
    assert.deepEqual(keyShape('sk-ant-api03-xyz'), { kind: 'aiProvider', provider: 'Anthropic' });
    assert.deepEqual(keyShape('hello'), { kind: 'other' });
    assert.deepEqual(keyShape(''), { kind: 'empty' });
    assert.deepEqual(keyShape('pc_a b'), { kind: 'malformed', problem: 'whitespace' });
    assert.deepEqual(keyShape('pc_é'), { kind: 'malformed', problem: 'characters' });
    assert.deepEqual(keyShape('pc_'), { kind: 'malformed', problem: 'length' });
    assert.deepEqual(keyShape(`pc_${'x'.repeat(600)}`), { kind: 'malformed', problem: 'length' });
  });

  it('takes the longest prefix of a provider first', () => {
    assert.equal(aiProviderOf('sk-or-v1-abc'), 'OpenRouter');
    assert.equal(aiProviderOf('sk-abc'), 'OpenAI');
    assert.equal(aiProviderOf('pc_abc'), undefined);
  });

  it('accepts as stored only a personal key without surrounding space', () => {
    assert.equal(isPersonalKey(`pc_${'1'.repeat(40)}`), true);
    assert.equal(isPersonalKey(` pc_${'1'.repeat(40)}`), false);
    assert.equal(isPersonalKey('xai-123'), false);
  });

  it('masks a personal key to its last four characters, anything else entirely', () => {
    assert.equal(maskKey(`pc_${'0'.repeat(36)}a1b2`), 'pc_…a1b2');
    assert.equal(maskKey('pc_ab'), '***');
    assert.equal(maskKey('hunter2-secret'), '***');
  });

  it('masks exact secrets first, then every shape, and leaves ordinary text alone', () => {
    const key = `pc_${'9'.repeat(36)}wxyz`;
    const out = redactSecrets(`password hunter2-secret, key ${key}, gsk_${'g'.repeat(20)}, Bearer abc.def`, ['hunter2-secret']);
    assert.equal(out, 'password ***, key pc_…wxyz, gsk_***, Bearer ***');
    const plain = 'Signed in to https://coderflow.example.com as alice.';
    assert.equal(redactSecrets(plain), plain);
  });
});
