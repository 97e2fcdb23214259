// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {DataGen} from "../../../contracts/token/DataGen.sol";
import {MiningReservation} from "../../../contracts/emission/MiningReservation.sol";
import {ValidatorStaking} from "../../../contracts/staking/ValidatorStaking.sol";
import {IValidatorStaking} from "../../../contracts/interfaces/IValidatorStaking.sol";
import {PermitDigest} from "../base/Permit.sol";
import {TestBase} from "../base/Test.sol";
import {SuiteModel} from "./SuiteModel.sol";

/**
 * @title ValidatorHandler
 * @notice Holders (transfer, burn, EIP-2612 permit signed with `vm.sign`), validators and Sybils (stake,
 * top up, stake with permit, partial and full unbond, withdraw — also too early and while exposed, which
 * must revert — and restake after withdrawing) and the keeper (time jumps of seconds to decades, blocks
 * mined, `release()` after any gap). Every action bounds its inputs instead of reverting, updates
 * {SuiteModel} and records broken expectations there.
 */
contract ValidatorHandler is TestBase {
    DataGen public immutable token;
    MiningReservation public immutable reservation;
    ValidatorStaking public immutable staking;
    SuiteModel public immutable model;

    constructor(SuiteModel model_) {
        model = model_;
        token = model_.token();
        reservation = model_.reservation();
        staking = model_.staking();
    }

    /* ----- holders ----- */

    /// @notice A holder sends part of its balance to another holder.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = model.actor(fromSeed);
        address to = model.actor(toSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        assertTrue(token.transfer(to, amount), "transfer returned false");
        model.count("transfer");
    }

    /// @notice A holder burns a small part of its balance (so that enough DG stay to stake).
    function burn(uint256 fromSeed, uint256 amount) external {
        address from = model.actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from) / 100);
        vm.prank(from);
        token.burn(amount);
        model.addBurned(amount);
        model.count("burn");
    }

    /// @notice A holder signs a permit; another actor submits it and moves or burns part of the allowance.
    function permitAndSpend(
        uint256 ownerSeed,
        uint256 spenderSeed,
        uint256 value,
        uint256 amount,
        bool burnIt
    ) external {
        address owner = model.actor(ownerSeed);
        address spender = model.actor(spenderSeed);
        value = bound(value, 0, token.balanceOf(owner));
        amount = bound(amount, 0, burnIt ? value / 100 : value);
        uint256 deadline = model.now_() + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(owner, spender, value, deadline);
        uint256 nonce = token.nonces(owner);
        token.permit(owner, spender, value, deadline, v, r, s);
        model.check(token.nonces(owner) == nonce + 1, "permit did not consume the nonce");
        model.check(token.allowance(owner, spender) == value, "permit did not set the allowance");
        vm.startPrank(spender);
        if (burnIt) {
            token.burnFrom(owner, amount);
            model.addBurned(amount);
        } else {
            assertTrue(token.transferFrom(owner, spender, amount), "transferFrom returned false");
        }
        vm.stopPrank();
        model.count("permitAndSpend");
    }

    /* ----- validators ----- */

    /// @notice Stake (admission, or restake after a withdrawal) or top up; an Expelled or CoolingDown
    /// validator's stake must revert.
    function stake(uint256 seed, uint256 amount, bool withPermit) external {
        address who = model.actor(seed);
        SuiteModel.V memory r = model.v(who);
        uint256 balance = token.balanceOf(who);
        if (r.status == IValidatorStaking.Status.Expelled || r.status == IValidatorStaking.Status.CoolingDown) {
            if (balance == 0) return;
            vm.startPrank(who);
            token.approve(address(staking), 1);
            try staking.stake(1) {
                model.check(false, "an Expelled or CoolingDown validator staked");
            } catch {}
            vm.stopPrank();
            model.count("stakeRefused");
            return;
        }
        uint256 min = r.status == IValidatorStaking.Status.None ? model.minStake() : 1;
        if (balance < min) return;
        amount = bound(amount, min, balance < 4 * model.minStake() ? balance : 4 * model.minStake());
        if (withPermit) {
            uint256 deadline = model.now_() + 1 days;
            (uint8 v, bytes32 rr, bytes32 s) = _signPermit(who, address(staking), amount, deadline);
            vm.prank(who);
            staking.stakeWithPermit(amount, deadline, v, rr, s);
        } else {
            vm.startPrank(who);
            token.approve(address(staking), amount);
            staking.stake(amount);
            vm.stopPrank();
        }
        model.onStake(who, amount);
        model.count(withPermit ? bytes32("stakeWithPermit") : bytes32("stake"));
    }

    /// @notice A partial unbond (leaving at least the minimum) or a full one (leaving the set).
    function unbond(uint256 seed, uint256 amount, bool full) external {
        address who = model.actor(seed);
        SuiteModel.V memory r = model.v(who);
        if (r.status != IValidatorStaking.Status.Active) return;
        if (full || r.active < model.minStake() + 1) {
            amount = r.active;
        } else {
            amount = bound(amount, 1, r.active - model.minStake());
        }
        vm.prank(who);
        staking.requestUnbond(amount);
        model.onUnbond(who, amount);
        model.count(amount == r.active ? bytes32("unbondFull") : bytes32("unbondPartial"));
    }

    /// @notice Withdraw: while exposed, or before the cooldown ends, it must revert; otherwise it pays
    /// exactly the unbonding tranche. `afterCooldown` lets the cooldown pass first.
    function withdraw(uint256 seed, bool afterCooldown) external {
        address who = model.actor(seed);
        SuiteModel.V memory r = model.v(who);
        if (r.unbonding == 0 && r.status != IValidatorStaking.Status.CoolingDown) return;
        if (afterCooldown) model.warpTo(r.unbondingEnd);
        bool mustFail = r.openExposures != 0 || model.now_() < r.unbondingEnd;
        uint256 before = token.balanceOf(who);
        vm.prank(who);
        try staking.withdraw() returns (uint256 amount) {
            model.check(!mustFail, r.openExposures != 0 ? "withdrew while exposed" : "withdrew before the cooldown");
            model.check(amount == r.unbonding, "withdrawn != unbonding tranche");
            model.check(token.balanceOf(who) - before == amount, "withdraw paid another amount");
            model.onWithdraw(who, amount);
            model.count("withdraw");
        } catch {
            model.check(mustFail, "withdraw refused after the cooldown with no open exposure");
            model.count(r.openExposures != 0 ? bytes32("withdrawExposed") : bytes32("withdrawEarly"));
        }
    }

    /* ----- keeper ----- */

    /// @notice Time passes (seconds to decades), and some blocks (up to 3; up to 300 one time in 16).
    function wait(uint256 gapSeed, uint256 blocks) external {
        model.advance(gapSeed);
        model.rollBlocks(blocks % 16 == 0 ? bound(blocks >> 8, 0, 300) : bound(blocks >> 8, 0, 3));
        model.count("wait");
    }

    /// @notice Time passes, then anyone calls `release()`.
    function release(uint256 gapSeed, uint256 callerSeed) external {
        model.advance(gapSeed);
        uint256 burnedBefore = reservation.totalBurned();
        uint256 due = reservation.emittedBy(model.now_()) - reservation.emitted();
        uint256 burnBps = reservation.burnBps();
        vm.prank(model.actor(callerSeed));
        reservation.release();
        // The split the reservation suite checks: floor(due × burnBps / 10,000) burned (the rate a vote set).
        model.check(
            reservation.totalBurned() - burnedBefore == Math.mulDiv(due, burnBps, 10_000),
            "release burned another amount than mulDiv(due, burnBps)"
        );
        model.recordRelease();
        model.count("release");
    }

    /* ----- internal ----- */

    function _signPermit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline
    ) private view returns (uint8, bytes32, bytes32) {
        bytes32 digest = PermitDigest.hash(token, owner, spender, value, deadline);
        return vm.sign(model.keyOf(owner), digest);
    }
}
