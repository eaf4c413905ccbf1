import { z } from 'zod';
import { ErrorCode, getSpace, NashubError, parseWithSchema, schemaError, type EncodingKindValue } from '../../core';
import type { CurveForecast } from './curve-forecast';
import { CurveScale, type CurveScaleValue } from './curve-scale';
import type { ExtrapolationMethodValue } from './extrapolation-method';
import type { Extrapolator } from './extrapolator';
import {
  restoreLearnedExtrapolator,
  type LearnedExtrapolator,
  type LearnedExtrapolatorState,
} from './learned-extrapolator-state';
import type { SurrogatePrior } from './surrogate-prior';

/** Format tag of a {@link CurveExtrapolatorState}. */
export const CURVE_EXTRAPOLATOR_FORMAT = 'nashub.lce.curve-extrapolator';
/** Version of the {@link CurveExtrapolatorState} layout. */
export const CURVE_EXTRAPOLATOR_VERSION = 1;

/** What a stored curve extrapolator (a predictor row of kind `LCE`) holds: plain JSON. */
export interface CurveExtrapolatorState {
  /** Always {@link CURVE_EXTRAPOLATOR_FORMAT}. */
  format: typeof CURVE_EXTRAPOLATOR_FORMAT;
  /** Always {@link CURVE_EXTRAPOLATOR_VERSION}. */
  version: typeof CURVE_EXTRAPOLATOR_VERSION;
  /** Scale of the training curves, and of forecasts unless a forecast asks for another. */
  scale: CurveScaleValue;
  /** Search space the architecture strings are parsed in, null when trained without architectures. */
  space: string | null;
  /** Encoding of the architectures (e.g. `onehot`), null when trained without architectures. */
  encoding: EncodingKindValue | null;
  /** Number of training curves. */
  trainingCurves: number;
  /** Epochs of the training curves (their schedule's length). */
  epochs: number;
  /** The model on the curve alone, used when a forecast names no architecture. */
  curveOnly: LearnedExtrapolatorState;
  /** The model on curve plus architecture (KERNEL_RIDGE_ARCH), or null. */
  withArchitecture: LearnedExtrapolatorState | null;
  /** The model on curve plus a surrogate's prior of the final value (KERNEL_RIDGE_SURROGATE), or null; absent in states stored before it existed. */
  withSurrogate?: LearnedExtrapolatorState | null;
}

/** Options of {@link CurveExtrapolator.forecast}. */
export interface CurveExtrapolatorForecastOptions {
  /** Architecture string of the run, in the model's space; without it the curve-only model answers. */
  arch?: string;
  /** Scale of the partial curve, of `prior` and of the forecast (default the training curves' scale). */
  scale?: CurveScaleValue;
  /** A surrogate's prediction of the run's final value; with it (and a model trained with priors) the curve-plus-surrogate model answers. */
  prior?: SurrogatePrior;
  /** The run's training-accuracy curve over the observed epochs, in `scale`; required when fitted with `useTrainCurve` (see {@link usesTrainCurve}). */
  trainCurve?: readonly number[];
}

const STATE_ERROR = {
  code: ErrorCode.INVALID_ARGUMENT,
  what: 'stored curve extrapolator',
  details: { argument: 'state' },
} as const;

/** A {@link CurveExtrapolatorState} field by field; the models inside are checked when they are restored. */
const curveExtrapolatorStateSchema = z.object({
  format: z.literal(CURVE_EXTRAPOLATOR_FORMAT),
  version: z.literal(CURVE_EXTRAPOLATOR_VERSION),
  scale: z.enum(CurveScale),
  space: z.string().nullable(),
  encoding: z.string().nullable(),
  trainingCurves: z.number().int(),
  epochs: z.number().int(),
  curveOnly: z.unknown(),
  /** Null when trained without architectures (never absent). */
  withArchitecture: z.custom<unknown>((model) => model !== undefined, { error: 'must be a model or null' }),
  withSurrogate: z.unknown().optional(),
});

function invalidState(reason: string, field = ''): NashubError {
  return schemaError(STATE_ERROR, { field, message: reason });
}

/**
 * A trained learned extrapolator for one (space, dataset, protocol), addressed by architecture strings, that can be
 * stored (`toJSON()` / `save()`) and restored (`CurveExtrapolator.fromJSON` / `CurveExtrapolator.load`) with
 * identical forecasts. Made by {@link fitCurveExtrapolator}.
 */
export class CurveExtrapolator {
  private readonly curveOnly: LearnedExtrapolator;
  private readonly withArchitecture: LearnedExtrapolator | null;
  private readonly withSurrogate: LearnedExtrapolator | null;

  private constructor(private readonly state: CurveExtrapolatorState) {
    this.curveOnly = restoreLearnedExtrapolator(state.curveOnly, 'curveOnly');
    this.withArchitecture =
      state.withArchitecture === null ? null : restoreLearnedExtrapolator(state.withArchitecture, 'withArchitecture');
    this.withSurrogate =
      state.withSurrogate === undefined || state.withSurrogate === null
        ? null
        : restoreLearnedExtrapolator(state.withSurrogate, 'withSurrogate');
    const curveOnly = this.curveOnly.toJSON();
    if (curveOnly.encodingLength !== 0 || curveOnly.usesPrior === true)
      throw invalidState('the curve-only model uses an encoding or a prior', 'curveOnly');
    const trainCurve = curveOnly.usesTrainCurve === true;
    if (
      [this.withArchitecture, this.withSurrogate].some(
        (m) => m !== null && (m.toJSON().usesTrainCurve === true) !== trainCurve,
      )
    )
      throw invalidState('models disagree on usesTrainCurve', 'curveOnly.usesTrainCurve');
    if (
      this.withSurrogate !== null &&
      (this.withSurrogate.toJSON().usesPrior !== true || this.withSurrogate.toJSON().encodingLength !== 0)
    ) {
      throw invalidState('the surrogate model must use a prior and no encoding', 'withSurrogate');
    }
  }

  /** A curve extrapolator from its {@link CurveExtrapolatorState} (e.g. JSON.parse of a stored one); INVALID_ARGUMENT when malformed. */
  static fromJSON(value: unknown): CurveExtrapolator {
    const s = parseWithSchema(curveExtrapolatorStateSchema, value, STATE_ERROR);
    const hasArchitecture = s.withArchitecture !== null;
    if (hasArchitecture !== (s.space !== null && s.encoding !== null))
      throw invalidState('space and encoding must be given exactly with an architecture model', 'space');
    if (!hasArchitecture && (s.space !== null || s.encoding !== null))
      throw invalidState('space, encoding and withArchitecture must be null together', 'space');
    // The state itself, not the schema's copy: save() writes it again byte for byte.
    return new CurveExtrapolator(value as CurveExtrapolatorState);
  }

  /** A curve extrapolator from the bytes of {@link CurveExtrapolator.save}; INVALID_ARGUMENT when they are not one. */
  static load(bytes: Uint8Array): CurveExtrapolator {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (cause) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'not a stored curve extrapolator: not UTF-8 JSON', {
        details: { argument: 'state', reason: 'not UTF-8 JSON' },
        cause,
      });
    }
    return CurveExtrapolator.fromJSON(value);
  }

  /** The trained numbers as plain JSON (what `fromJSON` takes). */
  toJSON(): CurveExtrapolatorState {
    return this.state;
  }

  /** UTF-8 JSON of {@link toJSON}, for a `bytea` column; JSON keeps every double exactly, so forecasts survive unchanged. */
  save(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.state));
  }

  /** How forecasts with an architecture are made (KERNEL_RIDGE_ARCH when trained with architectures, else the curve-only method). */
  get method(): ExtrapolationMethodValue {
    return (this.withArchitecture ?? this.curveOnly).method;
  }

  /** Whether forecasts use a surrogate's prior when one is given. */
  get usesSurrogatePrior(): boolean {
    return this.withSurrogate !== null;
  }

  /** Whether forecasts need the run's training-accuracy curve (`trainCurve`). */
  get usesTrainCurve(): boolean {
    return this.curveOnly.toJSON().usesTrainCurve === true;
  }

  /** Whether forecasts use the architecture when one is given. */
  get usesArchitecture(): boolean {
    return this.withArchitecture !== null;
  }

  /** Scale of the training curves (the default scale of forecasts). */
  get scale(): CurveScaleValue {
    return this.state.scale;
  }

  /**
   * Forecast of a partial curve (value i is epoch i + 1) at `targetEpoch`: `{ mean, q05, q50, q95, method }` as the
   * GraphQL `extrapolate` returns it. With `prior` (and a model trained with priors) the curve-plus-surrogate model
   * answers; else with `arch` (and a model trained with architectures) the curve-plus-architecture one; otherwise the
   * curve-only one. Bad curves throw INVALID_CURVE / LIMIT_EXCEEDED, a bad architecture INVALID_ARCHITECTURE, a bad
   * prior INVALID_ARGUMENT.
   */
  forecast(
    partialCurve: readonly number[],
    targetEpoch: number,
    options: CurveExtrapolatorForecastOptions = {},
  ): CurveForecast {
    const { extrapolator, encoding, prior } = this.resolve(options.arch, options.prior);
    return extrapolator.forecast(partialCurve, {
      targetEpoch,
      scale: options.scale ?? this.state.scale,
      encoding,
      prior,
      trainCurve: options.trainCurve,
    });
  }

  /**
   * The {@link Extrapolator} that forecasts for runs of `arch` with `prior` (or for any run without them), e.g. for
   * `shouldStop`; `prior` is in the forecasts' scale, and the forecasts' `trainCurve` is passed through.
   */
  extrapolatorFor(arch?: string, prior?: SurrogatePrior): Extrapolator {
    const resolved = this.resolve(arch, prior);
    const { extrapolator, encoding } = resolved;
    return {
      method: extrapolator.method,
      forecast: (curve, options) => extrapolator.forecast(curve, { ...options, encoding, prior: resolved.prior }),
    };
  }

  private resolve(
    arch: string | undefined,
    prior: SurrogatePrior | undefined,
  ): { extrapolator: LearnedExtrapolator; encoding: number[] | undefined; prior: SurrogatePrior | undefined } {
    if (prior !== undefined && this.withSurrogate !== null)
      return { extrapolator: this.withSurrogate, encoding: undefined, prior };
    if (arch === undefined || this.withArchitecture === null)
      return { extrapolator: this.curveOnly, encoding: undefined, prior: undefined };
    return {
      extrapolator: this.withArchitecture,
      encoding: encodeArchitecture(this.state.space!, this.state.encoding!, arch),
      prior: undefined,
    };
  }
}

/** The vector encoding of an architecture string; INVALID_ARCHITECTURE / UNKNOWN_SPACE from the space, INVALID_ARGUMENT for a graph encoding. */
export function encodeArchitecture(spaceName: string, kind: EncodingKindValue, arch: string): number[] {
  const space = getSpace(spaceName);
  const encoding = space.encode(space.parse(arch), kind);
  if (!('vector' in encoding)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `encoding ${kind} is not a vector`, {
      details: { argument: 'encoding', encoding: kind },
    });
  }
  return [...encoding.vector];
}
