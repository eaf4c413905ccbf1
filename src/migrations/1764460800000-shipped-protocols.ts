import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trainer's shipped protocols, `fmnist-c8n1-e12` (CPU-sized) and `fmnist-c16n5-e50` (GPU-sized), copied literally
 * from trainer/protocol/shipped-protocols.ts (migrations import nothing of ours; a test checks the copies are equal).
 * A protocol already stored under either name is left as it is.
 */
export class ShippedProtocols1764460800000 implements MigrationInterface {
  name = 'ShippedProtocols1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const protocol of SHIPPED) {
      await queryRunner.query(
        'INSERT INTO protocol (name, epochs, hyperparameters, description) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (name) DO NOTHING',
        [protocol.name, protocol.epochs, JSON.stringify(protocol.hyperparameters), protocol.description],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Only protocols no run or job refers to are removed: records trained under them keep their protocol.
    await queryRunner.query(
      `DELETE FROM protocol p WHERE p.name = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM run r WHERE r.protocol_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM training_job j WHERE j.protocol_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM predictor x WHERE x.protocol_id = p.id)`,
      [SHIPPED.map((p) => p.name)],
    );
  }
}

/** The protocols as inserted (exported for the test that compares them with the trainer's constants). */
export const SHIPPED = [
  {
    name: 'fmnist-c8n1-e12',
    epochs: 12,
    description:
      'Fashion-MNIST, NB201 network with C=8 and N=1, 12 epochs on a 10k-image stratified training subset (5k held out for validation, full 10k test set); SGD Nesterov momentum 0.9, lr 0.1 cosine to 0, weight decay 5e-4, batch 64; random crop (pad 2) and horizontal flip. Minutes per architecture on a CPU.',
    hyperparameters: {
      dataset: 'fashion-mnist',
      C: 8,
      N: 1,
      trainSubset: 10000,
      validSize: 5000,
      splitSeed: 0,
      batchSize: 64,
      learningRate: 0.1,
      minLearningRate: 0,
      lrSchedule: 'cosine',
      momentum: 0.9,
      nesterov: true,
      weightDecay: 0.0005,
      augmentation: { cropPadding: 2, horizontalFlip: true },
    },
  },
  {
    name: 'fmnist-c16n5-e50',
    epochs: 50,
    description:
      "Fashion-MNIST, NAS-Bench-201's network (C=16, N=5), 50 epochs on all 55k training images left after a 5k stratified validation split, full 10k test set; SGD Nesterov momentum 0.9, lr cosine to 0, weight decay 5e-4 (NB201's settings) at batch 128 with lr 0.05 (NB201's 256 and 0.1, halved together: batch 256 needs over the 4 GB wasm heap); random crop (pad 2) and horizontal flip. Sized for a GPU; it also runs on wasm, slowly.",
    hyperparameters: {
      dataset: 'fashion-mnist',
      C: 16,
      N: 5,
      validSize: 5000,
      splitSeed: 0,
      batchSize: 128,
      learningRate: 0.05,
      minLearningRate: 0,
      lrSchedule: 'cosine',
      momentum: 0.9,
      nesterov: true,
      weightDecay: 0.0005,
      augmentation: { cropPadding: 2, horizontalFlip: true },
    },
  },
] as const;
