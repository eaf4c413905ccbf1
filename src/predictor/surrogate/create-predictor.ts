import { EncodingKind, ErrorCode, NashubError, type SearchSpace } from '../../core';
import { EnsemblePredictor } from './ensemble-predictor';
import { createGnnNetwork } from './gnn-network';
import { createMlpNetwork } from './mlp-network';
import { NetworkPredictor } from './network-predictor';
import { PredictorKind, type Predictor } from './predictor';
import { RidgePredictor } from './ridge-predictor';

/** Options of {@link createPredictor}; defaults are what measured best on NB201 (README, "Surrogate predictors"). */
export interface CreatePredictorOptions {
  /** Kind, as in PredictorKind. */
  kind: string;
  /** Search space of the architectures. */
  space: SearchSpace;
  /** Members of an ENSEMBLE (default 5). */
  members?: number;
  /** Weight of the pairwise ranking loss of MLP/GNN against the MSE (default 1000: almost only ranking). */
  rankingWeight?: number;
  /** Adam steps of MLP/GNN (default 600). */
  steps?: number;
  /** Encoding of MLP and ENSEMBLE members: `onehot` or `path` (default path). */
  encoding?: typeof EncodingKind.ONEHOT | typeof EncodingKind.PATH;
}

/** The predictor of a kind, with the project's defaults; throws INVALID_ARGUMENT for an unknown kind. */
export function createPredictor(options: CreatePredictorOptions): Predictor {
  const training = { steps: options.steps ?? 600, batchSize: 64, learningRate: 3e-3, rankingWeight: options.rankingWeight ?? 1000 };
  const mlp = (): Predictor =>
    new NetworkPredictor({ kind: PredictorKind.MLP, space: options.space, encoding: options.encoding ?? EncodingKind.PATH, network: createMlpNetwork({ hidden: 64, layers: 2 }), ...training });
  switch (options.kind) {
    case PredictorKind.MLP:
      return mlp();
    case PredictorKind.GNN:
      return new NetworkPredictor({ kind: PredictorKind.GNN, space: options.space, encoding: EncodingKind.ADJACENCY, network: createGnnNetwork({ hidden: 32, layers: 3 }), ...training });
    case PredictorKind.ENSEMBLE:
      return new EnsemblePredictor({ members: Array.from({ length: options.members ?? 5 }, mlp) });
    case PredictorKind.LINEAR:
      return new RidgePredictor({ space: options.space, lambda: 1 });
    default:
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, `unknown predictor kind "${options.kind}"; known: ${Object.values(PredictorKind).join(', ')}`, {
        details: { kind: options.kind },
      });
  }
}
