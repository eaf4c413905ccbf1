import { ErrorCode, NashubError } from '../../core';

/** How much a run may spend: seconds on the evaluator's clock, or a number of evaluations. */
export type SearchBudget = { kind: 'SECONDS'; seconds: number } | { kind: 'EVALUATIONS'; evaluations: number };

/** The budget of `--budget-seconds` / `--budget-evals` (exactly one; positive): INVALID_ARGUMENT otherwise. */
export function parseSearchBudget(input: { seconds?: number; evaluations?: number }): SearchBudget {
  const { seconds, evaluations } = input;
  if (seconds !== undefined && evaluations !== undefined) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'give a budget in seconds or in evaluations, not both', {
      details: { option: 'budget' },
    });
  }
  if (seconds !== undefined) {
    if (!(Number.isFinite(seconds) && seconds > 0)) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `the budget must be a positive number of seconds, got ${seconds}`,
        { details: { option: 'budgetSeconds', value: seconds } },
      );
    }
    return { kind: 'SECONDS', seconds };
  }
  if (evaluations !== undefined) {
    if (!(Number.isInteger(evaluations) && evaluations > 0)) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `the budget must be a positive whole number of evaluations, got ${evaluations}`,
        {
          details: { option: 'budgetEvaluations', value: evaluations },
        },
      );
    }
    return { kind: 'EVALUATIONS', evaluations };
  }
  throw new NashubError(
    ErrorCode.INVALID_ARGUMENT,
    'a search needs a budget: seconds or evaluations (or a preset that sets one)',
    { details: { option: 'budget' } },
  );
}
