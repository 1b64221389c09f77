// Every key value the reference server issued during the run, and every place a test can see
// outside SecretStorage, for the scan at the end (secretHygiene.test.ts).
import { KeyStore } from '../../server/keys';

const issued = new Set<string>();

// The server keeps only hashes, so the values are taken where they are made. Every way the
// server hands out a key (cli-login, an approved SSO poll, POST /api-keys, issueKey) passes here.
const issue = KeyStore.prototype.issue;
KeyStore.prototype.issue = function (this: KeyStore, ...args: Parameters<typeof issue>) {
  const made = issue.apply(this, args);
  issued.add(made.key);
  return made;
};

export function issuedKeys(): string[] {
  return [...issued];
}

export interface Surface {
  /** Which fault area the surface belongs to, for the matrix row. */
  area: string;
  /** What it is, named in a failure: "globalState", "log", "error message"… */
  label: string;
  read(): string | Promise<string>;
}

const surfaces: Surface[] = [];

/** Something a person, another extension or a log reader could see. */
export function expose(area: string, label: string, read: () => string | Promise<string>): void {
  surfaces.push({ area, label, read });
}

export function allSurfaces(): readonly Surface[] {
  return surfaces;
}

/** The issued key values found in text. */
export function keysIn(text: string): string[] {
  return issuedKeys().filter((key) => text.includes(key));
}
