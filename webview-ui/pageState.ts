import * as z from 'zod/mini';
import { parseProbeResult, parseToPage, signInMethod, type StateMessage } from '../src/shared/webviewProtocol';
import type { FormSnapshot } from './addProfileForm';

/**
 * What survives hiding the view and reloading the window (VS Code keeps it with the webview).
 * Never a password or a key: only what a person typed into the plain fields, the server's answer
 * to the probe, and the last list of profiles (views, masked keys) so it paints at once.
 */
export interface PageState {
  form: FormSnapshot;
  profiles?: StateMessage;
}

const persisted = z.object({
  form: z.object({
    profileName: z.string().check(z.maxLength(200)),
    serverUrl: z.string().check(z.maxLength(2048)),
    username: z.string().check(z.maxLength(200)),
    tab: signInMethod,
    probe: z.optional(z.unknown()),
  }),
  profiles: z.optional(z.unknown()),
});

/** Reads what an earlier page saved; anything that does not fit (an older version) reads as nothing. */
export function readPageState(saved: unknown): PageState | undefined {
  const parsed = persisted.safeParse(saved);
  if (!parsed.success) return undefined;
  const { probe, ...form } = parsed.data.form;
  const probeResult = parseProbeResult(probe);
  const profiles = parseToPage(parsed.data.profiles);
  return {
    form: { ...form, ...(probeResult ? { probe: probeResult } : {}) },
    ...(profiles?.type === 'state' ? { profiles } : {}),
  };
}
