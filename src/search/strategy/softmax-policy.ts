import type { Rng } from '../../core';

/** Options of {@link SoftmaxPolicy}. */
export interface SoftmaxPolicyOptions {
  /** Number of choices of each decision. */
  sizes: readonly number[];
  /** Draws the initial logits and every sample. */
  rng: Rng;
  /** Adam's step size. */
  learningRate: number;
}

// torch.optim.Adam's defaults, which NAS-Bench-201's script uses.
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/**
 * Independent softmax distributions over each decision's choices, trained by Adam on the REINFORCE loss
 * −advantage · log π(a). The gradient of log softmax at the chosen index is onehot(a) − p, so no autodiff is needed.
 */
export class SoftmaxPolicy {
  private readonly logits: Float64Array[];
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private step = 0;

  constructor(private readonly options: SoftmaxPolicyOptions) {
    const { rng } = options;
    // 1e-3 · N(0, 1) as the script's `1e-3 * torch.randn(...)`; Box–Muller from two uniforms.
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    this.logits = options.sizes.map((size) => Float64Array.from({ length: size }, () => 1e-3 * normal()));
    this.m = options.sizes.map((size) => new Float64Array(size));
    this.v = options.sizes.map((size) => new Float64Array(size));
  }

  /** One choice per decision, drawn from the current probabilities. */
  sample(): number[] {
    return this.logits.map((row) => {
      const p = softmax(row);
      let u = this.options.rng.next();
      for (let k = 0; k < p.length - 1; k++) {
        if (u < p[k]) return k;
        u -= p[k];
      }
      return p.length - 1;
    });
  }

  /** The most likely choice of each decision (the first of equals). */
  argmax(): number[] {
    return this.logits.map((row) => row.reduce((best, x, k) => (x > row[best] ? k : best), 0));
  }

  /** The probabilities of each decision's choices. */
  probabilities(): number[][] {
    return this.logits.map((row) => Array.from(softmax(row)));
  }

  /** One Adam step on −advantage · Σ log π(decision). */
  reinforce(decisions: readonly number[], advantage: number): void {
    this.step++;
    const correction1 = 1 - BETA1 ** this.step;
    const correction2 = 1 - BETA2 ** this.step;
    this.logits.forEach((row, d) => {
      const p = softmax(row);
      const [m, v] = [this.m[d], this.v[d]];
      for (let k = 0; k < row.length; k++) {
        const gradient = -advantage * ((k === decisions[d] ? 1 : 0) - p[k]);
        m[k] = BETA1 * m[k] + (1 - BETA1) * gradient;
        v[k] = BETA2 * v[k] + (1 - BETA2) * gradient * gradient;
        row[k] -= (this.options.learningRate * (m[k] / correction1)) / (Math.sqrt(v[k] / correction2) + EPSILON);
      }
    });
  }
}

function softmax(row: Float64Array): Float64Array {
  const max = Math.max(...row);
  const e = row.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}
