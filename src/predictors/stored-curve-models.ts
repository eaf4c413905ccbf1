import { z } from 'zod';
import { ErrorCode, NashubError, parseWithSchema } from '../core';
import { CurveExtrapolator, type CurveExtrapolatorForecastOptions, type CurveForecast } from '../predictor/lce';

const FORMAT = 'nashub.lce.stored';
const VERSION = 1;

/** The envelope {@link StoredCurveModels.save} writes; each extrapolator inside is checked by `CurveExtrapolator.fromJSON`. */
const storedCurveModelsSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  curveOnly: z.unknown(),
  withTrainCurve: z.unknown().optional(),
});

/** What a forecast of a stored LCE predictor made, and whether the training-accuracy channel was used. */
export interface StoredCurveForecast extends CurveForecast {
  usedTrainCurve: boolean;
}

/**
 * The weights of an LCE predictor row: the curve extrapolator fitted with the training-accuracy curve as a second
 * channel (measured best by `bench lce`: MAE 1.19, tau 0.85 at 20% of NB201's schedule) when the stored curves have
 * it, and one on the metric's curve alone, which serves callers that send no training curve.
 */
export class StoredCurveModels {
  constructor(
    readonly curveOnly: CurveExtrapolator,
    readonly withTrainCurve: CurveExtrapolator | null,
  ) {}

  /** The model a forecast uses: with the training curve when one is given and a model for it exists. */
  forecast(
    partialCurve: readonly number[],
    targetEpoch: number,
    options: CurveExtrapolatorForecastOptions,
  ): StoredCurveForecast {
    if (options.trainCurve && this.withTrainCurve) {
      return { ...this.withTrainCurve.forecast(partialCurve, targetEpoch, options), usedTrainCurve: true };
    }
    return {
      ...this.curveOnly.forecast(partialCurve, targetEpoch, { ...options, trainCurve: undefined }),
      usedTrainCurve: false,
    };
  }

  save(): Uint8Array {
    return new TextEncoder().encode(
      JSON.stringify({
        format: FORMAT,
        version: VERSION,
        curveOnly: this.curveOnly.toJSON(),
        withTrainCurve: this.withTrainCurve?.toJSON() ?? null,
      }),
    );
  }

  /** From {@link save}'s bytes; INVALID_ARGUMENT when they are not such a blob. */
  static load(bytes: Uint8Array): StoredCurveModels {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (cause) {
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `not stored curve models: ${(cause as Error).message}`, {
        details: { argument: 'weights' },
        cause,
      });
    }
    const stored = parseWithSchema(storedCurveModelsSchema, value, {
      code: ErrorCode.INVALID_ARGUMENT,
      what: 'stored curve models',
      details: { argument: 'weights' },
    });
    return new StoredCurveModels(
      CurveExtrapolator.fromJSON(stored.curveOnly),
      stored.withTrainCurve == null ? null : CurveExtrapolator.fromJSON(stored.withTrainCurve),
    );
  }
}
