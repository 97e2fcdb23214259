// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IValidatorStaking
 * @notice The validators' staking / slashing escrow (SPEC 5).
 * @dev Draft interface agreed between ValidatorStaking, ComputeRewards and (later) CrossCheck.
 * Implementations may add errors, events and views; the functions below are the contract others rely on.
 */
interface IValidatorStaking {
    /// @notice None: never staked, or fully withdrawn. Expelled is final.
    enum Status {
        None,
        Active,
        CoolingDown,
        Expelled
    }

    /// @notice One validator's record (packed; amounts in DG wei, times in unix seconds).
    struct Validator {
        Status status;
        uint64 firstAdmittedAt; // first time it became Active; never reset (0 = never admitted)
        uint32 faults; // proven faults so far
        uint32 openExposures; // checks opened on it and not yet closed; withdraw waits for 0
        uint128 active; // active stake
        uint128 unbonding; // stake waiting for `unbondingEnd`, still slashable
        uint64 unbondingEnd; // when `unbonding` can be withdrawn
    }

    /**
     * @notice What ComputeRewards needs, in one call: when the validator was first admitted and
     * whether it was expelled.
     * @param validator the validator.
     * @return firstAdmittedAt first time it became Active (0 if never).
     * @return expelled true once expelled (final).
     */
    function rewardEligibility(address validator) external view returns (uint64 firstAdmittedAt, bool expelled);
}
