// The one function every log line passes. It masks anything shaped like a CoderFlow key, a bearer
// token or an AI provider key, and any exact secret the caller registered (a key pasted in a form
// need not look like one).
const PATTERNS: RegExp[] = [
  /pc_[A-Za-z0-9_-]{4,}/g,
  /(Bearer\s+)[^\s"',;]+/gi,
  /\b(sk-(?:ant-|proj-)?|xai-|AIza)[A-Za-z0-9_-]{8,}/g,
  /("(?:apiKey|api_key|key|password|token|deviceCode|device_code)"\s*:\s*")[^"]*(")/gi,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember a secret value so that it is masked wherever it appears, whatever its shape. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(mask(secret));
    out = out.replace(PATTERNS[0], (m) => mask(m));
    out = out.replace(PATTERNS[1], (_m, prefix: string) => `${prefix}***`);
    out = out.replace(PATTERNS[2], (_m, prefix: string) => `${prefix}***`);
    out = out.replace(PATTERNS[3], (_m, before: string, after: string) => `${before}***${after}`);
    return out;
  }
}

function mask(secret: string): string {
  return secret.startsWith('pc_') ? `pc_…${secret.slice(-4)}` : '***';
}
