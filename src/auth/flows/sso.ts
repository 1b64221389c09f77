import { AuthError, MESSAGES } from '../errors';
import { SLOW_DOWN_INCREMENT_SECONDS } from '../protocol';
import { sleep as realSleep } from '../sleep';
import { confirmNewKey, type FlowContext, type SignInFlow, type SignInResult } from './types';

/** What to show the person while the server waits for their approval in a browser. */
export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
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
  /** Tests may speed time up; the default waits in real time. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  now?(): number;
}

/**
 * SSO by device authorization, to the letter of RFC 8628: show the code, wait `interval`
 * between polls, add 5 s on slow_down, stop at expiry, stop at once on cancel.
 */
export const ssoFlow: SignInFlow<SsoInput> = {
  id: 'sso',
  title: 'Sign in with SSO',

  supports(config) {
    return config?.enabled === true;
  },

  async authenticate(input: SsoInput, context: FlowContext): Promise<SignInResult> {
    const { client, signal, keyName } = context;
    const sleep = input.sleep ?? realSleep;
    const now = input.now ?? Date.now;

    const config = await client.ssoConfig(signal);
    if (!config.enabled) throw new AuthError('sso-disabled', MESSAGES.ssoDisabled, { fix: MESSAGES.ssoDisabledFix });

    const device = await client.startDevice(keyName, signal);
    // A zero or negative interval would turn the poll into a busy loop.
    let interval = Math.max(1, device.interval);
    const expiresAt = now() + device.expiresIn * 1000;
    input.onCode({
      userCode: device.userCode,
      verificationUri: device.verificationUri,
      ...(device.verificationUriComplete === undefined ? {} : { verificationUriComplete: device.verificationUriComplete }),
      expiresAt,
      interval,
    });

    for (let attempt = 1; ; attempt++) {
      await sleep(interval * 1000, signal);
      if (signal?.aborted) throw new AuthError('cancelled', MESSAGES.cancelled);
      if (now() >= expiresAt) throw new AuthError('code-expired', MESSAGES.codeExpired, { fix: MESSAGES.codeExpiredFix });
      input.onPoll?.(attempt);
      const answer = await client.pollDevice(device.deviceCode, signal);
      if (answer.status === 'slow_down') {
        interval += SLOW_DOWN_INCREMENT_SECONDS;
        input.onSlowDown?.(interval);
      } else if (answer.status === 'approved') {
        const { result } = answer;
        const user = await confirmNewKey(client, result, signal);
        return { serverUrl: client.serverUrl, apiKey: result.key, keyId: result.id, keyName: result.name, user, method: 'sso' };
      }
    }
  },
};
