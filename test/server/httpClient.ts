import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM certificate(s) to trust for https, e.g. a reference server's `caPem`. */
  ca?: string;
  timeoutMs?: number;
}

/**
 * One HTTP exchange, redirects not followed. Global fetch cannot be told which certificate to
 * trust, and the callers here must see every redirect and cookie, so this is plain node:http.
 * No connection pooling: a finished exchange leaves no socket that would hold a server open.
 */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResult> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const requestOptions: https.RequestOptions = {
    method: options.method ?? 'GET',
    headers: { ...(options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
    agent: false,
    timeout: options.timeoutMs ?? 10_000,
    ...(secure && options.ca !== undefined ? { ca: options.ca } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(target, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${requestOptions.method} ${url} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
