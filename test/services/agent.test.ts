/**
 * The validator agent against a real node (anvil, chain 97, the suite deployed by `dg:deploy`), once
 * with PGlite and once with the PostgreSQL server named by `DG_TEST_DATABASE_URL`: the receipt server,
 * a check where one agent is stopped between its commit and its reveal and restarted, a claim from the
 * API's proofs, and a slash reported at level error.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Wallet, id, recoverAddress } from "ethers";
import {
  CoordinatorClient,
  INPUT_MISMATCH,
  VERDICTS,
  connectSuite,
  hashContent,
  receiptDigest,
  receiptDomain,
  signReceipt,
  validateReceiptJson,
  type DeploymentRecord,
  type SignedReceipt,
  type Suite,
} from "../../sdk";
import { Agent, runAnswerCommand, startReceiptServer } from "../../services/agent";
import { startApi, type ApiServer } from "../../services/api";
import { type Db } from "../../services/db";
import { Indexer } from "../../services/indexer";
import { Oracle } from "../../services/oracle";
import { Sender, type IntentRow, type SenderHooks } from "../../services/sender";
import { REAL_BUILD } from "../helpers/fixtures";
import { accountKey, memoryLogger, DATABASES, deployOn, stakeMinimum, chainNow, mineOn } from "./helpers";
import { startAnvil, type RunningNode } from "../helpers/node";

const DAY = 86_400;

const RESULT = "the result";

describe("network services: the agent's answer command", function () {
  this.timeout(20_000);
  const args = {
    taskId: `0x${"ab".repeat(32)}`,
    inputLocation: "/inputs/x",
    checkId: 7n,
    inputHash: `0x${"cd".repeat(32)}`,
  };
  it("gets the task id and input location as arguments and environment; INPUT_MISMATCH is the contract's constant", async () => {
    const hash = hashContent("r");
    expect(
      await runAnswerCommand(`test "$1 $2 $DG_CHECK_ID" = "${args.taskId} /inputs/x 7" && echo ${hash} #`, args, 5000),
    ).to.equal(hash);
    expect(await runAnswerCommand("echo INPUT_MISMATCH #", args, 5000)).to.equal(INPUT_MISMATCH);
  });
  it("refuses other output, a failing command, and kills one that runs too long", async () => {
    const reason = async (command: string, timeout = 5000) =>
      runAnswerCommand(command, args, timeout).then(
        () => "resolved",
        (error: Error) => error.message,
      );
    expect(await reason("echo not-a-hash #")).to.match(/printed "not-a-hash", not a result hash/);
    expect(await reason("exit 3 #")).to.match(/exited with 3/);
    expect(await reason("sleep 5 #", 300)).to.match(/longer than 300 ms and was killed/);
  });
});

for (const database of DATABASES) {
  describe(`network services: the validator agent on anvil, with the ${database.name} ${REAL_BUILD}`, function () {
    this.timeout(180_000);
    let node: RunningNode;
    let record: DeploymentRecord;
    let suite: Suite;
    let db: Db;
    let api: ApiServer;
    let dir: string;
    let script: string;
    const logs = new Map<number, ReturnType<typeof memoryLogger>>();
    const { log } = memoryLogger();
    const deployer = () => new Wallet(accountKey(0), node.provider);
    const validator = (i: number) => new Wallet(accountKey(i), node.provider);
    const coordinator = () => new CoordinatorClient(connectSuite(record, deployer()), deployer());
    const senderFor = (i: number, hooks?: SenderHooks, logger = log) =>
      new Sender(db, node.provider, validator(i), 97, logger, { pollMs: 50, hooks });
    /** A fresh agent instance (a started process) for validator `i`, answering `answer`. */
    const agentFor = (i: number, answer = hashContent(RESULT), sender = senderFor(i), logger?: typeof log) => {
      if (!logs.has(i)) logs.set(i, memoryLogger());
      const suiteView = connectSuite(record, node.provider);
      return new Agent(db, node.provider, suiteView, validator(i), sender, logger ?? logs.get(i)!.log, {
        answerCommand: `sh ${script} ${answer}`,
        answerTimeoutMs: 20_000,
        inputBase: path.join(dir, "inputs"),
        saltDir: path.join(dir, `salts-${i}`),
        apiUrl: api.url,
        fromBlock: 0,
        batchBlocks: 2000,
        reorgDepth: 16,
      });
    };
    const now = () => chainNow(node);
    const mine = (blocks: number, seconds = 0) => mineOn(node, blocks, seconds);
    const slashedLogs = async () =>
      node.provider.getLogs({
        address: record.contracts.ValidatorStaking,
        topics: [id("Slashed(uint256,address,address,uint256,uint256,uint256,uint256)")],
        fromBlock: 0,
        toBlock: "latest",
      });
    /** A receipt of validator 1 for task `taskId` (result RESULT) to a new user. */
    const receiptOf = (taskId: string) =>
      signReceipt(suite, validator(1), {
        taskId,
        user: Wallet.createRandom().address,
        input: "the input",
        result: RESULT,
      });
    /** Opens a check of `signed`, draws it; returns its id and deadlines. */
    async function openAndDraw(signed: SignedReceipt) {
      const { checkId } = await coordinator().openSigned(signed);
      await mine(1);
      await coordinator().draw(checkId);
      const info = await suite.crossCheck.checkInfo(checkId);
      expect(Number(info.phase)).to.equal(2); // Drawn
      const drawn = info.drawn.slice(0, 3).map((a) => a.toLowerCase());
      expect(drawn.sort()).to.deep.equal([2, 3, 4].map((i) => validator(i).address.toLowerCase()).sort());
      return { checkId, commitDeadline: Number(info.commitDeadline), revealDeadline: Number(info.revealDeadline) };
    }

    before(async () => {
      node = await startAnvil({ chainId: 97 });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-agent-"));
      script = path.join(dir, "answer.sh");
      // The operator's answer command: records its arguments and environment, prints the hash it is given.
      fs.writeFileSync(
        script,
        `echo "$2 $3 $DG_CHECK_ID $DG_TASK_ID" >> "${path.join(dir, "calls.log")}"\necho "$1"\n`,
      );
      ({ record, suite } = await deployOn(node, dir));
      await stakeMinimum(suite, record, deployer(), [1, 2, 3, 4].map(validator));
      db = await database.open();
      api = await startApi({ db, provider: node.provider, host: "127.0.0.1", port: 0, log });
    });
    after(async () => {
      await api?.close();
      await db?.close();
      await node?.stop();
    });

    let served: SignedReceipt;
    it("the receipt server signs a receipt that the contract's receiptDigest and the signature verify for the agent", async () => {
      const v1 = validator(1);
      const server = await startReceiptServer({
        suite: connectSuite(record, node.provider),
        wallet: v1,
        host: "127.0.0.1",
        port: 0,
        log,
      });
      try {
        const user = Wallet.createRandom().address;
        const request = {
          taskId: "agent-task-1",
          user,
          inputHash: hashContent("the input"),
          resultHash: hashContent(RESULT),
        };
        const response = await fetch(`${server.url}/receipt`, { method: "POST", body: JSON.stringify(request) });
        expect(response.status).to.equal(200);
        served = validateReceiptJson(await response.json());
        expect(served.paired).to.equal(v1.address);
        expect(served.receipt.user).to.equal(user);
        expect(served.receipt.resultHash).to.equal(request.resultHash);
        const { receipt } = served;
        const onChain = await suite.crossCheck.receiptDigest(receipt);
        expect(onChain).to.equal(receiptDigest(receipt, receiptDomain(97n, record.contracts.CrossCheck)));
        expect(recoverAddress(onChain, served.signature)).to.equal(v1.address);
        // A receipt the contract would refuse is refused with a one-line reason.
        const bad = await fetch(`${server.url}/receipt`, {
          method: "POST",
          body: JSON.stringify({ ...request, user: v1.address }),
        });
        expect(bad.status).to.equal(400);
        expect(((await bad.json()) as { error: string }).error).to.match(/its own paired validator/);
      } finally {
        await server.close();
      }
    });

    it("an agent killed between its commit's broadcast and its record, restarted, finishes the commit from the sender's journal and reveals in time: Pass, nobody slashed", async () => {
      const { checkId, commitDeadline, revealDeadline } = await openAndDraw(served);
      const v2 = validator(2).address;
      const nonceBefore = await node.provider.getTransactionCount(v2);
      // The first instance is killed right after broadcasting its commit (a hook that throws, as a killed
      // process): it never records the commit's receipt. Its own log is kept apart (a killed process logs nothing more).
      const killed = memoryLogger();
      const crashed = senderFor(
        2,
        { afterBroadcast: () => Promise.reject(new Error("process killed here")) },
        killed.log,
      );
      const tick = await agentFor(2, undefined, crashed, killed.log).tick();
      expect(tick.drawn).to.deep.equal([checkId]);
      expect(tick.committed).to.deep.equal([]);
      const key = `commit:97:${record.contracts.CrossCheck}:${checkId}:${v2}:`;
      const [intent] = await db.query<IntentRow>("SELECT * FROM tx_intents WHERE left(key, length($1)) = $1", [key]);
      expect(intent.status).to.equal("signed");
      const [commitment] = await suite.crossCheck.submission(checkId, v2);
      expect(commitment).to.not.equal(`0x${"0".repeat(64)}`);
      // Restarted (as `npm run services` does): the sender resumes the journal first; the commit is not sent again.
      const restartedSender = senderFor(2);
      const resumed = await restartedSender.resumeAll();
      expect(resumed.map((r) => [r.key, r.txHash, r.status, r.broadcastNow])).to.deep.equal([
        [intent.key, intent.tx_hash, "mined", false],
      ]);
      expect(await node.provider.getTransactionCount(v2)).to.equal(nonceBefore + 1);
      // Only the database, the journal and the salt folder remain of the first instance.
      const calls = fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
      expect(calls).to.deep.equal([
        `${served.receipt.taskId} ${path.join(dir, "inputs")}/${served.receipt.taskId} ${checkId} ${served.receipt.taskId}`,
      ]);
      for (const i of [3, 4]) expect((await agentFor(i).tick()).committed).to.deep.equal([checkId]);

      // Before the commit deadline nothing is revealed.
      const restarted = agentFor(2, undefined, restartedSender);
      expect((await restarted.tick()).revealed).to.deep.equal([]);
      await mine(1, commitDeadline - (await now()) + 1);
      const again = await restarted.tick();
      expect(again.drawn).to.deep.equal([]);
      expect(again.revealed).to.deep.equal([checkId]);
      for (const i of [3, 4]) expect((await agentFor(i).tick()).revealed).to.deep.equal([checkId]);
      expect((await suite.crossCheck.submission(checkId, validator(2).address))[1]).to.equal(hashContent(RESULT));
      expect(await now()).to.be.at.most(revealDeadline);

      await mine(1, revealDeadline - (await now()) + 1);
      const { verdict } = await coordinator().finalize(checkId);
      expect(verdict).to.equal("Pass");
      expect(await slashedLogs()).to.have.length(0);
      const rows = await db.query<{ party: string; stage: string }>(
        "SELECT party, stage FROM agent_checks WHERE check_id = $1 ORDER BY party",
        [checkId.toString()],
      );
      expect(rows.map((r) => r.stage)).to.deep.equal(["revealed", "revealed", "revealed"]);
      for (const i of [2, 3, 4]) {
        expect(logs.get(i)!.lines.filter((l) => l.level === "error" || l.level === "warn")).to.deep.equal([]);
      }
      // Every transaction of the agents went through the journal, once: a commit and a reveal each.
      const intents = await db.query<{ key: string; status: string }>(
        "SELECT key, status FROM tx_intents WHERE key LIKE 'commit:%' OR key LIKE 'reveal:%' ORDER BY key",
      );
      expect(intents.map((r) => `${r.key.split(":")[0]}:${r.key.split(":")[4]}:${r.status}`).sort()).to.deep.equal(
        [2, 3, 4]
          .flatMap((i) => [`commit:${validator(i).address}:mined`, `reveal:${validator(i).address}:mined`])
          .sort(),
      );
      expect(await node.provider.getTransactionCount(v2)).to.equal(nonceBefore + 2);
    });

    it("claims its epochs through the API's proofs in one transaction, paid exactly the contract's amount", async () => {
      const [v2, v3] = [validator(2), validator(3)];
      const genesis = Number(await suite.rewards.genesis());
      if ((await now()) < genesis + DAY) await mine(1, genesis + DAY - (await now()) + 1);
      const reportDir = path.join(dir, "reports");
      fs.mkdirSync(reportDir, { recursive: true });
      fs.writeFileSync(
        path.join(reportDir, "epoch-0.csv"),
        `validator,compute\n${v2.address},300\n${v3.address},700\n`,
      );
      const oracleSender = new Sender(db, node.provider, deployer(), 97, log, { pollMs: 50 });
      const [posted] = await new Oracle(db, connectSuite(record, node.provider), oracleSender, log, reportDir).tick();
      expect(posted).to.include({ epoch: 0n });
      const epoch = await suite.rewards.getEpoch(0);
      const indexer = new Indexer(db, node.provider, record, { fromBlock: 0, batchBlocks: 2000, reorgDepth: 16 }, log);
      // In the challenge window: nothing claimable yet.
      await indexer.syncToHead();
      expect((await agentFor(2).tick()).claimed).to.equal(undefined);

      await mine(1, Number(await suite.rewards.activatesAt(0)) - (await now()) + 1);
      await indexer.syncToHead();
      const expected = (epoch.pool * 300n) / 1000n;
      const before = await suite.token.balanceOf(v2.address);
      const tick = await agentFor(2).tick();
      expect(tick.claimed).to.deep.equal({ epochs: [0n], paid: expected });
      expect((await suite.token.balanceOf(v2.address)) - before).to.equal(expected);
      expect(await suite.rewards.isSettled(0, v2.address)).to.equal(true);
      // Claimed once: the next pass (index not yet caught up) sends nothing.
      expect((await agentFor(2).tick()).claimed).to.equal(undefined);
      expect((await suite.token.balanceOf(v2.address)) - before).to.equal(expected);
    });

    it("a reorganisation that takes a draw away is undone: the draw is forgotten, the new draw is committed and revealed once, nobody slashed", async () => {
      const signed = await receiptOf("agent-task-reorg");
      const { checkId } = await openAndDraw(signed);
      const v2 = validator(2).address;
      const agent = agentFor(2);
      expect(await agent.tick()).to.deep.include({ drawn: [checkId], committed: [checkId] });
      const commitment = (await suite.crossCheck.submission(checkId, v2))[0];
      // Replace the draw's block and the commit's block by empty ones: the check is awaiting its draw again.
      const head = Number(await node.provider.send("eth_blockNumber", []));
      await node.provider.send("anvil_reorg", [2, []]);
      expect(Number(await node.provider.send("eth_blockNumber", []))).to.equal(head);
      expect(Number((await suite.crossCheck.checkInfo(checkId)).phase)).to.equal(1); // AwaitingDraw
      const lines = logs.get(2)!.lines;
      const before = lines.length;
      expect(await agent.tick()).to.deep.include({ drawn: [], committed: [] });
      const warned = lines.slice(before).find((l) => l.msg === "reorganisation: rolled back");
      expect(warned, JSON.stringify(lines.slice(before))).to.deep.include({ droppedDraws: [checkId.toString()] });
      const rowsOf = () =>
        db.query<{ drawn_block: number; drawn_hash: string; stage: string }>(
          "SELECT drawn_block, drawn_hash, stage FROM agent_checks WHERE check_id = $1 AND party = $2",
          [checkId.toString(), v2],
        );
      expect(await rowsOf()).to.deep.equal([]);

      // Drawn again (the same seed block, so the same checkers): committed once more under a new key.
      await coordinator().draw(checkId);
      const info = await suite.crossCheck.checkInfo(checkId);
      expect(await agent.tick()).to.deep.include({ drawn: [checkId], committed: [checkId] });
      const [row] = await rowsOf();
      const drawLog = (
        await node.provider.getLogs({
          address: record.contracts.CrossCheck,
          topics: [id("CheckersDrawn(uint256,address[3],uint256,uint256)")],
          fromBlock: head - 1,
          toBlock: "latest",
        })
      ).at(-1)!;
      expect(row).to.deep.equal({
        drawn_block: drawLog.blockNumber,
        drawn_hash: drawLog.blockHash,
        stage: "committed",
      });
      // The same salt file and answer: the same commitment as before the reorganisation.
      expect((await suite.crossCheck.submission(checkId, v2))[0]).to.equal(commitment);
      for (const i of [3, 4]) expect((await agentFor(i).tick()).committed).to.deep.equal([checkId]);
      await mine(1, Number(info.commitDeadline) - (await now()) + 1);
      for (const i of [2, 3, 4]) expect((await agentFor(i).tick()).revealed).to.deep.equal([checkId]);
      await mine(1, Number(info.revealDeadline) - (await now()) + 1);
      expect((await coordinator().finalize(checkId)).verdict).to.equal("Pass");
      expect(await slashedLogs()).to.have.length(0);
      expect(lines.slice(before).filter((l) => l.level === "error")).to.deep.equal([]);
    });

    it("reports, once per change, an account below the minimum stake, then cooling down after a full unbond (warn)", async () => {
      const { log: logger, lines } = memoryLogger();
      const agent = agentFor(6, hashContent(RESULT), senderFor(6), logger);
      const warned = () => lines.filter((l) => l.level === "warn").map((l) => String(l.msg));
      await agent.tick();
      await agent.tick();
      expect(warned()).to.deep.equal([
        "below the minimum stake: the agent's account is not a validator (never drawn, no rewards)",
      ]);
      await stakeMinimum(suite, record, deployer(), [validator(6)]);
      await agent.tick();
      expect(lines.some((l) => l.level === "info" && l.msg === "the validator is Active")).to.equal(true);
      const minStake = await suite.staking.minStake();
      await (await suite.staking.connect(validator(6)).requestUnbond(minStake)).wait();
      await agent.tick();
      await agent.tick();
      expect(warned()).to.deep.equal([
        "below the minimum stake: the agent's account is not a validator (never drawn, no rewards)",
        "cooling down: the validator left the active set (never drawn again, no rewards)",
      ]);
      expect(lines.filter((l) => l.level === "error")).to.deep.equal([]);
    });

    it("an agent that answers against the majority is slashed and expelled: both are reported at level error", async () => {
      const signed = await receiptOf("agent-task-2");
      const { checkId, commitDeadline, revealDeadline } = await openAndDraw(signed);
      const wrong = agentFor(2, hashContent("another result"));
      expect((await wrong.tick()).committed).to.deep.equal([checkId]);
      for (const i of [3, 4]) expect((await agentFor(i).tick()).committed).to.deep.equal([checkId]);
      await mine(1, commitDeadline - (await now()) + 1);
      expect((await wrong.tick()).revealed).to.deep.equal([checkId]);
      for (const i of [3, 4]) expect((await agentFor(i).tick()).revealed).to.deep.equal([checkId]);
      await mine(1, revealDeadline - (await now()) + 1);
      const { verdict } = await coordinator().finalize(checkId);
      expect(verdict).to.equal(VERDICTS[3]); // CheckerSlashed
      expect(await slashedLogs()).to.have.length(1);

      const lines = logs.get(2)!.lines;
      const errorsBefore = lines.filter((l) => l.level === "error").length;
      await wrong.tick();
      const errors = lines.filter((l) => l.level === "error").slice(errorsBefore);
      const slashed = errors.find((l) => l.msg === "slashed");
      expect(slashed).to.include({ validator: validator(2).address, checkId: checkId.toString() });
      expect(errors.some((l) => l.msg === "expelled")).to.equal(true);
      expect(errors.some((l) => String(l.msg).startsWith("the validator is expelled"))).to.equal(true);
      // Reported once: the next pass adds no error line.
      await wrong.tick();
      expect(lines.filter((l) => l.level === "error").length).to.equal(errorsBefore + errors.length);
      // The honest checkers log no error.
      for (const i of [3, 4]) expect(logs.get(i)!.lines.filter((l) => l.level === "error")).to.deep.equal([]);
    });
  });
}
