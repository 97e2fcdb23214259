/**
 * What the oracle publishes for an epoch: its compute report and, for every validator, the leaf and
 * proof (the SDK's proofs file), stored in `epoch_reports` / `epoch_proofs` for the API to serve.
 */
import { getAddress } from "ethers";
import { validateProofsFile, type ProofsFile } from "../sdk";
import type { Db } from "./db";
import { insertMany } from "./indexer";

/** Stores a built epoch (idempotent: publishing the same (epoch, root) again changes nothing). */
export async function publishEpoch(db: Db, proofs: ProofsFile): Promise<void> {
  const file = validateProofsFile(proofs, "published epoch");
  const report = Object.entries(file.proofs).map(([validator, p]) => ({
    validator: getAddress(validator),
    compute: p.compute,
  }));
  await db.transaction(async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO epoch_reports (epoch, root, total_compute, chain_id, distributor, report)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (epoch, root) DO NOTHING RETURNING epoch`,
      [file.epoch, file.root, file.totalCompute, file.chainId, getAddress(file.distributor), JSON.stringify(report)],
    );
    if (inserted.length === 0) return;
    await insertMany(
      tx,
      "epoch_proofs",
      ["epoch", "root", "validator", "compute", "proof"],
      Object.entries(file.proofs).map(([v, p]) => [
        file.epoch,
        file.root,
        getAddress(v),
        p.compute,
        JSON.stringify(p.proof),
      ]),
    );
  });
}
