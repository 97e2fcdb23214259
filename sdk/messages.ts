/**
 * The plain-words message of every custom error of the suite's contracts, the role names, and the DG
 * amount and duration formats: one table shared by the SDK (`errors.ts` decodes with ethers) and the
 * web app (`app/`, decodes with viem). Pure TypeScript with no imports, so a browser bundle can take it
 * without ethers.
 */

/** 10^18: DG has 18 decimals. */
export const WEI_PER_DG = 10n ** 18n;

/** DG wei as an exact decimal with thousands separators: "10,000 DG", "0.5 DG". */
export function formatDG(wei: bigint): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const whole = (abs / WEI_PER_DG).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (abs % WEI_PER_DG).toString().padStart(18, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`} DG`;
}

/**
 * The suite's roles by their bytes32 value: OpenZeppelin's DEFAULT_ADMIN_ROLE is zero, every other
 * role is keccak256 of its name (`test/sdk.preflight.test.ts` checks this table against the
 * contracts' public constants and ABIs).
 */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  "0x0000000000000000000000000000000000000000000000000000000000000000": "DEFAULT_ADMIN_ROLE",
  "0x68e79a7bf1e0bc45d0a330c573bc367f9cf464fd326078812f301165fbda4ef1": "ORACLE_ROLE",
  "0x55435dd261a4b9b3364963f7738a7a662ad9c84396d64be3365284bb7f0a5041": "GUARDIAN_ROLE",
  "0x2e8b98eef02e8df3bd27d1270ded3bea3d14db99c5234c7b14001a7fff957bcc": "COORDINATOR_ROLE",
};

/** The name of a role of the suite (e.g. "ORACLE_ROLE") from its bytes32 value; an unknown role stays in hex. */
export function roleName(role: string): string {
  return ROLE_NAMES[role.toLowerCase()] ?? role;
}

/**
 * A duration in seconds, exactly, in the largest whole unit: "7 days", "1 hour", "604799 s".
 * (`--days` is what users type; a value that is not a whole number of days or hours stays in seconds.)
 */
export function formatDuration(seconds: bigint): string {
  const unit = (n: bigint, name: string) => `${n} ${name}${n === 1n ? "" : "s"}`;
  if (seconds > 0n && seconds % 86_400n === 0n) return unit(seconds / 86_400n, "day");
  if (seconds > 0n && seconds % 3_600n === 0n) return unit(seconds / 3_600n, "hour");
  return `${seconds} s`;
}

const VALIDATOR_STATUS = ["not staked", "Active", "cooling down", "expelled"];
const PROPOSAL_STATUS = ["unknown", "pooling", "queued", "being voted on", "passed", "failed", "expired"];
/** What a proposal in each state still accepts (said after a refusal, so the user knows what is allowed). */
const PROPOSAL_ALLOWS = [
  "no such proposal",
  "a pooling proposal takes backing and gives it back; its vote opens once its pool is full",
  "a queued proposal waits for the running vote to end; its backers may take their backing back",
  "a proposal being voted on takes votes until it closes, and is settled after",
  "it has ended: backers, voters and the proposer withdraw what is theirs",
  "it has ended: backers, voters and the proposer withdraw what is theirs",
  "it has ended: backers and the proposer withdraw what is theirs",
];
/** What a validator in each state may do. */
const VALIDATOR_ALLOWS = [
  "a first stake of at least the minimum admits it",
  "an Active validator tops up, unbonds and withdraws what finished unbonding",
  "a validator cooling down withdraws after the cooldown, then may stake anew",
  "an expelled validator can only withdraw what is left after the cooldown",
];
const SIDE = ["no side", "for", "against"];
const CHECK_PHASE = [
  "unknown",
  "awaiting its draw",
  "in its commit-reveal round",
  "awaiting the fifth validator's draw",
  "in the fifth validator's round",
  "finalized",
];

type Args = readonly unknown[];
const a = (args: Args, i: number) => args[i] as bigint;
const s = (args: Args, i: number) => String(args[i]);
const dg = (args: Args, i: number) => formatDG(a(args, i));
const time = (args: Args, i: number) => new Date(Number(a(args, i)) * 1000).toISOString().replace(".000Z", "Z");
const bps = (args: Args, i: number) => `${a(args, i)} bps`;
const secs = (args: Args, i: number) => formatDuration(a(args, i));
const role = (args: Args, i: number) => roleName(s(args, i));
const named = (names: string[], args: Args, i: number) => names[Number(a(args, i))] ?? `#${a(args, i)}`;

/** One plain-words sentence per custom error of the suite, by error name. */
export const ERROR_MESSAGES: Record<string, (args: Args) => string> = {
  // OpenZeppelin: signatures, ERC-20, permit, ownership, access control, casts
  ECDSAInvalidSignature: () => "the signature is invalid",
  ECDSAInvalidSignatureLength: (x) => `the signature has ${a(x, 0)} bytes instead of 65`,
  ECDSAInvalidSignatureS: () => "the signature is malleable (s in the upper half) and refused",
  ERC20InsufficientAllowance: (x) =>
    `the allowance of ${s(x, 0)} is ${dg(x, 1)}, ${dg(x, 2)} needed: approve more first`,
  ERC20InsufficientBalance: (x) => `${s(x, 0)} holds ${dg(x, 1)}, ${dg(x, 2)} needed`,
  ERC20InvalidApprover: (x) => `${s(x, 0)} cannot approve (zero address)`,
  ERC20InvalidReceiver: (x) => `DG cannot be sent to ${s(x, 0)}`,
  ERC20InvalidSender: (x) => `DG cannot be sent from ${s(x, 0)}`,
  ERC20InvalidSpender: (x) => `${s(x, 0)} cannot be approved as a spender`,
  ERC2612ExpiredSignature: (x) => `the permit expired at ${time(x, 0)}`,
  ERC2612InvalidSigner: (x) => `the permit was signed by ${s(x, 0)}, not by the owner ${s(x, 1)}`,
  InvalidAccountNonce: (x) => `wrong nonce for ${s(x, 0)}: the current nonce is ${a(x, 1)}`,
  InvalidShortString: () => "a short string is malformed",
  StringTooLong: (x) => `the string "${s(x, 0)}" is too long`,
  OwnableInvalidOwner: (x) => `${s(x, 0)} cannot be the owner`,
  OwnableUnauthorizedAccount: (x) => `${s(x, 0)} is not the owner of this contract`,
  SafeERC20FailedOperation: (x) => `a transfer of the token ${s(x, 0)} failed`,
  AccessControlBadConfirmation: () => "an account can only renounce its own roles",
  AccessControlEnforcedDefaultAdminDelay: (x) => `the admin change is scheduled: it can happen after ${time(x, 0)}`,
  AccessControlEnforcedDefaultAdminRules: () => "the default admin role only moves by the two-step, delayed transfer",
  AccessControlInvalidDefaultAdmin: (x) =>
    `${s(x, 0)} is not the pending default admin (or the transfer is not due yet)`,
  AccessControlUnauthorizedAccount: (x) => `${s(x, 0)} lacks the role ${role(x, 1)} needed for this call`,
  CheckpointUnorderedInsertion: () => "a history checkpoint was written out of order (an internal error)",
  SafeCastOverflowedUintDowncast: (x) => `the value ${a(x, 1)} does not fit in ${a(x, 0)} bits`,
  // BoundedDefaultAdminRules (ValidatorStaking, ComputeRewards, CrossCheck)
  AdminDelayOutOfRange: (x) => `the admin delay ${secs(x, 0)} is above the maximum of ${secs(x, 1)}`,
  RoleGrantToZeroAddress: (x) => `the role ${role(x, 0)} cannot be granted to the zero address`,
  // MiningReservation
  MiningReservationAlreadyFunded: () => "the reservation is already funded",
  MiningReservationBeneficiaryAlreadySet: (x) => `the beneficiary is already set to ${s(x, 0)} (it is set once)`,
  MiningReservationBurnBpsOutOfRange: (x) => `the burn rate ${bps(x, 0)} is above the maximum of ${bps(x, 1)}`,
  MiningReservationInflationVoteAlreadySet: (x) => `the inflation vote is already set to ${s(x, 0)} (it is set once)`,
  MiningReservationNotReady: (x) =>
    `the reservation cannot release yet: ${x[0] ? "funded" : "not funded"}, beneficiary ${s(x, 1)}`,
  MiningReservationNothingToRecover: () => "the reservation holds no DG beyond its reserve: nothing to recover",
  MiningReservationUnauthorized: (x) =>
    `${s(x, 0)} is not the inflation vote: only a passed vote changes the burn rate`,
  MiningReservationZeroAddress: () => "an address is missing (zero address)",
  // InflationVote
  InflationVoteBelowMinimumLock: (x) => `a vote locks at least ${dg(x, 1)}; ${dg(x, 0)} is too little`,
  InflationVoteBurnBpsOutOfRange: (x) => `the burn rate ${bps(x, 0)} is above the maximum of ${bps(x, 1)}`,
  InflationVoteBurnBpsUnchanged: (x) => `the burn rate is already ${bps(x, 0)}: nothing to vote on`,
  InflationVoteCannotSwitchSide: (x) =>
    `${s(x, 1)} already voted ${named(SIDE, x, 2)} on proposal ${a(x, 0)} and cannot switch sides`,
  InflationVoteDepositOutOfRange: (x) => `the proposal deposit ${dg(x, 0)} is outside ${dg(x, 1)} .. ${dg(x, 2)}`,
  InflationVoteDurationOutOfRange: (x) => `the voting duration ${secs(x, 0)} is outside ${secs(x, 1)} .. ${secs(x, 2)}`,
  InflationVoteInsufficientBacking: (x) =>
    `${s(x, 1)} backed proposal ${a(x, 0)} with ${dg(x, 2)} and cannot take back ${dg(x, 3)}`,
  InflationVoteNothingToWithdraw: (x) => `${s(x, 1)} has nothing to withdraw from proposal ${a(x, 0)}`,
  InflationVoteQuorumOutOfRange: (x) => `the quorum ${bps(x, 0)} is outside 1 .. ${bps(x, 1)}`,
  InflationVoteUnknownProposal: (x) => `there is no proposal ${a(x, 0)}`,
  InflationVoteVotingClosed: (x) => `the vote on proposal ${a(x, 0)} closed at ${time(x, 1)}`,
  InflationVoteVotingNotEnded: (x) =>
    `the vote on proposal ${a(x, 0)} runs until ${time(x, 1)}: settle after that (a vote nobody locked DG in closes 7 days after it opened)`,
  InflationVoteWrongStatus: (x) =>
    `proposal ${a(x, 0)} is ${named(PROPOSAL_STATUS, x, 1)}, which does not allow this: ${named(PROPOSAL_ALLOWS, x, 1)}`,
  InflationVoteZeroAddress: () => "an address is missing (zero address)",
  InflationVoteZeroAmount: () => "the amount must be more than 0 DG",
  // ValidatorStaking
  ValidatorStakingAmountAboveStake: (x) => `${dg(x, 0)} is more than the active stake of ${dg(x, 1)}`,
  ValidatorStakingBelowMinimum: (x) =>
    `the stake of ${dg(x, 0)} is below the minimum of ${dg(x, 1)}: a validator's active stake is 0 or at least ${dg(x, 1)}`,
  ValidatorStakingCooldownNotOver: (x) => `the unbonding cooldown ends at ${time(x, 1)}: withdraw after that`,
  ValidatorStakingCooldownOutOfRange: (x) => `the cooldown ${secs(x, 0)} is outside ${secs(x, 1)} .. ${secs(x, 2)}`,
  ValidatorStakingDuplicateExposure: (x) => `${s(x, 1)} is already exposed to check ${a(x, 0)}`,
  ValidatorStakingExpelled: (x) => `${s(x, 0)} was expelled and cannot stake again`,
  ValidatorStakingFutureLookup: (x) =>
    `block ${a(x, 0)} is not in the past (current block ${a(x, 1)}): the active set's history starts at the previous block`,
  ValidatorStakingFaultLimitOutOfRange: (x) => `the fault limit ${a(x, 0)} is outside ${a(x, 1)} .. ${a(x, 2)}`,
  ValidatorStakingIndexOutOfRange: (x) => `there are ${a(x, 1)} Active validators; there is no index ${a(x, 0)}`,
  ValidatorStakingMinStakeOutOfRange: (x) => `the minimum stake ${dg(x, 0)} is outside ${dg(x, 1)} .. ${dg(x, 2)}`,
  ValidatorStakingNoPendingChange: () => "no slasher or reward-share change is pending: nothing to cancel",
  ValidatorStakingNotSlasher: (x) => `${s(x, 0)} is not the escrow's slasher in force`,
  ValidatorStakingNothingToWithdraw: (x) => `${s(x, 0)} has no unbonded DG to withdraw: request an unbond first`,
  ValidatorStakingOpenExposures: (x) =>
    `${s(x, 0)} is party to ${a(x, 1)} open cross-check(s): withdraw after they are finalized`,
  ValidatorStakingPermitFailed: (x) => `the permit failed and the allowance of ${dg(x, 0)} does not cover ${dg(x, 1)}`,
  ValidatorStakingRuleUnchanged: () => "the value scheduled is already the one in force: nothing would change",
  ValidatorStakingSlashRewardBpsOutOfRange: (x) => `the slash reward share ${bps(x, 0)} is above ${bps(x, 1)}`,
  ValidatorStakingSlasherAlreadySet: (x) =>
    `the slasher is already set to ${s(x, 0)} (set once at wiring): schedule a change with scheduleSlasher`,
  ValidatorStakingSlasherNotSet: () => "no slasher is set yet: the first one is set by setSlasher",
  ValidatorStakingUnknownExposure: (x) => `${s(x, 1)} has no open exposure to check ${a(x, 0)}`,
  ValidatorStakingWrongStatus: (x) =>
    `${s(x, 0)} is ${named(VALIDATOR_STATUS, x, 1)}, which does not allow this: ${named(VALIDATOR_ALLOWS, x, 1)}`,
  ValidatorStakingZeroAddress: () => "an address is missing (zero address)",
  ValidatorStakingZeroAmount: () => "the amount must be more than 0 DG",
  // ComputeRewards
  ComputeRewardsAlreadyActive: (x) => `the root of epoch ${a(x, 0)} activated at ${time(x, 1)} and is final`,
  ComputeRewardsAlreadyClaimed: (x) => `${s(x, 1)} already settled its reward for epoch ${a(x, 0)}`,
  ComputeRewardsChallengeWindowOutOfRange: (x) =>
    `the challenge window ${secs(x, 0)} is outside ${secs(x, 1)} .. ${secs(x, 2)}`,
  ComputeRewardsCooldownTooShort: (x) =>
    `the staking cooldown ${secs(x, 0)} is shorter than the ${secs(x, 1)} required`,
  ComputeRewardsEmptyClaimList: () => "the claim lists no epoch",
  ComputeRewardsEpochDurationOutOfRange: (x) =>
    `the epoch duration ${secs(x, 0)} is outside ${secs(x, 1)} .. ${secs(x, 2)}`,
  ComputeRewardsEpochNotEnded: (x) => `epoch ${a(x, 0)} has not ended yet (${a(x, 1)} epochs have ended)`,
  ComputeRewardsEpochNotIncreasing: (x) =>
    `epoch ${a(x, 0)} cannot be posted: the next postable epoch is ${a(x, 1)} or later`,
  ComputeRewardsInvalidProof: (x) =>
    `the proof does not match the root of epoch ${a(x, 0)} for ${s(x, 1)} with compute ${a(x, 2)}`,
  ComputeRewardsNotActive: (x) => `the root of epoch ${a(x, 0)} is in its challenge window until ${time(x, 1)}`,
  ComputeRewardsNotBeneficiary: (x) => `the reservation pays ${s(x, 0)}, not this distributor`,
  ComputeRewardsNotEligible: (x) =>
    a(x, 2) === 0n
      ? `${s(x, 1)} is not admitted as a validator and cannot claim epoch ${a(x, 0)}`
      : a(x, 3) !== 0n
        ? `${s(x, 1)} left the active set at ${time(x, 3)} (admitted at ${time(x, 2)}) and was not Active for the whole of epoch ${a(x, 0)}: it cannot claim it`
        : `${s(x, 1)} was admitted at ${time(x, 2)}, after epoch ${a(x, 0)} started, and cannot claim it`,
  ComputeRewardsStillEligible: (x) =>
    `${s(x, 1)} was Active for the whole of epoch ${a(x, 0)} and can still claim it: its leaf cannot be forfeited`,
  ComputeRewardsPendingRoot: (x) => `the root of epoch ${a(x, 0)} is still in its challenge window until ${time(x, 1)}`,
  ComputeRewardsTotalComputeTooLarge: (x) => `the total compute ${a(x, 0)} is above the maximum of ${a(x, 1)}`,
  ComputeRewardsUnknownEpoch: (x) => `no root is posted for epoch ${a(x, 0)}`,
  ComputeRewardsZeroAddress: () => "an address is missing (zero address)",
  ComputeRewardsZeroRoot: () => "the root must not be zero",
  ComputeRewardsZeroTotalCompute: () => "the total compute must be more than 0",
  // CrossCheck
  CrossCheckAlreadyCommitted: (x) => `${s(x, 1)} already committed to check ${a(x, 0)}`,
  CrossCheckAlreadyRevealed: (x) => `${s(x, 1)} already revealed in check ${a(x, 0)}`,
  CrossCheckBadReceiptHash: () =>
    "the receipt's input or result hash is zero, or its result hash is the INPUT_MISMATCH constant",
  CrossCheckBadSignature: (x) => `the signature is not ${s(x, 0)}'s over this receipt (this chain, this contract)`,
  CrossCheckCommitClosed: (x) => `commits closed at ${time(x, 1)}`,
  CrossCheckCommitmentMismatch: (x) =>
    `the hash and salt revealed by ${s(x, 1)} do not match its commitment to check ${a(x, 0)}`,
  CrossCheckCooldownTooShort: (x) =>
    `the staking cooldown ${secs(x, 0)} must be at least ${secs(x, 1)} (receipt age + two commit-reveal rounds)`,
  CrossCheckNotAParty: (x) => `${s(x, 1)} is not a party of the current round of check ${a(x, 0)}`,
  CrossCheckNotCommitted: (x) => `${s(x, 1)} did not commit to check ${a(x, 0)}, so it has nothing to reveal`,
  CrossCheckNotEnoughValidators: (x) => `only ${a(x, 0)} validators can be drawn as checkers; ${a(x, 1)} are needed`,
  CrossCheckPairedNoStake: (x) => `the paired validator ${s(x, 0)} has no stake left in the escrow to answer for`,
  CrossCheckReceiptAgeOutOfRange: (x) =>
    `the maximum receipt age ${secs(x, 0)} is outside ${secs(x, 1)} .. ${secs(x, 2)}`,
  CrossCheckReceiptExpired: (x) =>
    `the receipt was delivered at ${time(x, 0)}, more than ${secs(x, 2)} before ${time(x, 1)}: it expired`,
  CrossCheckReceiptFromFuture: (x) =>
    `the receipt says it was delivered at ${time(x, 0)}, after the block time ${time(x, 1)}: it is from the future`,
  CrossCheckRevealClosed: (x) => `reveals closed at ${time(x, 1)}`,
  CrossCheckRevealNotOpen: (x) => `reveals open after the commit deadline, ${time(x, 1)}`,
  CrossCheckRevealNotOver: (x) => `the check can be finalized after its reveal deadline, ${time(x, 1)}`,
  CrossCheckSeedNotReady: (x) =>
    `the seed block ${a(x, 1)} is not mined yet (current block ${a(x, 0)}): draw in a later block`,
  CrossCheckSlashBpsOutOfRange: (x) => `the slash share ${bps(x, 0)} is outside ${bps(x, 1)} .. ${bps(x, 2)}`,
  CrossCheckTaskAlreadyChecked: (x) => `task ${s(x, 0)} is already checked by check ${a(x, 1)}`,
  CrossCheckUnknownCheck: (x) => `there is no check ${a(x, 0)}`,
  CrossCheckUserIsPaired: (x) => `the user ${s(x, 0)} cannot be its own paired validator`,
  CrossCheckWindowOutOfRange: (x) => `the window ${secs(x, 0)} is outside ${secs(x, 1)} .. ${secs(x, 2)}`,
  CrossCheckWrongPhase: (x) => `check ${a(x, 0)} is ${named(CHECK_PHASE, x, 1)}, which does not allow this`,
  CrossCheckZeroAddress: () => "an address is missing (zero address)",
  CrossCheckZeroCommitment: () => "the commitment must not be zero",
  CrossCheckZeroHash: () => "the result hash must not be zero",
  CrossCheckZeroTaskId: () => "the task id must not be zero",
};

/** The plain-words message of the suite error `errorName(args)`; an error missing from the table shows raw. */
export function plainErrorMessage(errorName: string, args: readonly unknown[]): string {
  const explain = ERROR_MESSAGES[errorName];
  return explain ? explain(args) : `${errorName}(${args.map(String).join(", ")})`;
}
