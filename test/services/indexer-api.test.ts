/**
 * The indexer and the API against a real node: anvil (chain 97) with the suite deployed by `dg:deploy`
 * in a child process, indexed into the embedded database (PGlite, in memory) and, when
 * `DG_TEST_DATABASE_URL` names a PostgreSQL server (`.ci/run` starts one), into PostgreSQL too: the
 * same migrations, queries and assertions for both.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Wallet } from "ethers";
import { OracleClient, connectSuite, type DeploymentRecord, type Suite } from "../../sdk";
import { createRoutes, startApi, type ApiServer } from "../../services/api";
import { migrate, type Db } from "../../services/db";
import { Indexer } from "../../services/indexer";
import { publishEpoch } from "../../services/published";
import { REAL_BUILD } from "../helpers/fixtures";
import { accountKey, memoryLogger, DATABASES, deployOn, stakeMinimum, mineOn } from "./helpers";
import { startAnvil, type RunningNode } from "../helpers/node";

const DAY = 86_400;

describe(`network services: indexer and API on anvil ${REAL_BUILD}`, function () {
  this.timeout(180_000);
  let node: RunningNode;
  let record: DeploymentRecord;
  let suite: Suite;
  const deployer = () => new Wallet(accountKey(0), node.provider);
  const validators = () => [1, 2].map((i) => new Wallet(accountKey(i), node.provider));

  /** Every log of the suite on the chain now, as `block:index:tx` keys. */
  async function chainLogKeys(): Promise<string[]> {
    const logs = await node.provider.getLogs({
      address: Object.values(record.contracts),
      fromBlock: 0,
      toBlock: "latest",
    });
    return logs.map((l) => `${l.blockNumber}:${l.index}:${l.transactionHash}`);
  }
  const mine = (blocks: number, seconds = 0) => mineOn(node, blocks, seconds);

  before(async () => {
    node = await startAnvil({ chainId: 97 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-services-"));
    ({ record, suite } = await deployOn(node, dir));
    // Two validators staked before epoch 0 starts (genesis is the next midnight).
    await stakeMinimum(suite, record, deployer(), validators());
  });
  after(async () => node?.stop());

  for (const database of DATABASES) {
    describe(`with the ${database.name}`, () => {
      let db: Db;
      let api: ApiServer;
      const { log, lines } = memoryLogger();
      const newIndexer = (options: Partial<{ batchBlocks: number; reorgDepth: number }> = {}) =>
        new Indexer(db, node.provider, record, { fromBlock: 0, batchBlocks: 7, reorgDepth: 16, ...options }, log);
      const get = async (route: string) => {
        const response = await fetch(`${api.url}${route}`);
        return { status: response.status, body: (await response.json()) as Record<string, any> };
      };

      before(async () => {
        db = await database.open();
        api = await startApi({ db, provider: node.provider, host: "127.0.0.1", port: 0, log });
      });
      after(async () => {
        await api?.close();
        await db?.close();
      });

      it("migrations are recorded once: running them again applies nothing", async () => {
        expect(
          (await db.query<{ version: number }>("SELECT version FROM schema_migrations")).map((r) => r.version),
        ).to.deep.equal([1, 2, 3, 4]);
        expect(await migrate(db)).to.deep.equal([]);
      });

      it("indexes every event of the suite, in small ranges, exactly as the chain has them; the health route says it has caught up", async () => {
        const result = await newIndexer().syncToHead();
        expect(result.cursor).to.equal(result.head);
        const rows = await db.query<{ k: string }>(
          "SELECT block_number || ':' || log_index || ':' || tx_hash AS k FROM events ORDER BY block_number, log_index",
        );
        const onChain = await chainLogKeys();
        expect(onChain.length).to.be.greaterThan(20);
        expect(rows.map((r) => r.k)).to.deep.equal(onChain);
        const names = (await db.query<{ event: string }>("SELECT DISTINCT event FROM events")).map((r) => r.event);
        expect(names).to.include.members(["Transfer", "BeneficiarySet", "Funded", "Staked", "Admitted", "RoleGranted"]);
        expect(names).to.not.include("Unknown");
        const health = await get("/health");
        expect(health.status).to.equal(200);
        expect(health.body).to.include({ chainId: 97, lagBlocks: 0, ok: true });
        await mine(5);
        expect((await get("/health")).body.lagBlocks).to.equal(5);
      });

      it("serves the validators with their stake and history", async () => {
        await newIndexer().syncToHead();
        const minStake = (await suite.staking.minStake()).toString();
        const list = (await get("/validators")).body.validators as {
          validator: string;
          status: string;
          activeStake: string;
        }[];
        for (const v of validators()) {
          expect(list.find((x) => x.validator === v.address)).to.include({
            status: "Active",
            activeStake: minStake,
            unbonding: "0",
            faults: "0",
            slashedTotal: "0",
          });
        }
        const one = await get(`/validators/${validators()[0].address.toLowerCase()}`);
        expect(one.status).to.equal(200);
        // Its first events, in chain order (a second database indexes a chain where epoch 0 is already claimed).
        expect(one.body.history.slice(0, 2).map((e: { event: string }) => e.event)).to.deep.equal([
          "Admitted",
          "Staked",
        ]);
        expect((await get("/validators/0x12")).status).to.equal(400);
      });

      it("epoch 0: posted root in its challenge window, then claimable with the published proof and mulDiv(pool, compute, total), then claimed", async () => {
        const [v1, v2] = validators();
        const data = await suite.rewards.getEpoch(0);
        if (data.root === `0x${"0".repeat(64)}`) {
          // First database: end epoch 0, release, build and post it (the oracle is the deployer on chain 97).
          const genesis = Number(await suite.rewards.genesis());
          const now = (await node.provider.getBlock("latest"))!.timestamp;
          await mine(1, Math.max(0, genesis + DAY - now) + 10);
          await (await suite.reservation.connect(deployer()).release()).wait();
          const oracle = new OracleClient(connectSuite(record, deployer()), deployer());
          const { proofs } = await oracle.buildEpoch(0n, [
            { validator: v1.address, compute: 300n },
            { validator: v2.address, compute: 700n },
          ]);
          await oracle.postEpoch(0n, proofs);
          fs.writeFileSync(
            path.join(os.tmpdir(), `dg-services-epoch0-${record.contracts.ComputeRewards}.json`),
            JSON.stringify(proofs),
          );
        }
        const proofs = JSON.parse(
          fs.readFileSync(path.join(os.tmpdir(), `dg-services-epoch0-${record.contracts.ComputeRewards}.json`), "utf8"),
        );
        await publishEpoch(db, proofs);
        await publishEpoch(db, proofs); // idempotent
        await newIndexer({ batchBlocks: 1000 }).syncToHead();
        const epoch = await suite.rewards.getEpoch(0);
        const posted = (await get("/epochs/0")).body;
        expect(posted.current).to.include({
          epoch: "0",
          root: proofs.root,
          totalCompute: "1000",
          pool: epoch.pool.toString(),
        });
        expect(posted.published).to.deep.equal([{ root: proofs.root, totalCompute: "1000", leaves: 2 }]);
        const report = (await get("/epochs/0/report")).body;
        expect(report.entries).to.deep.equal([
          { validator: v1.address, compute: "300" },
          { validator: v2.address, compute: "700" },
        ]);

        const now = (await node.provider.getBlock("latest"))!.timestamp;
        const activatesAt = Number(await suite.rewards.activatesAt(0));
        if (now < activatesAt) {
          const pending = (await get(`/validators/${v1.address}/claimable`)).body;
          expect(pending.claimable).to.deep.equal([]);
          expect(pending.pending.map((p: { epoch: string; status: string }) => [p.epoch, p.status])).to.deep.equal([
            ["0", "challenge"],
          ]);
          await mine(1, activatesAt - now + 1);
          await newIndexer().syncToHead();
        }
        const pool = epoch.pool;
        expect(pool > 0n).to.equal(true);
        for (const [v, compute] of [
          [v1, 300n],
          [v2, 700n],
        ] as const) {
          const claimable = (await get(`/validators/${v.address}/claimable`)).body;
          if ((await suite.rewards.isSettled(0, v.address)) === false) {
            expect(claimable.claimable).to.have.length(1);
            const item = claimable.claimable[0];
            expect(item.amount).to.equal(((pool * compute) / 1000n).toString());
            const before = await suite.token.balanceOf(v.address);
            await (await suite.rewards.connect(v).claimEpoch(0, item.compute, item.proof)).wait();
            expect((await suite.token.balanceOf(v.address)) - before).to.equal(BigInt(item.amount));
          }
        }
        await newIndexer().syncToHead();
        for (const [v, compute] of [
          [v1, 300n],
          [v2, 700n],
        ] as const) {
          expect((await get(`/validators/${v.address}/claimable`)).body.claimable).to.deep.equal([]);
          const history = (await get(`/validators/${v.address}`)).body;
          expect(
            history.rewardsPerEpoch.map((r: { epoch: string; amount: string }) => [r.epoch, r.amount]),
          ).to.deep.equal([["0", ((pool * compute) / 1000n).toString()]]);
          expect(history.rewardsClaimed).to.equal(((pool * compute) / 1000n).toString());
        }
      });

      it("resumes from its last block: a new indexer on the same database stores no event twice", async () => {
        await (await suite.token.connect(deployer()).transfer(validators()[0].address, 1n)).wait();
        const indexer = newIndexer();
        const cursorBefore = await indexer.cursor();
        const result = await indexer.syncToHead();
        expect(result.cursor).to.be.greaterThan(cursorBefore);
        const rows = await db.query<{ k: string }>(
          "SELECT block_number || ':' || log_index || ':' || tx_hash AS k FROM events ORDER BY block_number, log_index",
        );
        expect(rows.map((r) => r.k)).to.deep.equal(await chainLogKeys());
      });

      it("a reorganisation (anvil_reorg) of a few blocks: notices the changed hash, rolls back, leaves no stale row", async () => {
        const transfer = await (
          await suite.token.connect(deployer()).transfer(validators()[1].address, 12_345n)
        ).wait();
        await mine(2);
        await newIndexer().syncToHead();
        const stale = await db.query("SELECT * FROM events WHERE tx_hash = $1", [transfer!.hash]);
        expect(stale).to.have.length(1);
        // Replace the last 4 blocks (the transfer's among them) by blocks without it.
        const head = Number(await node.provider.send("eth_blockNumber", []));
        await node.provider.send("anvil_reorg", [4, []]);
        expect(Number(await node.provider.send("eth_blockNumber", []))).to.equal(head);
        await mine(1);
        const before = lines.length;
        const result = await newIndexer().syncToHead();
        expect(await db.query("SELECT * FROM events WHERE tx_hash = $1", [transfer!.hash])).to.deep.equal([]);
        const rows = await db.query<{ k: string }>(
          "SELECT block_number || ':' || log_index || ':' || tx_hash AS k FROM events ORDER BY block_number, log_index",
        );
        expect(rows.map((r) => r.k)).to.deep.equal(await chainLogKeys());
        const warned = lines.slice(before).find((l) => l.msg === "reorganisation: rolled back");
        expect(warned, JSON.stringify(lines.slice(before))).to.not.equal(undefined);
        expect(result.cursor).to.equal(result.head);
        // Every stored block hash is the chain's.
        const blocks = await db.query<{ number: number; hash: string }>(
          "SELECT number, hash FROM blocks WHERE number > $1",
          [head - 10],
        );
        for (const b of blocks)
          expect((await node.provider.getBlock(b.number))!.hash, `block ${b.number}`).to.equal(b.hash);
      });

      it("the OpenAPI description lists exactly the routes served, and every route answers with its documented fields", async () => {
        const spec = (await get("/openapi.json")).body;
        expect(spec.openapi).to.equal("3.1.0");
        const served = [...createRoutes().map((r) => r.path), "/openapi.json"].sort();
        expect(Object.keys(spec.paths).sort()).to.deep.equal(served);
        const answered: string[] = [];
        for (const [route, item] of Object.entries(spec.paths as Record<string, any>)) {
          if (route === "/openapi.json") continue;
          const op = item.get;
          let url = route;
          for (const p of op.parameters.filter((p: any) => p.in === "path")) {
            url = url.replace(`{${p.name}}`, p.name === "address" ? validators()[0].address : p.example);
          }
          const response = await get(url);
          expect(Object.keys(op.responses), route).to.include(String(response.status));
          if (response.status === 404) {
            // Only a route about one thing answers 404, when that thing does not exist (no proposal or check yet).
            expect(route, `${url}: ${JSON.stringify(response.body)}`).to.be.oneOf(["/proposals/{id}", "/checks/{id}"]);
            expect(response.body.error).to.be.a("string");
            continue;
          }
          expect(response.status, `${url}: ${JSON.stringify(response.body)}`).to.equal(200);
          const required: string[] = op.responses["200"].content["application/json"].schema.required;
          expect(response.body, url).to.include.keys(required);
          answered.push(route);
        }
        expect(answered).to.include.members([
          "/health",
          "/schedule",
          "/validators/{address}/claimable",
          "/epochs/{epoch}",
          "/epochs/{epoch}/report",
        ]);
        expect((await get("/nowhere")).status).to.equal(404);
        expect((await get("/proposals/999")).status).to.equal(404);
        expect((await get("/epochs/abc")).status).to.equal(400);
      });
    });
  }
});
