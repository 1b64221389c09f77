import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificateMaterial {
  key: string;
  cert: string;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (!error) resolve();
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('TLS mode needs the openssl command (Debian package "openssl").'));
      } else reject(new Error(`openssl failed: ${stderr.trim() || error.message}`));
    });
  });
}

/**
 * A fresh self-signed certificate for the loopback names. Node cannot make certificates itself,
 * so this asks openssl; the private key lives in a temporary directory only until it is read.
 */
export async function selfSignedCertificate(host: string): Promise<CertificateMaterial> {
  const names = new Set(['IP:127.0.0.1', 'IP:::1', 'DNS:localhost']);
  names.add(isIP(host) ? `IP:${host}` : `DNS:${host}`);
  const dir = await mkdtemp(join(tmpdir(), 'coderflow-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '7',
      '-subj', '/CN=CoderFlow reference server',
      '-addext', `subjectAltName=${[...names].join(',')}`,
    ]);
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A self-signed certificate with chosen names and validity dates (an expired one, one for another
 * host). `openssl req -x509` cannot date a certificate in the past, `openssl ca` can.
 */
export async function datedCertificate(options: { names: string[]; notBefore: Date; notAfter: Date; commonName?: string }): Promise<CertificateMaterial> {
  const stamp = (date: Date) => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
  const dir = await mkdtemp(join(tmpdir(), 'coderflow-tls-'));
  try {
    const path = (name: string) => join(dir, name);
    await writeFile(path('index.txt'), '');
    await writeFile(path('serial'), '01\n');
    await writeFile(
      path('ca.cnf'),
      ['[ca]', 'default_ca=local', '[local]', `database=${path('index.txt')}`, `new_certs_dir=${dir}`, `serial=${path('serial')}`,
        'policy=any', 'default_md=sha256', 'copy_extensions=copy', 'unique_subject=no', '[any]', 'commonName=supplied', ''].join('\n'),
    );
    await run('openssl', [
      'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path('key.pem'), '-out', path('request.csr'),
      '-subj', `/CN=${options.commonName ?? 'CoderFlow reference server'}`,
      '-addext', `subjectAltName=${options.names.join(',')}`,
    ]);
    await run('openssl', [
      'ca', '-batch', '-notext', '-selfsign', '-config', path('ca.cnf'), '-keyfile', path('key.pem'), '-in', path('request.csr'),
      '-out', path('cert.pem'), '-startdate', stamp(options.notBefore), '-enddate', stamp(options.notAfter),
    ]);
    return { key: await readFile(path('key.pem'), 'utf8'), cert: await readFile(path('cert.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
