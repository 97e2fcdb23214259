// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title HalvingSchedule
 * @notice The DG mining release schedule as pure arithmetic, in wei, with no rounding anywhere:
 * 4560 DG a day on days 0..1094, halved every 1095 days (2280, 1140, 570, 285, 142.5) and floored
 * at 71.25 DG a day from day 6570 (after 6 halvings) until 15,000,000 DG have been emitted. The
 * last day (79126) emits the remainder, 22.5 DG; nothing is emitted afterwards.
 *
 * Every rate is `INITIAL_DAILY_RATE >> k` for k <= 6, and 4560e18 is divisible by 2^6, so every
 * intermediate value below is an exact integer: cumulative emission has no drift.
 * Gas is O(1): closed-form geometric sums, no loop over days or halvings.
 */
library HalvingSchedule {
    /// @notice DG held by the reservation for release, 15,000,000 DG.
    uint256 internal constant RESERVE = 15_000_000 ether;
    /// @notice Emission of each day before the first halving, 4560 DG.
    uint256 internal constant INITIAL_DAILY_RATE = 4560 ether;
    /// @notice Length of each halving period, in days.
    uint256 internal constant HALVING_PERIOD_DAYS = 1095;
    /// @notice Number of halvings after which the rate stays at its floor.
    uint256 internal constant HALVINGS_TO_FLOOR = 6;
    /// @notice First day at the floor rate (6 * 1095 = 6570).
    uint256 internal constant FLOOR_START_DAY = HALVING_PERIOD_DAYS * HALVINGS_TO_FLOOR;
    /// @notice The floor daily rate, 71.25 DG.
    uint256 internal constant FLOOR_DAILY_RATE = INITIAL_DAILY_RATE >> HALVINGS_TO_FLOOR;
    /// @notice Cumulative emission of days 0..6569, 9,830,362.5 DG.
    uint256 internal constant EMITTED_BEFORE_FLOOR =
        HALVING_PERIOD_DAYS * (2 * INITIAL_DAILY_RATE - ((2 * INITIAL_DAILY_RATE) >> HALVINGS_TO_FLOOR));

    /// @notice Days at the floor rate until the reserve is exhausted (rounded up: the last one is partial).
    uint256 internal constant FLOOR_DAYS_TO_EXHAUSTION =
        (RESERVE - EMITTED_BEFORE_FLOOR + FLOOR_DAILY_RATE - 1) / FLOOR_DAILY_RATE;
    /// @notice The last day with any emission (79126, which emits the remainder 22.5 DG).
    uint256 internal constant LAST_EMISSION_DAY = FLOOR_START_DAY + FLOOR_DAYS_TO_EXHAUSTION - 1;

    /**
     * @notice Total emission of the first `dayCount` days (days 0..dayCount-1), capped at {RESERVE}.
     * @dev Below the floor, with f full periods and r days into the next:
     *      sum = 1095 * (2R - 2R/2^f) + r * R/2^f  (geometric series, exact since f <= 6).
     */
    function emittedInDays(uint256 dayCount) internal pure returns (uint256) {
        if (dayCount <= FLOOR_START_DAY) {
            uint256 fullPeriods = dayCount / HALVING_PERIOD_DAYS;
            uint256 daysIntoPeriod = dayCount % HALVING_PERIOD_DAYS;
            return
                HALVING_PERIOD_DAYS * (2 * INITIAL_DAILY_RATE - ((2 * INITIAL_DAILY_RATE) >> fullPeriods)) +
                daysIntoPeriod * (INITIAL_DAILY_RATE >> fullPeriods);
        }
        uint256 daysAtFloor = dayCount - FLOOR_START_DAY;
        // Checked before multiplying, so an absurd dayCount cannot overflow. Below the ceiling,
        // daysAtFloor * FLOOR_DAILY_RATE < RESERVE - EMITTED_BEFORE_FLOOR by the ceiling's definition.
        if (daysAtFloor >= FLOOR_DAYS_TO_EXHAUSTION) return RESERVE;
        return EMITTED_BEFORE_FLOOR + daysAtFloor * FLOOR_DAILY_RATE;
    }

    /// @notice Emission scheduled for day `day` alone (0 after exhaustion).
    function emittedOnDay(uint256 day) internal pure returns (uint256) {
        if (day > LAST_EMISSION_DAY) return 0; // also keeps `day + 1` from overflowing
        return emittedInDays(day + 1) - emittedInDays(day);
    }
}
