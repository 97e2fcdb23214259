// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMiningReservation} from "../interfaces/IMiningReservation.sol";

/**
 * @title ReleaseGasProbe (test and benchmark only; never deployed by the production modules)
 * @notice Measures the execution gas of `release()` with `gasleft()` around the call. Unlike a
 * receipt's `gasUsed`, this excludes the end-of-transaction storage refunds: the call that exhausts
 * the reserve zeroes the reservation's token balance and earns a 4,800 gas refund, which would hide
 * whether the schedule's computation itself stays flat from day 1 to day 80,000.
 */
contract ReleaseGasProbe {
    /// @notice Emitted with the gas `release()` consumed inside this call.
    event Measured(uint256 gasUsed, uint256 toBeneficiary, uint256 burned);

    /// @notice Calls `reservation.release()` and emits the gas it used.
    /// @param reservation the MiningReservation to call.
    /// @return gasUsed execution gas of the call, storage refunds not deducted.
    function measureRelease(IMiningReservation reservation) external returns (uint256 gasUsed) {
        uint256 before = gasleft();
        (uint256 toBeneficiary, uint256 burned) = reservation.release();
        gasUsed = before - gasleft();
        emit Measured(gasUsed, toBeneficiary, burned);
    }
}
