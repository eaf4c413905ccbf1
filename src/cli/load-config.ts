import { resolve } from 'node:path';
import { z } from 'zod';
import { ErrorCode, parseWithSchema } from '../core';
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
  /** Folder of published releases, one `<name>/<version>/` each, served at /releases (NASHUB_RELEASES). */
  releasesDir: string;
  /** API limits (NASHUB_MAX_ARCHS, NASHUB_MAX_DEPTH, NASHUB_MAX_COMPLEXITY, NASHUB_MAX_TOKENS, NASHUB_MAX_RESPONSE_BYTES). */
  limits: ApiLimits;
}

/** Command-line values that take precedence over the environment. */
export interface ConfigOverrides {
  port?: string;
}

/** An integer variable: unset or empty gives `fallback`; anything else must be an integer in min..max. */
function integerVariable(fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (Number.isInteger(value) && value >= min && value <= max) return value;
      ctx.addIssue({ code: 'custom', message: `must be an integer in ${min}..${max}, got "${raw}"` });
      return z.NEVER;
    });
}

/** DATABASE_URL: empty or unset means the embedded PGlite store; else a postgres:// URL with a host. */
const databaseUrl = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const url = raw?.trim();
    if (!url) return undefined;
    const fail = (message: string): typeof z.NEVER => {
      // The message never repeats the URL: it may hold a password.
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return fail('is not a URL; expected postgres://user:password@host:5432/database');
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
      return fail(`has scheme ${parsed.protocol.replace(/:$/, '')}; expected postgres://`);
    if (!parsed.hostname) return fail('names no host');
    return url;
  });

/** The variables nashub reads, one schema for all of them; other variables are ignored. */
const environmentSchema = z.object({
  DATABASE_URL: databaseUrl,
  NASHUB_DATA: z.string().optional(),
  NASHUB_RELEASES: z.string().optional(),
  PORT: integerVariable(4000, 0, 65_535),
  HOST: z.string().optional(),
  NASHUB_MAX_BODY_BYTES: integerVariable(4 * 1024 * 1024, 1024, 1024 ** 3),
  NODE_ENV: z.string().optional(),
  NASHUB_LOG_LEVEL: z.string().optional(),
  NASHUB_SHUTDOWN_GRACE_SECONDS: integerVariable(10, 0, 3600),
  NASHUB_MAX_ARCHS: integerVariable(DEFAULT_LIMITS.maxArchs, 1, 10_000_000),
  NASHUB_MAX_DEPTH: integerVariable(DEFAULT_LIMITS.maxDepth, 2, 1_000),
  NASHUB_MAX_COMPLEXITY: integerVariable(DEFAULT_LIMITS.maxComplexity, 10, 1e12),
  NASHUB_MAX_TOKENS: integerVariable(DEFAULT_LIMITS.maxTokens, 100, 10_000_000),
  NASHUB_MAX_RESPONSE_BYTES: integerVariable(DEFAULT_LIMITS.maxResponseBytes, 1024, 1024 ** 3),
});

/** Parses the environment (and overrides) into a {@link NashubConfig}, or throws CONFIG_INVALID naming the variable in `details.field`. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): NashubConfig {
  const input = { ...env, PORT: overrides.port ?? env.PORT };
  // The environment may hold secrets (DATABASE_URL's password): errors name the variable, never its value.
  const vars = parseWithSchema(environmentSchema, input, {
    code: ErrorCode.CONFIG_INVALID,
    what: 'environment variable',
    hideValue: true,
  });
  return {
    store:
      vars.DATABASE_URL === undefined
        ? { kind: 'pglite', dataDir: resolve(vars.NASHUB_DATA || '.nashub') }
        : { kind: 'postgres', url: vars.DATABASE_URL },
    port: vars.PORT,
    host: vars.HOST || undefined,
    maxBodyBytes: vars.NASHUB_MAX_BODY_BYTES,
    production: vars.NODE_ENV === 'production',
    logLevel: vars.NASHUB_LOG_LEVEL || 'info',
    shutdownGraceMs: 1000 * vars.NASHUB_SHUTDOWN_GRACE_SECONDS,
    // Beside the data folder, not in it: PGlite's folder is a PostgreSQL data directory.
    releasesDir: resolve(vars.NASHUB_RELEASES || `${releasesBase(vars.NASHUB_DATA)}-releases`),
    limits: {
      ...DEFAULT_LIMITS,
      maxArchs: vars.NASHUB_MAX_ARCHS,
      maxDepth: vars.NASHUB_MAX_DEPTH,
      maxComplexity: vars.NASHUB_MAX_COMPLEXITY,
      maxTokens: vars.NASHUB_MAX_TOKENS,
      maxResponseBytes: vars.NASHUB_MAX_RESPONSE_BYTES,
    },
  };
}

/** The data folder the default release folder sits beside (an in-memory store has none: `.nashub`). */
function releasesBase(dataDir: string | undefined): string {
  return !dataDir || dataDir.startsWith('memory://') ? '.nashub' : dataDir.replace(/[/\\]+$/, '');
}
