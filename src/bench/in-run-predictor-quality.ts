import { readFileSync } from 'node:fs';
import { createRng, nb201Space, type Nb201Arch } from '../core';
import { kendallTau } from '../predictor/metric/kendall-tau';
import { Bananas, parseBananasOptions } from '../search/strategy/bananas';
import { InRunPredictor } from '../search/strategy/predictor/in-run-predictor';

/** τ and fit time of the in-run predictor at one training-set size. */
export interface InRunPredictorQuality {
  /** Where the training cells came from: uniform samples, or the first N a BANANAS run evaluated. */
  source: 'uniform' | 'bananas';
  n: number;
  /** Kendall τ between predicted means and the true hp=12 values of `testCells` uniform cells the fit did not see. */
  tau: { mean: number; std: number };
  /** Milliseconds of a fit that also chooses the kernel's hyperparameters on the grid (every 10th refit in a run). */
  fitChooseMs: number;
  /** Milliseconds of a refit with the hyperparameters kept (every other refit in a run). */
  refitMs: number;
  runs: number;
  testCells: number;
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * Ranking quality and fit cost of BANANAS' in-run Gaussian process on NB201 cifar10-valid hp=12 (the preset's search
 * signal), read straight from an nb201_summary.csv (`arch_str`, `cifar10_valid_acc_12ep`): for each N, `runs` seeds fit
 * the predictor on N cells (uniform, or the first N a BANANAS run with an evaluation budget asked) and rank 1,000 other
 * uniform cells. `node dist/bench/in-run-predictor-quality.js FILE [runs]` prints one JSON line per (source, N).
 */
export async function measureInRunPredictor(
  csvPath: string,
  runs: number,
  sizes: readonly number[],
): Promise<InRunPredictorQuality[]> {
  const [header, ...rows] = readFileSync(csvPath, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const [archColumn, valueColumn] = ['arch_str', 'cifar10_valid_acc_12ep'].map((name) => columns.indexOf(name));
  const cells = rows.map((row) => {
    const fields = row.split(',');
    const arch = nb201Space.parse(fields[archColumn!]!);
    return { arch, id: nb201Space.id(arch), value: Number(fields[valueColumn!]) };
  });
  const valueOf = new Map(cells.map((c) => [c.id, c.value]));
  const testCells = 1000;
  const out: InRunPredictorQuality[] = [];
  for (const source of ['uniform', 'bananas'] as const) {
    const taus = new Map<number, number[]>(sizes.map((n) => [n, []]));
    const chooseMs = new Map<number, number[]>(sizes.map((n) => [n, []]));
    const refitMs = new Map<number, number[]>(sizes.map((n) => [n, []]));
    for (let seed = 0; seed < runs; seed++) {
      const rng = createRng(10_000 + seed);
      const train =
        source === 'uniform'
          ? Array.from({ length: Math.max(...sizes) }, () => cells[rng.int(cells.length)]!.arch)
          : await bananasTrace(seed, Math.max(...sizes), valueOf);
      const trainIds = new Set(train.map((a) => nb201Space.id(a)));
      const test: Nb201Arch[] = [];
      while (test.length < testCells) {
        const cell = cells[rng.int(cells.length)]!;
        if (!trainIds.has(cell.id)) test.push(cell.arch);
      }
      for (const n of sizes) {
        const predictor = new InRunPredictor(nb201Space, parseBananasOptions({}), 'BANANAS');
        for (const arch of train.slice(0, n)) predictor.observe(arch, valueOf.get(nb201Space.id(arch))!);
        let started = performance.now();
        predictor.refit();
        chooseMs.get(n)!.push(performance.now() - started);
        predictor.observe(test[0]!, valueOf.get(nb201Space.id(test[0]!))!);
        started = performance.now();
        predictor.refit();
        refitMs.get(n)!.push(performance.now() - started);
        const fresh = new InRunPredictor(nb201Space, parseBananasOptions({}), 'BANANAS');
        for (const arch of train.slice(0, n)) fresh.observe(arch, valueOf.get(nb201Space.id(arch))!);
        const predicted = fresh.predict(test).mean;
        taus.get(n)!.push(
          kendallTau(
            [...predicted],
            test.map((a) => valueOf.get(nb201Space.id(a))!),
          ),
        );
      }
    }
    for (const n of sizes) {
      const t = taus.get(n)!;
      const m = mean(t);
      out.push({
        source,
        n,
        tau: { mean: m, std: Math.sqrt(mean(t.map((v) => (v - m) ** 2))) },
        fitChooseMs: mean(chooseMs.get(n)!),
        refitMs: mean(refitMs.get(n)!),
        runs,
        testCells,
      });
    }
  }
  return out;
}

/** The first `n` cells a BANANAS run (default options, seed `seed`) asks when told the table's hp=12 values. */
async function bananasTrace(seed: number, n: number, valueOf: ReadonlyMap<string, number>): Promise<Nb201Arch[]> {
  const strategy = new Bananas(
    { space: nb201Space, rng: createRng(seed), fidelities: [{ protocol: 'hp=12', epochs: 12 }], defaultFidelity: 0 },
    parseBananasOptions({}),
  );
  const asked: Nb201Arch[] = [];
  while (asked.length < n) {
    const [suggestion] = await strategy.ask(1);
    const id = nb201Space.id(suggestion!.arch);
    asked.push(suggestion!.arch);
    strategy.tell([{ arch: suggestion!.arch, id, fidelity: 0, value: valueOf.get(id)!, cost: 1, stoppedEarly: false }]);
  }
  return asked;
}

if (require.main === module) {
  const [file, runs] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: node dist/bench/in-run-predictor-quality.js nb201_summary.csv [runs]\n');
    process.exitCode = 2;
  } else {
    void measureInRunPredictor(file, Number(runs ?? 10), [50, 100, 150]).then((lines) => {
      for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
    });
  }
}
