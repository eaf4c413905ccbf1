import { ApiKeyEntity } from './api-key.entity';
import { ArchitectureExternalIdEntity } from './architecture-external-id.entity';
import { ArchitectureEntity } from './architecture.entity';
import { DatasetEntity } from './dataset.entity';
import { ProtocolEntity } from './protocol.entity';
import { RunEpochEntity } from './run-epoch.entity';
import { RunEntity } from './run.entity';
import { SearchSpaceEntity } from './search-space.entity';

/** Every entity the data source maps. */
export const entities = [
  SearchSpaceEntity,
  DatasetEntity,
  ProtocolEntity,
  ArchitectureEntity,
  ArchitectureExternalIdEntity,
  RunEntity,
  RunEpochEntity,
  ApiKeyEntity,
];

export {
  ApiKeyEntity,
  ArchitectureEntity,
  ArchitectureExternalIdEntity,
  DatasetEntity,
  ProtocolEntity,
  RunEntity,
  RunEpochEntity,
  SearchSpaceEntity,
};
export * from './api-key.entity';
export * from './run.entity';
