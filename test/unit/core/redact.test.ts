import assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/redact';

describe('Redactor', () => {
  const key = 'pc_' + '0123456789abcdef'.repeat(4);

  it('masks a CoderFlow key to its last four characters', () => {
    const out = new Redactor().redact(`stored ${key} for alice`);
    assert.equal(out, `stored pc_…cdef for alice`);
  });

  it('masks bearer tokens of any shape', () => {
    assert.equal(new Redactor().redact('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer ***');
  });

  it('masks AI provider keys and secret JSON fields', () => {
    const out = new Redactor().redact('{"password":"hunter2","x":"sk-ant-api03-abcdefghijkl"}');
    assert.ok(!out.includes('hunter2'));
    assert.ok(!out.includes('abcdefghijkl'));
  });

  it('masks a registered secret that does not look like a key', () => {
    const r = new Redactor();
    r.add('correct-horse-battery');
    assert.equal(r.redact('typed correct-horse-battery twice: correct-horse-battery'), 'typed *** twice: ***');
  });

  it('leaves ordinary text alone', () => {
    const text = 'Signed in to https://coderflow.example.com as alice (profile "Production").';
    assert.equal(new Redactor().redact(text), text);
  });
});
