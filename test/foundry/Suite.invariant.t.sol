// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DataGen} from "../../contracts/token/DataGen.sol";
import {MiningReservation} from "../../contracts/emission/MiningReservation.sol";
import {InflationVote} from "../../contracts/governance/InflationVote.sol";
import {IInflationVote} from "../../contracts/interfaces/IInflationVote.sol";
import {ValidatorStaking} from "../../contracts/staking/ValidatorStaking.sol";
import {IValidatorStaking} from "../../contracts/interfaces/IValidatorStaking.sol";
import {ComputeRewards} from "../../contracts/rewards/ComputeRewards.sol";
import {IComputeRewards} from "../../contracts/interfaces/IComputeRewards.sol";
import {CrossCheck} from "../../contracts/crosscheck/CrossCheck.sol";
import {Test} from "./base/Test.sol";
import {vmx} from "./suite/VmExtra.sol";
import {SuiteModel} from "./suite/SuiteModel.sol";
import {ValidatorHandler} from "./suite/ValidatorHandler.sol";
import {CheckHandler} from "./suite/CheckHandler.sol";
import {RewardsHandler} from "./suite/RewardsHandler.sol";
import {VoteHandler} from "./suite/VoteHandler.sol";

/**
 * @title SuiteInvariantTest
 * @notice The whole suite deployed and wired in `setUp()` exactly as the Ignition modules do
 * (`deploy/modules/Core.ts`, `Suite.ts`, `CrossCheck.ts`: same constructor arguments and defaults, same
 * wiring calls in the same order; the deployer is treasury, owner, admin, oracle, guardian and
 * coordinator, as the modules' defaults make it), then random sequences of the actors in
 * {ValidatorHandler}, {CheckHandler} and {RewardsHandler}, checked against {SuiteModel}.
 *
 * Two campaigns (forge runs each `invariant_*` function as its own): {invariant_accounting} (every
 * balance, schedule, escrow, distributor and model check, after every call) and {invariant_liveness}
 * (every open check can be finalized and every exposure closes, every unbonding validator can then
 * withdraw: tried inside a state snapshot, reverted afterwards).
 *
 * InflationVote's actors are in {VoteHandler}: proposers, backers, voters, settlers, withdrawers.
 */
contract SuiteInvariantTest is Test {
    // deploy/modules/Core.ts
    uint256 private constant RELEASE_START = 1_711_922_400;
    uint256 private constant INITIAL_BURN_BPS = 0;
    uint256 private constant QUORUM_BPS = 100;
    uint256 private constant PROPOSAL_DEPOSIT = 1_000 ether;
    uint256 private constant RESERVE = 15_000_000 ether;
    // deploy/modules/Suite.ts (SUITE_DEFAULTS)
    uint256 private constant MIN_STAKE = 10_000 ether;
    uint256 private constant COOLDOWN = 7 days;
    uint256 private constant FAULT_LIMIT = 3;
    uint256 private constant SLASH_REWARD_BPS = 5_000;
    uint256 private constant EPOCH_DURATION = 1 days;
    uint256 private constant CHALLENGE_WINDOW = 1 days;
    uint48 private constant ADMIN_DELAY = 3 days;
    // deploy/modules/CrossCheck.ts (CROSS_CHECK_DEFAULTS)
    uint256 private constant COMMIT_WINDOW = 24 hours;
    uint256 private constant REVEAL_WINDOW = 12 hours;
    uint256 private constant MAX_RECEIPT_AGE = 72 hours;
    uint256 private constant SLASH_BPS = 1_000;

    uint256 private constant SUPPLY = 30_000_000 ether;
    /// @dev DG each actor receives from the treasury, and how many actors start staked.
    uint256 private constant ACTOR_FUNDS = 400_000 ether;
    uint256 private constant INITIAL_VALIDATORS = 6;

    address internal deployer = address(0xD0);
    DataGen internal token;
    MiningReservation internal reservation;
    address internal inflationVote;
    ValidatorStaking internal staking;
    ComputeRewards internal rewards;
    CrossCheck internal crossCheck;

    SuiteModel internal model;
    ValidatorHandler internal validators;
    CheckHandler internal checks;
    RewardsHandler internal distributor;
    VoteHandler internal votes;

    function setUp() public {
        // Deployed the day before the schedule starts (time jumps cover later deployments).
        vm.warp(RELEASE_START - 1 days);
        vm.roll(1);
        vm.startPrank(deployer);
        // Core.ts
        token = new DataGen(deployer, deployer);
        reservation = new MiningReservation(address(token), RELEASE_START, INITIAL_BURN_BPS, deployer);
        inflationVote = _deployInflationVote();
        reservation.setInflationVote(inflationVote);
        token.approve(address(reservation), RESERVE);
        reservation.fund();
        // Suite.ts
        staking = new ValidatorStaking(
            address(token),
            MIN_STAKE,
            COOLDOWN,
            FAULT_LIMIT,
            SLASH_REWARD_BPS,
            deployer,
            ADMIN_DELAY
        );
        rewards = new ComputeRewards(
            address(token),
            address(reservation),
            address(staking),
            reservation.start(),
            EPOCH_DURATION,
            CHALLENGE_WINDOW,
            deployer,
            ADMIN_DELAY
        );
        reservation.setBeneficiary(address(rewards));
        rewards.grantRole(rewards.ORACLE_ROLE(), deployer);
        rewards.grantRole(rewards.GUARDIAN_ROLE(), deployer);
        // CrossCheck.ts
        crossCheck = new CrossCheck(
            address(staking),
            COMMIT_WINDOW,
            REVEAL_WINDOW,
            MAX_RECEIPT_AGE,
            SLASH_BPS,
            deployer,
            ADMIN_DELAY
        );
        staking.setSlasher(address(crossCheck));
        crossCheck.grantRole(crossCheck.COORDINATOR_ROLE(), deployer);
        vm.stopPrank();

        address[] memory holders = new address[](6);
        (holders[0], holders[1], holders[2]) = (deployer, address(reservation), inflationVote);
        (holders[3], holders[4], holders[5]) = (address(staking), address(rewards), address(crossCheck));
        model = new SuiteModel(token, reservation, staking, holders);
        validators = new ValidatorHandler(model);
        checks = new CheckHandler(model, crossCheck, deployer);
        distributor = new RewardsHandler(model, rewards, deployer, deployer);
        votes = new VoteHandler(model, InflationVote(inflationVote));

        for (uint256 i = 0; i < model.ACTORS(); ++i) {
            address a = model.actor(i); // read before the prank
            vm.prank(deployer);
            assertTrue(token.transfer(a, ACTOR_FUNDS), "funding transfer returned false");
        }
        for (uint256 i = 0; i < INITIAL_VALIDATORS; ++i) validators.stake(i, 2 * MIN_STAKE, i % 2 == 0);
        model.rollBlocks(1);

        _labels();
        _targets();
    }

    /// @dev InflationVote exactly as Core.ts deploys it today (the one place to change after the rewrite).
    function _deployInflationVote() internal returns (address) {
        return address(new InflationVote(address(token), address(reservation), QUORUM_BPS, PROPOSAL_DEPOSIT));
    }

    function _targets() private {
        bytes4[] memory v = new bytes4[](8);
        v[0] = ValidatorHandler.transfer.selector;
        v[1] = ValidatorHandler.burn.selector;
        v[2] = ValidatorHandler.permitAndSpend.selector;
        v[3] = ValidatorHandler.stake.selector;
        v[4] = ValidatorHandler.unbond.selector;
        v[5] = ValidatorHandler.withdraw.selector;
        v[6] = ValidatorHandler.wait.selector;
        v[7] = ValidatorHandler.release.selector;
        targetSelector(address(validators), v);
        targetContract(address(validators));

        bytes4[] memory c = new bytes4[](9);
        c[0] = CheckHandler.open.selector;
        c[1] = CheckHandler.attack.selector;
        c[2] = CheckHandler.draw.selector;
        c[3] = CheckHandler.advance.selector;
        c[4] = CheckHandler.commit.selector;
        c[5] = CheckHandler.reveal.selector;
        c[6] = CheckHandler.finalize.selector;
        c[7] = CheckHandler.open.selector; // opens twice as often: checks are the richest part
        c[8] = CheckHandler.play.selector; // whole scripted rounds: every verdict of SPEC 6 (see play)
        targetSelector(address(checks), c);
        targetContract(address(checks));

        bytes4[] memory r = new bytes4[](4);
        r[0] = RewardsHandler.serve.selector;
        r[1] = RewardsHandler.post.selector;
        r[2] = RewardsHandler.revoke.selector;
        r[3] = RewardsHandler.settle.selector;
        targetSelector(address(distributor), r);
        targetContract(address(distributor));

        bytes4[] memory g = new bytes4[](8);
        g[0] = VoteHandler.propose.selector;
        g[1] = VoteHandler.back.selector;
        g[2] = VoteHandler.back.selector; // pools fill twice as often as proposals appear
        g[3] = VoteHandler.leave.selector;
        g[4] = VoteHandler.lock.selector;
        g[5] = VoteHandler.settle.selector;
        g[6] = VoteHandler.withdraw.selector;
        g[7] = VoteHandler.wait.selector;
        targetSelector(address(votes), g);
        targetContract(address(votes));
    }

    function _labels() private {
        vm.label(deployer, "deployer");
        vm.label(address(token), "DG");
        vm.label(address(reservation), "reservation");
        vm.label(inflationVote, "inflationVote");
        vm.label(address(staking), "staking");
        vm.label(address(rewards), "rewards");
        vm.label(address(crossCheck), "crossCheck");
    }

    /// @notice The wiring the modules leave (checked once).
    function test_setUpMatchesModules() public view {
        assertEq(reservation.inflationVote(), inflationVote, "vote");
        assertEq(reservation.beneficiary(), address(rewards), "beneficiary");
        assertEq(staking.slasher(), address(crossCheck), "slasher");
        assertTrue(rewards.hasRole(rewards.ORACLE_ROLE(), deployer), "oracle");
        assertTrue(rewards.hasRole(rewards.GUARDIAN_ROLE(), deployer), "guardian");
        assertTrue(crossCheck.hasRole(crossCheck.COORDINATOR_ROLE(), deployer), "coordinator");
        assertEq(rewards.genesis(), RELEASE_START, "genesis");
        assertEq(token.balanceOf(address(reservation)), RESERVE, "reserve");
        assertEq(staking.activeValidatorCount(), INITIAL_VALIDATORS, "initial validators");
    }

    /**
     * @notice SPEC 4 "No windfalls": after a 30-day pause in postings, the next pool holds its own day's
     * emission plus 1/90 of the backlog, not the backlog (the rest stays in the carry).
     */
    function test_noWindfallAfterPause() public {
        vm.startPrank(deployer);
        vm.warp(RELEASE_START + 1 days + 1);
        rewards.postRoot(0, bytes32(uint256(1)), 1);
        vm.warp(RELEASE_START + 32 days + 1);
        uint256 available =
            rewards.carry() + reservation.emittedBy(vm.getBlockTimestamp()) - reservation.totalReleased();
        rewards.postRoot(31, bytes32(uint256(1)), 1);
        vm.stopPrank();
        uint256 own = 4_560 ether; // day 31
        assertEq(rewards.getEpoch(31).pool, own + (available - own) / 90, "pool = own day + backlog / 90");
        assertEq(rewards.carry(), available - rewards.getEpoch(31).pool, "the rest stays in the carry");
    }

    /**
     * @notice Every verdict of SPEC 6 is reachable through the campaign's own actions: from the deployed
     * suite, checks opened by the coordinator (honest or lying receipts, fuzzed pairing and users) and
     * played by {CheckHandler.play} with each scripted profile reach Invalid, Pass, CheckerSlashed,
     * TieDecided (a tie, then a fifth who joins the receipt), PairedSlashed and Inconclusive (three
     * different answers; and a tie whose fifth answers alone), each as the model predicts.
     */
    /// forge-config: default.fuzz.runs = 20
    /// forge-config: ci.fuzz.runs = 100
    /// forge-config: deep.fuzz.runs = 1000
    function testFuzz_everyVerdictReachable(uint256 seed) public {
        uint8[8] memory profiles = [0, 1, 2, 3, 4, 5, 5, 0];
        for (uint256 t = 0; t < 7; ++t) {
            uint256 r = uint256(keccak256(abi.encode(seed, t)));
            checks.open(r, r >> 16, (r >> 32) % 2 == 0, 0, true);
            assertEq(checks.liveCount(), 1, "one live check");
            checks.play(0, profiles[t]);
            // A tie: the fifth joins the receipt (TieDecided) the first time, answers alone the second.
            if (checks.liveCount() == 1) checks.play(0, t == 5 ? 0 : 1 << 8);
            assertEq(checks.liveCount(), 0, "the round ended");
        }
        assertEq(bytes(model.violation()).length, 0, model.violation());
        string[7] memory names = [
            "",
            "Invalid",
            "Pass",
            "CheckerSlashed",
            "TieDecided",
            "PairedSlashed",
            "Inconclusive"
        ];
        for (uint256 v = 1; v <= 6; ++v) {
            uint256 n = model.calls(bytes32(uint256(bytes32("verdict0")) + (v << 192)));
            assertGe(n, 1, string.concat("verdict not reached: ", names[v]));
        }
    }

    /**
     * @notice DG conserved; release within the schedule; escrow == totalStaked == the model; CrossCheck
     * empty; no epoch above its pool and the distributor covering what it owes; the active set and its
     * order as the model replays them; every expectation of the handlers held.
     */
    /// forge-config: ci.invariant.runs = 48
    /// forge-config: ci.invariant.depth = 400
    function invariant_accounting() public view {
        assertEq(bytes(model.violation()).length, 0, model.violation());
        _conservation();
        _schedule();
        _escrow();
        _distributor();
        _vote();
    }

    /// @notice Liveness: from any reachable state every open check can be driven to Finalized with all its
    /// exposures closed, and then every unbonding validator can withdraw after its cooldown.
    /// forge-config: ci.invariant.runs = 24
    /// forge-config: ci.invariant.depth = 250
    function invariant_liveness() public {
        uint256 id = vmx.snapshotState();
        checks.probeLiveness();
        votes.probeLiveness();
        vmx.revertToState(id);
    }

    function _conservation() private view {
        uint256 held;
        uint256 n = model.dgAccountCount();
        for (uint256 i = 0; i < n; ++i) held += token.balanceOf(model.dgAccounts(i));
        uint256 burned = SUPPLY - token.totalSupply();
        assertEq(held + burned, SUPPLY, "DG: held + burned");
        assertEq(
            burned,
            model.ghostBurned() + reservation.totalBurned(),
            "DG: burned by holders, slashes, dust, reservation"
        );
        assertEq(token.balanceOf(address(crossCheck)), 0, "CrossCheck holds DG");
    }

    function _schedule() private view {
        uint256 emitted = reservation.emitted();
        assertLe(emitted, reservation.emittedBy(vm.getBlockTimestamp()), "emitted <= emittedBy(now)");
        assertEq(model.lastReleaseEmitted(), model.lastReleaseSchedule(), "emitted == emittedBy right after a release");
        assertGe(vm.getBlockTimestamp(), model.lastWarp(), "clock persisted");
    }

    function _escrow() private view {
        uint256 owed;
        address[] memory set = model.set();
        for (uint256 i = 0; i < model.ACTORS(); ++i) {
            address a = model.actor(i);
            SuiteModel.V memory m = model.v(a);
            IValidatorStaking.Validator memory r = staking.validatorInfo(a);
            assertEq(uint256(r.status), uint256(m.status), "status");
            assertEq(r.active, m.active, "active stake");
            assertEq(r.unbonding, m.unbonding, "unbonding stake");
            assertEq(r.openExposures, m.openExposures, "open exposures");
            assertEq(r.faults, m.faults, "faults");
            assertEq(m.active + m.unbonding, m.staked - m.withdrawn - m.slashed, "owed = staked - withdrawn - slashed");
            owed += m.active + m.unbonding;
        }
        assertEq(staking.totalStaked(), owed, "totalStaked == sum of the model's stakes");
        assertEq(token.balanceOf(address(staking)), owed, "escrow balance == what it owes");
        assertEq(staking.activeValidatorCount(), set.length, "active set size");
        for (uint256 i = 0; i < set.length; ++i) assertEq(staking.activeValidatorAt(i), set[i], "active set order");
    }

    function _distributor() private view {
        uint256 owedByEpochs;
        uint256 n = distributor.postedCount();
        for (uint256 k = 0; k < n; ++k) {
            uint256 epoch = distributor.posted(k);
            IComputeRewards.EpochData memory d = rewards.getEpoch(epoch);
            (uint256 pool, uint256 paid) = distributor.epochPaid(epoch);
            assertLe(d.spent, d.pool, "epoch spent <= pool");
            assertLe(paid, pool, "epoch paid out <= its pool");
            owedByEpochs += d.pool - d.spent;
        }
        assertEq(rewards.carry(), distributor.ghostCarry(), "carry");
        uint256 unreleased = reservation.totalReleased() - rewards.accountedRelease();
        assertEq(
            token.balanceOf(address(rewards)),
            rewards.carry() + unreleased + owedByEpochs,
            "distributor balance == carry + unaccounted releases + unspent pools"
        );
    }

    /**
     * @notice SPEC 3: the vote holds exactly the positions and deposits it owes (the model's and the sum of
     * its own positions); every lock counted once; at most one vote running; the queue a consistent FIFO
     * list equal to the model's; the reservation's rate the one the last passed vote set.
     */
    function _vote() private view {
        InflationVote v = InflationVote(inflationVote);
        uint256 balance = token.balanceOf(inflationVote);
        assertEq(
            balance,
            votes.ghostOwedPositions() + votes.ghostHeldDeposits(),
            "vote: balance == owed positions + held deposits"
        );
        uint256 n = v.proposalCount();
        assertEq(n, votes.proposals(), "vote: proposal count");
        uint256 held;
        uint256 running;
        uint256 queued;
        uint256 actors = model.ACTORS();
        for (uint256 id = 1; id <= n; ++id) {
            IInflationVote.Proposal memory p = v.getProposal(id);
            VoteHandler.P memory g = votes.proposal(id);
            uint8 status = uint8(v.statusOf(id));
            assertEq(status, votes.statusOf(id), "vote: status differs from the model");
            assertEq(p.deposit, g.deposit, "vote: deposit held differs from the model");
            assertEq(p.forVotes, g.forVotes, "vote: forVotes");
            assertEq(p.againstVotes, g.againstVotes, "vote: againstVotes");
            assertEq(p.pooled, g.pooled, "vote: pooled");
            held += p.deposit;
            if (status == uint8(IInflationVote.Status.Voting)) ++running;
            if (status == uint8(IInflationVote.Status.Queued)) ++queued;
            uint256 locked;
            uint256 ghostLocked;
            for (uint256 k = 0; k < actors; ++k) {
                address a = model.actor(k);
                IInflationVote.Position memory r = v.positionOf(id, a);
                VoteHandler.Pos memory m = votes.position(id, a);
                assertEq(r.backed, m.backed, "vote: backed position differs from the model");
                assertEq(r.locked, m.locked, "vote: locked position differs from the model");
                held += uint256(r.backed) + r.locked;
                locked += r.locked;
                ghostLocked += m.locked;
            }
            // Until its voters withdraw, a vote's tally is exactly what is locked in it: each DG counts once.
            if (status == uint8(IInflationVote.Status.Voting)) {
                assertEq(uint256(p.forVotes) + p.againstVotes, locked, "vote: for + against != sum locked");
            }
            assertLe(locked, uint256(p.forVotes) + p.againstVotes, "vote: more locked than counted");
            if (status == uint8(IInflationVote.Status.Pooling) || status == uint8(IInflationVote.Status.Queued)) {
                assertEq(uint256(p.forVotes) + p.againstVotes, 0, "vote: votes before the vote opened");
            }
            assertEq(locked, ghostLocked, "vote: locked");
        }
        assertEq(held, balance, "vote: balance == sum of its own positions and deposits");
        assertLe(running, 1, "vote: more than one vote running");
        assertEq(v.activeProposal(), votes.ghostActive(), "vote: active proposal");
        if (running == 1) {
            assertEq(
                uint8(v.statusOf(v.activeProposal())),
                uint8(IInflationVote.Status.Voting),
                "vote: active not Voting"
            );
        } else {
            assertEq(v.activeProposal(), 0, "vote: an active proposal that is not Voting");
        }
        // The queue: walked from its head, exactly the Queued proposals, in the model's FIFO order.
        uint256[] memory q = votes.queue();
        assertEq(v.queueLength(), q.length, "vote: queue length");
        assertEq(queued, q.length, "vote: Queued proposals != queue length");
        if (q.length != 0) assertTrue(running == 1, "vote: a queue with no vote running");
        uint256 cursor = v.nextQueued(0);
        for (uint256 k = 0; k < q.length; ++k) {
            assertEq(cursor, q[k], "vote: queue order differs from the FIFO model");
            cursor = v.nextQueued(cursor);
        }
        assertEq(cursor, 0, "vote: queue longer than its length");
        assertEq(reservation.burnBps(), votes.ghostBurnBps(), "vote: burnBps is not the last passed vote's");
    }
}
