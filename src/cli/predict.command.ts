import { Command } from 'commander';
import { ErrorCode, NashubError, getSpace, isMetricName, METRICS } from '../core';
import { resolveRecordTarget, storeCatalog } from '../catalog';
import { PredictionService } from '../predictors';
import { openStore } from '../store';
import { choosePredictor, findPredictor } from '../store/predictor';
import { loadConfig } from './load-config';
import { parseIntegerFlag } from './parse-integer-flag';

interface PredictFlags {
  space: string;
  dataset: string;
  protocol?: string;
  metric: string;
  kind?: string;
  predictor?: string;
}

/** `nashub predict`: predictions of a stored predictor for architectures given on the command line, as JSON lines. */
export function predictCommand(): Command {
  return new Command('predict')
    .description('predict a metric of architectures with a stored predictor; one JSON line per architecture')
    .argument('<archs...>', "architectures in the space's text form")
    .requiredOption('--space <space>', 'search space (nb201, nb101, darts)')
    .requiredOption('--dataset <name>', 'dataset the predictor was fitted for')
    .option(
      '--protocol <name>',
      'protocol (default: the most epochs among those with records for the dataset in the space)',
    )
    .option('--metric <metric>', 'metric (validAcc, testAcc, ...)', 'validAcc')
    .option('--kind <kind>', 'the newest READY version of this kind (default: the kind with the best held-out tau)')
    .option('--predictor <id>', 'one predictor version by id')
    .action(async (texts: string[], flags: PredictFlags) => {
      const space = getSpace(flags.space);
      if (!isMetricName(flags.metric))
        throw new NashubError(
          ErrorCode.INVALID_ARGUMENT,
          `unknown metric "${flags.metric}"; known: ${METRICS.join(', ')}`,
          { details: { option: '--metric' } },
        );
      const archs = texts.map((text, index) => {
        try {
          const parsed = space.parse(text);
          return { hash: space.id(parsed), arch: parsed, text: space.format(parsed) };
        } catch (error) {
          if (error instanceof NashubError) error.details.index = index;
          throw error;
        }
      });
      const config = loadConfig(process.env);
      const store = await openStore({ config: config.store });
      const service = new PredictionService(store.dataSource);
      try {
        const manager = store.dataSource.manager;
        const { dataset, protocol } = await resolveRecordTarget(storeCatalog(manager), {
          space: space.name,
          dataset: flags.dataset,
          protocol: flags.protocol,
        });
        const id = parseIntegerFlag('--predictor', flags.predictor);
        const row =
          id !== undefined
            ? await findPredictor(manager, id)
            : await choosePredictor(manager, {
                space: space.name,
                datasetId: dataset.id,
                protocolId: protocol.id,
                metric: flags.metric,
                epoch: null,
                kind: flags.kind ?? null,
              });
        if (
          !row ||
          row.kind === 'LCE' ||
          row.space !== space.name ||
          (row.status !== 'READY' && row.status !== 'STALE')
        ) {
          throw new NashubError(
            ErrorCode.NOT_FOUND,
            `no READY predictor of ${flags.metric} for ${space.name} on ${dataset.name} / ${protocol.name}${id !== undefined ? ` with id ${id}` : ''}; fit one with nashub fit`,
            {
              details: { space: space.name, dataset: dataset.name, protocol: protocol.name },
            },
          );
        }
        const values = await service.predict(row, archs);
        for (const a of archs) {
          const v = values.get(a.hash)!;
          process.stdout.write(
            `${JSON.stringify({ arch: a.text, mean: v.mean, std: v.std, predictor: { id: row.id, kind: row.kind, status: row.status } })}\n`,
          );
        }
      } finally {
        await service.close();
        await store.close();
      }
    });
}
