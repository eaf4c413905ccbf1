import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the fake server answers a request; the path is the URL's path. */
export type FakeHandler = (req: IncomingMessage, res: ServerResponse, path: string) => void;

/** A plain HTTP server on a random loopback port whose answers a test sets, logging every request. */
export interface FakeServer {
  baseUrl: string;
  /** Path and Range header of each request so far. */
  requests: Array<{ path: string; range: string | undefined }>;
  /** The current handler (default: 404). */
  handle: FakeHandler;
  close(): Promise<void>;
}

/** Starts a {@link FakeServer}. */
export async function startFakeServer(): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const fake: FakeServer = {
    baseUrl: '',
    requests: [],
    handle: (_req, res) => res.writeHead(404).end(),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    fake.requests.push({ path, range: req.headers.range });
    fake.handle(req, res, path);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Answers with `bytes`, or the part from N on for `Range: bytes=N-` (206); `cutAt` cuts the connection there. */
export function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer, cutAt?: number): void {
  const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = match ? Number(match[1]) : 0;
  const headers: Record<string, string | number> = { 'content-length': bytes.length - start, etag: '"x"' };
  if (match) headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
  res.writeHead(match ? 206 : 200, headers);
  if (cutAt === undefined) {
    res.end(bytes.subarray(start));
    return;
  }
  res.write(bytes.subarray(start, cutAt), () => setTimeout(() => res.socket?.destroy(), 20));
}
