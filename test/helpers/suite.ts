import { expect } from "chai";
import { ethers, ignition } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import SuiteModule, { SUITE_DEFAULTS } from "../../deploy/modules/Suite";
import { DAY, DG, QUORUM_BPS, scheduleAfterDay } from "./fixtures";
import type {
  ComputeRewards,
  DataGen,
  InflationVote,
  MiningReservation,
  ValidatorStaking,
} from "../../typechain-types";

/** The Suite parameters the fixture deploys with (the module's defaults, spelled out). */
export const SUITE_PARAMS = {
  minStake: SUITE_DEFAULTS.minStake,
  cooldown: SUITE_DEFAULTS.cooldown,
  faultLimit: SUITE_DEFAULTS.faultLimit,
  slashRewardBps: SUITE_DEFAULTS.slashRewardBps,
  epochDuration: SUITE_DEFAULTS.epochDuration,
  challengeWindow: SUITE_DEFAULTS.challengeWindow,
  adminDelay: SUITE_DEFAULTS.adminDelay,
};

/** DG handed to each validator signer (staked or not). */
export const VALIDATOR_FUNDS = 100_000n * DG;

/** What {@link deploySuiteWith} may change from the defaults of {@link deploySuite}. */
export interface SuiteOptions {
  /** Day 0 of the schedule (and genesis of epoch 0); default one day after the latest block. */
  releaseStart?: bigint;
  /** `Suite.epochDuration`, default 1 day. */
  epochDuration?: bigint;
  /** `Suite.challengeWindow`, default 1 day. */
  challengeWindow?: bigint;
}

/**
 * Deploys Core + Suite through the production Ignition module. Day 0 of the schedule (and epoch 0)
 * starts one day after the latest block. Signer roles: 0 deployer/treasury/admin, 1 oracle,
 * 2 guardian, 3 slasher (the escrow's slasher, set once), 4..6 validators staked with `minStake`
 * before genesis, 7 `late` (funded, not staked), 8 `outsider`, the rest in `others`.
 */
export async function deploySuite() {
  return deploySuiteWith();
}

/**
 * {@link deploySuite} with other parameters. With a `releaseStart` in the past (a mainnet start
 * before the deployment), the validators are admitted at deployment, after genesis.
 */
export async function deploySuiteWith(options: SuiteOptions = {}) {
  const [deployer, oracle, guardian, slasher, v1, v2, v3, late, outsider, ...others] = await ethers.getSigners();
  const releaseStart = options.releaseStart ?? BigInt(await time.latest()) + DAY;
  const params = {
    ...SUITE_PARAMS,
    epochDuration: options.epochDuration ?? SUITE_PARAMS.epochDuration,
    challengeWindow: options.challengeWindow ?? SUITE_PARAMS.challengeWindow,
  };
  const deployed = await ignition.deploy(SuiteModule, {
    parameters: {
      Core: { releaseStart, initialBurnBps: 0n, quorumBps: QUORUM_BPS },
      Suite: { ...params, oracle: oracle.address, guardian: guardian.address },
    },
  });
  const token = deployed.token as unknown as DataGen;
  const reservation = deployed.reservation as unknown as MiningReservation;
  const inflationVote = deployed.inflationVote as unknown as InflationVote;
  const staking = deployed.staking as unknown as ValidatorStaking;
  const rewards = deployed.computeRewards as unknown as ComputeRewards;

  await staking.setSlasher(slasher.address);
  const validators = [v1, v2, v3];
  for (const signer of [...validators, late]) await token.transfer(signer.address, VALIDATOR_FUNDS);
  for (const signer of validators) {
    await token.connect(signer).approve(await staking.getAddress(), SUITE_PARAMS.minStake);
    await staking.connect(signer).stake(SUITE_PARAMS.minStake);
  }
  const genesis = await rewards.genesis();
  return {
    token,
    reservation,
    inflationVote,
    staking,
    rewards,
    deployer,
    oracle,
    guardian,
    slasher,
    validators,
    late,
    outsider,
    others,
    releaseStart,
    genesis,
  };
}

export type Suite = Awaited<ReturnType<typeof deploySuite>>;

/**
 * Invariant (header of ComputeRewards): with no stray DG, the distributor holds exactly what is
 * still owed: unposted release + carry + Σ over posted epochs (pool - spent).
 */
export async function expectBacked(s: Pick<Suite, "token" | "reservation" | "rewards">, epochs: bigint[], stray = 0n) {
  const r = s.rewards;
  let owed = (await s.reservation.totalReleased()) - (await r.accountedRelease()) + (await r.carry());
  for (const e of epochs) {
    const data = await r.getEpoch(e);
    expect(data.spent <= data.pool, "spent <= pool").to.equal(true);
    expect(data.settledCompute <= data.totalCompute, "settled <= total").to.equal(true);
    owed += data.pool - data.spent;
  }
  expect(await s.token.balanceOf(await r.getAddress())).to.equal(owed + stray);
}

/* ===================== reference model of the pools (SPEC 4) ===================== */

/** A pool takes at most 1/90 of what is available beyond its own days' emission (SPEC 4, "No windfalls"). */
export const CARRY_RELEASE_DIVISOR = 90n;

/**
 * The pool out of `available` DG (fresh release + carry) for an epoch whose own days' scheduled
 * emission is `own`: all of it up to `own`, then 1/90 of the excess (rounded down).
 */
export function poolOf(available: bigint, own: bigint): bigint {
  return available <= own ? available : own + (available - own) / CARRY_RELEASE_DIVISOR;
}

/** Gross emission released by time `t`: every schedule day whose first second is at or before `t`. */
export function releasedBy(releaseStart: bigint, t: bigint): bigint {
  return t < releaseStart ? 0n : scheduleAfterDay((t - releaseStart) / DAY);
}

/**
 * Gross emission of the schedule days whose first second lies in `[start, end)`: the days an epoch
 * owns (counted day by day here, not as a difference of cumulative values as the contract does).
 */
export function ownEmission(releaseStart: bigint, start: bigint, end: bigint): bigint {
  const ceilDay = (t: bigint) => (t <= releaseStart ? 0n : (t - releaseStart + DAY - 1n) / DAY);
  const first = ceilDay(start); // first day starting at or after `start`
  const past = ceilDay(end); // first day starting at or after `end`
  let own = 0n;
  for (let day = first; day < past; day++)
    own += scheduleAfterDay(day) - (day === 0n ? 0n : scheduleAfterDay(day - 1n));
  return own;
}

/**
 * The distributor's pool accounting, step by step (no burn: the suite deploys with `initialBurnBps` 0):
 * `available = released since the last posting + carry`, `pool = poolOf(available, own)`, the rest
 * stays in the carry; revoked pools, forfeits and dust go back to the carry.
 */
export class PoolModel {
  carry = 0n;
  accounted = 0n;

  constructor(
    readonly releaseStart: bigint,
    readonly genesis: bigint,
    readonly epochDuration: bigint = DAY,
  ) {}

  own(epoch: bigint): bigint {
    const start = this.genesis + epoch * this.epochDuration;
    return ownEmission(this.releaseStart, start, start + this.epochDuration);
  }

  /** Posting `epoch` in a block at time `at`: returns its pool. */
  post(epoch: bigint, at: bigint): bigint {
    const released = releasedBy(this.releaseStart, at);
    const available = released - this.accounted + this.carry;
    const pool = poolOf(available, this.own(epoch));
    this.accounted = released;
    this.carry = available - pool;
    return pool;
  }

  /** A revoked pool, a forfeited share or rounding dust back in the carry. */
  toCarry(amount: bigint) {
    this.carry += amount;
  }
}
