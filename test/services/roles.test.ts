/**
 * The acting roles against a real node: the transaction sender (crash and restart, lost transaction,
 * unreachable RPC), the keeper, the oracle, the guardian and a validator's claim, on anvil (chain 97)
 * with the suite deployed by `dg:deploy`, once with PGlite and once with the PostgreSQL server named by
 * `DG_TEST_DATABASE_URL` (each on its own fresh chain).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider, Network, Wallet, id } from "ethers";
import {
  CoordinatorClient,
  OracleClient,
  connectSuite,
  signReceipt,
  type DeploymentRecord,
  type Suite,
} from "../../sdk";
import { startApi, type ApiServer } from "../../services/api";
import { type Db } from "../../services/db";
import { Guardian } from "../../services/guardian";
import { Indexer } from "../../services/indexer";
import { Keeper } from "../../services/keeper";
import { Oracle, startUploadServer } from "../../services/oracle";
import { publishEpoch } from "../../services/published";
import { Sender, type IntentRow, type SenderHooks } from "../../services/sender";
import { REAL_BUILD } from "../helpers/fixtures";
import { accountKey, memoryLogger, DATABASES, deployOn, stakeMinimum, chainNow, mineOn } from "./helpers";
import { startAnvil, type RunningNode } from "../helpers/node";

const DAY = 86_400;
class SimulatedCrash extends Error {}
const crash = () => {
  throw new SimulatedCrash("process killed here");
};
/** Asserts that `promise` rejects with a `type` error. */
async function rejects(promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a rejection").to.be.instanceOf(type);
}

/** An HTTP proxy to `target` that answers 503 to the first `failures` requests: an RPC that stops answering. */
async function flakyProxy(target: string, failures: number) {
  let left = failures;
  let failed = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      if (left > 0) {
        left--;
        failed++;
        res.writeHead(503).end("unavailable");
        return;
      }
      const upstream = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      });
      res.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failed: () => failed,
    fail: (n: number) => (left = n),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

for (const database of DATABASES) {
  describe(`network services: sender, keeper, oracle, guardian on anvil, with the ${database.name} ${REAL_BUILD}`, function () {
    this.timeout(240_000);
    let node: RunningNode;
    let record: DeploymentRecord;
    let suite: Suite;
    let db: Db;
    let api: ApiServer;
    let reportDir: string;
    const { log, lines } = memoryLogger();
    const deployer = () => new Wallet(accountKey(0), node.provider);
    const validators = () => [1, 2, 3, 4].map((i) => new Wallet(accountKey(i), node.provider));
    const guardianWallet = () => new Wallet(accountKey(6), node.provider);
    const keeperWallet = () => new Wallet(accountKey(7), node.provider);
    const newSender = (wallet: Wallet, hooks?: SenderHooks, provider = node.provider) =>
      new Sender(db, provider, wallet, 97, log, {
        pollMs: 50,
        hooks,
        retry: { baseDelayMs: 10, maxDelayMs: 100, attempts: 0 },
      });
    const newOracle = (hooks?: SenderHooks) =>
      new Oracle(db, connectSuite(record, node.provider), newSender(deployer(), hooks), log, reportDir);
    const newGuardian = () =>
      new Guardian(db, node.provider, connectSuite(record, node.provider), newSender(guardianWallet()), log, {
        reportUrl: api.url,
        missingGraceSeconds: 300,
        deadlineMarginSeconds: 600,
      });
    const now = () => chainNow(node);
    const mine = (blocks: number, seconds = 0) => mineOn(node, blocks, seconds);
    async function logsOf(event: string, address: string) {
      return node.provider.getLogs({ address, topics: [id(event)], fromBlock: 0, toBlock: "latest" });
    }
    const rootPosted = async (epoch: number) =>
      (await logsOf("RootPosted(uint256,bytes32,uint256,uint256,uint256)", record.contracts.ComputeRewards)).filter(
        (l) => BigInt(l.topics[1]) === BigInt(epoch),
      ).length;

    before(async () => {
      node = await startAnvil({ chainId: 97 });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-roles-"));
      reportDir = path.join(dir, "reports");
      ({ record, suite } = await deployOn(node, dir));
      await stakeMinimum(suite, record, deployer(), validators());
      const rewards = suite.rewards.connect(deployer());
      await (await rewards.grantRole(await rewards.GUARDIAN_ROLE(), guardianWallet().address)).wait();
      db = await database.open();
      api = await startApi({ db, provider: node.provider, host: "127.0.0.1", port: 0, log });
    });
    after(async () => {
      await api?.close();
      await db?.close();
      await node?.stop();
    });

    it("the sender killed right after the broadcast, before recording the receipt: restarted, it sends nothing twice", async () => {
      const wallet = keeperWallet();
      const request = {
        to: record.contracts.DataGen,
        data: suite.token.interface.encodeFunctionData("approve", [validators()[0].address, 1n]),
      };
      const nonceBefore = await node.provider.getTransactionCount(wallet.address);
      let stored: IntentRow | undefined;
      const first = newSender(wallet, { afterBroadcast: (row) => ((stored = row), crash()) });
      await rejects(first.send("test:approve:1", request), SimulatedCrash);
      const row = (await db.query<IntentRow>("SELECT * FROM tx_intents WHERE key = 'test:approve:1'"))[0];
      expect(row.status).to.equal("signed");
      expect(row.tx_hash).to.equal(stored!.tx_hash);
      // The restarted process: resumes the intent (awaits its hash), then a second send of the key is a no-op.
      const second = newSender(wallet);
      const resumed = await second.resumeAll();
      expect(resumed.map((r) => [r.key, r.txHash, r.status, r.broadcastNow])).to.deep.equal([
        ["test:approve:1", row.tx_hash, "mined", false],
      ]);
      const again = await second.send("test:approve:1", request);
      expect(again).to.include({ txHash: row.tx_hash, broadcastNow: false, status: "mined" });
      expect(await node.provider.getTransactionCount(wallet.address)).to.equal(nonceBefore + 1);
      expect(await suite.token.allowance(wallet.address, validators()[0].address)).to.equal(1n);
    });

    it("a signed transaction the node never saw (killed before the broadcast, or dropped from the pool) is re-broadcast as the same raw tx", async () => {
      const wallet = keeperWallet();
      const data = (n: bigint) => suite.token.interface.encodeFunctionData("approve", [validators()[1].address, n]);
      const nonceBefore = await node.provider.getTransactionCount(wallet.address);
      // Killed after signing, before broadcasting.
      await rejects(
        newSender(wallet, { afterSign: crash }).send("test:approve:2", {
          to: record.contracts.DataGen,
          data: data(2n),
        }),
        SimulatedCrash,
      );
      const signed = (await db.query<IntentRow>("SELECT * FROM tx_intents WHERE key = 'test:approve:2'"))[0];
      expect(await node.provider.getTransaction(signed.tx_hash!)).to.equal(null);
      const [resumed] = await newSender(wallet).resumeAll();
      expect(resumed).to.include({ txHash: signed.tx_hash, status: "mined" });
      expect(await node.provider.getTransactionCount(wallet.address)).to.equal(nonceBefore + 1);

      // Broadcast, then lost by the node (dropped from its pool before being mined).
      await node.provider.send("evm_setAutomine", [false]);
      try {
        await rejects(
          newSender(wallet, { afterBroadcast: crash }).send("test:approve:3", {
            to: record.contracts.DataGen,
            data: data(3n),
          }),
          SimulatedCrash,
        );
        const sent = (await db.query<IntentRow>("SELECT * FROM tx_intents WHERE key = 'test:approve:3'"))[0];
        expect(await node.provider.getTransaction(sent.tx_hash!)).to.not.equal(null);
        await node.provider.send("anvil_dropTransaction", [sent.tx_hash]);
        expect(await node.provider.getTransaction(sent.tx_hash!)).to.equal(null);
        const before = lines.length;
        const restarted = newSender(wallet);
        const resuming = restarted.resumeAll();
        // Mine once the sender has re-broadcast it.
        for (let i = 0; i < 100 && !(await node.provider.getTransaction(sent.tx_hash!)); i++)
          await new Promise((r) => setTimeout(r, 50));
        await node.provider.send("evm_mine", []);
        const [done] = await resuming;
        expect(done).to.include({ txHash: sent.tx_hash, status: "mined" });
        expect(
          lines.slice(before).some((l) => String(l.msg).startsWith("the node does not know the transaction")),
        ).to.equal(true);
      } finally {
        await node.provider.send("evm_setAutomine", [true]);
      }
      expect(await node.provider.getTransactionCount(wallet.address)).to.equal(nonceBefore + 2);
      expect(await suite.token.allowance(wallet.address, validators()[1].address)).to.equal(3n);
    });

    it("an RPC that stops answering: the sender retries with backoff and sends once", async () => {
      const proxy = await flakyProxy(node.url, 0);
      const network = Network.from(97);
      const provider = new JsonRpcProvider(proxy.url, network, { staticNetwork: network, cacheTimeout: -1 });
      try {
        const wallet = keeperWallet();
        const nonceBefore = await node.provider.getTransactionCount(wallet.address);
        const before = lines.length;
        proxy.fail(6);
        const result = await newSender(wallet, undefined, provider).send("test:approve:4", {
          to: record.contracts.DataGen,
          data: suite.token.interface.encodeFunctionData("approve", [validators()[2].address, 4n]),
        });
        expect(result.status).to.equal("mined");
        expect(proxy.failed()).to.equal(6);
        const retries = lines.slice(before).filter((l) => l.msg === "rpc failed, retrying");
        expect(retries.length).to.equal(6);
        expect(retries.map((l) => l.delayMs)).to.deep.equal([10, 20, 40, 80, 100, 100]);
        expect(await node.provider.getTransactionCount(wallet.address)).to.equal(nonceBefore + 1);
      } finally {
        provider.destroy();
        await proxy.close();
      }
    });

    it("a mined transaction that a reorganisation takes away is awaited again when its key is sent again: the same raw tx, mined once", async () => {
      const wallet = keeperWallet();
      const spender = validators()[3].address;
      const request = {
        to: record.contracts.DataGen,
        data: suite.token.interface.encodeFunctionData("approve", [spender, 5n]),
      };
      const nonceBefore = await node.provider.getTransactionCount(wallet.address);
      const first = await newSender(wallet).send("test:approve:5", request);
      expect(first).to.include({ status: "mined", broadcastNow: true });
      await node.provider.send("anvil_reorg", [1, []]);
      expect(await node.provider.getTransactionReceipt(first.txHash)).to.equal(null);
      expect(await suite.token.allowance(wallet.address, spender)).to.equal(0n);
      const before = lines.length;
      const again = await newSender(wallet).send("test:approve:5", request);
      expect(again).to.include({ txHash: first.txHash, status: "mined", broadcastNow: false });
      expect(again.blockNumber).to.be.greaterThan(first.blockNumber);
      expect(lines.slice(before).map((l) => l.msg)).to.include(
        "a mined transaction is no longer on the chain (reorganisation): awaiting it again",
      );
      expect(await suite.token.allowance(wallet.address, spender)).to.equal(5n);
      expect(await node.provider.getTransactionCount(wallet.address)).to.equal(nonceBefore + 1);
      // On the chain again: a third send reads its receipt and sends nothing.
      expect(await newSender(wallet).send("test:approve:5", request)).to.include({
        txHash: first.txHash,
        blockNumber: again.blockNumber,
        broadcastNow: false,
      });
      expect(await node.provider.getTransactionCount(wallet.address)).to.equal(nonceBefore + 1);
    });

    it("the keeper releases once a day, draws a check once its seed block is mined and finalizes it after its reveal deadline", async () => {
      const start = Number(await suite.reservation.start());
      const t = await now();
      if (t < start + 60) await mine(1, start + 60 - t);
      const keeper = new Keeper(db, node.provider, suite, newSender(keeperWallet()), log);
      const released = async () =>
        (await logsOf("Released(uint256,uint256,uint256,uint256)", record.contracts.MiningReservation)).length;
      const r0 = await released();
      const first = await keeper.tick();
      expect(first.sent.map((s) => s.key.split(":")[0])).to.deep.equal(["release"]);
      expect(await released()).to.equal(r0 + 1);
      // The next day's emission is releasable, but a day has not passed since the keeper's release.
      await mine(1, start + DAY + 10 - (await now()));
      expect(await suite.reservation.releasable()).to.be.greaterThan(0n);
      expect((await keeper.tick()).sent).to.deep.equal([]);
      expect(await released()).to.equal(r0 + 1);
      await mine(1, 60);
      const third = await keeper.tick();
      expect(third.sent.map((s) => s.key.split(":")[0])).to.deep.equal(["release"]);
      expect(await released()).to.equal(r0 + 2);
      // A restarted keeper on the same database knows when it last released.
      expect((await new Keeper(db, node.provider, suite, newSender(keeperWallet()), log).tick()).sent).to.deep.equal(
        [],
      );

      // A check: validator 1 signs a receipt, the coordinator (the deployer) opens it.
      const v1 = validators()[0];
      const signed = await signReceipt(suite, v1, {
        taskId: "keeper-test-task",
        user: Wallet.createRandom().address,
        input: "input",
        result: "result",
      });
      const { checkId } = await new CoordinatorClient(connectSuite(record, deployer()), deployer()).openSigned(signed);
      const phase = async () => Number((await suite.crossCheck.checkInfo(checkId)).phase);
      expect(await phase()).to.equal(1); // AwaitingDraw
      await mine(1);
      const seedBlock = (await suite.crossCheck.checkInfo(checkId)).seedBlock;
      const draw = await keeper.tick();
      expect(draw.sent.map((s) => s.key)).to.deep.equal([
        `draw:97:${record.contracts.CrossCheck}:${checkId}:${seedBlock}`,
      ]);
      expect(await phase()).to.equal(2); // Drawn
      // Not due before the reveal deadline.
      expect((await keeper.tick()).sent.filter((s) => s.key.startsWith("finalize"))).to.deep.equal([]);
      const deadline = Number((await suite.crossCheck.checkInfo(checkId)).revealDeadline);
      await mine(1, deadline - (await now()) + 1);
      const fin = await keeper.tick();
      expect(fin.sent.filter((s) => s.key.startsWith("finalize")).map((s) => s.key)).to.deep.equal([
        `finalize:97:${record.contracts.CrossCheck}:${checkId}:${deadline}`,
      ]);
      expect(await phase()).to.equal(5); // Finalized
      // Finalized once: a later pass sends nothing for it.
      expect((await keeper.tick()).sent.filter((s) => !s.key.startsWith("release"))).to.deep.equal([]);
    });

    it("a whole epoch: report in the folder → root posted once → guardian agrees → activation → a validator claims with the API's proof", async () => {
      const [v1, v2] = validators();
      const genesis = Number(await suite.rewards.genesis());
      if ((await now()) < genesis + DAY) await mine(1, genesis + DAY - (await now()) + 1);
      expect(await suite.rewards.nextEpoch()).to.equal(0n);
      fs.mkdirSync(reportDir, { recursive: true });
      fs.writeFileSync(
        path.join(reportDir, "epoch-0.csv"),
        `validator,compute\n${v1.address},300\n${v2.address},700\n`,
      );
      const [posted] = await newOracle().tick();
      expect(posted).to.include({ epoch: 0n });
      expect(posted.result.broadcastNow).to.equal(true);
      expect(await rootPosted(0)).to.equal(1);
      const epoch = await suite.rewards.getEpoch(0);
      expect(epoch.root).to.equal(posted.root);
      expect(epoch.totalCompute).to.equal(1000n);

      const decision = await newGuardian().tick();
      expect(decision).to.include({ epoch: 0n, root: posted.root, verdict: "agreed" });
      expect(await logsOf("RootRevoked(uint256,bytes32,uint256)", record.contracts.ComputeRewards)).to.have.length(0);

      await mine(1, Number(await suite.rewards.activatesAt(0)) - (await now()) + 1);
      expect(await newGuardian().tick()).to.equal(undefined); // active: nothing left to check
      await new Indexer(
        db,
        node.provider,
        record,
        { fromBlock: 0, batchBlocks: 2000, reorgDepth: 16 },
        log,
      ).syncToHead();
      const body = (await (await fetch(`${api.url}/validators/${v1.address}/claimable`)).json()) as {
        claimable: { epoch: string; compute: string; proof: string[]; amount: string }[];
      };
      expect(body.claimable).to.have.length(1);
      const item = body.claimable[0];
      expect(item.epoch).to.equal("0");
      expect(item.amount).to.equal(((epoch.pool * 300n) / 1000n).toString());
      const before = await suite.token.balanceOf(v1.address);
      await (await suite.rewards.connect(v1).claimEpoch(0, item.compute, item.proof)).wait();
      expect((await suite.token.balanceOf(v1.address)) - before).to.equal((epoch.pool * 300n) / 1000n);
    });

    it("the oracle restarted after posting posts nothing twice; killed between the broadcast and the receipt, its restart neither posts twice nor skips", async () => {
      const deployerAddress = deployer().address;
      const nonce0 = await node.provider.getTransactionCount(deployerAddress);
      const [again] = await newOracle().tick();
      expect(again).to.include({ epoch: 0n });
      expect(again.result.broadcastNow).to.equal(false);
      expect(await rootPosted(0)).to.equal(1);
      expect(await node.provider.getTransactionCount(deployerAddress)).to.equal(nonce0);

      // Epoch 1's report arrives over HTTP (bearer token).
      const [v1, v2, v3] = validators();
      const upload = await startUploadServer({
        suite,
        reportDir,
        token: "s3cret",
        host: "127.0.0.1",
        port: 0,
        log,
      });
      try {
        const body = JSON.stringify([
          { validator: v1.address, compute: "10" },
          { validator: v3.address, compute: "30" },
        ]);
        const post = (auth: string, text = body) =>
          fetch(`${upload.url}/reports/1`, {
            method: "POST",
            headers: { authorization: auth, "content-type": "application/json" },
            body: text,
          });
        expect((await post("Bearer wrong")).status).to.equal(401);
        expect((await post("Bearer s3cret", "[]")).status).to.equal(400);
        const accepted = await post("Bearer s3cret");
        expect(accepted.status).to.equal(202);
        expect(await accepted.json()).to.include({ epoch: "1", totalCompute: "40", leaves: 2 });
        expect(
          (await post("Bearer s3cret", JSON.stringify([{ validator: v2.address, compute: "1" }]))).status,
        ).to.equal(409);
      } finally {
        await upload.close();
      }
      const ended = await suite.rewards.epochsEnded();
      if (ended < 2n) await mine(1, Number(await suite.rewards.epochStart(2)) - (await now()) + 1);
      await rejects(newOracle({ afterBroadcast: crash }).tick(), SimulatedCrash);
      expect(await rootPosted(1)).to.equal(1); // it did go out
      const nonce1 = await node.provider.getTransactionCount(deployerAddress);
      const outcomes = await newOracle().tick();
      expect(outcomes.map((o) => [o.epoch, o.result.broadcastNow])).to.deep.equal([
        [0n, false],
        [1n, false],
      ]);
      const resumed = outcomes[1];
      expect(resumed.result).to.include({ broadcastNow: false, status: "mined" });
      expect(await rootPosted(1)).to.equal(1);
      expect(await node.provider.getTransactionCount(deployerAddress)).to.equal(nonce1);
      const intents = await db.query<{ key: string; status: string }>(
        "SELECT key, status FROM tx_intents WHERE key LIKE 'postRoot:%' ORDER BY key",
      );
      const roots = [(await suite.rewards.getEpoch(0)).root, (await suite.rewards.getEpoch(1)).root];
      expect(intents).to.deep.equal([
        { key: `postRoot:97:${record.contracts.ComputeRewards}:0:${roots[0]}`, status: "mined" },
        { key: `postRoot:97:${record.contracts.ComputeRewards}:1:${roots[1]}`, status: "mined" },
      ]);
      // The guardian agrees with epoch 1 too (report published before the posting).
      expect(await newGuardian().tick()).to.include({ epoch: 1n, verdict: "agreed" });
    });

    it("a wrong root posted with the oracle's key directly is revoked by the guardian before activation", async () => {
      const [v1, v2] = validators();
      await mine(1, Number(await suite.rewards.activatesAt(1)) - (await now()) + 1);
      if ((await suite.rewards.epochsEnded()) < 3n)
        await mine(1, Number(await suite.rewards.epochStart(3)) - (await now()) + 1);
      const oracle = new OracleClient(connectSuite(record, deployer()), deployer());
      const revoked = async () =>
        (await logsOf("RootRevoked(uint256,bytes32,uint256)", record.contracts.ComputeRewards)).length;
      // The published report says 500/500; the posted root says 900/100 (published with the report's entries).
      const published = await oracle.buildEpoch(2n, [
        { validator: v1.address, compute: 500n },
        { validator: v2.address, compute: 500n },
      ]);
      const wrong = await oracle.buildEpoch(2n, [
        { validator: v1.address, compute: 900n },
        { validator: v2.address, compute: 100n },
      ]);
      await publishEpoch(db, { ...published.proofs, root: wrong.built.root });
      await oracle.postEpoch(2n, wrong.proofs);
      const decision = await newGuardian().tick();
      expect(decision).to.include({ epoch: 2n, root: wrong.built.root, verdict: "revoke" });
      expect(decision!.reason).to.match(/differ/);
      expect(decision!.revoke!.status).to.equal("mined");
      expect((await suite.rewards.getEpoch(2)).root).to.equal(`0x${"0".repeat(64)}`);
      expect(await revoked()).to.equal(1);
      // A restarted guardian does not revoke again (nothing pending now).
      expect(await newGuardian().tick()).to.equal(undefined);

      // A root with no published report: left for the grace period, then revoked, still before activation.
      const unpublished = await oracle.buildEpoch(2n, [{ validator: v1.address, compute: 1n }]);
      await oracle.postEpoch(2n, unpublished.proofs);
      const activatesAt = Number(await suite.rewards.activatesAt(2));
      expect(await newGuardian().tick()).to.include({ verdict: "waiting" });
      await mine(1, 301);
      const late = await newGuardian().tick();
      expect(late).to.include({ epoch: 2n, verdict: "revoke" });
      expect(late!.reason).to.match(/no report published/);
      expect(late!.revoke!.blockTime).to.be.lessThan(activatesAt);
      expect(await revoked()).to.equal(2);
      expect((await suite.rewards.getEpoch(2)).root).to.equal(`0x${"0".repeat(64)}`);

      // The first wrong root posted AGAIN is a new posting: judged again and revoked again, not taken
      // for the first posting (whose revocation is already mined).
      await oracle.postEpoch(2n, wrong.proofs);
      const repost = await newGuardian().tick();
      expect(repost).to.include({ epoch: 2n, root: wrong.built.root, verdict: "revoke" });
      expect(repost!.revoke!.broadcastNow).to.equal(true);
      expect(await revoked()).to.equal(3);
      expect((await suite.rewards.getEpoch(2)).root).to.equal(`0x${"0".repeat(64)}`);
    });

    it("a root of the oracle's revoked by the guardian: the same report is not posted again, a corrected one is posted once and agreed", async () => {
      const [v1, v2] = validators();
      const deployerAddress = deployer().address;
      const file = path.join(reportDir, "epoch-2.csv");
      fs.writeFileSync(file, `validator,compute\n${v1.address},500\n${v2.address},500\n`);
      const [first] = (await newOracle().tick()).filter((o) => o.epoch === 2n);
      expect(first.result.broadcastNow).to.equal(true);
      const postings = await rootPosted(2);
      // A guardian that cannot reach the oracle's API at its deadline revokes a root that was right.
      const blind = new Guardian(
        db,
        node.provider,
        connectSuite(record, node.provider),
        newSender(guardianWallet()),
        log,
        {
          reportUrl: "http://127.0.0.1:1",
          missingGraceSeconds: 300,
          deadlineMarginSeconds: 30 * DAY,
        },
      );
      const revocation = await blind.tick();
      expect(revocation).to.include({ epoch: 2n, root: first.root, verdict: "revoke" });
      expect(revocation!.reason).to.match(/did not answer/);
      expect(await suite.rewards.nextEpoch()).to.equal(2n);

      // The same report: not posted again (a guardian would revoke it again); an error says what to do.
      const nonce = await node.provider.getTransactionCount(deployerAddress);
      const before = lines.length;
      expect((await newOracle().tick()).filter((o) => o.epoch === 2n)).to.deep.equal([]);
      expect(await rootPosted(2)).to.equal(postings);
      expect(await node.provider.getTransactionCount(deployerAddress)).to.equal(nonce);
      const refused = lines.slice(before).find((l) => String(l.msg).startsWith("this report's root was revoked"));
      expect(refused).to.include({
        level: "error",
        key: `postRoot:97:${record.contracts.ComputeRewards}:2:${first.root}`,
      });

      // A corrected report in its place: posted once, under its own key.
      fs.writeFileSync(file, `validator,compute\n${v1.address},6000\n${v2.address},4000\n`);
      const oracle = newOracle();
      const [corrected] = (await oracle.tick()).filter((o) => o.epoch === 2n);
      expect(corrected.result.broadcastNow).to.equal(true);
      expect(corrected.root).to.not.equal(first.root);
      expect((await suite.rewards.getEpoch(2)).root).to.equal(corrected.root);
      expect((await suite.rewards.getEpoch(2)).totalCompute).to.equal(10_000n);
      expect(await rootPosted(2)).to.equal(postings + 1);
      expect((await oracle.tick()).filter((o) => o.epoch === 2n)).to.deep.equal([]);
      // Restarted: every epoch's posting is found already sent, nothing is broadcast.
      const nonce2 = await node.provider.getTransactionCount(deployerAddress);
      const restarted = await newOracle().tick();
      expect(restarted.map((o) => [o.epoch, o.result.broadcastNow])).to.deep.equal([
        [0n, false],
        [1n, false],
        [2n, false],
      ]);
      expect(await node.provider.getTransactionCount(deployerAddress)).to.equal(nonce2);
      expect(await rootPosted(2)).to.equal(postings + 1);
      // The guardian (reaching the API) judges the new posting on its own: it agrees.
      expect(await newGuardian().tick()).to.include({ epoch: 2n, root: corrected.root, verdict: "agreed" });
    });

    it("the keeper settles a vote once it ends, exactly once, and leaves the vote that has not ended (an empty vote closes after 7 days)", async () => {
      const vote = suite.inflationVote.connect(deployer());
      const voteAddress = record.contracts.InflationVote;
      await (await suite.token.connect(deployer()).approve(voteAddress, 2n ** 255n)).wait();
      const target = (await suite.reservation.burnBps()) === 0n ? 1_000n : 0n;
      const poolTarget = await vote.POOL_TARGET();
      const open = async (days: number) => {
        await (await vote.propose(target, days * DAY)).wait();
        const pid = await vote.proposalCount();
        await (await vote.back(pid, poolTarget)).wait();
        return pid;
      };
      const a = await open(10); // voting at once
      const b = await open(30); // queued behind it
      await (await vote.vote(a, false, await vote.MIN_VOTE_LOCK())).wait();
      const VOTING = 3n;
      expect(await vote.statusOf(a)).to.equal(VOTING);
      expect(await vote.statusOf(b)).to.equal(2n); // Queued
      const keeper = new Keeper(db, node.provider, suite, newSender(keeperWallet()), log);
      const settles = async (k = keeper) =>
        (await k.tick()).sent.filter((s) => s.key.startsWith("settle:")).map((s) => s.key);
      const settled = async (pid: bigint) =>
        (await logsOf("ProposalSettled(uint256,bool,uint256,uint256)", voteAddress)).filter(
          (l) => BigInt(l.topics[1]) === pid,
        ).length;
      expect(await settles()).to.deep.equal([]);
      const endA = Number((await vote.getProposal(a)).votingEnd);
      await mine(1, endA - 60 - (await now()));
      expect(await settles()).to.deep.equal([]);
      expect(await vote.statusOf(a)).to.equal(VOTING);

      await mine(1, 61);
      expect(await settles()).to.deep.equal([`settle:97:${voteAddress}:${a}`]);
      expect(await settled(a)).to.equal(1);
      expect(await vote.statusOf(a)).to.equal(5n); // Failed
      // Settling A opened B: just started, not touched; A is not settled again, by this keeper or a restarted one.
      expect(await vote.statusOf(b)).to.equal(VOTING);
      expect(await settles()).to.deep.equal([]);
      expect(await settles(new Keeper(db, node.provider, suite, newSender(keeperWallet()), log))).to.deep.equal([]);
      expect(await settled(a)).to.equal(1);
      expect(await settled(b)).to.equal(0);

      // B is empty: it closes MIN_VOTING_DURATION (7 days) after its start, long before its 30-day end.
      const startB = Number((await vote.getProposal(b)).votingStart);
      await mine(1, startB + 7 * DAY - 60 - (await now()));
      expect(await settles()).to.deep.equal([]);
      await mine(1, 61);
      expect(await settles()).to.deep.equal([`settle:97:${voteAddress}:${b}`]);
      expect(await settled(b)).to.equal(1);
      expect(await vote.statusOf(b)).to.equal(5n);
      expect(await settles()).to.deep.equal([]);
    });
  });
}
