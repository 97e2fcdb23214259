// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/**
 * @title IValidatorStaking
 * @notice The validators' staking / slashing escrow (SPEC 5): validators stake DG to be admitted,
 * unbond through a cooldown during which their DG stays slashable, and are slashed by the slasher
 * role (the CrossCheck contract) against the stake they had when a check was opened.
 * @dev ComputeRewards relies on {rewardEligibility} and {cooldown}; CrossCheck on {recordExposure},
 * {slash}, {closeExposure}, {activeValidatorCount} and {activeValidatorAt}.
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
        uint40 firstAdmittedAt; // first time it became Active; never reset (0 = never admitted)
        uint32 faults; // proven faults so far (at most one per check); never reset
        uint32 openExposures; // checks opened on it and not yet closed; withdraw waits for 0
        uint32 setIndex; // position in the active set (meaningful only while Active)
        uint96 active; // active stake
        uint96 unbonding; // stake waiting for `unbondingEnd`, still slashable
        uint40 unbondingEnd; // when `unbonding` can be withdrawn
    }

    /* ===================== EVENTS ===================== */

    /// @notice `validator` staked `amount`; its active stake is now `activeStake`.
    event Staked(address indexed validator, uint256 amount, uint256 activeStake);
    /// @notice `validator` was admitted (became Active) and joined the active set.
    event Admitted(address indexed validator, uint256 firstAdmittedAt);
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
    /// @notice The share of each slash paid to the reward recipient changed.
    event SlashRewardBpsChanged(uint256 oldSlashRewardBps, uint256 newSlashRewardBps);

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
    /// @notice The slash reward share is above 10,000 basis points.
    error ValidatorStakingSlashRewardBpsOutOfRange(uint256 slashRewardBps, uint256 maxBps);
    /// @notice The initial admin-transfer delay is above the maximum (seconds).
    error ValidatorStakingAdminDelayOutOfRange(uint256 adminDelay, uint256 maxDelay);
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
     * Requirements: slasher role; validator Active or CoolingDown; once per (checkId, validator).
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
     * Requirements: slasher role; an open exposure; `amount` > 0; `rewardRecipient` non-zero.
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
     * Requirements: slasher role; an open exposure.
     * @param checkId the check.
     * @param validator the validator.
     */
    function closeExposure(uint256 checkId, address validator) external;

    /* ===================== ADMIN ===================== */

    /**
     * @notice Sets the share of each slash paid to the reward recipient. Default admin only.
     * @param newSlashRewardBps basis points, at most 10,000.
     */
    function setSlashRewardBps(uint256 newSlashRewardBps) external;

    /* ===================== VIEWS ===================== */

    /**
     * @notice What ComputeRewards needs, in one call: when the validator was first admitted and
     * whether it was expelled.
     * @param validator the validator.
     * @return firstAdmittedAt first time it became Active (0 if never).
     * @return expelled true once expelled (final).
     */
    function rewardEligibility(address validator) external view returns (uint64 firstAdmittedAt, bool expelled);

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

    /// @notice Share of each slash paid to the reward recipient, in basis points.
    /// @return the reward share.
    function slashRewardBps() external view returns (uint16);

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
