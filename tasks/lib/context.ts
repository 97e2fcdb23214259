/**
 * What every `dg:*` task needs: the acting account and the suite of the network's chain, found in the
 * deployment records by chain id (`deployments/<chainId>.json`, or `$DG_DEPLOYMENTS_DIR`).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import type { Suite } from "../../sdk/deployments";

/** The signer at `account` (an index into the network's accounts) and the suite, connected to it. */
export async function connect(
  hre: HardhatRuntimeEnvironment,
  account: number,
): Promise<{ signer: Signer & { address: string }; suite: Suite }> {
  const { suiteFor } = await import("../../sdk/deployments");
  const signers = await hre.ethers.getSigners();
  const signer = signers[account];
  if (!signer) {
    throw new Error(
      `--account ${account}: the network ${hre.network.name} has ${signers.length} account(s); set DEPLOYER_PRIVATE_KEY for BSC networks`,
    );
  }
  return { signer, suite: await suiteFor(signer) };
}

/** Prints `label: value` lines, aligned. */
export function printLines(lines: [string, string | bigint | number][]): void {
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) console.log(`${label.padEnd(width)}  ${value}`);
}
