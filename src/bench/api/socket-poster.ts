import { connect, type Socket } from 'node:net';
import type { JsonPoster } from './post-json';

/** A kept-alive connection and the answer it waits for. */
interface Connection {
  socket: Socket;
  /** Bytes received and not yet part of an answer. */
  pending: Buffer;
  waiting: { resolve(text: string): void; reject(error: Error): void } | null;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * A {@link JsonPoster} on plain sockets, for the closed-loop load: HTTP/1.1 POSTs over kept-alive connections, each
 * request's bytes built once per body, an answer read by its Content-Length. Porting note: this is what load
 * generators such as wrk do, so that the client spends little of the CPU the server shares with it on one machine
 * (node:http's client spends several times what the raw baseline's pg client spends a statement; measured in
 * docs/results/2026-12-06-reads-tail.md). It reads what nashub answers (Content-Length, no chunks), nothing else.
 */
export function createSocketPoster(url: string, sockets: number): JsonPoster {
  const target = new URL(url);
  const head = `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n`;
  const requests = new Map<string, Buffer>();
  const idle: Connection[] = [];
  const all: Connection[] = [];
  const queued: Array<(connection: Connection) => void> = [];

  const open = (): Connection => {
    const socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    const connection: Connection = { socket, pending: Buffer.alloc(0), waiting: null };
    const fail = (error: Error): void => {
      const waiting = connection.waiting;
      connection.waiting = null;
      waiting?.reject(error);
    };
    socket.on('data', (chunk: Buffer) => {
      connection.pending = connection.pending.length === 0 ? chunk : Buffer.concat([connection.pending, chunk]);
      const answer = takeAnswer(connection);
      if (answer === undefined) return;
      const waiting = connection.waiting!;
      connection.waiting = null;
      release(connection);
      if (answer instanceof Error) waiting.reject(answer);
      else waiting.resolve(answer);
    });
    socket.on('error', fail);
    socket.on('close', () => {
      // A closed connection is never handed out again; the next post opens another.
      all.splice(all.indexOf(connection), 1);
      if (idle.includes(connection)) idle.splice(idle.indexOf(connection), 1);
      fail(new Error('the server closed the connection'));
    });
    all.push(connection);
    return connection;
  };
  const release = (connection: Connection): void => {
    const next = queued.shift();
    if (next) next(connection);
    else idle.push(connection);
  };
  const acquire = (): Promise<Connection> => {
    const connection = idle.pop() ?? (all.length < sockets ? open() : undefined);
    return connection ? Promise.resolve(connection) : new Promise((resolve) => queued.push(resolve));
  };

  const post = async (body: string): Promise<string> => {
    let bytes = requests.get(body);
    if (!bytes) {
      bytes = Buffer.from(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      requests.set(body, bytes);
    }
    const connection = await acquire();
    return new Promise((resolve, reject) => {
      connection.waiting = { resolve, reject };
      connection.socket.write(bytes);
    });
  };
  return { post, close: () => all.forEach((c) => c.socket.destroy()) };
}

/**
 * The answer at the start of `pending` when all of it has arrived: its text, an Error for a status other than 200 or
 * an answer without Content-Length; undefined while bytes are missing.
 */
function takeAnswer(connection: Connection): string | Error | undefined {
  const { pending } = connection;
  const end = pending.indexOf(HEADER_END);
  if (end < 0) return undefined;
  const header = pending.toString('latin1', 0, end);
  const length = /\r\ncontent-length: *(\d+)/i.exec(header);
  if (!length) return new Error(`an answer without Content-Length: ${header.slice(0, 200)}`);
  const bodyEnd = end + HEADER_END.length + Number(length[1]);
  if (pending.length < bodyEnd) return undefined;
  const text = pending.toString('utf8', end + HEADER_END.length, bodyEnd);
  connection.pending = pending.subarray(bodyEnd);
  return header.startsWith('HTTP/1.1 200 ') ? text : new Error(`${header.split('\r\n')[0]}: ${text.slice(0, 500)}`);
}
