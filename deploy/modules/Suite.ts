import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";
import CoreModule from "./Core";

/** 1 DG in wei. */
const DG = 10n ** 18n;
/** One day, in seconds. */
const DAY = 86_400n;

/** Defaults of the `Suite.*` parameters (see the module's comment). */
export const SUITE_DEFAULTS = {
  minStake: 10_000n * DG,
  cooldown: 7n * DAY,
  faultLimit: 3n,
  slashRewardBps: 5_000n,
  epochDuration: DAY,
  challengeWindow: DAY,
  adminDelay: 3n * DAY,
} as const;

/** `keccak256("ORACLE_ROLE")`, as in ComputeRewards. */
export const ORACLE_ROLE = id("ORACLE_ROLE");
/** `keccak256("GUARDIAN_ROLE")`, as in ComputeRewards. */
export const GUARDIAN_ROLE = id("GUARDIAN_ROLE");

/**
 * The validators' part of the suite on top of Core: the ValidatorStaking escrow and the
 * ComputeRewards distributor, wired: the distributor becomes the reservation's beneficiary (Core
 * leaves it unset, so `release()` reverts until this module ran) and reads eligibility and the
 * cooldown from the escrow.
 *
 * Parameters (`Suite.*`, defaults in {@link SUITE_DEFAULTS}):
 * - `minStake` (DG wei, default 10,000 DG): stake needed to be admitted;
 * - `cooldown` (seconds, default 7 days): unbonding cooldown; must be >= challengeWindow + epochDuration
 *   and > CrossCheck's maxReceiptAge + 2 × (commitWindow + revealWindow);
 * - `faultLimit` (default 3): proven faults after which a validator is expelled;
 * - `slashRewardBps` (default 5,000, also the contract's maximum): share of a slash paid to the recipient
 *   the slasher names (the honest checkers), the rest burned;
 * - `epochDuration` (seconds, default 1 day, one schedule day per epoch);
 * - `challengeWindow` (seconds, default 1 day): a posted root activates this long after posting;
 * - `adminDelay` (seconds, default 3 days): delay of a default-admin transfer of both contracts;
 * - `oracle`, `guardian` (accounts, default the deployer): receive ORACLE_ROLE / GUARDIAN_ROLE.
 *
 * Epoch 0 starts at the reservation's `start` (read on-chain), so epochs line up with schedule days.
 * The deployer is the default admin of both contracts (it sends the role grants); hand it over to a
 * multisig afterwards with the two-step `beginDefaultAdminTransfer` / `acceptDefaultAdminTransfer`.
 * The escrow's slasher (the CrossCheck contract) is set by the module that deploys it.
 */
export default buildModule("Suite", (m) => {
  const { token, reservation, inflationVote } = m.useModule(CoreModule);
  const deployer = m.getAccount(0);

  const minStake = m.getParameter<bigint>("minStake", SUITE_DEFAULTS.minStake);
  const cooldown = m.getParameter<bigint>("cooldown", SUITE_DEFAULTS.cooldown);
  const faultLimit = m.getParameter<bigint>("faultLimit", SUITE_DEFAULTS.faultLimit);
  const slashRewardBps = m.getParameter<bigint>("slashRewardBps", SUITE_DEFAULTS.slashRewardBps);
  const epochDuration = m.getParameter<bigint>("epochDuration", SUITE_DEFAULTS.epochDuration);
  const challengeWindow = m.getParameter<bigint>("challengeWindow", SUITE_DEFAULTS.challengeWindow);
  const adminDelay = m.getParameter<bigint>("adminDelay", SUITE_DEFAULTS.adminDelay);
  const oracle = m.getParameter("oracle", deployer);
  const guardian = m.getParameter("guardian", deployer);

  const staking = m.contract("ValidatorStaking", [
    token,
    minStake,
    cooldown,
    faultLimit,
    slashRewardBps,
    deployer,
    adminDelay,
  ]);
  const genesis = m.staticCall(reservation, "start", [], 0, { id: "reservationStart" });
  const computeRewards = m.contract("ComputeRewards", [
    token,
    reservation,
    staking,
    genesis,
    epochDuration,
    challengeWindow,
    deployer,
    adminDelay,
  ]);

  m.call(reservation, "setBeneficiary", [computeRewards]);
  m.call(computeRewards, "grantRole", [ORACLE_ROLE, oracle], { id: "grantOracle" });
  m.call(computeRewards, "grantRole", [GUARDIAN_ROLE, guardian], { id: "grantGuardian" });

  return { token, reservation, inflationVote, staking, computeRewards };
});
