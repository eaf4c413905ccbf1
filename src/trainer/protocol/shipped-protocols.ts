/** A protocol as the migration inserts it: plain JSON, copied literally (a test compares the two). */
export interface ShippedProtocol {
  name: string;
  epochs: number;
  description: string;
  hyperparameters: Record<string, unknown>;
}

/**
 * Low fidelity on a CPU: C=8, N=1, 12 epochs on a 10,000-image stratified subset of Fashion-MNIST's training set
 * (5,000 more held out for validation), tested on all 10,000 test images.
 */
export const FMNIST_C8N1_E12: ShippedProtocol = {
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
};

/**
 * GPU-sized: NAS-Bench-201's own network (C=16, N=5) on Fashion-MNIST, 50 epochs on the 55,000 training images left
 * after a 5,000-image stratified validation split, NB201's optimiser settings (batch 256, lr 0.1 cosine, 5e-4).
 */
export const FMNIST_C16N5_E50: ShippedProtocol = {
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
};

/** Every protocol nashub ships, for the migration that inserts them. */
export const SHIPPED_PROTOCOLS: readonly ShippedProtocol[] = [FMNIST_C8N1_E12, FMNIST_C16N5_E50];
