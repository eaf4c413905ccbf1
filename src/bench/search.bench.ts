import { writeFileSync } from 'node:fs';
import type { EntityManager } from 'typeorm';
import { findSearchPreset } from '../search/preset/search-presets';
import { parseStrategyName } from '../search/strategy';
import { runTableSearch } from '../search/run/run-table-search';
import type { SearchReport } from '../search/run/search-report';
import { resolveSearchSpec } from '../search/run/search-spec';
import { loadSearchTable } from '../search/table/load-search-table';
import { regretPlotSvg, type RegretSeries } from './regret-plot';

/** One strategy of a bench, with its options over the preset's. */
export interface BenchStrategy {
  /** Label in the output (the name, or `NAME(key=value,…)` when options are given). */
  label: string;
  name: string;
  options: Readonly<Record<string, unknown>>;
}

/** Options of {@link runSearchBench}. */
export interface SearchBenchOptions {
  /** Where the preset's data is (the configured store, or a fresh one the caller imported into). */
  manager: EntityManager;
  preset: string;
  strategies: readonly BenchStrategy[];
  /** Runs per strategy; run r uses seed `seedBase + r`. */
  runs: number;
  seedBase: number;
  workers: number;
  /** Override of the preset's budget. */
  budgetSeconds?: number;
  /** Points of the regret curve. */
  points: number;
  /** Write the regret plot here (SVG), or nowhere. */
  svgPath?: string;
  /** Called with each strategy's line as soon as it is done. */
  onLine?(line: SearchBenchLine): void;
}

/** Mean and population standard deviation (ddof 0, as NAS-Bench-201 reports), over `n` values. */
export interface MeanStd {
  mean: number | null;
  std: number | null;
  n: number;
}

/** One JSON line of `nashub bench search`: one strategy over its runs. */
export interface SearchBenchLine {
  preset: string;
  strategy: string;
  options: Readonly<Record<string, unknown>>;
  runs: number;
  workers: number;
  budgetSeconds: number;
  /** The returned architecture's final metric at the budget. */
  final: MeanStd;
  /** The same at 25, 50, 75 and 100% of the budget (runs without an answer yet are left out of n). */
  atFraction: Record<'25' | '50' | '75' | '100', MeanStd>;
  /** Regret (the table's best final value minus the returned one's) at the budget. */
  regret: MeanStd;
  /** Evaluations told per run. */
  evaluations: MeanStd;
  /** Wall seconds of one run (table loaded once, outside). */
  wallSecondsPerRun: number;
  /** The table's best final value. */
  optimum: number;
  /** The published mean ± std this strategy is compared with (and the published method's name), when the preset has one. */
  published: { method: string; mean: number; std: number } | null;
  /** Our mean minus the published one. */
  deltaFromPublished: number | null;
  /**
   * When the mean final metric over all runs first reaches the published REA mean (issue 14's bar for predictor-guided
   * strategies: within a third of the budget), on the regret curve's grid; null when the preset has no REA figure.
   */
  reachesReaMean: { target: number; seconds: number | null; fraction: number | null } | null;
}

/** What a bench measured: one line per strategy, and the plot's path. */
export interface SearchBenchResult {
  lines: SearchBenchLine[];
  tableLoadSeconds: number;
  svgPath: string | null;
}

function meanStd(values: readonly number[]): MeanStd {
  if (values.length === 0) return { mean: null, std: null, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length), n: values.length };
}

/** The final value of the answer a run held at `seconds` (its last trajectory point at or before), or null. */
function finalAt(report: SearchReport, seconds: number): number | null {
  let value: number | null = null;
  for (const point of report.trajectory) {
    if (point.seconds > seconds) break;
    value = point.final;
  }
  return value;
}

/**
 * R seeded runs per strategy of a table preset, the table loaded into memory once: per strategy the mean ± std of the
 * returned architecture's final metric at the budget and at 25/50/75% of it, regret, evaluations, wall seconds per
 * run, beside NAS-Bench-201's published mean; and an SVG of mean regret (log) against simulated seconds, ±1 std.
 */
export async function runSearchBench(options: SearchBenchOptions): Promise<SearchBenchResult> {
  const preset = findSearchPreset(options.preset);
  const specOf = (strategy: BenchStrategy, seed: number) =>
    resolveSearchSpec({
      preset: preset.name,
      strategy: strategy.name,
      strategyOptions: strategy.options,
      seed,
      workers: options.workers,
      budgetSeconds: options.budgetSeconds,
    });
  // Every name and option is checked before the table loads.
  for (const strategy of options.strategies) specOf(strategy, options.seedBase);
  const loadStart = performance.now();
  const table = await loadSearchTable(options.manager, specOf(options.strategies[0], options.seedBase));
  const tableLoadSeconds = (performance.now() - loadStart) / 1000;
  const optimum = table.optimum();
  const budgetSeconds = options.budgetSeconds ?? preset.budgetSeconds;
  const grid = Array.from({ length: options.points }, (_, i) => (budgetSeconds * (i + 1)) / options.points);

  const lines: SearchBenchLine[] = [];
  const series: RegretSeries[] = [];
  for (const strategy of options.strategies) {
    const reports: SearchReport[] = [];
    const wallStart = performance.now();
    for (let r = 0; r < options.runs; r++)
      reports.push((await runTableSearch({ spec: specOf(strategy, options.seedBase + r), table })).report);
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const at = (fraction: number) =>
      meanStd(reports.map((rep) => finalAt(rep, budgetSeconds * fraction)).filter((v): v is number => v !== null));
    const finals = reports.map((rep) => rep.final.value).filter((v): v is number => v !== null);
    const final = meanStd(finals);
    const published = preset.published[parseStrategyName(strategy.name)] ?? null;
    const line: SearchBenchLine = {
      preset: preset.name,
      strategy: strategy.label,
      options: specOf(strategy, options.seedBase).strategyOptions,
      runs: options.runs,
      workers: options.workers,
      budgetSeconds,
      final,
      atFraction: { '25': at(0.25), '50': at(0.5), '75': at(0.75), '100': at(1) },
      regret: meanStd(finals.map((v) => optimum - v)),
      evaluations: meanStd(reports.map((rep) => rep.evaluations)),
      wallSecondsPerRun: wallSeconds / options.runs,
      optimum,
      published,
      deltaFromPublished: published === null || final.mean === null ? null : final.mean - published.mean,
      reachesReaMean: null,
    };
    const curve = grid.map((seconds) =>
      meanStd(
        reports
          .map((rep) => finalAt(rep, seconds))
          .filter((v): v is number => v !== null)
          .map((v) => optimum - v),
      ),
    );
    const rea = preset.published.REGULARIZED_EVOLUTION;
    if (rea !== undefined) {
      // Only points where every run has an answer: the mean is then over all runs.
      const at = curve.findIndex((c) => c.n === reports.length && c.mean !== null && optimum - c.mean >= rea.mean);
      line.reachesReaMean = {
        target: rea.mean,
        seconds: at < 0 ? null : grid[at]!,
        fraction: at < 0 ? null : grid[at]! / budgetSeconds,
      };
    }
    lines.push(line);
    options.onLine?.(line);
    // A point where some runs have no answer yet would average a different set of runs: leave it out.
    series.push({
      name: strategy.label,
      mean: curve.map((c) => (c.n === reports.length ? c.mean : null)),
      std: curve.map((c) => (c.n === reports.length ? c.std : null)),
    });
  }
  if (options.svgPath !== undefined) {
    const svg = regretPlotSvg({
      title: `${preset.name}: mean regret of the returned architecture (${options.runs} runs, ±1 std)`,
      x: grid,
      series,
      xLabel: 'simulated seconds',
      yLabel: `regret: ${optimum.toFixed(2)} − final ${preset.final.metric} (${preset.final.protocol}), log scale`,
    });
    writeFileSync(options.svgPath, svg);
  }
  return { lines, tableLoadSeconds, svgPath: options.svgPath ?? null };
}
