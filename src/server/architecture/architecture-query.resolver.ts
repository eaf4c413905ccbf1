import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { ErrorCode, NashubError, createRng, getSpace, isNashubError } from '../../core';
import { findArchitecturesByExternalId } from '../../store/architecture/find-architectures';
import type { RequestContext } from '../context.type';
import { CostUnits } from '../limit/field-costs';
import { checkLimit } from '../limit/limit-exceeded';
import { ArchitectureNode } from './architecture-node';
import { ArchitectureType } from './architecture.type';
import { prefetchRecordMeans } from './prefetch-record-means';

/** Architectures parsed (or sampled) between two chances for the event loop to turn. */
const PARSE_CHUNK = 1_000;

/** Scheme of NB201's official index among external ids. */
export const NB201_INDEX_SCHEME = 'nb201-index';

/** Queries that produce architectures from text, indices or sampling. */
@Resolver()
export class ArchitectureQueryResolver {
  @Query(() => ArchitectureType, {
    nullable: true,
    description:
      'One architecture, canonicalised (INVALID_ARCHITECTURE with the position or field at fault). For nb201, index: N looks up the official NB201 index (null when not imported).',
  })
  async architecture(
    @Ctx() ctx: RequestContext,
    @Arg('space', () => ID) spaceName: string,
    @Arg('arch', () => String, { nullable: true }) arch?: string,
    @Arg('index', () => Int, { nullable: true, description: 'Official NB201 index (0..15624), as imported.' })
    index?: number,
  ): Promise<ArchitectureNode | null> {
    const space = getSpace(spaceName);
    if ((arch === undefined || arch === null) === (index === undefined || index === null)) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'give exactly one of arch and index', {
        details: { argument: 'arch' },
      });
    }
    if (arch !== undefined && arch !== null) return ArchitectureNode.fromText(space, arch);
    if (space.name !== 'nb201')
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `index lookups exist for nb201 only, not ${space.name}`, {
        details: { argument: 'index' },
      });
    const found = await findArchitecturesByExternalId(ctx.store.dataSource.manager, NB201_INDEX_SCHEME, [
      String(index),
    ]);
    const row = found.get(String(index));
    return row ? ArchitectureNode.fromText(space, row.arch) : null;
  }

  @Query(() => [ArchitectureType], {
    nullable: 'items',
    description:
      'Many architectures, in input order. An invalid element is null with an INVALID_ARCHITECTURE error at its index; the others resolve.',
  })
  async architectures(
    @Ctx() ctx: RequestContext,
    @Arg('space', () => ID) spaceName: string,
    @Arg('archs', () => [String]) archs: string[],
    @Info() info: GraphQLResolveInfo,
  ): Promise<Array<ArchitectureNode | Error>> {
    const space = getSpace(spaceName);
    checkLimit('maxArchs', ctx.limits.maxArchs, archs.length);
    const out: Array<ArchitectureNode | Error> = [];
    // 10,000 canonicalisations are a good part of a second: they take turns with the event loop, a chunk at a time.
    for (let start = 0; start < archs.length; start += PARSE_CHUNK) {
      const chunk = archs.slice(start, start + PARSE_CHUNK);
      await ctx.budget.turn(chunk.length * CostUnits.PARSE);
      chunk.forEach((text, offset) => {
        const i = start + offset;
        try {
          out.push(ArchitectureNode.fromText(space, text));
        } catch (error) {
          if (!isNashubError(error)) throw error;
          out.push(
            new NashubError(error.code, `archs[${i}]: ${error.message}`, {
              details: { ...error.details, index: i },
              cause: error,
            }),
          );
        }
      });
    }
    await prefetchRecordMeans(ctx, info, out);
    return out;
  }

  @Query(() => [ArchitectureType], {
    description: 'n uniform samples of the space, reproducible for a seed (default 0).',
  })
  async sample(
    @Ctx() ctx: RequestContext,
    @Arg('space', () => ID) spaceName: string,
    @Arg('n', () => Int) n: number,
    @Arg('seed', () => Int, { nullable: true }) seed?: number,
  ): Promise<ArchitectureNode[]> {
    const space = getSpace(spaceName);
    if (n < 0)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `n must be >= 0, got ${n}`, { details: { argument: 'n' } });
    checkLimit('maxSample', ctx.limits.maxSample, n);
    const rng = createRng(seed ?? 0);
    const out: ArchitectureNode[] = [];
    while (out.length < n) {
      const size = Math.min(PARSE_CHUNK, n - out.length);
      await ctx.budget.turn(size * CostUnits.PARSE);
      for (let i = 0; i < size; i++) {
        const parsed = space.sample(rng);
        out.push(new ArchitectureNode(space, parsed, space.id(parsed)));
      }
    }
    return out;
  }
}
