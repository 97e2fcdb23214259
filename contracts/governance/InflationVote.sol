// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IInflationVote} from "../interfaces/IInflationVote.sol";
import {IMiningReservation} from "../interfaces/IMiningReservation.sol";

/**
 * @title InflationVote
 * @notice Token holders cut inflation: a proposal whose pool reaches POOL_TARGET opens a vote on the
 * reservation's `burnBps`; holders lock DG to vote; a passed vote sets the new rate.
 *
 * Invariants:
 * - `DG.balanceOf(this) == Σ over proposals and accounts of (backed + locked)`: every DG here is
 *   owed to the account that brought it, and each withdraws its own (no loop over voters).
 * - `forVotes + againstVotes` of a proposal == Σ locked in it: a locked DG cannot move, so it counts
 *   once (no double voting by transfer, no flash-loan votes). Pooled DG never count as votes.
 * - At most one proposal is `Voting` at any time (`activeProposal`); full pools wait in FIFO order.
 * - A proposal passes only if forVotes > againstVotes and forVotes >= the quorum fixed at opening;
 *   against votes can never help it pass.
 * - A vote's end never passes `votingStart + MAX_VOTING_DURATION`.
 */
contract InflationVote is IInflationVote {
    using SafeERC20 for IERC20;

    /// @notice DG to pool before a vote opens, 100,000 DG.
    uint256 public constant POOL_TARGET = 100_000 ether;
    /// @notice Minimum first lock of a voter, 20 DG.
    uint256 public constant MIN_VOTE_LOCK = 20 ether;
    /// @notice Shortest vote a proposal may ask for.
    uint256 public constant MIN_VOTING_DURATION = 7 days;
    /// @notice Longest vote, quiet-ending extensions included.
    uint256 public constant MAX_VOTING_DURATION = 30 days;
    /// @notice Time a new proposal has to fill its pool before it expires.
    uint256 public constant POOLING_WINDOW = 30 days;
    /// @notice A change of the leading side this close to the end extends the vote.
    uint256 public constant QUIET_ENDING_WINDOW = 12 hours;
    /// @notice The vote then ends no earlier than this long after the change (capped by the maximum).
    uint256 public constant QUIET_ENDING_EXTENSION = 12 hours;
    /// @notice Basis-point denominator: 10,000 = 100%.
    uint256 public constant BPS_DENOMINATOR = 10_000;
    /// @notice Highest quorum the constructor accepts, 20% of the supply.
    uint256 public constant MAX_QUORUM_BPS = 2_000;

    /// @notice The DG token.
    IERC20 public immutable token;
    /// @notice The reservation whose burn rate a passed vote sets.
    IMiningReservation public immutable reservation;
    /// @notice Quorum of for-votes, as a share of the DG total supply at the moment a vote opens.
    uint256 public immutable quorumBps;

    /// @notice Number of proposals created (ids are 1..proposalCount).
    uint256 public proposalCount;
    /// @notice The proposal whose vote is running or awaiting settlement (0 if none).
    uint256 public activeProposal;
    /// @dev FIFO queue of full proposals: ids at [queueHead, queueTail).
    uint256 private _queueHead;
    uint256 private _queueTail;
    mapping(uint256 index => uint256 proposalId) private _queue;

    mapping(uint256 proposalId => Proposal) private _proposals;
    mapping(uint256 proposalId => mapping(address account => Position)) private _positions;

    /**
     * @param token_ the DG token.
     * @param reservation_ the MiningReservation (this contract must be set as its `inflationVote`).
     * @param quorumBps_ quorum as a share of total supply, in (0, MAX_QUORUM_BPS] basis points.
     */
    constructor(address token_, address reservation_, uint256 quorumBps_) {
        if (token_ == address(0) || reservation_ == address(0)) revert InflationVoteZeroAddress();
        if (quorumBps_ == 0 || quorumBps_ > MAX_QUORUM_BPS) {
            revert InflationVoteQuorumOutOfRange(quorumBps_, MAX_QUORUM_BPS);
        }
        token = IERC20(token_);
        reservation = IMiningReservation(reservation_);
        quorumBps = quorumBps_;
    }

    /* ===================== POOLING ===================== */

    /// @inheritdoc IInflationVote
    function propose(uint256 targetBurnBps, uint256 votingDuration) external returns (uint256 proposalId) {
        if (targetBurnBps > BPS_DENOMINATOR) revert InflationVoteBurnBpsOutOfRange(targetBurnBps, BPS_DENOMINATOR);
        if (targetBurnBps == reservation.burnBps()) revert InflationVoteBurnBpsUnchanged(targetBurnBps);
        if (votingDuration < MIN_VOTING_DURATION || votingDuration > MAX_VOTING_DURATION) {
            revert InflationVoteDurationOutOfRange(votingDuration, MIN_VOTING_DURATION, MAX_VOTING_DURATION);
        }
        proposalId = ++proposalCount;
        uint256 poolDeadline = block.timestamp + POOLING_WINDOW;
        Proposal storage p = _proposals[proposalId];
        p.proposer = msg.sender;
        p.targetBurnBps = uint16(targetBurnBps); // <= 10,000
        p.votingDuration = uint32(votingDuration); // <= 30 days
        p.status = Status.Pooling;
        p.poolDeadline = uint64(poolDeadline);
        emit ProposalCreated(proposalId, msg.sender, targetBurnBps, votingDuration, poolDeadline);
    }

    /// @inheritdoc IInflationVote
    function back(uint256 proposalId, uint256 amount) external returns (uint256 accepted) {
        if (amount == 0) revert InflationVoteZeroAmount();
        Proposal storage p = _requireStatus(proposalId, Status.Pooling);
        accepted = _pull(Math.min(amount, POOL_TARGET - p.pooled));
        // Casts: accepted <= POOL_TARGET - pooled, so pooled stays <= POOL_TARGET.
        uint256 pooled = p.pooled + accepted;
        p.pooled = uint128(pooled);
        _positions[proposalId][msg.sender].backed += uint128(accepted);
        emit Backed(proposalId, msg.sender, accepted, pooled);
        if (pooled == POOL_TARGET) {
            if (activeProposal == 0) {
                _openVoting(proposalId, p);
            } else {
                p.status = Status.Queued;
                uint256 tail = _queueTail;
                _queue[tail] = proposalId;
                _queueTail = tail + 1;
                emit ProposalQueued(proposalId, tail - _queueHead);
            }
        }
    }

    /// @inheritdoc IInflationVote
    function withdrawBacking(uint256 proposalId, uint256 amount) external {
        if (amount == 0) revert InflationVoteZeroAmount();
        Proposal storage p = _requireStatus(proposalId, Status.Pooling);
        Position storage position = _positions[proposalId][msg.sender];
        uint256 backed = position.backed;
        if (amount > backed) revert InflationVoteInsufficientBacking(proposalId, msg.sender, backed, amount);
        // Cannot underflow: amount <= backed <= pooled.
        unchecked {
            position.backed = uint128(backed - amount);
            p.pooled -= uint128(amount);
        }
        emit BackingWithdrawn(proposalId, msg.sender, amount, p.pooled);
        token.safeTransfer(msg.sender, amount);
    }

    /* ===================== VOTING ===================== */

    /// @inheritdoc IInflationVote
    function vote(uint256 proposalId, bool support, uint256 amount) external {
        if (amount == 0) revert InflationVoteZeroAmount();
        Proposal storage p = _requireStatus(proposalId, Status.Voting);
        if (block.timestamp >= p.votingEnd) revert InflationVoteVotingClosed(proposalId, p.votingEnd);
        Position storage position = _positions[proposalId][msg.sender];
        Side side = support ? Side.For : Side.Against;
        if (position.side == Side.None) {
            if (amount < MIN_VOTE_LOCK) revert InflationVoteBelowMinimumLock(amount, MIN_VOTE_LOCK);
            position.side = side;
        } else if (position.side != side) {
            revert InflationVoteCannotSwitchSide(proposalId, msg.sender, position.side);
        }
        // DG takes no transfer fee, so `received == amount`; the weight is still what arrived.
        uint256 received = _pull(amount);
        // Casts: every amount is bounded by the DG total supply (3e25 < 2^112).
        position.locked += uint112(received);

        bool passingBefore = _passing(p);
        bool forLedBefore = p.forVotes > p.againstVotes;
        if (support) p.forVotes += uint128(received);
        else p.againstVotes += uint128(received);
        emit VoteCast(proposalId, msg.sender, support, received, p.forVotes, p.againstVotes);

        if (forLedBefore != (p.forVotes > p.againstVotes) || passingBefore != _passing(p)) {
            _quietEnding(proposalId, p);
        }
    }

    /// @inheritdoc IInflationVote
    function settle(uint256 proposalId) external {
        Proposal storage p = _requireStatus(proposalId, Status.Voting);
        if (block.timestamp < p.votingEnd) revert InflationVoteVotingNotEnded(proposalId, p.votingEnd);
        bool passed = _passing(p);
        p.status = passed ? Status.Passed : Status.Failed;
        activeProposal = 0;
        emit ProposalSettled(proposalId, passed, p.forVotes, p.againstVotes);
        // The reservation is a trusted contract fixed at construction; it settles the old rate first.
        if (passed) reservation.setBurnBps(p.targetBurnBps);

        uint256 head = _queueHead;
        if (head != _queueTail) {
            uint256 nextId = _queue[head];
            delete _queue[head];
            _queueHead = head + 1;
            _openVoting(nextId, _proposals[nextId]);
        }
    }

    /* ===================== WITHDRAWAL ===================== */

    /// @inheritdoc IInflationVote
    function withdraw(uint256 proposalId) external returns (uint256 amount) {
        Status status = statusOf(proposalId);
        if (status != Status.Passed && status != Status.Failed && status != Status.Expired) {
            revert InflationVoteWrongStatus(proposalId, status);
        }
        Position storage position = _positions[proposalId][msg.sender];
        amount = uint256(position.backed) + position.locked;
        if (amount == 0) revert InflationVoteNothingToWithdraw(proposalId, msg.sender);
        position.backed = 0;
        position.locked = 0;
        emit Withdrawn(proposalId, msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /* ===================== VIEWS ===================== */

    /// @inheritdoc IInflationVote
    function getProposal(uint256 proposalId) external view returns (Proposal memory) {
        _requireExists(proposalId);
        return _proposals[proposalId];
    }

    /// @inheritdoc IInflationVote
    function positionOf(uint256 proposalId, address account) external view returns (Position memory) {
        return _positions[proposalId][account];
    }

    /// @inheritdoc IInflationVote
    function queueLength() external view returns (uint256) {
        return _queueTail - _queueHead;
    }

    /// @inheritdoc IInflationVote
    function queuedAt(uint256 index) external view returns (uint256) {
        uint256 length = _queueTail - _queueHead;
        if (index >= length) revert InflationVoteQueueIndexOutOfRange(index, length);
        return _queue[_queueHead + index];
    }

    /// @inheritdoc IInflationVote
    function statusOf(uint256 proposalId) public view returns (Status) {
        _requireExists(proposalId);
        Proposal storage p = _proposals[proposalId];
        if (p.status == Status.Pooling && block.timestamp >= p.poolDeadline) return Status.Expired;
        return p.status;
    }

    /* ===================== INTERNAL ===================== */

    /// @dev Transfers `amount` from the caller and returns what actually arrived (never trusts `amount`).
    function _pull(uint256 amount) private returns (uint256 received) {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        received = token.balanceOf(address(this)) - before;
        if (received == 0) revert InflationVoteZeroAmount();
    }

    function _openVoting(uint256 proposalId, Proposal storage p) private {
        uint256 votingEnd = block.timestamp + p.votingDuration;
        // Rounded up, so the quorum is never below quorumBps of the supply.
        uint256 quorum = Math.mulDiv(token.totalSupply(), quorumBps, BPS_DENOMINATOR, Math.Rounding.Ceil);
        p.status = Status.Voting;
        p.votingStart = uint64(block.timestamp);
        p.votingEnd = uint64(votingEnd);
        p.quorum = uint128(quorum);
        activeProposal = proposalId;
        emit VotingOpened(proposalId, block.timestamp, votingEnd, quorum);
    }

    /// @dev A change of the leading side within QUIET_ENDING_WINDOW of the end moves the end to
    /// `now + QUIET_ENDING_EXTENSION`, never past `votingStart + MAX_VOTING_DURATION`.
    function _quietEnding(uint256 proposalId, Proposal storage p) private {
        uint256 votingEnd = p.votingEnd;
        if (block.timestamp + QUIET_ENDING_WINDOW < votingEnd) return;
        uint256 newEnd = Math.min(block.timestamp + QUIET_ENDING_EXTENSION, p.votingStart + MAX_VOTING_DURATION);
        if (newEnd <= votingEnd) return;
        p.votingEnd = uint64(newEnd);
        emit VotingExtended(proposalId, newEnd);
    }
    function _requireExists(uint256 proposalId) private view {
        if (proposalId == 0 || proposalId > proposalCount) revert InflationVoteUnknownProposal(proposalId);
    }

    function _requireStatus(uint256 proposalId, Status expected) private view returns (Proposal storage p) {
        Status status = statusOf(proposalId);
        if (status != expected) revert InflationVoteWrongStatus(proposalId, status);
        return _proposals[proposalId];
    }

    function _passing(Proposal storage p) private view returns (bool) {
        return p.forVotes > p.againstVotes && p.forVotes >= p.quorum;
    }
}
