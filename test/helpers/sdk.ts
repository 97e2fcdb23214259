/** The CrossCheck fixture recorded as a deployment, so the SDK finds the suite by chain id as a user's code would. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import type { Signer } from "ethers";
import { suiteFor, writeDeployment, type DeploymentRecord, type Suite } from "../../sdk";
import { suiteAddresses } from "../../scripts/lib/deploySuite";
import { deployCrossCheck } from "./crosscheck";

/** Deploys the suite ({@link deployCrossCheck}) and records it in a temporary folder `dir`. */
export async function sdkSuite() {
  const s = await deployCrossCheck();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-sdk-"));
  const { chainId } = await ethers.provider.getNetwork();
  const record: DeploymentRecord = {
    chainId: Number(chainId),
    network: "hardhat",
    deployer: s.deployer.address,
    blockNumber: await ethers.provider.getBlockNumber(),
    deployedAt: new Date(0).toISOString(),
    contracts: await suiteAddresses(s),
  };
  writeDeployment(record, dir);
  return { s, dir, record };
}

/** The suite connected to `signer`, found through the deployment record in `dir`. */
export async function clientSuite(signer: Signer, dir: string): Promise<Suite> {
  return suiteFor(signer, dir);
}
