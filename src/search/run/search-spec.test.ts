import { describe, expect, it } from 'vitest';
import { resolveSearchSpec } from './search-spec';

describe('resolveSearchSpec', () => {
  it("applies a preset's protocol, budget and strategy options, under the run's own options", () => {
    const spec = resolveSearchSpec({
      preset: 'nb201-cifar10-valid',
      strategy: 'REGULARIZED_EVOLUTION',
      strategyOptions: { sampleSize: 5 },
    });
    expect(spec).toMatchObject({
      dataset: 'cifar10-valid',
      observe: 0,
      final: { protocol: 'hp=200', metric: 'validAcc' },
      budget: { kind: 'SECONDS', seconds: 12_000 },
      workers: 1,
      seed: 0,
    });
    expect(spec.space.name).toBe('nb201');
    expect(spec.fidelities.map((f) => f.protocol)).toEqual(['hp=12', 'hp=200']);
    expect(spec.strategyOptions).toEqual({ population: 10, sampleSize: 5 });
    expect(resolveSearchSpec({ preset: 'nb201-cifar100', strategy: 'RANDOM', budgetEvaluations: 20 }).budget).toEqual({
      kind: 'EVALUATIONS',
      evaluations: 20,
    });
  });

  it('names the problem of a bad request with a typed code', () => {
    const cases: Array<[Parameters<typeof resolveSearchSpec>[0], string]> = [
      [{ preset: 'nb201-cifar10-valid', strategy: 'SIMULATED_ANNEALING' }, 'UNKNOWN_STRATEGY'],
      [{ preset: 'nb301', strategy: 'RANDOM' }, 'UNKNOWN_PRESET'],
      [{ space: 'nb999', dataset: 'x', protocol: 'p', strategy: 'RANDOM', budgetEvaluations: 3 }, 'UNKNOWN_SPACE'],
      [{ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetSeconds: 0 }, 'INVALID_ARGUMENT'],
      [{ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetEvaluations: -3 }, 'INVALID_ARGUMENT'],
      [
        { preset: 'nb201-cifar10-valid', strategy: 'RANDOM', budgetSeconds: 10, budgetEvaluations: 3 },
        'INVALID_ARGUMENT',
      ],
      [{ space: 'nb201', dataset: 'cifar10-valid', protocol: 'hp=12', strategy: 'RANDOM' }, 'INVALID_ARGUMENT'],
      [{ space: 'nb201', dataset: 'cifar10-valid', strategy: 'RANDOM', budgetEvaluations: 3 }, 'INVALID_ARGUMENT'],
      [{ preset: 'nb201-cifar10-valid', protocol: 'hp=12', strategy: 'RANDOM' }, 'INVALID_ARGUMENT'],
      [{ preset: 'nb201-cifar10-valid', space: 'nb101', strategy: 'RANDOM' }, 'INVALID_ARGUMENT'],
      [{ preset: 'nb201-cifar10-valid', strategy: 'RANDOM', workers: 0 }, 'INVALID_ARGUMENT'],
      [
        { preset: 'nb201-cifar10-valid', strategy: 'REGULARIZED_EVOLUTION', strategyOptions: { population: 'ten' } },
        'INVALID_ARGUMENT',
      ],
      // HYPERBAND needs a ladder; a single protocol has one fidelity.
      [
        { space: 'nb201', dataset: 'cifar10-valid', protocol: 'hp=200', strategy: 'HYPERBAND', budgetEvaluations: 3 },
        'INVALID_ARGUMENT',
      ],
    ];
    for (const [request, code] of cases)
      expect(() => resolveSearchSpec(request), JSON.stringify(request)).toThrow(expect.objectContaining({ code }));
  });
});
