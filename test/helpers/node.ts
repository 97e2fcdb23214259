/**
 * Real JSON-RPC nodes and Hardhat command lines for the tooling tests: an anvil process (the npm
 * package `@foundry-rs/anvil-linux-amd64`) on 127.0.0.1, and `hardhat <task>` run as a child process
 * exactly as a user runs it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { JsonRpcProvider, Network } from "ethers";

const ROOT = path.join(__dirname, "..", "..");

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningNode {
  url: string;
  provider: JsonRpcProvider;
  stop(): Promise<void>;
}

/**
 * Starts anvil on a free loopback port and waits until it answers `eth_chainId`. `blockTime` (seconds,
 * fractions allowed: 0.4 makes several blocks share a timestamp second, as BSC does) mines on an
 * interval instead of one block per transaction.
 */
export async function startAnvil(options: { chainId: number; blockTime?: number }): Promise<RunningNode> {
  const port = await freePort();
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(options.chainId), "--silent"];
  if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "anvil"), args, { stdio: "ignore" });
  return untilAnswers(child, `http://127.0.0.1:${port}`, options.chainId, "anvil");
}

/**
 * Starts `npx hardhat node` (chain 31337, one block per transaction, each block a second later than
 * the previous) on a free loopback port; the `localhost` network reaches it with `DG_LOCALHOST_URL`.
 */
export async function startHardhatNode(): Promise<RunningNode> {
  const port = await freePort();
  const { child } = spawnHardhat(["node", "--hostname", "127.0.0.1", "--port", String(port)], {});
  return untilAnswers(child, `http://127.0.0.1:${port}`, 31337, "hardhat node");
}

/** Waits (60 s at most) until the node `child` started answers `eth_chainId` at `url`. */
async function untilAnswers(child: ChildProcess, url: string, chainId: number, name: string): Promise<RunningNode> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill("SIGKILL");
        throw new Error(`${name} did not start on ${url}: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(url, network, {
    staticNetwork: network,
    pollingInterval: 100,
    cacheTimeout: -1,
  });
  return {
    url,
    provider,
    stop: async () => {
      provider.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment variables that must not leak from the developer's shell into a child run. */
const SCRUBBED = [
  "DEPLOYER_PRIVATE_KEY",
  "BSC_TESTNET_RPC_URL",
  "BSC_RPC_URL",
  "BSCSCAN_API_KEY",
  "DG_DEPLOYMENTS_DIR",
  "DG_IGNITION_DIR",
  "DG_LOCALHOST_URL",
];

/** Starts `hardhat <args>` in the repository with `env` added to a scrubbed environment. */
export function spawnHardhat(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<RunResult> } {
  const base = { ...process.env };
  for (const name of SCRUBBED) delete base[name];
  const child = spawn(process.execPath, [require.resolve("hardhat/internal/cli/bootstrap.js"), ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<RunResult>((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Runs `hardhat <args>` to completion. */
export async function runHardhat(args: string[], env: Record<string, string>): Promise<RunResult> {
  return spawnHardhat(args, env).done;
}

/** The node's current block number, asked directly (ethers caches it for a polling interval). */
export async function blockNumber(node: RunningNode): Promise<number> {
  return Number(await node.provider.send("eth_blockNumber", []));
}

/** The transactions `address` has sent, asked directly (no cache). */
export async function txCount(node: RunningNode, address: string): Promise<number> {
  return Number(await node.provider.send("eth_getTransactionCount", [address, "latest"]));
}
