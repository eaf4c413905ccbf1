import { Command } from 'commander';
import { ErrorCode, NashubError } from '../core';
import type { ClientSearchTrial, SearchRunFilter, SearchRunStatus } from '../client';
import { positiveNumber } from './parse-integer-flag';
import { remoteClientOf, remoteUrlOf, withRemoteErrors, type RemoteFlags } from './search-remote-client';

const URL_HELP = "the GraphQL endpoint (default this machine's nashub serve: http://127.0.0.1:$PORT/graphql)";
const STATUSES: readonly SearchRunStatus[] = ['RUNNING', 'FINISHED', 'STOPPED'];

interface SearchRunsFlags extends RemoteFlags {
  status: string[];
  space?: string;
  dataset?: string;
  strategy?: string;
  first: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseStatus(text: string): SearchRunStatus {
  const status = text.toUpperCase() as SearchRunStatus;
  if (STATUSES.includes(status)) return status;
  throw new NashubError(ErrorCode.INVALID_ARGUMENT, `--status must be one of ${STATUSES.join(', ')}, got "${text}"`, {
    details: { option: '--status', value: text },
  });
}

/** `nashub search runs`: the runs of a server, newest first, one JSON line each. */
export function searchRunsCommand(): Command {
  return new Command('runs')
    .description('list search runs, newest first, as JSON lines')
    .option('--url <url>', URL_HELP)
    .option('--key <key>', 'an API key (reading runs needs none)')
    .option('--status <status>', 'RUNNING, FINISHED or STOPPED (repeatable)', collect, [])
    .option('--space <space>', 'only runs in this space')
    .option('--dataset <name>', 'only runs on this dataset')
    .option('--strategy <name>', 'only runs of this strategy')
    .option('--first <n>', 'at most this many runs', '100')
    .action(async (flags: SearchRunsFlags) => {
      const url = remoteUrlOf(flags);
      const limit = positiveNumber('--first', flags.first, true);
      const filter: SearchRunFilter = {
        status: flags.status.length > 0 ? flags.status.map(parseStatus) : undefined,
        space: flags.space,
        dataset: flags.dataset,
        strategy: flags.strategy,
      };
      const client = remoteClientOf(flags);
      await withRemoteErrors(url, async () => {
        let after: string | undefined;
        for (let printed = 0; printed < limit;) {
          const page = await client.searchRuns({ filter, first: Math.min(limit - printed, 100), after });
          for (const edge of page.edges) process.stdout.write(`${JSON.stringify(edge.node)}\n`);
          printed += page.edges.length;
          if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null || page.edges.length === 0) break;
          after = page.pageInfo.endCursor;
        }
      });
    });
}

interface SearchShowFlags extends RemoteFlags {
  trials?: boolean;
}

/** `nashub search show ID`: one run as JSON, with its trajectory (and its trials with --trials). */
export function searchShowCommand(): Command {
  return new Command('show')
    .description('print one search run as JSON: status, budget used, best, trajectory (and trials with --trials)')
    .argument('<id>', "the run's id")
    .option('--url <url>', URL_HELP)
    .option('--key <key>', 'an API key (reading runs needs none)')
    .option('--trials', 'add every trial in ask order')
    .action(async (id: string, flags: SearchShowFlags) => {
      const url = remoteUrlOf(flags);
      const client = remoteClientOf(flags);
      await withRemoteErrors(url, async () => {
        const run = await client.searchRun(id);
        if (run === null)
          throw new NashubError(ErrorCode.NOT_FOUND, `no search run ${id} at ${url}`, { details: { run: id, url } });
        if (!flags.trials) {
          process.stdout.write(`${JSON.stringify(run)}\n`);
          return;
        }
        const trials: ClientSearchTrial[] = [];
        let after: string | undefined;
        while (true) {
          const page = await client.searchTrials({ run: id, first: 1000, after });
          if (page === null) break;
          trials.push(...page.edges.map((edge) => edge.node));
          if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) break;
          after = page.pageInfo.endCursor;
        }
        process.stdout.write(`${JSON.stringify({ ...run, trials })}\n`);
      });
    });
}
