/**
 * What every `dg:*` task needs: the network's RPC (reached and checked before anything else), the
 * suite of its chain found in the deployment records by chain id (`deployments/<chainId>.json`, or
 * `$DG_DEPLOYMENTS_DIR`), and — only for the tasks that send — the acting account.
 *
 * Each task takes, besides `--network`:
 * - `--rpc-url <url>`: this command's RPC instead of the network's configured one;
 * - `--key-env <VARIABLE>` (tasks that send): the environment variable holding this command's key
 *   (never the key itself on the command line, where the shell history would keep it);
 * - `--account <i>`: the i-th of the network's accounts (or of the node's unlocked accounts with
 *   `--rpc-url` and no key);
 * - `--json` (tasks that only read): one JSON object on stdout, integers as decimal strings
 *   (DG amounts in wei, times in unix seconds).
 */
import { JsonRpcProvider, Network, Wallet, type Provider, type Signer } from "ethers";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import type { Suite } from "../../sdk/deployments";
import { DEFAULT_KEY_VARIABLE, keyFrom } from "./keys";
import { NETWORK_SECRETS, Refusal } from "./refusal";
import { rpcChainId } from "./rpc";

/** The arguments `withConnection` adds. */
export interface ConnectionArgs {
  account?: number | string;
  rpcUrl?: string;
  keyEnv?: string;
  json?: boolean;
}

/** Adds `--account`, `--rpc-url`, and `--key-env` (tasks that send) or `--json` (tasks that read). */
export function withConnection<T extends ConfigurableTaskDefinition>(definition: T, mode: "send" | "read"): T {
  definition
    .addOptionalParam("account", "Index of the acting account among the network's accounts (default 0)")
    .addOptionalParam("rpcUrl", "This command's JSON-RPC URL (default: the network's configured one)");
  if (mode === "send") {
    definition.addOptionalParam(
      "keyEnv",
      `The environment variable holding this command's private key (default: the network's accounts; ${DEFAULT_KEY_VARIABLE} on BSC)`,
    );
  } else {
    definition.addFlag("json", "Print one JSON object (integers as decimal strings: DG in wei, times in unix seconds)");
  }
  return definition;
}

/** What `connect` returns: the suite connected to the signer when there is one, else to the provider. */
export interface Connected {
  suite: Suite;
  provider: Provider;
  signer: (Signer & { address: string }) | undefined;
  /** Why there is no signer (read-only tasks go on without one). */
  missing?: string;
}

/** The RPC a command talks to, and where its URL came from (for messages). */
interface Rpc {
  url: string | undefined;
  source: string;
}

function rpcOf(hre: HardhatRuntimeEnvironment, args: ConnectionArgs): Rpc {
  if (args.rpcUrl !== undefined) {
    const url = args.rpcUrl.trim();
    if (!/^https?:\/\/\S+$/.test(url)) throw new Refusal(`--rpc-url must be an http(s) URL, got "${args.rpcUrl}"`);
    return { url, source: "--rpc-url" };
  }
  const network = hre.network;
  if (!("url" in network.config)) return { url: undefined, source: "the embedded Hardhat network" };
  const variable = NETWORK_SECRETS[network.name]?.rpcUrl;
  const url = network.config.url;
  if (!url) {
    throw new Refusal(
      `no RPC URL for ${network.name}: set ${variable ?? "its url in hardhat.config.ts"}` +
        (variable ? ` (environment, or \`npx hardhat vars set ${variable}\`)` : "") +
        ", or pass --rpc-url",
    );
  }
  const source = variable
    ? `from ${variable}`
    : network.name === "localhost"
      ? `the localhost network${process.env.DG_LOCALHOST_URL ? ", from DG_LOCALHOST_URL" : ""}`
      : `the ${network.name} network in hardhat.config.ts`;
  return { url, source };
}

/**
 * Reaches the RPC (one `eth_chainId`, 10-second timeout) and returns its chain id; refuses in one line
 * naming the URL and where it came from, or a chain other than the network's configured one.
 */
async function reach(hre: HardhatRuntimeEnvironment, rpc: Rpc): Promise<bigint> {
  if (rpc.url === undefined) return (await hre.ethers.provider.getNetwork()).chainId;
  let chainId: bigint;
  try {
    chainId = await rpcChainId(rpc.url);
  } catch (error) {
    throw new Refusal(
      `cannot reach the RPC at ${rpc.url} (${rpc.source}): ${(error as Error).message}; is the node running and the URL right?`,
    );
  }
  // The embedded network's own chain id says nothing about a node named by --rpc-url.
  const expected = "url" in hre.network.config ? hre.network.config.chainId : undefined;
  if (expected !== undefined && chainId !== BigInt(expected)) {
    throw new Refusal(
      `wrong chain: the RPC at ${rpc.url} (${rpc.source}) serves chain ${chainId}, but --network ${hre.network.name} is chain ${expected}`,
    );
  }
  return chainId;
}

/** The acting account, or the reason there is none (a refusal for tasks that send). */
async function signerOf(
  hre: HardhatRuntimeEnvironment,
  args: ConnectionArgs,
  provider: Provider,
  rpc: Rpc,
): Promise<{ signer?: Signer & { address: string }; missing?: string }> {
  const account = accountOf(args);
  const oneKey = (variable: string): { signer?: Wallet; missing?: string } => {
    const { key, problem } = keyFrom(variable);
    if (problem) return { missing: problem };
    if (!key) return {};
    if (account !== 0) {
      return { missing: `--account ${account}: there is one account here, the key in ${variable} (use --account 0)` };
    }
    return { signer: new Wallet(key, provider) };
  };
  // 1. --key-env names this command's key.
  if (args.keyEnv !== undefined) {
    const variable = args.keyEnv.trim();
    const found = oneKey(variable);
    return found.signer || found.missing
      ? found
      : { missing: `--key-env ${variable}: the environment has no ${variable}` };
  }
  // 2. A BSC network's configured key, whichever RPC serves it (never a node's unlocked account instead).
  if (NETWORK_SECRETS[hre.network.name] !== undefined) {
    const found = oneKey(DEFAULT_KEY_VARIABLE);
    if (found.signer || found.missing) return found;
    return {
      missing: `no key for ${hre.network.name}: set ${DEFAULT_KEY_VARIABLE} (environment, or \`npx hardhat vars set ${DEFAULT_KEY_VARIABLE}\`), or pass --key-env <VARIABLE>`,
    };
  }
  // 3. A local node named by --rpc-url: its unlocked accounts.
  if (args.rpcUrl !== undefined) {
    const unlocked = (await (provider as JsonRpcProvider).send("eth_accounts", [])) as string[];
    if (!unlocked[account]) {
      return {
        missing: `--account ${account}: the node at ${rpc.url} has ${unlocked.length} unlocked account(s); give --key-env <VARIABLE> naming the variable that holds your key`,
      };
    }
    return { signer: await (provider as JsonRpcProvider).getSigner(unlocked[account]) };
  }
  // 4. The embedded network's or localhost's accounts.
  const signers = await hre.ethers.getSigners();
  const signer = signers[account];
  if (!signer)
    return { missing: `--account ${account}: the network ${hre.network.name} has ${signers.length} account(s)` };
  return { signer };
}

/** `--account` as a whole number (parsed here, so a bad value is one line, not Hardhat's stack trace). */
function accountOf(args: ConnectionArgs): number {
  const text = String(args.account ?? "0").trim();
  if (!/^\d{1,4}$/.test(text)) throw new Refusal(`--account must be a whole number (0, 1, …), got "${args.account}"`);
  return Number(text);
}

/**
 * Reaches the network, finds the suite of its chain and — for `mode: "send"` — the acting account
 * (refusing in one line when there is none). Read-only tasks need no key: their signer is undefined
 * when none is configured.
 */
export async function connect(
  hre: HardhatRuntimeEnvironment,
  args: ConnectionArgs,
  mode?: "send",
): Promise<Connected & { signer: Signer & { address: string } }>;
export async function connect(hre: HardhatRuntimeEnvironment, args: ConnectionArgs, mode: "read"): Promise<Connected>;
export async function connect(
  hre: HardhatRuntimeEnvironment,
  args: ConnectionArgs,
  mode: "send" | "read" = "send",
): Promise<Connected> {
  const { assertSuiteDeployed, suiteFor } = await import("../../sdk/deployments");
  const rpc = rpcOf(hre, args);
  const chainId = await reach(hre, rpc);
  const provider: Provider =
    rpc.url !== undefined && args.rpcUrl !== undefined
      ? new JsonRpcProvider(rpc.url, Network.from(chainId), { staticNetwork: Network.from(chainId) })
      : hre.ethers.provider;
  const { signer, missing } = await signerOf(hre, args, provider, rpc);
  // A task that sends needs its account; a read task asked for a given --account, or given a broken key, says why too.
  if (!signer && missing && (mode === "send" || accountOf(args) !== 0 || args.keyEnv !== undefined)) {
    throw new Refusal(missing);
  }
  const suite = await suiteFor(signer ?? provider);
  // A record left from a node that was restarted points at addresses without code: say so, send nothing.
  try {
    await assertSuiteDeployed(suite);
  } catch (error) {
    // The embedded network shares chain id 31337 with `npx hardhat node`: a forgotten --network lands here.
    if (hre.network.name === "hardhat" && args.rpcUrl === undefined) {
      throw new Refusal(
        `the record ${suite.record.network ? `of ${suite.record.network} ` : ""}for chain 31337 points at contracts the embedded network (no --network) does not have: did you mean --network localhost?`,
      );
    }
    throw error;
  }
  return { suite, provider, signer, missing };
}

/**
 * The address a read task reports on: `--address` when given, else the acting account; refuses when
 * neither exists (no key configured and no `--address`).
 */
export function subjectOf(given: string | undefined, connected: Connected, what = "address"): string {
  if (given !== undefined) return given;
  if (connected.signer) return connected.signer.address;
  throw new Refusal(
    `give --${what}: there is no acting account (${connected.missing ?? "none configured"}); read-only tasks need no key`,
  );
}

/** Unix seconds as an ISO date (UTC). */
export function iso(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

/** Prints `label: value` lines, aligned. */
export function printLines(lines: [string, string | bigint | number][]): void {
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) console.log(`${label.padEnd(width)}  ${value}`);
}

/** Prints `value` as one JSON document, bigints as decimal strings, a missing value as `null` (never a dropped key). */
export function printJson(value: unknown): void {
  console.log(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v === undefined ? null : v), 2),
  );
}

/** Prints `lines` for people, or `json` with `--json`. */
export function report(args: { json?: boolean }, lines: [string, string | bigint | number][], json: unknown): void {
  if (args.json) printJson(json);
  else printLines(lines);
}
