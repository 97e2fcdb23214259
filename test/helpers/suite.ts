import { ethers, ignition } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import SuiteModule, { SUITE_DEFAULTS } from "../../deploy/modules/Suite";
import { DAY, DG, QUORUM_BPS } from "./fixtures";
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

/**
 * Deploys Core + Suite through the production Ignition module. Day 0 of the schedule (and epoch 0)
 * starts one day after the latest block. Signer roles: 0 deployer/treasury/admin, 1 oracle,
 * 2 guardian, 3 slasher (the escrow's slasher, set once), 4..6 validators staked with `minStake`
 * before genesis, 7 `late` (funded, not staked), 8 `outsider`, the rest in `others`.
 */
export async function deploySuite() {
  const [deployer, oracle, guardian, slasher, v1, v2, v3, late, outsider, ...others] = await ethers.getSigners();
  const releaseStart = BigInt(await time.latest()) + DAY;
  const deployed = await ignition.deploy(SuiteModule, {
    parameters: {
      Core: { releaseStart, initialBurnBps: 0n, quorumBps: QUORUM_BPS },
      Suite: { ...SUITE_PARAMS, oracle: oracle.address, guardian: guardian.address },
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
