import * as tf from '@tensorflow/tfjs';
import { FusedKernel, fusedKernelsActive } from '../webgpu/fused-kernels';

/** Options of {@link SgdOptimizer}. */
export interface SgdOptimizerOptions {
  /** The variables it updates, by name (the names key the momentum slots in checkpoints). */
  parameters: Map<string, tf.Variable>;
  /** Momentum factor; 0 is plain SGD. */
  momentum: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** L2 weight decay added to each gradient. */
  weightDecay: number;
}

/**
 * SGD with (Nesterov) momentum and weight decay, step for step PyTorch's `torch.optim.SGD` (dampening 0):
 *   g ← ∇ + λ·w;  b ← μ·b + g;  d ← nesterov ? g + μ·b : b;  w ← w − lr·d.
 * Porting note: tfjs's MomentumOptimizer has no weight decay and keeps its slots private, and both are needed here
 * (NAS-Bench-201 trains with decay 5e-4; slots go into checkpoints). A parameter without a gradient (a cell node
 * that does not reach the output) is skipped, as PyTorch skips `grad is None`.
 */
export class SgdOptimizer {
  /** Momentum buffers, by parameter name; zeros until a parameter's first step. */
  readonly slots = new Map<string, tf.Variable>();
  private readonly options: SgdOptimizerOptions;

  constructor(options: SgdOptimizerOptions) {
    this.options = options;
    for (const [name, variable] of options.parameters)
      this.slots.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      );
  }

  /** Applies one step with gradients keyed by parameter name. */
  step(gradients: Map<string, tf.Tensor>, learningRate: number): void {
    const { momentum, nesterov, weightDecay } = this.options;
    if (momentum !== 0 && fusedKernelsActive()) {
      this.fusedStep(gradients, learningRate);
      return;
    }
    tf.tidy(() => {
      for (const [name, grad] of gradients) {
        const weights = this.options.parameters.get(name)!;
        const slot = this.slots.get(name)!;
        const g = weightDecay === 0 ? grad : tf.add(grad, tf.mul(weights, weightDecay));
        let direction = g;
        if (momentum !== 0) {
          const buffer = tf.add(tf.mul(slot, momentum), g);
          slot.assign(buffer);
          direction = nesterov ? tf.add(g, tf.mul(buffer, momentum)) : buffer;
        }
        weights.assign(tf.sub(weights, tf.mul(direction, learningRate)));
      }
    });
  }

  /** The same step in two webgpu dispatches per parameter (webgpu/fused-kernels): slot, then weights. */
  private fusedStep(gradients: Map<string, tf.Tensor>, learningRate: number): void {
    const { momentum, nesterov, weightDecay } = this.options;
    tf.tidy(() => {
      for (const [name, grad] of gradients) {
        const weight = this.options.parameters.get(name)!;
        const slot = this.slots.get(name)!;
        const buffer = tf
          .engine()
          .runKernel(FusedKernel.SGD_SLOT, { grad, weight, slot }, { momentum, weightDecay }) as tf.Tensor;
        slot.assign(buffer);
        weight.assign(
          tf
            .engine()
            .runKernel(
              FusedKernel.SGD_WEIGHTS,
              { grad, weight, slot: buffer },
              { learningRate, momentum, weightDecay, nesterov },
            ) as tf.Tensor,
        );
      }
    });
  }

  /** Frees the momentum buffers. */
  dispose(): void {
    for (const slot of this.slots.values()) slot.dispose();
  }
}
