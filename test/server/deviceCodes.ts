import { randomBytes, randomInt } from 'node:crypto';

// RFC 8628 §6.1: base-20 letters without vowels (no words, nothing to confuse with digits).
const userCodeAlphabet = 'BCDFGHJKLMNPQRSTVWXZ';
// Timers may fire a few milliseconds early, and the server stamps a poll before the client has
// its answer; a client that waits the full interval must never be told to slow down.
const pollToleranceMs = 50;
// How long a finished or expired code is still recognised (and answered for) before it is forgotten.
const retentionMs = 10 * 60 * 1000;

export type DeviceCodeState =
  | { kind: 'pending' }
  | { kind: 'approved'; userId: string }
  | { kind: 'denied' };

export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  keyName: string;
  expiresAt: number;
  intervalSeconds: number;
  lastPolledAt?: number;
  state: DeviceCodeState;
}

export type PollOutcome =
  | { kind: 'approved'; userId: string; keyName: string }
  | { kind: 'error'; error: 'authorization_pending' | 'slow_down' | 'expired_token' | 'access_denied' | 'invalid_grant'; message: string };

export function normalizeUserCode(input: string): string | undefined {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  if (letters.length !== 8 || [...letters].some((c) => !userCodeAlphabet.includes(c))) return undefined;
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export class DeviceCodes {
  private readonly byDeviceCode = new Map<string, DeviceCode>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly intervalSeconds: number,
  ) {}

  create(keyName: string): DeviceCode {
    this.forgetOld();
    let userCode: string;
    do {
      userCode = Array.from({ length: 8 }, () => userCodeAlphabet[randomInt(userCodeAlphabet.length)]).join('');
      userCode = `${userCode.slice(0, 4)}-${userCode.slice(4)}`;
    } while (this.findByUserCode(userCode));
    const code: DeviceCode = {
      deviceCode: randomBytes(32).toString('base64url'),
      userCode,
      keyName,
      expiresAt: Date.now() + this.ttlSeconds * 1000,
      intervalSeconds: this.intervalSeconds,
      state: { kind: 'pending' },
    };
    this.byDeviceCode.set(code.deviceCode, code);
    return code;
  }

  findByUserCode(userCode: string): DeviceCode | undefined {
    for (const code of this.byDeviceCode.values()) if (code.userCode === userCode) return code;
    return undefined;
  }

  isExpired(code: DeviceCode): boolean {
    return Date.now() >= code.expiresAt;
  }

  /** One poll of the token endpoint, by the rules of RFC 8628 §3.5. */
  poll(deviceCode: string): PollOutcome {
    const code = this.byDeviceCode.get(deviceCode);
    if (!code) {
      return { kind: 'error', error: 'invalid_grant', message: 'Unknown or already used device code.' };
    }
    const now = Date.now();
    if (now >= code.expiresAt) {
      return { kind: 'error', error: 'expired_token', message: 'The device code has expired. Start the sign-in again.' };
    }
    switch (code.state.kind) {
      case 'denied':
        return { kind: 'error', error: 'access_denied', message: 'The sign-in was cancelled or refused at the identity provider.' };
      case 'approved':
        // Single use: the key is handed out once.
        this.byDeviceCode.delete(deviceCode);
        return { kind: 'approved', userId: code.state.userId, keyName: code.keyName };
      case 'pending': {
        const previous = code.lastPolledAt;
        code.lastPolledAt = now;
        if (previous !== undefined && now - previous < code.intervalSeconds * 1000 - pollToleranceMs) {
          code.intervalSeconds += 5;
          return { kind: 'error', error: 'slow_down', message: `Polled too often: wait ${code.intervalSeconds} seconds between polls.` };
        }
        return { kind: 'error', error: 'authorization_pending', message: 'Waiting for the user to approve the sign-in in the browser.' };
      }
    }
  }

  private forgetOld(): void {
    const cutoff = Date.now() - retentionMs;
    for (const [key, code] of this.byDeviceCode) if (code.expiresAt < cutoff) this.byDeviceCode.delete(key);
  }
}
