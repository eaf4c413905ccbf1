import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { createFreshDatabase } from '../bench/fresh-database';
import { runSearchBench, type BenchStrategy } from '../bench/search.bench';
import { runRemoteSearchBench } from '../bench/search-remote.bench';
import { ErrorCode, NashubError } from '../core';
import { findSearchPreset } from '../search/preset/search-presets';
import { parseStrategyName, STRATEGY_NAMES } from '../search/strategy';
import { openStore, type Store } from '../store';
import { importFile, resolveMapping } from '../store/import';
import { loadMappingFile } from '../store/import/load-mapping-file';
import { loadConfig } from './load-config';
import { parseIntegerFlag, positiveNumber } from './parse-integer-flag';

interface BenchSearchFlags {
  preset: string;
  strategies: string;
  runs: string;
  seedBase: string;
  workers: string;
  budgetSeconds?: string;
  points: string;
  option: string[];
  svg?: string;
  data?: string;
  remote?: boolean;
  url?: string;
  key?: string;
  database: string;
  databaseUrl?: string;
  budgetEvaluations?: string;
  trialsPerAsk: string;
  transport: string;
  separateTell?: boolean;
  evaluationMs: string;
  warmupEvaluations: string;
  cpuProfile?: string;
}

/** `--transport http|fetch`. */
function transportFlag(value: string): 'http' | 'fetch' {
  if (value === 'http' || value === 'fetch') return value;
  throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--transport must be http or fetch, got "${value}"`, {
    details: { option: '--transport', value },
  });
}

/** `--strategies RANDOM,REINFORCE` and `--option REINFORCE.learningRate=0.1`: one entry per name, with its options. */
function parseStrategies(list: string, pairs: readonly string[]): BenchStrategy[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--strategies names no strategy', {
      details: { option: '--strategies' },
    });
  const options = new Map<string, Record<string, string>>();
  for (const pair of pairs) {
    const match = /^([A-Z_]+)\.([A-Za-z]+)=(.*)$/.exec(pair);
    if (!match)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--option must be STRATEGY.key=value, got "${pair}"`, {
        details: { option: '--option', value: pair },
      });
    const name = parseStrategyName(match[1]);
    options.set(name, { ...options.get(name), [match[2]]: match[3] });
  }
  if (new Set(names).size !== names.length)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--strategies names a strategy twice: ${list}`, {
      details: { option: '--strategies' },
    });
  return names.map((text) => {
    const name = parseStrategyName(text);
    const own = options.get(name) ?? {};
    const label =
      Object.keys(own).length === 0
        ? name
        : `${name}(${Object.entries(own)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')})`;
    return { label, name, options: own };
  });
}

/** `nashub bench search`: R runs per strategy of a table preset; one JSON line per strategy and an SVG regret plot. */
export function benchSearchCommand(): Command {
  return new Command('search')
    .description(
      'R seeded runs per strategy of a search preset on its stored table: final accuracy at 25/50/75/100% of the budget, evaluations, wall seconds; JSON lines and an SVG of mean regret',
    )
    .option('--preset <name>', 'search preset', 'nb201-cifar10-valid')
    .option(
      '--strategies <list>',
      `comma-separated (${STRATEGY_NAMES.join(', ')})`,
      'RANDOM,REGULARIZED_EVOLUTION,REINFORCE,LOCAL_SEARCH,HYPERBAND',
    )
    .option('--runs <n>', 'runs (seeds) per strategy', '100')
    .option('--seed-base <n>', 'run r uses seed base + r', '0')
    .option('--workers <n>', 'evaluations running at once', '1')
    .option('--budget-seconds <s>', "simulated seconds per run (default the preset's)")
    .option('--points <n>', 'points of the regret curve', '100')
    .option(
      '--option <STRATEGY.key=value>',
      'a strategy option, e.g. REINFORCE.learningRate=0.001 (repeatable)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('--svg <file>', 'write the regret plot here')
    .option(
      '--data <file>',
      "import this file with the preset's mapping into a fresh embedded database first (default: read the configured store)",
    )
    .option(
      '--remote',
      'instead: W worker processes (--workers, default 8) ask and tell one TABLE run over HTTP as fast as they can; asks+tells/s, ask latency percentiles, duplicates, machine, as one JSON line',
    )
    .option('--url <url>', '--remote: an existing server (with the preset imported) instead of one in this process')
    .option('--key <key>', '--remote --url: an API key with role trainer')
    .option('--database <kind>', '--remote: the in-process server on postgres or pglite', 'postgres')
    .option(
      '--database-url <url>',
      '--remote --database postgres: the server to create (and drop) a database on (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)',
    )
    .option('--budget-evaluations <n>', '--remote: trials told before the run finishes', '2000')
    .option('--trials-per-ask <n>', '--remote: trials each worker asks for at once (1..64)', '1')
    .option(
      '--transport <kind>',
      "--remote: the workers' client transport, http (Node's, the client's default) or fetch",
      'http',
    )
    .option(
      '--separate-tell',
      '--remote: workers tell and ask in two requests instead of one tellAndAsk (to compare the two side by side)',
    )
    .option(
      '--evaluation-ms <ms>',
      "--remote: each worker's evaluation takes this long on average (uniformly 0.5-1.5x, a stand-in for training) before it tells: the latencies at that load instead of at saturation",
      '0',
    )
    .option(
      '--warmup-evaluations <n>',
      '--remote: trials of an untimed warm-up run the workers finish first, so the timed run sees a warm server (0: none)',
      '1000',
    )
    .option('--cpu-profile <dir>', "--remote: write the in-process server's CPU profile here and summarise it")
    .action(async (flags: BenchSearchFlags, command: Command) => {
      if (flags.remote) return benchSearchRemote(flags, command);
      const preset = findSearchPreset(flags.preset);
      const strategies = parseStrategies(flags.strategies, flags.option);
      const common = {
        preset: preset.name,
        strategies,
        runs: positiveNumber('--runs', flags.runs, true),
        seedBase: parseIntegerFlag('--seed-base', flags.seedBase)!,
        workers: positiveNumber('--workers', flags.workers, true),
        budgetSeconds:
          flags.budgetSeconds === undefined
            ? undefined
            : positiveNumber('--budget-seconds', flags.budgetSeconds, false),
        points: positiveNumber('--points', flags.points, true),
        svgPath: flags.svg,
        onLine: (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`),
      };
      const fresh = flags.data === undefined ? null : await createFreshDatabase('bench-search');
      let store: Store | null = null;
      try {
        store = await openStore({ config: fresh?.config ?? loadConfig(process.env).store });
        let importSeconds: number | null = null;
        if (flags.data !== undefined) {
          const started = performance.now();
          await importFile({
            dataSource: store.dataSource,
            space: preset.data.space,
            file: flags.data,
            mapping: resolveMapping(loadMappingFile(preset.data.map)),
            replace: false,
          });
          importSeconds = (performance.now() - started) / 1000;
        }
        const result = await runSearchBench({ ...common, manager: store.dataSource.manager });
        process.stdout.write(
          `${JSON.stringify({ summary: true, preset: preset.name, importSeconds, tableLoadSeconds: result.tableLoadSeconds, svg: result.svgPath })}\n`,
        );
      } finally {
        await store?.close();
        await fresh?.drop();
      }
    });
}

/** `nashub bench search --remote`: one JSON line (src/bench/search-remote.bench.ts). */
async function benchSearchRemote(flags: BenchSearchFlags, command: Command): Promise<void> {
  const strategies =
    command.getOptionValueSource('strategies') === 'default'
      ? ['REGULARIZED_EVOLUTION']
      : parseStrategies(flags.strategies, []).map((s) => s.name);
  if (strategies.length !== 1)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--remote runs one strategy: give --strategies NAME', {
      details: { option: '--strategies' },
    });
  if (!['postgres', 'pglite'].includes(flags.database))
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `--database must be postgres or pglite, got "${flags.database}"`,
      {
        details: { option: '--database' },
      },
    );
  if (flags.url !== undefined && flags.key === undefined)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--url needs --key (role trainer)', {
      details: { option: '--key' },
    });
  const preset = findSearchPreset(flags.preset);
  const workers =
    command.getOptionValueSource('workers') === 'default' ? 8 : positiveNumber('--workers', flags.workers, true);
  const data =
    flags.url === undefined
      ? resolve(flags.data ?? join('..', 'shared', 'data', 'nb201', preset.data.file))
      : undefined;
  if (data !== undefined && !existsSync(data))
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `--data: no file ${data}; give the preset's table (${preset.data.file}, imported with --map ${preset.data.map})`,
      { details: { option: '--data', path: data } },
    );
  const line = await runRemoteSearchBench({
    preset: preset.name,
    strategy: strategies[0],
    seed: parseIntegerFlag('--seed-base', flags.seedBase)!,
    workers,
    trialsPerAsk: positiveNumber('--trials-per-ask', flags.trialsPerAsk, true),
    transport: transportFlag(flags.transport),
    separateTell: flags.separateTell === true,
    evaluationMs: flags.evaluationMs === '0' ? 0 : positiveNumber('--evaluation-ms', flags.evaluationMs, false),
    warmupEvaluations:
      flags.warmupEvaluations === '0' ? 0 : positiveNumber('--warmup-evaluations', flags.warmupEvaluations, true),
    budgetEvaluations: positiveNumber('--budget-evaluations', flags.budgetEvaluations!, true),
    budgetSeconds:
      flags.budgetSeconds === undefined ? undefined : positiveNumber('--budget-seconds', flags.budgetSeconds, false),
    url: flags.url,
    key: flags.key,
    postgresUrl:
      flags.url !== undefined || flags.database === 'pglite'
        ? undefined
        : (flags.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'),
    data,
    cpuProfileDir: flags.cpuProfile,
  });
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
