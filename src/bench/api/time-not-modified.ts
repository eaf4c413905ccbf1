import { createHash } from 'node:crypto';
import { Agent, get } from 'node:http';

/** Options of {@link timeNotModified}. */
export interface TimeNotModifiedOptions {
  /** GraphQL endpoint. */
  url: string;
  query: string;
  variables: Record<string, unknown>;
  /** Requests of each kind, one at a time. */
  requests: number;
  /** Unmeasured time of the same alternation before measuring, as every other workload of the bench has. */
  warmupMs: number;
}

/** Mean milliseconds of the same GET answered in full and answered 304, and their ratio. */
export interface NotModifiedTiming {
  fullMs: number;
  notModifiedMs: number;
  ratio: number;
  /** Bytes of the full answer. */
  bytes: number;
}

/**
 * Times one automatic persisted query sent as GET, as Apollo's clients send it (the hash, variables), answered in full
 * and then revalidated with its ETag (304), one request at a time, alternating, so both see the same machine. Both
 * kinds run for the warm-up first: no other phase sends this client's GETs or 304s, so without it the measured
 * requests would be the first few dozen through that code (V8's interpreter), not a server's steady state.
 */
export async function timeNotModified(options: TimeNotModifiedOptions): Promise<NotModifiedTiming> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const hash = createHash('sha256').update(options.query).digest('hex');
  const params = new URLSearchParams({
    variables: JSON.stringify(options.variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
  });
  const send = (withQuery: boolean, etag?: string) =>
    new Promise<{ status: number; etag: string | undefined; bytes: number; ms: number }>((resolve, reject) => {
      const search = new URLSearchParams(params);
      if (withQuery) search.set('query', options.query);
      const started = performance.now();
      const headers: Record<string, string> = { 'apollo-require-preflight': 'true' };
      if (etag) headers['if-none-match'] = etag;
      get(`${options.url}?${search}`, { agent, headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, bytes, ms: performance.now() - started }),
        );
      }).on('error', reject);
    });
  try {
    const registered = await send(true);
    if (registered.status !== 200 || !registered.etag)
      throw new Error(`the persisted query was not answered with an ETag (HTTP ${registered.status})`);
    const pair = async () => {
      const a = await send(false);
      const b = await send(false, a.etag);
      if (a.status !== 200 || b.status !== 304) throw new Error(`expected 200 then 304, got ${a.status}, ${b.status}`);
      return { a, b };
    };
    const warmUntil = performance.now() + options.warmupMs;
    while (performance.now() < warmUntil) await pair();
    let full = 0;
    let notModified = 0;
    let bytes = 0;
    for (let i = 0; i < options.requests; i++) {
      const { a, b } = await pair();
      full += a.ms;
      notModified += b.ms;
      bytes = a.bytes;
    }
    return {
      fullMs: full / options.requests,
      notModifiedMs: notModified / options.requests,
      ratio: notModified / full,
      bytes,
    };
  } finally {
    agent.destroy();
  }
}
