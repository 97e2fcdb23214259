// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/**
 * @title BoundedDefaultAdminRules
 * @notice OpenZeppelin's {AccessControlDefaultAdminRules} with two rules added for the suite's
 * contracts (SPEC 5: "every admin delay is bounded at construction and afterwards"):
 * - the delay of a default-admin transfer never exceeds {ADMIN_DELAY_UPPER_BOUND}, neither in the
 *   constructor nor through {changeDefaultAdminDelay} (without the bound, a delay near 2^48 makes
 *   every later transfer overflow: `block.timestamp + delay` no longer fits a uint48);
 * - a role is never granted to the zero address.
 * Everything else (two-step transfers, renouncing through a scheduled transfer to zero) is
 * OpenZeppelin's audited behaviour, unchanged.
 */
abstract contract BoundedDefaultAdminRules is AccessControlDefaultAdminRules {
    /// @notice Longest delay of a default-admin transfer, at construction and afterwards, in seconds.
    uint48 public constant ADMIN_DELAY_UPPER_BOUND = 30 days;

    /// @notice The admin-transfer delay is above the maximum (seconds).
    error AdminDelayOutOfRange(uint256 adminDelay, uint256 maxDelay);
    /// @notice A role cannot be granted to the zero address.
    error RoleGrantToZeroAddress(bytes32 role);

    /**
     * @param initialDelay delay of a default-admin transfer, at most {ADMIN_DELAY_UPPER_BOUND} seconds.
     * @param initialAdmin the default admin (the inheriting contract checks it is non-zero first).
     */
    constructor(
        uint48 initialDelay,
        address initialAdmin
    ) AccessControlDefaultAdminRules(_boundedDelay(initialDelay), initialAdmin) {}

    /**
     * @notice Schedules a change of the admin-transfer delay (OpenZeppelin's rules), refusing any
     * value above {ADMIN_DELAY_UPPER_BOUND}. Default admin only.
     * @param newDelay the new delay, in seconds.
     */
    function changeDefaultAdminDelay(uint48 newDelay) public override {
        super.changeDefaultAdminDelay(_boundedDelay(newDelay));
    }

    /**
     * @notice Grants `role` to `account` (OpenZeppelin's rules), refusing the zero address.
     * @param role the role.
     * @param account the account, non-zero.
     */
    function grantRole(bytes32 role, address account) public override {
        if (account == address(0)) revert RoleGrantToZeroAddress(role);
        super.grantRole(role, account);
    }

    /// @dev Returns `delay`, or reverts if it is above the bound.
    function _boundedDelay(uint48 delay) private pure returns (uint48) {
        if (delay > ADMIN_DELAY_UPPER_BOUND) revert AdminDelayOutOfRange(delay, ADMIN_DELAY_UPPER_BOUND);
        return delay;
    }
}
