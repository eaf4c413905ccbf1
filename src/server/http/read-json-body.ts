import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';

/** A body-parser failure: too large (413), malformed JSON (400), or an unsupported encoding. */
export interface BodyError extends Error {
  status?: number;
  type?: string;
  limit?: number;
}

/** Builds a JSON body reader with a size cap; resolves with the parsed body (undefined for GET). */
export function createJsonBodyReader(maxBodyBytes: number) {
  const parse = bodyParser.json({ limit: maxBodyBytes });
  return (req: IncomingMessage, res: ServerResponse): Promise<unknown> =>
    new Promise((resolve, reject) => {
      parse(req, res, (error?: unknown) =>
        error ? reject(error) : resolve((req as IncomingMessage & { body?: unknown }).body),
      );
    });
}
