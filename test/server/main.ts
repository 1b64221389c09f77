// `npm run server`: the reference server alone, with the test control endpoints, until Ctrl+C.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StartOptions } from './index';
import { mayManageApiKeys } from './users';

const usage = `Usage: npm run server -- [--port N] [--tls] [--no-sso] [--no-password-login] [--prefix /path]
                         [--interval SECONDS] [--device-code-ttl SECONDS] [--quiet]`;

function parseArguments(args: string[]): StartOptions & { quiet: boolean } {
  const options: StartOptions & { quiet: boolean } = { testControl: true, quiet: false };
  const number = (flag: string, value: string | undefined): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} needs a whole number.`);
    return parsed;
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    switch (flag) {
      case '--port': options.port = number(flag, args[++i]); break;
      case '--tls': options.tls = true; break;
      case '--no-sso': options.sso = false; break;
      case '--no-password-login': options.passwordLogin = false; break;
      case '--prefix': options.prefix = args[++i] ?? ''; break;
      case '--interval': options.pollIntervalSeconds = number(flag, args[++i]); break;
      case '--device-code-ttl': options.deviceCodeTtlSeconds = number(flag, args[++i]); break;
      case '--quiet': options.quiet = true; break;
      case '--help': console.log(usage); process.exit(0); break;
      default: throw new Error(`Unknown option ${flag}.\n${usage}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  // The address comes first on stdout (scripts read it there); log lines wait until it is out.
  let held: string[] | undefined = [];
  const log = (line: string): void => {
    if (held) held.push(line);
    else console.log(line);
  };
  const server = await startServer({ ...options, ...(options.quiet ? {} : { log }) });
  const lines = [
    `CoderFlow reference server: ${server.url}`,
    `  SSO: ${options.sso === false ? 'off' : `on (OpenID Connect provider at ${server.url}/oidc)`}` +
      ` · password login: ${options.passwordLogin === false ? 'off' : 'on'}` +
      ` · device code: poll every ${options.pollIntervalSeconds ?? 5} s, expires after ${options.deviceCodeTtlSeconds ?? 600} s`,
  ];
  let caFile: string | undefined;
  if (server.caPem) {
    caFile = join(tmpdir(), `coderflow-reference-ca-${process.pid}.pem`);
    writeFileSync(caFile, server.caPem, { mode: 0o644 });
    lines.push(`  TLS: self-signed; trust ${caFile} (e.g. profoundCoder.tls.caFile)`);
  }
  lines.push('  Demo users (username / password — roles):');
  for (const user of server.users) {
    const note = mayManageApiKeys(user) ? '' : ' (may not manage API keys: /api-keys answers 403)';
    lines.push(`    ${user.username} / ${user.password} — ${user.roles.join(', ')}${note}`);
  }
  lines.push(`  Test control: POST ${server.url}/__test/faults (JSON fault), DELETE ${server.url}/__test/faults, POST ${server.url}/__test/keys {"username"}`);
  lines.push('  Ctrl+C stops it.');
  console.log(lines.join('\n'));
  for (const line of held) console.log(line);
  held = undefined;

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => {
      if (caFile) rmSync(caFile, { force: true });
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message ?? error);
  process.exit(1);
});
