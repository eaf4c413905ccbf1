import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { createRng, invariant, type Rng } from '../core';
import { createFreshDatabase } from './fresh-database';

/** Options of {@link runCurveStorageBench}. */
export interface CurveStorageBenchOptions {
  /** Runs in the synthetic dataset. */
  runs: number;
  /** Epochs per run; 200 is NAS-Bench-201's long protocol. */
  epochs?: number;
  /** A PostgreSQL URL: the benchmark creates, uses and drops its own database on that server. Skipped when absent. */
  databaseUrl?: string;
  /** Seed of the synthetic curves and of the looked-up keys. */
  seed?: number;
  /** Sequential single lookups per timed round of `point`. */
  pointLookups?: number;
  /** Sequential single lookups per timed round of `curve`. */
  curveLookups?: number;
  /** Runs per statement of `pointBatch` and `curveBatch`. */
  batchSize?: number;
  /** Timed rounds per lookup and layout, alternating layouts; the best round is reported. */
  rounds?: number;
}

/** The two candidate layouts of per-epoch curves. */
export const CurveLayout = { ROWS: 'rows', ARRAYS: 'arrays' } as const;
/** `rows` (one row per run and epoch) or `arrays` (one row per run, one array per metric). */
export type CurveLayout = (typeof CurveLayout)[keyof typeof CurveLayout];

const LOOKUPS = ['point', 'pointBatch', 'curve', 'curveBatch'] as const;
type Lookup = (typeof LOOKUPS)[number];

/** One layout on one database in {@link runCurveStorageBench}. */
export interface CurveLayoutResult {
  /** Milliseconds to insert the dataset (server-side `unnest`, primary key maintained), before VACUUM ANALYZE. */
  loadMs: number;
  /** `pg_total_relation_size`: heap, TOAST and indexes, in bytes. */
  totalBytes: number;
  /** Single lookups of `valid_acc` at epoch e for one run, per second. */
  point: number;
  /** Runs per second when `valid_acc` at epoch e is read for `batchSize` runs in one statement. */
  pointBatch: number;
  /** Whole curves (all metrics, all epochs) of one run per second, one statement each. */
  curve: number;
  /** Runs per second when the whole curves of `batchSize` runs are read in one statement. */
  curveBatch: number;
}

/** The better layout of one measurement and how many times better it is. */
export interface CurveWinner {
  /** The better layout. */
  layout: CurveLayout;
  /** Better over worse (throughput) or worse over better (milliseconds, bytes). */
  ratio: number;
}

type DatabaseResult = Record<CurveLayout, CurveLayoutResult>;
type Measure = Lookup | 'loadMs' | 'totalBytes';

/** Result of {@link runCurveStorageBench}; throughputs are per second, the best of the timed rounds. */
export interface CurveStorageBenchResult {
  /** Runs in the dataset. */
  runs: number;
  /** Epochs per run. */
  epochs: number;
  /** Embedded PGlite in a new temporary folder. */
  pglite: DatabaseResult;
  /** The PostgreSQL server of `databaseUrl`, when given. */
  postgres?: DatabaseResult;
  /** The better layout per measurement and database. */
  winner: Record<Measure, { pglite: CurveWinner; postgres?: CurveWinner }>;
}

interface SqlSession {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

interface Workload {
  runs: number;
  epochs: number;
  /** Array literals (run_id, epoch, then METRICS) of each load statement, so both layouts load identical bytes. */
  chunks: string[][];
  pointKeys: Array<[number, number]>;
  curveKeys: number[];
  batches: Array<{ runIds: number[]; epoch: number }>;
  rounds: number;
}

const METRICS = [
  'train_acc',
  'valid_acc',
  'test_acc',
  'train_loss',
  'valid_loss',
  'test_loss',
  'epoch_seconds',
] as const;
const COLS = METRICS.join(', ');
const UNNEST = `unnest($1::int[], $2::int[], ${METRICS.map((_, i) => `$${i + 3}::float8[]`).join(', ')}) AS t(run_id, epoch, ${COLS})`;
const RUNS_PER_CHUNK = 250;

const SQL: Record<CurveLayout, { table: string; create: string; load: string } & Record<Lookup, string>> = {
  rows: {
    table: 'run_epoch',
    create: `CREATE TABLE run_epoch (run_id int NOT NULL, epoch int NOT NULL, ${METRICS.map((m) => `${m} double precision NOT NULL`).join(', ')}, PRIMARY KEY (run_id, epoch))`,
    load: `INSERT INTO run_epoch (run_id, epoch, ${COLS}) SELECT run_id, epoch, ${COLS} FROM ${UNNEST}`,
    point: 'SELECT valid_acc FROM run_epoch WHERE run_id = $1 AND epoch = $2',
    pointBatch: 'SELECT run_id, valid_acc FROM run_epoch WHERE run_id = ANY($1::int[]) AND epoch = $2',
    curve: `SELECT epoch, ${COLS} FROM run_epoch WHERE run_id = $1 ORDER BY epoch`,
    curveBatch: `SELECT run_id, epoch, ${COLS} FROM run_epoch WHERE run_id = ANY($1::int[]) ORDER BY run_id, epoch`,
  },
  arrays: {
    table: 'run_curve',
    // Index i holds epoch i + 1, so `valid_acc[e]` is epoch e (PostgreSQL arrays are 1-based).
    create: `CREATE TABLE run_curve (run_id int PRIMARY KEY, ${METRICS.map((m) => `${m} double precision[] NOT NULL`).join(', ')})`,
    load: `INSERT INTO run_curve (run_id, ${COLS}) SELECT run_id, ${METRICS.map((m) => `array_agg(${m} ORDER BY epoch)`).join(', ')} FROM ${UNNEST} GROUP BY run_id`,
    point: 'SELECT valid_acc[$2] AS valid_acc FROM run_curve WHERE run_id = $1',
    pointBatch: 'SELECT run_id, valid_acc[$2] AS valid_acc FROM run_curve WHERE run_id = ANY($1::int[])',
    curve: `SELECT ${COLS} FROM run_curve WHERE run_id = $1`,
    curveBatch: `SELECT run_id, ${COLS} FROM run_curve WHERE run_id = ANY($1::int[])`,
  },
};

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

const percent = (x: number): number => Math.round(Math.min(100, Math.max(0, x)) * 1e4) / 1e4;
// Cross-entropy of a classifier at accuracy `acc` %, roughly: chance (10 %) gives ln 10 ≈ 2.30, as on CIFAR-10.
const loss = (acc: number, noise: number): number =>
  Math.round(-Math.log(Math.max(acc, 1) / 100) * (1 + noise) * 1e6) / 1e6;

/** Noisy saturating curves in percent: most runs rise to 60–94 % valid, 5 % stay at chance as diverged NB201 cells do. */
function generateChunk(rng: Rng, firstRun: number, runCount: number, epochs: number): string[] {
  const columns: number[][] = Array.from({ length: 2 + METRICS.length }, () => []);
  for (let run = firstRun; run < firstRun + runCount; run++) {
    const finalValid = rng.next() < 0.05 ? 10 : 60 + 34 * Math.sqrt(rng.next());
    const finalTrain = Math.min(100, finalValid + 2 + 6 * rng.next());
    const rate = 0.015 + 0.06 * rng.next();
    const secondsPerEpoch = 5 + 25 * rng.next();
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const progress = 1 - Math.exp(-rate * epoch);
      const valid = percent(10 + (finalValid - 10) * progress + 0.8 * gaussian(rng));
      const train = percent(10 + (finalTrain - 10) * progress + 0.3 * gaussian(rng));
      const test = percent(valid + 0.4 * gaussian(rng));
      const seconds = Math.round(secondsPerEpoch * (1 + 0.03 * gaussian(rng)) * 1e4) / 1e4;
      const values = [
        run,
        epoch,
        train,
        valid,
        test,
        loss(train, 0.02 * gaussian(rng)),
        loss(valid, 0.05 * gaussian(rng)),
        loss(test, 0.05 * gaussian(rng)),
        seconds,
      ];
      values.forEach((value, i) => columns[i].push(value));
    }
  }
  return columns.map((column) => `{${column.join(',')}}`);
}

function distinctRuns(rng: Rng, runs: number, count: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, runs)) picked.add(1 + rng.int(runs));
  return [...picked];
}

function buildWorkload(options: CurveStorageBenchOptions): Workload {
  const {
    runs,
    epochs = 200,
    seed = 0,
    pointLookups = 2000,
    curveLookups = 500,
    batchSize = 1000,
    rounds = 2,
  } = options;
  const rng = createRng(seed);
  const chunks: string[][] = [];
  for (let first = 1; first <= runs; first += RUNS_PER_CHUNK)
    chunks.push(generateChunk(rng, first, Math.min(RUNS_PER_CHUNK, runs - first + 1), epochs));
  return {
    runs,
    epochs,
    chunks,
    pointKeys: Array.from({ length: pointLookups }, () => [1 + rng.int(runs), 1 + rng.int(epochs)]),
    curveKeys: Array.from({ length: curveLookups }, () => 1 + rng.int(runs)),
    // Point batches are cheap, so there are more of them per round than curve batches (which use the first few).
    batches: Array.from({ length: 20 }, () => ({
      runIds: distinctRuns(rng, runs, batchSize),
      epoch: 1 + rng.int(epochs),
    })),
    rounds,
  };
}

async function load(
  db: SqlSession,
  layout: CurveLayout,
  work: Workload,
): Promise<Pick<CurveLayoutResult, 'loadMs' | 'totalBytes'>> {
  const sql = SQL[layout];
  await db.query(sql.create);
  const started = performance.now();
  for (const chunk of work.chunks) await db.query(sql.load, chunk);
  const loadMs = Math.round(performance.now() - started);
  await db.query(`VACUUM (ANALYZE) ${sql.table}`);
  const { rows } = await db.query(`SELECT pg_total_relation_size('${sql.table}')::float8 AS bytes`);
  return { loadMs, totalBytes: (rows[0] as { bytes: number }).bytes };
}

/** Runs one lookup `count` times; returns the keys (runs) it covered, checking the rows each statement returned. */
async function runLookup(
  db: SqlSession,
  layout: CurveLayout,
  lookup: Lookup,
  work: Workload,
  count: number,
): Promise<number> {
  const sql = SQL[layout][lookup];
  const expectRows = async (params: unknown[], n: number): Promise<void> => {
    const { rows } = await db.query(sql, params);
    invariant(rows.length === n, `${layout} ${lookup} returned ${rows.length} rows, expected ${n}`);
  };
  let keys = 0;
  for (let i = 0; i < count; i++) {
    if (lookup === 'point') {
      await expectRows(work.pointKeys[i % work.pointKeys.length], 1);
      keys += 1;
    } else if (lookup === 'curve') {
      await expectRows([work.curveKeys[i % work.curveKeys.length]], layout === 'rows' ? work.epochs : 1);
      keys += 1;
    } else {
      const { runIds, epoch } = work.batches[i % work.batches.length];
      const perRun = lookup === 'curveBatch' && layout === 'rows' ? work.epochs : 1;
      await expectRows(lookup === 'pointBatch' ? [runIds, epoch] : [runIds], runIds.length * perRun);
      keys += runIds.length;
    }
  }
  return keys;
}

/** Statements per timed round: enough for a few seconds of PGlite time each on a 2-core machine. */
const lookupCounts = (work: Workload): Record<Lookup, number> => ({
  point: work.pointKeys.length,
  pointBatch: work.batches.length,
  curve: work.curveKeys.length,
  curveBatch: 2,
});

async function measureDatabase(db: SqlSession, work: Workload): Promise<DatabaseResult> {
  const layouts = [CurveLayout.ROWS, CurveLayout.ARRAYS];
  const result = {} as DatabaseResult;
  for (const layout of layouts)
    result[layout] = { ...(await load(db, layout, work)), point: 0, pointBatch: 0, curve: 0, curveBatch: 0 };
  const counts = lookupCounts(work);
  for (const lookup of LOOKUPS) {
    for (const layout of layouts)
      await runLookup(db, layout, lookup, work, Math.max(1, Math.ceil(counts[lookup] / 10)));
    // Layouts alternate round by round, so drift (autovacuum, the other core's load) hits both alike.
    for (let round = 0; round < work.rounds; round++) {
      for (const layout of layouts) {
        const started = performance.now();
        const keys = await runLookup(db, layout, lookup, work, counts[lookup]);
        const perS = Math.round(keys / ((performance.now() - started) / 1000));
        result[layout][lookup] = Math.max(result[layout][lookup], perS);
      }
    }
  }
  return result;
}

function pickWinner(result: DatabaseResult, measure: Measure): CurveWinner {
  const { rows, arrays } = { rows: result.rows[measure], arrays: result.arrays[measure] };
  const lowerIsBetter = measure === 'loadMs' || measure === 'totalBytes';
  const rowsWins = lowerIsBetter ? rows <= arrays : rows >= arrays;
  const [better, worse] = rowsWins ? [rows, arrays] : [arrays, rows];
  return {
    layout: rowsWins ? CurveLayout.ROWS : CurveLayout.ARRAYS,
    ratio: Math.round((lowerIsBetter ? worse / better : better / worse) * 100) / 100,
  };
}

/** Measures in a fresh PGlite folder, or a fresh database on the PostgreSQL server, dropped afterwards. */
async function measureFresh(work: Workload, serverUrl?: string): Promise<DatabaseResult> {
  const database = await createFreshDatabase('curvebench', serverUrl);
  try {
    if (database.config.kind === 'pglite') {
      const db = await PGlite.create(database.config.dataDir);
      try {
        return await measureDatabase(db, work);
      } finally {
        await db.close();
      }
    }
    const client = new Client({ connectionString: database.config.url });
    await client.connect();
    try {
      return await measureDatabase({ query: (sql, params) => client.query(sql, params) }, work);
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
}

/**
 * Loads the same synthetic curves into both layouts (`run_epoch` rows, `run_curve` arrays) on PGlite and, when a URL
 * is given, PostgreSQL, and times the API's four curve lookups side by side on each, with raw SQL (no TypeORM).
 */
export async function runCurveStorageBench(options: CurveStorageBenchOptions): Promise<CurveStorageBenchResult> {
  const work = buildWorkload(options);
  const pglite = await measureFresh(work);
  const postgres = options.databaseUrl ? await measureFresh(work, options.databaseUrl) : undefined;
  const measures: Measure[] = [...LOOKUPS, 'loadMs', 'totalBytes'];
  const winner = Object.fromEntries(
    measures.map((m) => [m, { pglite: pickWinner(pglite, m), ...(postgres && { postgres: pickWinner(postgres, m) }) }]),
  ) as CurveStorageBenchResult['winner'];
  return { runs: work.runs, epochs: work.epochs, pglite, ...(postgres && { postgres }), winner };
}
