/**
 * The whole life cycle of the suite on the embedded Hardhat network, deployed through the production
 * Ignition module (deploy/modules/CrossCheck.ts): releases across the first halving, an inflation-cut
 * vote that sets a 20% burn and its effect on supply, validators staking, an epoch built from a compute
 * report and claimed in exact proportion, a cross-check that slashes and expels a cheater, an unbond
 * and withdraw, and the emission chart. `npm start` prints it (scripts/start.ts); the tests run it and
 * compare what it reports with the contracts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers, network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { CheckerClient, CoordinatorClient, signReceipt } from "../../sdk/crosscheck";
import { VALIDATOR_STATES } from "../../sdk/validator";
import type { Suite, SuiteAddresses } from "../../sdk/deployments";
import { deploySuite, suiteAddresses } from "./deploySuite";
import { buildEpoch } from "./epoch";
import { readComputeReport } from "./report";
import { readSchedulePoints, renderScheduleSvg } from "./scheduleChart";

const DAY = 86_400n;
const DG = 10n ** 18n;
const TOTAL_SUPPLY = 30_000_000n * DG;

/** What the run did, in exact amounts (DG wei). */
export interface LifecycleSummary {
  addresses: SuiteAddresses;
  releases: { day: bigint; rate: bigint; toBeneficiary: bigint; burned: bigint; cumulative: bigint }[];
  vote: {
    forVotes: bigint;
    againstVotes: bigint;
    passed: boolean;
    burnBps: bigint;
    /** The proposer's deposit, and what the proposer got back of it after the vote (all of it: quorum reached). */
    deposit: bigint;
    depositReturned: bigint;
  };
  burnRelease: {
    day: bigint;
    released: bigint;
    toBeneficiary: bigint;
    burned: bigint;
    supplyBefore: bigint;
    supplyAfter: bigint;
  };
  stakes: { name: string; address: string; stake: bigint }[];
  epoch: {
    epoch: bigint;
    pool: bigint;
    /** What the posting found: released to the distributor since day 0 (the first posting, no carry before). */
    available: bigint;
    /** The schedule's gross emission of the epoch's own day, the pool's bound before 1/90 of the rest. */
    own: bigint;
    /** What stayed in the carry after the posting: `available - pool`, for later epochs (SPEC 4, no windfalls). */
    carry: bigint;
    totalCompute: bigint;
    reportFile: string;
    claims: { name: string; address: string; compute: bigint; paid: bigint }[];
  };
  /** The check of C's task, opened from the receipt C signed. */
  check: CheckSummary;
  /** The check of D's task: D asked to unbond everything right after delivering, before the check opened. */
  unbondedCheck: CheckSummary;
  /** Where the checkers' salts were stored (each written before its commit was sent). */
  saltDir: string;
  exit: { name: string; unbonded: bigint; withdrawn: bigint; status: string };
  chartFile: string;
  holdersSum: bigint;
  burnedTotal: bigint;
}

/** One cross-check, opened from a signed delivery receipt and played to its verdict. */
export interface CheckSummary {
  checkId: bigint;
  taskId: string;
  verdict: string;
  paired: string;
  /** The paired validator's status and stake (active + unbonding) when the check opened. */
  pairedStatusAtOpen: string;
  stakeAtOpen: bigint;
  receiptHash: string;
  checkers: string[];
  /** Every checker's salt file existed (mode 0600) before its commit was sent. */
  saltsStoredFirst: boolean;
  slashed: bigint;
  rewarded: bigint;
  burned: bigint;
  rewards: { checker: string; amount: bigint }[];
  dustBurned: bigint;
  pairedStatus: string;
  pairedUnbonding: bigint;
}

export interface LifecycleOptions {
  /** Prints one progress line for a step that takes a while. */
  progress: (message: string) => void;
  /** Where the emission chart is written. */
  chartFile: string;
}

async function setTime(timestamp: bigint) {
  const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  if (timestamp > latest) await network.provider.send("evm_setNextBlockTimestamp", [Number(timestamp)]);
  await network.provider.send("evm_mine", []);
}

async function now(): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
}

/**
 * One cross-check through the SDK, as the parties play it: the paired validator signs a receipt for
 * `delivered` (and, with `unbondFirst`, asks to unbond everything in the next block), the coordinator
 * opens the check from the receipt, the seed block is mined and the checkers drawn, each checker
 * commits `right` (commitment computed locally, salt stored first) and reveals it, and the check is
 * finalized.
 */
async function crossCheckOf(
  suite: Suite,
  coordinator: CoordinatorClient,
  saltDir: string,
  play: {
    task: string;
    user: HardhatEthersSigner;
    paired: HardhatEthersSigner;
    delivered: string;
    right: string;
    unbondFirst?: boolean;
  },
): Promise<CheckSummary> {
  const { staking, crossCheck } = suite;
  const signed = await signReceipt(suite, play.paired, {
    taskId: play.task,
    user: play.user.address,
    input: `the input of ${play.task}`,
    resultHash: play.delivered,
  });
  if (play.unbondFirst) {
    const active = (await staking.validatorInfo(play.paired.address)).active;
    await (await staking.connect(play.paired).requestUnbond(active)).wait();
  }
  const atOpen = await staking.validatorInfo(play.paired.address);
  const { checkId } = await coordinator.open(signed.receipt, signed.paired, signed.signature);
  await network.provider.send("evm_mine", []); // the seed block
  await coordinator.draw(checkId);
  const info = await crossCheck.checkInfo(checkId);
  const checkers = info.drawn.slice(0, 3);
  let saltsStoredFirst = true;
  for (const checker of checkers) {
    const signer = await ethers.getSigner(checker);
    await new CheckerClient(suite, signer).commitResult(checkId, play.right, {
      saltDir,
      onSaltStored: (file) => {
        saltsStoredFirst &&= (fs.statSync(file).mode & 0o777) === 0o600;
      },
    });
  }
  await setTime(info.commitDeadline + 1n);
  for (const checker of checkers) {
    await new CheckerClient(suite, await ethers.getSigner(checker)).revealResult(checkId, { saltDir });
  }
  await setTime(info.revealDeadline + 1n);
  const { verdict, receipt } = await coordinator.finalize(checkId);
  const crossCheckAddress = await crossCheck.getAddress();
  const events = receipt.logs
    .filter((log) => log.address === crossCheckAddress)
    .map((log) => crossCheck.interface.parseLog(log)!);
  const slashEvent = events.find((e) => e.name === "ValidatorSlashed");
  const dust = events.find((e) => e.name === "RewardDustBurned");
  const after = await staking.validatorInfo(play.paired.address);
  return {
    checkId,
    taskId: signed.receipt.taskId,
    verdict,
    paired: play.paired.address,
    pairedStatusAtOpen: VALIDATOR_STATES[Number(atOpen.status)],
    stakeAtOpen: atOpen.active + atOpen.unbonding,
    receiptHash: signed.receipt.resultHash,
    checkers,
    saltsStoredFirst,
    slashed: slashEvent ? (slashEvent.args.slashed as bigint) : 0n,
    rewarded: slashEvent ? (slashEvent.args.rewarded as bigint) : 0n,
    burned: slashEvent ? (slashEvent.args.burned as bigint) : 0n,
    rewards: events
      .filter((e) => e.name === "CheckerRewarded")
      .map((e) => ({ checker: e.args.checker as string, amount: e.args.amount as bigint })),
    dustBurned: dust ? (dust.args.amount as bigint) : 0n,
    pairedStatus: VALIDATOR_STATES[Number(after.status)],
    pairedUnbonding: after.unbonding,
  };
}

/** Runs the life cycle; see the file's comment. */
export async function runLifecycle(options: LifecycleOptions): Promise<LifecycleSummary> {
  const signers = await ethers.getSigners();
  const [deployer, oracle, user, alice, bob, carol, ...rest] = signers;
  const named = { A: rest[0], B: rest[1], C: rest[2], D: rest[3], E: rest[4] };
  const releaseStart = (await now()) + DAY;

  options.progress("deploying the suite through deploy/modules/CrossCheck.ts");
  const suite = await deploySuite({
    Core: { releaseStart, initialBurnBps: 0n, quorumBps: 100n },
    Suite: { oracle: oracle.address, guardian: deployer.address },
    CrossCheck: { coordinator: oracle.address },
  });
  const { token, reservation, inflationVote: vote, staking, rewards } = suite;
  const addresses = await suiteAddresses(suite);

  // --- validators stake before genesis ---
  options.progress("five validators stake (A, B, C compute; D, E check)");
  const stakeOf: Record<keyof typeof named, bigint> = {
    A: 20_000n * DG,
    B: 20_000n * DG,
    C: 10_000n * DG,
    D: 10_000n * DG,
    E: 10_000n * DG,
  };
  const stakes: LifecycleSummary["stakes"] = [];
  for (const [name, signer] of Object.entries(named) as [keyof typeof named, (typeof named)["A"]][]) {
    await (await token.transfer(signer.address, stakeOf[name])).wait();
    await (await token.connect(signer).approve(addresses.ValidatorStaking, stakeOf[name])).wait();
    await (await staking.connect(signer).stake(stakeOf[name])).wait();
    stakes.push({ name, address: signer.address, stake: (await staking.validatorInfo(signer.address)).active });
  }

  // --- releases across the first halving ---
  options.progress("releasing on days 0, 1, 1094, 1095, 1096 (three years of schedule)");
  const releases: LifecycleSummary["releases"] = [];
  for (const day of [0n, 1n, 1094n, 1095n, 1096n]) {
    await setTime(releaseStart + day * DAY);
    const receipt = (await (await reservation.release()).wait())!;
    const event = receipt.logs.map((log) => reservation.interface.parseLog(log)).find((e) => e?.name === "Released");
    releases.push({
      day,
      rate: await reservation.dailyRate(day),
      toBeneficiary: event ? (event.args.toBeneficiary as bigint) : 0n,
      burned: event ? (event.args.burned as bigint) : 0n,
      cumulative: await reservation.emitted(),
    });
  }

  // --- inflation-cut vote: 20% burn ---
  options.progress("an inflation-cut vote: propose (deposit), pool, vote, settle");
  for (const holder of [alice, bob, carol]) {
    await (await token.transfer(holder.address, 300_000n * DG)).wait();
    await (await token.connect(holder).approve(addresses.InflationVote, ethers.MaxUint256)).wait();
  }
  const deposit = await vote.proposalDeposit();
  await (await vote.connect(alice).propose(2_000n, 7n * DAY)).wait(); // takes the deposit
  await (await vote.connect(alice).back(1n, 60_000n * DG)).wait();
  await (await vote.connect(bob).back(1n, 60_000n * DG)).wait(); // takes the 40,000 DG that fill the pool
  await (await vote.connect(alice).vote(1n, true, 200_000n * DG)).wait();
  await (await vote.connect(bob).vote(1n, true, 200_000n * DG)).wait();
  await (await vote.connect(carol).vote(1n, false, 100_000n * DG)).wait();
  await setTime((await vote.getProposal(1n)).votingEnd);
  await (await vote.settle(1n)).wait();
  const settled = await vote.getProposal(1n);
  const voteSummary = {
    forVotes: settled.forVotes,
    againstVotes: settled.againstVotes,
    passed: (await vote.statusOf(1n)) === 4n,
    burnBps: await reservation.burnBps(),
    deposit,
    depositReturned: 0n,
  };
  const burnDay = ((await now()) - releaseStart) / DAY + 1n;
  await setTime(releaseStart + burnDay * DAY);
  const supplyBefore = await token.totalSupply();
  const burnReceipt = (await (await reservation.release()).wait())!;
  const burnEvent = burnReceipt.logs
    .map((log) => reservation.interface.parseLog(log))
    .find((e) => e?.name === "Released")!;
  const burnRelease = {
    day: burnDay,
    released: (burnEvent.args.toBeneficiary as bigint) + (burnEvent.args.burned as bigint),
    toBeneficiary: burnEvent.args.toBeneficiary as bigint,
    burned: burnEvent.args.burned as bigint,
    supplyBefore,
    supplyAfter: await token.totalSupply(),
  };
  for (const holder of [alice, bob, carol]) {
    const receipt = (await (await vote.connect(holder).withdraw(1n)).wait())!;
    for (const log of receipt.logs) {
      const event = vote.interface.parseLog(log);
      if (event?.name === "DepositReturned") voteSummary.depositReturned += event.args.amount as bigint;
    }
  }

  // --- an epoch from a compute report, claimed in exact proportion ---
  options.progress("building the epoch from a compute report and posting its root");
  const reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dg-report-")), "compute-report.csv");
  fs.writeFileSync(
    reportFile,
    `validator,compute\n${named.A.address},50\n${named.B.address},30\n${named.C.address},20\n`,
  );
  const epoch = (await rewards.epochsEnded()) - 1n;
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const built = buildEpoch({
    chainId,
    distributor: addresses.ComputeRewards,
    epoch,
    entries: readComputeReport(reportFile),
  });
  await (await rewards.connect(oracle).postRoot(epoch, built.root, built.totalCompute)).wait();
  const carryAfterPosting = await rewards.carry();
  const epochStart = await rewards.epochStart(epoch);
  const ownEmission =
    (await reservation.emittedBy(epochStart + (await rewards.epochDuration()) - 1n)) -
    (await reservation.emittedBy(epochStart - 1n));
  await setTime(await rewards.activatesAt(epoch));
  const claims: LifecycleSummary["epoch"]["claims"] = [];
  for (const name of ["A", "B", "C"] as const) {
    const signer = named[name];
    const leaf = built.proofs[signer.address];
    const before = await token.balanceOf(signer.address);
    await (await rewards.connect(signer).claimEpoch(epoch, leaf.compute, leaf.proof)).wait();
    claims.push({
      name,
      address: signer.address,
      compute: leaf.compute,
      paid: (await token.balanceOf(signer.address)) - before,
    });
  }
  const epochData = await rewards.getEpoch(epoch);

  // --- a cross-check that catches C, from the receipt C signed when it delivered ---
  options.progress(
    "C delivers a wrong result with a signed receipt; a check opened from it: draw, commit, reveal, finalize",
  );
  const RIGHT = ethers.id("the right result");
  const WRONG = ethers.id("C's shortcut");
  const sdkSuite: Suite = {
    ...suite,
    record: {
      chainId: Number(chainId),
      network: network.name,
      deployer: deployer.address,
      blockNumber: await ethers.provider.getBlockNumber(),
      deployedAt: new Date(0).toISOString(),
      contracts: addresses,
    },
  };
  const saltDir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-salts-"));
  const coordinator = new CoordinatorClient(sdkSuite, oracle);
  const check = await crossCheckOf(sdkSuite, coordinator, saltDir, {
    task: "task-0001",
    user,
    paired: named.C,
    delivered: WRONG,
    right: RIGHT,
  });

  // --- a validator that unbonds right after delivering is still checked (and slashed) ---
  options.progress("D delivers a wrong result, unbonds everything in the next block, and is still checked and slashed");
  const unbondedCheck = await crossCheckOf(sdkSuite, coordinator, saltDir, {
    task: "task-0002",
    user,
    paired: named.D,
    delivered: WRONG,
    right: RIGHT,
    unbondFirst: true,
  });

  // --- an unbond and withdraw ---
  options.progress("A unbonds everything and withdraws after the cooldown");
  const unbonded = (await staking.validatorInfo(named.A.address)).active;
  await (await staking.connect(named.A).requestUnbond(unbonded)).wait();
  await setTime((await staking.validatorInfo(named.A.address)).unbondingEnd);
  const beforeWithdraw = await token.balanceOf(named.A.address);
  await (await staking.connect(named.A).withdraw()).wait();
  const exit = {
    name: "A",
    unbonded,
    withdrawn: (await token.balanceOf(named.A.address)) - beforeWithdraw,
    status: VALIDATOR_STATES[Number((await staking.validatorInfo(named.A.address)).status)],
  };

  // --- the emission chart ---
  options.progress("reading the schedule and rendering the emission chart");
  const points = await readSchedulePoints(reservation);
  fs.mkdirSync(path.dirname(options.chartFile), { recursive: true });
  fs.writeFileSync(options.chartFile, renderScheduleSvg(points));

  // --- conservation ---
  let holdersSum = 0n;
  for (const account of [...signers.map((s) => s.address), ...Object.values(addresses)])
    holdersSum += await token.balanceOf(account);
  const burnedTotal = TOTAL_SUPPLY - (await token.totalSupply());

  return {
    addresses,
    releases,
    vote: voteSummary,
    burnRelease,
    stakes,
    epoch: {
      epoch,
      pool: epochData.pool,
      available: epochData.pool + carryAfterPosting,
      own: ownEmission,
      carry: carryAfterPosting,
      totalCompute: built.totalCompute,
      reportFile,
      claims,
    },
    check,
    unbondedCheck,
    saltDir,
    exit,
    chartFile: options.chartFile,
    holdersSum,
    burnedTotal,
  };
}
