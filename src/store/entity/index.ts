import { ApiKeyEntity } from './api-key.entity';
import { ArchitectureExternalIdEntity } from './architecture-external-id.entity';
import { ArchitectureEntity } from './architecture.entity';
import { DatasetEntity } from './dataset.entity';
import { ImportBatchEntity } from './import-batch.entity';
import { PredictionEntity } from './prediction.entity';
import { PredictorEntity } from './predictor.entity';
import { ProtocolEntity } from './protocol.entity';
import { RecordScopeEntity } from './record-scope.entity';
import { ReleaseEntity } from './release.entity';
import { ReleasePublicationEntity } from './release-publication.entity';
import { RunCurveEntity } from './run-curve.entity';
import { RunEpochEntity } from './run-epoch.entity';
import { RunEntity } from './run.entity';
import { RunOriginEntity } from './run-origin.entity';
import { RunSeedMeanEntity } from './run-seed-mean.entity';
import { SearchEventEntity } from './search-event.entity';
import { SearchRunEntity } from './search-run.entity';
import { SearchSpaceEntity } from './search-space.entity';
import { SearchTrialEntity } from './search-trial.entity';
import { StoreGenerationEntity, StoreGenerationTouchEntity } from './store-generation.entity';
import { TrainingJobEntity } from './training-job.entity';

/** Every table and view of ours the data source maps (pg-boss's own schema is not ours and is not mapped). */
export const entities = [
  SearchSpaceEntity,
  DatasetEntity,
  ProtocolEntity,
  ArchitectureEntity,
  ArchitectureExternalIdEntity,
  ImportBatchEntity,
  ReleaseEntity,
  ReleasePublicationEntity,
  RunOriginEntity,
  RunEntity,
  RunCurveEntity,
  RunEpochEntity,
  RunSeedMeanEntity,
  RecordScopeEntity,
  ApiKeyEntity,
  PredictorEntity,
  PredictionEntity,
  TrainingJobEntity,
  SearchRunEntity,
  SearchTrialEntity,
  SearchEventEntity,
  StoreGenerationEntity,
  StoreGenerationTouchEntity,
];

export * from './api-key.entity';
export * from './architecture-external-id.entity';
export * from './architecture.entity';
export * from './dataset.entity';
export * from './import-batch.entity';
export * from './prediction.entity';
export * from './predictor.entity';
export * from './protocol.entity';
export * from './record-scope.entity';
export * from './release.entity';
export * from './release-publication.entity';
export * from './run-curve.entity';
export * from './run-epoch.entity';
export * from './run.entity';
export * from './run-origin.entity';
export * from './run-seed-mean.entity';
export * from './search-event.entity';
export * from './search-run.entity';
export * from './search-space.entity';
export * from './search-trial.entity';
export * from './training-job.entity';
