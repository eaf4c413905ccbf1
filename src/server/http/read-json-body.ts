import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';

/** A body-parser failure: too large (413), malformed JSON (400), or an unsupported encoding. */
export interface BodyError extends Error {
  status?: number;
  type?: string;
  limit?: number;
}

/**
 * `application/json`, with no parameter or a UTF-8 charset: what API clients send, and what the plain reader reads.
 * Anything else (another charset, a compressed body, another type) goes to body-parser, which knows those cases.
 */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/**
 * Builds a JSON body reader with a size cap; resolves with the parsed body (undefined for GET, or a body that is not
 * JSON). Plain UTF-8 JSON bodies are read here, as body-parser's json() with its defaults would read them (strict: an
 * object or array; empty is {}; a BOM is dropped; the same error statuses and types): body-parser's type, charset and
 * encoding checks and stream plumbing cost a single lookup about a tenth of its CPU. Every other body goes to it.
 */
export function createJsonBodyReader(maxBodyBytes: number) {
  const parse = bodyParser.json({ limit: maxBodyBytes });
  const viaBodyParser = (req: IncomingMessage, res: ServerResponse): Promise<unknown> =>
    new Promise((resolve, reject) => {
      parse(req, res, (error?: unknown) =>
        error ? reject(error) : resolve((req as IncomingMessage & { body?: unknown }).body),
      );
    });
  return (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
    const { headers } = req;
    const chunked = headers['transfer-encoding'] !== undefined;
    // No body (a GET): body-parser leaves it undefined too.
    if (headers['content-length'] === undefined && !chunked) return Promise.resolve(undefined);
    const plain =
      !chunked && headers['content-encoding'] === undefined && PLAIN_JSON.test(headers['content-type'] ?? '');
    return plain ? readPlainJson(req, Number(headers['content-length']), maxBodyBytes) : viaBodyParser(req, res);
  };
}

/** Reads and parses a body of `length` bytes (Content-Length; Node has checked it is a number). */
function readPlainJson(req: IncomingMessage, length: number, limit: number): Promise<unknown> {
  if (length > limit) return drainThenFail(req, bodyError(413, 'request entity too large', 'entity.too.large', limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      chunks.push(chunk);
      if (received > limit) {
        cleanUp();
        drainThenFail(req, bodyError(413, 'request entity too large', 'entity.too.large', limit)).catch(reject);
      }
    };
    const cleanUp = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onEnd = (): void => {
      cleanUp();
      if (received !== length) {
        reject(bodyError(400, 'request size did not match content length', 'request.size.invalid'));
        return;
      }
      try {
        resolve(parseStrict(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    const onAborted = (): void => {
      cleanUp();
      reject(bodyError(400, 'request aborted', 'request.aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** body-parser's strict JSON: `{}` for an empty body, else an object or an array, with a 400 for anything else. */
function parseStrict(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  const first = /^[ \t\n\r]*(.|$)/s.exec(body)![1];
  if (first !== '{' && first !== '[')
    throw bodyError(400, `Unexpected token ${JSON.stringify(first)}: a JSON body must be an object or an array`);
  try {
    return JSON.parse(body);
  } catch (error) {
    throw bodyError(400, (error as Error).message);
  }
}

/**
 * Reads the rest of the request off and discards it, then fails with `error`, as body-parser does: the client gets
 * its answer once it has sent the body, and the connection stays usable.
 */
function drainThenFail(req: IncomingMessage, error: BodyError): Promise<never> {
  return new Promise((_, reject) => {
    if (req.readableEnded || req.destroyed) {
      reject(error);
      return;
    }
    const fail = (): void => reject(error);
    req.once('end', fail);
    req.once('close', fail);
    req.once('error', fail);
    req.resume();
  });
}

function bodyError(status: number, message: string, type = 'entity.parse.failed', limit?: number): BodyError {
  return Object.assign(new Error(message), { status, type, ...(limit !== undefined && { limit }) });
}
