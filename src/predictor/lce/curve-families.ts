import { ErrorCode, NashubError } from '../../core';
import type { CurveFamily, CurveSummary } from './curve-family';

/*
 * The eight families of Domhan et al. (2015) that the issue names, on accuracy as a fraction in [0, 1] and epochs
 * x = 1, 2, ... Bounds keep each family increasing and saturating below 1 (where its form allows it), which is the
 * prior Domhan et al. impose by rejecting MCMC samples; here it is a box for the least-squares fit. Each family has an
 * analytic gradient (checked against finite differences in the tests): the fit spends most of its time there.
 */

const ceiling = (c: CurveSummary, margin: number): number => Math.min(1, Math.max(c.best, c.last) + margin);
const positiveGap = (value: number): number => Math.max(value, 1e-3);

/** c − a·x^(−α); p = [c, a, α]. */
const pow3: CurveFamily = {
  name: 'pow3',
  params: ['c', 'a', 'alpha'],
  lower: [0, 0, 0.01],
  upper: [1, 2, 3],
  value: (x, p) => p[0]! - p[1]! * Math.pow(x, -p[2]!),
  gradient(x, p, g) {
    const power = Math.pow(x, -p[2]!);
    g[0] = 1;
    g[1] = -power;
    g[2] = p[1]! * power * Math.log(x);
    return p[0]! - p[1]! * power;
  },
  starts: (s) => [
    [ceiling(s, 0.02), positiveGap(ceiling(s, 0.02) - s.first), 0.5],
    [ceiling(s, 0.15), positiveGap(ceiling(s, 0.15) - s.first), 0.3],
  ],
};

/** ln(a·ln x + b); p = [a, b]. */
const logLogLinear: CurveFamily = {
  name: 'log_log_linear',
  params: ['a', 'b'],
  lower: [0, 1e-6],
  upper: [20, Math.E],
  value: (x, p) => Math.log(p[0]! * Math.log(x) + p[1]!),
  gradient(x, p, g) {
    const lx = Math.log(x);
    const u = p[0]! * lx + p[1]!;
    g[0] = lx / u;
    g[1] = 1 / u;
    return Math.log(u);
  },
  starts: (s) => {
    const b = Math.exp(s.first);
    const a = s.length > 1 ? Math.max(0, (Math.exp(s.last) - b) / Math.log(s.length)) : 0.1;
    return [[a, b]];
  },
};

function sigmoidalStarts(s: CurveSummary): number[][] {
  const alpha = ceiling(s, 0.02);
  const beta = Math.max(0, Math.min(s.first, alpha) * 0.9);
  return [
    [alpha, beta, 3 / Math.max(2, s.length), 1],
    [ceiling(s, 0.15), beta, 1 / Math.max(2, s.length), 0.6],
  ];
}

const SIGMOIDAL = {
  params: ['alpha', 'beta', 'kappa', 'delta'],
  lower: [0, 0, 1e-6, 0.05],
  upper: [1, 1, 10, 5],
  starts: sigmoidalStarts,
};

/** α − (α − β)·exp(−κ·x^δ); p = [α, β, κ, δ]. */
const janoschek: CurveFamily = {
  name: 'janoschek',
  ...SIGMOIDAL,
  value: (x, p) => p[0]! - (p[0]! - p[1]!) * Math.exp(-p[2]! * Math.pow(x, p[3]!)),
  gradient(x, p, g) {
    const xd = Math.pow(x, p[3]!);
    const e = Math.exp(-p[2]! * xd);
    const span = p[0]! - p[1]!;
    g[0] = 1 - e;
    g[1] = e;
    g[2] = span * e * xd;
    g[3] = span * e * p[2]! * xd * Math.log(x);
    return p[0]! - span * e;
  },
};

/** α − (α − β) / (1 + (κx)^δ); p = [α, β, κ, δ] (Morgan–Mercer–Flodin). */
const mmf: CurveFamily = {
  name: 'mmf',
  ...SIGMOIDAL,
  value: (x, p) => p[0]! - (p[0]! - p[1]!) / (1 + Math.pow(p[2]! * x, p[3]!)),
  gradient(x, p, g) {
    const power = Math.pow(p[2]! * x, p[3]!);
    const d = 1 + power;
    const span = p[0]! - p[1]!;
    g[0] = 1 - 1 / d;
    g[1] = 1 / d;
    g[2] = (span * p[3]! * power) / (p[2]! * d * d);
    g[3] = (span * power * Math.log(p[2]! * x)) / (d * d);
    return p[0]! - span / d;
  },
};

/** α − (α − β)·exp(−(κx)^δ); p = [α, β, κ, δ]. */
const weibull: CurveFamily = {
  name: 'weibull',
  ...SIGMOIDAL,
  value: (x, p) => p[0]! - (p[0]! - p[1]!) * Math.exp(-Math.pow(p[2]! * x, p[3]!)),
  gradient(x, p, g) {
    const power = Math.pow(p[2]! * x, p[3]!);
    const e = Math.exp(-power);
    const span = p[0]! - p[1]!;
    g[0] = 1 - e;
    g[1] = e;
    g[2] = (span * e * p[3]! * power) / p[2]!;
    g[3] = span * e * power * Math.log(p[2]! * x);
    return p[0]! - span * e;
  },
};

/** exp(a + b/x + c·ln x); p = [a, b, c]. */
const vapourPressure: CurveFamily = {
  name: 'vapor_pressure',
  params: ['a', 'b', 'c'],
  lower: [-10, -10, -1],
  upper: [2, 0, 1],
  value: (x, p) => Math.exp(p[0]! + p[1]! / x + p[2]! * Math.log(x)),
  gradient(x, p, g) {
    const lx = Math.log(x);
    const f = Math.exp(p[0]! + p[1]! / x + p[2]! * lx);
    g[0] = f;
    g[1] = f / x;
    g[2] = f * lx;
    return f;
  },
  starts: (s) => {
    const a = Math.log(positiveGap(ceiling(s, 0.02)));
    return [[a, Math.min(0, Math.log(positiveGap(s.first)) - a), 0]];
  },
};

/** c − a / ln(x + 1); p = [c, a] (ln(x + 1) rather than ln x, which is 0 at the first epoch). */
const ilog2: CurveFamily = {
  name: 'ilog2',
  params: ['c', 'a'],
  lower: [0, 0],
  upper: [1, 5],
  value: (x, p) => p[0]! - p[1]! / Math.log(x + 1),
  gradient(x, p, g) {
    const inverse = 1 / Math.log(x + 1);
    g[0] = 1;
    g[1] = -inverse;
    return p[0]! - p[1]! * inverse;
  },
  starts: (s) => {
    const c = ceiling(s, 0.1);
    return [[c, positiveGap(c - s.first) * Math.LN2]];
  },
};

/** c − exp(−a·x^α + b); p = [c, a, b, α]. */
const exp4: CurveFamily = {
  name: 'exp4',
  params: ['c', 'a', 'b', 'alpha'],
  lower: [0, 0, -10, 0.01],
  upper: [1, 10, 5, 2],
  value: (x, p) => p[0]! - Math.exp(-p[1]! * Math.pow(x, p[3]!) + p[2]!),
  gradient(x, p, g) {
    const xa = Math.pow(x, p[3]!);
    const e = Math.exp(-p[1]! * xa + p[2]!);
    g[0] = 1;
    g[1] = e * xa;
    g[2] = -e;
    g[3] = e * p[1]! * xa * Math.log(x);
    return p[0]! - e;
  },
  starts: (s) => {
    const c = ceiling(s, 0.02);
    const a = 3 / Math.max(2, s.length);
    return [
      [c, a, Math.log(positiveGap(c - s.first)) + a, 1],
      [c, 1, Math.log(positiveGap(c - s.first)) + 1, 0.3],
    ];
  },
};

/** The parametric families of the ensemble, in Domhan et al.'s order. */
export const CURVE_FAMILIES: readonly CurveFamily[] = [
  pow3,
  logLogLinear,
  janoschek,
  mmf,
  weibull,
  vapourPressure,
  ilog2,
  exp4,
];

/** The family with this name; INVALID_ARGUMENT for an unknown one. */
export function getCurveFamily(name: string): CurveFamily {
  const family = CURVE_FAMILIES.find((f) => f.name === name);
  if (!family) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `unknown curve family "${name}"`, {
      details: { family: name, known: CURVE_FAMILIES.map((f) => f.name) },
    });
  }
  return family;
}
