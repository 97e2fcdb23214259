// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IComputeRewards
 * @notice The proportional-compute distributor (SPEC 4): per epoch the oracle posts a Merkle root of
 * `(chainId, distributor, epoch, validator, compute)` leaves and the total compute; after a
 * challenge window each eligible validator claims `Math.mulDiv(pool, compute, totalCompute)`.
 */
interface IComputeRewards {
    /// @notice One epoch's record. Amounts in DG wei, times in unix seconds, compute in oracle units.
    struct EpochData {
        // slot 0
        bytes32 root; // 0 = never posted, or revoked
        // slot 1: fixed when the root is posted
        uint96 pool; // DG to share among the epoch's leaves
        uint120 totalCompute; // the oracle's total compute of the epoch
        // slot 2: moved by claims and forfeits. `postedAt` lives here so that the slot is non-zero from
        // the posting on: the first claim of an epoch then rewrites a slot instead of creating one.
        uint96 spent; // DG of the pool paid to validators or moved to carry (forfeits, dust)
        uint120 settledCompute; // compute of the leaves claimed or forfeited, capped at totalCompute
        uint40 postedAt; // the root activates at postedAt + challengeWindow
    }

    /// @notice One epoch of a claim: the validator's leaf `(epoch, compute)` and its Merkle proof.
    struct Claim {
        uint256 epoch;
        uint256 compute;
        bytes32[] proof;
    }

    /* ===================== EVENTS ===================== */

    /// @notice The oracle posted `root` for `epoch`; its `pool` is fixed; claimable from `activatesAt`.
    event RootPosted(uint256 indexed epoch, bytes32 root, uint256 totalCompute, uint256 pool, uint256 activatesAt);
    /// @notice A guardian revoked the root of `epoch`; its pool went back to the carry.
    event RootRevoked(uint256 indexed epoch, bytes32 root, uint256 poolCarried);
    /// @notice `validator` was paid `amount` for its leaf in `epoch` (its compute is in the claim's calldata
    /// and in the epoch's tree; left out of the event to keep a claim within its gas budget).
    event RewardClaimed(uint256 indexed epoch, address indexed validator, uint256 amount);
    /// @notice The unclaimable `amount` of `validator` in `epoch` moved to the carry.
    event RewardForfeited(uint256 indexed epoch, address indexed validator, uint256 compute, uint256 amount);
    /// @notice All the compute of `epoch` is settled; its rounding dust moved to the carry.
    event EpochSettled(uint256 indexed epoch, uint256 dustCarried);

    /* ===================== ERRORS ===================== */

    /// @notice A zero address was given where an account or contract is required.
    error ComputeRewardsZeroAddress();
    /// @notice The epoch duration is outside [min, max] seconds.
    error ComputeRewardsEpochDurationOutOfRange(uint256 epochDuration, uint256 min, uint256 max);
    /// @notice The challenge window is outside [min, max] seconds.
    error ComputeRewardsChallengeWindowOutOfRange(uint256 challengeWindow, uint256 min, uint256 max);
    /// @notice The staking cooldown is shorter than the challenge window plus one epoch (SPEC 5).
    error ComputeRewardsCooldownTooShort(uint256 cooldown, uint256 required);
    /// @notice A root must not be zero.
    error ComputeRewardsZeroRoot();
    /// @notice The total compute of an epoch must not be zero.
    error ComputeRewardsZeroTotalCompute();
    /// @notice The total compute does not fit the epoch record.
    error ComputeRewardsTotalComputeTooLarge(uint256 totalCompute, uint256 max);
    /// @notice Only ended epochs can be posted: `epoch` must be below `epochsEnded`.
    error ComputeRewardsEpochNotEnded(uint256 epoch, uint256 epochsEnded);
    /// @notice Epochs are posted in strictly increasing order: `epoch` must be at least `nextEpoch`.
    error ComputeRewardsEpochNotIncreasing(uint256 epoch, uint256 nextEpoch);
    /// @notice The root of `pendingEpoch` is still in its challenge window (until `activatesAt`).
    error ComputeRewardsPendingRoot(uint256 pendingEpoch, uint256 activatesAt);
    /// @notice The reservation releases to `beneficiary`, not to this distributor.
    error ComputeRewardsNotBeneficiary(address beneficiary);
    /// @notice No root is posted for `epoch` (never posted, or revoked).
    error ComputeRewardsUnknownEpoch(uint256 epoch);
    /// @notice The root of `epoch` is in its challenge window until `activatesAt`.
    error ComputeRewardsNotActive(uint256 epoch, uint256 activatesAt);
    /// @notice The root of `epoch` activated at `activatedAt` and is final.
    error ComputeRewardsAlreadyActive(uint256 epoch, uint256 activatedAt);
    /// @notice The leaf of `validator` in `epoch` was already claimed or forfeited.
    error ComputeRewardsAlreadyClaimed(uint256 epoch, address validator);
    /// @notice The proof does not prove `(epoch, validator, compute)` under the epoch's root.
    error ComputeRewardsInvalidProof(uint256 epoch, address validator, uint256 compute);
    /// @notice `validator` was not Active for the whole of `epoch`: its current admission began at
    /// `admittedAt` (after the epoch's start, or 0: never) or ended at `leftAt` (before the epoch's end).
    error ComputeRewardsNotEligible(uint256 epoch, address validator, uint64 admittedAt, uint64 leftAt);
    /// @notice A claim must list at least one epoch.
    error ComputeRewardsEmptyClaimList();
    /// @notice Forfeit is for a validator that can never claim `epoch` (not Active for the whole
    /// epoch); `validator` was.
    error ComputeRewardsStillEligible(uint256 epoch, address validator);

    /* ===================== ORACLE / GUARDIAN ===================== */

    /**
     * @notice Posts the root of an ended epoch and fixes its pool: calls the reservation's
     * `release()`; available = (reservation.totalReleased() - accountedRelease) + carry; pool =
     * min(available, own + (available - own) / 90) where own is the schedule's emission of the
     * epoch's own days; the rest stays in the carry. O(1).
     * Requirements: ORACLE_ROLE; `epoch < epochsEnded()`; `epoch >= nextEpoch()`; no other root in
     * its challenge window; `root != 0`; `0 < totalCompute <= type(uint120).max`; this contract is
     * the reservation's beneficiary.
     * @param epoch the epoch id.
     * @param root the StandardMerkleTree root of `(chainId, distributor, epoch, validator, compute)`.
     * @param totalCompute the sum of the leaves' compute.
     */
    function postRoot(uint256 epoch, bytes32 root, uint256 totalCompute) external;

    /**
     * @notice Revokes a root during its challenge window; its pool goes back to the carry and the
     * epoch (or a later one) can be posted again.
     * Requirements: GUARDIAN_ROLE; a root is posted for `epoch` and not yet active.
     * @param epoch the epoch id.
     */
    function revokeRoot(uint256 epoch) external;

    /* ===================== VALIDATORS ===================== */

    /**
     * @notice Pays the caller its rewards for every listed epoch, in one token transfer.
     * Requirements: the list is not empty; each epoch is active; the caller's current admission
     * covers the whole epoch (Active from its start to its end); each leaf is proven and not yet settled.
     * @param claims the epochs, with the caller's compute and proof in each.
     */
    function claim(Claim[] calldata claims) external;

    /**
     * @notice {claim} of a single epoch with flat arguments: the cheapest way to claim one epoch
     * (no array encoding to pay for in calldata and decoding).
     * Requirements: as {claim}.
     * @param epoch the epoch id.
     * @param compute the caller's compute in that epoch (its leaf).
     * @param proof the leaf's Merkle proof.
     */
    function claimEpoch(uint256 epoch, uint256 compute, bytes32[] calldata proof) external;

    /**
     * @notice Same as {claim}, triggered by anyone, paying `validator`.
     * @param validator the validator whose leaves are claimed and who is paid.
     * @param claims the epochs, with the validator's compute and proof in each.
     */
    function claimFor(address validator, Claim[] calldata claims) external;

    /**
     * @notice Moves the share of a validator that can never claim `epoch` (not Active in the escrow
     * for the whole epoch: admitted after it started, or left before it ended) to the carry, so that
     * it rolls into the next posted pool. Permissionless.
     * Requirements: the epoch is active; the leaf is proven and not yet settled; the validator was
     * not Active for the whole epoch (its current admission).
     * @param epoch the epoch id.
     * @param validator the validator of the leaf.
     * @param compute the leaf's compute.
     * @param proof the leaf's Merkle proof.
     */
    function forfeit(uint256 epoch, address validator, uint256 compute, bytes32[] calldata proof) external;

    /* ===================== VIEWS ===================== */

    /// @notice The oracle role: posts roots.
    function ORACLE_ROLE() external view returns (bytes32);

    /// @notice The guardian role: revokes roots during their challenge window.
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice DG carried to the next posted pool (forfeits, rounding dust, revoked pools).
    function carry() external view returns (uint256);

    /// @notice The reservation's `totalReleased()` already counted into a pool.
    function accountedRelease() external view returns (uint256);

    /// @notice The lowest epoch id the oracle may post next.
    function nextEpoch() external view returns (uint256);

    /// @notice The record of `epoch` (all zero if never posted or revoked).
    function getEpoch(uint256 epoch) external view returns (EpochData memory);

    /// @notice When the root of `epoch` activates (reverts with `ComputeRewardsUnknownEpoch` if none).
    function activatesAt(uint256 epoch) external view returns (uint256);

    /// @notice Start of `epoch`: `genesis + epoch * epochDuration` (unix seconds).
    function epochStart(uint256 epoch) external view returns (uint256);

    /// @notice Number of epochs that have ended by now (epochs `0 .. epochsEnded() - 1`).
    function epochsEnded() external view returns (uint256);

    /// @notice Whether the leaf of `validator` in `epoch` was claimed or forfeited.
    function isSettled(uint256 epoch, address validator) external view returns (bool);

    /**
     * @notice What a leaf `(epoch, compute)` would pay now: `mulDiv(pool, compute, totalCompute)`
     * rounded down, capped at what is left of the pool. Does not check the proof or the eligibility.
     */
    function previewReward(uint256 epoch, uint256 compute) external view returns (uint256);
}
