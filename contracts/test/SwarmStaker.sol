// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";

/**
 * @title SwarmStaker
 * @notice TEST ONLY, never deployed by the modules: one validator of a large test set, created by
 * {StakerSwarm} so that tests can measure a draw among 1,000 Active validators without 3,000
 * transactions.
 */
contract SwarmStaker {
    /**
     * @notice Stakes the DG this contract holds.
     * @param staking the escrow.
     * @param token the DG token.
     * @param amount DG in wei (already transferred here).
     */
    function stake(IValidatorStaking staking, IERC20 token, uint256 amount) external {
        token.approve(address(staking), amount);
        staking.stake(amount);
    }

    /**
     * @notice Unbonds this validator's whole active stake (it leaves the active set).
     * @param staking the escrow.
     */
    function unbondAll(IValidatorStaking staking) external {
        staking.requestUnbond(staking.validatorInfo(address(this)).active);
    }

    /**
     * @notice Withdraws after the cooldown and stakes everything again (it rejoins the active set).
     * @param staking the escrow.
     * @param token the DG token.
     */
    function withdrawAndRestake(IValidatorStaking staking, IERC20 token) external {
        uint256 amount = staking.withdraw();
        token.approve(address(staking), amount);
        staking.stake(amount);
    }
}
