import { createJsonPoster } from './post-json';

/** One (dataset, protocol) of a sweep. */
export interface SweepTarget {
  dataset: string;
  protocol: string;
}

/** Options of {@link sweepTable}. */
export interface SweepTableOptions {
  /** GraphQL endpoint. */
  url: string;
  space: string;
  targets: readonly SweepTarget[];
  /** GraphQL Metric names, e.g. VALID_ACC. */
  metrics: readonly string[];
  /** Architectures per page. */
  pageSize: number;
}

/** What a sweep read. */
export interface SweepResult {
  seconds: number;
  /** Architectures per target, in target order. */
  rows: number[];
  requests: number;
}

const QUERY = `query($space: ID!, $dataset: String!, $protocol: String!, $metrics: [Metric!]!, $first: Int!, $after: String) {
  table(space: $space, dataset: $dataset, protocol: $protocol, metrics: $metrics, first: $first, after: $after) {
    ids columns { values } pageInfo { hasNextPage endCursor } } }`;

/**
 * Reads whole tables through paged `table` queries, one client, one target after another, as a researcher's sweep
 * would: the wall time from the first request to the last answer.
 */
export async function sweepTable(options: SweepTableOptions): Promise<SweepResult> {
  const poster = createJsonPoster(options.url, 1);
  const rows: number[] = [];
  let requests = 0;
  const started = performance.now();
  try {
    for (const { dataset, protocol } of options.targets) {
      let after: string | null = null;
      let count = 0;
      do {
        const variables = { space: options.space, dataset, protocol, metrics: options.metrics, after };
        const text = await poster.post(
          JSON.stringify({ query: QUERY, variables: { ...variables, first: options.pageSize } }),
        );
        requests += 1;
        const answer = JSON.parse(text) as {
          data?: { table: { ids: string[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
          errors?: unknown;
        };
        if (answer.errors || !answer.data) throw new Error(`table sweep failed: ${text.slice(0, 500)}`);
        count += answer.data.table.ids.length;
        after = answer.data.table.pageInfo.hasNextPage ? answer.data.table.pageInfo.endCursor : null;
      } while (after !== null);
      rows.push(count);
    }
    return { seconds: (performance.now() - started) / 1000, rows, requests };
  } finally {
    poster.close();
  }
}
