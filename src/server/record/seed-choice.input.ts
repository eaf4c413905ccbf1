import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import { SeedMode, type SeedChoice, type SeedModeValue } from '../../store/record/seed-choice';

// The store's seed modes are the one vocabulary: GraphQL registers them as they are.
registerEnumType(SeedMode, {
  name: 'SeedMode',
  description:
    'MEAN: mean and population std over seeds; SEED: one seed; RANDOM: one seed picked reproducibly from clientSeed.',
});

/** How a record aggregates seeds. */
@InputType('SeedChoice', {
  description:
    'How to aggregate seeds: { mode: MEAN } (default), { mode: SEED, seed: 1 }, { mode: RANDOM, clientSeed: 42 }.',
})
export class SeedChoiceInput {
  @Field(() => SeedMode, { defaultValue: SeedMode.MEAN })
  mode: SeedModeValue;

  @Field(() => Int, { nullable: true, description: 'The seed, for mode SEED.' })
  seed?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The client seed, for mode RANDOM: the same value picks the same seeds.',
  })
  clientSeed?: number;
}

/** The default choice, shared: it is made for every item of a batch. */
const MEAN: SeedChoice = Object.freeze({ mode: SeedMode.MEAN });

/** Turns the input into store's seed choice, or INVALID_ARGUMENT when the mode lacks its number. */
export function toSeedChoice(input: SeedChoiceInput | undefined): SeedChoice {
  if (!input || input.mode === SeedMode.MEAN) return MEAN;
  if (input.mode === SeedMode.SEED) {
    if (input.seed === undefined || input.seed === null)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'seeds: { mode: SEED } needs a seed', {
        details: { argument: 'seeds.seed' },
      });
    return { mode: SeedMode.SEED, seed: input.seed };
  }
  if (input.clientSeed === undefined || input.clientSeed === null) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'seeds: { mode: RANDOM } needs a clientSeed', {
      details: { argument: 'seeds.clientSeed' },
    });
  }
  return { mode: SeedMode.RANDOM, clientSeed: input.clientSeed };
}
