// The shapes of the secrets the extension meets, in one place: the CoderFlow personal key, the AI
// providers' keys people paste by mistake, and how any of them is masked in text. Plain
// TypeScript (no node:, no vscode), so the page, the host and the log use the same definitions.

/** Personal API keys start with this prefix (docs: "Personal API keys start with pc_"). */
export const PERSONAL_KEY_PREFIX = 'pc_';

/** Far above any key CoderFlow issues; bounds what is stored, sent and shown. */
export const MAX_KEY_LENGTH = 512;

/**
 * Prefixes of the AI providers' keys that CoderFlow's agents use, with the provider's name. A
 * longer prefix comes before a shorter one it starts with ("sk-ant-" before OpenAI's "sk-").
 */
export const AI_PROVIDER_PREFIXES: ReadonlyArray<{ prefix: string; provider: string }> = [
  { prefix: 'sk-ant-', provider: 'Anthropic' },
  { prefix: 'sk-or-', provider: 'OpenRouter' },
  { prefix: 'sk-proj-', provider: 'OpenAI' },
  { prefix: 'sk-svcacct-', provider: 'OpenAI' },
  { prefix: 'sk-admin-', provider: 'OpenAI' },
  { prefix: 'sk-', provider: 'OpenAI' },
  { prefix: 'AIza', provider: 'Google' },
  { prefix: 'xai-', provider: 'xAI' },
  { prefix: 'gsk_', provider: 'Groq' },
  { prefix: 'hf_', provider: 'Hugging Face' },
];

/** The AI provider whose key this looks like, or undefined. */
export function aiProviderOf(key: string): string | undefined {
  const trimmed = key.trim();
  return AI_PROVIDER_PREFIXES.find(({ prefix }) => trimmed.startsWith(prefix))?.provider;
}

export type KeyShape =
  | { kind: 'empty' }
  | { kind: 'personal' }
  | { kind: 'aiProvider'; provider: string }
  /** Not a CoderFlow key at all. */
  | { kind: 'other' }
  /** Starts with pc_ but an Authorization header cannot carry it as it is. */
  | { kind: 'malformed'; problem: 'whitespace' | 'characters' | 'length' };

/** What a (trimmed) value is, as far as its text tells. */
export function keyShape(raw: string): KeyShape {
  const key = raw.trim();
  if (key === '') return { kind: 'empty' };
  const provider = aiProviderOf(key);
  if (provider) return { kind: 'aiProvider', provider };
  if (!key.startsWith(PERSONAL_KEY_PREFIX)) return { kind: 'other' };
  if (/\s/.test(key)) return { kind: 'malformed', problem: 'whitespace' };
  // Only printable ASCII can travel in the Authorization header; anything else is a copying accident.
  if (/[^\x21-\x7e]/.test(key)) return { kind: 'malformed', problem: 'characters' };
  if (key.length > MAX_KEY_LENGTH || key.length === PERSONAL_KEY_PREFIX.length) return { kind: 'malformed', problem: 'length' };
  return { kind: 'personal' };
}

/** A personal key exactly as stored and sent: no surrounding space, pc_ shape. */
export function isPersonalKey(value: string): boolean {
  return value === value.trim() && keyShape(value).kind === 'personal';
}

/** A personal key as a person may see it: `pc_…a1b2`. Anything else is `***`. */
export function maskKey(secret: string): string {
  return secret.startsWith(PERSONAL_KEY_PREFIX) && secret.length >= PERSONAL_KEY_PREFIX.length + 8 ? `${PERSONAL_KEY_PREFIX}…${secret.slice(-4)}` : '***';
}

// Every pattern below is linear: no quantified group inside another, no two adjacent quantifiers
// over the same characters.
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PERSONAL_KEY_TEXT = /pc_[A-Za-z0-9_-]{4,}/g;
const BEARER = /(Bearer\s+)[^\s"',;]+/gi;
const AI_PROVIDER_KEY_TEXT = new RegExp(`\\b(${AI_PROVIDER_PREFIXES.map(({ prefix }) => escape(prefix)).join('|')})[A-Za-z0-9_-]{8,}`, 'g');
const SECRET_JSON_FIELD = /("(?:apiKey|api_key|key|password|token|deviceCode|device_code)"\s*:\s*")[^"]*(")/gi;

/**
 * Masks in text every exact secret given (a password or an odd key need not look like one),
 * then anything shaped like a CoderFlow key, a bearer token, an AI provider's key or a secret
 * JSON field.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  // Exact secrets first: the patterns would mask only the part of an odd key that looks like one.
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join(maskKey(secret));
  return out
    .replace(PERSONAL_KEY_TEXT, (m) => maskKey(m))
    .replace(BEARER, (_m, prefix: string) => `${prefix}***`)
    .replace(AI_PROVIDER_KEY_TEXT, (_m, prefix: string) => `${prefix}***`)
    .replace(SECRET_JSON_FIELD, (_m, before: string, after: string) => `${before}***${after}`);
}
