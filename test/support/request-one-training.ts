import type { DataSource } from 'typeorm';
import { getSpace } from '../../src/core';
import type { JobQueue } from '../../src/store/queue';
import { requestTraining, type TrainingRequestEntry } from '../../src/store/training';

/** What {@link requestOneTraining} queues: one nb201 cell, seed 0, under a protocol of the store. */
export interface OneTraining {
  arch: string;
  datasetId: number;
  protocolId: number;
  epochs: number;
  /** Default null (the CLI's requests carry none). */
  requestedBy?: string | null;
}

/** Requests training of one nb201 cell for seed 0 at priority 0, through the store as the API does; its one entry. */
export async function requestOneTraining(
  dataSource: DataSource,
  queue: JobQueue,
  training: OneTraining,
): Promise<TrainingRequestEntry> {
  const space = getSpace('nb201');
  const parsed = space.parse(training.arch);
  const [entry] = await requestTraining(dataSource, queue, {
    space: 'nb201',
    architectures: [
      {
        hash: space.id(parsed),
        arch: space.format(parsed),
        isoClass: space.isoClass(parsed),
        paramsM: null,
        flopsM: null,
      },
    ],
    datasetId: training.datasetId,
    protocolId: training.protocolId,
    totalEpochs: training.epochs,
    seeds: [0],
    priority: 0,
    requestedBy: training.requestedBy ?? null,
  });
  return entry;
}

/** Made-up metrics of an epoch, as a fake trainer records them (tests that drive the trainer's store path by hand). */
export function fakeEpochMetrics(epoch: number) {
  return {
    epoch,
    trainLoss: 2 / epoch,
    trainAcc: 40 * epoch,
    validLoss: 2.5 / epoch,
    validAcc: 35 * epoch,
    testLoss: 2.6 / epoch,
    testAcc: 34 * epoch,
    seconds: 1.5,
  };
}
