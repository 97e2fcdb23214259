// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IComputeRewards} from "../interfaces/IComputeRewards.sol";
import {MiningReservation} from "../emission/MiningReservation.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";

/**
 * @title InvariantReader
 * @notice TEST ONLY, never deployed by the modules: reads everything the suite-wide property test
 * checks after each step in one call (loops over the test's own short lists).
 */
contract InvariantReader {
    /// @notice What one step's invariants need.
    struct State {
        uint256 sumBalances; // Σ balanceOf(holders)
        uint256 totalSupply;
        uint256 emitted; // the reservation's settled emission (released + burned by it)
        uint256 emittedByNow; // the schedule's emission up to now
        uint256 stakingBalance;
        uint256 totalStaked;
        uint256 rewardsBalance;
        uint256 rewardsOwed; // carry + Σ (pool − spent) over the posted epochs given
        bool spentWithinPools; // spent <= pool for every posted epoch given
        uint256 voteBalance;
    }

    /**
     * @notice Reads the state.
     * @param token the DG token.
     * @param holders every account and contract that may hold DG.
     * @param reservation the MiningReservation.
     * @param staking the ValidatorStaking escrow.
     * @param rewards the ComputeRewards distributor.
     * @param vote the InflationVote contract.
     * @param epochs the epochs posted so far.
     * @return s the state.
     */
    function read(
        IERC20 token,
        address[] calldata holders,
        MiningReservation reservation,
        IValidatorStaking staking,
        IComputeRewards rewards,
        address vote,
        uint256[] calldata epochs
    ) external view returns (State memory s) {
        for (uint256 i; i < holders.length; ++i) s.sumBalances += token.balanceOf(holders[i]);
        s.totalSupply = token.totalSupply();
        s.emitted = reservation.emitted();
        s.emittedByNow = reservation.emittedBy(block.timestamp);
        s.stakingBalance = token.balanceOf(address(staking));
        s.totalStaked = staking.totalStaked();
        s.rewardsBalance = token.balanceOf(address(rewards));
        s.rewardsOwed = rewards.carry();
        s.spentWithinPools = true;
        for (uint256 i; i < epochs.length; ++i) {
            IComputeRewards.EpochData memory data = rewards.getEpoch(epochs[i]);
            if (data.spent > data.pool) s.spentWithinPools = false;
            else s.rewardsOwed += data.pool - data.spent;
        }
        s.voteBalance = token.balanceOf(vote);
    }
}
