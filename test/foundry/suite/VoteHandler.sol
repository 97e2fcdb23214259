// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {InflationVote} from "../../../contracts/governance/InflationVote.sol";
import {IInflationVote} from "../../../contracts/interfaces/IInflationVote.sol";
import {DataGen} from "../../../contracts/token/DataGen.sol";
import {MiningReservation} from "../../../contracts/emission/MiningReservation.sol";
import {TestBase} from "../base/Test.sol";
import {SuiteModel} from "./SuiteModel.sol";

/**
 * @title VoteHandler
 * @notice SPEC 3's actors on the InflationVote: proposers (with the deposit; any target 0..20,000 bps
 * and durations in and out of [7, 30] days), backers (back — offering more than the pool needs —,
 * leave a pooling or a queued proposal, which leaves the queue and pools again, refill), voters (a
 * first lock of at least 20 DG — or below, refused —, add to their side, try to switch, refused), anyone
 * who settles (at the end, or at any time: refused before it) and everyone who withdraws (each position
 * and the proposer's deposit, or nothing: refused), and time jumps of up to 40 days.
 *
 * An independent model of every proposal (status, pool, deadline, start, end with the quiet-ending
 * extensions, quorum fixed at opening, for/against, the deposit held), of every account's position
 * (backed, locked, side) and of the FIFO queue predicts each call's outcome — the revert reason when it
 * must fail — and what it pays. Every action is built not to revert (`fail_on_revert`): a call that may
 * fail runs under try/catch and the revert must be the predicted one. Broken expectations go to
 * {SuiteModel.violation}; burned deposits to {SuiteModel.addBurned}. {probeLiveness} settles every
 * running and queued vote, lets every pool expire and withdraws every position and deposit.
 */
contract VoteHandler is TestBase {
    // IInflationVote.Status, as the model tracks it (Expired is derived from the deadline).
    uint8 private constant POOLING = 1;
    uint8 private constant QUEUED = 2;
    uint8 private constant VOTING = 3;
    uint8 private constant PASSED = 4;
    uint8 private constant FAILED = 5;
    uint8 private constant EXPIRED = 6;

    uint256 private constant POOL_TARGET = 100_000 ether;
    uint256 private constant MIN_LOCK = 20 ether;
    uint256 private constant MIN_DURATION = 7 days;
    uint256 private constant MAX_DURATION = 30 days;
    uint256 private constant POOLING_WINDOW = 30 days;
    uint256 private constant QUIET = 12 hours;
    /// @dev Proposals per run (keeps every per-call invariant sweep short).
    uint256 public constant MAX_PROPOSALS = 32;

    /// @dev The model of one proposal.
    struct P {
        address proposer;
        uint256 target;
        uint256 duration;
        uint8 status;
        uint256 poolDeadline;
        uint256 pooled;
        uint256 start;
        uint256 end;
        uint256 quorum;
        uint256 forVotes;
        uint256 againstVotes;
        uint256 deposit; // held here: 0 once returned or burned
        uint256 owed; // Σ backed + locked not yet withdrawn
    }

    /// @dev The model of one account's position in one proposal.
    struct Pos {
        uint256 backed;
        uint256 locked;
        uint8 side; // IInflationVote.Side: 0 none, 1 for, 2 against
    }

    InflationVote public immutable vote;
    DataGen public immutable token;
    MiningReservation public immutable reservation;
    SuiteModel public immutable model;
    uint256 public immutable deposit;
    uint256 public immutable quorumBps;

    mapping(uint256 id => P) private _p;
    mapping(uint256 id => mapping(address account => Pos)) private _pos;
    uint256 public proposals;
    /// @notice The running (or awaiting settlement) proposal, 0 if none.
    uint256 public ghostActive;
    /// @notice The queue, head first (removals keep the order).
    uint256[] private _queue;
    /// @notice What the vote holds by the model: Σ positions + Σ deposits still held.
    uint256 public ghostOwedPositions;
    uint256 public ghostHeldDeposits;
    /// @notice The reservation's burn rate by the model (set by every passed vote).
    uint256 public ghostBurnBps;

    constructor(SuiteModel model_, InflationVote vote_) {
        model = model_;
        vote = vote_;
        token = model_.token();
        reservation = model_.reservation();
        deposit = vote_.proposalDeposit();
        quorumBps = vote_.quorumBps();
        ghostBurnBps = reservation.burnBps();
    }

    /* ----- reads for the invariants ----- */

    function queue() external view returns (uint256[] memory) {
        return _queue;
    }

    function proposal(uint256 id) external view returns (P memory) {
        return _p[id];
    }

    function position(uint256 id, address account) external view returns (Pos memory) {
        return _pos[id][account];
    }

    /// @notice The model's status of `id` now (Expired derived from the pooling deadline).
    function statusOf(uint256 id) public view returns (uint8) {
        P storage p = _p[id];
        if (p.status == POOLING && model.now_() >= p.poolDeadline) return EXPIRED;
        return p.status;
    }

    /// @notice When the model says `id`'s vote closes: its end, or start + 7 days while empty.
    function closesAt(uint256 id) public view returns (uint256) {
        P storage p = _p[id];
        if (p.forVotes == 0 && p.againstVotes == 0) return p.start + MIN_DURATION;
        return p.end;
    }

    /* ----- proposers ----- */

    /**
     * @notice An actor proposes: a target in range (one time in eight the current rate, one in eight above
     * 10,000) and a duration in [7, 30] days (one time in eight below, one in eight above). Out-of-range
     * proposals must be refused with the matching error and take nothing.
     */
    function propose(uint256 actorSeed, uint256 bps, uint256 durationSeed) external {
        if (proposals >= MAX_PROPOSALS) return;
        address who = model.actor(actorSeed);
        if (token.balanceOf(who) < deposit) return;
        uint256 current = reservation.burnBps();
        if (bps % 8 == 0) bps = current;
        else if (bps % 8 == 1) bps = bound(bps >> 8, 10_001, 20_000);
        else bps = bound(bps >> 8, 0, 10_000);
        uint256 duration;
        if (durationSeed % 8 == 0) duration = bound(durationSeed >> 8, 0, MIN_DURATION - 1);
        else if (durationSeed % 8 == 1) duration = bound(durationSeed >> 8, MAX_DURATION + 1, 365 days);
        else duration = bound(durationSeed >> 8, MIN_DURATION, MAX_DURATION);

        bytes4 expected;
        if (bps > 10_000) expected = IInflationVote.InflationVoteBurnBpsOutOfRange.selector;
        else if (bps == current) expected = IInflationVote.InflationVoteBurnBpsUnchanged.selector;
        else if (duration < MIN_DURATION || duration > MAX_DURATION) {
            expected = IInflationVote.InflationVoteDurationOutOfRange.selector;
        }
        uint256 balanceBefore = token.balanceOf(address(vote));
        vm.prank(who);
        token.approve(address(vote), deposit);
        vm.prank(who);
        try vote.propose(bps, duration) returns (uint256 id) {
            model.check(expected == bytes4(0), "vote: an out-of-range proposal was accepted");
            model.check(id == proposals + 1, "vote: proposal id");
            proposals = id;
            P storage p = _p[id];
            p.proposer = who;
            p.target = bps;
            p.duration = duration;
            p.status = POOLING;
            p.poolDeadline = model.now_() + POOLING_WINDOW;
            p.deposit = deposit;
            ghostHeldDeposits += deposit;
            model.check(token.balanceOf(address(vote)) - balanceBefore == deposit, "vote: deposit not taken");
            model.count("voteProposed");
        } catch (bytes memory err) {
            model.check(expected != bytes4(0) && bytes4(err) == expected, "vote: propose refused for another reason");
            model.check(token.balanceOf(address(vote)) == balanceBefore, "vote: a refused proposal took DG");
            model.count("voteProposeRefused");
        }
        vm.prank(who);
        token.approve(address(vote), 0);
    }

    /* ----- backers ----- */

    /**
     * @notice An actor backs a pooling proposal (one time in eight any proposal: refused unless pooling):
     * half the time exactly what the pool still needs (it fills and opens or queues), else any amount up
     * to its balance (only what the pool needs is taken).
     */
    function back(uint256 actorSeed, uint256 idSeed, uint256 amount) external {
        if (proposals == 0) return;
        uint256 id = idSeed % 8 == 0 ? ((idSeed >> 8) % proposals) + 1 : _findStatus(idSeed >> 8, POOLING, POOLING);
        if (id == 0) return;
        address who = model.actor(actorSeed);
        uint256 balance = token.balanceOf(who);
        if (balance == 0) return;
        P storage p = _p[id];
        uint256 status = statusOf(id);
        uint256 need = POOL_TARGET - p.pooled;
        amount =
            (amount % 2 == 0 && need != 0 && need <= balance)
                ? need
                : bound(amount >> 1, 1, Math.min(balance, POOL_TARGET));
        vm.prank(who);
        token.approve(address(vote), amount);
        vm.prank(who);
        try vote.back(id, amount) returns (uint256 accepted) {
            model.check(status == POOLING, "vote: backed a proposal that is not pooling");
            model.check(accepted == Math.min(amount, need), "vote: back took another amount than the pool needs");
            p.pooled += accepted;
            _pos[id][who].backed += accepted;
            p.owed += accepted;
            ghostOwedPositions += accepted;
            if (p.pooled == POOL_TARGET) {
                if (ghostActive == 0) {
                    _open(id);
                    model.count("voteOpenedByBack");
                } else {
                    p.status = QUEUED;
                    _queue.push(id);
                    model.count("voteQueued");
                }
            }
            model.count("voteBack");
        } catch (bytes memory err) {
            model.check(
                status != POOLING && bytes4(err) == IInflationVote.InflationVoteWrongStatus.selector,
                "vote: back refused on a pooling proposal"
            );
            model.count("voteBackRefused");
        }
        vm.prank(who);
        token.approve(address(vote), 0);
    }

    /**
     * @notice A backer takes back part or all of its backing from a pooling or queued proposal (queued: the
     * proposal leaves the queue and pools again with a fresh window). One time in eight it asks for more than
     * it backed, or from a proposal that is neither pooling nor queued: refused.
     */
    function leave(uint256 actorSeed, uint256 idSeed, uint256 amount) external {
        if (proposals == 0) return;
        bool wild = idSeed % 8 == 0;
        uint256 id = wild ? ((idSeed >> 8) % proposals) + 1 : _findStatus(idSeed >> 8, POOLING, QUEUED);
        if (id == 0) return;
        address who = _backer(id, actorSeed);
        if (who == address(0)) who = model.actor(actorSeed);
        Pos storage pos = _pos[id][who];
        uint256 status = statusOf(id);
        if (wild && amount % 2 == 0) amount = pos.backed + 1 + (amount % 1000);
        else if (pos.backed == 0) return;
        else amount = amount % 4 == 1 ? pos.backed : bound(amount, 1, pos.backed);
        bytes4 expected;
        if (status != POOLING && status != QUEUED) expected = IInflationVote.InflationVoteWrongStatus.selector;
        else if (amount > pos.backed) expected = IInflationVote.InflationVoteInsufficientBacking.selector;
        uint256 before = token.balanceOf(who);
        vm.prank(who);
        try vote.withdrawBacking(id, amount) {
            model.check(expected == bytes4(0), "vote: withdrawBacking should have been refused");
            model.check(token.balanceOf(who) - before == amount, "vote: withdrawBacking paid another amount");
            P storage p = _p[id];
            pos.backed -= amount;
            p.pooled -= amount;
            p.owed -= amount;
            ghostOwedPositions -= amount;
            if (status == QUEUED) {
                _unqueue(id);
                p.status = POOLING;
                p.poolDeadline = model.now_() + POOLING_WINDOW;
                model.count("voteLeftQueue");
            }
            model.count("voteLeave");
        } catch (bytes memory err) {
            model.check(expected != bytes4(0) && bytes4(err) == expected, "vote: withdrawBacking refused wrongly");
            model.count("voteLeaveRefused");
        }
    }

    /* ----- voters ----- */

    /**
     * @notice An actor locks DG in the running vote: a first lock of 20 DG or more (one time in eight below:
     * refused), small (up to 1,000 DG) one time in four, else up to its balance; later locks add to its side
     * (one time in eight it tries the other side: refused). One time in eight it votes on any proposal.
     */
    function lock(uint256 actorSeed, uint256 idSeed, bool support, uint256 amount) external {
        if (proposals == 0) return;
        uint256 id = idSeed % 8 == 0 ? ((idSeed >> 8) % proposals) + 1 : ghostActive;
        if (id == 0) return;
        address who = model.actor(actorSeed);
        uint256 balance = token.balanceOf(who);
        if (balance < MIN_LOCK) return;
        Pos storage pos = _pos[id][who];
        if (pos.side != 0 && (amount >> 200) % 8 != 0) support = pos.side == 1;
        if (pos.side == 0 && (amount >> 200) % 8 == 1) amount = bound(amount, 1, MIN_LOCK - 1);
        else if (amount % 4 == 0)
            amount = bound(amount >> 2, pos.side == 0 ? MIN_LOCK : 1, Math.min(balance, 1_000 ether));
        else amount = bound(amount >> 2, pos.side == 0 ? MIN_LOCK : 1, balance);
        P storage p = _p[id];
        bytes4 expected;
        if (statusOf(id) != VOTING) expected = IInflationVote.InflationVoteWrongStatus.selector;
        else if (model.now_() >= closesAt(id)) expected = IInflationVote.InflationVoteVotingClosed.selector;
        else if (pos.side == 0 && amount < MIN_LOCK) expected = IInflationVote.InflationVoteBelowMinimumLock.selector;
        else if (pos.side != 0 && (pos.side == 1) != support) {
            expected = IInflationVote.InflationVoteCannotSwitchSide.selector;
        }
        vm.prank(who);
        token.approve(address(vote), amount);
        vm.prank(who);
        try vote.vote(id, support, amount) {
            model.check(expected == bytes4(0), "vote: a lock should have been refused");
            bool passingBefore = _passing(p);
            bool forLedBefore = p.forVotes > p.againstVotes;
            if (pos.side == 0) pos.side = support ? 1 : 2;
            pos.locked += amount;
            p.owed += amount;
            ghostOwedPositions += amount;
            if (support) p.forVotes += amount;
            else p.againstVotes += amount;
            if (forLedBefore != (p.forVotes > p.againstVotes) || passingBefore != _passing(p)) {
                uint256 t = model.now_();
                if (t + QUIET >= p.end) {
                    uint256 newEnd = Math.min(t + QUIET, p.start + MAX_DURATION);
                    if (newEnd > p.end) {
                        p.end = newEnd;
                        model.count("voteExtended");
                    }
                }
            }
            model.check(vote.getProposal(id).votingEnd == p.end, "vote: end (quiet ending) differs from the model");
            model.check(p.end <= p.start + MAX_DURATION, "vote: end past start + 30 days");
            model.count(support ? bytes32("voteFor") : bytes32("voteAgainst"));
        } catch (bytes memory err) {
            model.check(expected != bytes4(0) && bytes4(err) == expected, "vote: lock refused for another reason");
            model.count("voteLockRefused");
        }
        vm.prank(who);
        token.approve(address(vote), 0);
    }

    /* ----- anyone: settle ----- */

    /**
     * @notice Anyone settles the running vote: after waiting for it to close (`waitForClose`), or at once, which must
     * be refused before it closes. One time in eight any proposal: refused unless it is the running one.
     */
    function settle(uint256 idSeed, bool waitForClose, uint256 callerSeed) external {
        if (proposals == 0) return;
        uint256 id = idSeed % 8 == 0 ? ((idSeed >> 8) % proposals) + 1 : ghostActive;
        if (id == 0) return;
        if (waitForClose && statusOf(id) == VOTING) model.warpTo(closesAt(id));
        bytes4 expected;
        if (statusOf(id) != VOTING) expected = IInflationVote.InflationVoteWrongStatus.selector;
        else if (model.now_() < closesAt(id)) expected = IInflationVote.InflationVoteVotingNotEnded.selector;
        address caller = model.actor(callerSeed);
        uint256 dueBefore = reservation.emittedBy(model.now_()) - reservation.emitted();
        uint256 reservationBurnedBefore = reservation.totalBurned();
        uint256 oldBps = reservation.burnBps();
        vm.prank(caller);
        try vote.settle(id) {
            model.check(expected == bytes4(0), "vote: settled a vote that had not closed");
            bool passed = _settled(id);
            if (passed) {
                model.check(
                    reservation.totalBurned() - reservationBurnedBefore == Math.mulDiv(dueBefore, oldBps, 10_000),
                    "vote: setBurnBps did not settle the old rate first"
                );
                model.recordRelease();
            }
        } catch (bytes memory err) {
            model.check(expected != bytes4(0) && bytes4(err) == expected, "vote: settle refused for another reason");
            model.count("voteSettleRefused");
        }
    }

    /* ----- everyone: withdraw ----- */

    /**
     * @notice An account withdraws from a settled or expired proposal: one with a position or the deposit,
     * or (one time in eight) any actor on any proposal, refused when it is owed nothing or too early.
     */
    function withdraw(uint256 actorSeed, uint256 idSeed) external {
        if (proposals == 0) return;
        bool wild = idSeed % 8 == 0;
        uint256 id = wild ? ((idSeed >> 8) % proposals) + 1 : _findStatus(idSeed >> 8, PASSED, EXPIRED);
        if (id == 0) return;
        address who = wild ? model.actor(actorSeed) : _creditor(id, actorSeed);
        if (who == address(0)) return;
        uint256 status = statusOf(id);
        uint256 expectedAmount = _owedTo(id, who);
        bytes4 expected;
        if (status != PASSED && status != FAILED && status != EXPIRED) {
            expected = IInflationVote.InflationVoteWrongStatus.selector;
        } else if (expectedAmount == 0) {
            expected = IInflationVote.InflationVoteNothingToWithdraw.selector;
        }
        uint256 before = token.balanceOf(who);
        vm.prank(who);
        try vote.withdraw(id) returns (uint256 amount) {
            model.check(expected == bytes4(0), "vote: withdraw should have been refused");
            model.check(amount == expectedAmount, "vote: withdraw returned another amount than the model owes");
            model.check(token.balanceOf(who) - before == amount, "vote: withdraw paid another amount");
            _paid(id, who);
            model.count("voteWithdraw");
        } catch (bytes memory err) {
            model.check(expected != bytes4(0) && bytes4(err) == expected, "vote: withdraw refused wrongly");
            model.count("voteWithdrawRefused");
        }
    }

    /* ----- time ----- */

    /// @notice Time passes: up to 40 days (vote-scale; the keeper's jumps go to decades).
    function wait(uint256 gap) external {
        model.warpTo(model.now_() + bound(gap, 0, 40 days));
        model.count("voteWait");
    }

    /* ----- liveness (run inside a state snapshot by the test) ----- */

    /**
     * @notice Every running vote settles once it closes (then the queue's next one opens and is settled in
     * turn), every pool then expires, and every account withdraws exactly what the model owes it (positions
     * and deposits): the vote ends empty.
     */
    function probeLiveness() external {
        for (uint256 k = 0; k <= MAX_PROPOSALS && ghostActive != 0; ++k) {
            uint256 id = ghostActive;
            model.warpTo(closesAt(id));
            try vote.settle(id) {
                _settled(id);
            } catch {
                fail("liveness: settle reverted after the vote closed");
            }
        }
        assertEq(vote.activeProposal(), 0, "liveness: a vote still running after settling the queue");
        assertEq(vote.queueLength(), 0, "liveness: queue not empty after settling every vote");
        model.warpTo(model.now_() + POOLING_WINDOW);
        uint256 n = model.actorCount();
        for (uint256 id = 1; id <= proposals; ++id) {
            uint8 status = uint8(vote.statusOf(id));
            assertTrue(status == PASSED || status == FAILED || status == EXPIRED, "liveness: a proposal not ended");
            for (uint256 k = 0; k < n; ++k) {
                address a = model.actor(k);
                uint256 expected = _owedTo(id, a);
                if (expected == 0) continue;
                uint256 before = token.balanceOf(a);
                vm.prank(a);
                try vote.withdraw(id) returns (uint256 amount) {
                    assertEq(amount, expected, "liveness: withdraw returned another amount than the model owes");
                    assertEq(token.balanceOf(a) - before, expected, "liveness: withdraw paid another amount");
                    _paid(id, a);
                } catch {
                    fail("liveness: withdraw reverted with DG owed");
                }
            }
        }
        assertEq(ghostOwedPositions + ghostHeldDeposits, 0, "liveness: the model still owes DG");
        assertEq(token.balanceOf(address(vote)), 0, "liveness: the vote holds DG after every withdrawal");
    }

    /* ----- internal ----- */

    function _open(uint256 id) private {
        P storage p = _p[id];
        p.status = VOTING;
        p.start = model.now_();
        p.end = p.start + p.duration;
        p.quorum = Math.mulDiv(token.totalSupply(), quorumBps, 10_000, Math.Rounding.Ceil);
        ghostActive = id;
        IInflationVote.Proposal memory r = vote.getProposal(id);
        model.check(r.votingEnd == p.end && r.quorum == p.quorum, "vote: opened with another end or quorum");
    }

    /// @dev The model of a successful settle of `id`; returns whether it passed.
    function _settled(uint256 id) private returns (bool passed) {
        P storage p = _p[id];
        passed = _passing(p);
        p.status = passed ? PASSED : FAILED;
        ghostActive = 0;
        if (p.forVotes + p.againstVotes < p.quorum) {
            model.addBurned(p.deposit);
            ghostHeldDeposits -= p.deposit;
            p.deposit = 0;
            model.count(p.forVotes + p.againstVotes == 0 ? bytes32("voteEmptySettled") : bytes32("voteDepositBurned"));
        }
        if (passed) {
            ghostBurnBps = p.target;
            model.check(reservation.burnBps() == p.target, "vote: a passed vote did not set burnBps");
        }
        if (_queue.length != 0) {
            uint256 next = _queue[0];
            _unqueue(next);
            _open(next);
            model.count("voteOpenedFromQueue");
        }
        model.count(passed ? bytes32("votePassed") : bytes32("voteFailed"));
    }

    function _passing(P storage p) private view returns (bool) {
        return p.forVotes > p.againstVotes && p.forVotes >= p.quorum;
    }

    function _owedTo(uint256 id, address who) private view returns (uint256 amount) {
        Pos storage pos = _pos[id][who];
        amount = pos.backed + pos.locked;
        if (who == _p[id].proposer) amount += _p[id].deposit;
    }

    function _paid(uint256 id, address who) private {
        Pos storage pos = _pos[id][who];
        P storage p = _p[id];
        uint256 positions = pos.backed + pos.locked;
        p.owed -= positions;
        ghostOwedPositions -= positions;
        pos.backed = 0;
        pos.locked = 0;
        if (who == p.proposer && p.deposit != 0) {
            ghostHeldDeposits -= p.deposit;
            p.deposit = 0;
        }
    }

    function _unqueue(uint256 id) private {
        uint256 n = _queue.length;
        uint256 k;
        while (k < n && _queue[k] != id) ++k;
        model.check(k < n, "model: unqueued a proposal not in the queue");
        for (; k + 1 < n; ++k) _queue[k] = _queue[k + 1];
        _queue.pop();
    }

    /// @dev A proposal whose model status is in [a, b], scanning from `seed`; 0 if none.
    function _findStatus(uint256 seed, uint8 a, uint8 b) private view returns (uint256) {
        uint256 n = proposals;
        for (uint256 k = 0; k < n; ++k) {
            uint256 id = (((seed % n) + k) % n) + 1;
            uint8 s = statusOf(id);
            if (s < a || s > b) continue;
            // Ended proposals: only those still owing something.
            if (a >= PASSED && _p[id].owed + _p[id].deposit == 0) continue;
            return id;
        }
        return 0;
    }

    /// @dev An actor with a backing in `id`, scanning from `seed`.
    function _backer(uint256 id, uint256 seed) private view returns (address) {
        uint256 n = model.actorCount();
        for (uint256 k = 0; k < n; ++k) {
            address a = model.actor((seed % n) + k);
            if (_pos[id][a].backed != 0) return a;
        }
        return address(0);
    }

    /// @dev An actor owed something by `id` (a position or the deposit), scanning from `seed`.
    function _creditor(uint256 id, uint256 seed) private view returns (address) {
        uint256 n = model.actorCount();
        for (uint256 k = 0; k < n; ++k) {
            address a = model.actor((seed % n) + k);
            if (_owedTo(id, a) != 0) return a;
        }
        return address(0);
    }
}
