// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BoundedDefaultAdminRules} from "../access/BoundedDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {MiningReservation} from "../emission/MiningReservation.sol";
import {IComputeRewards} from "../interfaces/IComputeRewards.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";

/**
 * @title ComputeRewards
 * @notice The MiningReservation's beneficiary: shares each epoch's released DG among validators in
 * proportion to the compute they served (`#DGr_A = #DGr_tot * Comput_A / Comput_tot`, SPEC 4).
 *
 * Epoch `e` covers `[genesis + e * epochDuration, genesis + (e + 1) * epochDuration)`. Once it has
 * ended the oracle posts a StandardMerkleTree root of `(chainId, distributor, epoch, validator,
 * compute)` leaves and the total compute. Posting calls `reservation.release()` and fixes the pool:
 * what the reservation released since the previous posting plus the carry. The root activates
 * `challengeWindow` later; until then a guardian may revoke it (its pool returns to the carry and the
 * epoch can be posted again). Epochs are posted in strictly increasing order, gaps allowed (an epoch
 * without compute is never posted: its emission flows into the next posted pool), and at most one
 * root waits for activation at a time, so every root but the latest one is final.
 *
 * Choices:
 * - A leaf pays `Math.mulDiv(pool, compute, totalCompute)` rounded down, capped at what is left of
 *   the pool: a wrong root (leaves summing above the total) can never take more than its own pool.
 * - Each (epoch, validator) settles once, claimed or forfeited: a bitmap per validator of 256 epochs
 *   a word, so a batch of consecutive epochs touches one word.
 * - A validator that was not Active for the whole epoch (admitted after it started, or left — full
 *   unbond, withdrawal, expulsion — before it ended; only its current admission counts) can never
 *   claim it: anyone forfeits its share into the carry.
 * - Dust: once the settled compute of an epoch (claimed + forfeited, capped at the total) reaches
 *   its total compute, the rest of the pool (rounding dust) moves to the carry.
 * - Accounting never reads `balanceOf(this)`: DG sent here by mistake never enter a pool.
 * - No windfalls: a pool is at most its own days' scheduled emission plus 1/90 of the rest of what
 *   is available (a release backlog, a pause in postings, a revoked root, forfeits); the rest stays
 *   in the carry, so a backlog reaches validators over many epochs, not at once.
 *
 * Invariants:
 * - Per epoch: `spent <= pool` and `settledCompute <= totalCompute`; once `settledCompute ==
 *   totalCompute`, `spent == pool`.
 * - Conservation: `token.balanceOf(this) >= (reservation.totalReleased() - accountedRelease) + carry
 *   + Σ over posted epochs (pool - spent)`, with equality when nobody sent DG here by mistake.
 * - Gas: `postRoot` is O(1) whatever the number of validators; a claim is O(log N) per epoch.
 */
contract ComputeRewards is IComputeRewards, BoundedDefaultAdminRules {
    using SafeERC20 for IERC20;

    /// @inheritdoc IComputeRewards
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");
    /// @inheritdoc IComputeRewards
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Shortest epoch, in seconds.
    uint256 public constant MIN_EPOCH_DURATION = 1 hours;
    /// @notice Longest epoch, in seconds.
    uint256 public constant MAX_EPOCH_DURATION = 30 days;
    /// @notice Shortest challenge window, in seconds.
    uint256 public constant MIN_CHALLENGE_WINDOW = 1 hours;
    /// @notice Longest challenge window, in seconds.
    uint256 public constant MAX_CHALLENGE_WINDOW = 7 days;
    /// @notice A pool takes at most 1/CARRY_RELEASE_DIVISOR of what is available beyond its own
    /// days' emission: a backlog reaches validators gradually (about 1.1% a posting), never at once.
    uint256 public constant CARRY_RELEASE_DIVISOR = 90;
    /// @notice Largest total compute of an epoch (it is stored in 120 bits), in oracle compute units.
    uint256 public constant MAX_TOTAL_COMPUTE = type(uint120).max;

    /// @notice The DG token.
    IERC20 public immutable token;
    /// @notice The halving release whose beneficiary this contract is.
    MiningReservation public immutable reservation;
    /// @notice The validators' staking escrow, read for eligibility.
    IValidatorStaking public immutable staking;
    /// @notice Start of epoch 0, unix seconds.
    uint256 public immutable genesis;
    /// @notice Length of an epoch, in seconds.
    uint256 public immutable epochDuration;
    /// @notice Time between posting a root and its activation, in seconds.
    uint256 public immutable challengeWindow;

    // One slot: every amount <= 15,000,000 DG < 2^96.
    uint96 private _carry;
    uint96 private _accountedRelease;
    /// @dev Activation time of the latest posted root (0 after a revocation): no post before it.
    uint40 private _pendingUntil;

    /// @inheritdoc IComputeRewards
    uint256 public nextEpoch;

    mapping(uint256 epoch => EpochData) private _epochs;
    mapping(address validator => mapping(uint256 epochWord => uint256 bits)) private _settled;

    /**
     * @param token_ the DG token.
     * @param reservation_ the MiningReservation (this contract must then be set as its beneficiary).
     * @param staking_ the ValidatorStaking escrow; its cooldown must be >= challengeWindow_ + epochDuration_.
     * @param genesis_ start of epoch 0, unix seconds.
     * @param epochDuration_ epoch length in [MIN_EPOCH_DURATION, MAX_EPOCH_DURATION] seconds.
     * @param challengeWindow_ activation delay in [MIN_CHALLENGE_WINDOW, MAX_CHALLENGE_WINDOW] seconds.
     * @param admin the default admin (grants ORACLE_ROLE and GUARDIAN_ROLE).
     * @param adminDelay the delay of a default-admin transfer, at most ADMIN_DELAY_UPPER_BOUND seconds.
     */
    constructor(
        address token_,
        address reservation_,
        address staking_,
        uint256 genesis_,
        uint256 epochDuration_,
        uint256 challengeWindow_,
        address admin,
        uint48 adminDelay
    ) BoundedDefaultAdminRules(adminDelay, _nonZero(admin)) {
        if (token_ == address(0) || reservation_ == address(0) || staking_ == address(0)) {
            revert ComputeRewardsZeroAddress();
        }
        if (epochDuration_ < MIN_EPOCH_DURATION || epochDuration_ > MAX_EPOCH_DURATION) {
            revert ComputeRewardsEpochDurationOutOfRange(epochDuration_, MIN_EPOCH_DURATION, MAX_EPOCH_DURATION);
        }
        if (challengeWindow_ < MIN_CHALLENGE_WINDOW || challengeWindow_ > MAX_CHALLENGE_WINDOW) {
            revert ComputeRewardsChallengeWindowOutOfRange(
                challengeWindow_,
                MIN_CHALLENGE_WINDOW,
                MAX_CHALLENGE_WINDOW
            );
        }
        // SPEC 5: stake must stay slashable until every epoch it earned in is past its challenge window.
        uint256 cooldown = IValidatorStaking(staking_).cooldown();
        if (cooldown < challengeWindow_ + epochDuration_) {
            revert ComputeRewardsCooldownTooShort(cooldown, challengeWindow_ + epochDuration_);
        }
        token = IERC20(token_);
        reservation = MiningReservation(reservation_);
        staking = IValidatorStaking(staking_);
        genesis = genesis_;
        epochDuration = epochDuration_;
        challengeWindow = challengeWindow_;
    }

    /* ===================== ORACLE / GUARDIAN ===================== */

    /// @inheritdoc IComputeRewards
    function postRoot(uint256 epoch, bytes32 root, uint256 totalCompute) external onlyRole(ORACLE_ROLE) {
        if (root == bytes32(0)) revert ComputeRewardsZeroRoot();
        if (totalCompute == 0) revert ComputeRewardsZeroTotalCompute();
        if (totalCompute > MAX_TOTAL_COMPUTE)
            revert ComputeRewardsTotalComputeTooLarge(totalCompute, MAX_TOTAL_COMPUTE);
        uint256 ended = epochsEnded();
        if (epoch >= ended) revert ComputeRewardsEpochNotEnded(epoch, ended);
        uint256 next = nextEpoch;
        if (epoch < next) revert ComputeRewardsEpochNotIncreasing(epoch, next);
        uint256 pendingUntil = _pendingUntil;
        // A pending root is always the latest posted one, `next - 1`.
        if (block.timestamp < pendingUntil) revert ComputeRewardsPendingRoot(next - 1, pendingUntil);
        address beneficiary = reservation.beneficiary();
        if (beneficiary != address(this)) revert ComputeRewardsNotBeneficiary(beneficiary);

        reservation.release();
        uint256 released = reservation.totalReleased();
        // Cannot underflow: totalReleased only grows and _accountedRelease is a past value of it.
        uint256 available = released - _accountedRelease + _carry;
        uint256 pool = _poolCap(epoch, available);
        uint256 activation = block.timestamp + challengeWindow;

        _carry = uint96(available - pool); // pool <= available <= 15,000,000 DG < 2^96
        _accountedRelease = SafeCast.toUint96(released);
        _pendingUntil = SafeCast.toUint40(activation);
        nextEpoch = epoch + 1; // cannot overflow: epoch < epochsEnded()
        _epochs[epoch] = EpochData({
            root: root,
            pool: SafeCast.toUint96(pool),
            totalCompute: uint120(totalCompute), // checked against MAX_TOTAL_COMPUTE above
            spent: 0,
            settledCompute: 0,
            postedAt: SafeCast.toUint40(block.timestamp)
        });
        emit RootPosted(epoch, root, totalCompute, pool, activation);
    }

    /// @inheritdoc IComputeRewards
    function revokeRoot(uint256 epoch) external onlyRole(GUARDIAN_ROLE) {
        EpochData storage data = _epochs[epoch];
        bytes32 root = data.root;
        if (root == bytes32(0)) revert ComputeRewardsUnknownEpoch(epoch);
        uint256 activation = data.postedAt + challengeWindow;
        if (block.timestamp >= activation) revert ComputeRewardsAlreadyActive(epoch, activation);
        // Not active yet, so nothing was claimed or forfeited: the whole pool is unspent.
        uint96 pool = data.pool;
        _carry += pool;
        _pendingUntil = 0;
        // A root still in its window is the latest posted one, so `epoch + 1 == nextEpoch` before this.
        nextEpoch = epoch;
        delete _epochs[epoch];
        emit RootRevoked(epoch, root, pool);
    }

    /* ===================== VALIDATORS ===================== */

    /// @inheritdoc IComputeRewards
    function claim(Claim[] calldata claims) external {
        _claim(msg.sender, claims);
    }

    /// @inheritdoc IComputeRewards
    function claimEpoch(uint256 epoch, uint256 compute, bytes32[] calldata proof) external {
        (uint64 admittedAt, uint64 leftAt) = staking.rewardEligibility(msg.sender);
        uint256 amount = _claimLeaf(msg.sender, admittedAt, leftAt, epoch, compute, proof);
        if (amount != 0) token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IComputeRewards
    function claimFor(address validator, Claim[] calldata claims) external {
        if (validator == address(0)) revert ComputeRewardsZeroAddress();
        _claim(validator, claims);
    }

    /// @inheritdoc IComputeRewards
    function forfeit(uint256 epoch, address validator, uint256 compute, bytes32[] calldata proof) external {
        (EpochData storage data, bytes32 root) = _activeEpoch(epoch);
        (uint64 admittedAt, uint64 leftAt) = staking.rewardEligibility(validator);
        if (_eligible(epoch, admittedAt, leftAt)) revert ComputeRewardsStillEligible(epoch, validator);
        _settleLeaf(root, epoch, validator, compute, proof);
        uint256 amount = _consume(data, epoch, compute);
        _carry += uint96(amount); // amount <= pool < 2^96, and carry + live pools <= total released
        emit RewardForfeited(epoch, validator, compute, amount);
    }

    /* ===================== VIEWS ===================== */

    /// @inheritdoc IComputeRewards
    function carry() external view returns (uint256) {
        return _carry;
    }

    /// @inheritdoc IComputeRewards
    function accountedRelease() external view returns (uint256) {
        return _accountedRelease;
    }

    /// @inheritdoc IComputeRewards
    function getEpoch(uint256 epoch) external view returns (EpochData memory) {
        return _epochs[epoch];
    }

    /// @inheritdoc IComputeRewards
    function activatesAt(uint256 epoch) external view returns (uint256) {
        EpochData storage data = _epochs[epoch];
        if (data.root == bytes32(0)) revert ComputeRewardsUnknownEpoch(epoch);
        return data.postedAt + challengeWindow;
    }

    /// @inheritdoc IComputeRewards
    function isSettled(uint256 epoch, address validator) external view returns (bool) {
        return _settled[validator][epoch >> 8] & (1 << (epoch & 0xff)) != 0;
    }

    /// @inheritdoc IComputeRewards
    function previewReward(uint256 epoch, uint256 compute) external view returns (uint256) {
        EpochData storage data = _epochs[epoch];
        if (data.root == bytes32(0)) revert ComputeRewardsUnknownEpoch(epoch);
        return _share(data.pool, data.spent, data.totalCompute, compute);
    }

    /// @inheritdoc IComputeRewards
    function epochStart(uint256 epoch) public view returns (uint256) {
        return genesis + epoch * epochDuration;
    }

    /// @inheritdoc IComputeRewards
    function epochsEnded() public view returns (uint256) {
        if (block.timestamp < genesis) return 0;
        return (block.timestamp - genesis) / epochDuration; // rounds down: only whole epochs have ended
    }

    /* ===================== INTERNAL ===================== */

    /// @dev Settles every listed leaf of `validator` and pays the sum in one transfer.
    function _claim(address validator, Claim[] calldata claims) private {
        uint256 count = claims.length;
        if (count == 0) revert ComputeRewardsEmptyClaimList();
        // Eligibility depends on the validator only (and each epoch's start): read it once.
        (uint64 admittedAt, uint64 leftAt) = staking.rewardEligibility(validator);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            Claim calldata item = claims[i];
            uint256 amount = _claimLeaf(validator, admittedAt, leftAt, item.epoch, item.compute, item.proof);
            // Cannot overflow: the sum of payments is bounded by the DG released, < 2^96.
            unchecked {
                total += amount;
            }
        }
        if (total != 0) token.safeTransfer(validator, total);
    }

    /// @dev Checks and settles one leaf of an eligible `validator`; returns its share (not yet paid).
    function _claimLeaf(
        address validator,
        uint64 admittedAt,
        uint64 leftAt,
        uint256 epoch,
        uint256 compute,
        bytes32[] calldata proof
    ) private returns (uint256 amount) {
        (EpochData storage data, bytes32 root) = _activeEpoch(epoch);
        if (!_eligible(epoch, admittedAt, leftAt)) {
            revert ComputeRewardsNotEligible(epoch, validator, admittedAt, leftAt);
        }
        _settleLeaf(root, epoch, validator, compute, proof);
        amount = _consume(data, epoch, compute);
        emit RewardClaimed(epoch, validator, amount);
    }

    /// @dev Marks the leaf settled (reverting if it already was), then checks its proof.
    function _settleLeaf(
        bytes32 root,
        uint256 epoch,
        address validator,
        uint256 compute,
        bytes32[] calldata proof
    ) private {
        mapping(uint256 => uint256) storage words = _settled[validator];
        uint256 bit = 1 << (epoch & 0xff);
        uint256 word = words[epoch >> 8];
        if (word & bit != 0) revert ComputeRewardsAlreadyClaimed(epoch, validator);
        words[epoch >> 8] = word | bit;
        // The StandardMerkleTree leaf (double hash, so no leaf can pass for an inner node):
        // keccak256(bytes.concat(keccak256(abi.encode(block.chainid, address(this), epoch, validator, compute)))).
        // Hashed in place past the free memory pointer (not advanced: nothing is kept), for gas.
        bytes32 leaf;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, chainid())
            mstore(add(ptr, 0x20), address())
            mstore(add(ptr, 0x40), epoch)
            mstore(add(ptr, 0x60), and(validator, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(ptr, 0x80), compute)
            mstore(0x00, keccak256(ptr, 0xa0))
            leaf := keccak256(0x00, 0x20)
        }
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) {
            revert ComputeRewardsInvalidProof(epoch, validator, compute);
        }
    }

    /**
     * @dev Takes a leaf's share out of the epoch's pool and counts its compute as settled; when all
     * the compute is settled, moves the rest of the pool (rounding dust) to the carry.
     * @return amount the leaf's share, capped at what is left of the pool.
     */
    function _consume(EpochData storage data, uint256 epoch, uint256 compute) private returns (uint256 amount) {
        uint256 pool = data.pool;
        uint256 totalCompute = data.totalCompute;
        uint256 spent = data.spent;
        uint256 settled = data.settledCompute;
        amount = _share(pool, spent, totalCompute, compute);
        // Cannot overflow: amount <= pool - spent.
        unchecked {
            spent += amount;
        }
        if (settled < totalCompute) {
            // Cannot underflow: settled < totalCompute.
            uint256 unsettled;
            unchecked {
                unsettled = totalCompute - settled;
            }
            if (compute < unsettled) {
                // Cannot overflow: settled + compute < totalCompute < 2^120.
                unchecked {
                    settled += compute;
                }
            } else {
                settled = totalCompute;
                uint256 dust;
                // Cannot underflow: spent <= pool.
                unchecked {
                    dust = pool - spent;
                }
                spent = pool;
                _carry += uint96(dust); // dust <= pool < 2^96
                emit EpochSettled(epoch, dust);
            }
        }
        // Casts are exact: spent <= pool < 2^96 and settled <= totalCompute < 2^120.
        data.spent = uint96(spent);
        data.settledCompute = uint120(settled);
    }

    /// @dev The record and root of a posted epoch whose challenge window is over; reverts otherwise.
    function _activeEpoch(uint256 epoch) private view returns (EpochData storage data, bytes32 root) {
        data = _epochs[epoch];
        root = data.root;
        if (root == bytes32(0)) revert ComputeRewardsUnknownEpoch(epoch);
        uint256 activation = data.postedAt + challengeWindow;
        if (block.timestamp < activation) revert ComputeRewardsNotActive(epoch, activation);
    }

    /**
     * @dev Active in the escrow for the whole of `epoch` (a posted, hence ended, epoch): its current
     * admission began at or before the epoch's start and did not end (full unbond, expulsion) before
     * the epoch's end. An earlier admission that ended does not count.
     */
    function _eligible(uint256 epoch, uint64 admittedAt, uint64 leftAt) private view returns (bool) {
        uint256 start;
        // Cannot overflow: a posted epoch has ended, so its end is below block.timestamp.
        unchecked {
            start = genesis + epoch * epochDuration;
        }
        return admittedAt != 0 && admittedAt <= start && (leftAt == 0 || leftAt >= start + epochDuration);
    }

    /**
     * @dev The pool of `epoch` out of `available` DG (fresh release + carry): at most the emission the
     * schedule assigns to the epoch's own days — each day's amount belongs to the epoch containing
     * the day's first second, `emittedBy(end - 1) - emittedBy(start - 1)` — plus 1/CARRY_RELEASE_DIVISOR
     * of the rest. The schedule's gross emission bounds what the beneficiary received for those days
     * (a burn rate only lowers it). The remainder stays in the carry for later epochs.
     */
    function _poolCap(uint256 epoch, uint256 available) private view returns (uint256) {
        uint256 start = genesis + epoch * epochDuration;
        uint256 own = reservation.emittedBy(start + epochDuration - 1);
        if (start != 0) own -= reservation.emittedBy(start - 1); // emittedBy is non-decreasing
        if (available <= own) return available;
        // Cannot underflow: available > own.
        unchecked {
            return own + (available - own) / CARRY_RELEASE_DIVISOR;
        }
    }

    /// @dev `mulDiv(pool, compute, totalCompute)` rounded down, capped at `pool - spent`.
    function _share(uint256 pool, uint256 spent, uint256 totalCompute, uint256 compute) private pure returns (uint256) {
        // A leaf claiming at least the total (only under a wrong root) would take the whole pool;
        // testing first also keeps mulDiv's result below 2^256.
        uint256 share = compute < totalCompute ? Math.mulDiv(pool, compute, totalCompute) : pool;
        // Cannot underflow: spent <= pool (invariant).
        uint256 left;
        unchecked {
            left = pool - spent;
        }
        return share < left ? share : left;
    }

    /// @dev Checks the admin before the base constructor sees it, to revert with this contract's error.
    function _nonZero(address account) private pure returns (address) {
        if (account == address(0)) revert ComputeRewardsZeroAddress();
        return account;
    }
}
