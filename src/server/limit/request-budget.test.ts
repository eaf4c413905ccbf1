import { describe, expect, it } from 'vitest';
import { isNashubError } from '../../core';
import { RequestBudget } from './request-budget';

const turnOfTheLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const microtasks = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isNashubError(error) ? [error.code, error.details.limit] : error;
  }
  return 'no error';
};

describe('RequestBudget', () => {
  it('fails with LIMIT_EXCEEDED past maxComplexity and keeps failing', () => {
    const budget = new RequestBudget({ maxComplexity: 10, maxResponseBytes: 100 });
    budget.charge(10);
    expect(codeOf(() => budget.charge(1))).toEqual(['LIMIT_EXCEEDED', 'maxComplexity']);
    expect(codeOf(() => budget.chargeBytes(1))).toEqual(['LIMIT_EXCEEDED', 'maxComplexity']);
    expect(codeOf(() => budget.run(1, () => 'ran'))).toEqual(['LIMIT_EXCEEDED', 'maxComplexity']);
    expect(budget.failure?.details).toMatchObject({ max: 10, actual: 11 });
  });

  it('fails with LIMIT_EXCEEDED past maxResponseBytes', () => {
    const budget = new RequestBudget({ maxComplexity: 10, maxResponseBytes: 100 });
    budget.chargeBytes(100);
    expect(codeOf(() => budget.chargeBytes(1))).toEqual(['LIMIT_EXCEEDED', 'maxResponseBytes']);
  });

  it('runs work at once while a slice lasts, then one slice per turn of the event loop, in order', async () => {
    const budget = new RequestBudget({ maxComplexity: 1e9, maxResponseBytes: 1e9, sliceUnits: 10 });
    const order: string[] = [];
    expect(budget.run(6, () => order.push('a'))).toBe(1);
    budget.run(6, () => order.push('b'));
    const later = ['c', 'd', 'e', 'f'].map((name) => budget.run(6, () => order.push(name)));
    await microtasks();
    expect(order).toEqual(['a', 'b']);
    await turnOfTheLoop();
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    await turnOfTheLoop();
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    await Promise.all(later);
  });

  it('rejects waiting work once the request has failed', async () => {
    const budget = new RequestBudget({ maxComplexity: 20, maxResponseBytes: 1e9, sliceUnits: 5 });
    budget.run(5, () => undefined);
    const waiting = budget.run(1, () => 'ran');
    expect(codeOf(() => budget.charge(100))).toEqual(['LIMIT_EXCEEDED', 'maxComplexity']);
    await expect(waiting).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });

  it('dispatches a DataLoader batch only after the work waiting for a turn has run', async () => {
    const budget = new RequestBudget({ maxComplexity: 1e9, maxResponseBytes: 1e9, sliceUnits: 1 });
    const order: string[] = [];
    budget.run(1, () => order.push('first'));
    const waiting = budget.run(1, () => order.push('waiting'));
    budget.schedule(() => order.push('dispatch'));
    await waiting;
    await turnOfTheLoop();
    await turnOfTheLoop();
    expect(order).toEqual(['first', 'waiting', 'dispatch']);
  });
});
