import { describe, expect, it } from 'vitest';
import { SearchTable } from '../table/search-table';
import { TableEvaluator } from './table-evaluator';

const table = () =>
  new SearchTable({
    space: 'nb201',
    dataset: 'd',
    fidelities: [
      {
        protocol: 'p',
        epochs: 1,
        metric: 'validAcc',
        values: new Map([
          ['a', 1],
          ['b', 2],
          ['c', 3],
          ['d', 4],
        ]),
        costs: new Map([
          ['a', 10],
          ['b', 3],
          ['c', 5],
          ['d', 3],
        ]),
      },
    ],
    final: { protocol: 'p', metric: 'validAcc', values: new Map([['a', 1]]) },
  });

describe('TableEvaluator', () => {
  it('finishes each evaluation at its start plus its cost and gives results in finish order (ties in start order)', async () => {
    const evaluator = new TableEvaluator<string>({ table: table(), defaultFidelity: 0, requireCosts: true });
    for (const [seq, id] of ['a', 'b', 'c'].entries()) await evaluator.start({ seq, arch: id, id, fidelity: 0 });
    const first = await evaluator.next();
    expect(first).toMatchObject({ id: 'b', value: 2, cost: 3, finishedAt: 3, stoppedEarly: false, source: 'RECORD' });
    expect(evaluator.now()).toBe(3);
    // A worker freed at t = 3 starts d, which finishes at 6, after c (5) and before a (10).
    await evaluator.start({ seq: 3, arch: 'd', id: 'd', fidelity: 0 });
    const rest = [await evaluator.next(), await evaluator.next(), await evaluator.next()];
    expect(rest.map((e) => [e!.id, e!.finishedAt])).toEqual([
      ['c', 5],
      ['d', 6],
      ['a', 10],
    ]);
    expect(await evaluator.next()).toBeNull();
  });

  it('counts one read per evaluation and refuses an architecture the table lacks with DATA_NOT_IMPORTED', async () => {
    const t = table();
    const evaluator = new TableEvaluator<string>({ table: t, defaultFidelity: 0, requireCosts: true });
    await evaluator.start({ seq: 0, arch: 'a', id: 'a', fidelity: 0 });
    expect(t.reads).toBe(1);
    await expect(evaluator.start({ seq: 1, arch: 'z', id: 'z', fidelity: 0 })).rejects.toMatchObject({
      code: 'DATA_NOT_IMPORTED',
    });
    expect(t.reportReads).toBe(0);
  });

  it('refuses an architecture without a cost under a time budget, and costs it 0 under an evaluation budget', async () => {
    const partial = () =>
      new SearchTable({
        space: 'nb201',
        dataset: 'd',
        fidelities: [
          {
            protocol: 'p',
            epochs: 1,
            metric: 'validAcc',
            values: new Map([
              ['a', 1],
              ['b', 2],
            ]),
            costs: new Map([['a', 10]]),
          },
        ],
        final: { protocol: 'p', metric: 'validAcc', values: new Map() },
      });
    const timed = new TableEvaluator<string>({ table: partial(), defaultFidelity: 0, requireCosts: true });
    await expect(timed.start({ seq: 0, arch: 'b', id: 'b', fidelity: 0 })).rejects.toMatchObject({
      code: 'DATA_NOT_IMPORTED',
      details: { id: 'b', missing: 'trainSeconds' },
    });
    const counted = new TableEvaluator<string>({ table: partial(), defaultFidelity: 0, requireCosts: false });
    await counted.start({ seq: 0, arch: 'b', id: 'b', fidelity: 0 });
    expect(await counted.next()).toMatchObject({ id: 'b', cost: 0, finishedAt: 0 });
  });
});
