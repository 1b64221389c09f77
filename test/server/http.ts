import type { IncomingMessage, ServerResponse } from 'node:http';

const bodyLimitBytes = 64 * 1024;

/** A failure that becomes a contract error body: `{ "error": code, "message": text }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimitBytes) {
        reject(new HttpError(413, 'payload_too_large', `The request body is larger than ${bodyLimitBytes} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The JSON object a client sent. An empty body reads as `{}` (every body field of the contract
 * that may be left out is optional); a body that is not JSON, or JSON that is not an object, is
 * a 400, and a body of another media type a 415, as a JSON-parsing server framework answers.
 */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the request body as application/json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'invalid_request', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: error.code, message: error.message }, error.headers);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Length': 0, ...headers });
  res.end();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Tagged template for HTML: interpolated values are escaped unless wrapped in `raw()`. */
export interface RawHtml { readonly html: string }
export function raw(html: string): RawHtml {
  return { html };
}
export function html(strings: TemplateStringsArray, ...values: Array<string | number | RawHtml | RawHtml[]>): RawHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    if (Array.isArray(value)) out += value.map((part) => part.html).join('');
    else if (typeof value === 'object') out += value.html;
    else out += escapeHtml(String(value));
    out += strings[i + 1];
  });
  return raw(out);
}

const pageStyle = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 30rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
  h1 { font-size: 1.5rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; }
  button { font: inherit; margin-top: 1rem; margin-right: .5rem; padding: .4rem 1.2rem; }
  .error { color: #b42318; font-weight: 600; }
  .note { color: #59636e; font-size: .9rem; }
  code { font-size: 1.1rem; letter-spacing: .1rem; }
`;

/** A small readable page; no scripts, nothing loaded from elsewhere. */
export function pageHtml(title: string, body: RawHtml): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${pageStyle}</style></head>
<body>
${body.html}
</body>
</html>
`;
}

export const pageHeaders: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};

export function sendPage(res: ServerResponse, status: number, title: string, body: RawHtml, headers: Record<string, string> = {}): void {
  const text = pageHtml(title, body);
  res.writeHead(status, { ...pageHeaders, 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
