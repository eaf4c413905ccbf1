import { ErrorCode, NashubError } from '../core';
import { defaultProtocol, type DatasetRow, type ProtocolRow } from '../store/catalog/catalog';
import type { CatalogSource } from './catalog-source';
import { findDataset, findProtocol } from './find-names';

/** A dataset and protocol resolved from names, with the epoch to read. */
export interface RecordTarget {
  dataset: DatasetRow;
  protocol: ProtocolRow;
  epoch: number;
}

/** What {@link resolveRecordTarget} resolves. */
export interface RecordTargetArgs {
  /** The space whose records are read: chooses the default protocol (null: records of any space). */
  space: string | null;
  dataset: string;
  protocol?: string | null;
  epoch?: number | null;
}

/**
 * Resolves names to rows: UNKNOWN_DATASET / UNKNOWN_PROTOCOL for names not stored. Without a protocol, the dataset's
 * default ({@link defaultProtocol}: full budget among the protocols with records in the space); without an epoch,
 * the protocol's last.
 */
export async function resolveRecordTarget(source: CatalogSource, args: RecordTargetArgs): Promise<RecordTarget> {
  const dataset = await findDataset(source, args.dataset);
  let protocol: ProtocolRow | undefined;
  if (args.protocol !== undefined && args.protocol !== null) {
    protocol = await findProtocol(source, args.protocol);
  } else {
    protocol = defaultProtocol(await source.get(), { space: args.space, datasetId: dataset.id });
    if (!protocol) throw new NashubError(ErrorCode.UNKNOWN_PROTOCOL, 'no protocol is stored yet', { details: {} });
  }
  const epoch = args.epoch ?? protocol.epochs;
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > protocol.epochs) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `epoch must be in 1..${protocol.epochs} for protocol ${protocol.name}, got ${epoch}`,
      {
        details: { argument: 'epoch', max: protocol.epochs },
      },
    );
  }
  return { dataset, protocol, epoch };
}
