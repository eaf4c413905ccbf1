import type { EntityManager } from 'typeorm';

/**
 * The best final validation accuracy (percent) of COMPLETE runs of a (space, dataset, protocol), or null before any:
 * the bar the trainer's early-stopping rule asks a partial curve to beat. Runs stopped early are left out (their final
 * values are partial).
 */
export async function bestFinalValidAcc(
  manager: EntityManager,
  target: { space: string; datasetId: number; protocolId: number },
): Promise<number | null> {
  const [row]: Array<{ best: number | null }> = await manager.query(
    `SELECT max(r.valid_acc) AS best FROM run r JOIN architecture a ON a.id = r.architecture_id
      WHERE a.space = $1 AND r.dataset_id = $2 AND r.protocol_id = $3 AND r.status = 'COMPLETE'`,
    [target.space, target.datasetId, target.protocolId],
  );
  return row?.best ?? null;
}
