// What the fault tests did, one JSON line per event, for scripts/faults.mjs to add up into the
// matrix. The numbers in the matrix come only from here, never from a typed-in table. Without
// the variable (a single file run by hand) nothing is written and the assertions still hold.
import { appendFileSync } from 'node:fs';

export const MATRIX_ENV = 'CODERFLOW_FAULT_MATRIX';

export type MatrixEvent =
  /** A fault was switched on (server fault, bad certificate, proxy, …). */
  | { type: 'fault'; area: string; fault: string }
  /** A property ran; `tried` counts the inputs it was really called with. */
  | { type: 'badInput'; area: string; tried: number }
  /** A failure reached the person; `clear` when its message passed the clarity checks. */
  | { type: 'failure'; area: string; kind: string; clear: boolean }
  /** Profiles that existed before a failed step, and how many of them were lost or changed. */
  | { type: 'profiles'; area: string; checked: number; lost: number }
  /** The final scan of everything outside SecretStorage. */
  | { type: 'secrets'; area: string; surfaces: number; keys: number; hits: number };

export function record(event: MatrixEvent): void {
  const file = process.env[MATRIX_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(event)}\n`);
}
