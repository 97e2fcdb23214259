/**
 * What the services' tests share: the node's well-known test keys, an in-memory logger, and the
 * databases every test runs against — the embedded one (PGlite, in memory) always, and the
 * PostgreSQL server named by `DG_TEST_DATABASE_URL` (`.ci/run` starts one) with a fresh schema.
 */
import { HDNodeWallet, Mnemonic } from "ethers";
import { Client } from "pg";
import { openDb, type Db } from "../../services/db";
import { createLogger } from "../../services/log";

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

/** The databases a services test runs against, each opened empty. */
export const DATABASES: { name: string; open: () => Promise<Db> }[] = [
  { name: "embedded (PGlite)", open: () => openDb({}) },
];
const PG_URL = process.env.DG_TEST_DATABASE_URL;
if (PG_URL) {
  DATABASES.push({
    name: "PostgreSQL server",
    open: async () => {
      await resetPostgres(PG_URL);
      return openDb({ databaseUrl: PG_URL });
    },
  });
}
