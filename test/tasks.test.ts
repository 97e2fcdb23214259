/**
 * The `dg:*` tasks, run in-process exactly as the CLI runs them (same arguments, same output), against
 * the suite deployed by the fixture and recorded for the embedded network's chain id. Each README
 * example is run here; each malformed argument or report is refused with one line before any
 * transaction.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { id, keccak256, toUtf8Bytes } from "ethers";
import { writeDeployment } from "../sdk";
import { deployCrossCheck } from "./helpers/crosscheck";
import { suiteAddresses } from "../scripts/lib/deploySuite";
import { dg } from "./helpers/tasks";

const DG = 10n ** 18n;
const DAY = 86_400n;

async function recorded() {
  const s = await deployCrossCheck();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-tasks-"));
  writeDeployment(
    {
      chainId: Number((await ethers.provider.getNetwork()).chainId),
      network: "hardhat",
      deployer: s.deployer.address,
      blockNumber: await ethers.provider.getBlockNumber(),
      deployedAt: new Date(0).toISOString(),
      contracts: await suiteAddresses(s),
    },
    dir,
  );
  return { s, dir };
}

describe("dg:* tasks", function () {
  const previous = { records: process.env.DG_DEPLOYMENTS_DIR, salts: process.env.DG_SALTS_DIR };
  let dir: string;
  async function setup() {
    const fixture = await loadFixture(recorded);
    dir = fixture.dir;
    process.env.DG_DEPLOYMENTS_DIR = dir;
    // A fresh salt store per test, never the developer's ~/.datagen/salts.
    process.env.DG_SALTS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "dg-salts-"));
    return fixture.s;
  }
  after(() => {
    for (const [name, value] of [
      ["DG_DEPLOYMENTS_DIR", previous.records],
      ["DG_SALTS_DIR", previous.salts],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  /**
   * The first validator signs a delivery receipt (`receipt`: dg:receipt:sign's task, input and result
   * arguments) to the fixture's user, the coordinator opens check 1 from it, anyone draws it: returns
   * the three checkers drawn.
   */
  async function openAndDraw(s: Awaited<ReturnType<typeof setup>>, receipt: Record<string, string>): Promise<string[]> {
    const signers = await ethers.getSigners();
    const file = path.join(dir, "receipt.json");
    const sign = await dg("receipt:sign", {
      user: s.user.address,
      ...receipt,
      out: file,
      account: signers.findIndex((x) => x.address === s.validators[0].address),
    });
    expect(sign.code, sign.err).to.equal(0);
    expect((await dg("check:open", { receipt: file, account: 1 })).code).to.equal(0);
    await mine(1);
    expect((await dg("check:draw", { check: "1" })).code).to.equal(0);
    return (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
  }

  it("dg:schedule and dg:release", async () => {
    const s = await setup();
    await time.increaseTo((await s.reservation.start()) + DAY);
    const schedule = await dg("schedule");
    expect(schedule.code, schedule.err).to.equal(0);
    expect(schedule.out).to.match(/daily rate\s+4,560 DG/);
    expect(schedule.out).to.match(/emitted by then\s+9,120 DG/);
    expect(schedule.out).to.match(/next halving\s+day 1095/);
    const release = await dg("release");
    expect(release.out).to.match(/to the distributor\s+9,120 DG/);
    expect(await s.reservation.emitted()).to.equal(9_120n * DG);
  });

  it("holder tasks: propose (deposit), back, unback, vote, votes, settle, withdraw", async () => {
    const s = await setup();
    const holder = 12; // funded with 100,000 DG
    const propose = await dg("propose", { burnBps: "2000", days: "7", account: holder });
    expect(propose.out).to.match(/proposal\s+1/);
    expect(propose.out).to.match(/deposit\s+1,000 DG \(returned unless/);
    expect(await s.token.balanceOf(s.others[0].address)).to.equal(99_000n * DG);
    const partial = await dg("back", { proposal: "1", amount: "99000", account: holder });
    expect(partial.out).to.match(/pooled\s+99,000 DG/);
    expect(partial.out).to.match(/state\s+Pooling/);
    const unback = await dg("unback", { proposal: "1", amount: "9000", account: holder });
    expect(unback.code, unback.err).to.equal(0);
    expect(unback.out).to.match(/pooled\s+90,000 DG/);
    const tooMuch = await dg("unback", { proposal: "1", amount: "90001", account: holder });
    expect(tooMuch.code).to.equal(1);
    expect(tooMuch.err).to.match(/backed proposal 1 with 90,000 DG and cannot take back 90,001 DG/);
    await dg("back", { proposal: "1", amount: "9000", account: holder });
    const back = await dg("back", { proposal: "1", amount: "1000", account: 0 });
    expect(back.out).to.match(/pooled\s+100,000 DG/);
    expect(back.out).to.match(/state\s+Voting/);
    const vote = await dg("vote", { proposal: "1", support: "for", amount: "400000", account: 0 });
    expect(vote.code, vote.err).to.equal(0);
    expect(vote.out).to.match(/for\s+400,000 DG/);
    expect((await dg("votes")).out).to.match(/^running: proposal 1 → 2000 bps, for 400,000 DG, against 0 DG/);
    const early = await dg("settle", { proposal: "1" });
    expect(early.code).to.equal(1);
    expect(early.err).to.match(/^error: the vote on proposal 1 runs until /);
    await time.increaseTo((await s.inflationVote.getProposal(1n)).votingEnd);
    const settle = await dg("settle", { proposal: "1" });
    expect(settle.out).to.match(/result\s+Passed/);
    expect(settle.out).to.match(/burn rate now\s+2000 bps/);
    // 99,000 DG pooled + the 1,000 DG deposit (participation reached the quorum).
    expect((await dg("withdraw", { proposal: "1", account: holder })).out).to.match(/withdrawn\s+100,000 DG/);
    expect(await s.token.balanceOf(s.others[0].address)).to.equal(100_000n * DG);
  });

  it("validator tasks: stake (permit), status, unbond, withdraw", async () => {
    const s = await setup();
    const v = 13;
    const stake = await dg("validator:stake", { amount: "10000", noPermit: false, account: v });
    expect(stake.code, stake.err).to.equal(0);
    expect(stake.out).to.match(/status\s+Active/);
    expect(stake.out).to.match(/active stake\s+10,000 DG/);
    const status = await dg("validator:status", { address: s.others[1].address });
    expect(status.out).to.match(/status\s+Active/);
    expect((await dg("validator:unbond", { amount: "10000", account: v })).out).to.match(/status\s+CoolingDown/);
    const early = await dg("validator:withdraw", { account: v });
    expect(early.err).to.match(/^error: the unbonding cooldown ends at /);
    await time.increase(7n * DAY);
    const withdraw = await dg("validator:withdraw", { account: v });
    expect(withdraw.out).to.match(/withdrawn\s+10,000 DG/);
    expect(withdraw.out).to.match(/status\s+None/);
  });

  it("epoch tasks: build from a CSV report, submit, claim in exact proportion", async () => {
    const s = await setup();
    const [v1, v2] = s.validators;
    const report = path.join(dir, "report.csv");
    fs.writeFileSync(report, `validator,compute\n${v1.address},70\n${v2.address},30\n`);
    const out = path.join(dir, "epoch-0.json");
    const build = await dg("epoch:build", { report, epoch: "0", out });
    expect(build.code, build.err).to.equal(0);
    expect(build.out).to.match(/total compute\s+100/);
    await time.increaseTo((await s.rewards.genesis()) + DAY);
    const submit = await dg("epoch:submit", { proofs: out });
    expect(submit.code, submit.err).to.equal(0);
    const pool = (await s.rewards.getEpoch(0n)).pool;
    // Days 0 and 1 are released; the pool is its own day 0 + 1/90 of day 1, the rest stays in the
    // carry (SPEC 4, no windfalls).
    expect(pool).to.equal(4_560n * DG + (4_560n * DG) / 90n);
    await time.increaseTo(await s.rewards.activatesAt(0n));
    const claim = await dg("validator:claim", { proofs: out, account: 4 });
    expect(claim.code, claim.err).to.equal(0);
    expect(claim.out).to.match(/paid\s+3,227\.466666666666666666 DG/); // 70% of 4,610.666… DG, rounded down
    expect(await s.token.balanceOf(v1.address)).to.equal((pool * 70n) / 100n);
  });

  it("dg:proposals lists pooling proposals; dg:proposal shows quorum progress and your position; --json", async () => {
    const s = await setup();
    const holder = 12; // funded with 100,000 DG
    expect((await dg("proposals")).out).to.equal("no proposal yet");
    await dg("propose", { burnBps: "2000", days: "7", account: holder });
    await dg("back", { proposal: "1", amount: "50000", account: holder });
    await dg("propose", { burnBps: "500", days: "30", account: 0 });
    const list = await dg("proposals");
    expect(list.code, list.err).to.equal(0);
    expect(list.out.split("\n")).to.deep.equal([
      "#1 Pooling → 2000 bps, 7 days; pooled 50,000 DG",
      "#2 Pooling → 500 bps, 30 days; pooled 0 DG",
    ]);
    const mine = await dg("proposal", { proposal: "1", account: holder });
    expect(mine.code, mine.err).to.equal(0);
    expect(mine.out).to.match(/pooled\s+50,000 DG of 100,000 DG/);
    expect(mine.out).to.match(/your backing\s+50,000 DG/);
    expect(mine.out).to.match(/your vote\s+none/);
    expect(mine.out).to.match(/you can take back\s+50,000 DG of backing now \(dg:unback\)/);
    await dg("back", { proposal: "1", amount: "50000", account: 0 });
    await dg("vote", { proposal: "1", support: "for", amount: "300000", account: 0 });
    const voting = await dg("proposal", { proposal: "1", account: 0 });
    const quorum = (await s.inflationVote.getProposal(1n)).quorum;
    expect(voting.out).to.match(/state\s+Voting/);
    expect(voting.out).to.match(/for\s+300,000 DG/);
    expect(voting.out).to.match(/quorum\s+300,000 DG for, of [\d,]+ DG needed for \(\d+%\)/);
    expect(voting.out).to.match(/if it closed now\s+it would (pass|fail)/);
    expect(voting.out).to.match(/your vote\s+For, 300,000 DG locked/);
    expect(voting.out).to.match(
      /you can take back\s+nothing now: pooled and locked DG come back once the vote is settled \(dg:settle, then dg:withdraw\)/,
    );
    const json = await dg("proposal", { proposal: "1", account: 0, json: true });
    const parsed = JSON.parse(json.out);
    expect(parsed).to.deep.include({
      id: "1",
      state: "Voting",
      forVotes: (300_000n * DG).toString(),
      quorum: quorum.toString(),
    });
    expect(parsed.position).to.deep.include({ backed: (50_000n * DG).toString(), locked: (300_000n * DG).toString() });
    const listed = JSON.parse((await dg("proposals", { json: true })).out);
    expect(listed.map((p: { id: string; state: string }) => [p.id, p.state])).to.deep.equal([
      ["1", "Voting"],
      ["2", "Pooling"],
    ]);
    const missing = await dg("proposal", { proposal: "9" });
    expect(missing.code).to.equal(1);
    expect(missing.err).to.equal("error: there is no proposal 9");
  });

  it("dg:balance and dg:transfer (checked before sending), --json", async () => {
    const s = await setup();
    const [from, to] = [12, 14];
    const before = await dg("balance", { account: from });
    expect(before.out).to.match(/DG\s+100,000 DG/);
    const send = await dg("transfer", { to: s.others[2].address, amount: "1_500.5", account: from });
    expect(send.code, send.err).to.equal(0);
    expect(send.out).to.match(/sent\s+1,500\.5 DG to /);
    expect(send.out).to.match(/your balance\s+98,499\.5 DG/);
    const json = JSON.parse((await dg("balance", { address: s.others[2].address, json: true })).out);
    expect(json.dg).to.equal((await s.token.balanceOf(s.others[2].address)).toString());
    const block = await ethers.provider.getBlockNumber();
    const tooMuch = await dg("transfer", { to: s.others[0].address, amount: "1000000", account: to });
    expect(tooMuch.code).to.equal(1);
    expect(tooMuch.err).to.match(/holds .* DG, 1,000,000 DG needed$/);
    const toToken = await dg("transfer", { to: await s.token.getAddress(), amount: "1", account: from });
    expect(toToken.code).to.equal(1);
    expect(toToken.err).to.match(
      /^error: 0x[0-9a-fA-F]{40} is the DG token contract itself: DG sent to it can never be moved again/,
    );
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("--json on dg:epoch:build and dg:validator:status: every key present, a missing value as null", async () => {
    const s = await setup();
    const report = path.join(dir, "report.csv");
    fs.writeFileSync(report, `${s.validators[0].address},7\n`);
    const out = path.join(dir, "epoch-0.json");
    const build = JSON.parse((await dg("epoch:build", { report, epoch: "0", out, json: true })).out);
    expect(build).to.deep.include({ epoch: "0", validators: 1, totalCompute: "7", proofsFile: out });
    expect(build.root).to.match(/^0x[0-9a-f]{64}$/);
    const status = JSON.parse((await dg("validator:status", { address: s.others[5].address, json: true })).out);
    expect(status).to.deep.include({ status: "None", active: "0", canWithdrawAt: null, maxUnbond: "0" });
    expect(status.rules).to.deep.include({ pendingSlasher: null, pendingSlashRewardBps: null });
  });

  it("dg:validator:unbond --amount max unbonds what the escrow accepts; status shows it", async () => {
    const s = await setup();
    const v = 13;
    await dg("validator:stake", { amount: "12000", noPermit: false, account: v });
    const status = await dg("validator:status", { account: v });
    expect(status.out).to.match(/can unbond now\s+at most 12,000 DG \(dg:validator:unbond --amount max\)/);
    const unbond = await dg("validator:unbond", { amount: "max", account: v });
    expect(unbond.code, unbond.err).to.equal(0);
    expect(unbond.out).to.match(/status\s+CoolingDown/);
    expect((await s.staking.validatorInfo(s.others[1].address)).unbonding).to.equal(12_000n * DG);
    const again = await dg("validator:unbond", { amount: "max", account: v });
    expect(again.err).to.equal("error: nothing to unbond: you have no active stake");
  });

  it("dg:epoch:revoke (guardian) before activation; the epoch can then be posted again", async () => {
    const s = await setup();
    const [v1] = s.validators;
    const report = path.join(dir, "report.csv");
    fs.writeFileSync(report, `${v1.address},70\n`);
    const out = path.join(dir, "epoch-0.json");
    await dg("epoch:build", { report, epoch: "0", out });
    await time.increaseTo((await s.rewards.genesis()) + DAY);
    expect((await dg("epoch:submit", { proofs: out })).code).to.equal(0);
    const pool = (await s.rewards.getEpoch(0n)).pool;
    const outsider = await dg("epoch:revoke", { epoch: "0", account: 12 });
    expect(outsider.code).to.equal(1);
    expect(outsider.err).to.match(/lacks the role GUARDIAN_ROLE/);
    const revoke = await dg("epoch:revoke", { epoch: "0" });
    expect(revoke.code, revoke.err).to.equal(0);
    expect(revoke.out).to.include(`pool kept     ${pool === 0n ? "0 DG" : ""}`.trimEnd());
    expect((await s.rewards.getEpoch(0n)).root).to.equal(ethers.ZeroHash);
    expect((await dg("epoch:submit", { proofs: out })).code).to.equal(0);
    await time.increaseTo(await s.rewards.activatesAt(0n));
    const late = await dg("epoch:revoke", { epoch: "0" });
    expect(late.code).to.equal(1);
    expect(late.err).to.match(/^error: .*epoch 0/);
  });

  it("check tasks: sign a receipt, open from it, draw, commit (salt stored first), reveal from the salt, finalize", async () => {
    const s = await setup();
    const paired = s.validators[0].address;
    const signers = await ethers.getSigners();
    const indexOf = (a: string) => signers.findIndex((x) => x.address === a);
    const inputFile = path.join(dir, "input.bin");
    fs.writeFileSync(inputFile, "the task's input");
    const receiptFile = path.join(dir, "receipt.json");
    const result = id("the result");
    const sign = await dg("receipt:sign", {
      task: "job-42",
      user: s.user.address,
      input: inputFile,
      resultHash: result,
      out: receiptFile,
      account: indexOf(paired),
    });
    expect(sign.code, sign.err).to.equal(0);
    expect(sign.out).to.match(new RegExp(`paired validator\\s+${paired}`));
    expect(sign.out).to.match(new RegExp(`input hash\\s+${keccak256(toUtf8Bytes("the task's input"))}`));
    const open = await dg("check:open", { receipt: receiptFile, account: 1 });
    expect(open.code, open.err).to.equal(0);
    expect(open.out).to.match(/check\s+1/);
    expect(open.out).to.include(id("job-42"));
    expect((await s.crossCheck.checkInfo(1n)).resultHash).to.equal(result);
    await mine(1);
    expect((await dg("check:draw", { check: "1" })).code).to.equal(0);
    const info = await s.crossCheck.checkInfo(1n);
    const checkers = info.drawn.slice(0, 3);
    for (const checker of checkers) {
      const commit = await dg("check:commit", { check: "1", result, input: inputFile, account: indexOf(checker) });
      expect(commit.code, commit.err).to.equal(0);
      const lines = commit.out.split("\n");
      const stored = lines.findIndex((l) => l.startsWith("salt stored in"));
      expect(stored, "the salt file is printed before the transaction").to.be.lessThan(
        lines.findIndex((l) => l.startsWith("transaction")),
      );
      const file = lines[stored].replace(/^salt stored in \(keep it to reveal\)\s+/, "");
      expect(path.dirname(file)).to.equal(process.env.DG_SALTS_DIR);
      expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
      expect(JSON.parse(fs.readFileSync(file, "utf8")).commitment).to.equal(
        (await s.crossCheck.submission(1n, checker))[0],
      );
    }
    await time.increaseTo(info.commitDeadline + 1n);
    for (const checker of checkers) {
      const reveal = await dg("check:reveal", { check: "1", account: indexOf(checker) });
      expect(reveal.code, reveal.err).to.equal(0);
      expect(reveal.out).to.match(new RegExp(`revealed\\s+${result}`));
    }
    await time.increaseTo(info.revealDeadline + 1n);
    expect((await dg("check:finalize", { check: "1" })).out).to.match(/verdict\s+Pass/);
  });

  it("dg:check:commit refuses an unknown check (before --input) and a non-party without storing a salt; a later genuine commit is not blocked", async () => {
    const s = await setup();
    const paired = s.validators[0];
    const signers = await ethers.getSigners();
    const indexOf = (a: string) => signers.findIndex((x) => x.address === a);
    const salts = process.env.DG_SALTS_DIR!;
    const inputFile = path.join(dir, "in.bin");
    fs.writeFileSync(inputFile, "the input");
    const early = await dg("check:commit", { check: "1", result: id("aa"), account: 5 });
    expect([early.code, early.err]).to.deep.equal([1, "error: there is no check 1"]);
    expect(early.out).to.not.include("salt stored");
    const withInput = await dg("check:commit", { check: "9", input: inputFile, result: id("aa"), account: 5 });
    expect([withInput.code, withInput.err]).to.deep.equal([1, "error: there is no check 9"]);
    expect(fs.readdirSync(salts)).to.deep.equal([]);
    const drawn = await openAndDraw(s, { task: "job-44", input: inputFile, resultHash: id("r") });
    const outsider = signers.findIndex((x, i) => i > 1 && !drawn.includes(x.address) && x.address !== paired.address);
    const nonce = await ethers.provider.getTransactionCount(signers[outsider].address);
    const stranger = await dg("check:commit", { check: "1", result: id("aa"), account: outsider });
    expect(stranger.err).to.equal(`error: ${signers[outsider].address} is not a party of the current round of check 1`);
    expect(fs.readdirSync(salts)).to.deep.equal([]);
    expect(await ethers.provider.getTransactionCount(signers[outsider].address)).to.equal(nonce);
    const genuine = await dg("check:commit", { check: "1", result: id("bb"), account: indexOf(drawn[0]) });
    expect(genuine.code, genuine.err).to.equal(0);
    expect(fs.readdirSync(salts)).to.have.length(1);
  });

  it("dg:epoch:submit refuses to skip unposted earlier epochs unless --skip-earlier", async () => {
    const s = await setup();
    const report = path.join(dir, "report.csv");
    fs.writeFileSync(report, `${s.validators[0].address},70\n`);
    const out = path.join(dir, "epoch-5.json");
    expect((await dg("epoch:build", { report, epoch: "5", out })).code).to.equal(0);
    await time.increaseTo((await s.rewards.genesis()) + 6n * DAY);
    const refused = await dg("epoch:submit", { proofs: out });
    expect(refused.code).to.equal(1);
    expect(refused.err).to.match(
      /^error: epoch 0 is the next epoch to post, not 5: posting 5 skips epochs 0-4 for good/,
    );
    expect(await s.rewards.nextEpoch()).to.equal(0n);
    const skipped = await dg("epoch:submit", { proofs: out, skipEarlier: true });
    expect(skipped.code, skipped.err).to.equal(0);
    expect(await s.rewards.nextEpoch()).to.equal(6n);
  });

  it("a checker given a tampered input commits INPUT_MISMATCH; --result with it is refused", async () => {
    const s = await setup();
    const signers = await ethers.getSigners();
    const indexOf = (a: string) => signers.findIndex((x) => x.address === a);
    const [checker] = await openAndDraw(s, { task: "job-43", inputHash: id("the real input"), resultHash: id("r") });
    const tampered = path.join(dir, "tampered.bin");
    fs.writeFileSync(tampered, "not the input");
    const block = await ethers.provider.getBlockNumber();
    const refused = await dg("check:commit", {
      check: "1",
      result: id("r"),
      input: tampered,
      account: indexOf(checker),
    });
    expect(refused.code).to.equal(1);
    expect(refused.err).to.match(
      /^error: --input does not hash to the receipt's input hash 0x[0-9a-f]{64}: commit --input-mismatch instead$/,
    );
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    const commit = await dg("check:commit", { check: "1", inputMismatch: true, account: indexOf(checker) });
    expect(commit.code, commit.err).to.equal(0);
    expect(commit.out).to.match(/committed\s+INPUT_MISMATCH/);
  });

  it("dg:validator:status shows the admission (admitted at, left at) and the escrow's slasher and rules", async () => {
    const s = await setup();
    const status = await dg("validator:status", { address: s.validators[0].address });
    expect(status.code, status.err).to.equal(0);
    expect(status.out).to.match(/admitted at\s+\d{4}-\d\d-\d\dT/);
    expect(status.out).to.match(/left at\s+- \(still Active\)/);
    expect(status.out).to.match(new RegExp(`escrow slasher\\s+${await s.crossCheck.getAddress()}`));
    expect(status.out).to.match(/slash reward share\s+5000 bps \(at most 5000\)/);
    expect(status.out).to.match(/pending rule change\s+none/);
    await s.staking.connect(s.deployer).scheduleSlashRewardBps(2_000n);
    expect((await dg("validator:status", {})).out).to.match(/pending rule change\s+reward share 2000 bps from \d{4}-/);
  });

  describe("refusals: one line, exit code 1, no transaction", () => {
    const cases: [string, string, Record<string, string | boolean | number>, RegExp][] = [
      ["a negative amount", "back", { proposal: "1", amount: "-5" }, /^error: --amount must be a positive DG amount/],
      [
        "a non-numeric amount",
        "validator:stake",
        { amount: "lots", noPermit: false },
        /^error: --amount must be a positive DG amount/,
      ],
      [
        "more than 18 decimals",
        "vote",
        { proposal: "1", support: "for", amount: "1.0000000000000000001" },
        /^error: --amount must be/,
      ],
      ["a zero amount", "validator:unbond", { amount: "0" }, /^error: --amount must be more than 0 DG$/],
      [
        "a bad side",
        "vote",
        { proposal: "1", support: "maybe", amount: "20" },
        /^error: --support must be "for" or "against"/,
      ],
      [
        "a burn rate above 10,000 bps",
        "propose",
        { burnBps: "10001", days: "7" },
        /^error: --burn-bps must be at most 10000/,
      ],
      ["a proposal id of 0", "settle", { proposal: "0" }, /^error: --proposal must be at least 1/],
      [
        "a bad address",
        "receipt:sign",
        { task: "t", user: "0x1234", inputHash: id("i"), resultHash: id("r"), out: "/tmp/never.json" },
        /^error: --user must be an address/,
      ],
      [
        "a receipt without its input",
        "receipt:sign",
        { task: "t", user: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", resultHash: id("r"), out: "/tmp/never.json" },
        /^error: give exactly one of --input and --input-hash$/,
      ],
      [
        "a missing key (no such account)",
        "receipt:sign",
        {
          task: "t",
          user: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
          inputHash: id("i"),
          resultHash: id("r"),
          out: "/tmp/never.json",
          account: 99,
        },
        /^error: --account 99: the network hardhat has 20 account\(s\)$/,
      ],
      [
        "an address with a wrong checksum",
        "transfer",
        { to: "0x70997970c51812dc3A010C7d01b50e0d17dc79C8", amount: "1" },
        /^error: --to has mixed case but a wrong checksum \(a typo\?\)/,
      ],
      [
        "a date past year 9999",
        "schedule",
        { at: "99999999999999999999999" },
        /^error: --at must be at most 253402300799/,
      ],
      [
        "an id above 2^256 - 1",
        "proposal",
        { proposal: "9".repeat(85) },
        /^error: --proposal must be at most 2\^256 - 1, got 85 digits$/,
      ],
      [
        "a misplaced underscore in an amount",
        "transfer",
        { to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", amount: "1_0000" },
        /only between groups of three digits/,
      ],
      [
        "an --account that is not a number",
        "balance",
        { account: "x" },
        /^error: --account must be a whole number \(0, 1, …\), got "x"$/,
      ],
      [
        "an --account beyond the network's accounts, on a read task",
        "balance",
        { account: 25 },
        /^error: --account 25: the network hardhat has 20 account\(s\)$/,
      ],
      [
        "a missing receipt file",
        "check:open",
        { receipt: "/nonexistent-receipt.json" },
        /^error: cannot read \/nonexistent-receipt\.json: ENOENT$/,
      ],
      [
        "both an answer and INPUT_MISMATCH",
        "check:commit",
        { check: "1", result: id("r"), inputMismatch: true },
        /^error: give exactly one of --result and --input-mismatch$/,
      ],
      [
        "a zero address",
        "validator:status",
        { address: "0x0000000000000000000000000000000000000000" },
        /^error: --address must not be the zero address$/,
      ],
      [
        "a bad result hash",
        "check:commit",
        { check: "1", result: "0x12", inputMismatch: false },
        /^error: --result must be 32 bytes in hex/,
      ],
      [
        "a missing proofs file",
        "validator:claim",
        { proofs: "/nonexistent.json" },
        /^error: cannot read \/nonexistent\.json: ENOENT$/,
      ],
      [
        "a contract error, decoded",
        "validator:stake",
        { amount: "5", noPermit: false, account: 13 },
        /^error: the stake of 5 DG is below the minimum of 10,000 DG: a validator's active stake is 0 or at least 10,000 DG$/,
      ],
    ];
    for (const [what, name, args, message] of cases) {
      it(what, async () => {
        await setup();
        const block = await ethers.provider.getBlockNumber();
        const run = await dg(name, args);
        expect(run.code).to.equal(1);
        expect(run.err.split("\n")).to.have.length(1);
        expect(run.err).to.match(message);
        expect(await ethers.provider.getBlockNumber()).to.equal(block);
      });
    }

    it("a malformed report (duplicate validator, zero compute, bad address, bad line)", async () => {
      const s = await setup();
      const v = s.validators[0].address;
      const reports: [string, RegExp][] = [
        [`${v},1\n${v.toLowerCase()},2\n`, /^error: .*duplicate/i],
        [`${v},0\n`, /^error: .*compute/i],
        [`0x12,5\n`, /^error: .*address/i],
        [`${v},1,2\n`, /^error: report\.csv line 1: expected "validator,compute"/],
      ];
      for (const [content, message] of reports) {
        const report = path.join(dir, "report.csv");
        fs.writeFileSync(report, content);
        const run = await dg("epoch:build", { report, epoch: "0", out: path.join(dir, "never.json") });
        expect(run.code).to.equal(1);
        expect(run.err).to.match(message);
        expect(run.err).to.not.include("\n");
        expect(fs.existsSync(path.join(dir, "never.json"))).to.equal(false);
      }
    });

    it("a receipt for another chain, a malformed receipt, an expired one, one signed by someone else", async () => {
      const s = await setup();
      const signers = await ethers.getSigners();
      const paired = s.validators[0].address;
      const file = path.join(dir, "receipt.json");
      const sign = await dg("receipt:sign", {
        task: "job-9",
        user: s.user.address,
        inputHash: id("i"),
        resultHash: id("r"),
        out: file,
        account: signers.findIndex((x) => x.address === paired),
      });
      expect(sign.code, sign.err).to.equal(0);
      const good = JSON.parse(fs.readFileSync(file, "utf8"));
      const other = signers.find((x) => x.address === s.validators[1].address)!;
      const cases: [unknown, RegExp][] = [
        [{ ...good, chainId: "97" }, /^error: the receipt is for chain 97, not this network's chain 31337$/],
        ["{", /^error: .*receipt\.json: not valid JSON/],
        [{ ...good, receipt: { ...good.receipt, resultHash: "0x1" } }, /receipt\.resultHash must be 32 bytes in hex$/],
        [{ ...good, receipt: { ...good.receipt, taskId: `0x${"0".repeat(64)}` } }, /: the task id must not be zero$/],
        [
          { ...good, signature: await other.signMessage("not a receipt") },
          /^error: the receipt is signed by 0x[0-9a-fA-F]{40}, not by the paired validator /,
        ],
      ];
      for (const [content, message] of cases) {
        fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
        const block = await ethers.provider.getBlockNumber();
        const run = await dg("check:open", { receipt: file, account: 1 });
        expect(run.code).to.equal(1);
        expect(run.err.split("\n")).to.have.length(1);
        expect(run.err).to.match(message);
        expect(await ethers.provider.getBlockNumber()).to.equal(block);
      }
      fs.writeFileSync(file, JSON.stringify(good));
      await time.increase(72n * 3_600n + 1n);
      const expired = await dg("check:open", { receipt: file, account: 1 });
      expect(expired.err).to.match(/^error: the receipt was delivered at .*: it expired$/);
      expect(await s.crossCheck.checkCount()).to.equal(0n);
    });

    it("a record of `npx hardhat node` used without --network (the embedded network, same chain id): did you mean --network localhost?", async () => {
      const s = await setup();
      const stale = fs.mkdtempSync(path.join(os.tmpdir(), "dg-localhost-"));
      const record = JSON.parse(fs.readFileSync(path.join(dir, "31337.json"), "utf8"));
      const contracts = { ...record.contracts, DataGen: "0x000000000000000000000000000000000000dEaD" };
      fs.writeFileSync(path.join(stale, "31337.json"), JSON.stringify({ ...record, network: "localhost", contracts }));
      process.env.DG_DEPLOYMENTS_DIR = stale;
      const block = await ethers.provider.getBlockNumber();
      const run = await dg("release");
      expect(run.code).to.equal(1);
      expect(run.err).to.equal(
        "error: the record of localhost for chain 31337 points at contracts the embedded network (no --network) does not have: did you mean --network localhost?",
      );
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect(await s.token.totalSupply()).to.equal(30_000_000n * DG);
    });

    it("no deployment recorded for the chain", async () => {
      await setup();
      process.env.DG_DEPLOYMENTS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "dg-empty-"));
      const run = await dg("schedule");
      expect(run.code).to.equal(1);
      expect(run.err).to.match(
        /^error: no deployment recorded for chain 31337 .*: deploy first with `npx hardhat dg:deploy --network <network>`$/,
      );
    });
  });
});
