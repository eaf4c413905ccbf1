/** What a GraphQL error's `extensions` hold: the server's typed code and, for domain errors, their details. */
export type ErrorExtensions = Readonly<Record<string, unknown>>;

/** Options of {@link NashubClientError}. */
export interface NashubClientErrorOptions {
  /** The HTTP status of the answer, when there was one. */
  status?: number;
  /** The error's `extensions` minus `code` (the server's details: option, field, value, ...). */
  details?: ErrorExtensions;
  /** The GraphQL path of the field that failed. */
  path?: ReadonlyArray<string | number>;
  /** The underlying error (a network error, a JSON parse error). */
  cause?: unknown;
}

/**
 * A failed request: a GraphQL error with the server's `extensions.code` (`NOT_FOUND`, `CONFLICT`, `INVALID_ARGUMENT`,
 * ...), or the transport's own code when no GraphQL answer came back: `NETWORK_ERROR` (no connection after every
 * retry), `HTTP_ERROR` (a status without a GraphQL body), `BAD_RESPONSE` (a body that is not a GraphQL answer).
 */
export class NashubClientError extends Error {
  override readonly name = 'NashubClientError';
  /** The server's `extensions.code`, or the transport's code. */
  readonly code: string;
  readonly status: number | undefined;
  readonly details: ErrorExtensions;
  readonly path: ReadonlyArray<string | number> | undefined;

  constructor(code: string, message: string, options: NashubClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.details = options.details ?? {};
    this.path = options.path;
  }
}

/** Whether a thrown value is a {@link NashubClientError} (also across copies of the package). */
export function isNashubClientError(value: unknown): value is NashubClientError {
  return (
    value instanceof Error &&
    value.name === 'NashubClientError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
