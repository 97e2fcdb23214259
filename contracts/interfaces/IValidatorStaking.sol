// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/**
 * @title IValidatorStaking
 * @notice The validators' staking / slashing escrow (SPEC 5): validators stake DG to be admitted,
 * unbond through a cooldown during which their DG stays slashable, and are slashed by the slasher
 * role (the CrossCheck contract) against the stake they had when a check was opened.
 * @dev ComputeRewards relies on {rewardEligibility} and {cooldown}; CrossCheck on {recordExposure},
 * {slash}, {closeExposure} and the active set's history ({activeValidatorCountAt},
 * {activeValidatorAtBlock}, {activeIndexAt}), which it draws from: nothing done after a past block
 * changes what these return for it.
 */
interface IValidatorStaking {
    /// @notice None: never staked, or fully withdrawn. Expelled is final.
    enum Status {
        None,
        Active,
        CoolingDown,
        Expelled
    }

    /// @notice One validator's record (amounts in DG wei, times in unix seconds).
    struct Validator {
        Status status;
        uint40 admittedAt; // start of the current (or last) admission; set anew on each admission (0 = never)
        uint32 faults; // proven faults so far (at most one per check); never reset
        uint32 openExposures; // checks opened on it and not yet closed; withdraw waits for 0
        uint32 setIndex; // position in the active set (meaningful only while Active)
        uint96 active; // active stake
        uint96 unbonding; // stake waiting for `unbondingEnd`, still slashable
        uint40 unbondingEnd; // when `unbonding` can be withdrawn
        uint40 leftAt; // when the admission at `admittedAt` ended (full unbond or expulsion); 0 while Active
    }

    /* ===================== EVENTS ===================== */

    /// @notice `validator` staked `amount`; its active stake is now `activeStake`.
    event Staked(address indexed validator, uint256 amount, uint256 activeStake);
    /// @notice `validator` was admitted (became Active) and joined the active set.
    event Admitted(address indexed validator, uint256 admittedAt);
    /// @notice `amount` moved from active to unbonding; the whole tranche unlocks at `unbondingEnd`.
    event UnbondRequested(
        address indexed validator,
        uint256 amount,
        uint256 activeStake,
        uint256 unbonding,
        uint256 unbondingEnd
    );
    /// @notice `validator` unbonded everything and left the active set (Active -> CoolingDown).
    event Deactivated(address indexed validator);
    /// @notice `validator` withdrew `amount` of unbonded DG.
    event Withdrawn(address indexed validator, uint256 amount);
    /// @notice `validator` withdrew its last DG after cooling down (CoolingDown -> None); it may stake again.
    event Exited(address indexed validator);
    /// @notice The slasher recorded that `validator` answers for check `checkId` up to `cap` DG.
    event ExposureRecorded(uint256 indexed checkId, address indexed validator, uint256 cap);
    /// @notice The exposure of `validator` to check `checkId` was closed; `unusedCap` DG were not slashed.
    event ExposureClosed(uint256 indexed checkId, address indexed validator, uint256 unusedCap);
    /// @notice `validator` was slashed `slashed` DG under check `checkId`: `rewarded` paid to
    /// `rewardRecipient`, `burned` burned; `faults` is its fault count afterwards.
    event Slashed(
        uint256 indexed checkId,
        address indexed validator,
        address indexed rewardRecipient,
        uint256 slashed,
        uint256 rewarded,
        uint256 burned,
        uint256 faults
    );
    /// @notice `validator` was expelled (final); `movedToUnbonding` DG of active stake now unlock at `unbondingEnd`.
    event Expelled(address indexed validator, uint256 faults, uint256 movedToUnbonding, uint256 unbondingEnd);
    /// @notice The share of each slash paid to the reward recipient will be `newSlashRewardBps` from `effectiveAt` on.
    event SlashRewardBpsChangeScheduled(uint256 oldSlashRewardBps, uint256 newSlashRewardBps, uint256 effectiveAt);
    /// @notice The slasher will be `newSlasher` from `effectiveAt` on (at once only for the first, at wiring).
    event SlasherChangeScheduled(address indexed oldSlasher, address indexed newSlasher, uint256 effectiveAt);
    /// @notice A scheduled change of the slasher or the reward share that had not taken effect was cancelled.
    event RuleChangeCancelled(address cancelledSlasher, uint256 cancelledSlashRewardBps);

    /* ===================== ERRORS ===================== */

    /// @notice A zero address was given where an account or contract is required.
    error ValidatorStakingZeroAddress();
    /// @notice A zero amount was given.
    error ValidatorStakingZeroAmount();
    /// @notice The minimum stake is outside [minAllowed, maxAllowed] (DG wei).
    error ValidatorStakingMinStakeOutOfRange(uint256 minStake, uint256 minAllowed, uint256 maxAllowed);
    /// @notice The cooldown is outside [minAllowed, maxAllowed] (seconds).
    error ValidatorStakingCooldownOutOfRange(uint256 cooldown, uint256 minAllowed, uint256 maxAllowed);
    /// @notice The fault limit is outside [minAllowed, maxAllowed].
    error ValidatorStakingFaultLimitOutOfRange(uint256 faultLimit, uint256 minAllowed, uint256 maxAllowed);
    /// @notice The slash reward share is above its bound (basis points).
    error ValidatorStakingSlashRewardBpsOutOfRange(uint256 slashRewardBps, uint256 maxBps);
    /// @notice The caller is not the slasher in force.
    error ValidatorStakingNotSlasher(address account);
    /// @notice The slasher was set at wiring already: a new one goes through {scheduleSlasher}.
    error ValidatorStakingSlasherAlreadySet(address slasher);
    /// @notice No slasher is set yet: the first one is set by {setSlasher}.
    error ValidatorStakingSlasherNotSet();
    /// @notice The scheduled value equals the value in force (nothing would change).
    error ValidatorStakingRuleUnchanged();
    /// @notice No scheduled change is pending.
    error ValidatorStakingNoPendingChange();
    /// @notice A history lookup must name a past block (the current block's set can still change).
    error ValidatorStakingFutureLookup(uint256 blockNumber, uint256 currentBlock);
    /// @notice A first stake, or the active stake left by an unbond, is below the minimum stake.
    error ValidatorStakingBelowMinimum(uint256 amount, uint256 minStake);
    /// @notice The validator is in a status that does not allow the operation.
    error ValidatorStakingWrongStatus(address validator, Status status);
    /// @notice The validator was expelled (final): it cannot stake again.
    error ValidatorStakingExpelled(address validator);
    /// @notice The amount asked is above the validator's active stake.
    error ValidatorStakingAmountAboveStake(uint256 amount, uint256 activeStake);
    /// @notice The unbonding cooldown is not over yet (times in unix seconds).
    error ValidatorStakingCooldownNotOver(uint256 nowTimestamp, uint256 unbondingEnd);
    /// @notice Withdrawal waits until every check opened on the validator is closed.
    error ValidatorStakingOpenExposures(address validator, uint256 openExposures);
    /// @notice There is no unbonding stake to withdraw.
    error ValidatorStakingNothingToWithdraw(address validator);
    /// @notice An exposure of this validator to this check was already recorded.
    error ValidatorStakingDuplicateExposure(uint256 checkId, address validator);
    /// @notice No open exposure of this validator to this check.
    error ValidatorStakingUnknownExposure(uint256 checkId, address validator);
    /// @notice The permit failed and the allowance is below the amount.
    error ValidatorStakingPermitFailed(uint256 allowance, uint256 amount);
    /// @notice The active-set index is out of range.
    error ValidatorStakingIndexOutOfRange(uint256 index, uint256 count);

    /* ===================== VALIDATORS ===================== */

    /**
     * @notice Stakes `amount` DG (after `approve`). A first stake of at least {minStake} admits the
     * caller (Active); an Active validator may top up any non-zero amount.
     * Requirements: `amount` > 0; the caller is None (then `amount` >= {minStake}) or Active; never
     * Expelled; allowance and balance cover `amount`.
     * @param amount DG in wei.
     */
    function stake(uint256 amount) external;

    /**
     * @notice {stake} with an EIP-2612 permit of the DG token, in one transaction. If the permit
     * fails (e.g. it was front-run and already used) the stake proceeds when the allowance suffices.
     * @param amount DG in wei (also the permit's value).
     * @param deadline the permit's deadline (unix seconds).
     * @param v signature `v`.
     * @param r signature `r`.
     * @param s signature `s`.
     */
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /**
     * @notice Moves `amount` of the caller's active stake to its unbonding tranche, which unlocks
     * {cooldown} seconds from now (a later request adds to the tranche and restarts the cooldown).
     * Unbonding DG stays slashable. Unbonding everything leaves the active set (CoolingDown).
     * Requirements: caller Active; 0 < `amount` <= active stake; the active stake left is 0 or
     * >= {minStake}.
     * @param amount DG in wei.
     */
    function requestUnbond(uint256 amount) external;

    /**
     * @notice Sends the caller its unbonding tranche once the cooldown is over. A CoolingDown
     * validator with nothing left becomes None (and may stake again).
     * Requirements: cooldown over; no open exposure; something to withdraw (or CoolingDown).
     * @return amount DG sent.
     */
    function withdraw() external returns (uint256 amount);

    /* ===================== SLASHER ===================== */

    /**
     * @notice Records that `validator` answers for check `checkId`: its active + unbonding stake
     * now is the most that check can slash, and it cannot withdraw until the exposure is closed.
     * Any status: a CoolingDown or Expelled validator with stake left answers too (unbonding does
     * not escape a check); the cap may be zero (a drawn checker that withdrew everything since).
     * Requirements: the slasher; once per (checkId, validator).
     * @param checkId the check.
     * @param validator the validator.
     */
    function recordExposure(uint256 checkId, address validator) external;

    /**
     * @notice Slashes `validator` under check `checkId`: takes min(`amount`, the check's remaining
     * cap, the current active + unbonding stake), active stake first; pays
     * `slashed * slashRewardBps / 10,000` (rounded down) to `rewardRecipient` and burns the rest.
     * The first slash under a check counts one fault. Expels the validator at {faultLimit} faults,
     * or when it is Active and its active stake falls below {minStake}. Does not close the exposure.
     * Requirements: the slasher; an open exposure; `amount` > 0; `rewardRecipient` non-zero.
     * @param checkId the check.
     * @param validator the validator proven false.
     * @param amount the most to slash, DG in wei.
     * @param rewardRecipient receives the reward share.
     * @return slashed DG taken from the validator.
     * @return rewarded DG paid to `rewardRecipient`.
     * @return burned DG burned (`slashed - rewarded`).
     */
    function slash(
        uint256 checkId,
        address validator,
        uint256 amount,
        address rewardRecipient
    ) external returns (uint256 slashed, uint256 rewarded, uint256 burned);

    /**
     * @notice Closes the exposure of `validator` to check `checkId` (its cap is cleared).
     * Requirements: the slasher; an open exposure.
     * @param checkId the check.
     * @param validator the validator.
     */
    function closeExposure(uint256 checkId, address validator) external;

    /* ===================== ADMIN ===================== */

    /**
     * @notice Sets the first slasher, at wiring, with effect at once. Default admin only, once.
     * Validators check {slasher} before they stake; every later change is {scheduleSlasher}.
     * @param newSlasher the CrossCheck contract, non-zero.
     */
    function setSlasher(address newSlasher) external;

    /**
     * @notice Schedules a new slasher, in force {ruleChangeDelay} seconds from now (longer than the
     * cooldown, so every validator can leave first). Replaces a pending change. Default admin only.
     * @param newSlasher the new slasher, non-zero and different from the one in force.
     */
    function scheduleSlasher(address newSlasher) external;

    /**
     * @notice Schedules a new share of each slash paid to the reward recipient, in force
     * {ruleChangeDelay} seconds from now. Replaces a pending change. Default admin only.
     * @param newSlashRewardBps basis points, at most MAX_SLASH_REWARD_BPS, different from the one in force.
     */
    function scheduleSlashRewardBps(uint256 newSlashRewardBps) external;

    /// @notice Cancels the pending slasher and reward-share changes that are not in force yet. Default admin only.
    function cancelRuleChanges() external;

    /* ===================== VIEWS ===================== */

    /**
     * @notice What ComputeRewards needs, in one call: the validator's current (or last) admission.
     * It was Active without a break from `admittedAt` until `leftAt` (full unbond or expulsion;
     * 0 = still Active). A validator that leaves and comes back gets a new `admittedAt`.
     * @param validator the validator.
     * @return admittedAt start of the current or last admission (0 if never admitted).
     * @return leftAt end of that admission (0 while Active).
     */
    function rewardEligibility(address validator) external view returns (uint64 admittedAt, uint64 leftAt);

    /// @notice The slasher in force (the CrossCheck contract); a scheduled one counts from its time on.
    /// @return the slasher (zero before wiring).
    function slasher() external view returns (address);

    /// @notice The pending slasher change, if any.
    /// @return pendingSlasher the scheduled slasher (zero if none pending).
    /// @return effectiveAt when it takes effect (0 if none pending).
    function pendingSlasher() external view returns (address pendingSlasher, uint256 effectiveAt);

    /// @notice The pending reward-share change, if any.
    /// @return pendingBps the scheduled share (meaningful when `effectiveAt` != 0).
    /// @return effectiveAt when it takes effect (0 if none pending).
    function pendingSlashRewardBps() external view returns (uint256 pendingBps, uint256 effectiveAt);

    /// @notice Seconds between scheduling a slasher or reward-share change and its effect (> cooldown).
    /// @return the delay.
    function ruleChangeDelay() external view returns (uint256);

    /**
     * @notice Number of Active validators at the end of past block `blockNumber`. O(log n) in the
     * number of changes of the set.
     * @param blockNumber a block before the current one.
     * @return the size of the active set then.
     */
    function activeValidatorCountAt(uint256 blockNumber) external view returns (uint256);

    /**
     * @notice The Active validator at `index` at the end of past block `blockNumber`. O(log n) in
     * the number of changes of that index.
     * @param index in [0, activeValidatorCountAt(blockNumber)).
     * @param blockNumber a block before the current one.
     * @return the validator.
     */
    function activeValidatorAtBlock(uint256 index, uint256 blockNumber) external view returns (address);

    /**
     * @notice Whether `validator` was Active at the end of past block `blockNumber`, and at which index.
     * @param validator the validator.
     * @param blockNumber a block before the current one.
     * @return active whether it was Active then.
     * @return index its index in the active set then (0 if not Active).
     */
    function activeIndexAt(address validator, uint256 blockNumber) external view returns (bool active, uint256 index);

    /// @notice The DG token staked here.
    /// @return the token.
    function token() external view returns (ERC20Burnable);

    /// @notice The unbonding cooldown, in seconds.
    /// @return seconds between the last unbond request and the withdrawal.
    function cooldown() external view returns (uint256);

    /// @notice The minimum active stake of an Active validator, DG in wei.
    /// @return the minimum stake.
    function minStake() external view returns (uint256);

    /// @notice Faults (proven checks) at which a validator is expelled.
    /// @return the fault limit.
    function faultLimit() external view returns (uint256);

    /// @notice Share of each slash paid to the reward recipient in force, in basis points.
    /// @return the reward share.
    function slashRewardBps() external view returns (uint256);

    /// @notice DG owed to validators (active + unbonding of all); equals the contract's DG balance.
    /// @return DG in wei.
    function totalStaked() external view returns (uint256);

    /// @notice One validator's record.
    /// @param validator the validator.
    /// @return its record.
    function validatorInfo(address validator) external view returns (Validator memory);

    /// @notice The exposure of `validator` to check `checkId`.
    /// @param checkId the check.
    /// @param validator the validator.
    /// @return open whether it is recorded and not closed.
    /// @return remainingCap DG that check can still slash (before the current-stake limit).
    function exposure(uint256 checkId, address validator) external view returns (bool open, uint256 remainingCap);

    /// @notice Number of Active validators.
    /// @return the size of the active set.
    function activeValidatorCount() external view returns (uint256);

    /// @notice The Active validator at `index` (order changes when validators leave).
    /// @param index in [0, activeValidatorCount()).
    /// @return the validator.
    function activeValidatorAt(uint256 index) external view returns (address);
}
