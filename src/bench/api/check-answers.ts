import { batchBody, singleBodies } from './graphql-bodies';
import type { RawRecordQueries } from './raw-record-queries';

/** What {@link checkAnswers} compares. */
export interface CheckAnswersOptions {
  /** GraphQL endpoint. */
  url: string;
  /** Architectures' canonical text (GraphQL) and stored hashes (SQL), index for index. */
  archs: readonly string[];
  hashes: readonly string[];
  /** One batch, as indices into both. */
  batch: readonly number[];
  raw: RawRecordQueries;
}

/**
 * Throws unless the API and the hand-written SQL give the same value for every architecture of a batch (to 1e-9 for
 * the aggregation over runs, exactly for the kept seed means), and one single.
 */
export async function checkAnswers(options: CheckAnswersOptions): Promise<void> {
  const { url, archs, hashes, batch, raw } = options;
  const post = async (body: string): Promise<{ data?: Record<string, unknown>; errors?: unknown }> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  };
  type Item = { record: { validAcc: number | null } | null } | null;
  const answer = await post(batchBody(batch.map((i) => archs[i])));
  const got = answer.data?.architectures as Item[] | undefined;
  if (answer.errors || !got || got.length !== batch.length)
    throw new Error(`batch check failed: ${JSON.stringify(answer).slice(0, 500)}`);
  const expected = await raw.batch(batch.map((i) => hashes[i]));
  const summary = await raw.batchSummary(batch.map((i) => hashes[i]));
  got.forEach((item, k) => {
    const value = item?.record?.validAcc ?? null;
    if (value === null || expected[k] === null || Math.abs(value - expected[k]!) > 1e-9) {
      throw new Error(`batch check failed at ${archs[batch[k]]}: API ${value}, SQL ${expected[k]}`);
    }
    if (summary[k] !== value)
      throw new Error(`batch check failed at ${archs[batch[k]]}: API ${value}, kept seed mean ${summary[k]}`);
  });
  const one = await post(singleBodies([archs[batch[0]]])[0]);
  const value = (one.data?.architecture as Item | undefined)?.record?.validAcc;
  if (one.errors || value !== got[0]?.record?.validAcc)
    throw new Error(`single check failed: ${JSON.stringify(one).slice(0, 500)}`);
}
