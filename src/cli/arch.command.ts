import { Command } from 'commander';
import { createRng, ErrorCode, getSpace, InvalidArchitectureError, NashubError, type SearchSpace } from '../core';

/** Options of {@link archCommand}. */
export interface ArchCommandOptions {
  /** Where the JSON lines go; process.stdout unless given. */
  stdout?: { write(text: string): unknown };
}

/** What `nashub arch` prints for one architecture; params and flops are in millions, for the space's default macro. */
export interface ArchRecord {
  space: string;
  id: string;
  arch: string;
  isoClass: string;
  params: number;
  flops: number;
}

/** Largest `--sample` accepted: bigger requests are a mistake, not a use. */
const MAX_SAMPLE = 1_000_000;

function archRecord(space: SearchSpace, arch: unknown): ArchRecord {
  const cost = space.cost(arch);
  return {
    space: space.name,
    id: space.id(arch),
    arch: space.format(arch),
    isoClass: space.isoClass(arch),
    params: cost.paramsM,
    flops: cost.flopsM,
  };
}

function parseInteger(value: string, option: string, min: number, max: number): number {
  const number = /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `${option} must be an integer in [${min}, ${max}], got "${value}"`,
      {
        details: { option, value },
      },
    );
  }
  return number;
}

function parseIn(space: SearchSpace, text: string): unknown {
  try {
    return space.parse(text);
  } catch (error) {
    // Rethrown with the space in the message: the one-line CLI error should say which grammar was applied.
    if (error instanceof InvalidArchitectureError) {
      throw new InvalidArchitectureError(`${error.message} (space ${space.name})`, error.details);
    }
    throw error;
  }
}

interface ArchCommandFlags {
  space: string;
  neighbours?: boolean;
  sample?: string;
  seed: string;
}

/**
 * `nashub arch [--space S] '<arch>'`: canonicalise one architecture and print `{space, id, arch, isoClass, params,
 * flops}` as JSON; `--neighbours` prints its one-edit neighbours instead and `--sample N --seed K` prints N sampled
 * architectures, both as JSON lines. Bad input throws a typed error (INVALID_ARCHITECTURE, UNKNOWN_SPACE,
 * INVALID_ARGUMENT), which `main` reports on one line with exit status 2.
 */
export function archCommand(options: ArchCommandOptions = {}): Command {
  return new Command('arch')
    .description('canonicalise an architecture and print its id, isomorphism class, params and FLOPs as JSON')
    .argument('[arch]', "architecture text in the space's format, e.g. an NB201 arch string")
    .option('--space <name>', 'search space', 'nb201')
    .option('--neighbours', 'print every one-edit neighbour of <arch>, one JSON object per line')
    .option('--sample <n>', 'print n uniformly sampled architectures, one JSON object per line (no <arch>)')
    .option('--seed <k>', 'seed of --sample', '0')
    .action((text: string | undefined, flags: ArchCommandFlags) => {
      const stdout = options.stdout ?? process.stdout;
      const print = (record: ArchRecord): void => {
        stdout.write(`${JSON.stringify(record)}\n`);
      };
      const space = getSpace(flags.space);
      if (flags.sample !== undefined) {
        if (text !== undefined || flags.neighbours) {
          throw new NashubError(ErrorCode.INVALID_ARGUMENT, '--sample takes no <arch> and no --neighbours', {
            details: { option: '--sample' },
          });
        }
        const count = parseInteger(flags.sample, '--sample', 1, MAX_SAMPLE);
        const rng = createRng(parseInteger(flags.seed, '--seed', -(2 ** 31), 2 ** 32 - 1));
        for (let i = 0; i < count; i++) print(archRecord(space, space.sample(rng)));
        return;
      }
      if (text === undefined) {
        throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'give an architecture, or --sample N', {
          details: { argument: 'arch' },
        });
      }
      const arch = parseIn(space, text);
      if (flags.neighbours) {
        for (const neighbour of space.neighbours(arch)) print(archRecord(space, neighbour));
        return;
      }
      print(archRecord(space, arch));
    });
}
