import { appendFileSync } from 'node:fs';
import type Mocha from 'mocha';

// The attack suite's table: one row per test under a top-level describe named 'attack: …', whose
// title reads "<attack> → <expected>". A test may say what it observed with observe(); the row
// says it passed or failed either way. Rows go, one JSON line each, to the file named by
// ATTACK_TABLE_ENV: scripts/attacks.mjs prints them. Loaded as mocha root hooks, in plain Node
// (mocha --require) and in the extension host (test/integration/index.ts).

export const ATTACK_TABLE_ENV = 'CODERFLOW_ATTACK_TABLE';
export const ATTACK_PREFIX = 'attack: ';

export interface AttackRow {
  area: string;
  attack: string;
  expected: string;
  observed: string;
  passed: boolean;
}

let observations: string[] = [];

/** What the running attack test saw (a measurement, a message), for the table's Observed column. */
export function observe(text: string): void {
  observations.push(text);
}

export const mochaHooks = {
  beforeEach(): void {
    observations = [];
  },
  afterEach(this: Mocha.Context): void {
    const test = this.currentTest;
    const file = process.env[ATTACK_TABLE_ENV];
    const top = test?.titlePath()[0];
    if (!test || !file || !top?.startsWith(ATTACK_PREFIX)) return;
    const arrow = test.title.indexOf(' → ');
    const passed = test.state === 'passed';
    const row: AttackRow = {
      area: top.slice(ATTACK_PREFIX.length),
      attack: arrow < 0 ? test.title : test.title.slice(0, arrow),
      expected: arrow < 0 ? '' : test.title.slice(arrow + 3),
      observed: observations.join('; ') || (passed ? 'as expected' : 'FAILED (see the failure above)'),
      passed,
    };
    appendFileSync(file, `${JSON.stringify(row)}\n`);
  },
};
