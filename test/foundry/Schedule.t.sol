// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DataGen} from "../../contracts/token/DataGen.sol";
import {MiningReservation} from "../../contracts/emission/MiningReservation.sol";
import {HalvingSchedule} from "../../contracts/libraries/HalvingSchedule.sol";
import {Test} from "./base/Test.sol";

/**
 * @title ScheduleTest
 * @notice Property tests of the release schedule (README SPEC 2), through the library and through
 * the reservation's views: monotone, halving every 1095 days down to the 71.25 DG floor, exact
 * cumulative values, and the 15,000,000 DG cap reached on day 79126.
 */
contract ScheduleTest is Test {
    uint256 private constant START = 1_711_922_400;
    uint256 private constant RESERVE = 15_000_000 ether;
    uint256 private constant LAST_DAY = 79_126;

    MiningReservation internal reservation;

    function setUp() public {
        DataGen token = new DataGen(address(this), address(this));
        reservation = new MiningReservation(address(token), START, 0, address(this));
    }

    /// @notice SPEC 2's cumulative values: 4,993,200 DG after day 1094; 9,830,362.5 DG after day 6569;
    /// 15,000,000 DG reached on day 79126 (its 22.5 DG remainder) and never exceeded.
    function test_cumulativeValues() public view {
        assertEq(HalvingSchedule.emittedInDays(1095), 4_993_200 ether, "after day 1094");
        assertEq(HalvingSchedule.emittedInDays(6570), 9_830_362.5 ether, "after day 6569");
        assertEq(HalvingSchedule.emittedInDays(LAST_DAY), RESERVE - 22.5 ether, "before day 79126");
        assertEq(HalvingSchedule.emittedInDays(LAST_DAY + 1), RESERVE, "after day 79126");
        assertEq(reservation.dailyRate(LAST_DAY), 22.5 ether, "day 79126 emits the remainder");
        assertEq(reservation.emittedBy(START + 1094 days + 1 days - 1), 4_993_200 ether, "end of day 1094");
        assertEq(reservation.emittedBy(START + 6569 days), 9_830_362.5 ether, "start of day 6569");
        assertEq(reservation.emittedBy(START + LAST_DAY * 1 days), RESERVE, "start of day 79126");
        assertLt(reservation.emittedBy(START + LAST_DAY * 1 days - 1), RESERVE, "end of day 79125");
        assertEq(reservation.emittedBy(START - 1), 0, "before day 0");
        assertEq(reservation.emittedBy(START), 4560 ether, "day 0 emits from its first second");
    }

    /// @notice `emittedBy` never decreases with time, and never exceeds the reserve.
    function testFuzz_emittedByMonotone(uint256 t1, uint256 t2) public view {
        t1 = bound(t1, 0, START + 400 * 365 days);
        t2 = bound(t2, t1, type(uint256).max);
        uint256 e1 = reservation.emittedBy(t1);
        uint256 e2 = reservation.emittedBy(t2);
        assertLe(e1, e2, "emittedBy(t1) <= emittedBy(t2)");
        assertLe(e2, RESERVE, "emittedBy <= reserve");
    }

    /// @notice The daily rate is 4560 DG halved once per completed 1095-day period, floored at 71.25 DG
    /// from day 6570, the remainder on day 79126, and zero afterwards.
    function testFuzz_dailyRateHalving(uint256 day) public view {
        day = bound(day, 0, LAST_DAY + 10_000);
        uint256 rate = reservation.dailyRate(day);
        if (day < 6570) assertEq(rate, 4560 ether >> (day / 1095), "rate before the floor");
        else if (day < LAST_DAY) assertEq(rate, 71.25 ether, "floor rate");
        else if (day == LAST_DAY) assertEq(rate, 22.5 ether, "last day");
        else assertEq(rate, 0, "after exhaustion");
        if (day >= 1095 && day < 6570) {
            assertEq(rate * 2, reservation.dailyRate(day - 1095), "halves every 1095 days");
        }
    }

    /// @notice Cumulative emission is the running sum of the daily rates: adding day `day`'s rate to
    /// the total of the days before it gives the total at any second of day `day`.
    function testFuzz_cumulativeIsSumOfDays(uint256 day, uint256 second) public view {
        day = bound(day, 0, LAST_DAY + 10);
        second = bound(second, 0, 1 days - 1);
        uint256 before = day == 0 ? 0 : reservation.emittedBy(START + (day - 1) * 1 days);
        assertEq(reservation.emittedBy(START + day * 1 days + second), before + reservation.dailyRate(day), "sum");
        assertEq(HalvingSchedule.emittedInDays(day + 1), before + HalvingSchedule.emittedOnDay(day), "library sum");
    }

    /// @notice No absurd day count overflows: the library caps at the reserve.
    function testFuzz_emittedInDaysCapped(uint256 dayCount) public pure {
        dayCount = bound(dayCount, LAST_DAY + 1, type(uint256).max);
        assertEq(HalvingSchedule.emittedInDays(dayCount), RESERVE, "capped");
        assertEq(HalvingSchedule.emittedOnDay(dayCount), 0, "nothing after exhaustion");
    }
}
