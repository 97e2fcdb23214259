/**
 * Where the suite lives on each chain: the records `dg:deploy` writes to `deployments/<chainId>.json`,
 * and the typechain-typed contracts connected to them.
 */
import fs from "node:fs";
import path from "node:path";
import { getAddress, isAddress, type ContractRunner, type Provider, type Signer } from "ethers";
import {
  ComputeRewards__factory,
  CrossCheck__factory,
  DataGen__factory,
  InflationVote__factory,
  MiningReservation__factory,
  ValidatorStaking__factory,
  type ComputeRewards,
  type CrossCheck,
  type DataGen,
  type InflationVote,
  type MiningReservation,
  type ValidatorStaking,
} from "../typechain-types";
import { SUITE_CONTRACT_NAMES, type SuiteContractName } from "./constants";
import { DataGenSdkError } from "./errors";

/** The contracts of one deployment, by name. */
export type SuiteAddresses = Record<SuiteContractName, string>;

/** One chain's deployment record (`deployments/<chainId>.json`). */
export interface DeploymentRecord {
  chainId: number;
  network: string;
  deployer: string;
  blockNumber: number;
  deployedAt: string;
  /** The six contracts, and the TimelockController that administers them where one was deployed (chain 56). */
  contracts: SuiteAddresses & { TimelockController?: string };
}

/** The suite's six contracts, typed. */
export interface SuiteContracts {
  token: DataGen;
  reservation: MiningReservation;
  inflationVote: InflationVote;
  staking: ValidatorStaking;
  rewards: ComputeRewards;
  crossCheck: CrossCheck;
}

/** The suite's contracts, typed and connected to a signer or provider, with their deployment record. */
export interface Suite extends SuiteContracts {
  record: DeploymentRecord;
}

/** Where records live: `$DG_DEPLOYMENTS_DIR`, or `deployments/` at the repository's root. */
export function deploymentsDir(): string {
  return process.env.DG_DEPLOYMENTS_DIR ?? path.join(__dirname, "..", "deployments");
}

/** `<dir>/<chainId>.json`. */
export function deploymentPath(chainId: bigint | number, dir = deploymentsDir()): string {
  return path.join(dir, `${chainId}.json`);
}

/** Checks a parsed record; throws a one-line {@link DataGenSdkError} naming the problem. */
export function validateRecord(value: unknown, where: string, chainId?: bigint | number): DeploymentRecord {
  if (typeof value !== "object" || value === null) throw new DataGenSdkError(`${where}: not a deployment record`);
  const record = value as Partial<DeploymentRecord>;
  if (typeof record.chainId !== "number") throw new DataGenSdkError(`${where}: chainId missing`);
  if (chainId !== undefined && BigInt(record.chainId) !== BigInt(chainId)) {
    throw new DataGenSdkError(`${where}: recorded for chain ${record.chainId}, not ${chainId}`);
  }
  const contracts = (record.contracts ?? {}) as Partial<SuiteAddresses>;
  for (const name of SUITE_CONTRACT_NAMES) {
    const address = contracts[name];
    if (typeof address !== "string" || !isAddress(address)) {
      throw new DataGenSdkError(`${where}: the address of ${name} is missing or invalid`);
    }
    contracts[name] = getAddress(address);
  }
  const { TimelockController: timelock } = contracts as { TimelockController?: unknown };
  if (timelock !== undefined) {
    if (typeof timelock !== "string" || !isAddress(timelock)) {
      throw new DataGenSdkError(`${where}: the address of TimelockController is invalid`);
    }
    (contracts as { TimelockController?: string }).TimelockController = getAddress(timelock);
  }
  return record as DeploymentRecord;
}

/** Reads the record of `chainId`; refuses with one line when it is missing or malformed. */
export function loadDeployment(chainId: bigint | number, dir = deploymentsDir()): DeploymentRecord {
  const file = deploymentPath(chainId, dir);
  if (!fs.existsSync(file)) {
    throw new DataGenSdkError(
      `no deployment recorded for chain ${chainId} (${file}): deploy first with \`npx hardhat dg:deploy --network <network>\``,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new DataGenSdkError(`${file}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
  return validateRecord(parsed, file, chainId);
}

/** Writes `<dir>/<chainId>.json` and returns its path. */
export function writeDeployment(record: DeploymentRecord, dir = deploymentsDir()): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = deploymentPath(record.chainId, dir);
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** The suite's contracts at the record's addresses, connected to `runner`. */
export function connectSuite(record: DeploymentRecord, runner: ContractRunner): Suite {
  const c = record.contracts;
  return {
    token: DataGen__factory.connect(c.DataGen, runner),
    reservation: MiningReservation__factory.connect(c.MiningReservation, runner),
    inflationVote: InflationVote__factory.connect(c.InflationVote, runner),
    staking: ValidatorStaking__factory.connect(c.ValidatorStaking, runner),
    rewards: ComputeRewards__factory.connect(c.ComputeRewards, runner),
    crossCheck: CrossCheck__factory.connect(c.CrossCheck, runner),
    record,
  };
}

/** The suite on the runner's chain, found by chain id in the deployment records. */
export async function suiteFor(runner: Signer | Provider, dir = deploymentsDir()): Promise<Suite> {
  const provider = "getNetwork" in runner ? runner : runner.provider;
  if (!provider) throw new DataGenSdkError("the signer has no provider: connect it to a network first");
  const { chainId } = await provider.getNetwork();
  return connectSuite(loadDeployment(chainId, dir), runner);
}

/** Every contract a record names, with its address: the six, then the TimelockController if recorded. */
export function recordedContracts(record: DeploymentRecord): [string, string][] {
  const entries: [string, string][] = SUITE_CONTRACT_NAMES.map((name) => [name, record.contracts[name]]);
  if (record.contracts.TimelockController) entries.push(["TimelockController", record.contracts.TimelockController]);
  return entries;
}

/** The first `[name, address]` whose address holds no code (`code` is `eth_getCode`, asked in parallel). */
export async function firstWithoutCode(
  entries: [string, string][],
  code: (address: string) => Promise<string>,
): Promise<[string, string] | undefined> {
  const codes = await Promise.all(entries.map(([, address]) => code(address)));
  const index = codes.findIndex((bytes) => bytes === "0x");
  return index < 0 ? undefined : entries[index];
}

/**
 * Why an address recorded for `chainId` holds no code, and what to do: the end of a one-line message.
 * On BSC mainnet (56) the suite is never redeployed: the RPC is at fault.
 */
export function noCodeAdvice(chainId: bigint | number, network: string): string {
  return BigInt(chainId) === 56n
    ? "the RPC is behind or is another node: point it at a synced BSC mainnet node (a mainnet suite is never redeployed)"
    : `the node was restarted or reset since, or this is another node; start afresh with \`npx hardhat dg:deploy --network ${network} --reset\``;
}

/**
 * Checks that every contract of the suite's record (the six, and the TimelockController if recorded)
 * holds code on the chain the suite is connected to; throws a one-line {@link DataGenSdkError}
 * naming the first that does not, its address, the chain, the record file (in `dir`) and the command
 * that deploys afresh. A record whose contracts are gone (a restarted dev node) would otherwise send
 * transactions to empty addresses, which succeed and do nothing.
 */
export async function assertSuiteDeployed(suite: Suite, dir = deploymentsDir()): Promise<void> {
  const provider = suite.token.runner?.provider;
  if (!provider) throw new DataGenSdkError("the suite is connected to no provider: connect it to a network first");
  const { record } = suite;
  const { chainId } = await provider.getNetwork();
  if (chainId !== BigInt(record.chainId)) {
    throw new DataGenSdkError(
      `the record ${deploymentPath(record.chainId, dir)} is for chain ${record.chainId}, but the suite is connected to chain ${chainId}`,
    );
  }
  const missing = await firstWithoutCode(recordedContracts(record), (address) => provider.getCode(address));
  if (missing) {
    throw new DataGenSdkError(
      `${missing[0]} at ${missing[1]} has no code on chain ${record.chainId} (recorded in ${deploymentPath(record.chainId, dir)}): ${noCodeAdvice(record.chainId, record.network)}`,
    );
  }
}
