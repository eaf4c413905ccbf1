import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { ErrorCode, NashubError, getSpace, isNashubError, type MetricName, type SearchSpace } from '../../core';
import { loadRecordTable, type RecordTablePage } from '../../store/record/load-record-table';
import type { RequestContext } from '../context.type';
import { CostUnits } from '../limit/field-costs';
import { checkLimit } from '../limit/limit-exceeded';
import { Metric } from './metric.enum';
import { resolveRecordTarget } from './record-target';
import { SeedChoiceInput, toSeedChoice } from './seed-choice.input';
import { RecordTableType } from './record-table.type';
import { decodeTableCursor, encodeTableCursor } from './table-cursor';

/** Architectures per page when `first` is not given. */
export const DEFAULT_TABLE_PAGE = 1_000;

/** Architectures parsed between two chances for the event loop to turn (as `architectures` does). */
const PARSE_CHUNK = 1_000;

/** The columnar read: records of many architectures as parallel arrays, one SQL statement per page. */
@Resolver()
export class RecordTableResolver {
  @Query(() => RecordTableType, {
    description:
      "Final-epoch records as columns aligned with archs, with record's seed-choice semantics (default MEAN). With " +
      'archs: those architectures in input order (values null where not stored or not measured), paged by position. ' +
      'Without archs: every architecture with a complete run of the dataset and protocol, in storage order, paged. ' +
      'One SQL statement per page and no per-item resolvers.',
  })
  async table(
    @Ctx() ctx: RequestContext,
    @Arg('space', () => ID) spaceName: string,
    @Arg('dataset', () => String) dataset: string,
    @Arg('metrics', () => [Metric], { description: 'One column per metric, in this order.' }) metrics: MetricName[],
    @Arg('protocol', () => String, { nullable: true, description: "Default: the dataset's full-budget protocol." })
    protocol?: string,
    @Arg('archs', () => [String], { nullable: true, description: 'Architectures to read (at most maxArchs).' })
    archs?: string[],
    @Arg('seeds', () => SeedChoiceInput, { nullable: true, description: 'Default MEAN.' }) seeds?: SeedChoiceInput,
    @Arg('first', () => Int, {
      nullable: true,
      description: `Architectures per page (default ${DEFAULT_TABLE_PAGE}, at most maxTablePage).`,
    })
    first?: number,
    @Arg('after', () => String, { nullable: true, description: "The previous page's pageInfo.endCursor." })
    after?: string,
  ): Promise<RecordTableType> {
    const space = getSpace(spaceName);
    if (metrics.length === 0 || new Set(metrics).size !== metrics.length)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'metrics must name at least one metric, each once', {
        details: { argument: 'metrics' },
      });
    const size = first ?? Math.min(DEFAULT_TABLE_PAGE, ctx.limits.maxTablePage);
    if (!Number.isInteger(size) || size < 1)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `first must be >= 1, got ${size}`, {
        details: { argument: 'first' },
      });
    checkLimit('maxTablePage', ctx.limits.maxTablePage, size);
    if (archs) checkLimit('maxArchs', ctx.limits.maxArchs, archs.length);
    const choice = toSeedChoice(seeds);
    const target = await resolveRecordTarget(ctx, { space: space.name, dataset, protocol });
    const base = {
      space: space.name,
      datasetId: target.dataset.id,
      protocolId: target.protocol.id,
      metrics,
      choice,
      lastEpoch: target.protocol.epochs,
    };
    const head = { dataset: target.dataset.name, protocol: target.protocol.name, epoch: target.protocol.epochs };
    ctx.budget.charge(CostUnits.STATEMENT);

    if (!archs) {
      const afterId = after === undefined || after === null ? 0 : decodeTableCursor(after, 'id');
      const page = await loadRecordTable(ctx.store.dataSource.manager, {
        ...base,
        hashes: null,
        afterId,
        limit: size + 1,
      });
      const hasNextPage = page.rowIds.length > size;
      const n = Math.min(size, page.rowIds.length);
      return {
        ...head,
        archs: page.archs.slice(0, n),
        ids: page.hashes.slice(0, n),
        columns: metrics.map((metric, m) => ({ metric, values: page.columns[m].slice(0, n) })),
        pageInfo: {
          hasNextPage,
          endCursor: n > 0 ? encodeTableCursor({ kind: 'id', value: page.rowIds[n - 1] }) : (after ?? null),
        },
      };
    }

    const start = after === undefined || after === null ? 0 : decodeTableCursor(after, 'position');
    const texts = archs.slice(start, start + size);
    const parsed = await parseArchs(ctx, space, texts, start);
    const page = await loadRecordTable(ctx.store.dataSource.manager, {
      ...base,
      hashes: [...new Set(parsed.hashes)],
      afterId: 0,
      limit: 0,
    });
    const end = start + texts.length;
    const rows = rowsOf(page, parsed.hashes);
    return {
      ...head,
      archs: parsed.archs,
      ids: parsed.hashes,
      columns: metrics.map((metric, m) => ({ metric, values: rows.map((i) => (i < 0 ? null : page.columns[m][i])) })),
      pageInfo: {
        hasNextPage: end < archs.length,
        endCursor: encodeTableCursor({ kind: 'position', value: end }),
      },
    };
  }
}

/** A page of archs canonicalised: ids and canonical texts, aligned with the input. */
interface ParsedArchs {
  hashes: string[];
  archs: string[];
}

/** Canonicalises a page of archs; the first invalid one fails the request with its index in `archs`. */
async function parseArchs(
  ctx: RequestContext,
  space: SearchSpace,
  texts: readonly string[],
  offset: number,
): Promise<ParsedArchs> {
  const out: ParsedArchs = { hashes: [], archs: [] };
  // Where a space's id is its canonical text (nb201), the text is formatted once.
  const idIsText = space.id === space.format;
  for (let start = 0; start < texts.length; start += PARSE_CHUNK) {
    const chunk = texts.slice(start, start + PARSE_CHUNK);
    await ctx.budget.turn(chunk.length * CostUnits.PARSE);
    chunk.forEach((text, i) => {
      const index = offset + start + i;
      try {
        const parsed = space.parse(text);
        const arch = space.format(parsed);
        out.archs.push(arch);
        out.hashes.push(idIsText ? arch : space.id(parsed));
      } catch (error) {
        if (!isNashubError(error)) throw error;
        throw new NashubError(error.code, `archs[${index}]: ${error.message}`, {
          details: { ...error.details, index },
          cause: error,
        });
      }
    });
  }
  return out;
}

/** For each hash, its row in the page, or -1 where the page does not hold it. */
function rowsOf(page: RecordTablePage, hashes: readonly string[]): number[] {
  const row = new Map(page.hashes.map((hash, i) => [hash, i]));
  return hashes.map((hash) => row.get(hash) ?? -1);
}
