import { Agent, request } from 'node:http';

/** Posts prepared JSON bodies over kept-alive connections and returns each answer's text. */
export interface JsonPoster {
  post(body: string): Promise<string>;
  close(): void;
}

/**
 * A keep-alive HTTP/1.1 client for one URL with one socket per concurrent client. Porting note: node:http rather than
 * undici or autocannon keeps the bench on production dependencies (it runs from dist in Docker); it costs the load
 * generator a little more CPU per request, which it spends in its own worker thread.
 */
export function createJsonPoster(url: string, sockets: number): JsonPoster {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const post = (body: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 500)}`));
            else resolve(text);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
