import { NashubClientError } from './nashub-client-error';
import type { HttpTransport } from './node-http-transport';

/** A GraphQL error as the server sends it. */
interface WireError {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown; [key: string]: unknown };
}

/** Options of {@link postGraphql}. */
export interface PostGraphqlOptions {
  url: string;
  /** An API key, sent as `authorization: Bearer KEY`. */
  key?: string;
  /** Global fetch or anything shaped like it (the client's default is {@link nodeHttpTransport}). */
  fetch: HttpTransport;
  /** Tries after the first on a network error or a 502/503/504 answer. */
  retries: number;
  /** The first retry waits about this long; each later one twice the one before (with jitter). */
  backoffMs: number;
  query: string;
  variables: Record<string, unknown> | undefined;
  /** Aborts the request and any wait between retries. */
  signal?: AbortSignal;
}

/** Statuses of a server or proxy that is restarting or overloaded: the request was not served, so it is sent again. */
const RETRIED_STATUSES = new Set([502, 503, 504]);

/** A number of milliseconds in [delay / 2, delay): exponential backoff with jitter, so workers do not retry in step. */
function backoffDelay(backoffMs: number, attempt: number): number {
  const delay = backoffMs * 2 ** attempt;
  return delay / 2 + (Math.random() * delay) / 2;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The first GraphQL error of an answer as a typed error. */
function toClientError(errors: WireError[], status: number): NashubClientError {
  const first = errors[0] ?? {};
  const { code, ...details } = first.extensions ?? {};
  return new NashubClientError(
    typeof code === 'string' ? code : 'GRAPHQL_ERROR',
    typeof first.message === 'string' ? first.message : 'GraphQL error',
    { status, details, path: Array.isArray(first.path) ? (first.path as Array<string | number>) : undefined },
  );
}

/**
 * Posts one GraphQL request and returns its `data`. GraphQL errors throw at once (the server answered; sending again
 * would get the same answer or, for a mutation, do it twice); network errors and 502/503/504 are tried again.
 */
export async function postGraphql(options: PostGraphqlOptions): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  const body = JSON.stringify({ query: options.query, variables: options.variables ?? {} });
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= options.retries;
    let response: Awaited<ReturnType<HttpTransport>>;
    try {
      response = await options.fetch(options.url, { method: 'POST', headers, body, signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (last) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new NashubClientError(
          'NETWORK_ERROR',
          `no answer from ${options.url} after ${attempt + 1} tries: ${reason}`,
          {
            cause: error,
          },
        );
      }
      await sleep(backoffDelay(options.backoffMs, attempt), options.signal);
      continue;
    }
    const text = await response.text();
    if (RETRIED_STATUSES.has(response.status) && !last) {
      await sleep(backoffDelay(options.backoffMs, attempt), options.signal);
      continue;
    }
    let answer: { data?: unknown; errors?: WireError[] };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch (error) {
      const code = response.ok ? 'BAD_RESPONSE' : 'HTTP_ERROR';
      throw new NashubClientError(code, `HTTP ${response.status} from ${options.url}: ${text.slice(0, 200)}`, {
        status: response.status,
        cause: error,
      });
    }
    if (Array.isArray(answer.errors) && answer.errors.length > 0) throw toClientError(answer.errors, response.status);
    if (!response.ok || answer.data === undefined || answer.data === null) {
      throw new NashubClientError(response.ok ? 'BAD_RESPONSE' : 'HTTP_ERROR', `HTTP ${response.status} without data`, {
        status: response.status,
      });
    }
    return answer.data;
  }
}
