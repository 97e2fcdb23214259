/**
 * System-wide property test: fast-check drives the deployed suite (deploy/modules/CrossCheck.ts)
 * through random sequences of operations — time jumps of any size, releases, proposals, pooling,
 * votes, settles, withdrawals, stakes, unbonds, slashes through cross-checks, epoch posts, claims,
 * transfers — and checks the suite's invariants after every step. Its actors include attackers:
 * users that are Active validators, Sybil stakes and unbonds between a check's open and its draw,
 * full unbonds right before the open, users that stake after a tie, ties with every party Active,
 * checkers that lie, stay silent or report INPUT_MISMATCH, receipts replayed or from another chain. A failure shrinks to a minimal
 * sequence. `PROPERTY_RUNS` sets the number of sequences (default 400: the deep search of the
 * contracts is the Foundry campaign, `npm run fuzz`; this test keeps what forge cannot do — the
 * production Ignition deployment, the TypeScript draw model and EIP-712 receipts signed by ethers).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { buildEpoch, type BuiltEpoch } from "../scripts/lib/epoch";
import {
  deployCrossCheck,
  modelPick,
  modelSeed,
  playRound,
  result,
  signReceipt,
  taskId,
  wordOf,
  type Answer,
} from "./helpers/crosscheck";
import { IS_COVERAGE } from "./helpers/fixtures";
import type { InvariantReader } from "../typechain-types";

const DG = 10n ** 18n;
const DAY = 86_400n;
const TOTAL_SUPPLY = 30_000_000n * DG;
const RESERVE = 15_000_000n * DG;
/** Sequences per run: PROPERTY_RUNS, else 400 (60 under coverage, whose bytecode is slower: enough to cover its paths). */
const RUNS = Number(process.env.PROPERTY_RUNS ?? (IS_COVERAGE ? 60 : 400));

async function propertyFixture() {
  const s = await deployCrossCheck();
  const reader = (await (await ethers.getContractFactory("InvariantReader")).deploy()) as unknown as InvariantReader;
  const signers = await ethers.getSigners();
  const holders = s.others.slice(0, 4); // vote participants
  const joiners = s.others.slice(4, 8); // may stake later
  for (const h of holders) await s.token.connect(h).approve(await s.inflationVote.getAddress(), ethers.MaxUint256);
  for (const v of [...s.validators, ...joiners]) {
    await s.token.connect(v).approve(await s.staking.getAddress(), ethers.MaxUint256);
  }
  // The deployer (oracle, treasury) lends the holders enough DG to reach the quorum.
  for (const h of holders) await s.token.transfer(h.address, 400_000n * DG);
  // A head start, so that short sequences reach the interesting states: a vote already running
  // (proposal 1, its pool filled by holder 0), epoch 0 posted and active, a validator cooling down.
  await s.inflationVote.connect(holders[0]).propose(2_500n, 7n * DAY);
  await s.inflationVote.connect(holders[0]).back(1n, 100_000n * DG);
  await s.staking
    .connect(s.validators[7])
    .requestUnbond(await (await s.staking.validatorInfo(s.validators[7].address)).active);
  await time.increaseTo((await s.rewards.genesis()) + DAY);
  const epoch0 = buildEpoch({
    chainId: (await ethers.provider.getNetwork()).chainId,
    distributor: await s.rewards.getAddress(),
    epoch: 0n,
    entries: s.validators.slice(0, 7).map((v, i) => ({ validator: v.address, compute: BigInt(10 + i) })),
  });
  await s.rewards.postRoot(0n, epoch0.root, epoch0.totalCompute);
  await time.increaseTo(await s.rewards.activatesAt(0n));
  const contracts = [s.token, s.reservation, s.inflationVote, s.staking, s.rewards, s.crossCheck];
  const holderAddresses = [
    ...signers.map((x) => x.address),
    ...(await Promise.all(contracts.map((c) => c.getAddress()))),
  ];
  const inputMismatch = await s.crossCheck.INPUT_MISMATCH();
  return {
    ...s,
    reader,
    holders,
    joiners,
    stakers: [...s.validators, ...joiners],
    holderAddresses,
    epoch0,
    inputMismatch,
  };
}
type World = Awaited<ReturnType<typeof propertyFixture>>;

/** What the test remembers of one sequence, to check the vote's and the distributor's accounting. */
interface Model {
  deposits: Map<string, bigint>; // `${proposal}:${account}` → DG backed + locked
  bonds: Map<bigint, { proposer: string; amount: bigint }>; // proposal → its proposer's deposit still held
  voteHeld: bigint; // Σ deposits and bonds not yet withdrawn (or burned)
  posted: bigint[];
  trees: Map<bigint, BuiltEpoch>;
}

type Op =
  | { kind: "jump"; seconds: number }
  | { kind: "release" }
  | { kind: "transfer"; from: number; to: number; permille: number }
  | { kind: "propose"; who: number; burnBps: number; days: number }
  | { kind: "back"; who: number; proposal: number; amount: number; takeBackPermille: number }
  | { kind: "unback"; who: number; proposal: number; permille: number }
  | { kind: "vote"; who: number; proposal: number; support: boolean; amount: number }
  | { kind: "settle"; proposal: number; thenWithdraw: boolean }
  | { kind: "withdrawVote"; who: number; proposal: number }
  | { kind: "stake"; who: number; amount: number }
  | { kind: "unbond"; who: number; permille: number }
  | { kind: "withdrawStake"; who: number }
  | { kind: "post"; computes: number[] }
  | { kind: "claim"; who: number; epoch: number }
  | {
      kind: "check";
      paired: number;
      pattern: number;
      /** -1: the user is not a validator; else the staker who is the user (Active or not). */
      user: number;
      /** The paired validator unbonds everything in the block before the open (an attacker escaping). */
      unbondBeforeOpen: boolean;
      /** Stakes (who >= 0) and full unbonds (who < 0, staker -who-1) between the open and the draw. */
      between: number[];
      /** The user (if a staker that is not Active) stakes right after a tie is declared. */
      userStakesAfterTie: boolean;
    };

const A = result("A"); // the paired validator's receipt: H
const B = result("B");
const C = result("C");
const M = "INPUT_MISMATCH";
/**
 * What the three checkers say (then the fifth, after a tie), and the verdict that must follow.
 * ICrossCheck.Verdict: 1 Invalid, 2 Pass, 3 CheckerSlashed, 4 TieDecided, 5 PairedSlashed, 6 Inconclusive.
 */
const PATTERNS: { said: Answer[]; fifth?: string; verdict: bigint; winner?: string }[] = [
  { said: [A, A, A], verdict: 2n, winner: A }, // pass
  { said: [A, A, B], verdict: 3n, winner: A }, // one dissenting checker slashed
  { said: [A, "silent", A], verdict: 3n, winner: A }, // a checker that withholds its reveal is slashed
  { said: [A, M, A], verdict: 3n, winner: A }, // a lone INPUT_MISMATCH against two H is slashed
  { said: [B, B, B], verdict: 5n, winner: B }, // the paired validator lied: slashed (n2)
  { said: [B, B, M], verdict: 5n, winner: B },
  { said: [M, M, A], verdict: 1n }, // the user's input was unreliable: nobody slashed
  { said: [M, M, M], verdict: 1n },
  { said: [B, C, "silent"], verdict: 6n }, // no majority
  { said: [A, B, C], fifth: A, verdict: 4n, winner: A }, // tie: the fifth sides with H
  { said: [A, B, B], fifth: B, verdict: 4n, winner: B }, // tie: the fifth sides with the two
  { said: [A, B, B], fifth: C, verdict: 6n }, // tie: no 3 of 5
  { said: ["silent", A, "absent"], fifth: "absent", verdict: 6n }, // tie, the fifth never answers
];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("jump" as const),
      seconds: fc.oneof(
        fc.integer({ min: 1, max: 7_200 }),
        fc.integer({ min: 1, max: 45 * 86_400 }),
        fc.constantFrom(1_095 * 86_400, 3_650 * 86_400),
      ),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: "release" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("transfer" as const),
      from: fc.nat(19),
      to: fc.nat(19),
      permille: fc.integer({ min: 1, max: 1_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("propose" as const),
      who: fc.nat(3),
      burnBps: fc.integer({ min: 0, max: 10_000 }),
      days: fc.integer({ min: 6, max: 31 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("back" as const),
      who: fc.nat(3),
      proposal: fc.oneof(fc.constant(-1), fc.nat(3)),
      amount: fc.oneof(fc.constant(100_000), fc.integer({ min: 0, max: 120_000 })),
      // 0: keep it all; otherwise take back this share at once (it works while the proposal still pools).
      takeBackPermille: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("unback" as const),
      who: fc.nat(3),
      proposal: fc.oneof(fc.constant(-1), fc.nat(3)),
      permille: fc.integer({ min: 1, max: 1_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("vote" as const),
      who: fc.nat(3),
      proposal: fc.nat(3),
      support: fc.boolean(),
      amount: fc.oneof(fc.integer({ min: 20, max: 400_000 }), fc.integer({ min: 0, max: 30 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("settle" as const),
      proposal: fc.oneof(fc.constant(0), fc.nat(3)),
      // Withdrawals need a settled vote first: half the settles are followed by every holder withdrawing.
      thenWithdraw: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("withdrawVote" as const),
      who: fc.oneof(fc.constant(0), fc.nat(3)),
      proposal: fc.oneof(fc.constant(0), fc.nat(3)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("stake" as const),
      who: fc.nat(11),
      amount: fc.integer({ min: 0, max: 30_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("unbond" as const),
      who: fc.nat(11),
      permille: fc.integer({ min: 1, max: 1_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("withdrawStake" as const), who: fc.oneof(fc.constant(7), fc.nat(11)) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("post" as const),
      computes: fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 12, maxLength: 12 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("claim" as const), who: fc.nat(11), epoch: fc.nat(7) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("check" as const),
      paired: fc.nat(11),
      pattern: fc.nat(PATTERNS.length - 1),
      user: fc.oneof(fc.constant(-1), fc.nat(11)),
      unbondBeforeOpen: fc.boolean(),
      between: fc.array(fc.integer({ min: -12, max: 11 }), { maxLength: 4 }),
      userStakesAfterTie: fc.boolean(),
    }),
  },
);

/** Operations that went through (not reverted), by kind, over the whole run. */
const succeeded = new Map<string, number>();
let currentKind = "";

/** A revert of the contracts is a legitimate outcome of a random operation; anything else is a bug. */
async function attempt(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    succeeded.set(currentKind, (succeeded.get(currentKind) ?? 0) + 1);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/revert|VM Exception/.test(message)) return false;
    throw error;
  }
}

async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** Proposal ids 1..count, picked by index; a negative index picks the latest proposal. */
async function pickProposal(w: World, index: number): Promise<bigint> {
  const count = await w.inflationVote.proposalCount();
  if (index < 0) return count;
  return (BigInt(index) % count) + 1n;
}

/**
 * `who` withdraws from proposal `id`; if it goes through, it gets back exactly what it put in, plus
 * the proposal deposit if it is the proposer and the deposit was not burned (once).
 */
async function withdrawVote(w: World, m: Model, id: bigint, who: World["holders"][number]): Promise<void> {
  const before = await w.token.balanceOf(who.address);
  if (await attempt(async () => (await w.inflationVote.connect(who).withdraw(id)).wait())) {
    const key = `${id}:${who.address}`;
    const got = (await w.token.balanceOf(who.address)) - before;
    const bond = m.bonds.get(id);
    const bondBack = bond && bond.proposer === who.address ? bond.amount : 0n;
    expect(got, "a backer or voter withdraws exactly its own (the proposer its deposit too)").to.equal(
      (m.deposits.get(key) ?? 0n) + bondBack,
    );
    m.voteHeld -= got;
    m.deposits.set(key, 0n);
    if (bondBack !== 0n) m.bonds.delete(id);
  }
}

/** `who` takes back `permille` of its backing of a pooling or queued proposal, and gets exactly that. */
async function unback(w: World, m: Model, id: bigint, who: World["holders"][number], permille: number): Promise<void> {
  const amount = ((await w.inflationVote.positionOf(id, who.address)).backed * BigInt(permille)) / 1_000n;
  const before = await w.token.balanceOf(who.address);
  if (await attempt(async () => (await w.inflationVote.connect(who).withdrawBacking(id, amount)).wait())) {
    expect((await w.token.balanceOf(who.address)) - before, "a backer takes back exactly that").to.equal(amount);
    const key = `${id}:${who.address}`;
    m.deposits.set(key, (m.deposits.get(key) ?? 0n) - amount);
    m.voteHeld -= amount;
  }
}

async function apply(w: World, m: Model, op: Op): Promise<void> {
  const DGn = (n: number) => BigInt(n) * DG;
  switch (op.kind) {
    case "jump":
      await time.increase(op.seconds);
      return;
    case "release": {
      if (await attempt(async () => (await w.reservation.release()).wait())) {
        // Right after a release the settled emission is exactly the schedule's.
        expect(await w.reservation.emitted()).to.equal(await w.reservation.emittedBy(await now()));
      }
      return;
    }
    case "transfer": {
      const signers = await ethers.getSigners();
      const from = signers[op.from];
      const amount = ((await w.token.balanceOf(from.address)) * BigInt(op.permille)) / 1_000n;
      await attempt(async () => (await w.token.connect(from).transfer(signers[op.to].address, amount)).wait());
      return;
    }
    case "propose": {
      const who = w.holders[op.who];
      const before = await w.token.balanceOf(who.address);
      if (
        await attempt(async () =>
          (await w.inflationVote.connect(who).propose(op.burnBps, BigInt(op.days) * DAY)).wait(),
        )
      ) {
        const paid = before - (await w.token.balanceOf(who.address));
        expect(paid, "a proposal takes exactly the deposit").to.equal(await w.inflationVote.proposalDeposit());
        m.bonds.set(await w.inflationVote.proposalCount(), { proposer: who.address, amount: paid });
        m.voteHeld += paid;
      }
      return;
    }
    case "back": {
      const id = await pickProposal(w, op.proposal);
      const who = w.holders[op.who];
      const before = await w.token.balanceOf(who.address);
      if (await attempt(async () => (await w.inflationVote.connect(who).back(id, DGn(op.amount))).wait())) {
        const paid = before - (await w.token.balanceOf(who.address));
        const key = `${id}:${who.address}`;
        m.deposits.set(key, (m.deposits.get(key) ?? 0n) + paid);
        m.voteHeld += paid;
        if (op.takeBackPermille > 0) {
          currentKind = "unback";
          await unback(w, m, id, who, op.takeBackPermille);
        }
      }
      return;
    }
    case "unback":
      await unback(w, m, await pickProposal(w, op.proposal), w.holders[op.who], op.permille);
      return;
    case "vote": {
      const id = await pickProposal(w, op.proposal);
      const who = w.holders[op.who];
      const before = await w.token.balanceOf(who.address);
      if (await attempt(async () => (await w.inflationVote.connect(who).vote(id, op.support, DGn(op.amount))).wait())) {
        const paid = before - (await w.token.balanceOf(who.address));
        expect(paid, "a vote locks exactly its amount").to.equal(DGn(op.amount));
        const key = `${id}:${who.address}`;
        m.deposits.set(key, (m.deposits.get(key) ?? 0n) + paid);
        m.voteHeld += paid;
      }
      return;
    }
    case "settle": {
      const id = await pickProposal(w, op.proposal);
      const held = await w.token.balanceOf(await w.inflationVote.getAddress());
      if (await attempt(async () => (await w.inflationVote.settle(id)).wait())) {
        // Below the quorum's participation the deposit is burned, otherwise it stays for the proposer.
        const p = await w.inflationVote.getProposal(id);
        const burned = p.forVotes + p.againstVotes < p.quorum ? m.bonds.get(id)!.amount : 0n;
        expect(held - (await w.token.balanceOf(await w.inflationVote.getAddress())), "settle burns").to.equal(burned);
        if (burned !== 0n) m.bonds.delete(id);
        m.voteHeld -= burned;
      }
      if (op.thenWithdraw) {
        currentKind = "withdrawVote";
        for (const who of w.holders) await withdrawVote(w, m, id, who);
      }
      return;
    }
    case "withdrawVote":
      await withdrawVote(w, m, await pickProposal(w, op.proposal), w.holders[op.who]);
      return;
    case "stake":
      await attempt(async () => (await w.staking.connect(w.stakers[op.who]).stake(DGn(op.amount))).wait());
      return;
    case "unbond": {
      const who = w.stakers[op.who];
      const active = (await w.staking.validatorInfo(who.address)).active;
      await attempt(async () =>
        (await w.staking.connect(who).requestUnbond((active * BigInt(op.permille)) / 1_000n)).wait(),
      );
      return;
    }
    case "withdrawStake":
      await attempt(async () => (await w.staking.connect(w.stakers[op.who]).withdraw()).wait());
      return;
    case "post": {
      const ended = await w.rewards.epochsEnded();
      if (ended === 0n) return;
      const epoch = ended - 1n;
      const entries = w.stakers
        .map((v, i) => ({ validator: v.address, compute: BigInt(op.computes[i]) }))
        .filter((e) => e.compute > 0n);
      if (entries.length === 0) return;
      const built = buildEpoch({
        chainId: (await ethers.provider.getNetwork()).chainId,
        distributor: await w.rewards.getAddress(),
        epoch,
        entries,
      });
      if (await attempt(async () => (await w.rewards.postRoot(epoch, built.root, built.totalCompute)).wait())) {
        m.posted.push(epoch);
        m.trees.set(epoch, built);
      }
      return;
    }
    case "claim": {
      if (m.posted.length === 0) return;
      const epoch = m.posted[op.epoch % m.posted.length];
      const who = w.stakers[op.who];
      const leaf = m.trees.get(epoch)!.proofs[who.address];
      if (!leaf) return;
      await attempt(async () => (await w.rewards.connect(who).claimEpoch(epoch, leaf.compute, leaf.proof)).wait());
      return;
    }
    case "check":
      await crossCheck(w, op);
      return;
  }
}

/** The stake a validator has in the escrow (active + unbonding). */
async function stakeOf(w: World, who: string): Promise<bigint> {
  const info = await w.staking.validatorInfo(who);
  return info.active + info.unbonding;
}

/** The live active set, index by index (the fixture's sets are small). */
async function liveSet(w: World): Promise<string[]> {
  const count = await w.staking.activeValidatorCount();
  const set: string[] = [];
  for (let i = 0n; i < count; i++) set.push(await w.staking.activeValidatorAt(i));
  return set;
}

/** Opens the check, draws it and checks the draw against a model of the set frozen before the open. */
async function drawAndModel(w: World, checkId: bigint, set: string[], excludedParties: string[], round: number) {
  const info = await w.crossCheck.checkInfo(checkId);
  if (BigInt(await ethers.provider.getBlockNumber()) <= info.seedBlock) await mine(1);
  const seedHash = (await ethers.provider.getBlock(Number(info.seedBlock)))!.hash!;
  await w.crossCheck.draw(checkId);
  const seed = modelSeed(
    seedHash,
    (await ethers.provider.getNetwork()).chainId,
    await w.crossCheck.getAddress(),
    checkId,
    BigInt(round),
  );
  const excluded = excludedParties.map((a) => BigInt(set.indexOf(a))).filter((i) => i >= 0n);
  const words = round === 1 ? [0, 1, 2].map((i) => wordOf(seed, i)) : [BigInt(seed)];
  const free = BigInt(set.length - excluded.length);
  if (free < BigInt(words.length)) return [];
  return modelPick(words, BigInt(set.length), excluded).map((i) => set[Number(i)]);
}

/**
 * A cross-check played by attackers as well as honest checkers: a user that is itself a validator,
 * a paired validator that unbonds everything right before the open, stakes and full unbonds between
 * the open and the draw (Sybils reordering the set), a user that stakes after a tie; checkers that
 * lie, withhold their reveal or report INPUT_MISMATCH; receipts replayed and from another chain.
 * Whatever they do: the open goes through whenever the paired validator has stake and three others
 * were Active; the checkers are exactly those a model of the set frozen before the open draws;
 * the verdict is the table's; nobody who gave the winning hash loses stake; every check ends.
 */
async function crossCheck(w: World, op: Extract<Op, { kind: "check" }>): Promise<void> {
  const paired = w.stakers[op.paired];
  const user = op.user < 0 ? w.user : w.stakers[op.user];
  if (user.address === paired.address) return;
  if (op.unbondBeforeOpen) {
    const active = (await w.staking.validatorInfo(paired.address)).active;
    await attempt(async () => (await w.staking.connect(paired).requestUnbond(active)).wait());
  }
  const set = await liveSet(w); // the set at the end of the block before the open: the snapshot
  const available = set.filter((a) => a !== paired.address && a !== user.address).length;
  const hasStake = (await stakeOf(w, paired.address)) > 0n;
  const count = await w.crossCheck.checkCount();
  const receipt = {
    taskId: taskId(`p-${count}`),
    user: user.address,
    inputHash: ethers.id(`input-${count}`),
    resultHash: A,
    deliveredAt: BigInt(await time.latest()),
  };
  const signature = await signReceipt(paired, w.crossCheck, receipt);
  const opened = await attempt(async () =>
    (await w.crossCheck.connect(w.coordinator).open(receipt, paired.address, signature)).wait(),
  );
  expect(opened, "a check opens whenever the paired validator has stake and 3 others were Active").to.equal(
    hasStake && available >= 3,
  );
  if (!opened) return;
  const checkId = count + 1n;
  // Replays: the same receipt again, and a receipt signed for another chain, are refused.
  expect(
    await attempt(async () =>
      (await w.crossCheck.connect(w.coordinator).open(receipt, paired.address, signature)).wait(),
    ),
    "a receipt opens one check",
  ).to.equal(false);
  const otherChain = { ...receipt, taskId: taskId(`p-${count}-other-chain`) };
  const foreign = await signReceipt(
    paired,
    w.crossCheck,
    otherChain,
    (await ethers.provider.getNetwork()).chainId + 1n,
  );
  expect(
    await attempt(async () =>
      (await w.crossCheck.connect(w.coordinator).open(otherChain, paired.address, foreign)).wait(),
    ),
    "a receipt signed for another chain is refused",
  ).to.equal(false);

  // The attackers act between the open and the draw: they stake Sybils and unbond to reorder the set.
  for (const move of op.between) {
    currentKind = move >= 0 ? "stake" : "unbond";
    const who = w.stakers[move >= 0 ? move : -move - 1];
    if (move >= 0) await attempt(async () => (await w.staking.connect(who).stake(10_000n * DG)).wait());
    else {
      const active = (await w.staking.validatorInfo(who.address)).active;
      await attempt(async () => (await w.staking.connect(who).requestUnbond(active)).wait());
    }
  }
  currentKind = "check";
  const expected = await drawAndModel(w, checkId, set, [paired.address, user.address], 1);
  const info = await w.crossCheck.checkInfo(checkId);
  expect(info.phase, "drawn").to.equal(2n);
  expect([...info.drawn.slice(0, 3)], "the checkers are the model's, from the set before the open").to.deep.equal(
    expected,
  );

  const pattern = PATTERNS[op.pattern % PATTERNS.length];
  const parties = [paired.address, ...info.drawn.slice(0, 3)];
  const before = new Map<string, bigint>();
  for (const party of parties) before.set(party, await stakeOf(w, party));
  await playRound(w, checkId, new Map(info.drawn.slice(0, 3).map((p, i) => [p, answerOf(w, pattern.said[i])])));
  await w.crossCheck.finalize(checkId);
  if ((await w.crossCheck.checkInfo(checkId)).phase === 3n) {
    expect(pattern.fifth, "only a pattern with one H ties").to.not.equal(undefined);
    const tieSet = await liveSet(w); // the set at the end of the block that declared the tie
    if (op.userStakesAfterTie && op.user >= 0 && (await w.staking.validatorInfo(user.address)).status === 0n) {
      await attempt(async () => (await w.staking.connect(user).stake(10_000n * DG)).wait());
    }
    const fifthExpected = await drawAndModel(w, checkId, tieSet, [...parties, user.address], 3);
    const fifthInfo = await w.crossCheck.checkInfo(checkId);
    if (fifthInfo.phase === 4n) {
      expect([fifthInfo.drawn[3]], "the fifth is the model's, from the set of the tie").to.deep.equal(fifthExpected);
      before.set(fifthInfo.drawn[3], await stakeOf(w, fifthInfo.drawn[3]));
      await playRound(w, checkId, new Map([[fifthInfo.drawn[3], answerOf(w, pattern.fifth!)]]));
      await w.crossCheck.finalize(checkId);
    } else {
      expect(fifthExpected, "no fifth only when nobody was left to draw").to.deep.equal([]);
    }
  }
  const end = await w.crossCheck.checkInfo(checkId);
  expect(end.phase, "every check ends finalized").to.equal(5n);
  const noFifth = end.drawn[3] === ethers.ZeroAddress && pattern.fifth !== undefined;
  expect(end.verdict, "the verdict table").to.equal(noFifth ? 6n : pattern.verdict);
  const said = [A, ...pattern.said, pattern.fifth ?? "absent"];
  for (const [i, party] of [paired.address, ...end.drawn].entries()) {
    if (party === ethers.ZeroAddress) continue;
    const [open] = await w.staking.exposure(checkId, party);
    expect(open, "every exposure of the check is closed").to.equal(false);
    if (pattern.winner === undefined || said[i] === pattern.winner || end.verdict === 6n) {
      expect(await stakeOf(w, party), "nobody who gave the winning hash (or no verdict) loses stake").to.be.gte(
        before.get(party)!,
      );
    }
  }
}

/** The contract's INPUT_MISMATCH for "INPUT_MISMATCH", the answer itself otherwise. */
function answerOf(w: World, answer: Answer): Answer {
  return answer === M ? w.inputMismatch : answer;
}

async function checkInvariants(w: World, m: Model): Promise<void> {
  const s = await w.reader.read(
    await w.token.getAddress(),
    w.holderAddresses,
    await w.reservation.getAddress(),
    await w.staking.getAddress(),
    await w.rewards.getAddress(),
    await w.inflationVote.getAddress(),
    m.posted,
  );
  const burned = TOTAL_SUPPLY - s.totalSupply;
  expect(s.sumBalances + burned, "balances + burned == 30,000,000 DG").to.equal(TOTAL_SUPPLY);
  expect(s.emitted <= s.emittedByNow, "the reservation never runs ahead of its schedule").to.equal(true);
  expect(s.emitted <= RESERVE, "never more than 15,000,000 DG").to.equal(true);
  expect(s.stakingBalance, "escrow balance == what it owes").to.equal(s.totalStaked);
  expect(s.spentWithinPools, "payouts per epoch <= its pool").to.equal(true);
  expect(s.rewardsBalance >= s.rewardsOwed, "the distributor covers every unclaimed reward").to.equal(true);
  expect(s.voteBalance, "each DG in the vote counted once").to.equal(m.voteHeld);
  // Every position the vote records is exactly what its owner put in and has not taken back.
  const count = await w.inflationVote.proposalCount();
  for (let id = 1n; id <= count; id++) {
    for (const who of w.holders) {
      const position = await w.inflationVote.positionOf(id, who.address);
      expect(position.backed + position.locked, `position of ${who.address} in proposal ${id}`).to.equal(
        m.deposits.get(`${id}:${who.address}`) ?? 0n,
      );
    }
    expect((await w.inflationVote.getProposal(id)).deposit, `deposit of proposal ${id}`).to.equal(
      m.bonds.get(id)?.amount ?? 0n,
    );
  }
  // The queue holds exactly the Queued proposals, in a consistent list, and only behind a running vote.
  const queued: bigint[] = [];
  for (let id = await w.inflationVote.nextQueued(0n); id !== 0n; id = await w.inflationVote.nextQueued(id)) {
    expect(queued.includes(id), "the queue has no cycle").to.equal(false);
    queued.push(id);
  }
  expect(BigInt(queued.length), "queueLength").to.equal(await w.inflationVote.queueLength());
  for (let id = 1n; id <= count; id++) {
    expect(queued.includes(id), `proposal ${id} queued iff Queued`).to.equal(
      (await w.inflationVote.statusOf(id)) === 2n,
    );
  }
  if (queued.length > 0) expect(await w.inflationVote.activeProposal(), "a queue waits behind a vote").to.not.equal(0n);
  expect(await w.token.balanceOf(await w.crossCheck.getAddress()), "CrossCheck holds nothing").to.equal(0n);
}

describe("property: the suite's invariants under random operation sequences", function () {
  this.timeout(0);

  it(`hold after every step of ${RUNS} random sequences`, async () => {
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        const w = await loadFixture(propertyFixture);
        const m: Model = {
          deposits: new Map([[`1:${w.holders[0].address}`, 100_000n * DG]]),
          bonds: new Map([[1n, { proposer: w.holders[0].address, amount: 1_000n * DG }]]),
          voteHeld: 101_000n * DG,
          posted: [0n],
          trees: new Map([[0n, w.epoch0]]),
        };
        for (const op of ops) {
          currentKind = op.kind;
          await apply(w, m, op);
          await checkInvariants(w, m);
          steps++;
        }
      }),
      { numRuns: RUNS },
    );
    expect(steps).to.be.greaterThanOrEqual(RUNS);
    console.log(`      ${steps} steps; operations that went through: ${JSON.stringify(Object.fromEntries(succeeded))}`);
  });
});
