import { Command } from 'commander';
import { runArchBench } from '../bench/arch.bench';
import { runCurveStorageBench } from '../bench/curve-storage.bench';
import { runStartupBench } from '../bench/startup.bench';
import { runImportBench } from '../bench/import.bench';
import { runReleaseTransferBench } from '../bench/release-transfer.bench';
import { benchLceCommand } from './bench-lce.command';
import { benchPredictorCommand } from './bench-predictor.command';
import { benchTrainerCommand } from './bench-trainer.command';
import { benchSearchCommand } from './bench-search.command';
import { runApiBench } from '../bench/api.bench';
import { LOAD_CLIENTS, isLoadClient } from '../bench/api/load-client';
import { ErrorCode, NashubError } from '../core';
import { positiveNumber } from './parse-integer-flag';

/** `nashub bench <name>`: benchmarks that print one JSON object on stdout. */
export function benchCommand(): Command {
  return new Command('bench')
    .description('run a benchmark and print its result as one JSON object')
    .addCommand(
      new Command('release-transfer')
        .description(
          'a release over loopback: import by URL (download, verify, import) against import from the folder, and HEAD latency',
        )
        .requiredOption('--release <dir>', 'a release folder written by nashub publish')
        .action(async (flags: { release: string }) => {
          process.stdout.write(`${JSON.stringify(await runReleaseTransferBench({ release: flags.release }))}\n`);
        }),
    )
    .addCommand(
      new Command('arch')
        .description('architecture canonicalisations (parse + format + id + isoClass) per second, per search space')
        .option('--duration-ms <ms>', 'timing per space, in milliseconds', '2000')
        .action((flags: { durationMs: string }) => {
          const durationMs = Number(flags.durationMs);
          if (!Number.isFinite(durationMs) || durationMs <= 0) {
            throw new NashubError(
              ErrorCode.INVALID_ARGUMENT,
              `--duration-ms must be a positive number, got "${flags.durationMs}"`,
              {
                details: { option: '--duration-ms', value: flags.durationMs },
              },
            );
          }
          process.stdout.write(`${JSON.stringify(runArchBench({ durationMs }))}\n`);
        }),
    )
    .addCommand(
      new Command('startup')
        .description(
          'milliseconds from `nashub serve` to the first answered query: PGlite new, reopened, and PostgreSQL',
        )
        .option('--database-url <url>', 'also measure on this PostgreSQL (default DATABASE_URL)')
        .action(async (flags: { databaseUrl?: string }) => {
          const result = await runStartupBench({
            databaseUrl: flags.databaseUrl ?? process.env.DATABASE_URL,
            timeoutMs: 60_000,
          });
          process.stdout.write(`${JSON.stringify(result)}\n`);
        }),
    )
    .addCommand(
      new Command('curve-storage')
        .description(
          'per-epoch curves stored as rows vs arrays: load time, size and lookups per second, PGlite and PostgreSQL',
        )
        .option('--runs <n>', 'runs of 200 epochs in the synthetic dataset', '5000')
        .option(
          '--database-url <url>',
          'also measure on this PostgreSQL server, in a database it creates and drops (default DATABASE_URL)',
        )
        .action(async (flags: { runs: string; databaseUrl?: string }) => {
          const runs = Number(flags.runs);
          if (!Number.isInteger(runs) || runs <= 0) {
            throw new NashubError(
              ErrorCode.INVALID_ARGUMENT,
              `--runs must be a positive integer, got "${flags.runs}"`,
              {
                details: { option: '--runs', value: flags.runs },
              },
            );
          }
          const result = await runCurveStorageBench({
            runs,
            databaseUrl: flags.databaseUrl ?? process.env.DATABASE_URL,
          });
          process.stdout.write(`${JSON.stringify(result)}\n`);
        }),
    )
    .addCommand(
      new Command('import')
        .description('import the three NB201 files into fresh databases: seconds and rows/s per file')
        .option('--data <dir>', 'folder with the NB201 files', '../shared/data/nb201')
        .option('--database-url <url>', 'also measure on this PostgreSQL server (default DATABASE_URL)')
        .action(async (flags: { data: string; databaseUrl?: string }) => {
          const result = await runImportBench({
            dataDir: flags.data,
            databaseUrl: flags.databaseUrl ?? process.env.DATABASE_URL,
          });
          process.stdout.write(`${JSON.stringify(result)}\n`);
        }),
    )
    .addCommand(
      new Command('api')
        .description(
          'NB201 in a fresh database, the API server in-process: single and batch lookups over HTTP vs the same SQL on raw pg',
        )
        .option('--data <dir>', 'folder with the NB201 files', '../shared/data/nb201')
        .option(
          '--database-url <url>',
          'run on this PostgreSQL server, in a database it creates and drops (default DATABASE_URL; else PGlite)',
        )
        .option('--concurrency <n>', 'concurrent clients of the single lookups', '16')
        .option('--batch-concurrency <n>', 'concurrent clients of the batch lookups', '2')
        .option('--batch-size <n>', 'architectures per batch', '1000')
        .option('--duration-s <s>', 'measured seconds per workload', '10')
        .option('--warmup-s <s>', 'unmeasured seconds before each workload', '2')
        .option('--no-analyze', 'skip ANALYZE after the import (the state PGlite stays in: it has no autovacuum)')
        .option('--cpu-prof-dir <dir>', 'write a V8 CPU profile of the main thread per workload here')
        .option('--no-table', 'skip the columnar read (table, sweep, /export, 304s): single and batch lookups only')
        .option(
          '--load-client <name>',
          'HTTP client of the single, batch and table loads: node (node:http) or socket (plain sockets, a fifth of the client CPU)',
          'node',
        )
        .action(
          async (flags: {
            data: string;
            databaseUrl?: string;
            analyze: boolean;
            concurrency: string;
            batchConcurrency: string;
            batchSize: string;
            durationS: string;
            warmupS: string;
            cpuProfDir?: string;
            table: boolean;
            loadClient: string;
          }) => {
            if (!isLoadClient(flags.loadClient)) {
              throw new NashubError(
                ErrorCode.INVALID_ARGUMENT,
                `--load-client must be one of ${Object.keys(LOAD_CLIENTS).join(', ')}, got "${flags.loadClient}"`,
                { details: { option: '--load-client', value: flags.loadClient } },
              );
            }
            const result = await runApiBench({
              dataDir: flags.data,
              databaseUrl: flags.databaseUrl ?? process.env.DATABASE_URL,
              analyze: flags.analyze,
              concurrency: positiveNumber('--concurrency', flags.concurrency, true),
              batchConcurrency: positiveNumber('--batch-concurrency', flags.batchConcurrency, true),
              batchSize: positiveNumber('--batch-size', flags.batchSize, true),
              durationS: positiveNumber('--duration-s', flags.durationS, false),
              warmupS: positiveNumber('--warmup-s', flags.warmupS, false),
              cpuProfileDir: flags.cpuProfDir,
              table: flags.table,
              loadClient: flags.loadClient,
            });
            process.stdout.write(`${JSON.stringify(result)}\n`);
          },
        ),
    )
    .addCommand(benchTrainerCommand())
    .addCommand(benchLceCommand())
    .addCommand(benchPredictorCommand())
    .addCommand(benchSearchCommand());
}
