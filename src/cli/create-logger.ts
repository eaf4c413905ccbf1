import pino, { type Logger } from 'pino';

/** Structured JSON-lines logger on stderr, so stdout stays free for command output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { name: 'nashub' } }, pino.destination({ fd: 2, sync: true }));
}
