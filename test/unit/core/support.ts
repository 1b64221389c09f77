import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError, type AuthErrorKind } from '../../../src/core/errors';

/** A CoderFlow key as the reference server makes them; never allowed in any message. */
const KEY_PATTERN = /pc_[0-9a-f]{8,}/;

/** Awaits a rejection and checks it is the AuthError of that kind, with no key in its text. */
export async function rejectsWith(promise: Promise<unknown>, kind: AuthErrorKind, message?: RegExp): Promise<AuthError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected a '${kind}' AuthError, but it succeeded`);
  assert.ok(caught instanceof AuthError, `expected an AuthError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, `expected '${kind}', got '${caught.kind}': ${caught.message}`);
  if (message) assert.match(caught.message, message);
  for (const text of [caught.message, caught.fix ?? '', caught.detail ?? '']) {
    assert.ok(!KEY_PATTERN.test(text), `an error never shows a key: ${text}`);
  }
  return caught;
}

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: 30_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`openssl: ${stderr || error.message}`)) : resolve()));
  });
}

export interface Certificate {
  key: string;
  cert: string;
}

/**
 * A self-signed certificate for chosen names and dates, made by `openssl ca` (the only openssl
 * 3.0 command that can date a certificate in the past).
 */
export async function makeCertificate(options: { altNames: string; notBefore: string; notAfter: string }): Promise<Certificate> {
  const dir = await mkdtemp(join(tmpdir(), 'coderflow-test-cert-'));
  try {
    await writeFile(join(dir, 'index.txt'), '');
    await writeFile(join(dir, 'serial'), '01\n');
    await writeFile(
      join(dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = local',
        '[local]',
        `dir = ${dir}`,
        `database = ${dir}/index.txt`,
        `new_certs_dir = ${dir}`,
        `serial = ${dir}/serial`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        '[any]',
        'commonName = supplied',
        '[ext]',
        `subjectAltName = ${options.altNames}`,
        'basicConstraints = critical,CA:TRUE',
        '',
      ].join('\n'),
    );
    await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr', '-subj', '/CN=CoderFlow test'], dir);
    await openssl(
      ['ca', '-batch', '-selfsign', '-config', 'ca.cnf', '-keyfile', 'key.pem', '-in', 'req.csr', '-out', 'cert.pem', '-extensions', 'ext', '-startdate', options.notBefore, '-enddate', options.notAfter, '-notext'],
      dir,
    );
    return { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An https server on loopback with a given certificate, answering `GET /health` like CoderFlow. */
export async function startTlsServer(certificate: Certificate): Promise<{ url: string; stop(): Promise<void> }> {
  const server = https.createServer(certificate, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
