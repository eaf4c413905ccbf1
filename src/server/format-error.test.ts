import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { createFormatError } from './format-error';

/** A pino logger whose lines land in `lines`. */
function memoryLogger(lines: string[]) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return pino({ level: 'info' }, stream);
}

describe('createFormatError', () => {
  it('logs a failed statement by its SQLSTATE and text, never its parameters (user input), in a bounded line (issue 16 defect 6)', () => {
    const lines: string[] = [];
    const formatError = createFormatError({ logger: memoryLogger(lines), hideInternals: true });
    const secret = `secret-user-input-${'x'.repeat(1_000_000)}`;
    const driverError = Object.assign(new Error('index row requires 12024 bytes, maximum size is 8191'), {
      code: '54000',
      detail: `Key (name)=(${secret}) is too long`,
    });
    const failed = new QueryFailedError(
      'INSERT INTO protocol (name, epochs) VALUES ($1, $2)',
      [secret, 3],
      driverError,
    );
    const located = new GraphQLError('index row requires 12024 bytes', {
      originalError: failed,
      path: ['createProtocol'],
    });

    const shown = formatError(
      { message: located.message, path: ['createProtocol'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      located,
    );

    expect(shown).toEqual({
      message: 'Internal server error',
      path: ['createProtocol'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]) as { error: Record<string, unknown> };
    expect(logged.error).toMatchObject({
      type: 'QueryFailedError',
      code: '54000',
      query: 'INSERT INTO protocol (name, epochs) VALUES ($1, $2)',
    });
    expect(lines[0]).not.toContain('secret-user-input');
    expect(lines[0].length).toBeLessThan(10_000);
  });
});
