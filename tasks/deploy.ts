/**
 * `dg:deploy`: deploys the whole suite with Hardhat Ignition, after the pre-flight checks, and records
 * the addresses in `deployments/<chainId>.json` where the SDK and the other tasks find them. On BSC
 * mainnet (chain 56) the module is deploy/modules/Mainnet.ts (every admin and owner handed to a
 * TimelockController proposed to by the named multisig) and the role rules refuse; elsewhere it is
 * deploy/modules/CrossCheck.ts, or Mainnet.ts when the parameter file names `Mainnet.multisig` (a
 * rehearsal), and the role rules only warn. Resumable: Ignition journals every step under
 * `ignition/deployments/chain-<chainId>/`, and running the task again continues from the journal.
 * Confirmations: 1 per transaction on a node that mines only when a transaction arrives (anvil,
 * `npx hardhat node`), 3 elsewhere, unless `--confirmations` says otherwise. A journal whose contracts
 * have no code on the node (a restarted dev node) is refused; `--reset` sets it and the record aside
 * and deploys afresh (not on chain 56). A record is written only when every address holds code.
 */
import fs from "node:fs";
import path from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DeploymentRecord } from "../sdk/deployments";
import { rpcChainId } from "./lib/rpc";
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

/** The contracts of a deployment record's file, by name (none if there is no file; throws if unreadable). */
function recordAddresses(file: string): [string, string][] {
  if (!fs.existsSync(file)) return [];
  const record = JSON.parse(fs.readFileSync(file, "utf8")) as { contracts?: Record<string, unknown> };
  return Object.entries(record.contracts ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string" && /^0x[0-9a-fA-F]{40}$/.test(entry[1]),
  );
}

/**
 * `--reset`: sets aside the chain's Ignition journal and deployment record before deploying afresh.
 * When none of the contracts they name has code on the node (a restarted dev node), both are removed:
 * nothing is lost. When one still has code (a suite live on a testnet, or on a node still running),
 * or a file cannot be read, both are moved aside with a `-replaced-<UTC time>` suffix instead, so
 * that suite's addresses stay on disk. Returns the line to print.
 */
async function resetDeployment(
  journal: string,
  record: string,
  chainId: bigint,
  code: (address: string) => Promise<string>,
): Promise<string> {
  const { journalAddresses } = await import("./lib/preflight");
  const present = [journal, record].filter((p) => fs.existsSync(p));
  if (present.length === 0) return `Reset: no journal or record for chain ${chainId}, nothing to set aside`;
  let addresses: [string, string][] | undefined;
  try {
    addresses = [...journalAddresses(journal), ...recordAddresses(record)];
  } catch {
    addresses = undefined; // unreadable: kept, as if live
  }
  const codes = addresses && (await Promise.all(addresses.map(([, address]) => code(address))));
  if (codes?.every((bytes) => bytes === "0x")) {
    for (const p of present) fs.rmSync(p, { recursive: true, force: true });
    return `Reset: removed ${present.map(shortPath).join(" and ")} (the contracts they record have no code on chain ${chainId})`;
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "");
  const moved = present.map((p) => {
    const extension = path.extname(p);
    const target = `${p.slice(0, p.length - extension.length)}-replaced-${stamp}${extension}`;
    fs.renameSync(p, target);
    return shortPath(target);
  });
  return `Reset: the previous suite still has code on chain ${chainId}; its files are kept as ${moved.join(" and ")}`;
}

/**
 * Ignition's reconciliation error (the journal was made with other parameters or modules) as one
 * line: each future and its reason, then what to do. Undefined for any other error.
 */
export function reconciliationRefusal(
  error: unknown,
  journal: string,
  file: string,
  network: string,
): Error | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.includes("because of the following reconciliation errors")) return undefined;
  const reasons = message
    .split("\n")
    .map((line) => /^\s*\*\s*(.+)$/.exec(line)?.[1]?.trim())
    .filter((line): line is string => Boolean(line));
  return new Error(
    `the journal ${journal} does not match this deployment: ${reasons.join("; ") || "(no detail given)"}. ` +
      `A changed parameter file (${file}) conflicts with the journal: keep the parameters it was made with, ` +
      `or start afresh with \`npx hardhat dg:deploy --network ${network} --reset\` on a test network`,
  );
}

/** The next UTC midnight after `now` (unix seconds): day 0 of a fresh network's schedule. */
export function nextMidnight(now: bigint): bigint {
  return (now / 86_400n + 1n) * 86_400n;
}

task("dg:deploy", "Deploy the whole suite (token, reservation, vote, staking, rewards, cross-check), wired and funded")
  .addOptionalParam("parameters", "Ignition parameter file (default: deploy/parameters/<network>.json)")
  .addOptionalParam(
    "confirmations",
    "Blocks to wait for each transaction (default: 1 on a node that mines only when a transaction arrives, as anvil and `hardhat node` do; 3 elsewhere)",
    undefined,
    types.int,
  )
  .addFlag(
    "reset",
    "Start afresh: set aside this chain's Ignition journal and deployment record first (refused on BSC mainnet)",
  )
  .addFlag("verify", "Verify every contract on BscScan afterwards (needs BSCSCAN_API_KEY)")
  .setAction(
    async (
      args: { parameters?: string; confirmations?: number; reset: boolean; verify: boolean },
      hre: HardhatRuntimeEnvironment,
    ) =>
      runTask(async () => {
        const { preflight, nodeMining, Refusal, NETWORK_SECRETS } = await import("./lib/preflight");
        const { DEFAULT_KEY_VARIABLE, keyFrom } = await import("./lib/keys");
        const { deploymentPath, firstWithoutCode, noCodeAdvice, writeDeployment } = await import("../sdk/deployments");
        const { default: CrossCheckModule } = await import("../deploy/modules/CrossCheck");
        const { default: MainnetModule } = await import("../deploy/modules/Mainnet");
        const network = hre.network;
        const config = network.config as { url?: string; accounts?: unknown; chainId?: number };
        const url = "url" in network.config ? config.url : undefined;
        const accounts = Array.isArray(config.accounts) ? config.accounts : [];
        const file = args.parameters ?? path.join(__dirname, "..", "deploy", "parameters", `${network.name}.json`);
        const parameters = readParameters(file);
        const code = (address: string) => hre.ethers.provider.getCode(address);
        // Ignition keeps the embedded network's deployments in memory: no journal there.
        const embedded = network.name === "hardhat";
        const journalFor = (chainId: bigint) => path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`);
        const { chainId, deployer, roles, confirmations, mining } = await preflight({
          network: network.name,
          url: url || undefined,
          hasKey: embedded || network.name === "localhost" || accounts.length > 0,
          // hardhat.config.ts leaves a malformed key out of the accounts: say what is wrong with it.
          keyProblem: NETWORK_SECRETS[network.name] ? keyFrom(DEFAULT_KEY_VARIABLE).problem : undefined,
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
          code,
          confirmations: args.confirmations,
          mining: () => nodeMining((method) => network.provider.request({ method })),
          journal: embedded ? undefined : (id) => ({ dir: journalFor(id), label: shortPath(journalFor(id)) }),
          reset: args.reset,
        });
        for (const warning of roles.warnings) console.warn(`warning: ${warning}`);
        const deploymentId = `chain-${chainId}`;
        const journal = journalFor(chainId);
        const recordFile = deploymentPath(chainId);
        if (args.reset) {
          // Not the files of chain 31337: those are `npx hardhat node`'s (--network localhost), same chain id.
          console.log(
            embedded
              ? "Reset: nothing to set aside, the embedded network keeps no journal or record"
              : await resetDeployment(journal, recordFile, chainId, code),
          );
        }
        const core = (parameters.Core ??= {});
        if (core.releaseStart === undefined) {
          const latest = await hre.ethers.provider.getBlock("latest");
          core.releaseStart = nextMidnight(BigInt(latest!.timestamp));
        }
        console.log(
          `Deploying to ${network.name} (chain ${chainId}) from ${deployer}; journal: ${embedded ? "none (embedded network)" : shortPath(journal)}`,
        );
        console.log(
          mining.automine
            ? `Confirmations: ${confirmations} per transaction (the node mines a block only when a transaction arrives)`
            : `Confirmations: ${confirmations} per transaction`,
        );
        console.log(
          roles.timelock
            ? "Module: deploy/modules/Mainnet.ts (every admin and owner handed to a TimelockController)"
            : "Module: deploy/modules/CrossCheck.ts (the deployer stays every admin and owner)",
        );
        const options = {
          parameters: parameters as never,
          deploymentId,
          // A node that mines as a transaction arrives has the block at once: poll for it every 100 ms, not Ignition's 1 s.
          config: { requiredConfirmations: confirmations, ...(mining.automine ? { blockPollingInterval: 100 } : {}) },
          displayUi: true,
        };
        const deployed = await (
          roles.timelock
            ? hre.ignition.deploy(MainnetModule, options)
            : hre.ignition
                .deploy(CrossCheckModule, options)
                .then((result) => ({ ...result, timelock: undefined as undefined }))
        ).catch((error: unknown) => {
          throw reconciliationRefusal(error, shortPath(journal), shortPath(file), network.name) ?? error;
        });
        const contracts: DeploymentRecord["contracts"] = {
          DataGen: await deployed.token.getAddress(),
          MiningReservation: await deployed.reservation.getAddress(),
          InflationVote: await deployed.inflationVote.getAddress(),
          ValidatorStaking: await deployed.staking.getAddress(),
          ComputeRewards: await deployed.computeRewards.getAddress(),
          CrossCheck: await deployed.crossCheck.getAddress(),
        };
        if (deployed.timelock) contracts.TimelockController = await deployed.timelock.getAddress();
        const missing = await firstWithoutCode(Object.entries(contracts), code);
        if (missing) {
          // Not a Refusal: the transactions are sent; what must not happen is a record of empty addresses.
          throw new Error(
            `no record written: Ignition reports ${missing[0]} at ${missing[1]}, which has no code on chain ${chainId} at ${url ?? "(embedded)"}: ${noCodeAdvice(chainId, network.name)}`,
          );
        }
        const blockNumber = await hre.ethers.provider.getBlockNumber();
        if (embedded) {
          console.log("The embedded network is discarded when this command ends: no record written.");
        } else {
          const written = writeDeployment({
            chainId: Number(chainId),
            network: network.name,
            deployer,
            blockNumber,
            deployedAt: new Date().toISOString(),
            contracts,
          });
          console.log(`Addresses recorded in ${shortPath(written)}`);
        }
        console.table(contracts);
        if (args.verify) await hre.run({ scope: "ignition", task: "verify" }, { deploymentId });
      }),
  );
