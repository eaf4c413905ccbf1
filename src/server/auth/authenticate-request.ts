import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '../../core';
import { findActiveApiKeyByHash, hashApiKey } from '../../store/api-key';
import type { RequestAuth } from './request-auth.type';

/** Options of {@link authenticateRequest}. */
export interface AuthenticateRequestOptions {
  /** Where keys are looked up. */
  manager: EntityManager;
  /** The raw `Authorization` header, undefined when absent. */
  authorization: string | undefined;
}

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Resolves the request's API key, once per request and with no cache, so a revoked key fails on its next request.
 * No header: anonymous (null), which reads allow. A header that is malformed, unknown or revoked fails the whole
 * request with UNAUTHENTICATED (HTTP 401), reads included, so a misconfigured client notices at once instead of
 * silently reading anonymously. Thrown as a GraphQLError because Apollo re-codes anything else thrown while building
 * the context as INTERNAL_SERVER_ERROR with HTTP 500.
 */
export async function authenticateRequest(options: AuthenticateRequestOptions): Promise<RequestAuth | null> {
  if (options.authorization === undefined) return null;
  const key = bearer.exec(options.authorization)?.[1];
  if (key === undefined) throw unauthenticated('the Authorization header must be "Bearer KEY"', 'MALFORMED');
  const found = await findActiveApiKeyByHash(options.manager, hashApiKey(key));
  if (found === null) throw unauthenticated('the API key is unknown or revoked', 'INVALID_KEY');
  return { keyName: found.name, role: found.role };
}

function unauthenticated(message: string, reason: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, reason, http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } } });
}
