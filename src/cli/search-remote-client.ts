import { ErrorCode, NashubError, type ErrorCodeValue } from '../core';
import { isNashubClientError, NashubClient } from '../client';
import { loadConfig } from './load-config';

/** The flags every command that talks to a running nashub takes. */
export interface RemoteFlags {
  /** The GraphQL endpoint; default this machine's `nashub serve` (http://127.0.0.1:$PORT/graphql). */
  url?: string;
  /** An API key (role trainer or admin for creating and working on runs). */
  key?: string;
}

/** The endpoint the flags name, checked to be an http(s) URL. */
export function remoteUrlOf(flags: RemoteFlags): string {
  const url = flags.url ?? `http://127.0.0.1:${loadConfig(process.env).port}/graphql`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--url must be an http(s) URL, got "${url}"`, {
      details: { option: '--url', value: url },
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--url must be an http(s) URL, got "${url}"`, {
      details: { option: '--url', value: url },
    });
  return url;
}

/** A client of the endpoint the flags name. */
export function remoteClientOf(flags: RemoteFlags): NashubClient {
  return new NashubClient({ url: remoteUrlOf(flags), key: flags.key });
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * Runs `action`, turning the client's errors into the CLI's: a server code nashub knows becomes the same typed error
 * the command raises in-process (so exit codes do not depend on the route: 2 for bad input); a transport failure
 * (NETWORK_ERROR, HTTP_ERROR, BAD_RESPONSE: no GraphQL answer after the client's retries) is printed as one
 * `nashub: CODE: message` line with exit code 1, and the result is undefined.
 */
export async function withRemoteErrors<T>(url: string, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    if (!isNashubClientError(error)) throw error;
    if (KNOWN_CODES.has(error.code)) {
      throw new NashubError(error.code as ErrorCodeValue, `${error.message} (from ${url})`, {
        details: { ...error.details, url },
        cause: error,
      });
    }
    process.stderr.write(`nashub: ${error.code}: ${error.message}\n`);
    process.exitCode = 1;
    return undefined;
  }
}
