import { ApiKeyEntity } from './api-key.entity';
import { ArchitectureExternalIdEntity } from './architecture-external-id.entity';
import { ArchitectureEntity } from './architecture.entity';
import { DatasetEntity } from './dataset.entity';
import { ImportBatchEntity } from './import-batch.entity';
import { ReleaseEntity } from './release.entity';
import { ProtocolEntity } from './protocol.entity';
import { RunCurveEntity } from './run-curve.entity';
import { RunEntity } from './run.entity';
import { SearchSpaceEntity } from './search-space.entity';

/** Every entity the data source maps. */
export const entities = [
  SearchSpaceEntity,
  DatasetEntity,
  ImportBatchEntity,
  ProtocolEntity,
  ReleaseEntity,
  ArchitectureEntity,
  ArchitectureExternalIdEntity,
  RunEntity,
  RunCurveEntity,
  ApiKeyEntity,
  ImportBatchEntity,
  ReleaseEntity,
];

export {
  ApiKeyEntity,
  ArchitectureEntity,
  ArchitectureExternalIdEntity,
  DatasetEntity,
  ImportBatchEntity,
  ProtocolEntity,
  ReleaseEntity,
  RunEntity,
  RunCurveEntity,
  SearchSpaceEntity,
};
export * from './api-key.entity';
export * from './run.entity';
