// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VM_ADDRESS} from "../base/Vm.sol";

/**
 * @title VmExtra
 * @notice Cheatcodes the whole-suite invariant test uses beyond {Vm} (forge 1.7.1 signatures), kept apart
 * from the shared base so that this suite adds nothing to it.
 */
interface VmExtra {
    /// @notice Takes a snapshot of the whole state (block environment included); returns its id.
    function snapshotState() external returns (uint256 snapshotId);

    /// @notice Restores the state (and block number / timestamp) of snapshot `snapshotId`.
    function revertToState(uint256 snapshotId) external returns (bool success);

    /// @notice Forgets snapshot `snapshotId`.
    function deleteState(uint256 snapshotId) external returns (bool success);

    /// @notice Sets the hash `blockhash(blockNumber)` returns.
    function setBlockhash(uint256 blockNumber, bytes32 blockHash) external;

    /// @notice The current `block.number` as forge sees it.
    function getBlockNumber() external view returns (uint256 height);

    /// @notice Reads a boolean environment variable, or `defaultValue` when unset.
    function envOr(string calldata name, bool defaultValue) external view returns (bool value);

    /// @notice Marks the current test skipped when `skipTest`.
    function skip(bool skipTest) external;
}

VmExtra constant vmx = VmExtra(VM_ADDRESS);
