/**
 * Checks made before a deployment sends anything. Each failure is a {@link Refusal}: one line that
 * says what is wrong and how to fix it.
 */
import fs from "node:fs";
import path from "node:path";
import { ZeroAddress, formatEther, formatUnits, getAddress, isAddress } from "ethers";
import { SUITE_DEFAULTS } from "../../deploy/modules/Suite";
import { MAINNET_DEFAULTS } from "../../deploy/modules/Mainnet";
import { CROSS_CHECK_DEFAULTS } from "../../deploy/modules/CrossCheck";
import { firstWithoutCode, noCodeAdvice } from "../../sdk/deployments";

// The refusal and the networks' secrets live in a module without imports: the tasks load it with the
// config, before `hardhat compile` has generated the types this module's SDK import needs.
export { NETWORK_SECRETS, Refusal } from "./refusal";
import { NETWORK_SECRETS, Refusal } from "./refusal";

/**
 * Gas of deploying and wiring the whole suite (deploy/modules/CrossCheck.ts: 14 transactions),
 * measured on the embedded network (16,913,506 since the delivery receipts and the active-set
 * history) plus 10%; `test/deploy.test.ts` checks that a real deployment stays below it.
 */
export const DEPLOY_GAS_BUDGET = 18_600_000n;

/**
 * Gas of the mainnet deployment (deploy/modules/Mainnet.ts: the 14 transactions above, then the
 * timelock, five transfers begun, the handover scheduled and executed: 22 transactions), measured
 * on anvil as chain 56 (20,036,325) plus 10%; `test/deploy.test.ts` checks a real deployment stays below it.
 */
export const MAINNET_DEPLOY_GAS_BUDGET = 22_050_000n;

/** BSC mainnet's chain id: there, every role rule below refuses; elsewhere it only warns. */
export const MAINNET_CHAIN_ID = 56n;

/**
 * Fewest `--confirmations` the timelock deployment accepts: the handover's execution comes at least
 * 2 × confirmations blocks after the transfers began, and must have a later timestamp (seconds) than
 * theirs; BSC makes several blocks a second, so one confirmation (2 blocks) may not be enough. The
 * one exception: a node that mines a block per transaction, each a second after the previous
 * (`npx hardhat node`), where one confirmation is all there can be and is enough.
 */
export const MIN_HANDOVER_CONFIRMATIONS = 2;

/** Blocks waited per transaction when `--confirmations` is not given, on a node that mines on its own (BSC). */
export const DEFAULT_CONFIRMATIONS = 3;

/** How a node mines, asked before anything is sent. */
export interface Mining {
  /**
   * A block per transaction and none otherwise (`npx hardhat node`, anvil without `--block-time`):
   * a transaction never gets a second confirmation unless another one is sent.
   */
  automine: boolean;
  /**
   * Each block has a later timestamp (seconds) than the previous: `npx hardhat node` (its default,
   * `allowBlocksWithSameTimestamp: false`); anvil 1.7.1 automining puts many blocks in one second.
   */
  laterSecondEachBlock: boolean;
}

/**
 * Asks the node how it mines. `hardhat_getAutomine` is answered by `npx hardhat node` and by anvil
 * (1.7.1: `true` automining, `false` with `--block-time`), `anvil_getAutomine` by anvil alone; a BSC
 * node answers neither (method not found), so it mines on its own. The client is `HardhatNetwork/...`
 * for Hardhat's node and `anvil/...` for anvil (`web3_clientVersion`).
 */
export async function nodeMining(request: (method: string) => Promise<unknown>): Promise<Mining> {
  const answersTrue = (method: string) =>
    request(method).then(
      (result) => result === true,
      () => false,
    );
  const automine = (await answersTrue("hardhat_getAutomine")) || (await answersTrue("anvil_getAutomine"));
  if (!automine) return { automine, laterSecondEachBlock: false };
  const client = await request("web3_clientVersion").then(String, () => "");
  return { automine, laterSecondEachBlock: client.startsWith("HardhatNetwork/") };
}

/**
 * The blocks to wait per transaction: `given` (`--confirmations`) or, when absent, 1 on an automining
 * node and {@link DEFAULT_CONFIRMATIONS} elsewhere. More than 1 on an automining node would wait
 * forever for blocks nobody mines: refused.
 */
export function confirmationsFor(given: number | undefined, mining: Mining, network: string, url: string): number {
  if (given !== undefined && (!Number.isInteger(given) || given < 1)) {
    throw new Refusal(`--confirmations ${given}: give a whole number of blocks, at least 1`);
  }
  if (!mining.automine) return given ?? DEFAULT_CONFIRMATIONS;
  if (given !== undefined && given > 1) {
    throw new Refusal(
      `--confirmations ${given} would never finish on ${network}: the node at ${url} mines a block only when a transaction arrives (automining); leave --confirmations out (1 is used there) or pass --confirmations 1`,
    );
  }
  return 1;
}

/** `deployed_addresses.json` of an Ignition journal: each deployed future's id and address (none if absent). */
export function journalAddresses(journal: string): [string, string][] {
  const file = path.join(journal, "deployed_addresses.json");
  if (!fs.existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Refusal(`${file}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
  return Object.entries(parsed as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string" && isAddress(entry[1]),
  );
}

/**
 * Refuses when the journal records a contract whose address has no code on the node: Ignition would
 * take the journal's word, deploy nothing and report addresses where nothing is.
 */
export async function checkJournal(input: {
  journal: { dir: string; label: string };
  chainId: bigint;
  network: string;
  url: string;
  code: (address: string) => Promise<string>;
}): Promise<void> {
  const missing = await firstWithoutCode(journalAddresses(input.journal.dir), input.code);
  if (missing) {
    throw new Refusal(
      `the journal ${input.journal.label} records ${missing[0]} at ${missing[1]}, which has no code on chain ${input.chainId} at ${input.url}: ${noCodeAdvice(input.chainId, input.network)}`,
    );
  }
}

/** 1 DG in wei. */
const DG = 10n ** 18n;
const MINUTE = 60n;
const HOUR = 3_600n;
const DAY = 86_400n;
const UINT256_MAX = 2n ** 256n - 1n;

/**
 * The bounds each contract's constructor enforces, by contract and public constant name, as in
 * `contracts/`: `test/deploy.parameters.test.ts` reads each from a deployed suite, so they cannot drift.
 */
export const CONTRACT_BOUNDS = {
  MiningReservation: { BPS_DENOMINATOR: 10_000n },
  InflationVote: { MAX_QUORUM_BPS: 2_000n, MIN_PROPOSAL_DEPOSIT: 1n * DG, MAX_PROPOSAL_DEPOSIT: 1_000_000n * DG },
  ValidatorStaking: {
    MAX_SLASH_REWARD_BPS: 5_000n,
    MIN_STAKE_LOWER_BOUND: 1n * DG,
    MIN_STAKE_UPPER_BOUND: 1_000_000n * DG,
    COOLDOWN_LOWER_BOUND: 1n * DAY,
    COOLDOWN_UPPER_BOUND: 90n * DAY,
    FAULT_LIMIT_LOWER_BOUND: 1n,
    FAULT_LIMIT_UPPER_BOUND: 100n,
    ADMIN_DELAY_UPPER_BOUND: 30n * DAY,
  },
  ComputeRewards: {
    MIN_EPOCH_DURATION: 1n * HOUR,
    MAX_EPOCH_DURATION: 30n * DAY,
    MIN_CHALLENGE_WINDOW: 1n * HOUR,
    MAX_CHALLENGE_WINDOW: 7n * DAY,
    ADMIN_DELAY_UPPER_BOUND: 30n * DAY,
  },
  CrossCheck: {
    WINDOW_LOWER_BOUND: 5n * MINUTE,
    WINDOW_UPPER_BOUND: 7n * DAY,
    RECEIPT_AGE_LOWER_BOUND: 1n * HOUR,
    RECEIPT_AGE_UPPER_BOUND: 30n * DAY,
    SLASH_BPS_LOWER_BOUND: 1n,
    BPS_DENOMINATOR: 10_000n,
    MAX_ROUNDS: 2n,
    ADMIN_DELAY_UPPER_BOUND: 30n * DAY,
  },
} as const;

const B = CONTRACT_BOUNDS;

/** How a parameter's value is read and shown: an address, or a whole number in a unit with bounds. */
type ParameterSpec =
  | { kind: "address" }
  | { kind: "number"; unit: "DG" | "seconds" | "bps" | "count"; min: bigint; max: bigint; by: string };

const seconds = (min: bigint, max: bigint, by: string): ParameterSpec => ({
  kind: "number",
  unit: "seconds",
  min,
  max,
  by,
});
const address: ParameterSpec = { kind: "address" };

/**
 * Every parameter of the Ignition modules (deploy/modules/Core.ts, Suite.ts, CrossCheck.ts,
 * Mainnet.ts), with the bounds the contract that receives it enforces (`by`).
 */
export const PARAMETER_SPECS: Record<string, Record<string, ParameterSpec>> = {
  Core: {
    releaseStart: seconds(0n, UINT256_MAX, "MiningReservation (unix time)"),
    initialBurnBps: {
      kind: "number",
      unit: "bps",
      min: 0n,
      max: B.MiningReservation.BPS_DENOMINATOR,
      by: "MiningReservation",
    },
    quorumBps: { kind: "number", unit: "bps", min: 1n, max: B.InflationVote.MAX_QUORUM_BPS, by: "InflationVote" },
    proposalDeposit: {
      kind: "number",
      unit: "DG",
      min: B.InflationVote.MIN_PROPOSAL_DEPOSIT,
      max: B.InflationVote.MAX_PROPOSAL_DEPOSIT,
      by: "InflationVote",
    },
  },
  Suite: {
    minStake: {
      kind: "number",
      unit: "DG",
      min: B.ValidatorStaking.MIN_STAKE_LOWER_BOUND,
      max: B.ValidatorStaking.MIN_STAKE_UPPER_BOUND,
      by: "ValidatorStaking",
    },
    cooldown: seconds(
      B.ValidatorStaking.COOLDOWN_LOWER_BOUND,
      B.ValidatorStaking.COOLDOWN_UPPER_BOUND,
      "ValidatorStaking",
    ),
    faultLimit: {
      kind: "number",
      unit: "count",
      min: B.ValidatorStaking.FAULT_LIMIT_LOWER_BOUND,
      max: B.ValidatorStaking.FAULT_LIMIT_UPPER_BOUND,
      by: "ValidatorStaking",
    },
    slashRewardBps: {
      kind: "number",
      unit: "bps",
      min: 0n,
      max: B.ValidatorStaking.MAX_SLASH_REWARD_BPS,
      by: "ValidatorStaking",
    },
    epochDuration: seconds(B.ComputeRewards.MIN_EPOCH_DURATION, B.ComputeRewards.MAX_EPOCH_DURATION, "ComputeRewards"),
    challengeWindow: seconds(
      B.ComputeRewards.MIN_CHALLENGE_WINDOW,
      B.ComputeRewards.MAX_CHALLENGE_WINDOW,
      "ComputeRewards",
    ),
    adminDelay: seconds(0n, B.ValidatorStaking.ADMIN_DELAY_UPPER_BOUND, "ValidatorStaking and ComputeRewards"),
    oracle: address,
    guardian: address,
  },
  CrossCheck: {
    commitWindow: seconds(B.CrossCheck.WINDOW_LOWER_BOUND, B.CrossCheck.WINDOW_UPPER_BOUND, "CrossCheck"),
    revealWindow: seconds(B.CrossCheck.WINDOW_LOWER_BOUND, B.CrossCheck.WINDOW_UPPER_BOUND, "CrossCheck"),
    maxReceiptAge: seconds(B.CrossCheck.RECEIPT_AGE_LOWER_BOUND, B.CrossCheck.RECEIPT_AGE_UPPER_BOUND, "CrossCheck"),
    slashBps: {
      kind: "number",
      unit: "bps",
      min: B.CrossCheck.SLASH_BPS_LOWER_BOUND,
      max: B.CrossCheck.BPS_DENOMINATOR,
      by: "CrossCheck",
    },
    adminDelay: seconds(0n, B.CrossCheck.ADMIN_DELAY_UPPER_BOUND, "CrossCheck"),
    coordinator: address,
  },
  Mainnet: {
    multisig: address,
    timelockDelay: seconds(0n, UINT256_MAX, "TimelockController"),
  },
};

/** `n` with thousands separators. */
function grouped(n: bigint): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** An amount of DG wei in DG (`1 DG`, `0.000000000000000001 DG`). */
export function formatDg(wei: bigint): string {
  const [whole, fraction] = formatEther(wei).split(".");
  return `${grouped(BigInt(whole!))}${fraction === "0" ? "" : `.${fraction}`} DG`;
}

/** A duration in seconds, in the largest whole unit (`7 days`, `5 minutes`, `90 s`). */
export function formatDuration(s: bigint): string {
  const unit = (n: bigint, name: string) => `${grouped(n)} ${name}${n === 1n ? "" : "s"}`;
  if (s > 0n && s % DAY === 0n) return unit(s / DAY, "day");
  if (s > 0n && s % HOUR === 0n) return unit(s / HOUR, "hour");
  if (s > 0n && s % MINUTE === 0n) return unit(s / MINUTE, "minute");
  return `${grouped(s)} s`;
}

function formatValue(spec: Extract<ParameterSpec, { kind: "number" }>, value: bigint): string {
  if (spec.unit === "DG")
    return value === 0n || value % 10n ** 12n === 0n ? formatDg(value) : `${grouped(value)} wei (${formatDg(value)})`;
  if (spec.unit === "seconds")
    return value % MINUTE === 0n && value > 0n
      ? `${grouped(value)} s (${formatDuration(value)})`
      : `${grouped(value)} s`;
  if (spec.unit === "bps") return `${grouped(value)} bps`;
  return grouped(value);
}

function formatRange(spec: Extract<ParameterSpec, { kind: "number" }>): string {
  if (spec.max === UINT256_MAX) return spec.unit === "seconds" ? "a whole number of seconds" : "a whole number";
  const show = (v: bigint) =>
    spec.unit === "DG" ? formatDg(v) : spec.unit === "seconds" ? formatDuration(v) : grouped(v);
  return `${show(spec.min)} to ${show(spec.max)}${spec.unit === "bps" ? " bps" : ""}`;
}

/** What the unit of a number parameter is written in, in the file. */
const WRITTEN_IN = { DG: "DG wei", seconds: "seconds", bps: "basis points", count: "a count" } as const;

/**
 * A whole number as Ignition takes it from a parameter file: a bigint (`"123n"`, read by
 * `readParameters`), a safe integer, or a string of decimal digits; undefined otherwise.
 */
function wholeNumber(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value >= 0n ? value : undefined;
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  return undefined;
}

/** A parameter's value as written in the file, for a message. */
function shown(value: unknown): string {
  if (typeof value === "bigint") return `"${value}n"`;
  return JSON.stringify(value) ?? String(value);
}

/**
 * Checks every parameter of the file against the modules' names and the contracts' constructor
 * bounds ({@link PARAMETER_SPECS}), and the bounds between parameters the contracts check (the
 * cooldown against the rewards' epoch and challenge window, and against the cross-check's rounds),
 * before anything is sent or set aside. The first problem is a {@link Refusal}.
 */
export function checkParameters(file: string, values: Record<string, unknown>): void {
  const modules = Object.keys(PARAMETER_SPECS);
  const numbers: Record<string, bigint> = {};
  for (const [module, entries] of Object.entries(values)) {
    const specs = PARAMETER_SPECS[module];
    if (!specs) {
      throw new Refusal(`${file} names the module ${JSON.stringify(module)}, which is none of ${modules.join(", ")}`);
    }
    if (typeof entries !== "object" || entries === null || Array.isArray(entries)) {
      throw new Refusal(`${module} in ${file} must be an object of parameters, not ${shown(entries)}`);
    }
    for (const [name, value] of Object.entries(entries as Record<string, unknown>)) {
      const spec = specs[name];
      if (!spec) {
        throw new Refusal(
          `${module}.${name} in ${file} is not a parameter of the ${module} module; its parameters are ${Object.keys(specs).join(", ")}`,
        );
      }
      if (spec.kind === "address") {
        if (typeof value !== "string" || !isAddress(value)) {
          throw new Refusal(`${module}.${name} in ${file} is ${shown(value)}, not an address (0x and 40 hex digits)`);
        }
        continue;
      }
      const n = wholeNumber(value);
      if (n === undefined) {
        throw new Refusal(
          `${module}.${name} in ${file} is ${shown(value)}, not a whole number of ${WRITTEN_IN[spec.unit]}` +
            (typeof value === "number" && Number.isInteger(value) && value > 0
              ? ` (above 2^53: write it as a string)`
              : "") +
            `; allowed ${formatRange(spec)}`,
        );
      }
      if (n < spec.min || n > spec.max) {
        throw new Refusal(
          `${module}.${name} in ${file} is ${formatValue(spec, n)}, outside what ${spec.by} accepts: ${formatRange(spec)}`,
        );
      }
      numbers[`${module}.${name}`] = n;
    }
  }
  const get = (key: string, fallback: bigint) => numbers[key] ?? fallback;
  const cooldown = get("Suite.cooldown", SUITE_DEFAULTS.cooldown);
  const epoch = get("Suite.epochDuration", SUITE_DEFAULTS.epochDuration);
  const challenge = get("Suite.challengeWindow", SUITE_DEFAULTS.challengeWindow);
  if (cooldown < epoch + challenge) {
    throw new Refusal(
      `Suite.cooldown in ${file} is ${formatDuration(cooldown)}, below Suite.epochDuration + Suite.challengeWindow = ${formatDuration(epoch + challenge)} (ComputeRewards refuses it): stake must stay slashable until its epoch's root is past its challenge window`,
    );
  }
  const commit = get("CrossCheck.commitWindow", CROSS_CHECK_DEFAULTS.commitWindow);
  const reveal = get("CrossCheck.revealWindow", CROSS_CHECK_DEFAULTS.revealWindow);
  const age = get("CrossCheck.maxReceiptAge", CROSS_CHECK_DEFAULTS.maxReceiptAge);
  const required = age + B.CrossCheck.MAX_ROUNDS * (commit + reveal);
  if (cooldown <= required) {
    throw new Refusal(
      `Suite.cooldown in ${file} is ${formatDuration(cooldown)}, not above CrossCheck.maxReceiptAge + 2 × (commitWindow + revealWindow) = ${formatDuration(required)} (CrossCheck refuses it): a validator could leave before a check of its delivery ends`,
    );
  }
}

/** What the pre-flight needs to know about the network, gathered by the task. */
export interface PreflightInput {
  network: string;
  /** The configured URL (undefined for the embedded network). */
  url: string | undefined;
  /** Whether a deployer key is configured. */
  hasKey: boolean;
  /** What is wrong with the configured key (`keyFrom` in tasks/lib/keys.ts), never the key itself. */
  keyProblem?: string;
  /** The chain id the configuration expects (undefined: any). */
  expectedChainId: number | undefined;
  /** eth_chainId of the RPC. */
  chainId: () => Promise<bigint>;
  /** The deployer's address, its balance and the gas price (wei). */
  deployer: () => Promise<{ address: string; balance: bigint; gasPrice: bigint }>;
  /** The parameters and the file they come from (omitted: no role checks, the plain suite's budget). */
  parameters?: { file: string; values: Record<string, Record<string, unknown>> };
  /** `eth_getCode` of an address (needed with `parameters`). */
  code?: (address: string) => Promise<string>;
  /** Blocks to wait per transaction as given (`--confirmations`; undefined: chosen by {@link confirmationsFor}). */
  confirmations?: number;
  /** How the node mines (omitted: on its own, as BSC). */
  mining?: () => Promise<Mining>;
  /** The chain's Ignition journal, its folder and how to name it (omitted: none, the embedded network's deployments are in memory). */
  journal?: (chainId: bigint) => { dir: string; label: string };
  /** `--reset`: the journal is to be set aside, so not checked; refused on chain 56. */
  reset?: boolean;
}

/** What the role checks decided. */
export interface RolesPlan {
  /** Deploy deploy/modules/Mainnet.ts (the timelock takes every admin and owner) rather than CrossCheck.ts. */
  timelock: boolean;
  /** What is unsafe but accepted off mainnet: the task prints each as `warning: ...`. */
  warnings: string[];
}

/**
 * A parameter as a bigint ({@link wholeNumber}: what {@link checkParameters} accepted), or `fallback`
 * if unset.
 */
function numberParameter(value: unknown, fallback: bigint, name: string, file: string): bigint {
  if (value === undefined) return fallback;
  const n = wholeNumber(value);
  if (n === undefined) throw new Refusal(`${name} in ${file} is not a whole number of seconds: ${shown(value)}`);
  return n;
}

/**
 * The role rules of SPEC 7 (issue 11, finding 4), checked before anything is sent: every admin and
 * owner is a TimelockController (delay above the cooldown) proposed to by a multisig with code; the
 * oracle, guardian and coordinator are named, none is the deployer, and the oracle is not the
 * guardian. On chain 56 the first broken rule is a {@link Refusal}; elsewhere each is a warning.
 * A rule the timelock deployment needs to finish at all (adminDelay 0, enough confirmations, an
 * address where one is expected) refuses on every chain.
 */
export async function checkRoles(input: {
  chainId: bigint;
  deployer: string;
  file: string;
  parameters: Record<string, Record<string, unknown>>;
  code: (address: string) => Promise<string>;
  confirmations: number;
  mining: Mining;
}): Promise<RolesPlan> {
  const { file, parameters } = input;
  const mainnet = input.chainId === MAINNET_CHAIN_ID;
  const problems: string[] = [];
  const account = (module: string, key: string): string | undefined => {
    const value = parameters[module]?.[key];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string" || !isAddress(value)) {
      throw new Refusal(`${module}.${key} in ${file} is not an address: ${String(value)}`);
    }
    return getAddress(value) === ZeroAddress ? undefined : getAddress(value);
  };

  const multisig = account("Mainnet", "multisig");
  const timelock = mainnet || multisig !== undefined;
  if (!multisig) {
    problems.push(
      mainnet
        ? `set Mainnet.multisig in ${file}: the multisig (e.g. a Safe) that proposes through the timelock`
        : `no Mainnet.multisig in ${file}: no timelock, the deployer ${input.deployer} stays every admin and owner`,
    );
  }
  const named = [
    ["Suite", "oracle", "the oracle service's account (posts each epoch's root)"],
    ["Suite", "guardian", "the guardian's account (vetoes a wrong root), not the oracle"],
    ["CrossCheck", "coordinator", "the coordinator service's account (opens cross-checks)"],
  ] as const;
  const roles: Record<string, string | undefined> = { multisig };
  for (const [module, key, what] of named) {
    roles[key] = account(module, key);
    if (!roles[key]) problems.push(`set ${module}.${key} in ${file}: ${what}; it defaults to the deployer`);
  }
  for (const [module, key] of [["Mainnet", "multisig"], ...named] as const) {
    if (roles[key] === getAddress(input.deployer)) {
      problems.push(`${module}.${key} in ${file} is the deployer ${input.deployer}: name another account`);
    }
  }
  if (roles.oracle && roles.oracle === roles.guardian) {
    problems.push(
      `Suite.oracle and Suite.guardian in ${file} are the same account ${roles.oracle}: the guardian's veto over the oracle would check nothing`,
    );
  }
  if (multisig && (await input.code(multisig)) === "0x") {
    problems.push(
      `Mainnet.multisig ${multisig} in ${file} has no code on chain ${input.chainId}: it must be a deployed multisig contract, not a key`,
    );
  }
  const cooldown = numberParameter(parameters.Suite?.cooldown, SUITE_DEFAULTS.cooldown, "Suite.cooldown", file);
  const delay = numberParameter(
    parameters.Mainnet?.timelockDelay,
    MAINNET_DEFAULTS.timelockDelay,
    "Mainnet.timelockDelay",
    file,
  );
  if (timelock && delay <= cooldown) {
    problems.push(
      `Mainnet.timelockDelay in ${file} is ${delay} s, not above Suite.cooldown (${cooldown} s): validators could not leave before an admin action applies`,
    );
  }
  // The parameter file's role rules first; then what the handover needs of the file and the node.
  if (mainnet && problems.length > 0) throw new Refusal(problems[0]!);

  if (timelock) {
    for (const module of ["Suite", "CrossCheck"]) {
      const adminDelay = numberParameter(
        parameters[module]?.adminDelay,
        SUITE_DEFAULTS.adminDelay,
        `${module}.adminDelay`,
        file,
      );
      if (adminDelay !== 0n) {
        throw new Refusal(
          `set ${module}.adminDelay to 0 in ${file}: the timelock accepts the admin transfers within the deployment, and its own delay then guards every admin action`,
        );
      }
    }
    if (input.confirmations < MIN_HANDOVER_CONFIRMATIONS && !input.mining.laterSecondEachBlock) {
      if (input.mining.automine) {
        throw new Refusal(
          "the timelock handover must be accepted in a later second than the transfers began, and this automining node may mine many blocks in one second (anvil does): start anvil with --block-time 1 (then the default 3 confirmations apply) or rehearse on `npx hardhat node`",
        );
      }
      throw new Refusal(
        `--confirmations ${input.confirmations} is too few for the timelock handover: use at least ${MIN_HANDOVER_CONFIRMATIONS} (default ${DEFAULT_CONFIRMATIONS}), so the acceptance lands in a later second than the transfers`,
      );
    }
  }
  return { timelock, warnings: problems };
}

/**
 * Runs the checks in order: key (its problem, if malformed), RPC URL, every parameter's name, type and
 * bounds ({@link checkParameters}), reachable RPC, chain id, `--reset` (not on chain 56), the
 * confirmations for how the node mines ({@link confirmationsFor}), the journal's contracts still on
 * chain ({@link checkJournal}, unless `--reset`), the role rules ({@link checkRoles}, with
 * `parameters`), BNB for the estimated gas of the module chosen.
 */
export async function preflight(input: PreflightInput): Promise<{
  chainId: bigint;
  deployer: string;
  cost: bigint;
  roles: RolesPlan;
  confirmations: number;
  mining: Mining;
}> {
  const secrets = NETWORK_SECRETS[input.network];
  if (secrets && input.keyProblem) throw new Refusal(input.keyProblem);
  if (secrets && !input.hasKey) {
    throw new Refusal(
      `no deployer key for ${input.network}: set DEPLOYER_PRIVATE_KEY (environment, or \`npx hardhat vars set DEPLOYER_PRIVATE_KEY\`)`,
    );
  }
  if (secrets && !input.url) {
    throw new Refusal(
      `no RPC URL for ${input.network}: set ${secrets.rpcUrl} (environment, or \`npx hardhat vars set ${secrets.rpcUrl}\`)`,
    );
  }
  if (input.parameters) checkParameters(input.parameters.file, input.parameters.values);
  let chainId: bigint;
  try {
    chainId = await input.chainId();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Refusal(`cannot reach the RPC of ${input.network} at ${input.url ?? "(embedded)"}: ${reason}`);
  }
  if (input.expectedChainId !== undefined && chainId !== BigInt(input.expectedChainId)) {
    throw new Refusal(
      `wrong chain: the RPC of ${input.network} at ${input.url} serves chain ${chainId}, expected ${input.expectedChainId}`,
    );
  }
  const journal = input.journal?.(chainId);
  if (input.reset && chainId === MAINNET_CHAIN_ID) {
    throw new Refusal(
      `--reset is refused on BSC mainnet (chain ${chainId}): its journal and record are the account of a suite holding real funds; to deploy a second suite, move ${journal?.label ?? "the journal"} aside by hand`,
    );
  }
  const url = input.url ?? "(embedded)";
  const mining = input.mining ? await input.mining() : { automine: false, laterSecondEachBlock: false };
  const confirmations = confirmationsFor(input.confirmations, mining, input.network, url);
  const code = input.code ?? (async () => "0x");
  if (journal && !input.reset) {
    await checkJournal({ journal, chainId, network: input.network, url, code });
  }
  const { address, balance, gasPrice } = await input.deployer();
  const roles: RolesPlan = input.parameters
    ? await checkRoles({
        chainId,
        deployer: address,
        file: input.parameters.file,
        parameters: input.parameters.values,
        code,
        confirmations,
        mining,
      })
    : { timelock: false, warnings: [] };
  const budget = roles.timelock ? MAINNET_DEPLOY_GAS_BUDGET : DEPLOY_GAS_BUDGET;
  const cost = budget * gasPrice;
  if (balance < cost) {
    throw new Refusal(
      `not enough BNB: the deployer ${address} holds ${formatEther(balance)} BNB, the deployment needs about ` +
        `${formatEther(cost)} BNB (${budget} gas at ${formatUnits(gasPrice, "gwei")} gwei)`,
    );
  }
  return { chainId, deployer: address, cost, roles, confirmations, mining };
}
