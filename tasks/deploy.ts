/**
 * `dg:deploy`: deploys the whole suite with Hardhat Ignition, after the pre-flight checks, and records
 * the addresses in `deployments/<chainId>.json` where the SDK and the other tasks find them. On BSC
 * mainnet (chain 56) the module is deploy/modules/Mainnet.ts (every admin and owner handed to a
 * TimelockController proposed to by the named multisig) and the role rules refuse; elsewhere it is
 * deploy/modules/CrossCheck.ts, or Mainnet.ts when the parameter file names `Mainnet.multisig` (a
 * rehearsal), and the role rules only warn. Resumable: Ignition journals every step under
 * `ignition/deployments/chain-<chainId>/`, and running the task again continues from the journal.
 */
import fs from "node:fs";
import path from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DeploymentRecord } from "../sdk/deployments";
import { runTask } from "./lib/run";

/** Reads an Ignition parameter file: JSON whose bigints are strings in Ignition's `"123n"` notation. */
export function readParameters(file: string): Record<string, Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"), (_key, value: unknown) =>
      typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
    );
  } catch (error) {
    throw new Error(`cannot read the parameter file ${file}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`the parameter file ${file} must hold an object of module parameters`);
  }
  return parsed as Record<string, Record<string, unknown>>;
}

/** `file` relative to the working directory when it lies inside it, else absolute (for messages). */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : path.resolve(file);
}

/** `eth_chainId` of a JSON-RPC endpoint, asked directly (10-second timeout). */
export async function rpcChainId(url: string): Promise<bigint> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(10_000),
  }).catch((error: Error) => {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    throw new Error(cause?.code ?? error.message);
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { result?: string; error?: { message?: string } };
  if (typeof body.result !== "string") throw new Error(body.error?.message ?? "no chain id in the answer");
  return BigInt(body.result);
}

/** The next UTC midnight after `now` (unix seconds): day 0 of a fresh network's schedule. */
export function nextMidnight(now: bigint): bigint {
  return (now / 86_400n + 1n) * 86_400n;
}

task("dg:deploy", "Deploy the whole suite (token, reservation, vote, staking, rewards, cross-check), wired and funded")
  .addOptionalParam("parameters", "Ignition parameter file (default: deploy/parameters/<network>.json)")
  .addOptionalParam("confirmations", "Blocks to wait for each transaction", 3, types.int)
  .addFlag("verify", "Verify every contract on BscScan afterwards (needs BSCSCAN_API_KEY)")
  .setAction(
    async (args: { parameters?: string; confirmations: number; verify: boolean }, hre: HardhatRuntimeEnvironment) =>
      runTask(async () => {
        const { preflight, Refusal } = await import("./lib/preflight");
        const { writeDeployment } = await import("../sdk/deployments");
        const { default: CrossCheckModule } = await import("../deploy/modules/CrossCheck");
        const { default: MainnetModule } = await import("../deploy/modules/Mainnet");
        const network = hre.network;
        const config = network.config as { url?: string; accounts?: unknown; chainId?: number };
        const url = "url" in network.config ? config.url : undefined;
        const accounts = Array.isArray(config.accounts) ? config.accounts : [];
        const file = args.parameters ?? path.join(__dirname, "..", "deploy", "parameters", `${network.name}.json`);
        const parameters = readParameters(file);
        const { chainId, deployer, roles } = await preflight({
          network: network.name,
          url: url || undefined,
          hasKey: network.name === "hardhat" || network.name === "localhost" || accounts.length > 0,
          expectedChainId: config.chainId,
          // Straight to the URL: Hardhat's own provider would refuse a wrong chain id before we could say so.
          chainId: async () =>
            url ? rpcChainId(url) : BigInt((await network.provider.request({ method: "eth_chainId" })) as string),
          deployer: async () => {
            const [signer] = await hre.ethers.getSigners();
            if (!signer) throw new Refusal(`no deployer account on ${network.name}`);
            const fee = await hre.ethers.provider.getFeeData();
            return {
              address: signer.address,
              balance: await hre.ethers.provider.getBalance(signer.address),
              gasPrice: fee.gasPrice ?? fee.maxFeePerGas ?? 0n,
            };
          },
          parameters: { file: shortPath(file), values: parameters },
          code: (address) => hre.ethers.provider.getCode(address),
          confirmations: args.confirmations,
        });
        for (const warning of roles.warnings) console.warn(`warning: ${warning}`);
        const core = (parameters.Core ??= {});
        if (core.releaseStart === undefined) {
          const latest = await hre.ethers.provider.getBlock("latest");
          core.releaseStart = nextMidnight(BigInt(latest!.timestamp));
        }
        const deploymentId = `chain-${chainId}`;
        console.log(
          `Deploying to ${network.name} (chain ${chainId}) from ${deployer}; journal: ignition/deployments/${deploymentId}`,
        );
        console.log(
          roles.timelock
            ? "Module: deploy/modules/Mainnet.ts (every admin and owner handed to a TimelockController)"
            : "Module: deploy/modules/CrossCheck.ts (the deployer stays every admin and owner)",
        );
        const options = {
          parameters: parameters as never,
          deploymentId,
          config: { requiredConfirmations: args.confirmations },
          displayUi: true,
        };
        const deployed = roles.timelock
          ? await hre.ignition.deploy(MainnetModule, options)
          : { ...(await hre.ignition.deploy(CrossCheckModule, options)), timelock: undefined };
        const contracts: Record<string, string> = {
          DataGen: await deployed.token.getAddress(),
          MiningReservation: await deployed.reservation.getAddress(),
          InflationVote: await deployed.inflationVote.getAddress(),
          ValidatorStaking: await deployed.staking.getAddress(),
          ComputeRewards: await deployed.computeRewards.getAddress(),
          CrossCheck: await deployed.crossCheck.getAddress(),
        };
        if (deployed.timelock) contracts.TimelockController = await deployed.timelock.getAddress();
        const blockNumber = await hre.ethers.provider.getBlockNumber();
        if (network.name === "hardhat") {
          console.log("The embedded network is discarded when this command ends: no record written.");
        } else {
          const written = writeDeployment({
            chainId: Number(chainId),
            network: network.name,
            deployer,
            blockNumber,
            deployedAt: new Date().toISOString(),
            contracts: contracts as unknown as DeploymentRecord["contracts"],
          });
          console.log(`Addresses recorded in ${path.relative(process.cwd(), written)}`);
        }
        console.table(contracts);
        if (args.verify) await hre.run({ scope: "ignition", task: "verify" }, { deploymentId });
      }),
  );
