import { expect, it } from 'vitest';
import { InvalidArchitectureError } from '../../src/core/error/invalid-architecture-error';
import { createRng, type Rng } from '../../src/core/random/rng';

/** The InvalidArchitectureError `run` throws (fails the test when it throws something else or nothing). */
export function invalidArchitectureOf(run: () => unknown): InvalidArchitectureError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArchitectureError);
    return error as InvalidArchitectureError;
  }
  throw new Error('expected an InvalidArchitectureError');
}

/** A space's text form under test. */
export interface ParserUnderTest<A> {
  parse(text: string): A;
  format(arch: A): string;
  sample(rng: Rng): A;
  /** The in-memory check, given the architecture and its JSON copy. */
  validate?(value: unknown): A;
  /** A text of about 1 MB that the length limit refuses, and that limit. */
  huge: string;
  maxLength: number;
  /** Seed and count of the round-tripped samples. */
  seed: number;
  samples: number;
}

/** The cases every space's parser passes: the length limit before scanning, round trips of sampled architectures. */
export function parserCases<A>(parser: ParserUnderTest<A>, tooLongReason: string): void {
  it('rejects a 1 MB string as too long at the length limit, before scanning it', () => {
    const error = invalidArchitectureOf(() => parser.parse(parser.huge));
    expect(error.details).toMatchObject({ reason: tooLongReason, position: parser.maxLength });
  });

  it('round-trips sampled architectures: parse(format(a)) equals a, format(parse(s)) is stable, validate takes a and its JSON copy', () => {
    const rng = createRng(parser.seed);
    for (let i = 0; i < parser.samples; i++) {
      const arch = parser.sample(rng);
      const text = parser.format(arch);
      expect(parser.parse(text)).toEqual(arch);
      expect(parser.format(parser.parse(text))).toBe(text);
      if (parser.validate) {
        expect(parser.validate(arch)).toEqual(arch);
        expect(parser.validate(JSON.parse(JSON.stringify(arch)))).toEqual(arch);
      }
    }
  });
}

/** Up to 79 random characters of `alphabet`, for fuzzing a parser. */
export function garbageText(rng: Rng, alphabet: string): string {
  const length = rng.int(80);
  let garbage = '';
  for (let k = 0; k < length; k++) garbage += alphabet[rng.int(alphabet.length)];
  return garbage;
}
