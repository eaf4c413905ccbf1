import { Command } from 'commander';
import { storeCatalog } from '../catalog';
import { openStore } from '../store';
import { JobQueue } from '../store/queue';
// The use case's own file: requesting training loads no trainer code.
import { requestTrainingJobs } from '../training/request-training-jobs';
import { loadConfig } from './load-config';
import { parseIntegerFlag } from './parse-integer-flag';

interface TrainFlags {
  space: string;
  dataset: string;
  protocol: string;
  seeds?: string;
  priority?: string;
}

/**
 * `nashub train`: requests real training of architectures, as the GraphQL `requestTraining` mutation does (the same
 * use case, so the two cannot disagree); `nashub trainer` processes serve the queue. One JSON line per (architecture,
 * seed): its job (new or already pending) or its finished run.
 */
export function trainCommand(): Command {
  return new Command('train')
    .description('queue training of architectures for `nashub trainer`; prints one JSON line per (architecture, seed)')
    .argument('<archs...>', 'architectures in any form the space parses')
    .requiredOption('--space <space>', 'nb201 or nb101 (the spaces the trainer builds networks for)')
    .requiredOption('--dataset <name>', 'dataset the protocol trains on, e.g. fashion-mnist')
    .requiredOption('--protocol <name>', 'a trainer protocol, e.g. fmnist-c8n1-e12')
    .option('--seeds <list>', 'comma-separated training seeds', '0')
    .option('--priority <n>', 'queue priority, higher first', '0')
    .action(async (archs: string[], flags: TrainFlags) => {
      const seeds = (flags.seeds ?? '0').split(',').map((seed) => parseIntegerFlag('--seeds', seed.trim())!);
      const priority = parseIntegerFlag('--priority', flags.priority);
      const config = loadConfig(process.env);
      const store = await openStore({ config: config.store });
      try {
        const queue = await JobQueue.open(store);
        try {
          const requested = await requestTrainingJobs(
            {
              space: flags.space,
              archs,
              dataset: flags.dataset,
              protocol: flags.protocol,
              seeds,
              priority,
              requestedBy: 'cli',
            },
            {
              dataSource: store.dataSource,
              queue,
              catalog: storeCatalog(store.dataSource.manager),
              maxJobs: config.limits.maxArchs,
            },
          );
          for (const entry of requested) {
            process.stdout.write(
              `${JSON.stringify({ arch: entry.arch, seed: entry.seed, isNew: entry.isNew, job: entry.job, runId: entry.runId })}\n`,
            );
          }
        } finally {
          await queue.stop();
        }
      } finally {
        await store.close();
      }
    });
}
