// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";
import {SwarmStaker} from "./SwarmStaker.sol";

/**
 * @title StakerSwarm
 * @notice TEST ONLY, never deployed by the modules: creates many validators in one transaction.
 */
contract StakerSwarm {
    using SafeERC20 for IERC20;

    /// @notice Every validator this swarm created, in order.
    SwarmStaker[] public members;

    /**
     * @notice Creates `count` {SwarmStaker}s, each funded from this contract's DG and staking `amount`.
     * @param staking the escrow.
     * @param token the DG token (this contract must hold `count * amount`).
     * @param count validators to create.
     * @param amount stake of each, DG in wei.
     */
    function spawn(IValidatorStaking staking, IERC20 token, uint256 count, uint256 amount) external {
        for (uint256 i; i < count; ++i) {
            SwarmStaker staker = new SwarmStaker();
            members.push(staker);
            token.safeTransfer(address(staker), amount);
            staker.stake(staking, token, amount);
        }
    }

    /// @notice Number of validators this swarm created.
    /// @return the count.
    function memberCount() external view returns (uint256) {
        return members.length;
    }
}
