// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IMiningReservation} from "../interfaces/IMiningReservation.sol";
import {HalvingSchedule} from "../libraries/HalvingSchedule.sol";

/**
 * @title MiningReservation
 * @notice Holds 15,000,000 DG and releases them on the halving schedule of {HalvingSchedule} to
 * the beneficiary (the compute-rewards distributor), burning `burnBps` of each release.
 *
 * Invariants:
 * - `emitted == released + burned by this contract <= HalvingSchedule.RESERVE`, and after any
 *   `release()` at time t, `emitted == emittedBy(t)`: the schedule is followed exactly, whatever the
 *   gaps between calls (no drift, no loop).
 * - The reserve's accounting is `RESERVE - emitted` and never reads `balanceOf(this)`: DG sent here
 *   by mistake neither accelerate nor block the release (they can be recovered by the owner).
 * - `burnBps` changes only through the InflationVote contract, and a change first settles what is due
 *   at the old rate, so a vote never reaches back in time.
 */
contract MiningReservation is IMiningReservation, Ownable2Step {
    using SafeERC20 for IERC20;

    /// @notice DG released over the schedule's lifetime, 15,000,000 DG.
    uint256 public constant RESERVE = HalvingSchedule.RESERVE;
    /// @notice Basis-point denominator: 10,000 = 100%.
    uint256 public constant BPS_DENOMINATOR = 10_000;
    /// @notice Length of a schedule day in seconds.
    uint256 public constant SECONDS_PER_DAY = 1 days;

    /// @notice The DG token.
    ERC20Burnable public immutable token;
    /// @notice Start of day 0 (unix seconds); mainnet: 1711922400 (2024-04-01 00:00 CEST).
    uint256 public immutable start;

    /// @notice Receiver of the released DG (set once).
    address public beneficiary;
    /// @notice Share of each release that is burned, in basis points.
    uint16 public burnBps;
    /// @notice Whether the 15,000,000 DG have been deposited.
    bool public funded;
    /// @notice The only contract that may change `burnBps` (set once).
    address public inflationVote;
    // Both fit in 128 bits (<= 15,000,000e18 < 2^84) and share one slot: one SSTORE per release.
    /// @notice Total settled so far: sent to the beneficiary plus burned.
    uint128 public emitted;
    /// @notice Total burned by this contract so far.
    uint128 public totalBurned;

    /**
     * @param token_ the DG token.
     * @param start_ start of day 0, unix seconds.
     * @param initialBurnBps the burn rate until a vote changes it (0..10,000).
     * @param initialOwner may set the beneficiary and the vote contract once, and recover stray DG.
     */
    constructor(address token_, uint256 start_, uint256 initialBurnBps, address initialOwner) Ownable(initialOwner) {
        if (token_ == address(0)) revert MiningReservationZeroAddress();
        if (initialBurnBps > BPS_DENOMINATOR) {
            revert MiningReservationBurnBpsOutOfRange(initialBurnBps, BPS_DENOMINATOR);
        }
        token = ERC20Burnable(token_);
        start = start_;
        burnBps = uint16(initialBurnBps);
    }

    /* ===================== RELEASE ===================== */

    /// @inheritdoc IMiningReservation
    function release() external returns (uint256 toBeneficiary, uint256 burned) {
        return _release();
    }

    /// @inheritdoc IMiningReservation
    function setBurnBps(uint256 newBurnBps) external {
        if (msg.sender != inflationVote) revert MiningReservationUnauthorized(msg.sender);
        if (newBurnBps > BPS_DENOMINATOR) revert MiningReservationBurnBpsOutOfRange(newBurnBps, BPS_DENOMINATOR);
        _release();
        emit BurnBpsChanged(burnBps, newBurnBps);
        burnBps = uint16(newBurnBps);
    }

    /* ===================== SET-UP ===================== */

    /// @inheritdoc IMiningReservation
    function fund() external {
        if (funded) revert MiningReservationAlreadyFunded();
        funded = true;
        emit Funded(msg.sender, RESERVE);
        IERC20(address(token)).safeTransferFrom(msg.sender, address(this), RESERVE);
    }

    /// @inheritdoc IMiningReservation
    function setBeneficiary(address beneficiary_) external onlyOwner {
        if (beneficiary_ == address(0)) revert MiningReservationZeroAddress();
        if (beneficiary != address(0)) revert MiningReservationBeneficiaryAlreadySet(beneficiary);
        beneficiary = beneficiary_;
        emit BeneficiarySet(beneficiary_);
    }

    /// @inheritdoc IMiningReservation
    function setInflationVote(address inflationVote_) external onlyOwner {
        if (inflationVote_ == address(0)) revert MiningReservationZeroAddress();
        if (inflationVote != address(0)) revert MiningReservationInflationVoteAlreadySet(inflationVote);
        inflationVote = inflationVote_;
        emit InflationVoteSet(inflationVote_);
    }

    /// @inheritdoc IMiningReservation
    function recoverStrayTokens(address to) external onlyOwner {
        if (to == address(0)) revert MiningReservationZeroAddress();
        uint256 owed = funded ? RESERVE - emitted : 0;
        uint256 balance = token.balanceOf(address(this));
        if (balance <= owed) revert MiningReservationNothingToRecover();
        uint256 stray = balance - owed;
        emit StrayTokensRecovered(to, stray);
        IERC20(address(token)).safeTransfer(to, stray);
    }

    /* ===================== VIEWS ===================== */

    /// @inheritdoc IMiningReservation
    function totalReleased() external view returns (uint256) {
        return emitted - totalBurned;
    }

    /// @inheritdoc IMiningReservation
    function releasable() external view returns (uint256) {
        return emittedBy(block.timestamp) - emitted;
    }

    /// @inheritdoc IMiningReservation
    function dailyRate(uint256 day) external pure returns (uint256) {
        return HalvingSchedule.emittedOnDay(day);
    }

    /// @inheritdoc IMiningReservation
    function emittedBy(uint256 timestamp) public view returns (uint256) {
        if (timestamp < start) return 0;
        return HalvingSchedule.emittedInDays((timestamp - start) / SECONDS_PER_DAY + 1);
    }

    /* ===================== INTERNAL ===================== */

    /// @dev Settles `emittedBy(now) - emitted`; burn share rounds down, the beneficiary gets the rest.
    function _release() private returns (uint256 toBeneficiary, uint256 burned) {
        address receiver = beneficiary;
        if (!funded || receiver == address(0)) revert MiningReservationNotReady(funded, receiver);
        uint256 alreadyEmitted = emitted;
        uint256 due = emittedBy(block.timestamp) - alreadyEmitted;
        if (due == 0) return (0, 0);
        uint256 rate = burnBps;
        burned = Math.mulDiv(due, rate, BPS_DENOMINATOR); // rounds down
        // Cannot underflow: burned <= due because rate <= BPS_DENOMINATOR.
        unchecked {
            toBeneficiary = due - burned;
        }
        uint256 newEmitted = alreadyEmitted + due;
        // Safe casts: newEmitted <= RESERVE < 2^128 and totalBurned <= emitted.
        emitted = uint128(newEmitted);
        totalBurned += uint128(burned);
        if (toBeneficiary != 0) IERC20(address(token)).safeTransfer(receiver, toBeneficiary);
        if (burned != 0) token.burn(burned);
        emit Released(toBeneficiary, burned, rate, newEmitted);
    }
}
