// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {ComputeRewards} from "../../../contracts/rewards/ComputeRewards.sol";
import {IComputeRewards} from "../../../contracts/interfaces/IComputeRewards.sol";
import {DataGen} from "../../../contracts/token/DataGen.sol";
import {MiningReservation} from "../../../contracts/emission/MiningReservation.sol";
import {TestBase} from "../base/Test.sol";
import {SuiteModel} from "./SuiteModel.sol";

/**
 * @title RewardsHandler
 * @notice The network serves compute (ghost compute per validator), the oracle posts epochs — honest roots
 * built from the ghost compute, or wrong ones whose leaves sum above the total — as StandardMerkleTree
 * leaves in trees of 1 to 4 leaves built here with sorted-pair hashing, the guardian revokes inside the
 * challenge window (and fails after it), and anyone claims (the validator, `claimFor`, or a batch `claim`)
 * or forfeits. A model of every pool (SPEC 4: released since the last posting + carry, capped at the epoch's
 * own days' emission + 1/90 of the rest), of `spent`, of the
 * settled compute and of the carry predicts each payment; eligibility comes from the escrow model.
 */
contract RewardsHandler is TestBase {
    /// @dev The model of one posted epoch.
    struct E {
        bytes32 root;
        uint256 total;
        uint256 pool;
        uint256 postedAt;
        uint256 spent;
        uint256 settled;
        uint256 paid;
        uint256 n;
        address[4] who;
        uint256[4] compute;
        bool[4] done;
    }

    ComputeRewards public immutable rewards;
    MiningReservation public immutable reservation;
    DataGen public immutable token;
    SuiteModel public immutable model;
    address public immutable oracle;
    address public immutable guardian;

    mapping(uint256 epoch => E) private _e;
    /// @notice Posted epochs not revoked, in posting order.
    uint256[] public posted;
    mapping(address validator => uint256 compute) public pendingCompute;
    uint256 public ghostCarry;
    uint256 public ghostAccounted;
    uint256 private _pendingUntil;

    constructor(SuiteModel model_, ComputeRewards rewards_, address oracle_, address guardian_) {
        model = model_;
        rewards = rewards_;
        reservation = model_.reservation();
        token = model_.token();
        oracle = oracle_;
        guardian = guardian_;
    }

    function postedCount() external view returns (uint256) {
        return posted.length;
    }

    /// @notice What the model says epoch `epoch` may pay at most, and what was actually paid out of it.
    function epochPaid(uint256 epoch) external view returns (uint256 pool, uint256 paid) {
        return (_e[epoch].pool, _e[epoch].paid);
    }

    /* ----- the network ----- */

    /// @notice A validator serves `units` of compute (reported in the next posting).
    function serve(uint256 seed, uint256 units) external {
        pendingCompute[model.actor(seed)] += bound(units, 1, 1e12);
        model.count("serve");
    }

    /* ----- oracle, guardian ----- */

    /// @notice The oracle posts the next ended epoch (or one a little later: gaps are allowed), honest or wrong.
    function post(uint256 epochSeed, uint256 leafSeed, bool wrong) external {
        model.warpTo(_pendingUntil);
        uint256 next = rewards.nextEpoch();
        if (rewards.epochsEnded() <= next) {
            model.warpTo(rewards.epochStart(next + 1) + (epochSeed % rewards.epochDuration()));
        }
        uint256 ended = rewards.epochsEnded();
        uint256 epoch = next + (epochSeed % Math.min(3, ended - next));
        E storage d = _e[epoch];
        _leaves(d, epoch, leafSeed);
        uint256 sum;
        for (uint256 i = 0; i < d.n; ++i) sum += d.compute[i];
        d.total = wrong ? Math.max(1, sum / 3) : sum;
        d.root = _root(d, epoch);
        vm.prank(oracle);
        rewards.postRoot(epoch, d.root, d.total);
        uint256 released = reservation.totalReleased();
        uint256 available = released - ghostAccounted + ghostCarry;
        d.pool = _poolCap(epoch, available);
        d.postedAt = model.now_();
        ghostAccounted = released;
        ghostCarry = available - d.pool;
        _pendingUntil = d.postedAt + rewards.challengeWindow();
        posted.push(epoch);
        model.recordRelease();
        model.check(rewards.getEpoch(epoch).pool == d.pool, "pool != min(available, own days + rest / 90) (SPEC 4)");
        model.count(wrong ? bytes32("postWrong") : bytes32("post"));
    }

    /// @notice The guardian revokes the latest root inside its window (after it, the revoke must fail).
    function revoke(uint256 delaySeed) external {
        if (posted.length == 0) return;
        uint256 epoch = posted[posted.length - 1];
        E storage d = _e[epoch];
        uint256 activation = d.postedAt + rewards.challengeWindow();
        model.warpTo(model.now_() + (delaySeed % 2 == 0 ? 0 : delaySeed % rewards.challengeWindow()));
        vm.prank(guardian);
        try rewards.revokeRoot(epoch) {
            model.check(model.now_() < activation, "revoked an active root");
            ghostCarry += d.pool;
            delete _e[epoch];
            posted.pop();
            _pendingUntil = 0;
            model.count("revoke");
        } catch {
            model.check(model.now_() >= activation, "guardian could not revoke inside the window");
            model.count("revokeLate");
        }
    }

    /* ----- claims ----- */

    /**
     * @notice Settles one leaf: an eligible validator claims it (itself, `claimFor` by anyone, or in a batch
     * with its other open leaves), an ineligible one is forfeited by anyone; a settled leaf must not pay twice.
     */
    function settle(uint256 epochSeed, uint256 leafSeed, uint256 mode, uint256 callerSeed) external {
        if (posted.length == 0) return;
        uint256 epoch = posted[epochSeed % posted.length];
        E storage d = _e[epoch];
        model.warpTo(d.postedAt + rewards.challengeWindow());
        uint256 i = leafSeed % d.n;
        address who = d.who[i];
        address caller = model.actor(callerSeed);
        if (d.done[i]) {
            vm.prank(who);
            try rewards.claimEpoch(epoch, d.compute[i], _proof(d, epoch, i)) {
                model.check(false, "a leaf paid twice");
            } catch {}
            model.count("claimTwiceRefused");
            return;
        }
        if (!_eligible(who, epoch)) {
            uint256 amount = _consume(d, i);
            vm.prank(caller);
            rewards.forfeit(epoch, who, d.compute[i], _proof(d, epoch, i));
            ghostCarry += amount;
            model.count("forfeit");
            return;
        }
        uint256 before = token.balanceOf(who);
        uint256 expected;
        if (mode % 3 == 2) {
            expected = _batch(who, caller);
        } else {
            expected = _consume(d, i);
            d.paid += expected;
            if (mode % 3 == 0) {
                vm.prank(who);
                rewards.claimEpoch(epoch, d.compute[i], _proof(d, epoch, i));
            } else {
                IComputeRewards.Claim[] memory list = new IComputeRewards.Claim[](1);
                list[0] = IComputeRewards.Claim(epoch, d.compute[i], _proof(d, epoch, i));
                vm.prank(caller);
                rewards.claimFor(who, list);
            }
        }
        model.check(
            token.balanceOf(who) - before == expected,
            "claim paid another amount than mulDiv(pool, compute, total)"
        );
        model.count(
            mode % 3 == 2
                ? bytes32("claimBatch")
                : mode % 3 == 0
                    ? bytes32("claim")
                    : bytes32("claimFor")
        );
    }

    /* ----- internal ----- */

    /// @dev Every open leaf of `who` in an active epoch it is eligible for, claimed by `who` in one call.
    function _batch(address who, address) private returns (uint256 total) {
        uint256 m;
        IComputeRewards.Claim[] memory list = new IComputeRewards.Claim[](posted.length);
        for (uint256 k = 0; k < posted.length; ++k) {
            uint256 epoch = posted[k];
            E storage d = _e[epoch];
            if (model.now_() < d.postedAt + rewards.challengeWindow() || !_eligible(who, epoch)) continue;
            for (uint256 i = 0; i < d.n; ++i) {
                if (d.who[i] != who || d.done[i]) continue;
                uint256 amount = _consume(d, i);
                d.paid += amount;
                total += amount;
                list[m++] = IComputeRewards.Claim(epoch, d.compute[i], _proof(d, epoch, i));
            }
        }
        assembly ("memory-safe") {
            mstore(list, m)
        }
        vm.prank(who);
        rewards.claim(list);
    }

    /// @dev The share of leaf `i`, and the pool's bookkeeping (spent, settled compute, dust to the carry).
    function _consume(E storage d, uint256 i) private returns (uint256 amount) {
        uint256 compute = d.compute[i];
        uint256 share = compute < d.total ? Math.mulDiv(d.pool, compute, d.total) : d.pool;
        amount = Math.min(share, d.pool - d.spent);
        d.spent += amount;
        if (d.settled < d.total) {
            if (compute < d.total - d.settled) {
                d.settled += compute;
            } else {
                d.settled = d.total;
                ghostCarry += d.pool - d.spent;
                d.spent = d.pool;
            }
        }
        d.done[i] = true;
    }

    /// @dev SPEC 4: at most the schedule's emission for the epoch's own days plus 1/90 of the rest.
    function _poolCap(uint256 epoch, uint256 available) private view returns (uint256) {
        uint256 start = rewards.epochStart(epoch);
        uint256 own =
            reservation.emittedBy(start + rewards.epochDuration() - 1) -
                (start == 0 ? 0 : reservation.emittedBy(start - 1));
        return available <= own ? available : own + (available - own) / 90;
    }

    function _eligible(address who, uint256 epoch) private view returns (bool) {
        SuiteModel.V memory r = model.v(who);
        uint256 start = rewards.epochStart(epoch);
        return
            r.admittedAt != 0 &&
            r.admittedAt <= start &&
            (r.leftAt == 0 || r.leftAt >= start + rewards.epochDuration());
    }

    /// @dev 1 to 4 distinct validators: those with ghost compute first (then reset), else random ones.
    function _leaves(E storage d, uint256 epoch, uint256 seed) private {
        uint256 actors = model.actorCount();
        d.n = 0;
        for (uint256 k = 0; k < actors && d.n < 4; ++k) {
            address a = model.actor((seed % actors) + k);
            uint256 c = pendingCompute[a];
            if (c == 0) continue;
            d.who[d.n] = a;
            d.compute[d.n++] = c;
            pendingCompute[a] = 0;
        }
        uint256 want = 1 + ((seed >> 8) % 4);
        for (uint256 k = 0; k < actors && d.n < want; ++k) {
            address a = model.actor(((seed >> 16) % actors) + k);
            bool dup;
            for (uint256 j = 0; j < d.n; ++j) dup = dup || d.who[j] == a;
            if (dup) continue;
            d.who[d.n] = a;
            d.compute[d.n++] = 1 + (uint256(keccak256(abi.encode(seed, epoch, k))) % 1e9);
        }
        for (uint256 j = d.n; j < 4; ++j) (d.who[j], d.compute[j], d.done[j]) = (address(0), 0, false);
        for (uint256 j = 0; j < d.n; ++j) d.done[j] = false;
        (d.spent, d.settled, d.paid) = (0, 0, 0);
    }

    function _leaf(E storage d, uint256 epoch, uint256 i) private view returns (bytes32) {
        return
            keccak256(
                bytes.concat(keccak256(abi.encode(block.chainid, address(rewards), epoch, d.who[i], d.compute[i])))
            );
    }

    /// @dev Tree shapes: 1 leaf = itself; 2 = H(l0, l1); 3 = H(H(l0, l1), l2); 4 = H(H(l0, l1), H(l2, l3)).
    function _root(E storage d, uint256 epoch) private view returns (bytes32) {
        bytes32 l0 = _leaf(d, epoch, 0);
        if (d.n == 1) return l0;
        bytes32 a = Hashes.commutativeKeccak256(l0, _leaf(d, epoch, 1));
        if (d.n == 2) return a;
        if (d.n == 3) return Hashes.commutativeKeccak256(a, _leaf(d, epoch, 2));
        return Hashes.commutativeKeccak256(a, Hashes.commutativeKeccak256(_leaf(d, epoch, 2), _leaf(d, epoch, 3)));
    }

    function _proof(E storage d, uint256 epoch, uint256 i) private view returns (bytes32[] memory proof) {
        if (d.n == 1) return new bytes32[](0);
        if (d.n == 2) {
            proof = new bytes32[](1);
            proof[0] = _leaf(d, epoch, 1 - i);
            return proof;
        }
        if (i >= 2) {
            if (d.n == 3) {
                proof = new bytes32[](1);
                proof[0] = Hashes.commutativeKeccak256(_leaf(d, epoch, 0), _leaf(d, epoch, 1));
            } else {
                proof = new bytes32[](2);
                proof[0] = _leaf(d, epoch, 5 - i);
                proof[1] = Hashes.commutativeKeccak256(_leaf(d, epoch, 0), _leaf(d, epoch, 1));
            }
            return proof;
        }
        proof = new bytes32[](2);
        proof[0] = _leaf(d, epoch, 1 - i);
        proof[1] = d.n == 3 ? _leaf(d, epoch, 2) : Hashes.commutativeKeccak256(_leaf(d, epoch, 2), _leaf(d, epoch, 3));
    }
}
