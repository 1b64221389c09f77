import * as assert from 'node:assert/strict';
import vscode = require('vscode');
import type { CoderFlowApi, TestingHooks } from '../../src/api';

// What the extension-host tests share: the reference server the runner started (with its test
// control routes) and the extension's test hooks.
export const EXTENSION_ID = 'profoundlogic.coderflow-vscode';

export function serverUrl(): string {
  const url = process.env.CODERFLOW_TEST_SERVER_URL;
  assert.ok(url, 'CODERFLOW_TEST_SERVER_URL is set by the runner');
  return url;
}

export async function api(): Promise<CoderFlowApi & { testing: TestingHooks }> {
  const extension = vscode.extensions.getExtension<CoderFlowApi>(EXTENSION_ID);
  assert.ok(extension);
  const coderflow = await extension.activate();
  assert.ok(coderflow.testing, 'the extension runs in test mode');
  return coderflow as CoderFlowApi & { testing: TestingHooks };
}

export async function control(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  return fetch(`${serverUrl()}/__test/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

export async function issueKey(username: string, name: string): Promise<{ key: string; id: string }> {
  const response = await control('POST', 'keys', { username, name });
  assert.equal(response.status, 201);
  return (await response.json()) as { key: string; id: string };
}

/** The status `GET /auth/me` answers a key with: 200 while it works, 401 once revoked. */
export async function meStatus(key: string): Promise<number> {
  return (await fetch(`${serverUrl()}/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status;
}

/** Polls until `check` gives a value; fails the test after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 2000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
