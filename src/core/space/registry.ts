import { ErrorCode, NashubError } from '../error/nashub-error';
import { echoName } from '../name/echo-name';
import { dartsSpace } from './darts/space';
import { nb101Space } from './nb101/space';
import { nb201Space } from './nb201/space';
import type { SearchSpace } from './search-space';

/** The spaces nashub ships; registered, in this order, when this module loads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- spaces of different architecture types in one list
const BUILTIN_SPACES: readonly SearchSpace<any, any>[] = [nb201Space, nb101Space, dartsSpace];

const spaces = new Map<string, SearchSpace>();

/** Adds a space to the registry; a second space with the same name is a bug. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any space, whatever its architecture type
export function registerSpace(space: SearchSpace<any, any>): void {
  if (spaces.has(space.name)) throw new Error(`Invariant violation: space ${space.name} registered twice`);
  spaces.set(space.name, space);
}

/** All registered spaces, in registration order. */
export function listSpaces(): SearchSpace[] {
  return [...spaces.values()];
}

/** The space with this name, or an UNKNOWN_SPACE error listing the known ones. */
export function getSpace(name: string): SearchSpace {
  const space = spaces.get(name);
  if (!space) {
    throw new NashubError(
      ErrorCode.UNKNOWN_SPACE,
      `unknown search space "${echoName(name)}"; known: ${[...spaces.keys()].join(', ') || '(none)'}`,
      { details: { space: echoName(name) } },
    );
  }
  return space;
}

for (const space of BUILTIN_SPACES) registerSpace(space);
