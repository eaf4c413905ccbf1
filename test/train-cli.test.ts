import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNashub } from './support/spawn-nashub';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/test-database';

const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|';

/** Runs the CLI to its end: exit code, stdout's JSON lines, stderr. */
async function nashub(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; lines: any[]; stderr: string }> {
  const run = await runNashub(args, env);
  return { ...run, lines: run.lines.map((line) => JSON.parse(line)) };
}

/** `nashub train` is a door into the same use case as GraphQL's requestTraining (issue 13). */
describe(`nashub train queues training like requestTraining (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let database: TestDatabase;
  const TRAIN = ['train', '--space', 'nb201', '--dataset', 'fashion-mnist', '--protocol', 'fmnist-c8n1-e12'];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('queues one job per (architecture, seed), then finds the same pending jobs again', async () => {
    const first = await nashub([...TRAIN, '--seeds', '0,1', ARCH], database.env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.lines.map((l) => [l.seed, l.isNew, l.job.status])).toEqual([
      [0, true, 'QUEUED'],
      [1, true, 'QUEUED'],
    ]);
    const again = await nashub([...TRAIN, '--seeds', '0,1', ARCH], database.env);
    expect(again.code).toBe(0);
    expect(again.lines.map((l) => [l.seed, l.isNew, l.job.id])).toEqual(
      first.lines.map((l) => [l.seed, false, l.job.id]),
    );
  });

  it('answers bad requests with one typed line and exit code 2, queueing nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['train', '--space', 'darts', '--dataset', 'fashion-mnist', '--protocol', 'fmnist-c8n1-e12', ARCH],
        /^nashub: INVALID_ARGUMENT: /,
      ],
      [[...TRAIN, 'not-a-cell'], /^nashub: INVALID_ARCHITECTURE: archs\[0\]/],
      [[...TRAIN, '--seeds', '3,3', ARCH], /^nashub: INVALID_ARGUMENT: seeds has duplicates/],
      [
        ['train', '--space', 'nb201', '--dataset', 'no-such-set', '--protocol', 'fmnist-c8n1-e12', ARCH],
        /^nashub: UNKNOWN_DATASET: /,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await nashub(args, database.env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.lines).toEqual([]);
    }
  });
});
