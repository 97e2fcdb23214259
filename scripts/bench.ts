/**
 * `npm run bench`: gas of every user-facing operation, measured in one run on the embedded
 * Hardhat network through the production deployment modules, each beside a published anchor figure
 * and the ratio to it. Gas is deterministic, so the table is reproducible; it is printed and
 * written to bench/gas.md.
 */
import fs from "node:fs";
import path from "node:path";
import { ethers, network } from "hardhat";
import { mine, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, toBeHex, type ContractTransactionResponse, type Signer } from "ethers";
import { deploySuite } from "./lib/deploySuite";
import { PERMIT_TYPES } from "../sdk/constants";
import { RECEIPT_TYPES, receiptDomain } from "../sdk/crosscheck";
import { buildEpoch, type BuiltEpoch, type ComputeEntry } from "./lib/epoch";
import type { DataGen, SwarmStaker } from "../typechain-types";

const DAY = 86_400n;
const DG = 10n ** 18n;

/** A published figure to compare with: `low`..`high` gas (equal for a single figure). */
interface Anchor {
  name: string;
  low: number;
  high: number;
}
const UNISWAP_CLAIM: Anchor = { name: "Uniswap MerkleDistributor claim", low: 69_000, high: 85_000 };
const SYNTHETIX_STAKE: Anchor = { name: "Synthetix stake", low: 102_000, high: 102_000 };
const ETH_DEPOSIT: Anchor = { name: "Ethereum deposit contract deposit", low: 143_000, high: 143_000 };
const DATAGEN_RELEASE: Anchor = { name: "original Datagen releaseDataGen", low: 64_000, high: 99_000 };

interface Row {
  section: string;
  operation: string;
  gas: bigint;
  /** A gas ceiling from the issues' targets: the table says whether the row meets it. */
  ceiling?: number;
  /** Any other target, in words (flatness is checked below the table). */
  target?: string;
  anchor?: Anchor;
}
const rows: Row[] = [];
let section = "";

async function measure(operation: string, tx: Promise<ContractTransactionResponse>, extra: Partial<Row> = {}) {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error(`no receipt for ${operation}`);
  rows.push({ section, operation, gas: receipt.gasUsed, ...extra });
  return receipt.gasUsed;
}

/** Moves the chain's clock to `timestamp` unless it is already there or later. */
async function advanceTo(timestamp: bigint) {
  if (BigInt(await time.latest()) < timestamp) await time.increaseTo(timestamp);
}

function progress(message: string) {
  process.stdout.write(`  … ${message}\n`);
}

/** The ratio to the anchor: gas over the anchor's low end (the harder comparison). */
function ratio(row: Row): string {
  return row.anchor ? (Number(row.gas) / row.anchor.low).toFixed(2) : "";
}

function anchorText(anchor?: Anchor): string {
  if (!anchor) return "";
  const fmt = (n: number) => `${Math.round(n / 1000)}k`;
  return `${anchor.name} ${anchor.low === anchor.high ? `~${fmt(anchor.low)}` : `${fmt(anchor.low)}–${fmt(anchor.high)}`}`;
}

/** Gas of the measured row named `operation` (the first one if several). */
function gasOf(operation: string): bigint {
  const row = rows.find((r) => r.operation === operation);
  if (!row) throw new Error(`no bench row "${operation}"`);
  return row.gas;
}

/** The flatness targets, computed from the rows: max over min, or the difference, with a verdict. */
function flatnessChecks(): string[] {
  const spread = (gases: bigint[]) => {
    const max = gases.reduce((a, b) => (a > b ? a : b));
    const min = gases.reduce((a, b) => (a < b ? a : b));
    return { max, min, pct: Number(((max - min) * 10_000n) / min) / 100 };
  };
  const releaseRows = rows.filter((r) => r.section === "release");
  const receipts = spread(releaseRows.filter((r) => !r.operation.includes("execution only")).map((r) => r.gas));
  const execution = spread(releaseRows.filter((r) => r.operation.includes("execution only")).map((r) => r.gas));
  const post = [gasOf("postRoot, 10 validators"), gasOf("postRoot, 100,000 validators")];
  const draws = rows.filter((r) => r.operation.startsWith("draw three checkers")).map((r) => r.gas);
  const draw = spread(draws);
  return [
    `release() execution gas: ${execution.min.toLocaleString("en-US")}–${execution.max.toLocaleString("en-US")}, spread ${execution.pct}% ` +
      `(${execution.pct <= 2 ? "within" : "NOT within"} 2%); receipts ${receipts.min.toLocaleString("en-US")}–${receipts.max.toLocaleString("en-US")} ` +
      "(the day-80000 call exhausts the reserve and earns a storage refund, hence lower)",
    `postRoot 10 vs 100,000 validators: ${(post[1] - post[0]).toString()} gas apart, only the calldata bytes of the root and total differ (test/ComputeRewards.test.ts pins the execution gas equal)`,
    `draw from the history with 10, 1,000 (short and long history) and 10,000 Active validators: ${draw.min.toLocaleString("en-US")}–${draw.max.toLocaleString("en-US")}, spread ${draw.pct}% ` +
      "(binary searches over the count's and each drawn index's checkpoints: the cost grows with the log of the history, never with N itself)",
  ];
}

async function permitSignature(token: DataGen, owner: Signer, spender: string, value: bigint, deadline: bigint) {
  const ownerAddress = await owner.getAddress();
  const domain = {
    name: "DataGen",
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await token.getAddress(),
  };
  const types = { Permit: [...PERMIT_TYPES.Permit] };
  const message = { owner: ownerAddress, spender, value, nonce: await token.nonces(ownerAddress), deadline };
  return ethers.Signature.from(await owner.signTypedData(domain, types, message));
}

async function main() {
  const signers = await ethers.getSigners();
  const [, oracle, guardian, alice, bob, v1, v2, v3, v4, v5] = signers;
  const releaseStart = BigInt(await time.latest()) + DAY;
  console.log("Deploying the suite through deploy/modules/CrossCheck.ts …");
  const {
    token,
    reservation,
    inflationVote: vote,
    staking,
    rewards,
    crossCheck,
  } = await deploySuite({
    Core: { releaseStart, initialBurnBps: 0n, quorumBps: 100n },
    Suite: { oracle: oracle.address, guardian: guardian.address },
    CrossCheck: { coordinator: oracle.address },
  });
  const minStake = await staking.minStake();
  for (const holder of [alice, bob]) await (await token.transfer(holder.address, 1_000_000n * DG)).wait();
  for (const holder of [v1, v2, v3, v4, v5]) await (await token.transfer(holder.address, 100_000n * DG)).wait();

  // --- token ---
  section = "token";
  progress("token");
  await measure("DG transfer (to a holder with a balance)", token.connect(alice).transfer(bob.address, DG));
  {
    const deadline = BigInt(await time.latest()) + DAY;
    const sig = await permitSignature(token, alice, bob.address, DG, deadline);
    await measure(
      "DG permit (EIP-2612)",
      token.connect(bob).permit(alice.address, bob.address, DG, deadline, sig.v, sig.r, sig.s),
    );
  }

  // --- release: each case from the same snapshot: one earlier release, then the measured one ---
  section = "release";
  progress("release on days 1, 5000, 80000 and after a 10-year gap");
  const releaseCases: [string, bigint, bigint][] = [
    ["release() on day 1 (after day 0)", 0n, 1n],
    ["release() on day 5000 (after day 4999)", 4999n, 5000n],
    ["release() on day 80000 (after day 79000)", 79000n, 80000n],
    ["release() after a 10-year gap (day 3650 after day 0)", 0n, 3650n],
  ];
  const probe = await (await ethers.getContractFactory("ReleaseGasProbe")).deploy();
  const beforeRelease = await takeSnapshot();
  for (const [label, previousDay, day] of releaseCases) {
    await time.increaseTo(releaseStart + previousDay * DAY);
    await (await reservation.release()).wait();
    await time.increaseTo(releaseStart + day * DAY);
    await measure(label, reservation.release(), { ceiling: 60_000, target: "flat", anchor: DATAGEN_RELEASE });
    await beforeRelease.restore();
  }
  // The same calls through a probe that reads gasleft() around release(): execution gas without the
  // end-of-transaction refund that the reserve-exhausting call earns (see contracts/test/ReleaseGasProbe.sol).
  for (const [label, previousDay, day] of releaseCases) {
    await time.increaseTo(releaseStart + previousDay * DAY);
    await (await reservation.release()).wait();
    await time.increaseTo(releaseStart + day * DAY);
    const gasInside = await probe.measureRelease.staticCall(await reservation.getAddress());
    rows.push({ section, operation: `${label}, execution only (no refund)`, gas: gasInside, target: "flat within 2%" });
    await beforeRelease.restore();
  }

  // --- vote ---
  section = "inflation vote";
  progress("inflation vote");
  const voteSnapshot = await takeSnapshot();
  const voteAddress = await vote.getAddress();
  await (await token.connect(alice).approve(voteAddress, ethers.MaxUint256)).wait();
  await (await token.connect(bob).approve(voteAddress, ethers.MaxUint256)).wait();
  await time.increaseTo(releaseStart);
  await measure("propose (pulls the 1,000 DG deposit)", vote.connect(alice).propose(2_500n, 7n * DAY));
  await measure("back (first backer)", vote.connect(alice).back(1n, 40_000n * DG));
  await measure("back (fills the pool, opens the vote)", vote.connect(bob).back(1n, 60_000n * DG));
  await measure("vote (first lock)", vote.connect(alice).vote(1n, true, 200_000n * DG), { ceiling: 90_000 });
  await measure("vote (second voter)", vote.connect(bob).vote(1n, true, 200_000n * DG), { ceiling: 90_000 });
  await time.increase(7n * DAY);
  await measure("settle (passed: releases, sets burnBps)", vote.settle(1n));
  await measure("withdraw (proposer: backing + lock + deposit)", vote.connect(alice).withdraw(1n));
  await measure("withdraw (backing + lock)", vote.connect(bob).withdraw(1n));
  // Leaving the queue and an empty vote: 2 runs (nobody votes), 3 and 4 wait; 3's backer leaves.
  for (const [who, bps] of [
    [bob, 2_000n],
    [alice, 3_000n],
    [alice, 4_000n],
  ] as const) {
    await (await vote.connect(who).propose(bps, 30n * DAY)).wait();
    await (await vote.connect(who).back(await vote.proposalCount(), 100_000n * DG)).wait();
  }
  await measure("withdrawBacking (queued: leaves the queue)", vote.connect(alice).withdrawBacking(3n, DG));
  await time.increase(7n * DAY);
  await measure("settle (empty vote after 7 days: burns the deposit, opens the next)", vote.settle(2n));
  await voteSnapshot.restore();

  // --- staking ---
  section = "validator staking";
  progress("staking");
  const stakingAddress = await staking.getAddress();
  for (const v of [v1, v2, v3, v4, v5])
    await (await token.connect(v).approve(stakingAddress, ethers.MaxUint256)).wait();
  await measure("stake (first validator ever)", staking.connect(v1).stake(minStake), {
    target: "once per deployment (first writes of the totals)",
    anchor: SYNTHETIX_STAKE,
  });
  await measure("stake (new validator, allowance set)", staking.connect(v2).stake(minStake), {
    ceiling: 200_000,
    target: "was ≤ 100k before the active set's history (three checkpoint traces, SPEC 5)",
    anchor: SYNTHETIX_STAKE,
  });
  await measure("stake (top-up)", staking.connect(v2).stake(minStake), { anchor: SYNTHETIX_STAKE });
  await (await token.connect(v3).approve(stakingAddress, 0n)).wait();
  {
    const deadline = BigInt(await time.latest()) + DAY;
    const sig = await permitSignature(token, v3, stakingAddress, minStake, deadline);
    await measure(
      "stakeWithPermit (new validator, one transaction)",
      staking.connect(v3).stakeWithPermit(minStake, deadline, sig.v, sig.r, sig.s),
      {
        anchor: ETH_DEPOSIT,
      },
    );
  }
  await (await staking.connect(v4).stake(minStake)).wait(); // admitted before epoch 0, like v1..v3
  await (await staking.connect(v5).stake(minStake)).wait(); // the one that leaves (its last index moves nothing)
  const unbondSnapshot = await takeSnapshot();
  await measure("requestUnbond (part, stays Active)", staking.connect(v2).requestUnbond(minStake));
  await unbondSnapshot.restore();
  await measure("requestUnbond (everything, leaves the active set)", staking.connect(v5).requestUnbond(minStake));
  await time.increase(await staking.cooldown());
  await measure("withdraw (after the cooldown)", staking.connect(v5).withdraw());

  // --- rewards ---
  section = "compute rewards";
  progress("building a 100,000-leaf epoch tree");
  const distributor = await rewards.getAddress();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const validators = [v1, v2, v3, v4];
  const epochEntries = (extra: number): ComputeEntry[] => {
    const entries: ComputeEntry[] = validators.map((v) => ({ validator: v.address, compute: 1_000n }));
    for (let i = 0; i < extra; i++)
      entries.push({ validator: getAddress(toBeHex(0x10000n + BigInt(i), 20)), compute: BigInt(1 + (i % 997)) });
    return entries;
  };
  const build = (epoch: bigint, entries: ComputeEntry[]): BuiltEpoch =>
    buildEpoch({ chainId, distributor, epoch, entries });
  const genesis = await rewards.genesis();
  const epochDuration = await rewards.epochDuration();
  const challengeWindow = await rewards.challengeWindow();
  const postAndActivate = async (epoch: bigint, built: BuiltEpoch) => {
    await advanceTo(genesis + (epoch + 1n) * epochDuration);
    await (await rewards.connect(oracle).postRoot(epoch, built.root, built.totalCompute)).wait();
    await time.increase(challengeWindow);
  };
  // Steady state: every validator claimed once (bitmap word and DG balance non-zero); one leaf stays
  // unclaimed so the distributor holds DG.
  const epoch0 = build(0n, [...epochEntries(0), { validator: v5.address, compute: 1_000n }]);
  await postAndActivate(0n, epoch0);
  for (const v of validators)
    await (await rewards.connect(v).claimEpoch(0n, 1_000n, epoch0.proofs[v.address].proof)).wait();
  const big = build(1n, epochEntries(99_996));
  const small = build(1n, epochEntries(6));
  const postSnapshot = await takeSnapshot();
  await advanceTo(genesis + 2n * epochDuration);
  await measure("postRoot, 10 validators", rewards.connect(oracle).postRoot(1n, small.root, small.totalCompute), {
    target: "same for any N",
  });
  await postSnapshot.restore();
  await advanceTo(genesis + 2n * epochDuration);
  await measure("postRoot, 100,000 validators", rewards.connect(oracle).postRoot(1n, big.root, big.totalCompute), {
    target: "same for any N",
  });
  await time.increase(challengeWindow);
  const deep = validators.find((v) => big.proofs[v.address].proof.length === 17);
  if (!deep) throw new Error("no validator with a 17-hash proof in the 100,000-leaf tree");
  await measure(
    "claimEpoch, one epoch, 100,000-leaf tree (17-hash proof)",
    rewards.connect(deep).claimEpoch(1n, 1_000n, big.proofs[deep.address].proof),
    { ceiling: 77_000, target: "was ≤ 75k; eligibility now reads the admission's end", anchor: UNISWAP_CLAIM },
  );
  const other = validators.find((v) => v !== deep)!;
  await measure(
    `claim([1 epoch]), 100,000-leaf tree (${big.proofs[other.address].proof.length}-hash proof)`,
    rewards.connect(other).claim([{ epoch: 1n, compute: 1_000n, proof: big.proofs[other.address].proof }]),
    { anchor: UNISWAP_CLAIM },
  );
  progress("ten more epochs");
  const tenSmall: BuiltEpoch[] = [];
  for (let e = 2n; e <= 11n; e++) {
    const built = build(e, epochEntries(6));
    tenSmall.push(built);
    await postAndActivate(e, built);
  }
  const smallLeaf = (built: BuiltEpoch, epoch: bigint, v: Signer & { address: string }) => ({
    epoch,
    compute: 1_000n,
    proof: built.proofs[v.address].proof,
  });
  await measure(
    "claimEpoch, one epoch, 10-leaf tree",
    rewards.connect(v1).claimEpoch(2n, 1_000n, tenSmall[0].proofs[v1.address].proof),
    {
      ceiling: 77_000,
      anchor: UNISWAP_CLAIM,
    },
  );
  const tenGas = await measure(
    "claim, ten epochs in one call (10-leaf trees)",
    rewards.connect(v2).claim(tenSmall.map((built, i) => smallLeaf(built, BigInt(i) + 2n, v2))),
  );
  const oneGas = await measure(
    "claim, one epoch in a list (10-leaf tree)",
    rewards.connect(v3).claim([smallLeaf(tenSmall[0], 2n, v3)]),
  );
  rows.push({
    section,
    operation: "claim: each extra epoch in a batch ((ten − one) / 9)",
    gas: (tenGas - oneGas) / 9n,
    ceiling: 40_000,
  });
  await mine(1);

  // --- cross-check ---
  section = "cross-check";
  progress("cross-checks with 10 Active validators");
  const joiners = signers.slice(10, 16);
  for (const j of joiners) {
    // More than the stake: every validator keeps a DG balance, so a checker's reward never pays for a
    // first (zero to non-zero) balance write and the finalize rows do not depend on who is drawn.
    await (await token.transfer(j.address, minStake + 1_000n * DG)).wait();
    await (await token.connect(j).approve(stakingAddress, minStake)).wait();
    await (await staking.connect(j).stake(minStake)).wait();
  }
  if ((await staking.activeValidatorCount()) !== 10n) throw new Error("expected 10 Active validators");
  const user = signers[16];
  const coordinator = crossCheck.connect(oracle);
  const RESULT = ethers.id("the correct result");
  const WRONG = ethers.id("a wrong result");
  const OTHER = ethers.id("another wrong result");
  const INPUT_MISMATCH = await crossCheck.INPUT_MISMATCH();
  const domain = receiptDomain(chainId, await crossCheck.getAddress());
  /** A validator still Active (a slashed checker at the minimum stake is expelled). */
  const activeValidator = async (): Promise<Signer & { address: string }> => {
    for (const v of [v1, v2, v3, v4, ...joiners]) if ((await staking.validatorInfo(v.address)).status === 1n) return v;
    throw new Error("no Active validator left");
  };
  /**
   * Opens a check of task `n` from a receipt the paired validator signed (ECDSA) and draws it,
   * measuring both when `when` names the case; returns the id and the three checkers.
   */
  const openCheck = async (n: number, when?: string) => {
    const label = `${(await staking.activeValidatorCount()).toLocaleString("en-US")} Active validators${when?.includes("set changes") ? ", long history" : ""}`;
    const paired = await activeValidator();
    const receipt = {
      taskId: ethers.id(`bench-task-${n}`),
      user: user.address,
      inputHash: ethers.id(`bench-input-${n}`),
      resultHash: RESULT,
      deliveredAt: BigInt(await time.latest()),
    };
    const signature = await paired.signTypedData(domain, RECEIPT_TYPES, receipt);
    const open = coordinator.open(receipt, paired.address, signature);
    if (when) await measure(`open with a signed receipt (${when}, ${label})`, open);
    else await (await open).wait();
    const checkId = await crossCheck.checkCount();
    await mine(1);
    if (when) {
      await measure(`draw three checkers (${label})`, crossCheck.draw(checkId), {
        ceiling: 478_000,
        target: "≤ 2× the 239k of the live-set draw; log of the history",
      });
    } else await (await crossCheck.draw(checkId)).wait();
    const checkers = (await crossCheck.checkInfo(checkId)).drawn.slice(0, 3) as string[];
    return { checkId, checkers };
  };
  /** Commits and reveals each party's hash, measuring one commit and one reveal when `measureOne`. */
  const play = async (checkId: bigint, parties: string[], said: string[], measureOne: boolean) => {
    const salt = ethers.id("bench salt");
    for (const [i, party] of parties.entries()) {
      const tx = crossCheck
        .connect(await ethers.getSigner(party))
        .commit(checkId, await crossCheck.commitmentOf(checkId, party, said[i], salt));
      if (measureOne && i === parties.length - 1) await measure("commit (a checker)", tx);
      else await (await tx).wait();
    }
    await advanceTo((await crossCheck.checkInfo(checkId)).commitDeadline + 1n);
    for (const [i, party] of parties.entries()) {
      const tx = crossCheck.connect(await ethers.getSigner(party)).reveal(checkId, said[i], salt);
      if (measureOne && i === parties.length - 1) await measure("reveal (a checker)", tx);
      else await (await tx).wait();
    }
    await advanceTo((await crossCheck.checkInfo(checkId)).revealDeadline + 1n);
  };
  {
    const { checkId, checkers } = await openCheck(1, "first check: fresh counters");
    await play(checkId, checkers, [RESULT, RESULT, RESULT], true);
    await measure("finalize: pass (n1), closes 4 exposures", crossCheck.finalize(checkId));
  }
  {
    const { checkId, checkers } = await openCheck(2, "a later check");
    await play(checkId, checkers, [RESULT, RESULT, WRONG], false);
    await measure("finalize: one checker slashed (n3), 2 rewarded", crossCheck.finalize(checkId));
  }
  {
    const { checkId, checkers } = await openCheck(3);
    await play(checkId, checkers, [WRONG, WRONG, WRONG], false);
    await measure("finalize: paired validator slashed (n2), 3 rewarded", crossCheck.finalize(checkId));
  }
  {
    const { checkId, checkers } = await openCheck(4);
    await play(checkId, checkers, [INPUT_MISMATCH, INPUT_MISMATCH, RESULT], false);
    await measure("finalize: invalid (two INPUT_MISMATCH), nobody slashed", crossCheck.finalize(checkId));
  }
  {
    const { checkId, checkers } = await openCheck(5);
    await play(checkId, checkers, [RESULT, WRONG, OTHER], false);
    await measure("finalize: tie declared (one checker gave H)", crossCheck.finalize(checkId));
    await mine(1);
    await measure("draw the fifth validator (10 Active validators)", crossCheck.draw(checkId), {
      ceiling: 478_000,
    });
    const fifth = (await crossCheck.checkInfo(checkId)).drawn[3];
    await play(checkId, [fifth], [RESULT], false);
    await measure("finalize: tie decided by the fifth, 2 slashed, 2 rewarded", crossCheck.finalize(checkId));
  }
  progress("990 more validators");
  const swarm = await (await ethers.getContractFactory("StakerSwarm")).deploy();
  const swarmAddress = await swarm.getAddress();
  const tokenAddress = await token.getAddress();
  /** Tops the active set up to exactly `target` validators (the checks above may have expelled some). */
  const growTo = async (target: bigint) => {
    for (let missing = target - (await staking.activeValidatorCount()); missing > 0n;) {
      const batch = missing < 25n ? missing : 25n;
      await (await token.transfer(swarmAddress, batch * minStake)).wait();
      await (await swarm.spawn(stakingAddress, tokenAddress, batch, minStake)).wait();
      missing -= batch;
    }
    if ((await staking.activeValidatorCount()) !== target) throw new Error(`expected ${target} Active validators`);
  };
  await growTo(1_000n);
  const { checkers: busy } = await openCheck(6, "a later check");

  progress("a long history: 900 validators leave and rejoin, one per block (2,700 transactions)");
  // Not the checkers of the check just opened: their open exposures hold their withdrawals.
  const members: SwarmStaker[] = [];
  for (let i = 0; members.length < 900; i++) {
    const address = await swarm.members(i);
    if (!busy.includes(address)) members.push(await ethers.getContractAt("SwarmStaker", address));
  }
  for (const member of members) await (await member.unbondAll(stakingAddress)).wait();
  await time.increase(await staking.cooldown());
  for (const member of members) await (await member.withdrawAndRestake(stakingAddress, tokenAddress)).wait();
  await growTo(1_000n);
  await openCheck(7, "after 1,800 set changes in 1,800 blocks");

  // 10,000 validators at the default 10,000 DG minimum stake would need 100M DG (the supply is 30M):
  // a second suite, deployed the same way with the lowest minimum stake the escrow accepts (1 DG),
  // measures the draw among 10,000. The minimum stake does not enter the draw's cost.
  progress("a second suite with 10,000 validators (minimum stake 1 DG)");
  {
    const large = await deploySuite({
      Core: { releaseStart: BigInt(await time.latest()) + DAY, initialBurnBps: 0n, quorumBps: 100n },
      Suite: { minStake: DG, oracle: oracle.address, guardian: guardian.address },
      CrossCheck: { coordinator: oracle.address },
    });
    const largeStaking = await large.staking.getAddress();
    const largeToken = await large.token.getAddress();
    const largeSwarm = await (await ethers.getContractFactory("StakerSwarm")).deploy();
    await (await large.token.transfer(await largeSwarm.getAddress(), 10_000n * DG)).wait();
    for (let made = 0n; made < 10_000n; made += 25n) {
      await (await largeSwarm.spawn(largeStaking, largeToken, 25n, DG)).wait();
    }
    if ((await large.staking.activeValidatorCount()) !== 10_000n) throw new Error("expected 10,000 Active validators");
    // The paired validator: an EOA that signs its receipt (the swarm's members are contracts).
    await (await large.token.transfer(v1.address, DG)).wait();
    await (await large.token.connect(v1).approve(largeStaking, DG)).wait();
    await (await large.staking.connect(v1).stake(DG)).wait();
    const largeDomain = receiptDomain(chainId, await large.crossCheck.getAddress());
    const receipt = {
      taskId: ethers.id("bench-task-large"),
      user: user.address,
      inputHash: ethers.id("bench-input-large"),
      resultHash: RESULT,
      deliveredAt: BigInt(await time.latest()),
    };
    const signature = await v1.signTypedData(largeDomain, RECEIPT_TYPES, receipt);
    const label = "10,001 Active validators";
    await measure(
      `open with a signed receipt (a later check, ${label})`,
      large.crossCheck.connect(oracle).open(receipt, v1.address, signature),
    );
    await mine(1);
    await measure(`draw three checkers (${label})`, large.crossCheck.draw(await large.crossCheck.checkCount()), {
      ceiling: 478_000,
      target: "≤ 2× the 239k of the live-set draw; log of the history",
    });
  }

  // --- table ---
  const header = ["section", "operation", "gas", "target", "met", "anchor", "ratio"];
  const body = rows.map((r) => [
    r.section,
    r.operation,
    r.gas.toLocaleString("en-US"),
    [r.ceiling === undefined ? "" : `≤ ${r.ceiling / 1000}k`, r.target ?? ""].filter((t) => t !== "").join(", "),
    r.ceiling === undefined ? "" : r.gas <= BigInt(r.ceiling) ? "yes" : "NO",
    anchorText(r.anchor),
    ratio(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 2 || i === 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  const checks = flatnessChecks();
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${body.map(line).join("\n")}`);
  console.log(`\n${checks.map((c) => `- ${c}`).join("\n")}`);
  const markdown = [
    `| ${header.join(" | ")} |`,
    "|---|---|---:|---|---|---|---:|",
    ...body.map((b) => `| ${b.join(" | ")} |`),
    "",
    "Flatness targets:",
    "",
    ...checks.map((c) => `- ${c}`),
  ];
  const out = path.join(__dirname, "..", "bench", "gas.md");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    "# Gas benchmark\n\n" +
      `Measured by \`npm run bench\` on the embedded Hardhat network (${network.name}; solc 0.8.28, optimizer 10,000 runs, evm cancun). ` +
      "Gas is a receipt's `gasUsed` (intrinsic and calldata gas included, refunds deducted) unless the row says otherwise. " +
      "The ratio is the gas over the anchor's low end. Anchors are the published figures the hardening issue names " +
      "(Uniswap MerkleDistributor claim, Synthetix stake, the original Datagen `releaseDataGen`, the Ethereum deposit contract); " +
      "an operation with no comparable published figure has none. `met` says whether a row is within its gas ceiling. " +
      "Every row is the same on every run except the cross-check's draw and finalize rows, which depend on whom the " +
      "block-hash seed draws (which indices a draw skips; where an expelled validator sat in the active set, since removing " +
      "the last element moves nothing): they vary by up to about 5,000 gas from run to run.\n\n" +
      `${markdown.join("\n")}\n`,
  );
  console.log(`\nwritten to ${path.relative(process.cwd(), out)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
