import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocketPoster } from './socket-poster';

describe('createSocketPoster', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Echoes the body (repeated `times` times), 500 for {"fail":true}; closes the connection on {"close":true}.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { times?: number; fail?: boolean; close?: boolean };
        if (parsed.close) res.setHeader('connection', 'close');
        res.statusCode = parsed.fail ? 500 : 200;
        res.end(body.repeat(parsed.times ?? 1));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => server?.close());

  it('answers concurrent posts over kept-alive connections, large and non-ASCII answers whole', async () => {
    const poster = createSocketPoster(url, 4);
    try {
      for (let round = 0; round < 3; round++) {
        const bodies = Array.from({ length: 4 }, (_, i) => JSON.stringify({ i, round, text: '\u20ac\u{1f600}' }));
        expect(await Promise.all(bodies.map((b) => poster.post(b)))).toEqual(bodies);
      }
      const large = JSON.stringify({ times: 3, pad: 'x'.repeat(100_000) });
      expect(await poster.post(large)).toBe(large.repeat(3));
    } finally {
      poster.close();
    }
  });

  it('rejects an answer other than 200, and opens a new connection when the server closed one', async () => {
    const poster = createSocketPoster(url, 1);
    try {
      await expect(poster.post('{"fail":true}')).rejects.toThrow(/500/);
      const closing = '{"close":true}';
      expect(await poster.post(closing)).toBe(closing);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await poster.post('{"after":1}')).toBe('{"after":1}');
    } finally {
      poster.close();
    }
  });
});
