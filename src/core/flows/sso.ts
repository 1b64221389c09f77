import { AuthError, MESSAGES, type AuthErrorKind } from '../errors';
import { SLOW_DOWN_INCREMENT_SECONDS, type DeviceAuthorization } from '../http/protocol';
import { sleep as realSleep } from '../sleep';
import {
  isShowableUserCode,
  MAX_CODE_LIFETIME_SECONDS,
  MAX_POLL_INTERVAL_SECONDS,
  MAX_USER_CODE_LENGTH,
  MIN_POLL_INTERVAL_SECONDS,
} from '../../shared/deviceCode';
import { confirmNewKey, type FlowContext, type SignInFlow, type SignInResult } from './types';
import { checkVerificationUri } from './verificationUri';
import * as l10n from '@vscode/l10n';

/** What to show the person while the server waits for their approval in a browser. */
export interface DeviceCodePrompt {
  userCode: string;
  /** Checked with checkVerificationUri: safe to open. */
  verificationUri: string;
  verificationUriComplete?: string;
  /** The address to open in the browser (the complete one when the server sent it). */
  browserUri: string;
  /** The host of browserUri, shown to the person before the browser opens. */
  browserHost: string;
  /** When the code stops working, ms since the epoch. */
  expiresAt: number;
  /** Seconds between polls. */
  interval: number;
}

export interface SsoInput {
  onCode(prompt: DeviceCodePrompt): void;
  /** Before each poll; attempt counts from 1. */
  onPoll?(attempt: number): void;
  /** The server asked to poll less often; the new interval in seconds. */
  onSlowDown?(intervalSeconds: number): void;
  /** A poll failed in a way that may pass (5xx, reset, timeout); the next comes after `waitSeconds`. */
  onRetry?(error: AuthError, waitSeconds: number): void;
  /** Tests may speed time up; the default waits in real time. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

// A poll that failed this way may succeed next time; anything else (a 4xx outside RFC 8628, a
// certificate that changed, a malformed answer) will not, and ends the sign-in.
const TRANSIENT: ReadonlySet<AuthErrorKind> = new Set(['server-error', 'network', 'timeout']);

const clampInterval = (seconds: number) => Math.min(MAX_POLL_INTERVAL_SECONDS, Math.max(MIN_POLL_INTERVAL_SECONDS, seconds));

/**
 * SSO by device authorization, to the letter of RFC 8628: show the code, wait `interval`
 * between polls, add 5 s on slow_down, stop at expiry, stop at once on cancel. A hostile server
 * cannot push past the bounds of src/shared/deviceCode.ts, and a transient failure while polling
 * is retried with backoff within the code's lifetime.
 */
export const ssoFlow: SignInFlow<SsoInput> = {
  id: 'sso',
  async authenticate(input: SsoInput, context: FlowContext): Promise<SignInResult> {
    const { client, signal, keyName } = context;
    const sleep = input.sleep ?? realSleep;
    const now = input.now ?? Date.now;

    const config = await client.ssoConfig(signal);
    if (!config.enabled) throw new AuthError('sso-disabled', MESSAGES.ssoDisabled, { fix: MESSAGES.ssoDisabledFix });

    const device = await client.startDevice(keyName, signal);
    const prompt = deviceCodePrompt(device, client.serverUrl, now());
    let interval = prompt.interval;
    input.onCode(prompt);

    let failures = 0;
    let lastFailure: AuthError | undefined;
    // After each failure in a row the wait doubles, up to the longest interval.
    const backoff = () => Math.min(MAX_POLL_INTERVAL_SECONDS, interval * 2 ** failures);
    for (let attempt = 1; ; attempt++) {
      const waitSeconds = backoff();
      // Never past the code's end: a long interval must not hold a sign-in that is already over.
      await sleep(Math.min(waitSeconds * 1000, Math.max(0, prompt.expiresAt - now())), signal);
      if (signal?.aborted) throw new AuthError('cancelled', MESSAGES.cancelled);
      // A server that kept failing until the code ran out: its failure says more than "expired".
      if (now() >= prompt.expiresAt) throw lastFailure ?? new AuthError('code-expired', MESSAGES.codeExpired, { fix: MESSAGES.codeExpiredFix });
      input.onPoll?.(attempt);
      let answer: Awaited<ReturnType<typeof client.pollDevice>>;
      try {
        answer = await client.pollDevice(device.deviceCode, signal);
      } catch (e) {
        if (signal?.aborted || !(e instanceof AuthError) || !TRANSIENT.has(e.kind)) throw e;
        failures++;
        lastFailure = e;
        input.onRetry?.(e, backoff());
        continue;
      }
      failures = 0;
      lastFailure = undefined;
      if (answer.status === 'slow_down') {
        interval = clampInterval(interval + SLOW_DOWN_INCREMENT_SECONDS);
        input.onSlowDown?.(interval);
      } else if (answer.status === 'approved') {
        const { result } = answer;
        const user = await confirmNewKey(client, result, signal);
        return { serverUrl: client.serverUrl, apiKey: result.key, keyId: result.id, keyName: result.name, user, method: 'sso' };
      }
    }
  },
};

/**
 * The server's device authorization, checked and bounded: a code nobody could see or compare is
 * refused before it is polled for, and the interval and lifetime are kept within the bounds.
 */
export function deviceCodePrompt(device: DeviceAuthorization, serverUrl: string, now: number): DeviceCodePrompt {
  const unusable = (why: string) =>
    new AuthError('unexpected-response', l10n.t('The server sent a sign-in code that cannot be used: {0}.', why), {
      fix: l10n.t('Try again. If it keeps happening, ask your CoderFlow administrator to check the server’s SSO settings.'),
    });
  if (!isShowableUserCode(device.userCode)) {
    throw unusable(l10n.t('the code to show must be 1–{0} letters or digits, in groups separated by a space or a hyphen', MAX_USER_CODE_LENGTH));
  }
  if (!Number.isFinite(device.expiresIn) || device.expiresIn <= 0) throw unusable(l10n.t('it has no lifetime'));
  if (!Number.isFinite(device.interval)) throw unusable(l10n.t('it has no polling interval'));
  const plain = checkVerificationUri(device.verificationUri, serverUrl);
  const complete = device.verificationUriComplete === undefined ? undefined : checkVerificationUri(device.verificationUriComplete, serverUrl);
  const browser = complete ?? plain;
  return {
    userCode: device.userCode,
    verificationUri: plain.href,
    ...(complete ? { verificationUriComplete: complete.href } : {}),
    browserUri: browser.href,
    browserHost: browser.host,
    expiresAt: now + Math.min(device.expiresIn, MAX_CODE_LIFETIME_SECONDS) * 1000,
    interval: clampInterval(device.interval),
  };
}
