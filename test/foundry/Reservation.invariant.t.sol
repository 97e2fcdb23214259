// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DataGen} from "../../contracts/token/DataGen.sol";
import {MiningReservation} from "../../contracts/emission/MiningReservation.sol";
import {Test} from "./base/Test.sol";
import {ReservationHandler} from "./ReservationHandler.sol";

/**
 * @title ReservationInvariantTest
 * @notice DataGen and MiningReservation deployed and wired as `deploy/modules/Core.ts` does (same
 * order, same parameters: mainnet start, burn rate 0), then random sequences of {ReservationHandler}
 * actions. After every call forge checks each `invariant_*` function below.
 *
 * Stand-ins (the real contracts are outside this suite): the vote is a plain address given to
 * `setInflationVote` (Core gives the InflationVote contract), and the beneficiary is a plain address
 * (the Suite module gives the ComputeRewards distributor).
 */
contract ReservationInvariantTest is Test {
    /// @dev `MAINNET_RELEASE_START` in deploy/modules/Core.ts: 2024-04-01 00:00 CEST.
    uint256 private constant RELEASE_START = 1_711_922_400;
    uint256 private constant INITIAL_BURN_BPS = 0;
    uint256 private constant SUPPLY = 30_000_000 ether;
    uint256 private constant RESERVE = 15_000_000 ether;

    DataGen internal token;
    MiningReservation internal reservation;
    ReservationHandler internal handler;
    address internal deployer = address(0xD0);
    address internal beneficiary = address(0xBE);
    address internal vote = address(0x707E);

    function setUp() public {
        // Start a day before day 0: the first releases of a sequence may come before the schedule starts.
        vm.warp(RELEASE_START - 1 days);
        vm.startPrank(deployer);
        // Core.ts, in order: token (treasury = owner = deployer), reservation, [vote], setInflationVote,
        // approve(reservation, RESERVE), fund(). Then the distributor's module calls setBeneficiary.
        token = new DataGen(deployer, deployer);
        reservation = new MiningReservation(address(token), RELEASE_START, INITIAL_BURN_BPS, deployer);
        reservation.setInflationVote(vote);
        token.approve(address(reservation), RESERVE);
        reservation.fund();
        reservation.setBeneficiary(beneficiary);
        vm.stopPrank();

        handler = new ReservationHandler(token, reservation, deployer, beneficiary, vote);
        // Hand part of the treasury to the key holders so that permits have something to move.
        for (uint256 i = 0; i < 5; ++i) {
            address holder = handler.accounts(i); // read before the prank, which applies to the next call
            vm.prank(deployer);
            assertTrue(token.transfer(holder, 1_000_000 ether), "funding transfer returned false");
        }
        vm.label(deployer, "treasury");
        vm.label(beneficiary, "beneficiary");
        vm.label(vote, "vote");
        vm.label(address(token), "DG");
        vm.label(address(reservation), "reservation");

        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = ReservationHandler.transfer.selector;
        selectors[1] = ReservationHandler.burn.selector;
        selectors[2] = ReservationHandler.permitAndSpend.selector;
        selectors[3] = ReservationHandler.wait.selector;
        selectors[4] = ReservationHandler.release.selector;
        selectors[5] = ReservationHandler.setBurnBps.selector;
        selectors[6] = ReservationHandler.recoverStray.selector;
        targetSelector(address(handler), selectors);
        targetContract(address(handler));
    }

    /// @notice Wiring as Core.ts leaves it (checked once; the invariants cover the rest).
    function test_setUpMatchesCoreModule() public view {
        assertEq(reservation.owner(), deployer, "reservation owner");
        assertEq(token.owner(), deployer, "token owner");
        assertEq(reservation.start(), RELEASE_START, "release start");
        assertEq(reservation.burnBps(), INITIAL_BURN_BPS, "initial burn rate");
        assertEq(reservation.inflationVote(), vote, "vote");
        assertEq(reservation.beneficiary(), beneficiary, "beneficiary");
        assertTrue(reservation.funded(), "funded");
        assertEq(token.balanceOf(address(reservation)), RESERVE, "reserve deposited");
        assertEq(token.allowance(deployer, address(reservation)), 0, "approval used up");
    }

    /// @notice No DG is created or lost: the accounts that can hold DG hold the supply, and
    /// what is missing from 30,000,000 DG was burned, by holders or by the reservation.
    function invariant_dgConserved() public view {
        uint256 held;
        for (uint256 i = 0; i < handler.accountCount(); ++i) held += token.balanceOf(handler.accounts(i));
        uint256 burned = SUPPLY - token.totalSupply();
        assertEq(held + burned, SUPPLY, "held + burned");
        assertEq(burned, handler.ghostHolderBurned() + reservation.totalBurned(), "burned by holders + reservation");
    }

    /// @notice The reservation never runs ahead of the schedule, and right after a settlement it is exactly on it.
    function invariant_releasedWithinSchedule() public view {
        uint256 emitted = reservation.emitted();
        assertLe(emitted, reservation.emittedBy(block.timestamp), "emitted <= emittedBy(now)");
        assertLe(emitted, RESERVE, "emitted <= reserve");
        assertEq(handler.lastReleaseEmitted(), handler.lastReleaseSchedule(), "emitted == emittedBy after release");
        assertEq(reservation.totalReleased() + reservation.totalBurned(), emitted, "released + burned == emitted");
    }

    /// @notice Each settlement splits what is due at the rate then in force, rounding the burn down.
    function invariant_releaseSplit() public view {
        assertEq(reservation.totalBurned(), handler.ghostExpectedReleaseBurn(), "burned by releases");
        assertEq(reservation.totalReleased(), handler.ghostReleasedToBeneficiary(), "received by beneficiary");
    }

    /// @notice The reserve's accounting ignores DG sent to the reservation by mistake: its balance is the
    /// unreleased reserve plus the strays, and what is releasable depends on the clock alone.
    function invariant_reserveIndependentOfStrays() public view {
        uint256 emitted = reservation.emitted();
        assertEq(
            token.balanceOf(address(reservation)),
            RESERVE - emitted + handler.ghostStray(),
            "reservation balance"
        );
        assertEq(reservation.releasable(), reservation.emittedBy(block.timestamp) - emitted, "releasable");
    }

    /// @notice The handler's own checks (permit nonce and allowance, burn rate updated) all held.
    function invariant_handlerChecks() public view {
        assertEq(bytes(handler.violation()).length, 0, handler.violation());
    }

    /// @notice Time jumps persist between the calls of a sequence (else every call would run near the
    /// set-up time and the long gaps this suite is about would never be exercised).
    function invariant_clockPersists() public view {
        assertGe(block.timestamp, handler.lastWarp(), "block.timestamp >= last vm.warp");
    }
}
