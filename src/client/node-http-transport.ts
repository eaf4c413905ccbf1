import http from 'node:http';
import https from 'node:https';

/** What {@link postGraphql} needs of an HTTP exchange: a subset of fetch's, so global fetch is one. */
export type HttpTransport = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>;

/**
 * A transport on Node's own `http`/`https` with keep-alive agents of its own, the client's default. A search worker
 * spends most of its CPU on its requests: Node's global fetch (undici behind web streams) costs several times the CPU
 * of a plain `http.request` per small GraphQL exchange on the same connection (measured in docs/search-service.md).
 * Idle sockets do not keep the process alive (Node's agent unrefs them).
 */
export function nodeHttpTransport(): HttpTransport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const protocol = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : undefined;
      if (!protocol) return reject(new TypeError(`not an http(s) URL: ${url}`));
      const send = protocol === 'https:' ? https.request : http.request;
      const request = send(
        target,
        {
          method: init.method,
          agent: agents[protocol],
          headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          signal: init.signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({ status, ok: status >= 200 && status < 300, text: () => Promise.resolve(body) });
          });
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
}
