import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { openStore } from '../store';
import { startServer } from '../server';
import { createLogger } from './create-logger';
import { loadConfig } from './load-config';
import { reportFatal } from './report-fatal';
import { storeIsEmpty } from '../store/run/store-is-empty';
import { startFitWorker, type RunningFitWorker } from '../predictors/start-fit-worker';

/** `nashub serve`: migrate, then serve the GraphQL API until SIGINT/SIGTERM. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run the GraphQL API (embedded PGlite unless DATABASE_URL is set)')
    .option('-p, --port <port>', 'port to listen on (default PORT or 4000)')
    .option('--worker', 'also run a predictor-fit worker in this process (the default on embedded PGlite)')
    .option('--no-worker', 'run no fit worker here (the default on PostgreSQL: run `nashub worker`)')
    .action(async (opts: { port?: string; worker?: boolean }) => {
      const config = loadConfig(process.env, { port: opts.port });
      const logger = createLogger(config.logLevel);
      const store = await openStore({ config: config.store });
      let server;
      let worker: RunningFitWorker | null = null;
      try {
        // PGlite serves one process, so its fits run here; on PostgreSQL workers usually run elsewhere.
        if (opts.worker ?? store.kind === 'pglite') worker = await startFitWorker(store, logger);
        // With a PGlite folder, the CLI on this machine goes through this server instead of opening the folder itself.
        const localUrl = store.lock ? loopbackUrl(config.host) : null;
        const localAdminToken = localUrl ? randomBytes(32).toString('base64url') : undefined;
        server = await startServer({ ...config, store, logger, queue: worker?.queue, localAdminToken });
        if (localUrl && localAdminToken)
          store.lock!.publishServer({ url: localUrl(server.port), token: localAdminToken });
      } catch (error) {
        await worker?.stop();
        await store.close();
        throw error;
      }
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) {
          logger.warn({ signal }, 'second signal: exiting without waiting');
          process.exit(1);
        }
        stopping = true;
        logger.info(
          { signal, graceMs: config.shutdownGraceMs },
          'shutting down: refusing new requests (503), finishing those in flight',
        );
        // Order matters (issue 16, defect 5): no request may still use the database when it closes.
        stopAll()
          .then((cutOff) => {
            if (cutOff === 0) {
              logger.info('stopped cleanly');
              return;
            }
            logger.error(
              { cutOff, graceMs: config.shutdownGraceMs },
              'stopped after cutting off requests still in flight at the grace period (NASHUB_SHUTDOWN_GRACE_SECONDS)',
            );
            process.exitCode = 1;
          })
          .catch((error: unknown) => reportFatal(error));
      };
      const stopAll = async (): Promise<number> => {
        // First, so that no CLI starts a request through a server that now answers 503.
        store.lock?.publishServer(null);
        const { cutOff } = await server.stop();
        await worker?.stop();
        await store.close();
        return cutOff;
      };
      // Before the server says it is ready: a signal from whoever waits for that line must find the handlers.
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      logger.info(
        {
          url: server.url,
          database: store.kind,
          schemaVersion: store.schemaVersion,
          startupMs: Math.round(process.uptime() * 1000),
        },
        'nashub API ready',
      );
      process.stdout.write(`nashub API on ${server.url} (${store.kind})\n`);
      // A signal may come while this reads (the handlers are in place): then the store closes under it.
      const empty = await storeIsEmpty(store.dataSource.manager).catch((error: unknown) => {
        if (stopping) return false;
        throw error;
      });
      if (empty)
        process.stdout.write(
          'nashub: the store is empty; fill it with `nashub import --release http://HOST:4000/releases/NAME/VERSION/` (a release another nashub serves) or `nashub import --space nb201 --file F --map nb201/summary` (see README)\n',
        );
    });
}

/** The URL a CLI on this machine reaches the server at, or null when it listens on no loopback interface. */
function loopbackUrl(host: string | undefined): ((port: number) => string) | null {
  if (host === undefined || host === '0.0.0.0' || host === '::' || host === 'localhost' || /^127\./.test(host)) {
    return (port) => `http://${host && /^127\./.test(host) ? host : '127.0.0.1'}:${port}/graphql`;
  }
  if (host === '::1') return (port) => `http://[::1]:${port}/graphql`;
  return null;
}
