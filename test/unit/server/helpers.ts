import type { ReferenceServer } from '../../server';

/** A JSON body as the tests read it: any shape, checked by the assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

export async function call(url: string, init: { method?: string; key?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== undefined) headers.Authorization = `Bearer ${init.key}`;
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: Json;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startDevice(server: ReferenceServer, keyName?: string): Promise<Json> {
  const answer = await call(`${server.url}/auth/sso/device`, { json: keyName === undefined ? {} : { keyName } });
  if (answer.status !== 200) throw new Error(`device code request answered ${answer.status}: ${answer.text}`);
  return answer.body;
}

export function poll(server: ReferenceServer, deviceCode: string): Promise<Answer> {
  return call(`${server.url}/auth/sso/token`, { json: { deviceCode } });
}

export const alice = { username: 'alice', password: 'alice-password' };
