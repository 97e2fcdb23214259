// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IInflationVote} from "../interfaces/IInflationVote.sol";
import {IMiningReservation} from "../interfaces/IMiningReservation.sol";

/**
 * @title InflationVote
 * @notice Token holders cut inflation: a proposal whose pool reaches POOL_TARGET opens a vote on the
 * reservation's `burnBps`; holders lock DG to vote; a passed vote sets the new rate.
 *
 * Proposing costs a deposit (`proposalDeposit`, as received). It is returned to the proposer by
 * {withdraw} when the pool expires unfilled or when the vote's participation (for + against) reaches
 * the quorum; it is burned at {settle} when the opened vote ends below that participation. So a
 * proposal that holds the queue without a real vote costs its proposer DG for good. A vote nobody has
 * locked DG in by MIN_VOTING_DURATION closes then and may be settled (failed) at once: an empty vote
 * holds the queue for the minimum duration at most. Backers may leave a queued proposal; it then
 * leaves the queue (a doubly linked list: O(1) removal, no stale entries) and pools again with a fresh
 * POOLING_WINDOW, so a backer who leaves cannot make it expire at once.
 *
 * Invariants:
 * - `DG.balanceOf(this) == Σ over proposals of deposit + Σ over proposals and accounts of
 *   (backed + locked)`: every DG here is owed to the account that brought it, and each withdraws its
 *   own (no loop over voters); a deposit leaves once, either to its proposer or burned.
 * - `forVotes + againstVotes` of a proposal == Σ locked in it: a locked DG cannot move, so it counts
 *   once (no double voting by transfer, no flash-loan votes). Pooled DG never count as votes.
 * - At most one proposal is `Voting` at any time (`activeProposal`); full pools wait in FIFO order;
 *   the queue holds exactly the `Queued` proposals, and is non-empty only while a vote is active.
 * - A proposal passes only if forVotes > againstVotes and forVotes >= the quorum fixed at opening;
 *   against votes can never help it pass.
 * - A vote's end never passes `votingStart + MAX_VOTING_DURATION`.
 */
contract InflationVote is IInflationVote {
    using SafeERC20 for IERC20;

    /// @dev A queued proposal's neighbours in the queue (0: none).
    struct QueueLink {
        uint128 previous;
        uint128 next;
    }

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
    /// @notice Smallest proposal deposit the constructor accepts, 1 DG.
    uint256 public constant MIN_PROPOSAL_DEPOSIT = 1 ether;
    /// @notice Largest proposal deposit the constructor accepts, 1,000,000 DG.
    uint256 public constant MAX_PROPOSAL_DEPOSIT = 1_000_000 ether;

    /// @notice The DG token.
    IERC20 public immutable token;
    /// @notice The reservation whose burn rate a passed vote sets.
    IMiningReservation public immutable reservation;
    /// @notice Quorum of for-votes, as a share of the DG total supply at the moment a vote opens.
    uint256 public immutable quorumBps;
    /// @notice DG a proposer deposits with each proposal.
    uint256 public immutable proposalDeposit;

    /// @notice Number of proposals created (ids are 1..proposalCount).
    uint256 public proposalCount;
    /// @notice The proposal whose vote is running or awaiting settlement (0 if none).
    uint256 public activeProposal;
    /// @dev FIFO queue of full proposals, a doubly linked list from `_queueFirst` to `_queueLast`.
    uint64 private _queueFirst;
    uint64 private _queueLast;
    uint64 private _queueLength;
    mapping(uint256 proposalId => QueueLink) private _links;

    mapping(uint256 proposalId => Proposal) private _proposals;
    mapping(uint256 proposalId => mapping(address account => Position)) private _positions;

    /**
     * @param token_ the DG token.
     * @param reservation_ the MiningReservation (this contract must be set as its `inflationVote`).
     * @param quorumBps_ quorum as a share of total supply, in (0, MAX_QUORUM_BPS] basis points.
     * @param proposalDeposit_ DG taken with each proposal, in [MIN_PROPOSAL_DEPOSIT, MAX_PROPOSAL_DEPOSIT].
     */
    constructor(address token_, address reservation_, uint256 quorumBps_, uint256 proposalDeposit_) {
        if (token_ == address(0) || reservation_ == address(0)) revert InflationVoteZeroAddress();
        if (quorumBps_ == 0 || quorumBps_ > MAX_QUORUM_BPS) {
            revert InflationVoteQuorumOutOfRange(quorumBps_, MAX_QUORUM_BPS);
        }
        if (proposalDeposit_ < MIN_PROPOSAL_DEPOSIT || proposalDeposit_ > MAX_PROPOSAL_DEPOSIT) {
            revert InflationVoteDepositOutOfRange(proposalDeposit_, MIN_PROPOSAL_DEPOSIT, MAX_PROPOSAL_DEPOSIT);
        }
        token = IERC20(token_);
        reservation = IMiningReservation(reservation_);
        quorumBps = quorumBps_;
        proposalDeposit = proposalDeposit_;
    }

    /* ===================== POOLING ===================== */

    /// @inheritdoc IInflationVote
    function propose(uint256 targetBurnBps, uint256 votingDuration) external returns (uint256 proposalId) {
        if (targetBurnBps > BPS_DENOMINATOR) revert InflationVoteBurnBpsOutOfRange(targetBurnBps, BPS_DENOMINATOR);
        if (targetBurnBps == reservation.burnBps()) revert InflationVoteBurnBpsUnchanged(targetBurnBps);
        if (votingDuration < MIN_VOTING_DURATION || votingDuration > MAX_VOTING_DURATION) {
            revert InflationVoteDurationOutOfRange(votingDuration, MIN_VOTING_DURATION, MAX_VOTING_DURATION);
        }
        // DG takes no transfer fee; the deposit is still what arrived (<= MAX_PROPOSAL_DEPOSIT < 2^96).
        uint256 deposit = _pull(proposalDeposit);
        proposalId = ++proposalCount;
        uint256 poolDeadline = block.timestamp + POOLING_WINDOW;
        Proposal storage p = _proposals[proposalId];
        p.proposer = msg.sender;
        p.targetBurnBps = uint16(targetBurnBps); // <= 10,000
        p.votingDuration = uint32(votingDuration); // <= 30 days
        p.status = Status.Pooling;
        p.poolDeadline = uint48(poolDeadline); // timestamps fit 48 bits for millions of years
        p.deposit = uint96(deposit);
        emit ProposalCreated(proposalId, msg.sender, targetBurnBps, votingDuration, poolDeadline, deposit);
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
                emit ProposalQueued(proposalId, _enqueue(proposalId));
            }
        }
    }

    /// @inheritdoc IInflationVote
    /// @dev A proposal that leaves the queue gets a fresh POOLING_WINDOW from now: keeping its old
    /// deadline (long past, if it waited) would let any backer expire it with a 1-wei withdrawal.
    function withdrawBacking(uint256 proposalId, uint256 amount) external {
        if (amount == 0) revert InflationVoteZeroAmount();
        Status status = statusOf(proposalId);
        if (status != Status.Pooling && status != Status.Queued) revert InflationVoteWrongStatus(proposalId, status);
        Proposal storage p = _proposals[proposalId];
        Position storage position = _positions[proposalId][msg.sender];
        uint256 backed = position.backed;
        if (amount > backed) revert InflationVoteInsufficientBacking(proposalId, msg.sender, backed, amount);
        // Cannot underflow: amount <= backed <= pooled.
        uint256 pooled;
        unchecked {
            position.backed = uint128(backed - amount);
            pooled = p.pooled - amount;
        }
        p.pooled = uint128(pooled);
        emit BackingWithdrawn(proposalId, msg.sender, amount, pooled);
        if (status == Status.Queued) {
            // A queued pool is exactly POOL_TARGET, so any withdrawal takes it below the target.
            _dequeue(proposalId);
            uint256 poolDeadline = block.timestamp + POOLING_WINDOW;
            p.status = Status.Pooling;
            p.poolDeadline = uint48(poolDeadline);
            emit ProposalLeftQueue(proposalId, pooled, poolDeadline);
        }
        token.safeTransfer(msg.sender, amount);
    }

    /* ===================== VOTING ===================== */

    /// @inheritdoc IInflationVote
    function vote(uint256 proposalId, bool support, uint256 amount) external {
        if (amount == 0) revert InflationVoteZeroAmount();
        Proposal storage p = _requireStatus(proposalId, Status.Voting);
        uint256 closesAt = _closesAt(p);
        if (block.timestamp >= closesAt) revert InflationVoteVotingClosed(proposalId, closesAt);
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
        uint256 closesAt = _closesAt(p);
        if (block.timestamp < closesAt) revert InflationVoteVotingNotEnded(proposalId, closesAt);
        bool passed = _passing(p);
        p.status = passed ? Status.Passed : Status.Failed;
        activeProposal = 0;
        emit ProposalSettled(proposalId, passed, p.forVotes, p.againstVotes);
        // Participation below the quorum (an empty vote included) burns the deposit; otherwise it
        // stays here until the proposer withdraws it. A passed vote always reached the quorum.
        uint256 burned;
        if (uint256(p.forVotes) + p.againstVotes < p.quorum) {
            burned = p.deposit;
            p.deposit = 0;
            emit DepositBurned(proposalId, p.proposer, burned);
        }
        // The token and the reservation are trusted contracts fixed at construction; the reservation
        // settles the old rate first.
        if (passed) reservation.setBurnBps(p.targetBurnBps);
        if (burned != 0) ERC20Burnable(address(token)).burn(burned);

        uint256 nextId = _queueFirst;
        if (nextId != 0) {
            _dequeue(nextId);
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
        if (amount != 0) {
            position.backed = 0;
            position.locked = 0;
        }
        // A deposit still held after the end is owed back: settle burned those that were not.
        Proposal storage p = _proposals[proposalId];
        uint256 deposit = p.deposit;
        if (deposit != 0 && msg.sender == p.proposer) {
            p.deposit = 0;
            amount += deposit;
            emit DepositReturned(proposalId, msg.sender, deposit);
        }
        if (amount == 0) revert InflationVoteNothingToWithdraw(proposalId, msg.sender);
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
        return _queueLength;
    }

    /// @inheritdoc IInflationVote
    function nextQueued(uint256 proposalId) external view returns (uint256) {
        if (proposalId == 0) return _queueFirst;
        Status status = statusOf(proposalId);
        if (status != Status.Queued) revert InflationVoteWrongStatus(proposalId, status);
        return _links[proposalId].next;
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

    /// @dev Appends to the queue; returns the position (0 opens next). Ids fit 64 bits by far.
    function _enqueue(uint256 proposalId) private returns (uint256 position) {
        uint256 last = _queueLast;
        if (last == 0) _queueFirst = uint64(proposalId);
        else {
            _links[last].next = uint128(proposalId);
            _links[proposalId].previous = uint128(last);
        }
        _queueLast = uint64(proposalId);
        position = _queueLength;
        _queueLength = uint64(position + 1);
    }

    /// @dev Unlinks a queued proposal, wherever it stands: O(1).
    function _dequeue(uint256 proposalId) private {
        QueueLink memory link = _links[proposalId];
        if (link.previous == 0) _queueFirst = uint64(link.next);
        else _links[link.previous].next = link.next;
        if (link.next == 0) _queueLast = uint64(link.previous);
        else _links[link.next].previous = link.previous;
        delete _links[proposalId];
        --_queueLength;
    }

    function _openVoting(uint256 proposalId, Proposal storage p) private {
        uint256 votingEnd = block.timestamp + p.votingDuration;
        // Rounded up, so the quorum is never below quorumBps of the supply.
        uint256 quorum = Math.mulDiv(token.totalSupply(), quorumBps, BPS_DENOMINATOR, Math.Rounding.Ceil);
        p.status = Status.Voting;
        p.votingStart = uint48(block.timestamp);
        p.votingEnd = uint48(votingEnd);
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
        p.votingEnd = uint48(newEnd);
        emit VotingExtended(proposalId, newEnd);
    }

    /// @dev When the vote closes: its end, or MIN_VOTING_DURATION after its start if nobody has
    /// locked DG in it (then nobody can any more: it stays empty). An empty vote was never extended,
    /// and every vote lasts at least MIN_VOTING_DURATION, so this is never later than `votingEnd`.
    function _closesAt(Proposal storage p) private view returns (uint256) {
        if (p.forVotes == 0 && p.againstVotes == 0) return p.votingStart + MIN_VOTING_DURATION;
        return p.votingEnd;
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
