import type * as vscode from 'vscode';
import type { ApiKeyView, DiagnosticView, ProbeResultView, ProfileView, CredentialSourceView, RequestPayload, TestResult } from '../shared/webviewProtocol';
import type { DeviceCodePrompt } from '../core/flows/sso';

/** What the Profile Manager shows: views only, never a key (see src/shared/webviewProtocol.ts). */
export interface ProfileManagerState {
  profiles: ProfileView[];
  activeId?: string;
  credentialSource?: CredentialSourceView;
  untrustedWorkspace?: boolean;
  /** Where a new profile most likely points: see `suggestedServerUrl` in src/shared/webviewProtocol.ts. */
  suggestedServerUrl?: string;
}

/** What the page shows of an SSO sign-in's code: the prompt without the polling details. */
export type SsoCode = Pick<DeviceCodePrompt, 'userCode' | 'verificationUri' | 'verificationUriComplete' | 'browserUri' | 'browserHost' | 'expiresAt'>;

/** A profile that a sign-in created or updated (a profile of the same name is updated). */
export interface SignInOutcome {
  profileId: string;
}

/** What a key operation did, in a sentence for the page ("Saved to CLI profile 'production' in …"). */
export interface KeyOperationOutcome {
  message: string;
}

/**
 * The operations behind the Profile Manager. The extension host implements it with the profile
 * store and the sign-in flows of src/core/flows; the view only translates messages.
 *
 * Failures are thrown (an `AuthError`, or anything with `message`, `fix?`, `field?`); the view
 * shows them next to their field. Methods resolve only on success.
 */
export interface ProfileManagerBackend {
  /** Fires after anything the state depends on changed; the view then calls `getState` again. */
  readonly onDidChange: vscode.Event<void>;
  getState(): Promise<ProfileManagerState>;
  /** `GET /health` and `GET /auth/sso/config`. Unreachable servers resolve with `reachable: false`. */
  probeServer(serverUrl: string): Promise<ProbeResultView>;
  /** `signal` aborts when the person presses Cancel or closes the view: nothing is then saved. */
  signInWithPassword(input: RequestPayload<'signInPassword'>, signal?: AbortSignal): Promise<SignInOutcome>;
  /**
   * Runs the device flow: calls `onCode` once the server issued a code, resolves when the person
   * approved and the key is stored. `signal` aborts when the person presses Cancel or closes the
   * view; the method should then stop polling and reject.
   */
  signInWithSso(input: RequestPayload<'startSso'>, onCode: (code: SsoCode) => void, signal: AbortSignal): Promise<SignInOutcome>;
  saveApiKey(input: RequestPayload<'saveApiKey'>, signal?: AbortSignal): Promise<SignInOutcome>;
  useProfile(id: string): Promise<void>;
  /**
   * Test connection, step by step, ending with `GET /auth/me` with the profile's key; a failed
   * check resolves with `ok: false`. `report` is the redacted text for Copy report.
   */
  testConnection(id: string): Promise<Omit<TestResult, 'id'> & { report?: string }>;
  /** Test connection for a server URL before signing in (no key); `report` is the redacted text for Copy report. */
  testServer(serverUrl: string): Promise<{ diagnostic: DiagnosticView; report: string }>;
  /**
   * Forgets the key (and revokes it where possible); the profile stays, signed out. May ask the
   * person to confirm; resolves `false` when they decline.
   */
  signOut(id: string): Promise<boolean>;
  /** May ask the person to confirm; resolves `false` when they decline. */
  removeProfile(id: string): Promise<boolean>;
  /** `GET /api-keys` with the extension profile's own key: views, never a secret. */
  listKeys(profileId: string): Promise<ApiKeyView[]>;
  /** Asks the person to confirm; `false` when they decline. Throws when a key stayed live. */
  revokeKey(profileId: string, keyId: string): Promise<KeyOperationOutcome | false>;
  /** The keys unused for 90 days or more, never the profile's own; confirmed like revokeKey. */
  revokeStaleKeys(profileId: string): Promise<KeyOperationOutcome | false>;
  /**
   * The docs' four steps with progress: new key, every holder of the old key switched to it,
   * tested with `/auth/me`, old key revoked (or kept when the person chose so). `false` when the
   * person cancelled; throws when a step failed, naming the key still live.
   */
  rotateKey(profileId: string): Promise<KeyOperationOutcome | false>;
  /** Asks which CLI profile (default the profile's name); `false` when the person stopped. */
  saveToCli(profileId: string): Promise<KeyOperationOutcome | false>;
  /** `id` as the state listed the CLI profile. The new profile is chosen, like any sign-in. */
  importFromCli(id: string): Promise<(SignInOutcome & KeyOperationOutcome) | false>;
}
