/**
 * `npm start`: the life cycle runs, exits 0, and what it prints (proportional split, slashes opened
 * from signed delivery receipts, burns, the checkers' salt files) is what the contracts hold.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { runLifecycle, type LifecycleSummary } from "../scripts/lib/lifecycle";
import { dg, renderReport } from "../scripts/start";
import { runHardhat } from "./helpers/node";
import { REAL_BUILD, scheduleAfterDay } from "./helpers/fixtures";

const DG = 10n ** 18n;

describe("npm start: the whole life cycle", function () {
  this.timeout(180_000);
  let summary: LifecycleSummary;
  const chartFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dg-chart-")), "emission.svg");

  before(async () => {
    summary = await runLifecycle({ progress: () => undefined, chartFile });
  });

  it("pays the epoch in exact proportion to compute, as the contract computes it", async () => {
    const rewards = await ethers.getContractAt("ComputeRewards", summary.addresses.ComputeRewards);
    const { epoch, totalCompute, claims } = summary.epoch;
    const pool = (await rewards.getEpoch(epoch)).pool;
    expect(summary.epoch.pool).to.equal(pool);
    expect(claims.map((c) => c.compute)).to.deep.equal([50n, 30n, 20n]);
    for (const c of claims) {
      expect(c.paid, c.name).to.equal((pool * c.compute) / totalCompute);
      expect(await rewards.isSettled(epoch, c.address)).to.equal(true);
    }
  });

  it("the first pool is its own day + 1/90 of the rest released since day 0; the rest stays in the carry (no windfall)", async () => {
    const rewards = await ethers.getContractAt("ComputeRewards", summary.addresses.ComputeRewards);
    const { epoch, pool, available, own, carry } = summary.epoch;
    // Daily epochs from the release start: epoch `epoch` is schedule day `epoch`, after the first halving.
    expect(own).to.equal(scheduleAfterDay(epoch) - scheduleAfterDay(epoch - 1n));
    expect(own).to.equal(2_280n * DG);
    // The first posting found everything released so far (no carry before it).
    expect(available).to.equal(await rewards.accountedRelease());
    expect(pool).to.equal(own + (available - own) / 90n);
    expect(carry).to.equal(available - pool);
    // The old rule paid all of it (over 5 million DG, three years of release) to this one report.
    expect(available > 5_000_000n * DG).to.equal(true);
    expect(pool < available / 80n).to.equal(true);
  });

  it("the vote's 20% burn shrinks the supply by exactly the burned part of the next release", async () => {
    const reservation = await ethers.getContractAt("MiningReservation", summary.addresses.MiningReservation);
    expect(summary.vote.passed).to.equal(true);
    // Participation reached the quorum: the proposer's 1,000 DG deposit came back in full.
    expect(summary.vote.deposit).to.equal(1_000n * DG);
    expect(summary.vote.depositReturned).to.equal(1_000n * DG);
    expect(await reservation.burnBps()).to.equal(2_000n);
    const b = summary.burnRelease;
    expect(b.released).to.equal(await reservation.dailyRate(b.day));
    expect(b.burned).to.equal((b.released * 2_000n) / 10_000n);
    expect(b.toBeneficiary).to.equal(b.released - b.burned);
    expect(b.supplyBefore - b.supplyAfter).to.equal(b.burned);
  });

  it("the cross-check opened from C's signed receipt slashes and expels the cheater, pays the checkers, burns the rest", async () => {
    const staking = await ethers.getContractAt("ValidatorStaking", summary.addresses.ValidatorStaking);
    const token = await ethers.getContractAt("DataGen", summary.addresses.DataGen);
    const crossCheck = await ethers.getContractAt("CrossCheck", summary.addresses.CrossCheck);
    const c = summary.check;
    expect(c.verdict).to.equal("PairedSlashed");
    const check = await crossCheck.checkInfo(c.checkId);
    expect(check.resultHash).to.equal(c.receiptHash); // H is the receipt's hash: C took no part in commit-reveal
    expect(check.resultHash).to.equal(ethers.id("C's shortcut"));
    expect(await crossCheck.checkOfTask(c.taskId)).to.equal(c.checkId);
    expect(c.pairedStatusAtOpen).to.equal("Active");
    expect(c.rewards.map((r) => r.checker)).to.deep.equal(c.checkers);
    expect(c.slashed).to.equal(1_000n * DG);
    expect(c.rewarded).to.equal(500n * DG);
    expect(c.burned).to.equal(500n * DG);
    expect(c.rewards.map((r) => r.amount)).to.deep.equal([
      166_666_666_666_666_666_666n,
      166_666_666_666_666_666_666n,
      166_666_666_666_666_666_666n,
    ]);
    expect(c.dustBurned).to.equal(2n);
    const info = await staking.validatorInfo(c.paired);
    expect(info.status).to.equal(3n); // Expelled
    expect(info.unbonding).to.equal(9_000n * DG);
    expect(await token.balanceOf(summary.addresses.CrossCheck)).to.equal(0n);
    expect(await token.balanceOf(summary.addresses.ValidatorStaking)).to.equal(await staking.totalStaked());
  });

  it("D, which asked to unbond everything right after delivering, is still checked and slashed", async () => {
    const staking = await ethers.getContractAt("ValidatorStaking", summary.addresses.ValidatorStaking);
    const u = summary.unbondedCheck;
    expect(u.checkId).to.equal(summary.check.checkId + 1n);
    expect(u.pairedStatusAtOpen).to.equal("CoolingDown");
    expect(u.stakeAtOpen).to.equal(10_000n * DG);
    expect(u.verdict).to.equal("PairedSlashed");
    expect([u.slashed, u.rewarded, u.burned, u.dustBurned]).to.deep.equal([1_000n * DG, 500n * DG, 500n * DG, 2n]);
    const info = await staking.validatorInfo(u.paired);
    expect(info.status).to.equal(2n); // CoolingDown: slashed from its unbonding stake, not expelled (one fault)
    expect(info.unbonding).to.equal(9_000n * DG);
    expect(u.pairedUnbonding).to.equal(9_000n * DG);
    expect(info.faults).to.equal(1n);
    expect(info.openExposures).to.equal(0n);
  });

  it("every checker's commitment was computed locally and its salt stored (0600) before the commit", async () => {
    const crossCheck = await ethers.getContractAt("CrossCheck", summary.addresses.CrossCheck);
    const files = fs.readdirSync(summary.saltDir);
    expect(files).to.have.length(6);
    for (const c of [summary.check, summary.unbondedCheck]) {
      expect(c.saltsStoredFirst).to.equal(true);
      for (const checker of c.checkers) {
        const file = files.find((f) => f.endsWith(`-${c.checkId}-${checker}.json`));
        expect(file, checker).to.not.equal(undefined);
        const stored = JSON.parse(fs.readFileSync(path.join(summary.saltDir, file!), "utf8"));
        expect(fs.statSync(path.join(summary.saltDir, file!)).mode & 0o777).to.equal(0o600);
        const [commitment, revealed] = await crossCheck.submission(c.checkId, checker);
        expect(stored.commitment).to.equal(commitment);
        expect(await crossCheck.commitmentOf(c.checkId, checker, stored.resultHash, stored.salt)).to.equal(commitment);
        expect(revealed).to.equal(ethers.id("the right result"));
      }
    }
  });

  it("the unbonded validator withdrew its whole stake; every DG is accounted for", async () => {
    expect(summary.exit).to.deep.equal({ name: "A", unbonded: 20_000n * DG, withdrawn: 20_000n * DG, status: "None" });
    const token = await ethers.getContractAt("DataGen", summary.addresses.DataGen);
    expect(summary.burnedTotal).to.equal(30_000_000n * DG - (await token.totalSupply()));
    expect(summary.burnedTotal).to.equal(
      summary.burnRelease.burned +
        summary.check.burned +
        summary.check.dustBurned +
        summary.unbondedCheck.burned +
        summary.unbondedCheck.dustBurned,
    );
    expect(summary.holdersSum + summary.burnedTotal).to.equal(30_000_000n * DG);
  });

  it("writes the emission chart as SVG", () => {
    const svg = fs.readFileSync(chartFile, "utf8");
    expect(svg.startsWith("<svg")).to.equal(true);
    expect(svg).to.include("halving");
  });

  it("prints these exact amounts, and no mismatch", () => {
    const report = renderReport(summary);
    for (const claim of summary.epoch.claims) expect(report).to.include(dg(claim.paid));
    for (const amount of [summary.epoch.pool, summary.epoch.own, summary.epoch.carry])
      expect(report).to.include(dg(amount));
    expect(report).to.include(dg(summary.check.slashed));
    expect(report).to.include("166.666666666666666666 DG");
    expect(report).to.include(dg(summary.burnRelease.burned));
    expect(report).to.not.match(/\bNO\b/);
    expect(dg(1_504_663_200_000_000_000_000_000n)).to.equal("1,504,663.2 DG");
    expect(dg(2n)).to.equal("0.000000000000000002 DG");
  });

  it(`\`npm start\` (hardhat run scripts/start.ts) exits 0 with no network and no keys ${REAL_BUILD}`, async () => {
    const run = await runHardhat(["run", "scripts/start.ts"], {});
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include("verdict PairedSlashed");
    expect(run.stdout).to.include("D unbonded everything right after delivering");
    expect(run.stdout).to.include("Expelled");
    expect(run.stdout).to.include("reports/emission-schedule.svg");
    expect(run.stdout).to.not.match(/\bNO\b/);
  });
});
