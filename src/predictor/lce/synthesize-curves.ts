import type { Rng } from '../../core';
import { gaussianDraw } from './math/gaussian-draw';
import { logit, sigmoid } from './math/logit';
import { principalComponents } from './math/principal-components';

/** Options of {@link synthesizeCurves}. */
export interface SynthesizeCurvesOptions {
  /** Complete curves of one protocol, as fractions, all of one length (the prior is fitted to them). At least 2. */
  curves: readonly (readonly number[])[];
  /** Synthetic curves to draw per given curve. */
  perCurve: number;
  /** Principal components of the logit curves that the perturbations move along (at most curves − 1). */
  components: number;
  /** Perturbation size: the standard deviation of each component's coefficient, as a share of its spread over the curves. */
  bandwidth: number;
  /** Source of the draws. */
  rng: Rng;
}

/** A synthetic curve and the index of the stored curve it was drawn around (so it can inherit its architecture and fold). */
export interface SyntheticCurve {
  /** Values as fractions, as long as the given curves. */
  curve: number[];
  /** Index of the parent curve in `options.curves`. */
  parent: number;
}

/**
 * Draws synthetic curves from a prior fitted to stored curves, in the spirit of LC-PFN (Adriaensen et al., NeurIPS
 * 2023), which trains its extrapolator on curves sampled from a prior instead of on the few real ones. The prior here is
 * a kernel density over the curves' principal-component coefficients on the logit scale: each synthetic curve is a stored
 * curve moved along the leading components by a Gaussian step (`bandwidth` × each component's spread), so it keeps
 * its parent's epoch-to-epoch noise and its schedule (a cosine schedule's late rise is in every component) while its
 * level, speed and final value change together the way they vary across the stored curves.
 */
export function synthesizeCurves(options: SynthesizeCurvesOptions): SyntheticCurve[] {
  const logits = options.curves.map((curve) => curve.map(logit));
  const pca = principalComponents({ rows: logits, count: Math.min(options.components, logits.length - 1) });
  const out: SyntheticCurve[] = [];
  logits.forEach((parent, index) => {
    for (let s = 0; s < options.perCurve; s++) {
      const z = parent.slice();
      pca.components.forEach((component, k) => {
        const step = options.bandwidth * pca.spreads[k]! * gaussianDraw(options.rng);
        for (let t = 0; t < z.length; t++) z[t] = z[t]! + step * component[t]!;
      });
      out.push({ curve: z.map(sigmoid), parent: index });
    }
  });
  return out;
}
