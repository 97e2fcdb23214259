// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IInflationVote
 * @notice Holders pool 100,000 DG to open a vote on the share of the mining release that is burned,
 * then any holder locks 20 DG or more to vote for or against. One vote runs at a time; full pools
 * wait in a first-in, first-out queue, which backers may leave. Everyone withdraws its own DG
 * afterwards. Proposing costs a deposit, returned unless the opened vote ends below the quorum's
 * participation, in which case it is burned.
 */
interface IInflationVote {
    /// @notice Life cycle of a proposal. `Expired` is derived: a `Pooling` proposal past its deadline.
    enum Status {
        None,
        Pooling,
        Queued,
        Voting,
        Passed,
        Failed,
        Expired
    }

    /// @notice Which side a voter took.
    enum Side {
        None,
        For,
        Against
    }

    /// @notice A proposal and its vote. Times are unix seconds; amounts DG in wei. `deposit` is the
    /// proposer's deposit still held (0 once returned or burned).
    struct Proposal {
        address proposer;
        uint16 targetBurnBps;
        uint32 votingDuration;
        Status status;
        uint48 poolDeadline;
        uint48 votingStart;
        uint48 votingEnd;
        uint96 deposit;
        uint128 pooled;
        uint128 quorum;
        uint128 forVotes;
        uint128 againstVotes;
    }

    /// @notice What one account has in one proposal: DG pooled, DG locked as a vote, and its side.
    struct Position {
        uint128 backed;
        uint112 locked;
        Side side;
    }

    /// @notice A proposal was created; `deposit` DG (as received) were taken from the proposer.
    event ProposalCreated(
        uint256 indexed proposalId,
        address indexed proposer,
        uint256 targetBurnBps,
        uint256 votingDuration,
        uint256 poolDeadline,
        uint256 deposit
    );
    /// @notice `backer` pooled `amount` DG (as received); `pooled` is the new pool total.
    event Backed(uint256 indexed proposalId, address indexed backer, uint256 amount, uint256 pooled);
    /// @notice `backer` took `amount` DG back from a pooling or queued proposal.
    event BackingWithdrawn(uint256 indexed proposalId, address indexed backer, uint256 amount, uint256 pooled);
    /// @notice The pool filled while another vote was running; the proposal waits at `position`.
    event ProposalQueued(uint256 indexed proposalId, uint256 position);
    /// @notice A backer left a queued proposal: its pool fell below POOL_TARGET, so it left the queue
    /// and pools again until `poolDeadline` (a fresh POOLING_WINDOW).
    event ProposalLeftQueue(uint256 indexed proposalId, uint256 pooled, uint256 poolDeadline);
    /// @notice The vote opened.
    event VotingOpened(uint256 indexed proposalId, uint256 votingStart, uint256 votingEnd, uint256 quorum);
    /// @notice `voter` locked `amount` DG on a side; `forVotes`/`againstVotes` are the new totals.
    event VoteCast(
        uint256 indexed proposalId,
        address indexed voter,
        bool support,
        uint256 amount,
        uint256 forVotes,
        uint256 againstVotes
    );
    /// @notice The leading side changed near the end, so the end moved later (quiet ending).
    event VotingExtended(uint256 indexed proposalId, uint256 newVotingEnd);
    /// @notice The vote was settled; if passed, the reservation's burn rate is now `targetBurnBps`.
    event ProposalSettled(uint256 indexed proposalId, bool passed, uint256 forVotes, uint256 againstVotes);
    /// @notice `account` took back everything it pooled and locked in a finished proposal, plus its
    /// deposit if it is the proposer and the deposit was not burned: `amount` is the total sent.
    event Withdrawn(uint256 indexed proposalId, address indexed account, uint256 amount);
    /// @notice The proposer's deposit was returned (part of the `Withdrawn` amount of the same call).
    event DepositReturned(uint256 indexed proposalId, address indexed proposer, uint256 amount);
    /// @notice The vote ended with for + against below its quorum: the proposer's deposit was burned.
    event DepositBurned(uint256 indexed proposalId, address indexed proposer, uint256 amount);

    /// @notice A zero address was given.
    error InflationVoteZeroAddress();
    /// @notice The quorum is outside (0, MAX_QUORUM_BPS].
    error InflationVoteQuorumOutOfRange(uint256 quorumBps, uint256 maxQuorumBps);
    /// @notice The proposal deposit is outside [MIN_PROPOSAL_DEPOSIT, MAX_PROPOSAL_DEPOSIT].
    error InflationVoteDepositOutOfRange(uint256 deposit, uint256 minDeposit, uint256 maxDeposit);
    /// @notice The proposed burn rate is above 10,000 basis points.
    error InflationVoteBurnBpsOutOfRange(uint256 burnBps, uint256 maxBps);
    /// @notice The proposed burn rate equals the current one.
    error InflationVoteBurnBpsUnchanged(uint256 burnBps);
    /// @notice The voting duration is outside [MIN_VOTING_DURATION, MAX_VOTING_DURATION].
    error InflationVoteDurationOutOfRange(uint256 duration, uint256 minDuration, uint256 maxDuration);
    /// @notice No proposal has this id.
    error InflationVoteUnknownProposal(uint256 proposalId);
    /// @notice The call does not fit the proposal's current phase.
    error InflationVoteWrongStatus(uint256 proposalId, Status status);
    /// @notice A zero amount was given, or no DG arrived.
    error InflationVoteZeroAmount();
    /// @notice The backer asked to withdraw more than it pooled.
    error InflationVoteInsufficientBacking(uint256 proposalId, address backer, uint256 backed, uint256 requested);
    /// @notice A first vote must lock at least MIN_VOTE_LOCK.
    error InflationVoteBelowMinimumLock(uint256 amount, uint256 minimum);
    /// @notice A voter may add to its side but never switch.
    error InflationVoteCannotSwitchSide(uint256 proposalId, address voter, Side side);
    /// @notice The vote has ended: no more votes.
    error InflationVoteVotingClosed(uint256 proposalId, uint256 votingEnd);
    /// @notice The vote has not ended yet: it cannot be settled.
    error InflationVoteVotingNotEnded(uint256 proposalId, uint256 votingEnd);
    /// @notice The account has nothing to withdraw from this proposal.
    error InflationVoteNothingToWithdraw(uint256 proposalId, address account);

    /**
     * @notice Creates a proposal to set the reservation's burn rate, taking `proposalDeposit` DG from
     * the caller (after `approve`). The deposit comes back through {withdraw} when the pool expires
     * unfilled or when the vote's participation (for + against) reaches its quorum; it is burned at
     * {settle} when the vote ends below that participation.
     * Requirements: `targetBurnBps` <= 10,000 and different from the current rate;
     * `votingDuration` within [MIN_VOTING_DURATION, MAX_VOTING_DURATION].
     * @param targetBurnBps the burn rate the proposal would set, in basis points.
     * @param votingDuration seconds the vote lasts once opened (before any quiet-ending extension).
     * @return proposalId the new proposal's id (ids start at 1).
     */
    function propose(uint256 targetBurnBps, uint256 votingDuration) external returns (uint256 proposalId);

    /**
     * @notice Pools DG into a proposal (after `approve`). Only what the pool still needs is taken;
     * when the pool reaches POOL_TARGET the vote opens, or the proposal joins the queue.
     * Requirements: the proposal is `Pooling` (not expired); `amount` > 0.
     * @param proposalId the proposal.
     * @param amount the most DG to pool.
     * @return accepted the DG actually received into the pool.
     */
    function back(uint256 proposalId, uint256 amount) external returns (uint256 accepted);

    /**
     * @notice Takes pooled DG back while the proposal is pooling (not expired) or queued. A queued
     * proposal then leaves the queue and pools again with a fresh POOLING_WINDOW; when it refills it
     * joins the back of the queue (or opens at once if no vote is running).
     * @param proposalId the proposal.
     * @param amount DG to take back, at most what the caller pooled.
     */
    function withdrawBacking(uint256 proposalId, uint256 amount) external;

    /**
     * @notice Locks DG (after `approve`) as a vote; weight = DG locked. The first lock is at least
     * MIN_VOTE_LOCK; later locks add to the same side. Locked DG stay until the vote is settled.
     * Requirements: the proposal is `Voting` and has not closed (see {settle}); `amount` > 0.
     * @param proposalId the running proposal.
     * @param support true to vote for, false to vote against.
     * @param amount DG to lock.
     */
    function vote(uint256 proposalId, bool support, uint256 amount) external;

    /**
     * @notice Settles the running vote after its end: passed if for > against and for >= quorum.
     * A vote nobody has locked DG in closes at `votingStart + MIN_VOTING_DURATION` (it can no longer
     * be voted on, and may be settled, failed, from then on). A passed proposal sets the reservation's
     * burn rate (which first releases what is due at the old rate). If for + against < quorum the
     * proposer's deposit is burned. Then the next queued proposal, if any, opens.
     * @param proposalId the running proposal.
     */
    function settle(uint256 proposalId) external;

    /**
     * @notice Returns everything the caller pooled and locked in a settled or expired proposal, and
     * to the proposer its deposit unless it was burned. Each DG is returned once.
     * @param proposalId the proposal.
     * @return amount DG sent back.
     */
    function withdraw(uint256 proposalId) external returns (uint256 amount);

    /// @notice The proposal's data. @param proposalId the proposal. @return the stored proposal.
    function getProposal(uint256 proposalId) external view returns (Proposal memory);

    /// @notice The proposal's status, `Expired` included. @param proposalId the proposal. @return the status.
    function statusOf(uint256 proposalId) external view returns (Status);

    /// @notice An account's position in a proposal.
    /// @param proposalId the proposal. @param account the account. @return the position.
    function positionOf(uint256 proposalId, address account) external view returns (Position memory);

    /// @notice How many full proposals wait for the running vote to end.
    /// @return length the queue's length.
    function queueLength() external view returns (uint256 length);

    /// @notice Walks the queue: `nextQueued(0)` is the proposal that opens next, `nextQueued(id)` the
    /// one after the queued proposal `id`; 0 past the end.
    /// @param proposalId 0, or a queued proposal. @return nextId the next queued proposal, or 0.
    function nextQueued(uint256 proposalId) external view returns (uint256 nextId);
}
