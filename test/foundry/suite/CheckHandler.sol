// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CrossCheck} from "../../../contracts/crosscheck/CrossCheck.sol";
import {ICrossCheck} from "../../../contracts/interfaces/ICrossCheck.sol";
import {IValidatorStaking} from "../../../contracts/interfaces/IValidatorStaking.sol";
import {ValidatorStaking} from "../../../contracts/staking/ValidatorStaking.sol";
import {DataGen} from "../../../contracts/token/DataGen.sol";
import {TestBase} from "../base/Test.sol";
import {SuiteModel} from "./SuiteModel.sol";

/**
 * @title CheckHandler
 * @notice The coordinator (opens checks from receipts its paired validators signed with `vm.sign`, honest
 * or lying, fresh or up to the maximum age, users that are Active validators or outsiders), attackers
 * (receipts replayed, signed for another chain id, another verifying contract or by another key: no
 * second check may open), anyone who draws (right after the seed block, or after the hash is gone so
 * that the draw re-arms, then again), the checkers (commit then reveal the true hash, the receipt's,
 * a shared wrong hash or INPUT_MISMATCH; or stay silent, or commit and never reveal) and anyone who
 * finalizes.
 *
 * A model of each check predicts, independently of the contract: the checkers (a uniform pick among the
 * snapshot's Active set, from the model of that set, minus the paired validator and the user), the fifth,
 * the exposure caps, the verdict of SPEC 6's table, who is slashed and by how much, and what each honest
 * checker receives. {probeLiveness} drives every open check to its end (the test runs it inside a state
 * snapshot and reverts afterwards).
 */
contract CheckHandler is TestBase {
    uint8 private constant AWAITING_DRAW = 1;
    uint8 private constant DRAWN = 2;
    uint8 private constant AWAITING_FIFTH = 3;
    uint8 private constant FIFTH_DRAWN = 4;
    uint8 private constant FINALIZED = 5;

    /// @dev The model of one check. Party `i` of the vote arrays: 0 = paired (the receipt), 1..3 = checkers, 4 = fifth.
    struct C {
        address paired;
        address user;
        bytes32 h;
        bytes32 truth;
        bytes32 wrong;
        uint256 seedBlock;
        uint256 commitDeadline;
        uint256 revealDeadline;
        uint8 phase;
        address[5] party;
        uint256[5] cap;
        bytes32[5] answer;
        bool[5] committed;
        bool[5] revealed;
        bool[5] silent;
    }

    CrossCheck public immutable crossCheck;
    ValidatorStaking public immutable staking;
    DataGen public immutable token;
    SuiteModel public immutable model;
    address public immutable coordinator;

    mapping(uint256 checkId => C) private _c;
    mapping(uint256 checkId => address[]) private _snap;
    mapping(uint256 checkId => address[]) private _tieSnap;
    /// @notice Checks opened and not finalized.
    uint256[] public live;
    uint256 private _tasks;

    // The latest opened receipt, for replays.
    ICrossCheck.Receipt private _lastReceipt;
    address private _lastPaired;
    bytes private _lastSignature;

    constructor(SuiteModel model_, CrossCheck crossCheck_, address coordinator_) {
        model = model_;
        crossCheck = crossCheck_;
        staking = model_.staking();
        token = model_.token();
        coordinator = coordinator_;
    }

    function liveCount() external view returns (uint256) {
        return live.length;
    }

    /* ----- coordinator ----- */

    /**
     * @notice Opens a check of a fresh receipt. `rollFirst` mines a block first (else what happened in this
     * block, e.g. a full unbond right before, is not in the snapshot). Refused exactly when the snapshot's
     * set lacks three validators besides the paired one and the user.
     */
    function open(uint256 pairedSeed, uint256 userSeed, bool honest, uint256 ageSeed, bool rollFirst) external {
        if (rollFirst) model.rollBlocks(1);
        address paired = _withStake(pairedSeed);
        if (paired == address(0)) return;
        address user = userSeed % 3 == 0 ? address(uint160(0xB0B000 + (userSeed % 5))) : model.actor(userSeed);
        if (user == paired) user = address(0xB0B0FF);
        (ICrossCheck.Receipt memory receipt, bytes memory signature) = _receipt(paired, user, honest, ageSeed);

        address[] memory snap = model.prevSet();
        uint256 available = snap.length - (_in(snap, paired) ? 1 : 0) - (_in(snap, user) ? 1 : 0);
        uint256 countBefore = crossCheck.checkCount();
        vm.prank(coordinator);
        try crossCheck.open(receipt, paired, signature) returns (uint256 id) {
            model.check(available >= 3, "opened with fewer than 3 validators to draw");
            model.check(id == countBefore + 1, "check id");
            _record(id, receipt, paired, snap);
            model.count("open");
        } catch (bytes memory err) {
            model.check(
                available < 3 && bytes4(err) == ICrossCheck.CrossCheckNotEnoughValidators.selector,
                "open refused a valid receipt"
            );
            model.count("openRefused");
        }
    }

    /**
     * @notice Receipts that must never open a check: the latest one replayed (kind 0), one signed for
     * another chain id (1), for another verifying contract (2), or by a key other than the paired one (3).
     */
    function attack(uint256 kind, uint256 pairedSeed, uint256 ageSeed) external {
        kind %= 4;
        uint256 countBefore = crossCheck.checkCount();
        ICrossCheck.Receipt memory receipt;
        address paired;
        bytes memory signature;
        bytes4 expected;
        if (kind == 0) {
            if (_lastPaired == address(0)) return;
            (receipt, paired, signature) = (_lastReceipt, _lastPaired, _lastSignature);
            // An expired receipt is refused for its age before its task is looked up.
            expected =
                model.now_() - receipt.deliveredAt > crossCheck.maxReceiptAge()
                    ? ICrossCheck.CrossCheckReceiptExpired.selector
                    : ICrossCheck.CrossCheckTaskAlreadyChecked.selector;
        } else {
            paired = _withStake(pairedSeed);
            if (paired == address(0)) return;
            (receipt, ) = _receipt(paired, address(0xB0B0EE), false, ageSeed);
            uint256 chainId = kind == 1 ? block.chainid + 1 : block.chainid;
            address verifier = kind == 2 ? address(0xDEAD) : address(crossCheck);
            address signer = model.actor((pairedSeed % 12) + 1);
            if (signer == paired) signer = model.actor((pairedSeed % 12) + 2);
            uint256 key = model.keyOf(kind == 3 ? signer : paired);
            signature = _sign(key, _digest(receipt, chainId, verifier));
            expected = ICrossCheck.CrossCheckBadSignature.selector;
        }
        vm.prank(coordinator);
        try crossCheck.open(receipt, paired, signature) {
            model.check(false, "a replayed or foreign receipt opened a check");
        } catch (bytes memory err) {
            model.check(bytes4(err) == expected, "foreign receipt refused for another reason");
        }
        model.check(crossCheck.checkCount() == countBefore, "checkCount moved on a refused receipt");
        model.count(bytes32(uint256(bytes32("attack0")) + (kind << 200)));
    }

    /* ----- anyone: draw, finalize ----- */

    /// @notice Draws the checkers (or the fifth) of an open check once its seed block is mined; one time in
    /// eight only after the seed block's hash is gone (the draw must re-arm, then draw on a new seed).
    function draw(uint256 seed, uint256 gapSeed) external {
        uint256 id = _find(seed, AWAITING_DRAW, AWAITING_FIFTH, false);
        if (id == 0) return;
        C storage c = _c[id];
        uint256 bn = model.blockNumber();
        if (gapSeed % 8 == 0) {
            if (bn <= c.seedBlock + 256) model.rollBlocks(c.seedBlock + 257 - bn + (gapSeed % 40));
        } else if (bn <= c.seedBlock) {
            model.rollBlocks(c.seedBlock + 1 - bn + (gapSeed % 3));
        }
        if (!_drawNow(id, c)) {
            model.count("drawRearmed");
            model.rollBlocks(2 + ((gapSeed >> 8) % 3));
            model.check(_drawNow(id, c), "draw re-armed twice");
        }
        model.count("draw");
    }

    /// @notice Moves the clock to the reveal window (`toReveal`) or past it, for a drawn check.
    function advance(uint256 seed, bool toReveal) external {
        uint256 id = _find(seed, DRAWN, FIFTH_DRAWN, false);
        if (id == 0) return;
        C storage c = _c[id];
        model.warpTo((toReveal ? c.commitDeadline : c.revealDeadline) + 1);
        model.count("advance");
    }

    /**
     * @notice The checkers of the current round of a check still in its commit window commit at once, each
     * its own answer (three bits of `answers` each): the true hash (3 in 8), the receipt's hash, a wrong hash
     * shared with the other liars, INPUT_MISMATCH, a hash of its own, or nothing at all (silent).
     */
    function commit(uint256 seed, uint256 answers) external {
        uint256 id = _find(seed, DRAWN, FIFTH_DRAWN, true);
        if (id == 0) return;
        C storage c = _c[id];
        _commitAll(id, c, answers);
        // Most rounds go on at once to their reveals (else later time jumps would close most windows).
        if ((answers >> 64) % 4 != 0) _revealAll(id, c, answers >> 72);
    }

    /**
     * @notice One whole round of a check in a single call, so that no time jump closes its windows halfway:
     * the draw (checkers or fifth), commits scripted to aim at one verdict of SPEC 6 — `profile % 6`: Pass
     * (three confirm the receipt), CheckerSlashed (two confirm, one answers its own hash), PairedSlashed (two
     * share a wrong hash), Invalid (two INPUT_MISMATCH), Inconclusive (three different hashes), a tie (one
     * confirms) whose fifth (`(profile >> 8) % 2`) forms a 3-of-5 majority (TieDecided) or not (Inconclusive) —,
     * every reveal, and the finalize after the reveal deadline. The model predicts the verdict independently
     * ({_expected}) from the answers, as for every other round.
     */
    function play(uint256 seed, uint256 profile) external {
        uint256 id = _find(seed, AWAITING_DRAW, AWAITING_FIFTH, false);
        if (id == 0) return;
        C storage c = _c[id];
        uint256 bn = model.blockNumber();
        if (bn <= c.seedBlock) model.rollBlocks(c.seedBlock + 1 - bn);
        if (!_drawNow(id, c)) {
            model.rollBlocks(2);
            model.check(_drawNow(id, c), "draw re-armed twice");
        }
        model.count("playDraw");
        if (c.phase == FINALIZED) return; // no fifth left to draw: Inconclusive, settled by the draw
        uint256 answers;
        if (c.phase == FIFTH_DRAWN) {
            answers = uint256((profile >> 8) % 2 == 0 ? 3 : 6) << 12; // uint256 first: a literal ternary is uint8
        } else {
            uint256[6] memory scripts = [
                uint256(3 | (3 << 3) | (3 << 6)), // Pass
                3 | (3 << 3) | (6 << 6), // CheckerSlashed
                4 | (4 << 3) | (6 << 6), // PairedSlashed
                5 | (5 << 3) | (3 << 6), // Invalid
                6 | (6 << 3) | (6 << 6), // Inconclusive
                3 | (4 << 3) | (6 << 6) // tie: one confirms
            ];
            answers = scripts[profile % 6] << 3;
        }
        _commitAll(id, c, answers);
        _revealAll(id, c, type(uint256).max);
        _finalize(id, c, true);
        model.count("play");
    }

    function _commitAll(uint256 id, C storage c, uint256 answers) private {
        (uint256 from, uint256 to) = c.phase == DRAWN ? (1, 4) : (4, 5);
        for (uint256 i = from; i < to; ++i) {
            if (c.committed[i] || c.silent[i]) continue;
            uint256 kind = (answers >> (3 * i)) % 8;
            if (kind == 7) {
                c.silent[i] = true;
                model.count("silent");
                continue;
            }
            bytes32 answer =
                kind < 3
                    ? c.truth
                    : kind == 3
                        ? c.h
                        : kind == 4
                            ? c.wrong
                            : kind == 5
                                ? crossCheck.INPUT_MISMATCH()
                                : keccak256(abi.encode("own", id, i));
            bytes32 commitment = keccak256(
                abi.encode(block.chainid, address(crossCheck), id, c.party[i], answer, _salt(id, i))
            );
            vm.prank(c.party[i]);
            crossCheck.commit(id, commitment);
            c.committed[i] = true;
            c.answer[i] = answer;
            model.count("commit");
        }
    }

    /// @notice The reveal window of a check opens (the clock moves there if needed) and its committed
    /// checkers reveal, except those that withhold their reveal for good (one in eight, from `withholdSeed`).
    function reveal(uint256 seed, uint256 withholdSeed) external {
        uint256 id = _find(seed, DRAWN, FIFTH_DRAWN, false);
        if (id == 0) return;
        C storage c = _c[id];
        if (model.now_() > c.revealDeadline) return;
        _revealAll(id, c, withholdSeed);
    }

    function _revealAll(uint256 id, C storage c, uint256 withholdSeed) private {
        model.warpTo(c.commitDeadline + 1);
        (uint256 from, uint256 to) = c.phase == DRAWN ? (1, 4) : (4, 5);
        for (uint256 i = from; i < to; ++i) {
            if (!c.committed[i] || c.revealed[i] || c.silent[i]) continue;
            if ((withholdSeed >> (3 * i)) % 8 == 0) {
                c.silent[i] = true;
                model.count("withhold");
                continue;
            }
            vm.prank(c.party[i]);
            crossCheck.reveal(id, c.answer[i], _salt(id, i));
            c.revealed[i] = true;
            model.count("reveal");
        }
    }

    /// @notice Finalizes a check whose reveal window is over (`waitForDeadline`: moves the clock there first) and
    /// compares verdict, slashes and rewards with the model.
    function finalize(uint256 seed, bool waitForDeadline) external {
        uint256 id = _find(seed, DRAWN, FIFTH_DRAWN, false);
        if (id == 0) return;
        _finalize(id, _c[id], waitForDeadline);
    }

    function _finalize(uint256 id, C storage c, bool waitForDeadline) private {
        if (waitForDeadline) model.warpTo(c.revealDeadline + 1);
        if (model.now_() <= c.revealDeadline) return;
        (uint8 verdict, uint256 losers, uint256 honest) = _expected(c);
        uint256[5] memory before;
        for (uint256 i = 1; i < 5; ++i) if (c.party[i] != address(0)) before[i] = token.balanceOf(c.party[i]);
        crossCheck.finalize(id);
        ICrossCheck.Check memory info = crossCheck.checkInfo(id);
        if (verdict == 0) {
            model.check(info.phase == ICrossCheck.Phase.AwaitingFifthDraw, "tie not declared");
            c.phase = AWAITING_FIFTH;
            c.seedBlock = model.blockNumber() + 1;
            address[] memory snap = model.prevSet();
            for (uint256 i = 0; i < snap.length; ++i) _tieSnap[id].push(snap[i]);
            model.count("tie");
            return;
        }
        model.check(uint8(info.verdict) == verdict, "verdict differs from SPEC 6's table");
        _settle(id, c, losers, honest, before);
        model.count(bytes32(uint256(bytes32("verdict0")) + (uint256(verdict) << 192)));
    }

    /* ----- liveness (run inside a state snapshot by the test) ----- */

    /// @notice Drives every open check to Finalized (draws, time, finalize, the fifth if a tie), checks that
    /// every exposure it recorded is closed, then that every unbonding validator withdraws after its cooldown.
    function probeLiveness() external {
        uint256 n = crossCheck.checkCount();
        for (uint256 id = 1; id <= n; ++id) {
            for (uint256 step = 0; step < 8; ++step) {
                ICrossCheck.Check memory info = crossCheck.checkInfo(id);
                if (info.phase == ICrossCheck.Phase.Finalized) break;
                if (info.phase == ICrossCheck.Phase.AwaitingDraw || info.phase == ICrossCheck.Phase.AwaitingFifthDraw) {
                    uint256 bn = model.blockNumber();
                    if (bn <= info.seedBlock) vm.roll(info.seedBlock + 1);
                    try crossCheck.draw(id) {} catch {
                        fail("liveness: draw reverted");
                    }
                } else {
                    if (model.now_() <= info.revealDeadline) vm.warp(info.revealDeadline + 1);
                    try crossCheck.finalize(id) {} catch {
                        fail("liveness: finalize reverted");
                    }
                }
            }
            ICrossCheck.Check memory done = crossCheck.checkInfo(id);
            assertTrue(done.phase == ICrossCheck.Phase.Finalized, "liveness: check not finalized in 8 steps");
            (bool isOpen, ) = staking.exposure(id, done.paired);
            assertTrue(!isOpen, "liveness: paired exposure left open");
            for (uint256 i = 0; i < 4; ++i) {
                if (done.drawn[i] == address(0)) continue;
                (isOpen, ) = staking.exposure(id, done.drawn[i]);
                assertTrue(!isOpen, "liveness: checker exposure left open");
            }
        }
        assertEq(token.balanceOf(address(crossCheck)), 0, "liveness: CrossCheck holds DG after finalizing");
        uint256 actors = model.actorCount();
        for (uint256 k = 0; k < actors; ++k) {
            address a = model.actor(k);
            IValidatorStaking.Validator memory r = staking.validatorInfo(a);
            assertEq(r.openExposures, 0, "liveness: exposures left after every check ended");
            if (r.unbonding == 0 && r.status != IValidatorStaking.Status.CoolingDown) continue;
            if (model.now_() < r.unbondingEnd) vm.warp(r.unbondingEnd);
            uint256 before = token.balanceOf(a);
            vm.prank(a);
            try staking.withdraw() returns (uint256 amount) {
                assertEq(amount, r.unbonding, "liveness: withdrew another amount");
                assertEq(token.balanceOf(a) - before, r.unbonding, "liveness: withdraw paid another amount");
            } catch {
                fail("liveness: withdraw reverted after the cooldown with no open exposure");
            }
        }
        assertEq(token.balanceOf(address(staking)), staking.totalStaked(), "liveness: escrow balance after exits");
    }

    /* ----- internal: opening ----- */

    function _withStake(uint256 seed) private view returns (address) {
        uint256 n = model.actorCount();
        for (uint256 k = 0; k < n; ++k) {
            address a = model.actor((seed % n) + k);
            if (model.owed(a) != 0) return a;
        }
        return address(0);
    }

    function _receipt(
        address paired,
        address user,
        bool honest,
        uint256 ageSeed
    ) private returns (ICrossCheck.Receipt memory receipt, bytes memory signature) {
        bytes32 taskId = keccak256(abi.encode("task", ++_tasks));
        uint256 t = model.now_();
        uint256 maxAge = crossCheck.maxReceiptAge();
        receipt = ICrossCheck.Receipt({
            taskId: taskId,
            user: user,
            inputHash: keccak256(abi.encode("input", taskId)),
            resultHash: honest ? _truth(taskId) : keccak256(abi.encode("lie", taskId)),
            deliveredAt: uint64(t - bound(ageSeed, 0, t < maxAge ? t : maxAge))
        });
        signature = _sign(model.keyOf(paired), _digest(receipt, block.chainid, address(crossCheck)));
    }

    function _record(uint256 id, ICrossCheck.Receipt memory receipt, address paired, address[] memory snap) private {
        C storage c = _c[id];
        c.paired = paired;
        c.party[0] = paired;
        c.user = receipt.user;
        c.h = receipt.resultHash;
        c.truth = _truth(receipt.taskId);
        c.wrong = keccak256(abi.encode("wrong", receipt.taskId));
        c.seedBlock = model.blockNumber() + 1;
        c.phase = AWAITING_DRAW;
        c.cap[0] = model.owed(paired);
        for (uint256 i = 0; i < snap.length; ++i) _snap[id].push(snap[i]);
        model.onExposure(paired, true);
        _checkExposure(id, paired, c.cap[0]);
        live.push(id);
        (_lastReceipt, _lastPaired, _lastSignature) = (
            receipt,
            paired,
            _sign(model.keyOf(paired), _digest(receipt, block.chainid, address(crossCheck)))
        );
    }

    function _truth(bytes32 taskId) private pure returns (bytes32) {
        return keccak256(abi.encode("result", taskId));
    }

    function _digest(ICrossCheck.Receipt memory r, uint256 chainId, address verifier) private pure returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("CrossCheck"),
                keccak256("1"),
                chainId,
                verifier
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Receipt(bytes32 taskId,address user,bytes32 inputHash,bytes32 resultHash,uint64 deliveredAt)"
                ),
                r.taskId,
                r.user,
                r.inputHash,
                r.resultHash,
                r.deliveredAt
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _sign(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /* ----- internal: draws ----- */

    /// @dev One draw call; false if it re-armed (the seed block's hash was gone), as the model expects.
    function _drawNow(uint256 id, C storage c) private returns (bool) {
        bytes32 entropy = blockhash(c.seedBlock);
        uint8 round = c.phase;
        crossCheck.draw(id);
        ICrossCheck.Check memory info = crossCheck.checkInfo(id);
        if (entropy == bytes32(0)) {
            model.check(uint8(info.phase) == round, "draw without a seed changed the phase");
            c.seedBlock = model.blockNumber() + 1;
            model.check(info.seedBlock == c.seedBlock, "re-armed seed block");
            return false;
        }
        uint256 seed = uint256(keccak256(abi.encode(entropy, block.chainid, address(crossCheck), id, round)));
        if (round == AWAITING_DRAW) {
            address[] memory pool = _without(_snap[id], c.paired, c.user, address(0), address(0), address(0));
            model.check(pool.length >= 3, "model: fewer than 3 to draw (open should have refused)");
            for (uint256 i = 0; i < 3; ++i) {
                uint256 pick = uint256(keccak256(abi.encode(bytes32(seed), i))) % (pool.length - i);
                address checker = pool[pick];
                for (uint256 j = pick; j + 1 < pool.length - i; ++j) pool[j] = pool[j + 1]; // keep index order
                model.check(info.drawn[i] == checker, "drawn checker differs from the snapshot model");
                _enter(id, c, i + 1, checker);
            }
            c.phase = DRAWN;
        } else {
            address[] memory pool = _without(_tieSnap[id], c.paired, c.user, c.party[1], c.party[2], c.party[3]);
            if (pool.length == 0) {
                model.check(
                    info.phase == ICrossCheck.Phase.Finalized && info.verdict == ICrossCheck.Verdict.Inconclusive,
                    "no fifth to draw: expected Inconclusive"
                );
                uint256[5] memory none;
                _settle(id, c, 0, 0, none);
                return true;
            }
            address fifth = pool[seed % pool.length];
            model.check(info.drawn[3] == fifth, "fifth differs from the tie snapshot model");
            _enter(id, c, 4, fifth);
            c.phase = FIFTH_DRAWN;
        }
        c.commitDeadline = model.now_() + crossCheck.commitWindow();
        c.revealDeadline = c.commitDeadline + crossCheck.revealWindow();
        model.check(info.commitDeadline == c.commitDeadline && info.revealDeadline == c.revealDeadline, "deadlines");
        return true;
    }

    function _enter(uint256 id, C storage c, uint256 i, address party) private {
        c.party[i] = party;
        c.cap[i] = model.owed(party);
        model.onExposure(party, true);
        _checkExposure(id, party, c.cap[i]);
    }

    function _checkExposure(uint256 id, address party, uint256 cap) private {
        (bool isOpen, uint256 remaining) = staking.exposure(id, party);
        model.check(isOpen && remaining == cap, "exposure cap != stake at entry");
    }

    /// @dev `set` in its index order, minus the given accounts.
    function _without(
        address[] storage set,
        address a,
        address b,
        address d,
        address e,
        address f
    ) private view returns (address[] memory out) {
        out = new address[](set.length);
        uint256 n;
        for (uint256 i = 0; i < set.length; ++i) {
            address x = set[i];
            if (x == a || x == b || x == d || x == e || x == f) continue;
            out[n++] = x;
        }
        assembly ("memory-safe") {
            mstore(out, n)
        }
    }

    /* ----- internal: verdicts ----- */

    /// @dev SPEC 6's table. verdict 0 = tie (a fifth is drawn); masks over parties 0..4.
    function _expected(C storage c) private view returns (uint8 verdict, uint256 losers, uint256 honest) {
        bytes32[5] memory votes;
        votes[0] = c.h;
        for (uint256 i = 1; i < 5; ++i) if (c.revealed[i]) votes[i] = c.answer[i];
        if (c.phase == FIFTH_DRAWN) {
            bytes32 f = votes[4];
            if (f == bytes32(0) || _count(votes, f, 0, 5) < 3) return (uint8(ICrossCheck.Verdict.Inconclusive), 0, 0);
            return (uint8(ICrossCheck.Verdict.TieDecided), _mask(votes, f, 0, 4, false), _mask(votes, f, 1, 5, true));
        }
        if (_count(votes, crossCheck.INPUT_MISMATCH(), 1, 4) >= 2) return (uint8(ICrossCheck.Verdict.Invalid), 0, 0);
        uint256 agree = _count(votes, c.h, 1, 4);
        if (agree == 3) return (uint8(ICrossCheck.Verdict.Pass), 0, _mask(votes, c.h, 1, 4, true));
        if (agree == 2) {
            return (
                uint8(ICrossCheck.Verdict.CheckerSlashed),
                _mask(votes, c.h, 1, 4, false),
                _mask(votes, c.h, 1, 4, true)
            );
        }
        if (agree == 1) return (0, 0, 0);
        for (uint256 i = 1; i < 4; ++i) {
            if (votes[i] != bytes32(0) && _count(votes, votes[i], 1, 4) >= 2) {
                return (uint8(ICrossCheck.Verdict.PairedSlashed), 1, _mask(votes, votes[i], 1, 4, true));
            }
        }
        return (uint8(ICrossCheck.Verdict.Inconclusive), 0, 0);
    }

    function _count(bytes32[5] memory votes, bytes32 h, uint256 from, uint256 to) private pure returns (uint256 n) {
        for (uint256 i = from; i < to; ++i) if (votes[i] == h) ++n;
    }

    function _mask(
        bytes32[5] memory votes,
        bytes32 h,
        uint256 from,
        uint256 to,
        bool equal
    ) private pure returns (uint256 m) {
        for (uint256 i = from; i < to; ++i) if ((votes[i] == h) == equal) m |= 1 << i;
    }

    /// @dev Applies the model's slashes and rewards, checks the honest checkers' payments, closes the exposures.
    function _settle(uint256 id, C storage c, uint256 losers, uint256 honest, uint256[5] memory before) private {
        uint256 rewards;
        for (uint256 i = 0; i < 4; ++i) {
            if (losers & (1 << i) == 0) continue;
            (, uint256 rewarded) = model.slash(c.party[i], c.cap[i], crossCheck.slashBps());
            rewards += rewarded;
        }
        uint256 honestCount;
        for (uint256 i = 1; i < 5; ++i) if (honest & (1 << i) != 0) ++honestCount;
        uint256 share = honestCount == 0 ? 0 : rewards / honestCount;
        model.addBurned(rewards - share * honestCount);
        if (rewards != 0) {
            for (uint256 i = 1; i < 5; ++i) {
                if (honest & (1 << i) == 0) continue;
                model.check(token.balanceOf(c.party[i]) - before[i] == share, "honest checker's reward");
            }
        }
        for (uint256 i = 0; i < 5; ++i) {
            if (c.party[i] == address(0)) continue;
            model.onExposure(c.party[i], false);
            (bool isOpen, ) = staking.exposure(id, c.party[i]);
            model.check(!isOpen, "exposure left open by finalize");
        }
        c.phase = FINALIZED;
        for (uint256 k = 0; k < live.length; ++k) {
            if (live[k] != id) continue;
            live[k] = live[live.length - 1];
            live.pop();
            break;
        }
    }

    /// @dev A live check in phase `a` or `b` (still in its commit window if `committing`), scanning from `seed`.
    function _find(uint256 seed, uint8 a, uint8 b, bool committing) private view returns (uint256) {
        uint256 n = live.length;
        for (uint256 k = 0; k < n; ++k) {
            uint256 id = live[((seed % n) + k) % n];
            uint8 phase = _c[id].phase;
            if (phase != a && phase != b) continue;
            if (committing && model.now_() > _c[id].commitDeadline) continue;
            return id;
        }
        return 0;
    }

    function _salt(uint256 id, uint256 i) private pure returns (bytes32) {
        return keccak256(abi.encode("salt", id, i));
    }

    function _in(address[] memory set, address a) private pure returns (bool) {
        for (uint256 i = 0; i < set.length; ++i) if (set[i] == a) return true;
        return false;
    }
}
