// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title Vm
 * @notice The subset of forge's cheatcodes these suites use, declared by hand (forge-std is not a
 * dependency). Forge serves them at {VM_ADDRESS}; each signature below must match forge's exactly,
 * since the call is dispatched by selector. Add a cheatcode by adding its exact forge signature.
 */
interface Vm {
    /* ----- block environment ----- */

    /// @notice Sets `block.timestamp` for the following calls (persists across invariant calls).
    function warp(uint256 newTimestamp) external;

    /// @notice Sets `block.number`.
    function roll(uint256 newHeight) external;

    /// @notice The current `block.timestamp` as forge sees it (not folded by the optimizer into a
    /// value read before a `warp` in the same function, as `block.timestamp` can be under via-IR).
    function getBlockTimestamp() external view returns (uint256 timestamp);

    /* ----- callers ----- */

    /// @notice The next call (only) is made with `msg.sender == msgSender`.
    function prank(address msgSender) external;

    /// @notice Every following call is made with `msg.sender == msgSender` until {stopPrank}.
    function startPrank(address msgSender) external;

    /// @notice Ends a {startPrank}.
    function stopPrank() external;

    /// @notice Sets the native (BNB/ETH) balance of `account`. Not for ERC-20 balances.
    function deal(address account, uint256 newBalance) external;

    /* ----- expectations ----- */

    /// @notice The next call must revert, with any data.
    function expectRevert() external;

    /// @notice The next call must revert with exactly this 4-byte custom error (no arguments).
    function expectRevert(bytes4 revertData) external;

    /// @notice The next call must revert with exactly these bytes (e.g. `abi.encodeWithSelector(...)`).
    function expectRevert(bytes calldata revertData) external;

    /// @notice Discards the current fuzz input (or invariant call) when `condition` is false; too many
    /// discards fail the test (`max_test_rejects`), so prefer {Test.bound} for ranges.
    function assume(bool condition) external pure;

    /* ----- keys and signatures ----- */

    /// @notice The address of the secp256k1 private key `privateKey`.
    function addr(uint256 privateKey) external pure returns (address keyAddr);

    /// @notice Signs `digest` with `privateKey`: an ECDSA signature in (v, r, s) form, v in {27, 28}.
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);

    /* ----- storage and labels ----- */

    /// @notice Reads storage slot `slot` of `target`.
    function load(address target, bytes32 slot) external view returns (bytes32 data);

    /// @notice Writes storage slot `slot` of `target`.
    function store(address target, bytes32 slot, bytes32 value) external;

    /// @notice Names `account` in traces and failure reports.
    function label(address account, string calldata newLabel) external;
}

/// @dev Where forge serves the cheatcodes: `address(uint160(uint256(keccak256("hevm cheat code"))))`.
address constant VM_ADDRESS = 0x7109709ECfa91a80626fF3989D68f67F5b1DD12D;
