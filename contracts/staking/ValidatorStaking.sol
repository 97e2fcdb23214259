// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {BoundedDefaultAdminRules} from "../access/BoundedDefaultAdminRules.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";

/**
 * @title ValidatorStaking
 * @notice The validators' staking / slashing escrow (SPEC 5). A first stake of at least `minStake`
 * admits a validator (Active, in the active set CrossCheck draws from); unbonded DG wait `cooldown`
 * seconds and stay slashable meanwhile. The slasher (CrossCheck) records an exposure when it opens
 * a check, which caps what that check can slash at the validator's active + unbonding stake of that
 * moment and blocks withdrawal until the exposure is closed. Any validator with stake left can be
 * exposed: CoolingDown and Expelled ones too, so unbonding escapes no check.
 *
 * Status machine: None -stake-> Active -unbond all-> CoolingDown -withdraw-> None (may stake again);
 * Active/CoolingDown -slash-> Expelled (final). Expulsion moves the remaining active stake to the
 * unbonding tranche with a fresh cooldown: it stays slashable by the checks still open, and the
 * validator withdraws it afterwards ("losing them all" is what the slashes took, not more).
 * Faults count once per check (a second slash under the same check is not a second fault), never reset.
 *
 * Active-set history: the set is an array with swap-and-pop removal (O(1)); every change is also
 * written to OpenZeppelin `Checkpoints` keyed by block number — the count, each index's occupant and
 * each validator's index — so {activeValidatorCountAt}, {activeValidatorAtBlock} and {activeIndexAt}
 * answer for any past block in O(log n) of that trace's changes, as `Votes` answers past votes.
 * CrossCheck draws from the set as of a past block: staking, unbonding or withdrawing afterwards
 * cannot change who is drawn.
 *
 * No key can move staked DG: only the slasher slashes, and it only within a recorded exposure. The
 * first slasher is set once at wiring; a new slasher, or a new reward share (at most
 * MAX_SLASH_REWARD_BPS), takes effect only `ruleChangeDelay` = cooldown + RULE_CHANGE_MARGIN seconds
 * after it is scheduled (with an event), so every validator can leave before a new rule applies.
 *
 * Invariants:
 * - `token.balanceOf(this) == totalStaked == Σ (active + unbonding)` after every operation: every DG
 *   here is owed to a validator; a slashed DG is either paid to the reward recipient or burned in the
 *   same transaction (`slashed == rewarded + burned`). (DG sent here by plain transfer are not owed
 *   and would only raise the balance; no function reads `balanceOf(this)`.)
 * - Active ⇔ in the active set; Active ⇒ active >= minStake; CoolingDown ⇒ active == 0.
 * - Σ over slashes under check c of validator x <= the stake x had when c's exposure was recorded.
 * - `openExposures` == number of (check, x) exposures recorded and not closed; withdraw needs 0.
 * No function loops over validators, checks or tranches: every operation is O(1) (O(log n) reads).
 */
contract ValidatorStaking is IValidatorStaking, BoundedDefaultAdminRules {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    /// @dev Life cycle of one (check, validator) exposure. `Faulted`: open, and its fault was counted.
    enum ExposureState {
        None,
        Open,
        Faulted,
        Closed
    }

    /// @dev Packed in one slot. `remainingCap` <= the validator's stake < DG supply < 2^96.
    struct Exposure {
        uint96 remainingCap;
        ExposureState state;
    }

    /// @dev The slashing rules: in force, and a pending change with the time it takes effect.
    /// Packed in two slots. `rewardBps` values <= MAX_SLASH_REWARD_BPS < 2^16.
    struct Rules {
        address slasher;
        uint16 rewardBps;
        uint40 slasherEffectiveAt; // 0 = no pending slasher
        address pendingSlasher;
        uint16 pendingRewardBps;
        uint40 rewardEffectiveAt; // 0 = no pending reward share
    }

    /// @notice Basis-point denominator: 10,000 = 100%.
    uint256 public constant BPS_DENOMINATOR = 10_000;
    /// @notice Highest share of a slash the reward recipient can ever get, 50%: the rest is burned.
    uint256 public constant MAX_SLASH_REWARD_BPS = 5_000;
    /// @notice Lowest minimum stake the constructor accepts, 1 DG (in wei).
    uint256 public constant MIN_STAKE_LOWER_BOUND = 1 ether;
    /// @notice Highest minimum stake the constructor accepts, 1,000,000 DG (in wei).
    uint256 public constant MIN_STAKE_UPPER_BOUND = 1_000_000 ether;
    /// @notice Shortest cooldown the constructor accepts, in seconds.
    uint256 public constant COOLDOWN_LOWER_BOUND = 1 days;
    /// @notice Longest cooldown the constructor accepts, in seconds.
    uint256 public constant COOLDOWN_UPPER_BOUND = 90 days;
    /// @notice Lowest fault limit the constructor accepts, in faults.
    uint256 public constant FAULT_LIMIT_LOWER_BOUND = 1;
    /// @notice Highest fault limit the constructor accepts, in faults.
    uint256 public constant FAULT_LIMIT_UPPER_BOUND = 100;
    /// @notice A rule change waits the cooldown plus this margin, so a validator that starts to
    /// unbond when the change is announced has withdrawn before it applies.
    uint256 public constant RULE_CHANGE_MARGIN = 2 days;

    /// @inheritdoc IValidatorStaking
    ERC20Burnable public immutable token;
    /// @inheritdoc IValidatorStaking
    uint256 public immutable minStake;
    /// @inheritdoc IValidatorStaking
    uint256 public immutable cooldown;
    /// @inheritdoc IValidatorStaking
    uint256 public immutable faultLimit;
    /// @inheritdoc IValidatorStaking
    uint256 public immutable ruleChangeDelay;

    // One slot: read and written once per stake. totalStaked <= DG supply < 2^128.
    uint128 private _totalStaked;
    uint32 private _activeCount;

    Rules private _rules;

    mapping(address validator => Validator) private _validators;
    mapping(uint256 checkId => mapping(address validator => Exposure)) private _exposures;

    // Active-set history, keyed by block number.
    Checkpoints.Trace208 private _countHistory; // number of Active validators
    mapping(uint256 index => Checkpoints.Trace208) private _setHistory; // uint160(occupant), 0 = empty
    mapping(address validator => Checkpoints.Trace208) private _indexHistory; // index + 1, 0 = not Active

    /// @dev Only the slasher in force.
    modifier onlySlasher() {
        if (msg.sender != slasher()) revert ValidatorStakingNotSlasher(msg.sender);
        _;
    }

    /**
     * @param token_ the DG token (ERC-20 with `burn` and EIP-2612 `permit`).
     * @param minStake_ minimum active stake, in [MIN_STAKE_LOWER_BOUND, MIN_STAKE_UPPER_BOUND] DG wei.
     * @param cooldown_ unbonding cooldown, in [COOLDOWN_LOWER_BOUND, COOLDOWN_UPPER_BOUND] seconds.
     * @param faultLimit_ faults at which a validator is expelled, in [FAULT_LIMIT_LOWER_BOUND, FAULT_LIMIT_UPPER_BOUND].
     * @param slashRewardBps_ share of each slash paid to the reward recipient, at most MAX_SLASH_REWARD_BPS.
     * @param admin the default admin (sets the slasher once, schedules rule changes).
     * @param adminDelay delay of a default-admin transfer, at most ADMIN_DELAY_UPPER_BOUND seconds.
     */
    constructor(
        address token_,
        uint256 minStake_,
        uint256 cooldown_,
        uint256 faultLimit_,
        uint256 slashRewardBps_,
        address admin,
        uint48 adminDelay
    ) BoundedDefaultAdminRules(adminDelay, _nonZero(admin)) {
        if (token_ == address(0)) revert ValidatorStakingZeroAddress();
        if (minStake_ < MIN_STAKE_LOWER_BOUND || minStake_ > MIN_STAKE_UPPER_BOUND) {
            revert ValidatorStakingMinStakeOutOfRange(minStake_, MIN_STAKE_LOWER_BOUND, MIN_STAKE_UPPER_BOUND);
        }
        if (cooldown_ < COOLDOWN_LOWER_BOUND || cooldown_ > COOLDOWN_UPPER_BOUND) {
            revert ValidatorStakingCooldownOutOfRange(cooldown_, COOLDOWN_LOWER_BOUND, COOLDOWN_UPPER_BOUND);
        }
        if (faultLimit_ < FAULT_LIMIT_LOWER_BOUND || faultLimit_ > FAULT_LIMIT_UPPER_BOUND) {
            revert ValidatorStakingFaultLimitOutOfRange(faultLimit_, FAULT_LIMIT_LOWER_BOUND, FAULT_LIMIT_UPPER_BOUND);
        }
        _checkRewardBps(slashRewardBps_);
        token = ERC20Burnable(token_);
        minStake = minStake_;
        cooldown = cooldown_;
        faultLimit = faultLimit_;
        ruleChangeDelay = cooldown_ + RULE_CHANGE_MARGIN;
        _rules.rewardBps = uint16(slashRewardBps_); // <= MAX_SLASH_REWARD_BPS < 2^16
        emit SlashRewardBpsChangeScheduled(0, slashRewardBps_, block.timestamp);
    }

    /* ===================== VALIDATORS ===================== */

    /// @inheritdoc IValidatorStaking
    function stake(uint256 amount) external {
        _stake(amount);
    }

    /// @inheritdoc IValidatorStaking
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        // OpenZeppelin's advice: a front-runner may have used the permit already; then the
        // allowance is what matters. The success branch has nothing more to do.
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {
            uint256 allowance = token.allowance(msg.sender, address(this));
            if (allowance < amount) revert ValidatorStakingPermitFailed(allowance, amount);
        }
        _stake(amount);
    }

    /// @inheritdoc IValidatorStaking
    function requestUnbond(uint256 amount) external {
        if (amount == 0) revert ValidatorStakingZeroAmount();
        Validator storage record = _validators[msg.sender];
        if (record.status != Status.Active) revert ValidatorStakingWrongStatus(msg.sender, record.status);
        uint256 active = record.active;
        if (amount > active) revert ValidatorStakingAmountAboveStake(amount, active);
        uint256 remaining;
        // Cannot underflow: amount <= active (checked above).
        unchecked {
            remaining = active - amount;
        }
        if (remaining != 0 && remaining < minStake) revert ValidatorStakingBelowMinimum(remaining, minStake);
        // active + unbonding of one validator <= totalStaked <= DG supply < 2^96: the casts are exact.
        uint256 unbonding = record.unbonding + amount;
        uint256 end = block.timestamp + cooldown;
        record.active = uint96(remaining);
        record.unbonding = uint96(unbonding);
        record.unbondingEnd = SafeCast.toUint40(end);
        if (remaining == 0) {
            record.status = Status.CoolingDown;
            _leaveActiveSet(msg.sender, record);
            emit Deactivated(msg.sender);
        }
        emit UnbondRequested(msg.sender, amount, remaining, unbonding, end);
    }

    /// @inheritdoc IValidatorStaking
    function withdraw() external returns (uint256 amount) {
        Validator storage record = _validators[msg.sender];
        Status status = record.status;
        amount = record.unbonding;
        // A CoolingDown validator slashed to nothing still withdraws (0) to return to None.
        if (amount == 0 && status != Status.CoolingDown) revert ValidatorStakingNothingToWithdraw(msg.sender);
        uint256 open = record.openExposures;
        if (open != 0) revert ValidatorStakingOpenExposures(msg.sender, open);
        uint256 end = record.unbondingEnd;
        if (block.timestamp < end) revert ValidatorStakingCooldownNotOver(block.timestamp, end);
        record.unbonding = 0;
        record.unbondingEnd = 0;
        // Cannot underflow: the tranche is part of totalStaked.
        unchecked {
            _totalStaked -= uint128(amount);
        }
        emit Withdrawn(msg.sender, amount);
        if (status == Status.CoolingDown) {
            record.status = Status.None;
            emit Exited(msg.sender);
        }
        if (amount != 0) IERC20(address(token)).safeTransfer(msg.sender, amount);
    }

    /* ===================== SLASHER ===================== */

    /// @inheritdoc IValidatorStaking
    function recordExposure(uint256 checkId, address validator) external onlySlasher {
        Exposure storage exp = _exposures[checkId][validator];
        if (exp.state != ExposureState.None) revert ValidatorStakingDuplicateExposure(checkId, validator);
        Validator storage record = _validators[validator];
        uint256 cap = uint256(record.active) + record.unbonding;
        exp.remainingCap = uint96(cap); // <= DG supply < 2^96
        exp.state = ExposureState.Open;
        record.openExposures += 1;
        emit ExposureRecorded(checkId, validator, cap);
    }

    /// @inheritdoc IValidatorStaking
    function slash(
        uint256 checkId,
        address validator,
        uint256 amount,
        address rewardRecipient
    ) external onlySlasher returns (uint256 slashed, uint256 rewarded, uint256 burned) {
        if (amount == 0) revert ValidatorStakingZeroAmount();
        if (rewardRecipient == address(0)) revert ValidatorStakingZeroAddress();
        uint256 faults;
        (slashed, faults) = _take(_openExposure(checkId, validator), validator, amount);
        rewarded = Math.mulDiv(slashed, slashRewardBps(), BPS_DENOMINATOR); // rounds down: the dust is burned
        // Cannot underflow: slashRewardBps() <= MAX_SLASH_REWARD_BPS < BPS_DENOMINATOR, so rewarded <= slashed.
        unchecked {
            burned = slashed - rewarded;
        }
        emit Slashed(checkId, validator, rewardRecipient, slashed, rewarded, burned, faults);
        if (rewarded != 0) IERC20(address(token)).safeTransfer(rewardRecipient, rewarded);
        if (burned != 0) token.burn(burned);
    }

    /// @inheritdoc IValidatorStaking
    function closeExposure(uint256 checkId, address validator) external onlySlasher {
        Exposure storage exp = _openExposure(checkId, validator);
        uint256 unused = exp.remainingCap;
        exp.remainingCap = 0;
        exp.state = ExposureState.Closed; // kept, so the same (check, validator) cannot be recorded again
        Validator storage record = _validators[validator];
        // Cannot underflow: this open exposure was counted by recordExposure.
        unchecked {
            record.openExposures -= 1;
        }
        emit ExposureClosed(checkId, validator, unused);
    }

    /* ===================== ADMIN ===================== */

    /// @inheritdoc IValidatorStaking
    function setSlasher(address newSlasher) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newSlasher == address(0)) revert ValidatorStakingZeroAddress();
        Rules storage rules = _rules;
        address current = rules.slasher;
        // Once set, the slasher is never zero again (a schedule needs one and names a non-zero one).
        if (current != address(0)) revert ValidatorStakingSlasherAlreadySet(current);
        rules.slasher = newSlasher;
        emit SlasherChangeScheduled(address(0), newSlasher, block.timestamp);
    }

    /// @inheritdoc IValidatorStaking
    function scheduleSlasher(address newSlasher) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newSlasher == address(0)) revert ValidatorStakingZeroAddress();
        Rules storage rules = _rules;
        _applyDueChanges(rules);
        address current = rules.slasher;
        if (current == address(0)) revert ValidatorStakingSlasherNotSet();
        if (newSlasher == current) revert ValidatorStakingRuleUnchanged();
        uint256 effectiveAt = block.timestamp + ruleChangeDelay;
        rules.pendingSlasher = newSlasher;
        rules.slasherEffectiveAt = SafeCast.toUint40(effectiveAt);
        emit SlasherChangeScheduled(current, newSlasher, effectiveAt);
    }

    /// @inheritdoc IValidatorStaking
    function scheduleSlashRewardBps(uint256 newSlashRewardBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _checkRewardBps(newSlashRewardBps);
        Rules storage rules = _rules;
        _applyDueChanges(rules);
        uint256 current = rules.rewardBps;
        if (newSlashRewardBps == current) revert ValidatorStakingRuleUnchanged();
        uint256 effectiveAt = block.timestamp + ruleChangeDelay;
        rules.pendingRewardBps = uint16(newSlashRewardBps); // <= MAX_SLASH_REWARD_BPS < 2^16
        rules.rewardEffectiveAt = SafeCast.toUint40(effectiveAt);
        emit SlashRewardBpsChangeScheduled(current, newSlashRewardBps, effectiveAt);
    }

    /// @inheritdoc IValidatorStaking
    function cancelRuleChanges() external onlyRole(DEFAULT_ADMIN_ROLE) {
        Rules storage rules = _rules;
        _applyDueChanges(rules);
        if (rules.slasherEffectiveAt == 0 && rules.rewardEffectiveAt == 0) revert ValidatorStakingNoPendingChange();
        address cancelledSlasher = rules.pendingSlasher;
        uint256 cancelledBps = rules.rewardEffectiveAt == 0 ? 0 : rules.pendingRewardBps;
        rules.pendingSlasher = address(0);
        rules.slasherEffectiveAt = 0;
        rules.pendingRewardBps = 0;
        rules.rewardEffectiveAt = 0;
        emit RuleChangeCancelled(cancelledSlasher, cancelledBps);
    }

    /* ===================== VIEWS ===================== */

    /// @inheritdoc IValidatorStaking
    function pendingSlasher() external view returns (address, uint256) {
        Rules storage rules = _rules;
        uint256 effectiveAt = rules.slasherEffectiveAt;
        if (effectiveAt == 0 || block.timestamp >= effectiveAt) return (address(0), 0);
        return (rules.pendingSlasher, effectiveAt);
    }

    /// @inheritdoc IValidatorStaking
    function pendingSlashRewardBps() external view returns (uint256, uint256) {
        Rules storage rules = _rules;
        uint256 effectiveAt = rules.rewardEffectiveAt;
        if (effectiveAt == 0 || block.timestamp >= effectiveAt) return (0, 0);
        return (rules.pendingRewardBps, effectiveAt);
    }

    /// @inheritdoc IValidatorStaking
    function rewardEligibility(address validator) external view returns (uint64 admittedAt, uint64 leftAt) {
        Validator storage record = _validators[validator];
        return (record.admittedAt, record.leftAt);
    }

    /// @inheritdoc IValidatorStaking
    function totalStaked() external view returns (uint256) {
        return _totalStaked;
    }

    /// @inheritdoc IValidatorStaking
    function validatorInfo(address validator) external view returns (Validator memory) {
        return _validators[validator];
    }

    /// @inheritdoc IValidatorStaking
    function exposure(uint256 checkId, address validator) external view returns (bool open, uint256 remainingCap) {
        Exposure storage exp = _exposures[checkId][validator];
        return (exp.state == ExposureState.Open || exp.state == ExposureState.Faulted, exp.remainingCap);
    }

    /// @inheritdoc IValidatorStaking
    function activeValidatorCount() external view returns (uint256) {
        return _activeCount;
    }

    /// @inheritdoc IValidatorStaking
    function activeValidatorAt(uint256 index) external view returns (address) {
        uint256 count = _activeCount;
        if (index >= count) revert ValidatorStakingIndexOutOfRange(index, count);
        return address(uint160(_setHistory[index].latest()));
    }

    /// @inheritdoc IValidatorStaking
    function activeValidatorCountAt(uint256 blockNumber) external view returns (uint256) {
        return _countHistory.upperLookupRecent(_pastBlock(blockNumber));
    }

    /// @inheritdoc IValidatorStaking
    function activeValidatorAtBlock(uint256 index, uint256 blockNumber) external view returns (address) {
        uint48 key = _pastBlock(blockNumber);
        uint256 count = _countHistory.upperLookupRecent(key);
        if (index >= count) revert ValidatorStakingIndexOutOfRange(index, count);
        return address(uint160(_setHistory[index].upperLookupRecent(key)));
    }

    /// @inheritdoc IValidatorStaking
    function activeIndexAt(address validator, uint256 blockNumber) external view returns (bool active, uint256 index) {
        uint256 slot = _indexHistory[validator].upperLookupRecent(_pastBlock(blockNumber));
        if (slot == 0) return (false, 0);
        // Cannot underflow: slot != 0.
        unchecked {
            return (true, slot - 1);
        }
    }

    /// @inheritdoc IValidatorStaking
    function slasher() public view returns (address) {
        Rules storage rules = _rules;
        uint256 effectiveAt = rules.slasherEffectiveAt;
        return effectiveAt != 0 && block.timestamp >= effectiveAt ? rules.pendingSlasher : rules.slasher;
    }

    /// @inheritdoc IValidatorStaking
    function slashRewardBps() public view returns (uint256) {
        Rules storage rules = _rules;
        uint256 effectiveAt = rules.rewardEffectiveAt;
        return effectiveAt != 0 && block.timestamp >= effectiveAt ? rules.pendingRewardBps : rules.rewardBps;
    }

    /* ===================== INTERNAL ===================== */

    /// @dev Admits (None -> Active) or tops up (Active), then pulls the DG.
    function _stake(uint256 amount) private {
        if (amount == 0) revert ValidatorStakingZeroAmount();
        Validator storage record = _validators[msg.sender];
        Status status = record.status;
        if (status == Status.None) {
            if (amount < minStake) revert ValidatorStakingBelowMinimum(amount, minStake);
            uint40 admittedAt = uint40(block.timestamp); // unix seconds < 2^40 until year 36812
            record.admittedAt = admittedAt; // a new admission: an earlier one that ended does not count
            record.leftAt = 0;
            record.status = Status.Active;
            uint32 index = _activeCount;
            record.setIndex = index;
            _activeCount = index + 1;
            _writeSlot(index, msg.sender);
            _writeIndex(msg.sender, uint256(index) + 1);
            _writeCount(uint256(index) + 1);
            emit Admitted(msg.sender, admittedAt);
        } else if (status == Status.Expelled) {
            revert ValidatorStakingExpelled(msg.sender);
        } else if (status != Status.Active) {
            revert ValidatorStakingWrongStatus(msg.sender, status);
        }
        // Checked casts: a larger amount could not be transferred anyway (DG supply < 2^96).
        uint96 newActive = record.active + SafeCast.toUint96(amount);
        record.active = newActive;
        _totalStaked += uint128(amount);
        emit Staked(msg.sender, amount, newActive);
        IERC20(address(token)).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Takes min(amount, remaining cap, active + unbonding) from `validator`, active stake first;
    /// counts the check's fault once; expels when the rules say so. Returns what it took and the faults.
    function _take(
        Exposure storage exp,
        address validator,
        uint256 amount
    ) private returns (uint256 slashed, uint256 faults) {
        Validator storage record = _validators[validator];
        uint256 active = record.active;
        uint256 unbonding = record.unbonding;
        uint256 cap = exp.remainingCap;
        slashed = Math.min(Math.min(amount, cap), active + unbonding);
        uint256 fromActive = Math.min(slashed, active);
        // Cannot underflow: slashed <= cap; fromActive <= active; fromActive <= slashed and
        // slashed - fromActive <= unbonding (slashed <= active + unbonding); slashed <= totalStaked.
        unchecked {
            exp.remainingCap = uint96(cap - slashed);
            active -= fromActive;
            unbonding -= slashed - fromActive;
            _totalStaked -= uint128(slashed);
        }
        record.active = uint96(active);
        record.unbonding = uint96(unbonding);
        faults = record.faults;
        if (exp.state == ExposureState.Open) {
            // The first slash under a check is the proven fault; later ones under it are not new faults.
            exp.state = ExposureState.Faulted;
            faults += 1;
            record.faults = SafeCast.toUint32(faults); // one per recorded exposure
        }
        Status status = record.status;
        if (status != Status.Expelled && (faults >= faultLimit || (status == Status.Active && active < minStake))) {
            _expel(validator, record, faults);
        }
    }

    /// @dev Active -> Expelled (or CoolingDown/None -> Expelled): leaves the active set; the remaining
    /// active stake joins the unbonding tranche with a fresh cooldown, still slashable.
    function _expel(address validator, Validator storage record, uint256 faults) private {
        uint256 moved;
        uint256 end = record.unbondingEnd;
        if (record.status == Status.Active) {
            _leaveActiveSet(validator, record);
            moved = record.active;
            if (moved != 0) {
                end = block.timestamp + cooldown;
                record.active = 0;
                record.unbonding += uint96(moved); // active + unbonding < DG supply < 2^96
                record.unbondingEnd = SafeCast.toUint40(end);
            }
        }
        record.status = Status.Expelled;
        emit Expelled(validator, faults, moved, end);
    }

    /// @dev Swap-and-pop removal of an Active validator from the active set, O(1), with its history;
    /// ends the validator's admission (`leftAt`).
    function _leaveActiveSet(address validator, Validator storage record) private {
        uint256 index = record.setIndex;
        uint256 last;
        // Cannot underflow: the validator is Active, so it is in the set and the count is >= 1.
        unchecked {
            last = uint256(_activeCount) - 1;
        }
        if (index != last) {
            address moved = address(uint160(_setHistory[last].latest()));
            _writeSlot(index, moved);
            _validators[moved].setIndex = uint32(index); // index < count < 2^32
            _writeIndex(moved, index + 1);
        }
        _writeSlot(last, address(0));
        _writeIndex(validator, 0);
        _writeCount(last);
        _activeCount = uint32(last);
        record.setIndex = 0;
        record.leftAt = uint40(block.timestamp); // unix seconds < 2^40 until year 36812
    }

    /// @dev Records that set index `index` holds `occupant` (zero: empty) from this block on.
    function _writeSlot(uint256 index, address occupant) private {
        _setHistory[index].push(_thisBlock(), uint208(uint160(occupant)));
    }

    /// @dev Records `validator`'s set index + 1 (zero: not Active) from this block on.
    function _writeIndex(address validator, uint256 slot) private {
        _indexHistory[validator].push(_thisBlock(), uint208(slot)); // slot <= count < 2^32
    }

    /// @dev Records the size of the active set from this block on.
    function _writeCount(uint256 count) private {
        _countHistory.push(_thisBlock(), uint208(count)); // count < 2^32
    }

    /// @dev Moves the pending changes whose time has come into force (so that a new schedule starts clean).
    function _applyDueChanges(Rules storage rules) private {
        uint256 slasherAt = rules.slasherEffectiveAt;
        if (slasherAt != 0 && block.timestamp >= slasherAt) {
            rules.slasher = rules.pendingSlasher;
            rules.pendingSlasher = address(0);
            rules.slasherEffectiveAt = 0;
        }
        uint256 rewardAt = rules.rewardEffectiveAt;
        if (rewardAt != 0 && block.timestamp >= rewardAt) {
            rules.rewardBps = rules.pendingRewardBps;
            rules.pendingRewardBps = 0;
            rules.rewardEffectiveAt = 0;
        }
    }

    /// @dev The open exposure of `validator` to `checkId`, or reverts.
    function _openExposure(uint256 checkId, address validator) private view returns (Exposure storage exp) {
        exp = _exposures[checkId][validator];
        ExposureState state = exp.state;
        if (state != ExposureState.Open && state != ExposureState.Faulted) {
            revert ValidatorStakingUnknownExposure(checkId, validator);
        }
    }

    /// @dev The current block number as a checkpoint key.
    function _thisBlock() private view returns (uint48) {
        return SafeCast.toUint48(block.number);
    }

    /// @dev `blockNumber` as a checkpoint key, or reverts unless it is a past block (its set is final).
    function _pastBlock(uint256 blockNumber) private view returns (uint48) {
        if (blockNumber >= block.number) revert ValidatorStakingFutureLookup(blockNumber, block.number);
        return uint48(blockNumber); // < block.number < 2^48
    }

    /// @dev Reverts unless the reward share is within its bound.
    function _checkRewardBps(uint256 bps) private pure {
        if (bps > MAX_SLASH_REWARD_BPS) revert ValidatorStakingSlashRewardBpsOutOfRange(bps, MAX_SLASH_REWARD_BPS);
    }

    /// @dev Rejects a zero default admin with this contract's error (runs before the base constructor).
    function _nonZero(address account) private pure returns (address) {
        if (account == address(0)) revert ValidatorStakingZeroAddress();
        return account;
    }
}
