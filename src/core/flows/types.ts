import { hostname as osHostname } from 'node:os';
import type { CoderFlowClient } from '../http/client';
import type { LoginResult, User } from '../http/protocol';
import type { SignInMethod } from '../../shared/signInMethod';


/** What every sign-in produces: a confirmed key for a server, and whose it is. */
export interface SignInResult {
  serverUrl: string;
  apiKey: string;
  /** Known when the sign-in created the key. */
  keyId?: string;
  keyName?: string;
  user: User;
  method: SignInMethod;
}

export interface FlowContext {
  /** A client for the server, without a key. */
  client: CoderFlowClient;
  signal?: AbortSignal;
  /** The name of a key the flow creates, see deviceKeyName. */
  keyName: string;
}

/** One way of signing in. The Profile Manager, the commands and the tests drive the same objects. */
export interface SignInFlow<Input> {
  readonly id: SignInMethod;
  authenticate(input: Input, context: FlowContext): Promise<SignInResult>;
}

/** The docs ask for one key per device; the name tells a person which device a key is for. */
export function deviceKeyName(hostname: string = osHostname()): string {
  const name = hostname.trim();
  return name === '' ? 'VS Code' : `VS Code on ${name}`;
}

/**
 * Confirms with `GET /auth/me` a key the flow just had the server make. When that fails nobody
 * will ever hold the key, so it is revoked (best effort) rather than left live on the server.
 */
export async function confirmNewKey(client: CoderFlowClient, created: LoginResult, signal?: AbortSignal): Promise<User> {
  const keyClient = client.withApiKey(created.key);
  try {
    return await keyClient.me(signal);
  } catch (e) {
    await keyClient.deleteKey(created.id).catch(() => undefined);
    throw e;
  }
}
