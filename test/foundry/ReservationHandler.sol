// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {DataGen} from "../../contracts/token/DataGen.sol";
import {MiningReservation} from "../../contracts/emission/MiningReservation.sol";
import {PermitDigest} from "./base/Permit.sol";
import {TestBase} from "./base/Test.sol";

/**
 * @title ReservationHandler
 * @notice The actors of {ReservationInvariantTest}: holders who transfer, burn and approve by permit
 * (keys signed with `vm.sign`), some of whom send DG to the reservation by mistake; a keeper who calls
 * `release()` after any gap, from seconds to decades; the vote (a stand-in address: the real
 * InflationVote is not under test here) changing the burn rate; the owner recovering stray DG.
 *
 * Every action bounds its inputs rather than reverting, and keeps ghost totals the invariants compare
 * with the contracts' own accounting. Time only moves forward, through {_advance} (`vm.warp`, which
 * forge keeps between the calls of a sequence, even when the call that made it reverted).
 */
contract ReservationHandler is TestBase {
    uint256 private constant HOLDER_COUNT = 5;
    uint256 private constant FIRST_HOLDER_KEY = 0xD6_0001;
    /// @dev log2 of the longest single gap: 2^31 s is about 68 years.
    uint256 private constant MAX_GAP_LOG2 = 31;

    DataGen public immutable token;
    MiningReservation public immutable reservation;
    address public immutable treasury;
    address public immutable beneficiary;
    address public immutable vote;

    /// @notice Holder private keys (index-aligned with {holders}); holders may sign permits.
    uint256[] public holderKeys;
    /// @notice Every account that can ever hold DG in this scenario, the reservation included.
    address[] public accounts;

    /// @notice The timestamp the latest time jump set (the clock must never fall back below it).
    uint256 public lastWarp;
    /// @notice DG burned by holders through `burn`/`burnFrom`.
    uint256 public ghostHolderBurned;
    /// @notice DG sent to the reservation by mistake, less what the owner recovered.
    uint256 public ghostStray;
    /// @notice DG the beneficiary received from releases.
    uint256 public ghostReleasedToBeneficiary;
    /// @notice What each release should have burned: `floor(due * burnBps / 10_000)`, summed.
    uint256 public ghostExpectedReleaseBurn;
    /// @notice `emitted` and `emittedBy(block.timestamp)` read right after the latest settlement.
    uint256 public lastReleaseEmitted;
    uint256 public lastReleaseSchedule;
    /// @notice The first expectation a handler action found broken (empty while none).
    string public violation;
    /// @notice Calls made per action, for the report.
    mapping(bytes32 action => uint256 count) public calls;

    constructor(
        DataGen token_,
        MiningReservation reservation_,
        address treasury_,
        address beneficiary_,
        address vote_
    ) {
        token = token_;
        reservation = reservation_;
        treasury = treasury_;
        beneficiary = beneficiary_;
        vote = vote_;
        for (uint256 i = 0; i < HOLDER_COUNT; ++i) {
            uint256 key = FIRST_HOLDER_KEY + i;
            holderKeys.push(key);
            accounts.push(vm.addr(key));
            vm.label(vm.addr(key), string.concat("holder", _digit(i)));
        }
        accounts.push(treasury_);
        accounts.push(beneficiary_);
        accounts.push(address(reservation_));
    }

    /* ----- holders ----- */

    /// @notice A holder (any account but the reservation) sends part of its balance to any account,
    /// the reservation included (a mistake the reservation must be indifferent to).
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _holder(fromSeed);
        address to = accounts[toSeed % accounts.length];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        assertTrue(token.transfer(to, amount), "transfer returned false");
        if (to == address(reservation) && from != to) ghostStray += amount;
        ++calls["transfer"];
    }

    /// @notice A holder burns part of its balance.
    function burn(uint256 fromSeed, uint256 amount) external {
        address from = _holder(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.burn(amount);
        ghostHolderBurned += amount;
        ++calls["burn"];
    }

    /// @notice A key holder signs an EIP-2612 permit for a spender, who submits it and then moves or
    /// burns (`burnFrom`) part of the allowance.
    function permitAndSpend(
        uint256 ownerSeed,
        uint256 spenderSeed,
        uint256 value,
        uint256 amount,
        bool burnIt
    ) external {
        uint256 ownerIndex = ownerSeed % holderKeys.length;
        address owner = accounts[ownerIndex];
        address spender = _holder(spenderSeed);
        value = bound(value, 0, token.balanceOf(owner));
        amount = bound(amount, 0, value);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerIndex, spender, value, deadline);
        uint256 nonceBefore = token.nonces(owner);
        token.permit(owner, spender, value, deadline, v, r, s);
        _check(token.nonces(owner) == nonceBefore + 1, "permit did not consume the nonce");
        _check(token.allowance(owner, spender) == value, "permit did not set the allowance");
        vm.startPrank(spender);
        if (burnIt) {
            token.burnFrom(owner, amount);
            ghostHolderBurned += amount;
        } else {
            assertTrue(token.transferFrom(owner, spender, amount), "transferFrom returned false");
        }
        vm.stopPrank();
        ++calls["permitAndSpend"];
    }

    /* ----- time, keeper, vote, owner ----- */

    /// @notice Time passes (seconds to decades), nobody releases.
    function wait(uint256 gapSeed) external {
        _advance(gapSeed);
        ++calls["wait"];
    }

    /// @notice Time passes, then the keeper (any account) calls `release()`.
    function release(uint256 gapSeed, uint256 keeperSeed) external {
        _advance(gapSeed);
        _settle(accounts[keeperSeed % accounts.length], abi.encodeCall(MiningReservation.release, ()));
        ++calls["release"];
    }

    /// @notice The vote changes the burn rate (which first settles what is due at the old rate).
    function setBurnBps(uint256 gapSeed, uint256 newBps) external {
        _advance(gapSeed);
        newBps = bound(newBps, 0, reservation.BPS_DENOMINATOR());
        _settle(vote, abi.encodeCall(MiningReservation.setBurnBps, (newBps)));
        _check(reservation.burnBps() == newBps, "burnBps not updated by setBurnBps");
        ++calls["setBurnBps"];
    }

    /// @notice The owner (treasury) recovers DG sent to the reservation by mistake, if any.
    function recoverStray(uint256 toSeed) external {
        address to = _holder(toSeed);
        if (ghostStray == 0) return; // `MiningReservationNothingToRecover` is the unit tests' business
        vm.prank(treasury);
        reservation.recoverStrayTokens(to);
        ghostStray = 0;
        ++calls["recoverStray"];
    }

    /// @notice Number of accounts that can hold DG.
    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    /* ----- internal ----- */

    /// @dev A gap drawn log-uniformly over 0 s .. 2^31 s (about 68 years), then `vm.warp`.
    function _advance(uint256 gapSeed) private {
        uint256 log2 = gapSeed % (MAX_GAP_LOG2 + 1);
        uint256 gap = bound(gapSeed >> 8, 0, (uint256(1) << log2) - 1);
        lastWarp = block.timestamp + gap;
        vm.warp(lastWarp);
    }

    /// @dev Calls the reservation as `caller` (a release or a burn-rate change: both settle what is
    /// due), checks the split of what was settled and updates the ghosts.
    function _settle(address caller, bytes memory callData) private {
        uint256 emittedBefore = reservation.emitted();
        uint256 beneficiaryBefore = token.balanceOf(beneficiary);
        uint256 rate = reservation.burnBps();
        vm.prank(caller);
        (bool ok, bytes memory data) = address(reservation).call(callData);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(data, 32), mload(data))
            }
        }
        uint256 due = reservation.emitted() - emittedBefore;
        ghostExpectedReleaseBurn += Math.mulDiv(due, rate, reservation.BPS_DENOMINATOR());
        ghostReleasedToBeneficiary += token.balanceOf(beneficiary) - beneficiaryBefore;
        lastReleaseEmitted = reservation.emitted();
        lastReleaseSchedule = reservation.emittedBy(block.timestamp);
    }

    /// @dev Records the first broken expectation: a revert here would only discard the call, so the
    /// suite's `invariant_handlerChecks` fails on a non-empty {violation} instead.
    function _check(bool condition, string memory what) private {
        if (!condition && bytes(violation).length == 0) violation = what;
    }

    /// @dev The EIP-2612 signature of holder `ownerIndex` over (spender, value, current nonce, deadline).
    function _signPermit(
        uint256 ownerIndex,
        address spender,
        uint256 value,
        uint256 deadline
    ) private view returns (uint8 v, bytes32 r, bytes32 s) {
        address owner = accounts[ownerIndex];
        bytes32 digest = PermitDigest.hash(token, owner, spender, value, deadline);
        return vm.sign(holderKeys[ownerIndex], digest);
    }

    /// @dev Any account but the reservation (which only moves DG through its own functions).
    function _holder(uint256 seed) private view returns (address) {
        return accounts[seed % (accounts.length - 1)];
    }

    function _digit(uint256 i) private pure returns (string memory) {
        return string(abi.encodePacked(bytes1(uint8(48 + i))));
    }
}
