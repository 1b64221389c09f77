// An answer as read (RawResponse) and the safe ways to look at it: JSON, a short excerpt, a Retry-After.
import type { Headers } from 'node-fetch';
import { redactSecrets } from '../../shared/secretShapes';

/** Only this much of an answer is ever read for an excerpt or a message. */
const EXCERPT_INPUT_CHARS = 8 * 1024;

export interface RawResponse {
  url: URL;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  /** The secrets the request carried (the key, and any other), masked wherever the answer is quoted. */
  secrets: ReadonlyArray<string | undefined>;
}

export function isSuccess(response: RawResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** Elements whose content is not text a person reads. */
const SKIPPED_ELEMENTS = new Set(['head', 'script', 'style']);

/**
 * A short, readable excerpt of a body that is not JSON, e.g. a reverse proxy's HTML page. Reads
 * the first 8 KiB only, in one pass with indexOf (no regular expression sees the server's markup,
 * so no answer can make this slow).
 */
function excerpt(body: string): string {
  const text = body.slice(0, EXCERPT_INPUT_CHARS);
  const lower = text.toLowerCase();
  let title: string | undefined;
  const titleAt = lower.indexOf('<title');
  const titleOpen = titleAt >= 0 ? lower.indexOf('>', titleAt) : -1;
  const titleClose = titleOpen >= 0 ? lower.indexOf('</title', titleOpen) : -1;
  if (titleClose >= 0) title = collapseSpace(text.slice(titleOpen + 1, titleClose));
  let plain = '';
  for (let i = 0; i < text.length; ) {
    if (text[i] !== '<') {
      const next = text.indexOf('<', i);
      const until = next < 0 ? text.length : next;
      plain += text.slice(i, until);
      i = until;
      continue;
    }
    const end = text.indexOf('>', i);
    if (end < 0) break;
    let nameEnd = i + 1;
    while (nameEnd < end && /[a-z0-9]/.test(lower[nameEnd])) nameEnd++;
    const name = lower.slice(i + 1, nameEnd);
    plain += ' ';
    i = end + 1;
    if (SKIPPED_ELEMENTS.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      if (close < 0) break;
      const closeEnd = lower.indexOf('>', close);
      if (closeEnd < 0) break;
      i = closeEnd + 1;
    }
  }
  const clean = collapseSpace(plain);
  const result = title && !clean.startsWith(title) ? `${title}: ${clean}` : clean;
  return result.length > 200 ? `${result.slice(0, 199)}…` : result;
}

function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function looksLikeHtml(response: RawResponse): boolean {
  return /html/i.test(response.headers.get('content-type') ?? '') || response.text.trimStart().startsWith('<');
}

/** CoderFlow's answers nest a few levels; far deeper is no CoderFlow answer. */
const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests deeper than `limit`, in one pass: JSON.parse takes about a tenth of a
 * second, blocking, for 1 MiB of "[[[[…".
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

export function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function retryAfterSeconds(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A short excerpt of the answer, without any secret the request carried. */
export function safeExcerpt(response: RawResponse): string {
  return redactSecrets(excerpt(response.text), response.secrets);
}

/** The server's own error text, short and without any secret the request carried. */
export function quoteServerMessage(message: string, response: RawResponse): string {
  const text = collapseSpace(redactSecrets(message.slice(0, EXCERPT_INPUT_CHARS), response.secrets));
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
