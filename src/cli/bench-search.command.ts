import { Command } from 'commander';
import { createFreshDatabase } from '../bench/fresh-database';
import { runSearchBench, type BenchStrategy } from '../bench/search.bench';
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
    .action(async (flags: BenchSearchFlags) => {
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
