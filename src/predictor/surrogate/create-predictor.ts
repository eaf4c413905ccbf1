import { EncodingKind, ErrorCode, NashubError, type SearchSpace } from '../../core';
import {
  EnsemblePredictor,
  EnsembleResample,
  EnsembleUncertainty,
  type EnsembleResampleValue,
  type EnsembleUncertaintyValue,
} from './ensemble-predictor';
import { createGnnNetwork } from './gnn-network';
import { createMlpNetwork } from './mlp-network';
import { NetworkPredictor } from './network-predictor';
import { PredictorKind, type Predictor } from './predictor';
import { RidgePredictor } from './ridge-predictor';
import { SemiPredictor } from './semi-predictor';

/** Width of the MLPs' hidden layers. */
const MLP_HIDDEN = 64;

/** Options of {@link createPredictor}; defaults are what measured best on NB201 (README, "Surrogate predictors"). */
export interface CreatePredictorOptions {
  /** Kind, as in PredictorKind. */
  kind: string;
  /** Search space of the architectures. */
  space: SearchSpace;
  /** Members of an ENSEMBLE, and of SEMI's teacher and student (default 5). */
  members?: number;
  /** Weight of the pairwise ranking loss of MLP/GNN against the MSE (default 1000: almost only ranking). */
  rankingWeight?: number;
  /** Adam steps of MLP/GNN (default 600). */
  steps?: number;
  /** Encoding of MLP, ENSEMBLE and SEMI members: `onehot` or `path` (default path where the space has it, as NB201 and NB101; else onehot, as DARTS). */
  encoding?: typeof EncodingKind.ONEHOT | typeof EncodingKind.PATH;
  /** ENSEMBLE/SEMI: which labelled records each member trains on (default none: all of them). */
  resample?: EnsembleResampleValue;
  /** ENSEMBLE/SEMI: isotonic map from the members' mean to the targets (default true). */
  isotonic?: boolean;
  /** ENSEMBLE/SEMI: what `std` reports (default spread, on the isotonic-mapped scale). */
  uncertainty?: EnsembleUncertaintyValue;
  /** SEMI: unlabelled architectures asked for (default 15,625, all of NB201). */
  unlabelled?: number;
  /** SEMI: pseudo-labelled records per labelled record in the student's training set (default 0: no self-training, which measured worse). */
  pseudoPerLabelled?: number;
  /** SEMI: Adam steps of pre-training on the unlabelled architectures' parameter counts (default 600; 0: none). */
  pretrainSteps?: number;
  /** SEMI: Adam steps of an auto-encoder on the unlabelled architectures that starts the members' first layer (default 0: none). */
  autoencoderSteps?: number;
}

/** The predictor of a kind, with the project's defaults; throws INVALID_ARGUMENT for an unknown kind. */
export function createPredictor(options: CreatePredictorOptions): Predictor {
  const training = {
    steps: options.steps ?? 600,
    batchSize: 64,
    learningRate: 3e-3,
    rankingWeight: options.rankingWeight ?? 1000,
  };
  const encoding =
    options.encoding ?? (options.space.encodings.includes(EncodingKind.PATH) ? EncodingKind.PATH : EncodingKind.ONEHOT);
  const mlp = (): NetworkPredictor =>
    new NetworkPredictor({
      kind: PredictorKind.MLP,
      space: options.space,
      encoding,
      network: createMlpNetwork({ hidden: MLP_HIDDEN, layers: 2 }),
      ...training,
    });
  const ensemble = (): EnsemblePredictor =>
    new EnsemblePredictor({
      members: Array.from({ length: options.members ?? 5 }, mlp),
      resample: options.resample ?? EnsembleResample.NONE,
      isotonic: options.isotonic ?? true,
      uncertainty: options.uncertainty ?? EnsembleUncertainty.SPREAD,
    });
  switch (options.kind) {
    case PredictorKind.MLP:
      return mlp();
    case PredictorKind.GNN:
      return new NetworkPredictor({
        kind: PredictorKind.GNN,
        space: options.space,
        encoding: EncodingKind.ADJACENCY,
        network: createGnnNetwork({ hidden: 32, layers: 3 }),
        ...training,
      });
    case PredictorKind.ENSEMBLE:
      return ensemble();
    case PredictorKind.SEMI:
      return new SemiPredictor({
        space: options.space,
        createTeacher: ensemble,
        student: ensemble(),
        unlabelled: options.unlabelled ?? 15625,
        pseudoPerLabelled: options.pseudoPerLabelled ?? 0,
        pretrainSteps: options.pretrainSteps ?? 600,
        autoencoderSteps: options.autoencoderSteps ?? 0,
        hidden: MLP_HIDDEN,
      });
    case PredictorKind.LINEAR:
      return new RidgePredictor({ space: options.space, lambda: 1 });
    default:
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `unknown predictor kind "${options.kind}"; known: ${Object.values(PredictorKind).join(', ')}`,
        {
          details: { kind: options.kind },
        },
      );
  }
}
