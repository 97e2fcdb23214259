// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {DataGen} from "../../../contracts/token/DataGen.sol";
import {MiningReservation} from "../../../contracts/emission/MiningReservation.sol";
import {ValidatorStaking} from "../../../contracts/staking/ValidatorStaking.sol";
import {IValidatorStaking} from "../../../contracts/interfaces/IValidatorStaking.sol";
import {TestBase} from "../base/Test.sol";
import {vmx} from "./VmExtra.sol";

/**
 * @title SuiteModel
 * @notice The ghost state shared by the whole-suite handlers: the actors (keyed accounts), an independent
 * model of every validator's escrow record (status, active, unbonding, cooldown end, faults, open
 * exposures, admission, and what it is owed: staked - withdrawn - slashed), a model of the active set
 * (swap-and-pop, as the SPEC's history must replay it) and of the set as of the previous block (what a
 * check opened now draws from), DG burned outside the reservation, and the first broken expectation.
 *
 * Block numbers only move through {rollBlocks} (so the previous block's set is known) and time only moves
 * forward through {advance}/{warpTo}. Not a fuzz target: only the handlers call it.
 */
contract SuiteModel is TestBase {
    using Math for uint256;

    uint256 public constant ACTORS = 12;
    uint256 private constant FIRST_KEY = 0xA11CE0;
    /// @dev log2 of the longest single time jump: 2^31 s is about 68 years.
    uint256 private constant MAX_GAP_LOG2 = 31;

    /// @notice One validator as the SPEC says the escrow must hold it.
    struct V {
        IValidatorStaking.Status status;
        uint256 active;
        uint256 unbonding;
        uint256 unbondingEnd;
        uint256 faults;
        uint256 openExposures;
        uint256 staked;
        uint256 withdrawn;
        uint256 slashed;
        uint256 admittedAt;
        uint256 leftAt;
    }

    DataGen public immutable token;
    MiningReservation public immutable reservation;
    ValidatorStaking public immutable staking;
    uint256 public immutable minStake;
    uint256 public immutable cooldown;
    uint256 public immutable faultLimit;
    uint256 public immutable slashRewardBps;

    /// @notice Keyed accounts: holders, validators, Sybils, users (index-aligned with {keys}).
    address[] public actors;
    uint256[] public keys;
    /// @notice Every account that can ever hold DG (actors, deployer, the suite's contracts).
    address[] public dgAccounts;

    mapping(address validator => V) private _v;
    /// @notice The model of the live active set, in the escrow's index order.
    address[] private _set;
    mapping(address validator => uint256 slot) private _slot; // index + 1, 0 = not in the set
    /// @notice The set at the end of the previous block (what `open` in this block draws from).
    address[] private _prevSet;

    /// @notice DG burned by holders, by slashes and as reward dust (the reservation's burns are its own).
    uint256 public ghostBurned;
    /// @notice `emitted` and `emittedBy(now)` right after the latest settlement of the reservation.
    uint256 public lastReleaseEmitted;
    uint256 public lastReleaseSchedule;
    /// @notice The latest timestamp set by a time jump (the clock never falls back below it).
    uint256 public lastWarp;
    /// @notice The first broken expectation (empty while none).
    string public violation;
    /// @notice Calls per action, for the report.
    mapping(bytes32 action => uint256 count) public calls;

    constructor(DataGen token_, MiningReservation reservation_, ValidatorStaking staking_, address[] memory holders) {
        token = token_;
        reservation = reservation_;
        staking = staking_;
        minStake = staking_.minStake();
        cooldown = staking_.cooldown();
        faultLimit = staking_.faultLimit();
        slashRewardBps = staking_.slashRewardBps();
        for (uint256 i = 0; i < ACTORS; ++i) {
            uint256 key = FIRST_KEY + i;
            keys.push(key);
            actors.push(vm.addr(key));
            dgAccounts.push(vm.addr(key));
        }
        for (uint256 i = 0; i < holders.length; ++i) dgAccounts.push(holders[i]);
    }

    /* ----- reads ----- */

    function v(address validator) external view returns (V memory) {
        return _v[validator];
    }

    function owed(address validator) public view returns (uint256) {
        return _v[validator].active + _v[validator].unbonding;
    }

    function actorCount() external pure returns (uint256) {
        return ACTORS;
    }

    function dgAccountCount() external view returns (uint256) {
        return dgAccounts.length;
    }

    function actor(uint256 seed) external view returns (address) {
        return actors[seed % ACTORS];
    }

    function keyOf(address account) external view returns (uint256) {
        for (uint256 i = 0; i < ACTORS; ++i) if (actors[i] == account) return keys[i];
        return 0;
    }

    function set() external view returns (address[] memory) {
        return _set;
    }

    function prevSet() external view returns (address[] memory) {
        return _prevSet;
    }

    function inSet(address validator) external view returns (bool) {
        return _slot[validator] != 0;
    }

    function now_() public view returns (uint256) {
        return vm.getBlockTimestamp();
    }

    function blockNumber() public view returns (uint256) {
        return vmx.getBlockNumber();
    }

    /* ----- time and blocks ----- */

    /// @notice A jump drawn log-uniformly over 0 s .. 2^31 s, then `vm.warp`.
    function advance(uint256 gapSeed) external {
        uint256 log2 = gapSeed % (MAX_GAP_LOG2 + 1);
        uint256 gap = bound(gapSeed >> 8, 0, (uint256(1) << log2) - 1);
        warpTo(now_() + gap);
    }

    /// @notice Moves the clock to `t` if that is later.
    function warpTo(uint256 t) public {
        if (t <= now_()) return;
        lastWarp = t;
        vm.warp(t);
    }

    /// @notice Mines `n` blocks: the set as of the end of the new block's predecessor is the current one.
    function rollBlocks(uint256 n) public {
        if (n == 0) return;
        delete _prevSet;
        for (uint256 i = 0; i < _set.length; ++i) _prevSet.push(_set[i]);
        vm.roll(blockNumber() + n);
    }

    /* ----- bookkeeping ----- */

    function check(bool condition, string memory what) public {
        if (!condition && bytes(violation).length == 0) violation = what;
    }

    function count(bytes32 action) external {
        ++calls[action];
    }

    function addBurned(uint256 amount) external {
        ghostBurned += amount;
    }

    /// @notice Records the reservation's position right after a settlement (a release or a posting).
    function recordRelease() external {
        lastReleaseEmitted = reservation.emitted();
        lastReleaseSchedule = reservation.emittedBy(now_());
    }

    /* ----- the escrow, as the SPEC says it behaves ----- */

    function onStake(address validator, uint256 amount) external {
        V storage r = _v[validator];
        if (r.status == IValidatorStaking.Status.None) {
            r.status = IValidatorStaking.Status.Active;
            r.admittedAt = now_();
            r.leftAt = 0;
            _set.push(validator);
            _slot[validator] = _set.length;
        }
        r.active += amount;
        r.staked += amount;
    }

    function onUnbond(address validator, uint256 amount) external {
        V storage r = _v[validator];
        r.active -= amount;
        r.unbonding += amount;
        r.unbondingEnd = now_() + cooldown;
        if (r.active == 0) {
            r.status = IValidatorStaking.Status.CoolingDown;
            _leave(validator, r);
        }
    }

    function onWithdraw(address validator, uint256 amount) external {
        V storage r = _v[validator];
        r.withdrawn += amount;
        r.unbonding = 0;
        r.unbondingEnd = 0;
        if (r.status == IValidatorStaking.Status.CoolingDown) r.status = IValidatorStaking.Status.None;
    }

    function onExposure(address validator, bool opened) external {
        if (opened) ++_v[validator].openExposures;
        else --_v[validator].openExposures;
    }

    /**
     * @notice One proven fault under a check whose exposure cap was `cap`: `slashBps` of the cap, at most
     * the stake left, active first; the fault counts; expulsion at the fault limit or below the minimum.
     * @return slashed DG taken, rewarded DG paid to the slasher (the rest is burned here).
     */
    function slash(
        address validator,
        uint256 cap,
        uint256 slashBps
    ) external returns (uint256 slashed, uint256 rewarded) {
        uint256 amount = cap.mulDiv(slashBps, 10_000);
        if (amount == 0) return (0, 0);
        V storage r = _v[validator];
        slashed = Math.min(amount, r.active + r.unbonding);
        uint256 fromActive = Math.min(slashed, r.active);
        r.active -= fromActive;
        r.unbonding -= slashed - fromActive;
        r.slashed += slashed;
        r.faults += 1;
        rewarded = slashed.mulDiv(slashRewardBps, 10_000);
        ghostBurned += slashed - rewarded;
        bool active = r.status == IValidatorStaking.Status.Active;
        if (
            r.status != IValidatorStaking.Status.Expelled && (r.faults >= faultLimit || (active && r.active < minStake))
        ) {
            if (active) {
                _leave(validator, r);
                if (r.active != 0) {
                    r.unbonding += r.active;
                    r.active = 0;
                    r.unbondingEnd = now_() + cooldown;
                }
            }
            r.status = IValidatorStaking.Status.Expelled;
        }
    }

    /// @dev Swap-and-pop, as the escrow's set (the history must replay exactly this order).
    function _leave(address validator, V storage r) private {
        uint256 index = _slot[validator] - 1;
        uint256 last = _set.length - 1;
        if (index != last) {
            address moved = _set[last];
            _set[index] = moved;
            _slot[moved] = index + 1;
        }
        _set.pop();
        _slot[validator] = 0;
        r.leftAt = now_();
    }
}
