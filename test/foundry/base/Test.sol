// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {Vm, VM_ADDRESS} from "./Vm.sol";

/**
 * @title TestBase
 * @notice Cheatcodes, assertions and input shaping, for test contracts and for invariant handlers
 * alike (a handler inherits this, not {Test}, so that it exposes no test or target functions).
 *
 * Every assertion reverts with an `Error(string)` naming the values: forge reports a failed test,
 * fuzz case or invariant from that revert. (Inside an invariant *handler* a revert is only a discarded
 * call, unless `fail_on_revert` is set: check properties in `invariant_*` functions instead.)
 */
abstract contract TestBase {
    /// @notice forge's cheatcodes (see {Vm}).
    Vm internal constant vm = Vm(VM_ADDRESS);

    /// @notice Fails the current test with `reason`.
    function fail(string memory reason) internal pure {
        revert(reason);
    }

    /// @notice Fails unless `condition`.
    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) fail(string.concat(what, ": expected true"));
    }

    /// @notice Fails unless `actual == expected`.
    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) {
            fail(string.concat(what, ": ", Strings.toString(actual), " != expected ", Strings.toString(expected)));
        }
    }

    /// @notice Fails unless `actual == expected`.
    function assertEq(address actual, address expected, string memory what) internal pure {
        if (actual != expected) {
            fail(
                string.concat(what, ": ", Strings.toHexString(actual), " != expected ", Strings.toHexString(expected))
            );
        }
    }

    /// @notice Fails unless `actual == expected`.
    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        if (actual != expected) {
            fail(
                string.concat(
                    what,
                    ": ",
                    Strings.toHexString(uint256(actual), 32),
                    " != expected ",
                    Strings.toHexString(uint256(expected), 32)
                )
            );
        }
    }

    /// @notice Fails unless `actual == expected`.
    function assertEq(bool actual, bool expected, string memory what) internal pure {
        if (actual != expected) fail(string.concat(what, ": expected ", expected ? "true" : "false"));
    }

    /// @notice Fails unless `a <= b`.
    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) fail(string.concat(what, ": ", Strings.toString(a), " > ", Strings.toString(b)));
    }

    /// @notice Fails unless `a < b`.
    function assertLt(uint256 a, uint256 b, string memory what) internal pure {
        if (a >= b) fail(string.concat(what, ": ", Strings.toString(a), " >= ", Strings.toString(b)));
    }

    /// @notice Fails unless `a >= b`.
    function assertGe(uint256 a, uint256 b, string memory what) internal pure {
        if (a < b) fail(string.concat(what, ": ", Strings.toString(a), " < ", Strings.toString(b)));
    }

    /// @notice Fails unless `a > b`.
    function assertGt(uint256 a, uint256 b, string memory what) internal pure {
        if (a <= b) fail(string.concat(what, ": ", Strings.toString(a), " <= ", Strings.toString(b)));
    }

    /**
     * @notice Maps any fuzzed `x` into `[min, max]` (inclusive) without discarding the input: values
     * already in range are kept as they are, so forge's dictionary values (boundaries, constants seen
     * in the code) survive; others wrap around modulo the range's size.
     */
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) fail("bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min; // the range has size + 1 values; size + 1 overflows only for the full range
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }
}

/**
 * @title InvariantTargets
 * @notice What forge reads from an invariant test contract to pick the calls of each sequence: the
 * public getters below are called once after `setUp()`, by name, and their return types are forge's ABI
 * (`IInvariantTest` in forge's source): `FuzzSelector` must stay `(address addr, bytes4[] selectors)`.
 * An empty list means "no restriction": then forge calls every contract created in `setUp()` (test
 * contract excluded) from random senders. Register targets in `setUp()` with the internal functions.
 */
abstract contract InvariantTargets {
    /// @notice A contract and the functions of it that forge may call (or must not, for exclusions).
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    address[] private _excludedContracts;
    address[] private _targetedSenders;
    address[] private _excludedSenders;
    FuzzSelector[] private _targetedSelectors;
    FuzzSelector[] private _excludedSelectors;

    /// @notice Contracts forge calls (all their non-view functions unless {targetSelectors} narrows them).
    function targetContracts() public view returns (address[] memory targetedContracts) {
        return _targetedContracts;
    }

    /// @notice Exactly which functions forge calls, per contract.
    function targetSelectors() public view returns (FuzzSelector[] memory targetedSelectors) {
        return _targetedSelectors;
    }

    /// @notice The only `msg.sender`s forge uses (random addresses when empty).
    function targetSenders() public view returns (address[] memory targetedSenders) {
        return _targetedSenders;
    }

    /// @notice Contracts forge never calls.
    function excludeContracts() public view returns (address[] memory excludedContracts) {
        return _excludedContracts;
    }

    /// @notice Functions forge never calls.
    function excludeSelectors() public view returns (FuzzSelector[] memory excludedSelectors) {
        return _excludedSelectors;
    }

    /// @notice Senders forge never uses.
    function excludeSenders() public view returns (address[] memory excludedSenders) {
        return _excludedSenders;
    }

    /// @notice Adds `target` to the contracts forge calls.
    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    /// @notice Restricts the calls to `target` to `selectors` (also makes `target` a target).
    function targetSelector(address target, bytes4[] memory selectors) internal {
        _targetedSelectors.push(FuzzSelector({addr: target, selectors: selectors}));
    }

    /// @notice Adds `sender` to the senders forge uses.
    function targetSender(address sender) internal {
        _targetedSenders.push(sender);
    }

    /// @notice Forge never calls `target`.
    function excludeContract(address target) internal {
        _excludedContracts.push(target);
    }

    /// @notice Forge never calls `selectors` on `target`.
    function excludeSelector(address target, bytes4[] memory selectors) internal {
        _excludedSelectors.push(FuzzSelector({addr: target, selectors: selectors}));
    }

    /// @notice Forge never uses `sender`.
    function excludeSender(address sender) internal {
        _excludedSenders.push(sender);
    }
}

/**
 * @title Test
 * @notice Base of every forge test contract here: `setUp()` (optional) runs before each test;
 * `test*` functions are unit tests, `testFuzz*` functions with arguments are property tests (forge
 * draws the arguments, `[fuzz] runs` times), `invariant_*` functions are checked after every call of
 * each invariant sequence (see {InvariantTargets}).
 */
abstract contract Test is TestBase, InvariantTargets {
    /// @notice Marks a test contract (the DSTest convention forge recognizes).
    bool public constant IS_TEST = true;
}
