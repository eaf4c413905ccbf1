import DataLoader from 'dataloader';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { RecordsDocument, type RecordsQuery } from './generated/graphql';
import { postGraphql } from './post-graphql';

/** Options of {@link NashubClient}. */
export interface NashubClientOptions {
  /** The GraphQL endpoint, e.g. `http://host:4000/graphql`. */
  url: string;
  /** An API key (role `trainer` or `admin` for the search mutations); reads need none. */
  key?: string;
  /** The fetch to use; default Node's global fetch. */
  fetch?: typeof fetch;
  /** Tries after the first on a network error or a 502/503/504 answer; default 5. */
  retries?: number;
  /** Wait before the first retry in milliseconds, doubled for each later one (with jitter); default 200. */
  backoffMs?: number;
}

/** One record lookup: an architecture's measured metrics on a dataset, under a protocol, at an epoch. */
export interface RecordLookup {
  space: string;
  arch: string;
  dataset: string;
  /** Default: the dataset's full-budget protocol. */
  protocol?: string;
  /** 1-based; default the protocol's last. */
  epoch?: number;
}

/** A measured record as {@link NashubClient.record} returns it. */
export type ClientRecord = NonNullable<NonNullable<RecordsQuery['architectures'][number]>['record']>;
/** Most architectures one batched record request carries (the API's default cap is 10,000). */
const RECORD_BATCH = 1000;

/** The group a record lookup is batched in: one request per (space, dataset, protocol, epoch). */
function groupOf(lookup: RecordLookup): string {
  return JSON.stringify([lookup.space, lookup.dataset, lookup.protocol ?? null, lookup.epoch ?? null]);
}

/**
 * A typed client of the nashub GraphQL API: one method per operation of `src/client/operations/`, retries with
 * backoff on network errors and 502/503/504, GraphQL errors as {@link NashubClientError} with the server's code, and
 * record lookups of one tick batched into one request per (space, dataset, protocol, epoch).
 */
export class NashubClient {
  readonly url: string;
  private readonly options: Required<Omit<NashubClientOptions, 'key'>> & { key?: string };
  private readonly records: DataLoader<RecordLookup, ClientRecord | null, string>;

  constructor(options: NashubClientOptions) {
    this.url = options.url;
    this.options = {
      url: options.url,
      key: options.key,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      retries: options.retries ?? 5,
      backoffMs: options.backoffMs ?? 200,
    };
    // Batching only: a record can change (an import, a trained run), so nothing is cached between ticks.
    this.records = new DataLoader((lookups) => this.loadRecords(lookups), {
      cache: false,
      maxBatchSize: RECORD_BATCH,
    });
  }

  /** Sends one typed operation and returns its `data`. */
  async request<TResult, TVariables>(
    document: DocumentTypeDecoration<TResult, TVariables>,
    variables?: TVariables,
    signal?: AbortSignal,
  ): Promise<TResult> {
    const data = await postGraphql({
      ...this.options,
      query: String(document),
      variables: variables as Record<string, unknown> | undefined,
      signal,
    });
    return data as TResult;
  }

  /** An architecture's measured record, or null when not measured; lookups of one tick share a request. */
  record(lookup: RecordLookup): Promise<ClientRecord | null> {
    return this.records.load(lookup);
  }

  private async loadRecords(lookups: readonly RecordLookup[]): Promise<Array<ClientRecord | null | Error>> {
    const groups = new Map<string, number[]>();
    lookups.forEach((lookup, i) => {
      const key = groupOf(lookup);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const results: Array<ClientRecord | null | Error> = new Array(lookups.length).fill(null);
    await Promise.all(
      [...groups.values()].map(async (indices) => {
        const { space, dataset, protocol, epoch } = lookups[indices[0]];
        const archs = indices.map((i) => lookups[i].arch);
        try {
          const data = await this.request(RecordsDocument, { space, dataset, protocol, epoch, archs });
          indices.forEach((i, j) => (results[i] = data.architectures[j]?.record ?? null));
        } catch (error) {
          for (const i of indices) results[i] = error as Error;
        }
      }),
    );
    return results;
  }
}
