import * as crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, NashubError, isNashubError } from '../../core';
import { sendJson } from '../http/send-json';

/**
 * Root fields whose answers depend only on what the store generation covers (records, curves, architectures,
 * catalog, predictors, predictions) and the request: a GET of a query made of these alone may be cached.
 */
export const CACHEABLE_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'spaces',
  'datasets',
  'protocols',
  'architecture',
  'architectures',
  'sample',
  'table',
  'top',
  'predictors',
  'predictor',
  'extrapolate',
  '__typename',
]);

/** `Cache-Control` of a cacheable answer: any cache may keep it, and must revalidate it (a 304 is cheap). */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

/** What a GET request is tagged with: the generation when it started, its URL's query string, and their ETag. */
export interface CacheTag {
  generation: bigint;
  search: string;
  /** {@link etagOf} the two, computed once: a 304 compares it and sends it back. */
  etag: string;
}

/** `W/"…"` or `"…"`, with the characters RFC 9110 allows in an entity tag. */
const ENTITY_TAG = /(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/g;
const IF_NONE_MATCH =
  /^\s*(?:\*|(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"(?:\s*,\s*(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")*)\s*$/;

/** SHA-256 in base64url; the one-shot `crypto.hash` (Node ≥ 20.12) where it exists: no Hash object per request. */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'base64url')
    : (text) => crypto.createHash('sha256').update(text).digest('base64url');

/** The ETag of a GET request's answer at a generation: the generation, then a digest of the query string. */
function etagOf(generation: bigint, search: string): string {
  return `"g${generation}-${sha256(search).slice(0, 22)}"`;
}

/**
 * The cache tag of a request, or null when its answer is never cached: not a GET or HEAD, or authenticated (an API key
 * may change what is answered, and shared caches must not keep it), or the generation is unknown.
 */
export function cacheTagOf(req: IncomingMessage, search: string, generation: bigint | null): CacheTag | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  if (req.headers.authorization !== undefined || generation === null) return null;
  return { generation, search, etag: etagOf(generation, search) };
}

/**
 * Whether `If-None-Match` names this tag's ETag (weak comparison, as RFC 9110 asks for If-None-Match). A malformed
 * header is INVALID_ARGUMENT. `*` matches nothing here: it matches any current representation, and whether there is
 * one is the caller's to say ({@link asksForAny}); a GraphQL query's answer, for one, is known only after running it.
 */
export function matchesIfNoneMatch(req: IncomingMessage, tag: CacheTag | null): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined) return false;
  // What a client that kept one answer sends, and so the common case: a well-formed header, no parsing needed.
  if (tag && (header === tag.etag || (header.startsWith('W/') && header.slice(2) === tag.etag))) return true;
  if (!IF_NONE_MATCH.test(header))
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'If-None-Match is not a list of entity tags', {
      details: { argument: 'If-None-Match' },
    });
  if (!tag) return false;
  const wanted = tag.etag.slice(1, -1);
  for (const match of header.matchAll(ENTITY_TAG)) if (match[1] === wanted) return true;
  return false;
}

/**
 * Answers a GET from the tag alone when it can: 304 when `If-None-Match` names the request's ETag at the current
 * generation (no parsing, no execution, no database), 400 INVALID_ARGUMENT when the header is malformed. False when
 * the request must run.
 */
export function answerFromCache(req: IncomingMessage, res: ServerResponse, tag: CacheTag | null): boolean {
  try {
    if (!matchesIfNoneMatch(req, tag)) return false;
  } catch (error) {
    if (!isNashubError(error)) throw error;
    sendJson(res, 400, { errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
    return true;
  }
  sendNotModified(res, tag!.etag);
  return true;
}

/** Whether `If-None-Match` is `*`, which matches any current representation of the target (RFC 9110 13.1.2). */
export function asksForAny(req: IncomingMessage): boolean {
  return req.headers['if-none-match']?.trim() === '*';
}

/** 304 with the ETag and the public `Cache-Control` of the answer the client already has, and no other header. */
export function sendNotModified(res: ServerResponse, etag: string): void {
  res.writeHead(304, { etag, 'cache-control': PUBLIC_CACHE_CONTROL });
  res.end();
}
