import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../src/core/http/client';
import { MAX_BODY_BYTES } from '../../src/core/http/fetchWithTimeout';
import { observe } from '../support/attackTable';
import { hostileServer, longestStall, rejection, type HostileServer } from './support';

// A server that answers with bodies made to be slow to handle: the client reads at most 1 MiB,
// quotes at most 8 KiB of it, and never lets a regular expression loop over the server's text, so
// the event loop (in VS Code: the extension host, every extension in it) is never blocked long.

const MAX_STALL_MS = 50;
/**
 * The probe measures wall-clock lateness, which also counts the time the operating system gave
 * the CPU to other processes (CI machines are shared). A block the client causes happens on every
 * try; one the machine causes does not: the best of a few tries is the client's.
 */
const TRIES = 4;
const SIZE = MAX_BODY_BYTES - 16;

const repeat = (unit: string) => unit.repeat(Math.floor(SIZE / unit.length));
const BODIES: Array<[name: string, body: string, contentType: string]> = [
  ['1 MiB of "<"', repeat('<'), 'text/html'],
  ['"<title" repeated to 1 MiB', repeat('<title'), 'text/html'],
  ['"<script" repeated to 1 MiB', repeat('<script'), 'text/html'],
  ['"<head><title>" unclosed, repeated to 1 MiB', repeat('<head><title>a'), 'text/html'],
  ['JSON nested 500,000 deep', `${'['.repeat(SIZE / 2)}${']'.repeat(SIZE / 2)}`, 'application/json'],
  ['one 1 MiB JSON string', JSON.stringify(repeat('a')), 'application/json'],
  ['a JSON error whose message is 1 MiB of "<" and spaces', JSON.stringify({ error: 'x', message: repeat('< ') }), 'application/json'],
];

describe('attack: a server answers with bodies made to stall the client', function () {
  this.timeout(60_000);
  let server: HostileServer;
  // Encoded once: the server runs in this process, and the probe is for the client's work.
  let answer: { status: number; body: Buffer; contentType: string } = { status: 500, body: Buffer.alloc(0), contentType: 'text/plain' };

  before(async () => {
    server = await hostileServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
      res.end(answer.body);
    });
  });
  after(() => server.close());

  for (const status of [500, 200]) {
    for (const [name, body, contentType] of BODIES) {
      it(`${status} with ${name} → handled with the event loop never blocked over ${MAX_STALL_MS} ms, a short message`, async () => {
        answer = { status, body: Buffer.from(body), contentType };
        const client = new CoderFlowClient({ serverUrl: server.url, apiKey: `pc_${'a1'.repeat(32)}` });
        // Warm up node-fetch's loading and the connection, so the probe measures the answer alone.
        await client.health().catch(() => undefined);
        let error: Error | undefined;
        const stalls: number[] = [];
        while (stalls.length < TRIES && !stalls.some((ms) => ms <= MAX_STALL_MS)) {
          stalls.push(
            await longestStall(async () => {
              error = await rejection(client.me());
            }),
          );
        }
        const best = Math.min(...stalls);
        observe(`longest stall ${best.toFixed(1)} ms (tries: ${stalls.map((ms) => ms.toFixed(1)).join(', ')}); ${(error as { kind?: string }).kind}, ${error?.message.length} characters`);
        assert.ok(best <= MAX_STALL_MS, `the event loop was blocked for ${stalls.map((ms) => ms.toFixed(1)).join(', ')} ms`);
        assert.ok((error?.message.length ?? 0) < 600, 'the message quotes a short excerpt at most');
      });
    }
  }
});
