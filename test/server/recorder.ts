import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Recorder {
  url: string;
  received: Array<{ path: string; headers: Record<string, string | string[] | undefined> }>;
  stop(): Promise<void>;
}

/**
 * A second loopback origin that records every request reaching it (path with query, headers)
 * and answers 200 `{ "recorded": true }`: the place a redirect fault points to, to prove that an
 * Authorization header never crosses origins.
 */
export async function startRecorder(): Promise<Recorder> {
  const received: Recorder['received'] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    received.push({ path: req.url ?? '/', headers: { ...req.headers } });
    req.resume();
    const body = JSON.stringify({ recorded: true });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopping;
    },
  };
}
