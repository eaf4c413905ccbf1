/** What one finished epoch measured. Accuracies are in percent (0–100), as NAS-Bench-201 records them. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean cross-entropy over the epoch's training batches (augmented, training-mode batch norm). */
  trainLoss: number;
  /** Training accuracy over the epoch's batches, in percent. */
  trainAcc: number;
  /** Cross-entropy on the validation split after the epoch (eval mode). */
  validLoss: number;
  /** Validation accuracy after the epoch, in percent. */
  validAcc: number;
  /** Cross-entropy on the test set after the epoch (eval mode). */
  testLoss: number;
  /** Test accuracy after the epoch, in percent. */
  testAcc: number;
  /** The epoch's learning rate. */
  learningRate: number;
  /** Wall-clock seconds of the epoch: training and both evaluations. */
  seconds: number;
}
