/**
 * The service as an operator starts it: `npm run services -- --roles indexer,api,keeper,oracle,guardian`
 * in a child process against anvil (the suite deployed by `dg:deploy`), once with the embedded database
 * in a data folder and once with the PostgreSQL server named by `DG_TEST_DATABASE_URL`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Wallet, id } from "ethers";
import { openDb } from "../../services/db";
import { REAL_BUILD } from "../helpers/fixtures";
import { freePort, startAnvil, type RunningNode } from "../helpers/node";
import { accountKey, DATABASES, deployOn } from "./helpers";

const DAY = 86_400;
const ROOT = path.join(__dirname, "..", "..");

/** Polls `check` every 200 ms until it returns a value other than undefined, or fails after `ms`. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const database of DATABASES) {
  describe(`network services: \`npm run services\` with the indexer, API, keeper, oracle and guardian, with the ${database.name} ${REAL_BUILD}`, function () {
    this.timeout(240_000);
    let node: RunningNode;

    after(async () => {
      await node?.stop();
    });

    it("answers /health and /openapi.json, posts a dropped report's root once, the guardian agrees, and SIGTERM stops it cleanly", async () => {
      node = await startAnvil({ chainId: 97 });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-process-"));
      const { record, suite } = await deployOn(node, dir);
      const deployer = new Wallet(accountKey(0), node.provider);
      const guardian = new Wallet(accountKey(6), node.provider);
      const rewards = suite.rewards.connect(deployer);
      await (await rewards.grantRole(await rewards.GUARDIAN_ROLE(), guardian.address)).wait();
      const latest = async () => (await node.provider.getBlock("latest"))!.timestamp;
      const genesis = Number(await suite.rewards.genesis());
      await node.provider.send("evm_increaseTime", [Math.max(genesis + DAY - (await latest()) + 1, 1)]);
      await node.provider.send("anvil_mine", [1]);
      const reportDir = path.join(dir, "reports");
      fs.mkdirSync(reportDir);
      const [v1, v2] = [1, 2].map((i) => new Wallet(accountKey(i)).address);
      fs.writeFileSync(path.join(reportDir, "epoch-0.csv"), `validator,compute\n${v1},300\n${v2},700\n`);

      if (database.url) await (await database.open()).close(); // an empty schema on the server
      const apiPort = await freePort();
      const api = `http://127.0.0.1:${apiPort}`;
      const env: Record<string, string | undefined> = {
        ...process.env,
        DG_RPC_URL: node.url,
        DG_DEPLOYMENTS_DIR: dir,
        DG_REPORT_DIR: reportDir,
        DG_API_PORT: String(apiPort),
        DG_POLL_MS: "200",
        DG_GUARDIAN_REPORT_URL: api,
        DG_KEEPER_KEY: accountKey(7),
        DG_ORACLE_KEY: accountKey(0),
        DG_GUARDIAN_KEY: accountKey(6),
        DATABASE_URL: database.url,
        DG_DATA_DIR: path.join(dir, "data"),
      };
      if (!database.url) delete env.DATABASE_URL;
      const child = spawn(
        "npm",
        ["run", "--silent", "services", "--", "--roles", "indexer,api,keeper,oracle,guardian"],
        {
          cwd: ROOT,
          env: env as NodeJS.ProcessEnv,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const logLines = () =>
        stderr
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      try {
        const get = async (route: string) => {
          const response = await fetch(`${api}${route}`);
          return response.ok ? ((await response.json()) as Record<string, any>) : undefined;
        };
        const health = await until("the index to catch up", 60_000, async () => {
          const h = await get("/health");
          return h?.ok && h.lagBlocks === 0 ? h : undefined;
        });
        expect(health).to.include({ chainId: 97, ok: true, lagBlocks: 0 });
        const spec = (await get("/openapi.json"))!;
        expect(spec.openapi).to.equal("3.1.0");
        expect(Object.keys(spec.paths)).to.include.members(["/health", "/validators/{address}/claimable", "/epochs"]);

        // The oracle posts epoch 0 from the dropped report, once; the guardian rebuilds it and agrees.
        const root = await until("the root of epoch 0", 60_000, async () => {
          const r = (await suite.rewards.getEpoch(0)).root;
          return BigInt(r) === 0n ? undefined : r;
        });
        await until("the guardian's verdict", 60_000, async () =>
          logLines().find((l) => l.msg === "root agrees with the published report" && l.root === root),
        );
        // The keeper released the day's emission.
        await until("the keeper's release", 60_000, async () =>
          logLines().find((l) => l.msg === "mined" && String(l.key).startsWith("release:")),
        );
        // The API serves what the oracle published and the indexer read.
        const epoch = await until("epoch 0 in the API", 30_000, () => get("/epochs/0"));
        expect(epoch.current).to.include({ root, status: "challenge" });
        expect(epoch.published).to.deep.equal([{ root, totalCompute: "1000", leaves: 2 }]);
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited, stderr).to.equal(0);
      const lines = logLines(); // every line is JSON
      expect(lines[0]).to.include({ msg: "started", database: database.url ? "postgres" : "pglite" });
      expect(lines.at(-1)).to.include({ level: "info", msg: "stopped" });
      expect(lines.filter((l) => l.level === "error")).to.deep.equal([]);
      const posted = await node.provider.getLogs({
        address: record.contracts.ComputeRewards,
        topics: [id("RootPosted(uint256,bytes32,uint256,uint256,uint256)")],
        fromBlock: 0,
        toBlock: "latest",
      });
      expect(posted).to.have.length(1);
      // The journal the process left: one posting, mined; nothing unfinished.
      const db = await openDb(database.url ? { databaseUrl: database.url } : { dataDir: path.join(dir, "data") });
      try {
        const intents = await db.query<{ key: string; status: string }>(
          "SELECT key, status FROM tx_intents ORDER BY key",
        );
        expect(intents.filter((r) => r.key.startsWith("postRoot:"))).to.deep.equal([
          {
            key: `postRoot:97:${record.contracts.ComputeRewards}:0:${(await suite.rewards.getEpoch(0)).root}`,
            status: "mined",
          },
        ]);
        expect(intents.filter((r) => r.status !== "mined")).to.deep.equal([]);
      } finally {
        await db.close();
      }
    });
  });
}
