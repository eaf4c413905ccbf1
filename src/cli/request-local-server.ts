import { ErrorCode, NashubError, type ErrorCodeValue } from '../core';
import type { LockServerInfo } from '../store/pglite/data-dir-lock';

/**
 * Sends one GraphQL operation to the `nashub serve` that holds this machine's PGlite folder, as its local admin.
 * Resolves with `data`, or null when the server cannot be reached (it is stopping or gone: the caller opens the
 * folder itself, which refuses or takes over the lock as it should). A GraphQL error becomes the same typed error the
 * command would raise on its own, so exit codes do not depend on the route.
 */
export async function requestLocalServer<T>(
  server: LockServerInfo,
  query: string,
  variables: Record<string, unknown>,
): Promise<T | null> {
  let response: Response;
  try {
    response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    return null;
  }
  if (response.status === 503) return null;
  const body = (await response.json()) as {
    data?: T | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
  const error = body.errors?.[0];
  if (error) {
    const { code: raw, ...details } = error.extensions ?? {};
    const code = Object.values(ErrorCode).find((known) => known === raw) ?? ErrorCode.INVALID_ARGUMENT;
    // Details (e.g. an import's bad rows) come back as they were, so the CLI prints them the same way.
    throw new NashubError(code as ErrorCodeValue, `${error.message} (through the server at ${server.url})`, {
      details: { ...details, server: server.url },
    });
  }
  return body.data ?? null;
}
