import { resolve } from 'node:path';
import { ErrorCode, NashubError } from '../core';
import type { StoreConfig } from '../store';
import { DEFAULT_LIMITS, type ApiLimits } from '../server/limit/api-limits';

/** Everything the entry points read from the environment, parsed and validated once. */
export interface NashubConfig {
  store: StoreConfig;
  /** API port (PORT, default 4000). */
  port: number;
  /** Interface to bind (HOST); undefined binds all. */
  host: string | undefined;
  /** Largest request body in bytes (NASHUB_MAX_BODY_BYTES, default 4 MiB). */
  maxBodyBytes: number;
  /** NODE_ENV=production hides stack traces. */
  production: boolean;
  /** pino level (NASHUB_LOG_LEVEL, default info). */
  logLevel: string;
  /** How long a stopping server waits for requests in flight (NASHUB_SHUTDOWN_GRACE_SECONDS, default 10). */
  shutdownGraceMs: number;
  /** API limits (NASHUB_MAX_ARCHS, NASHUB_MAX_DEPTH, NASHUB_MAX_COMPLEXITY, NASHUB_MAX_TOKENS, NASHUB_MAX_RESPONSE_BYTES). */
  limits: ApiLimits;
}

/** Command-line values that take precedence over the environment. */
export interface ConfigOverrides {
  port?: string;
}

/** Parses the environment (and overrides) into a {@link NashubConfig}, or throws CONFIG_INVALID naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): NashubConfig {
  return {
    store: parseStore(env),
    port: parseInteger('PORT', overrides.port ?? env.PORT, 4000, 0, 65_535),
    host: env.HOST || undefined,
    maxBodyBytes: parseInteger('NASHUB_MAX_BODY_BYTES', env.NASHUB_MAX_BODY_BYTES, 4 * 1024 * 1024, 1024, 1024 ** 3),
    production: env.NODE_ENV === 'production',
    logLevel: env.NASHUB_LOG_LEVEL || 'info',
    shutdownGraceMs: 1000 * parseInteger('NASHUB_SHUTDOWN_GRACE_SECONDS', env.NASHUB_SHUTDOWN_GRACE_SECONDS, 10, 0, 3600),
    limits: {
      ...DEFAULT_LIMITS,
      maxArchs: parseInteger('NASHUB_MAX_ARCHS', env.NASHUB_MAX_ARCHS, DEFAULT_LIMITS.maxArchs, 1, 10_000_000),
      maxDepth: parseInteger('NASHUB_MAX_DEPTH', env.NASHUB_MAX_DEPTH, DEFAULT_LIMITS.maxDepth, 2, 1_000),
      maxComplexity: parseInteger('NASHUB_MAX_COMPLEXITY', env.NASHUB_MAX_COMPLEXITY, DEFAULT_LIMITS.maxComplexity, 10, 1e12),
      maxTokens: parseInteger('NASHUB_MAX_TOKENS', env.NASHUB_MAX_TOKENS, DEFAULT_LIMITS.maxTokens, 100, 10_000_000),
      maxResponseBytes: parseInteger('NASHUB_MAX_RESPONSE_BYTES', env.NASHUB_MAX_RESPONSE_BYTES, DEFAULT_LIMITS.maxResponseBytes, 1024, 1024 ** 3),
    },
  };
}

function parseStore(env: NodeJS.ProcessEnv): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: 'pglite', dataDir: resolve(env.NASHUB_DATA || '.nashub') };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('DATABASE_URL', 'is not a URL; expected postgres://user:password@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalid('DATABASE_URL', `has scheme ${parsed.protocol.replace(/:$/, '')}; expected postgres://`);
  }
  if (!parsed.hostname) throw invalid('DATABASE_URL', 'names no host');
  return { kind: 'postgres', url };
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `must be an integer in ${min}..${max}, got "${raw}"`);
  }
  return value;
}

function invalid(variable: string, problem: string): NashubError {
  return new NashubError(ErrorCode.CONFIG_INVALID, `${variable} ${problem}`, { details: { variable } });
}
