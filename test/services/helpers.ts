/**
 * What the services' tests share: the node's well-known test keys, an in-memory logger, and the
 * databases every test runs against — the embedded one (PGlite, in memory) always, and the
 * PostgreSQL server named by `DG_TEST_DATABASE_URL` (`.ci/run` starts one) with a fresh schema.
 */
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { HDNodeWallet, Mnemonic, type Signer } from "ethers";
import { Client } from "pg";
import { openDb, type Db } from "../../services/db";
import { createLogger } from "../../services/log";
import { connectSuite, type DeploymentRecord, type Suite } from "../../sdk";
import { runHardhat, type RunningNode } from "../helpers/node";

/** Private key of the node's test account `i` (anvil's and Hardhat's default mnemonic). */
export function accountKey(i: number): string {
  return HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
    `m/44'/60'/0'/0/${i}`,
  ).privateKey;
}

/** Logs collected in memory: tests assert on them, and the run's output stays quiet. */
export function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger({ level: "debug", write: (l) => lines.push(JSON.parse(l)) }), lines };
}

/** A fresh, empty schema on the PostgreSQL server at `url`. */
export async function resetPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
  await client.end();
}

/**
 * The databases a services test runs against, each opened empty; `url` is the PostgreSQL server's (a
 * child process is given it as DATABASE_URL; without it, the embedded database in a data folder).
 */
export const DATABASES: { name: string; open: () => Promise<Db>; url?: string }[] = [
  { name: "embedded (PGlite)", open: () => openDb({}) },
];
const PG_URL = process.env.DG_TEST_DATABASE_URL;
if (PG_URL) {
  DATABASES.push({
    name: "PostgreSQL server",
    url: PG_URL,
    open: async () => {
      await resetPostgres(PG_URL);
      return openDb({ databaseUrl: PG_URL });
    },
  });
}

/**
 * Deploys the suite on `node` (chain 97) with `dg:deploy` in a child process, as an operator would,
 * recording it in `dir`; returns the deployment record and the suite connected to the node.
 */
export async function deployOn(node: RunningNode, dir: string): Promise<{ record: DeploymentRecord; suite: Suite }> {
  const run = await runHardhat(["dg:deploy", "--network", "bscTestnet", "--confirmations", "1"], {
    BSC_TESTNET_RPC_URL: node.url,
    DEPLOYER_PRIVATE_KEY: accountKey(0),
    DG_IGNITION_DIR: path.join(dir, "ignition"),
    DG_DEPLOYMENTS_DIR: dir,
  });
  expect(run.code, run.stderr).to.equal(0);
  const record = JSON.parse(fs.readFileSync(path.join(dir, "97.json"), "utf8")) as DeploymentRecord;
  return { record, suite: connectSuite(record, node.provider) };
}

/** Mines `blocks` blocks on anvil, the first `seconds` later than the latest block. */
export async function mineOn(node: RunningNode, blocks: number, seconds = 0): Promise<void> {
  if (seconds) await node.provider.send("evm_increaseTime", [seconds]);
  await node.provider.send("anvil_mine", [blocks]);
}

/** The latest block's timestamp (unix seconds). */
export async function chainNow(node: RunningNode): Promise<number> {
  return (await node.provider.getBlock("latest"))!.timestamp;
}

/** `stakers` each receive the minimum stake from `treasury` and stake it. */
export async function stakeMinimum(suite: Suite, record: DeploymentRecord, treasury: Signer, stakers: Signer[]) {
  const minStake = await suite.staking.minStake();
  for (const v of stakers) {
    await (await suite.token.connect(treasury).transfer(await v.getAddress(), minStake)).wait();
    await (await suite.token.connect(v).approve(record.contracts.ValidatorStaking, minStake)).wait();
    await (await suite.staking.connect(v).stake(minStake)).wait();
  }
}
