import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../core';
import { DEFAULT_LIMITS } from '../server/limit/api-limits';
import { loadConfig } from './load-config';

function refusal(env: NodeJS.ProcessEnv, port?: string): unknown {
  try {
    loadConfig(env, { port });
  } catch (error) {
    return error;
  }
  return 'ok';
}

describe('environment config schema', () => {
  it('gives the defaults for an empty environment and ignores variables it does not read', () => {
    expect(loadConfig({ PATH: '/bin', UNRELATED: 'x' })).toEqual({
      store: { kind: 'pglite', dataDir: resolve('.nashub') },
      releasesDir: resolve('.nashub-releases'),
      port: 4000,
      host: undefined,
      maxBodyBytes: 4 * 1024 * 1024,
      production: false,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
      limits: DEFAULT_LIMITS,
    });
  });

  it('reads every variable, empty ones as unset, and lets --port win', () => {
    const config = loadConfig(
      {
        DATABASE_URL: ' postgres://u:p@db:5432/n ',
        PORT: '81',
        HOST: '',
        NASHUB_MAX_BODY_BYTES: '2048',
        NODE_ENV: 'production',
        NASHUB_LOG_LEVEL: 'debug',
        NASHUB_SHUTDOWN_GRACE_SECONDS: '0',
        NASHUB_MAX_ARCHS: '',
      },
      { port: '82' },
    );
    expect(config).toMatchObject({
      store: { kind: 'postgres', url: 'postgres://u:p@db:5432/n' },
      port: 82,
      host: undefined,
      maxBodyBytes: 2048,
      production: true,
      logLevel: 'debug',
      shutdownGraceMs: 0,
    });
    expect(config.limits.maxArchs).toBe(DEFAULT_LIMITS.maxArchs);
    expect(loadConfig({ DATABASE_URL: '  ', NASHUB_DATA: '/tmp/x' }).store).toEqual({
      kind: 'pglite',
      dataDir: '/tmp/x',
    });
    expect(loadConfig({ NASHUB_DATA: '/tmp/x/' }).releasesDir).toBe('/tmp/x-releases');
    expect(loadConfig({ NASHUB_DATA: '/tmp/x', NASHUB_RELEASES: '/srv/rel' }).releasesDir).toBe('/srv/rel');
  });

  it.each([
    ['a port that is a word', { PORT: 'eighty' }, 'PORT'],
    ['a port out of range', { PORT: '70000' }, 'PORT'],
    ['a fractional body size', { NASHUB_MAX_BODY_BYTES: '1500.5' }, 'NASHUB_MAX_BODY_BYTES'],
    ['a negative grace', { NASHUB_SHUTDOWN_GRACE_SECONDS: '-1' }, 'NASHUB_SHUTDOWN_GRACE_SECONDS'],
    ['a depth below the floor', { NASHUB_MAX_DEPTH: '1' }, 'NASHUB_MAX_DEPTH'],
    ['a token limit in hex words', { NASHUB_MAX_TOKENS: 'lots' }, 'NASHUB_MAX_TOKENS'],
    ['a malformed DATABASE_URL', { DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    ['a non-postgres DATABASE_URL', { DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
  ])('refuses %s with CONFIG_INVALID naming the variable', (_, env, field) => {
    expect(refusal(env)).toMatchObject({ code: ErrorCode.CONFIG_INVALID, details: { field } });
  });

  it('refuses a bad --port like a bad PORT, and never repeats a DATABASE_URL password', () => {
    expect(refusal({}, 'x')).toMatchObject({ code: ErrorCode.CONFIG_INVALID, details: { field: 'PORT' } });
    const error = refusal({ DATABASE_URL: 'mysql://u:secret@h/x' }) as Error & { details: unknown };
    expect(error.message).not.toContain('secret');
    expect(JSON.stringify(error.details)).not.toContain('secret');
  });
});
