import { ErrorCode, NashubError } from '../core';
import type { SearchRequest } from '../search/run/search-spec';
import { parseIntegerFlag } from './parse-integer-flag';

/** The flags `nashub search` and `nashub bench search` share, as commander gives them. */
export interface SearchFlags {
  preset?: string;
  space?: string;
  dataset?: string;
  protocol?: string;
  /** `key=value` strategy options, repeatable. */
  option: string[];
  budgetSeconds?: string;
  budgetEvals?: string;
  workers: string;
}

/** Collects a repeatable flag's values. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--option key=value` pairs as an options object (values stay strings; each strategy parses its own). */
export function parseStrategyOptions(pairs: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--option must be key=value, got "${pair}"`, {
        details: { option: '--option', value: pair },
      });
    options[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return options;
}

/** A number flag (NaN for text that is not one, which the budget check then refuses by name). */
function numberFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : value.trim() === '' ? Number.NaN : Number(value);
}

/** The request the shared flags describe (strategy and seed added by the caller). */
export function searchRequestOf(flags: SearchFlags): Omit<SearchRequest, 'strategy'> {
  return {
    preset: flags.preset,
    space: flags.space,
    dataset: flags.dataset,
    protocol: flags.protocol,
    budgetSeconds: numberFlag(flags.budgetSeconds),
    budgetEvaluations: numberFlag(flags.budgetEvals),
    workers: parseIntegerFlag('--workers', flags.workers),
  };
}
