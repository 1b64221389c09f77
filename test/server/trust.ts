// Certificates of the TLS-mode reference servers running in this process, by origin, so that
// helpers such as completeSsoLogin can reach them without being handed the certificate.
const byOrigin = new Map<string, string>();

export function trustOrigin(origin: string, caPem: string): void {
  byOrigin.set(origin, caPem);
}

export function forgetOrigin(origin: string): void {
  byOrigin.delete(origin);
}

export function caFor(url: string): string | undefined {
  return byOrigin.get(new URL(url).origin);
}
