/**
 * System-wide property test: fast-check drives the deployed suite (deploy/modules/CrossCheck.ts)
 * through random sequences of operations — time jumps of any size, releases, proposals, pooling,
 * votes, settles, withdrawals, stakes, unbonds, slashes through cross-checks, epoch posts, claims,
 * transfers — and checks the suite's invariants after every step. A failure shrinks to a minimal
 * sequence. `PROPERTY_RUNS` sets the number of sequences (default 2,000).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { buildEpoch, type BuiltEpoch } from "../scripts/lib/epoch";
import { deployCrossCheck, playRound, result, taskId, type Answer } from "./helpers/crosscheck";
import { IS_COVERAGE } from "./helpers/fixtures";
import type { InvariantReader } from "../typechain-types";

const DG = 10n ** 18n;
const DAY = 86_400n;
const TOTAL_SUPPLY = 30_000_000n * DG;
const RESERVE = 15_000_000n * DG;
/** Sequences per run: PROPERTY_RUNS, else 2,000 (300 under coverage, whose bytecode is slower). */
const RUNS = Number(process.env.PROPERTY_RUNS ?? (IS_COVERAGE ? 300 : 2_000));

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
  return { ...s, reader, holders, joiners, stakers: [...s.validators, ...joiners], holderAddresses, epoch0 };
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
  | { kind: "check"; paired: number; pattern: number };

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
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("check" as const), paired: fc.nat(11), pattern: fc.nat(5) }) },
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
    case "check": {
      const paired = w.stakers[op.paired];
      const count = await w.crossCheck.checkCount();
      const opened = await attempt(async () =>
        (await w.crossCheck.connect(w.coordinator).open(taskId(`p-${count}`), w.user.address, paired.address)).wait(),
      );
      if (!opened) return;
      const checkId = count + 1n;
      await mine(1);
      await w.crossCheck.draw(checkId);
      const info = await w.crossCheck.checkInfo(checkId);
      if (info.phase !== 2n) return; // cancelled: too few validators left
      const A = result("A");
      const B = result("B");
      const patterns: Answer[][] = [
        [A, A, A, A, A], // pass
        [A, A, A, A, B], // one dissenting checker slashed
        [A, A, B, B, B], // paired validator slashed
        [B, A, A, A, A], // invalid
        [A, "silent", A, A, A], // paired silent: slashed
        [A, A, A, "absent", B], // tie → fifth
      ];
      const said = patterns[op.pattern % patterns.length];
      const parties = [w.user.address, paired.address, ...info.drawn.slice(0, 3)];
      await playRound(w, checkId, new Map(parties.map((p, i) => [p, said[i]])));
      await w.crossCheck.finalize(checkId);
      if ((await w.crossCheck.checkInfo(checkId)).phase === 3n) {
        await mine(1);
        await w.crossCheck.draw(checkId);
        const fifthInfo = await w.crossCheck.checkInfo(checkId);
        if (fifthInfo.phase === 4n) {
          await playRound(w, checkId, new Map([[fifthInfo.drawn[3], A]]));
          await w.crossCheck.finalize(checkId);
        }
      }
      expect((await w.crossCheck.checkInfo(checkId)).phase, "every check ends finalized").to.equal(5n);
      return;
    }
  }
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
