/**
 * Deployment records: `deployments/<chainId>.json`, one per chain, written by `dg:deploy` and read by
 * the SDK and the tasks. `DG_DEPLOYMENTS_DIR` points elsewhere (tests use a temporary folder).
 */
import fs from "node:fs";
import path from "node:path";

/** Addresses of one deployment of the suite, by contract name. */
export interface DeploymentRecord {
  chainId: number;
  network: string;
  deployer: string;
  blockNumber: number;
  deployedAt: string;
  contracts: {
    DataGen: string;
    MiningReservation: string;
    InflationVote: string;
    ValidatorStaking: string;
    ComputeRewards: string;
    CrossCheck: string;
  };
}

/** Where records live: `$DG_DEPLOYMENTS_DIR`, or `deployments/` at the repository's root. */
export function deploymentsDir(): string {
  return process.env.DG_DEPLOYMENTS_DIR ?? path.join(__dirname, "..", "..", "deployments");
}

/** Writes `<dir>/<chainId>.json` and returns its path. */
export function writeRecord(record: DeploymentRecord, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${record.chainId}.json`);
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
