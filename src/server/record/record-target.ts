import { ErrorCode, NashubError, echoName } from '../../core';
import { defaultProtocol, type DatasetRow, type ProtocolRow } from '../../store/catalog/catalog';
import type { RequestContext } from '../context.type';

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
export async function resolveRecordTarget(ctx: RequestContext, args: RecordTargetArgs): Promise<RecordTarget> {
  let catalog = await ctx.loaders.catalog();
  const missing = !catalog.datasetByName.has(args.dataset) || (args.protocol != null && !catalog.protocolByName.has(args.protocol));
  if (missing) catalog = await ctx.loaders.refreshCatalog();
  const dataset = catalog.datasetByName.get(args.dataset);
  if (!dataset) {
    throw new NashubError(ErrorCode.UNKNOWN_DATASET, `unknown dataset "${echoName(args.dataset)}"; known: ${catalog.datasets.map((d) => d.name).join(', ') || '(none)'}`, {
      details: { dataset: echoName(args.dataset) },
    });
  }
  let protocol: ProtocolRow | undefined;
  if (args.protocol !== undefined && args.protocol !== null) {
    protocol = catalog.protocolByName.get(args.protocol);
    if (!protocol) {
      throw new NashubError(ErrorCode.UNKNOWN_PROTOCOL, `unknown protocol "${echoName(args.protocol)}"; known: ${catalog.protocols.map((p) => p.name).join(', ') || '(none)'}`, {
        details: { protocol: echoName(args.protocol) },
      });
    }
  } else {
    protocol = defaultProtocol(catalog, { space: args.space, datasetId: dataset.id });
    if (!protocol) throw new NashubError(ErrorCode.UNKNOWN_PROTOCOL, 'no protocol is stored yet', { details: {} });
  }
  const epoch = args.epoch ?? protocol.epochs;
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > protocol.epochs) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `epoch must be in 1..${protocol.epochs} for protocol ${protocol.name}, got ${epoch}`, {
      details: { argument: 'epoch', max: protocol.epochs },
    });
  }
  return { dataset, protocol, epoch };
}
