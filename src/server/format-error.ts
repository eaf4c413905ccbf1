import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { asDiskFull, isNashubError, loggableError } from '../core';

/** Options of {@link createFormatError}. */
export interface FormatErrorOptions {
  /** Where unexpected errors are logged with their cause. */
  logger: Logger;
  /** Hide internal messages and stack traces (production). */
  hideInternals: boolean;
}

/**
 * The one place that turns thrown errors into GraphQL errors: domain errors keep their code and details in
 * `extensions`; anything else is a bug, logged, and shown as INTERNAL_SERVER_ERROR without its message in production.
 */
export function createFormatError(options: FormatErrorOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    const original = asDiskFull(unwrapped) ?? unwrapped;
    if (isNashubError(original)) {
      return {
        ...formatted,
        message: original.message,
        extensions: { code: original.code, ...original.details },
      };
    }
    // Apollo re-codes validation errors GRAPHQL_VALIDATION_FAILED; our depth/complexity rules mark theirs with a limit.
    if (formatted.extensions?.limit !== undefined && formatted.extensions.max !== undefined) {
      const { stacktrace: _s, http: _h, ...extensions } = formatted.extensions;
      return { ...formatted, extensions: { ...extensions, code: 'LIMIT_EXCEEDED' } };
    }
    const code = formatted.extensions?.code;
    if (code && code !== 'INTERNAL_SERVER_ERROR') {
      if (!options.hideInternals) return formatted;
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // Never the error as is: a failed statement carries its parameters, which are user input (loggableError). Not under
    // `err`, where pino's default serializer would copy fields back in.
    options.logger.error({ error: loggableError(original) }, 'unexpected error in resolver');
    if (!options.hideInternals) return formatted;
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
