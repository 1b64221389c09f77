// What other extensions learn about the credential in use: where it points and whose it is, never
// the key. An extension that needs the key asks VS Code for the `coderflow` session, and VS Code
// asks the person first.
import type { Credential, CredentialSource } from '../core/credentialChain';
import type { ProfileMeta } from '../profiles/profile';
import { maskKey } from '../shared/secretShapes';

export interface PublicCredential {
  serverUrl: string;
  source: CredentialSource;
  /** For a person: "CLI profile 'production' in ~/.coderflow/config.json". */
  detail: string;
  /** The user name, when known without asking the server (a Profile Manager profile). */
  user?: string;
  /** The server's id of the key, when known (a Profile Manager profile). */
  keyId?: string;
  /** `pc_…a1b2`. */
  maskedKey: string;
}

/** `profile` is the Profile Manager profile in use, when the credential is one. */
export function publicCredential(credential: Credential | undefined, profile?: ProfileMeta): PublicCredential | undefined {
  if (!credential) return undefined;
  const fromProfile = credential.source === 'profile' ? profile : undefined;
  return {
    serverUrl: credential.serverUrl,
    source: credential.source,
    detail: credential.detail,
    ...(fromProfile?.username ? { user: fromProfile.username } : {}),
    ...(fromProfile?.keyId ? { keyId: fromProfile.keyId } : {}),
    maskedKey: maskKey(credential.apiKey),
  };
}
