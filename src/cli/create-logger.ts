import pino, { type Logger } from 'pino';
import { loggableError } from '../core';

/**
 * Structured JSON-lines logger on stderr, so stdout stays free for command output. Errors logged as `err` keep their
 * code, statement and clipped message, never a statement's parameters (see loggableError).
 */
export function createLogger(level: string): Logger {
  return pino(
    { level, base: { name: 'nashub' }, serializers: { err: loggableError } },
    pino.destination({ fd: 2, sync: true }),
  );
}
