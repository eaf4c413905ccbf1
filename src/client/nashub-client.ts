import DataLoader from 'dataloader';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import {
  AskDocument,
  CreateSearchRunDocument,
  FailTrialDocument,
  HeartbeatDocument,
  RecordsDocument,
  SearchRunDocument,
  SearchRunsDocument,
  SearchTrialsDocument,
  StopSearchRunDocument,
  TellAndAskDocument,
  TellDocument,
  type AskMutation,
  type CreateSearchRunInput,
  type RecordsQuery,
  type SearchRunFieldsFragment,
  type SearchRunFilter,
  type SearchRunQuery,
  type SearchRunsQuery,
  type SearchTrialFieldsFragment,
  type SearchTrialState,
  type SearchTrialsQuery,
} from './generated/graphql';
import { nodeHttpTransport, type HttpTransport } from './node-http-transport';
import { postGraphql } from './post-graphql';

/** Options of {@link NashubClient}. */
export interface NashubClientOptions {
  /** The GraphQL endpoint, e.g. `http://host:4000/graphql`. */
  url: string;
  /** An API key (role `trainer` or `admin` for the search mutations); reads need none. */
  key?: string;
  /** How requests go out: global `fetch` or anything shaped like it; default {@link nodeHttpTransport}. */
  fetch?: HttpTransport;
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
/** A search run's fields (its trajectory only where asked for). */
export type ClientSearchRun = NonNullable<SearchRunQuery['searchRun']>;
/** What `ask` answers. */
export type ClientAsk = AskMutation['ask'];
/** A trial's fields. */
export type ClientSearchTrial = SearchTrialFieldsFragment;
/** A page of runs. */
export type ClientSearchRunPage = SearchRunsQuery['searchRuns'];
/** A page of one run's trials. */
export type ClientSearchTrialPage = NonNullable<SearchTrialsQuery['searchRun']>['trials'];

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
  private readonly options: Required<Omit<NashubClientOptions, 'key' | 'fetch'>> & {
    key?: string;
    fetch: HttpTransport;
  };
  private readonly records: DataLoader<RecordLookup, ClientRecord | null, string>;

  constructor(options: NashubClientOptions) {
    this.url = options.url;
    this.options = {
      url: options.url,
      key: options.key,
      fetch: options.fetch ?? nodeHttpTransport(),
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

  /** Creates a search run (role `trainer`). */
  async createSearchRun(input: CreateSearchRunInput): Promise<SearchRunFieldsFragment> {
    return (await this.request(CreateSearchRunDocument, { input })).createSearchRun;
  }

  /** Up to `n` trials to evaluate (1..64); `finished` when the run gives nothing more. */
  async ask(options: { run: string; worker: string; n?: number }, signal?: AbortSignal): Promise<ClientAsk> {
    return (await this.request(AskDocument, options, signal)).ask;
  }

  /** Marks a trial RUNNING and renews its lease. */
  async heartbeat(options: { trial: string; worker: string }): Promise<ClientSearchTrial> {
    return (await this.request(HeartbeatDocument, options)).heartbeat;
  }

  /** Tells a trial's value (and cost, curve); the same value again is a no-op, another one CONFLICT. */
  async tell(options: {
    trial: string;
    worker: string;
    value: number;
    cost?: number | null;
    curve?: number[] | null;
  }): Promise<ClientSearchTrial> {
    return (await this.request(TellDocument, options)).tell;
  }

  /**
   * Tells a trial's result and asks for the worker's next `n` trials in one request (what {@link runWorker} does
   * between two evaluations); refused as {@link tell} is, and then nothing was asked.
   */
  async tellAndAsk(options: {
    trial: string;
    worker: string;
    value: number;
    cost?: number | null;
    curve?: number[] | null;
    n?: number;
  }): Promise<{ told: ClientSearchTrial; next: ClientAsk }> {
    return (await this.request(TellAndAskDocument, options)).tellAndAsk;
  }

  /** Marks a trial FAILED with a reason. */
  async failTrial(options: { trial: string; worker: string; reason: string }): Promise<ClientSearchTrial> {
    return (await this.request(FailTrialDocument, options)).failTrial;
  }

  /** Stops a run: it asks nothing more. */
  async stopSearchRun(run: string): Promise<SearchRunFieldsFragment> {
    return (await this.request(StopSearchRunDocument, { run })).stopSearchRun;
  }

  /** One run with its trajectory (unless `withTrajectory` is false), or null when there is none with that id. */
  async searchRun(id: string, options: { withTrajectory?: boolean } = {}): Promise<ClientSearchRun | null> {
    return (await this.request(SearchRunDocument, { id, withTrajectory: options.withTrajectory ?? true })).searchRun;
  }

  /** Runs matching a filter, newest first, one page. */
  async searchRuns(
    options: { filter?: SearchRunFilter; first?: number; after?: string } = {},
  ): Promise<ClientSearchRunPage> {
    return (await this.request(SearchRunsDocument, options)).searchRuns;
  }

  /** One page of a run's trials in ask order, or null when there is no such run. */
  async searchTrials(options: {
    run: string;
    first?: number;
    after?: string;
    states?: SearchTrialState[];
  }): Promise<ClientSearchTrialPage | null> {
    return (await this.request(SearchTrialsDocument, options)).searchRun?.trials ?? null;
  }
}
