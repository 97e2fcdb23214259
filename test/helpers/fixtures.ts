import hre, { ethers, ignition } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import CoreModule from "../../deploy/modules/Core";
import type { DataGen, InflationVote, MiningReservation } from "../../typechain-types";

export const DG = 10n ** 18n;
/** True under `hardhat coverage`: the bytecode is instrumented, so gas pins do not apply. */
export const IS_COVERAGE =
  (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
/**
 * Title tag of the tests that need the real (optimized, uninstrumented) build: gas pins and the
 * tests that run Hardhat in a child process. `.solcover.js` leaves them out of the coverage run,
 * whose bytecode is instrumented and whose child processes would not be measured anyway.
 */
export const REAL_BUILD = "[real build]";
export const DAY = 86_400n;
export const TOTAL_SUPPLY = 30_000_000n * DG;
export const RESERVE = 15_000_000n * DG;
export const QUORUM_BPS = 100n; // 1% of the supply

/**
 * Deploys the core through the production Ignition module. Day 0 of the schedule starts one day
 * after the latest block, so tests choose exactly when the release begins. Signer 0 is the
 * deployer/treasury; signer 1 is the beneficiary (the distributor arrives with the validators issue).
 */
export async function deployCore() {
  const [deployer, beneficiary, ...others] = await ethers.getSigners();
  const releaseStart = BigInt(await time.latest()) + DAY;
  const deployed = await ignition.deploy(CoreModule, {
    parameters: {
      Core: {
        releaseStart,
        initialBurnBps: 0n,
        quorumBps: QUORUM_BPS,
      },
    },
  });
  const token = deployed.token as unknown as DataGen;
  const reservation = deployed.reservation as unknown as MiningReservation;
  const inflationVote = deployed.inflationVote as unknown as InflationVote;
  // The validators issue replaces this account by the ComputeRewards distributor.
  await reservation.setBeneficiary(beneficiary.address);
  return { token, reservation, inflationVote, deployer, beneficiary, others, releaseStart };
}

/** Moves the next block's timestamp to the start of day `day` plus `offset` seconds. */
export async function goToDay(releaseStart: bigint, day: bigint, offset = 0n) {
  await time.increaseTo(releaseStart + day * DAY + offset);
}

/** Exact cumulative schedule in wei after days 0..day (reference model, independent of Solidity). */
export function scheduleAfterDay(day: bigint): bigint {
  const R = 4560n * DG;
  let total = 0n;
  // Periods of 1095 days halving the rate, floor after 6 halvings; computed period by period.
  let remaining = day + 1n;
  for (let k = 0n; k < 6n && remaining > 0n; k++) {
    const days = remaining < 1095n ? remaining : 1095n;
    total += days * (R >> k);
    remaining -= days;
  }
  total += remaining * (R >> 6n);
  return total < RESERVE ? total : RESERVE;
}
