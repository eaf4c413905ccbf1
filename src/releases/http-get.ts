import { get as getHttp, type IncomingMessage } from 'node:http';
import { get as getHttps } from 'node:https';
import { ErrorCode, NashubError } from '../core';

/** Options of {@link httpGet}. */
export interface HttpGetOptions {
  /** Request headers (Range, If-Range, Accept). */
  headers?: Record<string, string>;
  /** Longest wait for a connection, the response's head or the next chunk of its body, in milliseconds. */
  timeoutMs: number;
  /** Most redirects followed (default 5). */
  maxRedirects?: number;
}

/** A response whose status is not a redirect, and the URL it came from after redirects. */
export interface HttpResponse {
  url: URL;
  response: IncomingMessage;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs a URL over http or https, following redirects (a loop or too many is DOWNLOAD_FAILED), with one idle timeout
 * for connecting, the head and each chunk of the body: a slow server is DOWNLOAD_FAILED with reason `timeout`, and a
 * body that stalls later errors its stream the same way.
 */
export async function httpGet(url: URL, options: HttpGetOptions): Promise<HttpResponse> {
  const seen = new Set<string>();
  let current = url;
  for (;;) {
    seen.add(current.href);
    const response = await requestOnce(current, options);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined) return { url: current, response };
    response.resume();
    const next = new URL(location, current);
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw downloadFailed('redirect', `${current.href} redirects to ${next.protocol} URL ${next.href}`, current);
    if (seen.has(next.href))
      throw downloadFailed('redirect-loop', `${current.href} redirects in a loop (back to ${next.href})`, current);
    if (seen.size > (options.maxRedirects ?? 5))
      throw downloadFailed('redirects', `${url.href} redirects more than ${options.maxRedirects ?? 5} times`, url);
    current = next;
  }
}

function requestOnce(url: URL, options: HttpGetOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? getHttps : getHttp;
    let received: IncomingMessage | null = null;
    // A fresh connection per request (no agent): the idle timeout below belongs to this request alone.
    const request = get(url, { headers: options.headers, timeout: options.timeoutMs, agent: false }, (response) => {
      received = response;
      resolve(response);
    });
    // The socket's idle timeout goes on covering the body: a stall mid-file errors the response stream.
    request.on('timeout', () => {
      if (received) received.destroy(timedOut(url, options.timeoutMs, 'sent nothing more'));
      else request.destroy(timedOut(url, options.timeoutMs, 'did not answer'));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof NashubError) return reject(error);
      reject(downloadFailed('connect', `cannot reach ${url.origin}: ${error.code ?? error.message}`, url, error));
    });
  });
}

function timedOut(url: URL, timeoutMs: number, what: string): NashubError {
  return downloadFailed(
    'timeout',
    `${url.href} ${what} for ${timeoutMs / 1000} s; the server is too slow or stalled (raise --timeout)`,
    url,
  );
}

/** A DOWNLOAD_FAILED error with its reason and URL in details. */
export function downloadFailed(reason: string, message: string, url: URL, cause?: unknown): NashubError {
  return new NashubError(ErrorCode.DOWNLOAD_FAILED, message, { details: { reason, url: url.href }, cause });
}
