import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import bodyParser from 'body-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonBodyReader, type BodyError } from './read-json-body';

const LIMIT = 64;

/** What a server made of one reader answers: the parsed body, or the failure's status and type. */
type Outcome = { body: unknown } | { status: number | undefined; type: string | undefined };

function serve(read: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>): Promise<Server> {
  const server = createServer((req, res) => {
    read(req, res).then(
      (body) => res.end(JSON.stringify({ body: body ?? null })),
      (error: BodyError) => res.end(JSON.stringify({ status: error.status, type: error.type })),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Sends `parts` as the body, one write each, with the given headers; resolves with the server's outcome. */
function send(server: Server, headers: Record<string, string>, parts: Buffer[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = request(
      { port: (server.address() as AddressInfo).port, host: '127.0.0.1', method: 'POST', headers },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(text) as Outcome));
      },
    );
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe('createJsonBodyReader', () => {
  let ours: Server;
  let reference: Server;
  beforeAll(async () => {
    ours = await serve(createJsonBodyReader(LIMIT));
    const parse = bodyParser.json({ limit: LIMIT });
    reference = await serve(
      (req, res) =>
        new Promise((resolve, reject) =>
          parse(req, res, (error?: unknown) => (error ? reject(error) : resolve((req as { body?: unknown }).body))),
        ),
    );
  });
  afterAll(() => {
    ours?.close();
    reference?.close();
  });

  const euro = Buffer.from('{"a":"\u20ac"}');
  const cases: Array<[string, Record<string, string>, Buffer[]]> = [
    ['an object', { 'content-type': 'application/json' }, [Buffer.from('{"query":"{ a }","variables":{"x":1}}')]],
    ['an array', { 'content-type': 'application/json' }, [Buffer.from(' [1, 2]')]],
    ['an empty body', { 'content-type': 'application/json' }, []],
    ['a BOM', { 'content-type': 'application/json' }, [Buffer.from('\ufeff{"a":1}')]],
    ['a UTF-8 charset, upper case', { 'content-type': 'Application/JSON; charset=UTF-8' }, [Buffer.from('{}')]],
    [
      'a character split across writes',
      { 'content-type': 'application/json' },
      [euro.subarray(0, 8), euro.subarray(8)],
    ],
    ['a string', { 'content-type': 'application/json' }, [Buffer.from('"x"')]],
    ['a number', { 'content-type': 'application/json' }, [Buffer.from('\n 1')]],
    ['malformed JSON', { 'content-type': 'application/json' }, [Buffer.from('{"a":')]],
    ['too large', { 'content-type': 'application/json' }, [Buffer.from(`{"a":"${'x'.repeat(LIMIT)}"}`)]],
    ['another type', { 'content-type': 'text/plain' }, [Buffer.from('{"a":1}')]],
    ['a +json type', { 'content-type': 'application/graphql-response+json' }, [Buffer.from('{"a":1}')]],
    ['another charset', { 'content-type': 'application/json; charset=latin1' }, [Buffer.from('{"a":1}')]],
    ['no type', {}, [Buffer.from('{"a":1}')]],
  ];
  it.each(cases)('reads %s as body-parser does', async (_, headers, parts) => {
    const length = String(parts.reduce((n, p) => n + p.length, 0));
    const withLength = { ...headers, 'content-length': length };
    expect(await send(ours, withLength, parts)).toEqual(await send(reference, withLength, parts));
  });

  it('reads a chunked body as body-parser does', async () => {
    const parts = [Buffer.from('{"a":'), Buffer.from('[1]}')];
    const headers = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
    expect(await send(ours, headers, parts)).toEqual({ body: { a: [1] } });
    expect(await send(ours, headers, parts)).toEqual(await send(reference, headers, parts));
  });
});
