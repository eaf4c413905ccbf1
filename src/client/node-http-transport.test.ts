import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpTransport } from './node-http-transport';

describe('nodeHttpTransport', () => {
  let server: http.Server;
  let url: string;
  let connections = 0;
  const seen: Array<{ method?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method, headers: request.headers, body });
        if (request.url === '/slow') return void setTimeout(() => response.end('{}'), 5_000);
        const status = request.url === '/unavailable' ? 503 : 200;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data: { echo: body, ü: 'ß' } }));
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the body with its headers and answers status, ok and the text (UTF-8), keeping one connection alive', async () => {
    const transport = nodeHttpTransport();
    const before = connections;
    const body = JSON.stringify({ query: '{ a }', variables: { name: 'é' } });
    for (let i = 0; i < 3; i++) {
      const answer = await transport(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
        body,
      });
      expect(answer.status).toBe(200);
      expect(answer.ok).toBe(true);
      expect(JSON.parse(await answer.text())).toEqual({ data: { echo: body, ü: 'ß' } });
    }
    expect(connections - before).toBe(1);
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.headers.authorization).toBe('Bearer k');
    expect(last.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('answers a status that is not 2xx as not ok, with its body', async () => {
    const answer = await nodeHttpTransport()(`${url}/unavailable`, { method: 'POST', headers: {}, body: '{}' });
    expect([answer.status, answer.ok]).toEqual([503, false]);
    expect(await answer.text()).toContain('echo');
  });

  it('rejects a URL that is not http(s), a closed port, and an aborted request', async () => {
    const transport = nodeHttpTransport();
    await expect(transport('ftp://example.org/graphql', { method: 'POST', headers: {}, body: '' })).rejects.toThrow(
      /not an http\(s\) URL/,
    );
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      transport(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: {}, body: '' }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const controller = new AbortController();
    const pending = transport(`${url}/slow`, { method: 'POST', headers: {}, body: '', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
