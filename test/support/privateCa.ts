import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateMaterial } from '../server/tls';

// Certificates as real servers have them, made with openssl (Node cannot sign certificates): a
// private certificate authority and server certificates it issues, or a self-signed server
// certificate, for exactly the names given (no loopback name unless asked for).

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: 30_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`openssl ${args[0]}: ${stderr || error.message}`)) : resolve()));
  });
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function inTemporaryDirectory<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'coderflow-ca-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PrivateCa {
  /** The authority's certificate (PEM): what profoundCoder.tls.caFile names. */
  caPem: string;
  /**
   * A server certificate for `names` (e.g. 'IP:127.0.0.2', 'DNS:coderflow.test'). `cert` is the
   * server's certificate alone, as most servers send it, or followed by the authority's.
   */
  issue(names: string[], options?: { sendAuthority?: boolean }): Promise<CertificateMaterial>;
}

export async function makePrivateCa(commonName = 'CoderFlow Test Private CA'): Promise<PrivateCa> {
  const { caKey, caPem } = await inTemporaryDirectory(async (dir) => {
    await openssl(['req', '-x509', ...KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '7', '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    return { caKey: await readFile(join(dir, 'ca.key'), 'utf8'), caPem: await readFile(join(dir, 'ca.pem'), 'utf8') };
  });
  return {
    caPem,
    issue: (names, options = {}) =>
      inTemporaryDirectory(async (dir) => {
        await writeFile(join(dir, 'ca.key'), caKey);
        await writeFile(join(dir, 'ca.pem'), caPem);
        await writeFile(join(dir, 'ext.cnf'), `subjectAltName=${names.join(',')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
        await openssl(['req', '-new', ...KEY, '-keyout', 'key.pem', '-out', 'req.csr', '-subj', '/CN=CoderFlow server'], dir);
        await openssl(['x509', '-req', '-in', 'req.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'cert.pem', '-days', '7', '-extfile', 'ext.cnf'], dir);
        const cert = await readFile(join(dir, 'cert.pem'), 'utf8');
        return { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: options.sendAuthority ? `${cert}${caPem}` : cert };
      }),
  };
}

/** A self-signed server certificate for `names` only. */
export function selfSignedFor(names: string[]): Promise<CertificateMaterial> {
  return inTemporaryDirectory(async (dir) => {
    await openssl(['req', '-x509', ...KEY, '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '7', '-subj', '/CN=CoderFlow self-signed server',
      '-addext', `subjectAltName=${names.join(',')}`], dir);
    return { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  });
}
