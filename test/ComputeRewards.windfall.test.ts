/**
 * ComputeRewards: no windfalls (SPEC 4, issue 11 finding 3). A pool is at most the scheduled (gross)
 * emission of its own days plus 1/90 of the rest of what is available; the rest stays in the carry.
 * Every expected pool and carry comes from the reference model of test/helpers/suite.ts (`poolOf`,
 * `PoolModel`, the schedule of test/helpers/fixtures.ts) or from an explicit formula, never from the
 * contract under test.
 */
import { expect } from "chai";
import { ethers, ignition } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, keccak256 } from "ethers";
import CoreModule from "../deploy/modules/Core";
import { DAY, DG, QUORUM_BPS, RESERVE } from "./helpers/fixtures";
import {
  CARRY_RELEASE_DIVISOR,
  PoolModel,
  SUITE_PARAMS,
  deploySuite,
  deploySuiteWith,
  expectBacked,
  poolOf,
} from "./helpers/suite";
import { buildEpoch, type BuiltEpoch, type ComputeEntry } from "../scripts/lib/epoch";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ComputeRewards, DataGen, MiningReservation } from "../typechain-types";

const D = 4_560n * DG; // SPEC 2: the daily rate of days 0..1094
const HOUR = 3_600n;
const CHAIN_ID = 31_337n;

/** What the helpers below need of a deployment (the Suite fixture or a custom one). */
interface Deployed {
  token: DataGen;
  reservation: MiningReservation;
  rewards: ComputeRewards;
  oracle: HardhatEthersSigner;
}

async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

async function build(s: Deployed, epoch: bigint, entries: ComputeEntry[]): Promise<BuiltEpoch> {
  return buildEpoch({ chainId: CHAIN_ID, distributor: await s.rewards.getAddress(), epoch, entries });
}

/** The earliest time `epoch` may be posted: it has ended and no root waits for activation. */
async function postableAt(s: Deployed, epoch: bigint): Promise<bigint> {
  const r = s.rewards;
  let target = (await r.genesis()) + (epoch + 1n) * (await r.epochDuration());
  const next = await r.nextEpoch();
  if (next > 0n) {
    const previous = await r.getEpoch(next - 1n);
    if (previous.root !== ZeroHash) {
      const activation = previous.postedAt + (await r.challengeWindow());
      if (activation > target) target = activation;
    }
  }
  return target;
}

/**
 * Posts `epoch` (a real tree of `entries`, or a dummy root with total 1) in a block at `at` (default:
 * as soon as it may be posted); checks the pool against `model` and returns the tree, the pool and
 * the block time.
 */
async function post(s: Deployed, model: PoolModel, epoch: bigint, entries: ComputeEntry[] = [], at?: bigint) {
  const built = entries.length > 0 ? await build(s, epoch, entries) : undefined;
  const root = built?.root ?? keccak256(ethers.toBeHex(epoch + 1n, 32));
  const total = built?.totalCompute ?? 1n;
  const when = at ?? (await postableAt(s, epoch));
  if (when > (await latest())) await time.setNextBlockTimestamp(when);
  const tx = s.rewards.connect(s.oracle).postRoot(epoch, root, total);
  await (await tx).wait();
  const postedAt = await latest();
  const pool = model.post(epoch, postedAt);
  await expect(tx)
    .to.emit(s.rewards, "RootPosted")
    .withArgs(epoch, root, total, pool, postedAt + (await s.rewards.challengeWindow()));
  expect((await s.rewards.getEpoch(epoch)).pool, `pool of epoch ${epoch}`).to.equal(pool);
  expect(await s.rewards.carry(), `carry after epoch ${epoch}`).to.equal(model.carry);
  return { built, pool, postedAt };
}

async function activate(s: Deployed, epoch: bigint) {
  const at = await s.rewards.activatesAt(epoch);
  if ((await latest()) < at) await time.increaseTo(at);
}

/**
 * Core through the production module, then ValidatorStaking and ComputeRewards deployed directly with
 * a genesis the Suite module does not allow (it takes the reservation's start): `genesisOf(start)`.
 * Nobody is staked, so every listed leaf is forfeitable.
 */
async function deployCustom(options: {
  releaseStart: bigint;
  genesisOf: (releaseStart: bigint) => bigint;
  epochDuration?: bigint;
  challengeWindow?: bigint;
}) {
  const [deployer, oracle, guardian, , v1, , , , outsider] = await ethers.getSigners();
  const { releaseStart } = options;
  const core = await ignition.deploy(CoreModule, {
    parameters: { Core: { releaseStart, initialBurnBps: 0n, quorumBps: QUORUM_BPS } },
  });
  const token = core.token as unknown as DataGen;
  const reservation = core.reservation as unknown as MiningReservation;
  const staking = await (
    await ethers.getContractFactory("ValidatorStaking")
  ).deploy(
    token,
    SUITE_PARAMS.minStake,
    SUITE_PARAMS.cooldown,
    SUITE_PARAMS.faultLimit,
    SUITE_PARAMS.slashRewardBps,
    deployer.address,
    SUITE_PARAMS.adminDelay,
  );
  const genesis = options.genesisOf(releaseStart);
  const epochDuration = options.epochDuration ?? DAY;
  const rewards = (await (
    await ethers.getContractFactory("ComputeRewards")
  ).deploy(
    token,
    reservation,
    staking,
    genesis,
    epochDuration,
    options.challengeWindow ?? HOUR,
    deployer.address,
    0n,
  )) as unknown as ComputeRewards;
  await reservation.setBeneficiary(await rewards.getAddress());
  await rewards.grantRole(await rewards.ORACLE_ROLE(), oracle.address);
  await rewards.grantRole(await rewards.GUARDIAN_ROLE(), guardian.address);
  const model = new PoolModel(releaseStart, genesis, epochDuration);
  return { token, reservation, rewards, oracle, guardian, v1, outsider, releaseStart, genesis, model };
}

/** Epochs end one second before each schedule day starts (genesis = start - 1): a posting in that
 * last second finds exactly its own day released. */
async function endsBeforeTheDay() {
  return deployCustom({ releaseStart: (await latest()) + DAY, genesisOf: (start) => start - 1n });
}

describe("ComputeRewards: no windfalls (SPEC 4)", function () {
  describe("the reference model", function () {
    it("own days: each day belongs to the epoch containing its first second", function () {
      const start = 1_000_000n;
      const m = new PoolModel(start, start, DAY);
      expect([m.own(0n), m.own(1n), m.own(1094n), m.own(1095n)]).to.deep.equal([D, D, D, D / 2n]);
      expect(new PoolModel(start, start - 1n, DAY).own(0n)).to.equal(D); // [start - 1, start + DAY - 1)
      expect(new PoolModel(start, start + 1n, DAY).own(0n)).to.equal(D); // owns day 1, not day 0
      const hourly = new PoolModel(start, start, HOUR);
      expect([hourly.own(0n), hourly.own(1n), hourly.own(23n), hourly.own(24n)]).to.deep.equal([D, 0n, 0n, D]);
      expect(new PoolModel(start, start - 10n * DAY, DAY).own(9n)).to.equal(0n);
      expect(new PoolModel(start, 0n, DAY).own(0n)).to.equal(0n);
      expect(CARRY_RELEASE_DIVISOR).to.equal(90n);
      expect([poolOf(D, D), poolOf(D + 89n, D), poolOf(D + 90n, D), poolOf(5n, D)]).to.deep.equal([D, D, D + 1n, 5n]);
    });
  });

  describe("the cap's boundaries", function () {
    it("available exactly its own day: all of it, nothing carried; own + 89 wei: the 89 stay; own + 90: 1 more wei", async function () {
      const s = await loadFixture(endsBeforeTheDay);
      const { model, v1, outsider } = s;
      expect(await s.rewards.epochDuration()).to.equal(DAY);
      // Epoch 0 is [start - 1, start + DAY - 1) and owns day 0. Posted at start + DAY - 1, the first
      // second after it, day 1 has not started: only day 0 is released.
      const leaves = (outsiderCompute: bigint) => [
        { validator: v1.address, compute: D - outsiderCompute },
        { validator: outsider.address, compute: outsiderCompute }, // never admitted: forfeitable
      ];
      const first = await post(s, model, 0n, leaves(89n), s.releaseStart + DAY - 1n);
      expect([first.pool, model.carry]).to.deep.equal([D, 0n]);
      await expectBacked(s, [0n]);
      // The outsider's share is exactly 89 wei (pool D, total compute D): forfeited into the carry.
      await activate(s, 0n);
      const leaf0 = first.built!.proofs[outsider.address];
      await expect(s.rewards.forfeit(0n, outsider.address, leaf0.compute, leaf0.proof))
        .to.emit(s.rewards, "RewardForfeited")
        .withArgs(0n, outsider.address, 89n, 89n);
      model.toCarry(89n);
      expect(await s.rewards.carry()).to.equal(89n);
      await expectBacked(s, [0n]);
      // Epoch 1 in the last second before day 2: available = day 1 + 89 wei, own = day 1.
      const second = await post(s, model, 1n, leaves(1n), s.releaseStart + 2n * DAY - 1n);
      expect([second.pool, model.carry]).to.deep.equal([D, 89n]);
      await expectBacked(s, [0n, 1n]);
      await activate(s, 1n);
      const leaf1 = second.built!.proofs[outsider.address];
      await s.rewards.forfeit(1n, outsider.address, leaf1.compute, leaf1.proof); // 1 wei
      model.toCarry(1n);
      expect(await s.rewards.carry()).to.equal(90n);
      // Epoch 2: available = day 2 + 90 wei: one wei of the carry goes with it.
      const third = await post(s, model, 2n, [], s.releaseStart + 3n * DAY - 1n);
      expect([third.pool, model.carry]).to.deep.equal([D + 1n, 89n]);
      await expectBacked(s, [0n, 1n, 2n]);
    });

    it("hourly epochs: an epoch that holds no day's first second owns nothing and takes 1/90 of what is available", async function () {
      const s = await deploySuiteWith({ epochDuration: HOUR, challengeWindow: HOUR });
      const model = new PoolModel(s.releaseStart, s.genesis, HOUR);
      expect(await s.rewards.epochDuration()).to.equal(HOUR); // MIN_EPOCH_DURATION
      // Epoch 0 (day 0's first second) has no report; epoch 1 is posted at 02:00 of day 0.
      const p1 = await post(s, model, 1n, [{ validator: s.validators[0].address, compute: 1n }]);
      expect(p1.pool).to.equal(D / 90n);
      expect(model.carry).to.equal(D - D / 90n);
      await expectBacked(s, [1n]);
      // Epoch 2: nothing fresh, nothing owned: 1/90 of the carry.
      const carry1 = model.carry;
      const p2 = await post(s, model, 2n);
      expect(p2.pool).to.equal(carry1 / 90n);
      await expectBacked(s, [1n, 2n]);
      // Epoch 24 holds day 1's first second: it owns day 1's 4,560 DG.
      const carry2 = model.carry;
      const p24 = await post(s, model, 24n, [{ validator: s.validators[0].address, compute: 1n }]);
      expect(p24.pool).to.equal(D + carry2 / 90n);
      expect(model.carry).to.equal(carry2 - carry2 / 90n);
      await expectBacked(s, [1n, 2n, 24n]);
      // Epoch 25 again owns nothing.
      const carry24 = model.carry;
      const p25 = await post(s, model, 25n);
      expect(p25.pool).to.equal(carry24 / 90n);
      await activate(s, 24n);
      const leaf = p24.built!.proofs[s.validators[0].address];
      await expect(s.rewards.connect(s.validators[0]).claimEpoch(24n, leaf.compute, leaf.proof)).to.changeTokenBalance(
        s.token,
        s.validators[0],
        p24.pool,
      );
      await expectBacked(s, [1n, 2n, 24n, 25n]);
    });

    it("an epoch before the reservation's start owns nothing: empty pool before the start, 1/90 after", async function () {
      const s = await deployCustom({
        releaseStart: (await latest()) + 20n * DAY,
        genesisOf: (start) => start - 10n * DAY,
      });
      const { model } = s;
      // Epoch 3 ends six days before day 0: nothing released, an empty pool (release() does not revert).
      const p3 = await post(s, model, 3n);
      expect([p3.pool, model.carry, await s.reservation.totalReleased()]).to.deep.equal([0n, 0n, 0n]);
      await expectBacked(s, [3n]);
      // Epoch 9 is the day before day 0, posted one hour into day 0: it owns nothing of day 0.
      const p9 = await post(s, model, 9n, [], s.releaseStart + HOUR);
      expect(p9.pool).to.equal(D / 90n);
      expect(model.carry).to.equal(D - D / 90n);
      await expectBacked(s, [3n, 9n]);
      // Epoch 10 is day 0, posted during day 1: its own day + 1/90 of the carry (the rest of day 0
      // and day 1).
      const carry9 = model.carry;
      const p10 = await post(s, model, 10n, [], s.releaseStart + DAY + HOUR);
      expect(p10.pool).to.equal(D + carry9 / 90n);
      await expectBacked(s, [3n, 9n, 10n]);
    });

    it("an epoch starting at unix time 0 (genesis 0): owns nothing, takes 1/90 of the release so far", async function () {
      const s = await deployCustom({ releaseStart: (await latest()) - 5n * DAY, genesisOf: () => 0n });
      expect(await s.rewards.epochStart(0n)).to.equal(0n);
      // Days 0..5 released at the first posting; epoch 0 (1970) owns none of them.
      const p0 = await post(s, s.model, 0n);
      expect(p0.pool).to.equal((6n * D) / 90n);
      expect(s.model.carry).to.equal(6n * D - (6n * D) / 90n);
      await expectBacked(s, [0n]);
    });
  });

  describe("the carry decays by exactly 1/90 of the excess per posting", function () {
    it("ten days skipped, then daily postings: pool = own day + carry / 90, carry -= carry / 90", async function () {
      const s = await loadFixture(deploySuite);
      const model = new PoolModel(s.releaseStart, s.genesis);
      const [v1] = s.validators;
      const entries = [{ validator: v1.address, compute: 1n }];
      // Epoch 9 first, during day 10: days 0..10 released, it owns day 9; excess 10 days.
      const first = await post(s, model, 9n, entries);
      expect(first.pool).to.equal(D + (10n * D) / 90n);
      let carry = 10n * D - (10n * D) / 90n;
      expect(model.carry).to.equal(carry);
      await expectBacked(s, [9n]);
      const posted = [9n];
      let paid = 0n;
      for (let e = 10n; e < 40n; e++) {
        const { pool, built } = await post(s, model, e, entries);
        // Each posting finds one fresh day (= its own) and takes exactly floor(carry / 90) of the excess.
        expect(pool).to.equal(D + carry / 90n);
        carry -= carry / 90n;
        expect(model.carry).to.equal(carry);
        posted.push(e);
        await expectBacked(s, posted);
        await activate(s, e);
        const leaf = built!.proofs[v1.address];
        const before = await s.token.balanceOf(v1.address);
        await s.rewards.connect(v1).claimEpoch(e, leaf.compute, leaf.proof);
        expect((await s.token.balanceOf(v1.address)) - before).to.equal(pool);
        paid += pool;
        await expectBacked(s, posted);
      }
      // 30 days paid: 30 own days + what left the carry.
      expect(paid).to.equal(30n * D + (10n * D - (10n * D) / 90n - carry));
    });
  });

  describe("a revoked root's pool is not re-posted at once", function () {
    it("revoked and re-posted the same day: the same pool; the next epoch gets 1/90 of it, not all of it", async function () {
      const s = await loadFixture(deploySuite);
      const model = new PoolModel(s.releaseStart, s.genesis);
      const entries = [{ validator: s.validators[0].address, compute: 1n }];
      // Epoch 4 first, during day 5: own day 4 + 1/90 of days 0..3 and 5.
      const p4 = await post(s, model, 4n, entries);
      expect(p4.pool).to.equal(D + (5n * D) / 90n);
      for (let round = 0; round < 2; round++) {
        await expect(s.rewards.connect(s.guardian).revokeRoot(4n))
          .to.emit(s.rewards, "RootRevoked")
          .withArgs(4n, p4.built!.root, p4.pool);
        model.toCarry(p4.pool);
        expect(await s.rewards.carry()).to.equal(6n * D);
        await expectBacked(s, []);
        // The same day, the same available DG: the same pool again.
        const again = await post(s, model, 4n, entries, (await latest()) + 1n);
        expect(again.pool).to.equal(p4.pool);
        await expectBacked(s, [4n]);
      }
      await s.rewards.connect(s.guardian).revokeRoot(4n);
      model.toCarry(p4.pool);
      // Epoch 5, during day 6: own day 5 + 1/90 of the 6 other days (the revoked pool among them).
      const p5 = await post(s, model, 5n, entries);
      expect(p5.pool).to.equal(D + (6n * D) / 90n);
      expect(p5.pool < D + p4.pool).to.equal(true);
      expect(model.carry).to.equal(6n * D - (6n * D) / 90n);
      await expectBacked(s, [5n]);
      let carry = model.carry;
      const posted = [5n];
      for (let e = 6n; e < 10n; e++) {
        const { pool } = await post(s, model, e, entries);
        expect(pool).to.equal(D + carry / 90n);
        carry -= carry / 90n;
        posted.push(e);
        await expectBacked(s, posted);
      }
    });
  });

  describe("forfeits and dust go to the carry and come back gradually", function () {
    it("a forfeited share and the dust of epoch 0 reach later pools 1/90 at a time", async function () {
      const s = await loadFixture(deploySuite);
      const model = new PoolModel(s.releaseStart, s.genesis);
      const [v1, v2] = s.validators;
      const computes = [7n, 13n, 17n];
      const p0 = await post(s, model, 0n, [
        { validator: v1.address, compute: computes[0] },
        { validator: v2.address, compute: computes[1] },
        { validator: s.outsider.address, compute: computes[2] }, // never admitted
      ]);
      expect(p0.pool).to.equal(D + D / 90n);
      await activate(s, 0n);
      const share = (c: bigint) => (p0.pool * c) / 37n;
      const leaf = (v: string) => p0.built!.proofs[v];
      await expect(s.rewards.forfeit(0n, s.outsider.address, computes[2], leaf(s.outsider.address).proof))
        .to.emit(s.rewards, "RewardForfeited")
        .withArgs(0n, s.outsider.address, computes[2], share(computes[2]));
      model.toCarry(share(computes[2]));
      await s.rewards.connect(v1).claimEpoch(0n, computes[0], leaf(v1.address).proof);
      const dust = p0.pool - share(computes[0]) - share(computes[1]) - share(computes[2]);
      await expect(s.rewards.connect(v2).claimEpoch(0n, computes[1], leaf(v2.address).proof))
        .to.emit(s.rewards, "EpochSettled")
        .withArgs(0n, dust);
      model.toCarry(dust);
      expect(await s.rewards.carry()).to.equal(model.carry);
      expect(model.carry).to.equal(D - D / 90n + share(computes[2]) + dust);
      await expectBacked(s, [0n]);
      const posted = [0n];
      for (let e = 1n; e <= 5n; e++) {
        const carry = model.carry;
        const { pool } = await post(s, model, e, [{ validator: v1.address, compute: 1n }]);
        expect(pool).to.equal(D + carry / 90n);
        expect(model.carry).to.equal(carry - carry / 90n);
        posted.push(e);
        await expectBacked(s, posted);
      }
    });
  });

  describe("attack: a release backlog paid at once to the first report", function () {
    const DAYS_BEHIND = 1_000n;
    const POSTINGS = 60n;

    /** The mainnet case: the suite deployed long after the release start (issue 11 finding 3). */
    async function lateDeployment() {
      return deploySuiteWith({ releaseStart: (await latest()) - DAYS_BEHIND * DAY });
    }

    it("the first report gets its own day + 1/90 of the backlog; the backlog then flows out at 1/90 a posting; the reserve is conserved", async function () {
      this.timeout(180_000);
      const s = await loadFixture(lateDeployment);
      const model = new PoolModel(s.releaseStart, s.genesis);
      const [v1] = s.validators;
      // The validators were admitted during day 1,000: epoch 1,001 is the first they may claim.
      const [admittedAt] = await s.staking.rewardEligibility(v1.address);
      const first = DAYS_BEHIND + 1n;
      expect(admittedAt <= s.genesis + first * DAY).to.equal(true);
      expect(admittedAt > s.genesis + DAYS_BEHIND * DAY).to.equal(true);
      // One validator alone in the first report, posted at the start of day 1,002: days 0..1,002
      // (1,003 × 4,560 = 4,573,680 DG) are released, and epoch 1,001 owns day 1,001.
      const entries = [{ validator: v1.address, compute: 1n }];
      const firstPost = await post(s, model, first, entries);
      const released = (first + 2n) * D;
      expect(await s.reservation.totalReleased()).to.equal(released);
      const backlog = released - D; // everything but its own day
      // Before the fix the pool was all of it: 4,573,680 DG here (30% of the reserve); for the real
      // mainnet start (2024-04-01) the issue counted about 4.46 million DG, paid to whoever was in
      // the first report. Now: 4,560 DG + 1,002 × 4,560 / 90 DG = 4,560 + 50,768 = 55,328 DG.
      expect(firstPost.pool).to.equal(D + backlog / 90n);
      expect(firstPost.pool).to.equal(55_328n * DG);
      expect(model.carry).to.equal(backlog - backlog / 90n);
      await expectBacked(s, [first]);
      await activate(s, first);
      const leaf = firstPost.built!.proofs[v1.address];
      await expect(s.rewards.connect(v1).claimEpoch(first, leaf.compute, leaf.proof)).to.changeTokenBalance(
        s.token,
        v1,
        firstPost.pool,
      );

      // Then one posting a day, v1 alone each time: the carry (the backlog) decays by exactly
      // floor(carry / 90) a posting, which stays within N wei above backlog × (89/90)^N.
      const claims: { epoch: bigint; compute: bigint; proof: string[] }[] = [];
      const posted = [first];
      let carry = backlog - backlog / 90n; // after 1 posting
      let paidPools = firstPost.pool;
      for (let n = 2n; n <= POSTINGS; n++) {
        const e = first + n - 1n;
        const { pool, built } = await post(s, model, e, entries);
        expect(pool).to.equal(D + carry / 90n);
        carry -= carry / 90n;
        expect(await s.rewards.carry()).to.equal(carry);
        const exact = (backlog * 89n ** n) / 90n ** n;
        expect(carry >= exact && carry <= exact + n, `carry after ${n} postings`).to.equal(true);
        paidPools += pool;
        posted.push(e);
        claims.push({ epoch: e, compute: 1n, proof: built!.proofs[v1.address].proof });
      }
      await expectBacked(s, posted);
      await activate(s, first + POSTINGS - 1n);
      const before = await s.token.balanceOf(v1.address);
      await s.rewards.connect(v1).claim(claims);
      const received = (await s.token.balanceOf(v1.address)) - before + firstPost.pool;
      expect(received).to.equal(paidPools);
      await expectBacked(s, posted);
      // After 60 postings about 49% of the backlog has reached validators ((89/90)^60 ≈ 0.51), and
      // no posting took more than its day + 1/90 of the backlog.
      expect(received).to.equal(POSTINGS * D + backlog - carry);
      expect((carry * 100n) / backlog).to.equal(51n);

      // The whole reserve is conserved: in the reservation, in the distributor (carry; every posted
      // pool is fully claimed), or paid to v1; nothing burned (burn rate 0).
      const reservationHolds = await s.token.balanceOf(await s.reservation.getAddress());
      const distributorHolds = await s.token.balanceOf(await s.rewards.getAddress());
      expect(distributorHolds).to.equal(
        carry + (await s.reservation.totalReleased()) - (await s.rewards.accountedRelease()),
      );
      expect(reservationHolds + distributorHolds + received).to.equal(RESERVE);
    });
  });
});
