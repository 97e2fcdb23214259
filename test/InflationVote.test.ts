import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { DAY, DG, QUORUM_BPS, TOTAL_SUPPLY, scheduleAfterDay } from "./helpers/fixtures";
import { expectConserved } from "./helpers/conservation";
import {
  HOLDER_BALANCE,
  HOUR,
  MAX_QUORUM_BPS,
  MAX_VOTING_DURATION,
  MIN_VOTE_LOCK,
  MIN_VOTING_DURATION,
  OUTSIDER_BALANCE,
  POOLING_WINDOW,
  POOL_TARGET,
  PROPOSAL_DEPOSIT,
  MIN_PROPOSAL_DEPOSIT,
  MAX_PROPOSAL_DEPOSIT,
  QUIET_ENDING_EXTENSION,
  QUIET_ENDING_WINDOW,
  Side,
  Status,
  atTime,
  ceilQuorum,
  expectVoteBalanceOwed,
  proposeAndFill,
  queueOf,
  voteFixture,
  voteState,
} from "./helpers/vote";

type Fixture = Awaited<ReturnType<typeof voteFixture>>;
type Ballot = [voter: HardhatEthersSigner, support: boolean, amount: bigint];

/** The quorum of the fixture: 1% of 30,000,000 DG, nothing burned yet. */
const FIXTURE_QUORUM = 300_000n * DG;

/** The EOAs of the fixture (the accounts that can be owed DG by the vote contract). */
function accountsOf(f: Fixture): string[] {
  return f.allHolders.slice(0, -2);
}

/**
 * Conservation after a scenario: all balances + burned == 30,000,000 DG, and the vote contract
 * holds exactly Σ(backed + locked) over every proposal and account (optionally pinned to `owed`).
 */
async function expectConservation(f: Fixture, owed?: bigint, burned?: bigint) {
  await expectConserved(f.token, f.allHolders, burned);
  await expectVoteBalanceOwed(f.token, f.inflationVote, accountsOf(f), owed);
}

/** A picture of the vote's state and of every fixture balance, to compare before/after a revert. */
async function snapshot(f: Fixture) {
  return voteState(f.inflationVote, f.token, accountsOf(f));
}

/** Opens a vote at the next second: holders[0] proposes and fills the pool alone. */
async function openVote(f: Fixture, targetBurnBps = 5_000n, duration = MIN_VOTING_DURATION) {
  const backer = f.holders[0];
  await f.inflationVote.connect(backer).propose(targetBurnBps, duration);
  const id = await f.inflationVote.proposalCount();
  const tOpen = BigInt(await time.latest()) + 10n;
  await atTime(tOpen);
  await f.inflationVote.connect(backer).back(id, POOL_TARGET);
  const p = await f.inflationVote.getProposal(id);
  expect(p.status).to.equal(Status.Voting);
  expect(p.votingStart).to.equal(tOpen);
  return { id, tOpen, end: tOpen + duration, quorum: p.quorum };
}

/** Opens a vote, casts `ballots` right away, settles exactly at the end; returns the settle tx. */
async function runVote(f: Fixture, ballots: Ballot[]) {
  const vote = f.inflationVote;
  const { id, end, quorum } = await openVote(f);
  for (const [voter, support, amount] of ballots) await vote.connect(voter).vote(id, support, amount);
  await atTime(end);
  const settleTx = vote.settle(id);
  await settleTx;
  return { id, end, quorum, settleTx };
}

/**
 * Whether the proposal's deposit is burned, by the rule itself: an opened vote that ended with
 * for + against below its quorum.
 */
async function depositBurned(f: Fixture, id: bigint): Promise<boolean> {
  const p = await f.inflationVote.getProposal(id);
  return p.votingStart !== 0n && p.forVotes + p.againstVotes < p.quorum;
}

/**
 * Every participant withdraws; each gets back exactly backed + locked (the proposer also its deposit
 * unless the rule burned it) and ends at HOLDER_BALANCE (the proposer less a burned deposit).
 */
async function withdrawAllAndCheck(f: Fixture, id: bigint, participants: HardhatEthersSigner[]) {
  const vote = f.inflationVote;
  const { proposer } = await vote.getProposal(id);
  const burned = await depositBurned(f, id);
  let depositHeld = (await vote.getProposal(id)).deposit;
  expect(depositHeld).to.equal(burned ? 0n : PROPOSAL_DEPOSIT);
  for (const account of participants) {
    const position = await vote.positionOf(id, account.address);
    const isProposer = account.address === proposer;
    const deposit = isProposer ? depositHeld : 0n;
    const owed = position.backed + position.locked + deposit;
    expect(owed).to.be.greaterThan(0n);
    const tx = vote.connect(account).withdraw(id);
    await expect(tx).to.emit(vote, "Withdrawn").withArgs(id, account.address, owed);
    if (deposit !== 0n) await expect(tx).to.emit(vote, "DepositReturned").withArgs(id, account.address, deposit);
    else await expect(tx).not.to.emit(vote, "DepositReturned");
    expect(await f.token.balanceOf(account.address)).to.equal(
      HOLDER_BALANCE - (isProposer && burned ? PROPOSAL_DEPOSIT : 0n),
    );
    if (isProposer) depositHeld = 0n;
    expect((await vote.getProposal(id)).deposit).to.equal(depositHeld);
    const after = await vote.positionOf(id, account.address);
    expect(after.backed).to.equal(0n);
    expect(after.locked).to.equal(0n);
    await expect(vote.connect(account).withdraw(id))
      .to.be.revertedWithCustomError(vote, "InflationVoteNothingToWithdraw")
      .withArgs(id, account.address);
  }
  await expectConservation(f, 0n);
}

describe("InflationVote", () => {
  describe("full lifecycle", () => {
    it("pools from several backers, opens with a ceil quorum fixed at opening, passes and settles the release at the old rate first", async () => {
      const f = await loadFixture(voteFixture);
      const { token, reservation, inflationVote: vote, deployer, beneficiary, holders, releaseStart } = f;
      const [proposer, b1, b2, b3, v1, v2, v3] = holders;
      const voteAddress = await vote.getAddress();

      // A supply that is not a multiple of 100 wei, so the quorum's rounding direction shows.
      await token.connect(deployer).burn(12_345n);

      const tPropose = BigInt(await time.latest()) + 10n;
      await atTime(tPropose);
      const proposeTx = vote.connect(proposer).propose(5_000n, MIN_VOTING_DURATION);
      await expect(proposeTx)
        .to.emit(vote, "ProposalCreated")
        .withArgs(1n, proposer.address, 5_000n, MIN_VOTING_DURATION, tPropose + POOLING_WINDOW, PROPOSAL_DEPOSIT);
      await expect(proposeTx).to.changeTokenBalances(token, [proposer, vote], [-PROPOSAL_DEPOSIT, PROPOSAL_DEPOSIT]);
      expect((await vote.getProposal(1n)).deposit).to.equal(PROPOSAL_DEPOSIT);
      expect(await vote.proposalCount()).to.equal(1n);
      expect(await vote.statusOf(1n)).to.equal(Status.Pooling);

      const back1 = vote.connect(b1).back(1n, 30_000n * DG);
      await expect(back1)
        .to.emit(vote, "Backed")
        .withArgs(1n, b1.address, 30_000n * DG, 30_000n * DG);
      await expect(back1).not.to.emit(vote, "VotingOpened");
      await expect(vote.connect(b2).back(1n, 45_000n * DG)).to.changeTokenBalances(
        token,
        [b2, vote],
        [-45_000n * DG, 45_000n * DG],
      );
      expect((await vote.getProposal(1n)).pooled).to.equal(75_000n * DG);
      expect(await vote.activeProposal()).to.equal(0n);

      // The last backer offers 50,000 DG; only the 25,000 DG the pool still needs are taken.
      expect(await vote.connect(b3).back.staticCall(1n, 50_000n * DG)).to.equal(25_000n * DG);
      const supplyAtOpen = await token.totalSupply();
      expect(supplyAtOpen).to.equal(TOTAL_SUPPLY - 12_345n);
      const quorum = ceilQuorum(supplyAtOpen, QUORUM_BPS);
      expect(quorum).to.equal(FIXTURE_QUORUM - 123n); // floor would be FIXTURE_QUORUM - 124n
      const tOpen = tPropose + 100n;
      await atTime(tOpen);
      const fill = vote.connect(b3).back(1n, 50_000n * DG);
      await expect(fill)
        .to.emit(vote, "Backed")
        .withArgs(1n, b3.address, 25_000n * DG, POOL_TARGET)
        .and.to.emit(vote, "VotingOpened")
        .withArgs(1n, tOpen, tOpen + MIN_VOTING_DURATION, quorum);
      await expect(fill).to.changeTokenBalances(token, [b3, vote], [-25_000n * DG, 25_000n * DG]);
      expect(await token.balanceOf(b1.address)).to.equal(HOLDER_BALANCE - 30_000n * DG);
      expect(await token.balanceOf(b2.address)).to.equal(HOLDER_BALANCE - 45_000n * DG);
      expect(await token.balanceOf(b3.address)).to.equal(HOLDER_BALANCE - 25_000n * DG);
      expect(await token.balanceOf(voteAddress)).to.equal(POOL_TARGET + PROPOSAL_DEPOSIT);
      expect((await vote.positionOf(1n, b3.address)).backed).to.equal(25_000n * DG);

      const p = await vote.getProposal(1n);
      expect(p.status).to.equal(Status.Voting);
      expect(p.pooled).to.equal(POOL_TARGET);
      expect(p.votingStart).to.equal(tOpen);
      expect(p.votingEnd).to.equal(tOpen + MIN_VOTING_DURATION);
      expect(p.quorum).to.equal(quorum);
      expect(await vote.activeProposal()).to.equal(1n);

      // The quorum is fixed at opening: a later burn lowers the supply, not the quorum.
      await token.connect(deployer).burn(1_000_000n * DG);
      expect((await vote.getProposal(1n)).quorum).to.equal(quorum);

      await vote.connect(v1).vote(1n, true, 250_000n * DG);
      await vote.connect(v2).vote(1n, true, 60_000n * DG);
      await expect(vote.connect(v3).vote(1n, false, 100_000n * DG))
        .to.emit(vote, "VoteCast")
        .withArgs(1n, v3.address, false, 100_000n * DG, 310_000n * DG, 100_000n * DG);
      await expectConservation(f, POOL_TARGET + 410_000n * DG + PROPOSAL_DEPOSIT);

      const end = tOpen + MIN_VOTING_DURATION;
      await atTime(end - 1n);
      await expect(vote.settle(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded")
        .withArgs(1n, end);

      // Settle exactly at the end: the release due so far goes out at the old rate (0 bps).
      expect(await reservation.emitted()).to.equal(0n);
      const day = (end - releaseStart) / DAY;
      const due = scheduleAfterDay(day);
      expect(due).to.equal((day + 1n) * 4_560n * DG);
      await atTime(end);
      const settle = vote.settle(1n);
      await expect(settle)
        .to.emit(vote, "ProposalSettled")
        .withArgs(1n, true, 310_000n * DG, 100_000n * DG)
        .and.to.emit(reservation, "Released")
        .withArgs(due, 0n, 0n, due)
        .and.to.emit(reservation, "BurnBpsChanged")
        .withArgs(0n, 5_000n);
      await expect(settle).to.changeTokenBalances(token, [beneficiary, reservation], [due, -due]);
      expect(await reservation.burnBps()).to.equal(5_000n);
      expect(await vote.statusOf(1n)).to.equal(Status.Passed);
      expect(await vote.activeProposal()).to.equal(0n);

      // From the next day on, releases burn at the new rate.
      await atTime(releaseStart + (day + 1n) * DAY);
      const release = reservation.release();
      await expect(release)
        .to.emit(reservation, "Released")
        .withArgs(2_280n * DG, 2_280n * DG, 5_000n, due + 4_560n * DG);
      await expect(release).to.changeTokenBalance(token, beneficiary, 2_280n * DG);

      // Participation reached the quorum: the proposer (who never backed) withdraws its deposit alone.
      await withdrawAllAndCheck(f, 1n, [b1, b2, b3, v1, v2, v3, proposer]);
      await expectConserved(token, f.allHolders, 12_345n + 1_000_000n * DG + 2_280n * DG);
    });
  });

  describe("attack: dummy proposals hold the queue", () => {
    /**
     * The audit's scenario: ten 30-day dummy proposals, filled with 1,000,000 DG, nobody votes on
     * them; a real proposal fills one day after the first dummy opened. Before the fix it waited
     * 299 days with its backer's 100,000 DG locked, at no cost to the attacker.
     */
    async function tenDummies(f: Fixture) {
      const vote = f.inflationVote;
      const [attacker, realBacker] = f.holders;
      // The attacker needs the ten deposits on top of the 1,000,000 DG of pools.
      await f.token.connect(f.deployer).transfer(attacker.address, 10n * PROPOSAL_DEPOSIT);
      for (let i = 0; i < 10; i++) await vote.connect(attacker).propose(5_000n, MAX_VOTING_DURATION);
      const t0 = BigInt(await time.latest()) + 10n;
      await atTime(t0);
      for (let id = 1n; id <= 10n; id++) await vote.connect(attacker).back(id, POOL_TARGET);
      expect(await vote.activeProposal()).to.equal(1n);
      expect(await queueOf(vote)).to.deep.equal([2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
      await vote.connect(realBacker).propose(2_000n, MIN_VOTING_DURATION);
      const queuedAt = t0 + DAY;
      await atTime(queuedAt);
      await expect(vote.connect(realBacker).back(11n, POOL_TARGET)).to.emit(vote, "ProposalQueued").withArgs(11n, 9n);
      return { vote, attacker, realBacker, t0, queuedAt };
    }

    it("each empty dummy closes after 7 days and burns its deposit: the real proposal waits 69 days, not 299", async () => {
      const f = await loadFixture(voteFixture);
      const { vote, attacker, t0, queuedAt } = await tenDummies(f);
      for (let id = 1n; id <= 10n; id++) {
        const p = await vote.getProposal(id);
        const closes = p.votingStart + MIN_VOTING_DURATION;
        expect(p.votingEnd).to.equal(p.votingStart + MAX_VOTING_DURATION);
        await atTime(closes);
        const settle = vote.settle(id);
        await expect(settle)
          .to.emit(vote, "ProposalSettled")
          .withArgs(id, false, 0n, 0n)
          .and.to.emit(vote, "DepositBurned")
          .withArgs(id, attacker.address, PROPOSAL_DEPOSIT);
        await expect(settle).to.changeTokenBalance(f.token, vote, -PROPOSAL_DEPOSIT);
      }
      const opened = (await vote.getProposal(11n)).votingStart;
      expect(opened).to.equal(t0 + 10n * MIN_VOTING_DURATION);
      expect(opened - queuedAt).to.equal(69n * DAY); // was 299 days
      expect(await vote.activeProposal()).to.equal(11n);
      // The attacker gets its pools back but not its deposits: 10,000 DG gone for good.
      for (let id = 1n; id <= 10n; id++) {
        await expect(vote.connect(attacker).withdraw(id))
          .to.emit(vote, "Withdrawn")
          .withArgs(id, attacker.address, POOL_TARGET);
      }
      expect(await f.token.balanceOf(attacker.address)).to.equal(HOLDER_BALANCE);
      expect(await f.token.totalSupply()).to.equal(TOTAL_SUPPLY - 10n * PROPOSAL_DEPOSIT);
      await expectConservation(f, POOL_TARGET + PROPOSAL_DEPOSIT, 10n * PROPOSAL_DEPOSIT);
    });

    it("the real proposal's backer leaves the queue at once with every DG, and the proposal pools again", async () => {
      const f = await loadFixture(voteFixture);
      const { vote, realBacker } = await tenDummies(f);
      const t = BigInt(await time.latest()) + 5n;
      await atTime(t);
      const leave = vote.connect(realBacker).withdrawBacking(11n, POOL_TARGET);
      await expect(leave)
        .to.emit(vote, "BackingWithdrawn")
        .withArgs(11n, realBacker.address, POOL_TARGET, 0n)
        .and.to.emit(vote, "ProposalLeftQueue")
        .withArgs(11n, 0n, t + POOLING_WINDOW);
      await expect(leave).to.changeTokenBalances(f.token, [realBacker, vote], [POOL_TARGET, -POOL_TARGET]);
      expect(await vote.statusOf(11n)).to.equal(Status.Pooling);
      expect(await queueOf(vote)).to.deep.equal([2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
      // Its deposit stays with the proposal; it comes back when the fresh window ends unfilled.
      expect(await f.token.balanceOf(realBacker.address)).to.equal(HOLDER_BALANCE - PROPOSAL_DEPOSIT);
      await time.increaseTo(t + POOLING_WINDOW);
      expect(await vote.statusOf(11n)).to.equal(Status.Expired);
      await expect(vote.connect(realBacker).withdraw(11n))
        .to.emit(vote, "DepositReturned")
        .withArgs(11n, realBacker.address, PROPOSAL_DEPOSIT);
      expect(await f.token.balanceOf(realBacker.address)).to.equal(HOLDER_BALANCE);
      await expectConservation(f, 10n * POOL_TARGET + 10n * PROPOSAL_DEPOSIT, 0n);
    });
  });

  describe("attack: bouncing a queued proposal (backing and withdrawing)", () => {
    it("an outsider cannot back a queued proposal, so it has no backing to bounce it with", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, honest, griefer] = f.holders;
      await openVote(f);
      await proposeAndFill(vote, honest, 2_000n, MIN_VOTING_DURATION); // 2, queued
      const before = await snapshot(f);
      await expect(vote.connect(griefer).back(2n, 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(2n, Status.Queued);
      await expect(vote.connect(griefer).withdrawBacking(2n, 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteInsufficientBacking")
        .withArgs(2n, griefer.address, 0n, 1n);
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, 2n * POOL_TARGET + 2n * PROPOSAL_DEPOSIT);
    });

    it("a griefer who took the last wei of the pool bounces it before its turn: each bounce costs a burned deposit and 7 days at most, and cannot expire it", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, honest, griefer] = f.holders;
      const { id: first, end } = await openVote(f); // 1, empty: closes after 7 days
      await vote.connect(honest).propose(2_000n, MIN_VOTING_DURATION); // 2, the real one
      await vote.connect(honest).back(2n, POOL_TARGET - 1n);
      // The griefer front-runs the last backer and takes the last wei of the pool: 2 is queued.
      await vote.connect(griefer).back(2n, 1n);
      expect(await vote.statusOf(2n)).to.equal(Status.Queued);
      await proposeAndFill(vote, griefer, 3_000n, MAX_VOTING_DURATION); // 3, its dummy, behind 2
      expect(await queueOf(vote)).to.deep.equal([2n, 3n]);

      // Just before the settle that would open 2, the griefer withdraws its wei: 2 leaves the queue,
      // long after its first pooling deadline, and gets a fresh window instead of expiring.
      const tBounce = end - 1n;
      await atTime(tBounce);
      expect((await vote.getProposal(2n)).poolDeadline).to.be.greaterThan(tBounce); // not yet past
      await expect(vote.connect(griefer).withdrawBacking(2n, 1n))
        .to.emit(vote, "ProposalLeftQueue")
        .withArgs(2n, POOL_TARGET - 1n, tBounce + POOLING_WINDOW);
      expect(await queueOf(vote)).to.deep.equal([3n]);
      await atTime(end);
      await expect(vote.settle(first))
        .to.emit(vote, "VotingOpened")
        .withArgs(3n, end, end + MAX_VOTING_DURATION, ceilQuorum(TOTAL_SUPPLY - PROPOSAL_DEPOSIT, QUORUM_BPS));
      // The honest backer refills: 2 joins the back of the queue, behind the griefer's dummy.
      await expect(vote.connect(honest).back(2n, 1n)).to.emit(vote, "ProposalQueued").withArgs(2n, 0n);
      // The dummy is empty: it closes after 7 days, burns the griefer's deposit, and 2 opens.
      const closes3 = end + MIN_VOTING_DURATION;
      await atTime(closes3 - 1n);
      await expect(vote.settle(3n))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded")
        .withArgs(3n, closes3);
      await atTime(closes3);
      await expect(vote.settle(3n))
        .to.emit(vote, "DepositBurned")
        .withArgs(3n, griefer.address, PROPOSAL_DEPOSIT)
        .and.to.emit(vote, "VotingOpened")
        .withArgs(
          2n,
          closes3,
          closes3 + MIN_VOTING_DURATION,
          ceilQuorum(TOTAL_SUPPLY - 2n * PROPOSAL_DEPOSIT, QUORUM_BPS),
        );
      expect(await vote.activeProposal()).to.equal(2n);
      // Without the bounce 2 would have opened at `end`: the bounce delayed it by the dummy's 7 days,
      // and cost the griefer the dummy's deposit, for good.
      expect((await vote.getProposal(2n)).votingStart - end).to.equal(MIN_VOTING_DURATION);
      await expect(vote.connect(griefer).withdraw(3n))
        .to.emit(vote, "Withdrawn")
        .withArgs(3n, griefer.address, POOL_TARGET);
      expect(await f.token.balanceOf(griefer.address)).to.equal(HOLDER_BALANCE - PROPOSAL_DEPOSIT);
      expect((await vote.positionOf(2n, griefer.address)).backed).to.equal(0n);
      expect((await vote.positionOf(2n, honest.address)).backed).to.equal(POOL_TARGET);
      await expectConservation(f, 2n * POOL_TARGET + PROPOSAL_DEPOSIT, 2n * PROPOSAL_DEPOSIT);
    });
  });

  describe("proposal deposit", () => {
    it("propose pulls exactly the deposit; without allowance or balance it reverts in the token, state unchanged", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const voteAddress = await vote.getAddress();
      const before = await snapshot(f);
      await expect(vote.connect(f.outsider).propose(5_000n, MIN_VOTING_DURATION))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance")
        .withArgs(voteAddress, 0n, PROPOSAL_DEPOSIT);
      await expect(vote.connect(f.fresh).propose(5_000n, MIN_VOTING_DURATION))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientBalance")
        .withArgs(f.fresh.address, 0n, PROPOSAL_DEPOSIT);
      expect(await snapshot(f)).to.deep.equal(before);
      expect(await vote.proposalCount()).to.equal(0n);
      const tx = vote.connect(f.holders[3]).propose(5_000n, MIN_VOTING_DURATION);
      await expect(tx).to.changeTokenBalances(f.token, [f.holders[3], vote], [-PROPOSAL_DEPOSIT, PROPOSAL_DEPOSIT]);
      await expectConservation(f, PROPOSAL_DEPOSIT);
    });

    it("participation exactly at the quorum returns the deposit even when the vote fails; one wei less burns it", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [proposer, v1, v2] = f.holders;
      // Against leads, for + against == quorum: failed, deposit kept for the proposer.
      const first = await runVote(f, [
        [v1, true, FIXTURE_QUORUM / 2n - 1n],
        [v2, false, FIXTURE_QUORUM / 2n + 1n],
      ]);
      await expect(first.settleTx)
        .to.emit(vote, "ProposalSettled")
        .withArgs(first.id, false, FIXTURE_QUORUM / 2n - 1n, FIXTURE_QUORUM / 2n + 1n);
      await expect(first.settleTx).not.to.emit(vote, "DepositBurned");
      expect((await vote.getProposal(first.id)).deposit).to.equal(PROPOSAL_DEPOSIT);
      await withdrawAllAndCheck(f, first.id, [proposer, v1, v2]);

      // One wei short of the quorum's participation: burned at settle, the supply falls by it.
      const second = await runVote(f, [
        [v1, true, FIXTURE_QUORUM / 2n - 1n],
        [v2, false, FIXTURE_QUORUM / 2n],
      ]);
      await expect(second.settleTx)
        .to.emit(vote, "DepositBurned")
        .withArgs(second.id, proposer.address, PROPOSAL_DEPOSIT);
      await expect(second.settleTx).to.changeTokenBalance(f.token, vote, -PROPOSAL_DEPOSIT);
      expect(await f.token.totalSupply()).to.equal(TOTAL_SUPPLY - PROPOSAL_DEPOSIT);
      expect((await vote.getProposal(second.id)).deposit).to.equal(0n);
      await withdrawAllAndCheck(f, second.id, [proposer, v1, v2]);
      await expectConservation(f, 0n, PROPOSAL_DEPOSIT);
    });

    it("is returned once, only to the proposer: not twice, not to a backer, a voter or an outsider, not before the end", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, b1, v1, proposer] = f.holders;
      await vote.connect(proposer).propose(4_000n, MIN_VOTING_DURATION);
      await vote.connect(b1).back(1n, 60_000n * DG);
      let before = await snapshot(f);
      for (const who of [proposer, b1]) {
        await expect(vote.connect(who).withdraw(1n))
          .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
          .withArgs(1n, Status.Pooling);
      }
      expect(await snapshot(f)).to.deep.equal(before);
      await vote.connect(b1).back(1n, POOL_TARGET);
      await vote.connect(v1).vote(1n, true, FIXTURE_QUORUM);
      before = await snapshot(f);
      await expect(vote.connect(proposer).withdraw(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(1n, Status.Voting);
      expect(await snapshot(f)).to.deep.equal(before);
      await atTime((await vote.getProposal(1n)).votingEnd);
      await vote.settle(1n);

      // Others get exactly their own positions; the deposit stays for the proposer.
      for (const [who, own] of [
        [b1, POOL_TARGET],
        [v1, FIXTURE_QUORUM],
      ] as const) {
        const tx = vote.connect(who).withdraw(1n);
        await expect(tx).to.emit(vote, "Withdrawn").withArgs(1n, who.address, own);
        await expect(tx).not.to.emit(vote, "DepositReturned");
        expect((await vote.getProposal(1n)).deposit).to.equal(PROPOSAL_DEPOSIT);
      }
      before = await snapshot(f);
      await expect(vote.connect(f.outsider).withdraw(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteNothingToWithdraw")
        .withArgs(1n, f.outsider.address);
      await expect(vote.connect(b1).withdraw(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteNothingToWithdraw")
        .withArgs(1n, b1.address);
      expect(await snapshot(f)).to.deep.equal(before);

      await expect(vote.connect(proposer).withdraw(1n))
        .to.emit(vote, "DepositReturned")
        .withArgs(1n, proposer.address, PROPOSAL_DEPOSIT)
        .and.to.emit(vote, "Withdrawn")
        .withArgs(1n, proposer.address, PROPOSAL_DEPOSIT);
      before = await snapshot(f);
      await expect(vote.connect(proposer).withdraw(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteNothingToWithdraw")
        .withArgs(1n, proposer.address);
      expect(await snapshot(f)).to.deep.equal(before);
      expect(await f.token.balanceOf(proposer.address)).to.equal(HOLDER_BALANCE);
      await expectConservation(f, 0n, 0n);
    });

    it("a burned deposit cannot be withdrawn: the proposer gets only its own positions", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [proposer] = f.holders;
      const { id } = await runVote(f, [[proposer, true, MIN_VOTE_LOCK]]);
      expect((await vote.getProposal(id)).deposit).to.equal(0n);
      const tx = vote.connect(proposer).withdraw(id);
      await expect(tx)
        .to.emit(vote, "Withdrawn")
        .withArgs(id, proposer.address, POOL_TARGET + MIN_VOTE_LOCK);
      await expect(tx).not.to.emit(vote, "DepositReturned");
      const before = await snapshot(f);
      await expect(vote.connect(proposer).withdraw(id))
        .to.be.revertedWithCustomError(vote, "InflationVoteNothingToWithdraw")
        .withArgs(id, proposer.address);
      expect(await snapshot(f)).to.deep.equal(before);
      expect(await f.token.balanceOf(proposer.address)).to.equal(HOLDER_BALANCE - PROPOSAL_DEPOSIT);
      await expectConservation(f, 0n, PROPOSAL_DEPOSIT);
    });

    it("is never stuck: on every path it ends returned or burned, and the contract ends empty", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [p1, p2, p3, p4, p5, p6, v1, v2] = f.holders;
      // 1: passed. 2: failed with the quorum's participation. 3: failed below it. 4: empty, closed
      // after 7 days. 5: expired unfilled. 6: left the queue, then expired.
      const ids: bigint[] = [];
      for (const [who, bps, days] of [
        [p1, 1_000n, MIN_VOTING_DURATION],
        [p2, 2_000n, MIN_VOTING_DURATION],
        [p3, 3_000n, MIN_VOTING_DURATION],
        [p4, 4_000n, MAX_VOTING_DURATION],
        [p5, 5_000n, MIN_VOTING_DURATION],
        [p6, 6_000n, MIN_VOTING_DURATION],
      ] as const) {
        await vote.connect(who).propose(bps, days);
        ids.push(await vote.proposalCount());
      }
      await vote.connect(p5).back(5n, DG);
      for (const id of [1n, 2n, 3n, 4n, 6n]) await vote.connect(f.holders[Number(id) - 1]).back(id, POOL_TARGET);
      expect(await queueOf(vote)).to.deep.equal([2n, 3n, 4n, 6n]);
      await vote.connect(p6).withdrawBacking(6n, DG);
      const ballots: Record<string, Ballot[]> = {
        "1": [[v1, true, FIXTURE_QUORUM]],
        "2": [[v2, false, FIXTURE_QUORUM]],
        "3": [[v1, true, MIN_VOTE_LOCK]],
      };
      for (const id of [1n, 2n, 3n]) {
        for (const [voter, support, amount] of ballots[id.toString()])
          await vote.connect(voter).vote(id, support, amount);
        await atTime((await vote.getProposal(id)).votingEnd);
        await vote.settle(id);
      }
      await atTime((await vote.getProposal(4n)).votingStart + MIN_VOTING_DURATION);
      await vote.settle(4n);
      await time.increaseTo((await vote.getProposal(6n)).poolDeadline);
      expect(await vote.statusOf(5n)).to.equal(Status.Expired);
      expect(await vote.statusOf(6n)).to.equal(Status.Expired);
      const expected: Record<string, bigint> = {
        "1": PROPOSAL_DEPOSIT,
        "2": PROPOSAL_DEPOSIT,
        "3": 0n,
        "4": 0n,
        "5": PROPOSAL_DEPOSIT,
        "6": PROPOSAL_DEPOSIT,
      };
      for (const id of ids) expect((await vote.getProposal(id)).deposit).to.equal(expected[id.toString()]);
      for (const id of ids) {
        for (const who of [...f.holders.slice(0, 8)]) {
          const p = await vote.getProposal(id);
          const owed =
            (await vote.positionOf(id, who.address)).backed +
            (await vote.positionOf(id, who.address)).locked +
            (who.address === p.proposer ? p.deposit : 0n);
          if (owed === 0n) continue;
          await expect(vote.connect(who).withdraw(id)).to.emit(vote, "Withdrawn").withArgs(id, who.address, owed);
        }
        expect((await vote.getProposal(id)).deposit).to.equal(0n);
      }
      expect(await f.token.balanceOf(await vote.getAddress())).to.equal(0n);
      await expectConservation(f, 0n, 2n * PROPOSAL_DEPOSIT);
      expect(await f.token.balanceOf(p3.address)).to.equal(HOLDER_BALANCE - PROPOSAL_DEPOSIT);
      expect(await f.token.balanceOf(p4.address)).to.equal(HOLDER_BALANCE - PROPOSAL_DEPOSIT);
      for (const who of [p1, p2, p5, p6, v1, v2]) expect(await f.token.balanceOf(who.address)).to.equal(HOLDER_BALANCE);
    });
  });

  describe("empty vote closes after the minimum duration", () => {
    it("a 30-day vote nobody voted on closes at start + 7 days: no more votes, settle fails it and opens the next", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, b2] = f.holders;
      const { id, tOpen, end } = await openVote(f, 5_000n, MAX_VOTING_DURATION);
      await proposeAndFill(vote, b2, 2_000n, MIN_VOTING_DURATION); // 2, queued
      const closes = tOpen + MIN_VOTING_DURATION;
      expect(end).to.equal(tOpen + MAX_VOTING_DURATION);
      await atTime(closes - 1n);
      await expect(vote.settle(id))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded")
        .withArgs(id, closes);
      const before = await snapshot(f);
      await atTime(closes);
      await expect(vote.connect(v1).vote(id, true, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingClosed")
        .withArgs(id, closes);
      expect(await snapshot(f)).to.deep.equal(before);
      await expect(vote.settle(id))
        .to.emit(vote, "ProposalSettled")
        .withArgs(id, false, 0n, 0n)
        .and.to.emit(vote, "VotingOpened")
        .withArgs(
          2n,
          closes + 1n,
          closes + 1n + MIN_VOTING_DURATION,
          ceilQuorum(TOTAL_SUPPLY - PROPOSAL_DEPOSIT, QUORUM_BPS),
        );
      expect(await vote.statusOf(id)).to.equal(Status.Failed);
      expect(await vote.activeProposal()).to.equal(2n);
      await expectConservation(f, 2n * POOL_TARGET + PROPOSAL_DEPOSIT, PROPOSAL_DEPOSIT);
    });

    it("one lock before the minimum duration keeps a 30-day vote open to its end", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2] = f.holders;
      const { id, tOpen, end } = await openVote(f, 5_000n, MAX_VOTING_DURATION);
      await atTime(tOpen + MIN_VOTING_DURATION - 1n);
      await vote.connect(v1).vote(id, false, MIN_VOTE_LOCK);
      await atTime(tOpen + MIN_VOTING_DURATION);
      await expect(vote.settle(id))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded")
        .withArgs(id, end);
      await expect(vote.connect(v2).vote(id, true, MIN_VOTE_LOCK))
        .to.emit(vote, "VoteCast")
        .withArgs(id, v2.address, true, MIN_VOTE_LOCK, MIN_VOTE_LOCK, MIN_VOTE_LOCK);
      await atTime(end);
      await expect(vote.settle(id)).to.emit(vote, "ProposalSettled").withArgs(id, false, MIN_VOTE_LOCK, MIN_VOTE_LOCK);
      await expectConservation(f, POOL_TARGET + 2n * MIN_VOTE_LOCK, PROPOSAL_DEPOSIT);
    });
  });

  describe("leaving the queue", () => {
    it("backers leave from the middle, the head and the tail in O(1); the rest keep their order; a refill joins the back", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, b1, b2, b3, b4, b5] = f.holders;
      const { id: first, end } = await openVote(f);
      for (const b of [b1, b2, b3, b4]) await proposeAndFill(vote, b, 3_000n, MIN_VOTING_DURATION); // 2..5
      expect(await queueOf(vote)).to.deep.equal([2n, 3n, 4n, 5n]);

      // Middle: 3 leaves, partially; a second withdrawal while pooling does not touch the queue.
      const t = BigInt(await time.latest()) + 5n;
      await atTime(t);
      await expect(vote.connect(b2).withdrawBacking(3n, 40_000n * DG))
        .to.emit(vote, "ProposalLeftQueue")
        .withArgs(3n, 60_000n * DG, t + POOLING_WINDOW);
      expect((await vote.getProposal(3n)).poolDeadline).to.equal(t + POOLING_WINDOW);
      expect(await queueOf(vote)).to.deep.equal([2n, 4n, 5n]);
      await expect(vote.connect(b2).withdrawBacking(3n, 10_000n * DG)).not.to.emit(vote, "ProposalLeftQueue");
      expect(await queueOf(vote)).to.deep.equal([2n, 4n, 5n]);
      // Head, then tail.
      await vote.connect(b1).withdrawBacking(2n, 1n);
      expect(await queueOf(vote)).to.deep.equal([4n, 5n]);
      await vote.connect(b4).withdrawBacking(5n, POOL_TARGET);
      expect(await queueOf(vote)).to.deep.equal([4n]);
      await expect(vote.nextQueued(3n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(3n, Status.Pooling);
      await expect(vote.nextQueued(first))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(first, Status.Voting);
      await expect(vote.nextQueued(99n))
        .to.be.revertedWithCustomError(vote, "InflationVoteUnknownProposal")
        .withArgs(99n);

      // Refills join the back, in the order they refill.
      await expect(vote.connect(b5).back(3n, POOL_TARGET)).to.emit(vote, "ProposalQueued").withArgs(3n, 1n);
      await expect(vote.connect(b5).back(2n, POOL_TARGET)).to.emit(vote, "ProposalQueued").withArgs(2n, 2n);
      expect(await queueOf(vote)).to.deep.equal([4n, 3n, 2n]);
      expect((await vote.positionOf(3n, b5.address)).backed).to.equal(50_000n * DG);
      expect((await vote.positionOf(2n, b5.address)).backed).to.equal(1n);

      // The last one leaves the queue empty; then settling opens nothing, and a refill opens at once.
      for (const [who, id] of [
        [b3, 4n],
        [b2, 3n],
        [b5, 2n],
      ] as const) {
        await vote.connect(who).withdrawBacking(id, 1n);
      }
      expect(await queueOf(vote)).to.deep.equal([]);
      await atTime(end);
      await expect(vote.settle(first)).not.to.emit(vote, "VotingOpened");
      expect(await vote.activeProposal()).to.equal(0n);
      await expect(vote.connect(b5).back(4n, DG)).to.emit(vote, "VotingOpened");
      expect(await vote.activeProposal()).to.equal(4n);
      await expectConservation(
        f,
        // Proposals 1 and 4 full, 2 and 3 one wei short, 5 empty; deposits of 2..5 held, 1's burned.
        4n * POOL_TARGET - 2n + 4n * PROPOSAL_DEPOSIT,
        PROPOSAL_DEPOSIT,
      );
    });
  });

  describe("settlement outcome", () => {
    it("fails when against > for (both above quorum): burnBps unchanged, the reservation is not touched", async () => {
      const f = await loadFixture(voteFixture);
      const [backer, v1, v2] = f.holders;
      const { id, settleTx } = await runVote(f, [
        [v1, true, 400_000n * DG],
        [v2, false, 500_000n * DG],
      ]);
      await expect(settleTx)
        .to.emit(f.inflationVote, "ProposalSettled")
        .withArgs(id, false, 400_000n * DG, 500_000n * DG);
      await expect(settleTx).not.to.emit(f.reservation, "BurnBpsChanged");
      await expect(settleTx).not.to.emit(f.reservation, "Released");
      expect(await f.inflationVote.statusOf(id)).to.equal(Status.Failed);
      expect(await f.reservation.burnBps()).to.equal(0n);
      expect(await f.reservation.emitted()).to.equal(0n);
      await withdrawAllAndCheck(f, id, [backer, v1, v2]);
    });

    it("fails on a tie", async () => {
      const f = await loadFixture(voteFixture);
      const [backer, v1, v2] = f.holders;
      const { id, settleTx } = await runVote(f, [
        [v1, true, 400_000n * DG],
        [v2, false, 400_000n * DG],
      ]);
      await expect(settleTx)
        .to.emit(f.inflationVote, "ProposalSettled")
        .withArgs(id, false, 400_000n * DG, 400_000n * DG);
      expect(await f.inflationVote.statusOf(id)).to.equal(Status.Failed);
      expect(await f.reservation.burnBps()).to.equal(0n);
      await withdrawAllAndCheck(f, id, [backer, v1, v2]);
    });

    it("fails without quorum even when for > against (for = quorum - 1 wei)", async () => {
      const f = await loadFixture(voteFixture);
      const [backer, v1, v2] = f.holders;
      const { id, quorum, settleTx } = await runVote(f, [
        [v1, true, FIXTURE_QUORUM - 1n],
        [v2, false, MIN_VOTE_LOCK],
      ]);
      expect(quorum).to.equal(FIXTURE_QUORUM);
      await expect(settleTx)
        .to.emit(f.inflationVote, "ProposalSettled")
        .withArgs(id, false, FIXTURE_QUORUM - 1n, MIN_VOTE_LOCK);
      expect(await f.inflationVote.statusOf(id)).to.equal(Status.Failed);
      expect(await f.reservation.burnBps()).to.equal(0n);
      await withdrawAllAndCheck(f, id, [backer, v1, v2]);
    });

    it("passes with for exactly at quorum and above against", async () => {
      const f = await loadFixture(voteFixture);
      const [backer, v1, v2] = f.holders;
      const { id, settleTx } = await runVote(f, [
        [v1, true, FIXTURE_QUORUM],
        [v2, false, MIN_VOTE_LOCK],
      ]);
      await expect(settleTx)
        .to.emit(f.inflationVote, "ProposalSettled")
        .withArgs(id, true, FIXTURE_QUORUM, MIN_VOTE_LOCK);
      await expect(settleTx).to.emit(f.reservation, "BurnBpsChanged").withArgs(0n, 5_000n);
      expect(await f.inflationVote.statusOf(id)).to.equal(Status.Passed);
      expect(await f.reservation.burnBps()).to.equal(5_000n);
      await withdrawAllAndCheck(f, id, [backer, v1, v2]);
    });

    it("keeps the quorum of the opening even if the supply shrinks below what for-votes would need", async () => {
      const f = await loadFixture(voteFixture);
      const [backer, v1] = f.holders;
      const vote = f.inflationVote;
      const { id, end, quorum } = await openVote(f);
      await vote.connect(v1).vote(id, true, quorum - 1n);
      // Burn 5,000,000 DG: a quorum recomputed now would be 250,000 DG < for-votes.
      await f.token.connect(f.deployer).burn(4_000_000n * DG);
      await f.token.connect(f.holders[9]).burn(HOLDER_BALANCE);
      expect(ceilQuorum(await f.token.totalSupply(), QUORUM_BPS)).to.be.lessThan(quorum - 1n);
      await atTime(end);
      await expect(vote.settle(id))
        .to.emit(vote, "ProposalSettled")
        .withArgs(id, false, quorum - 1n, 0n);
      expect((await vote.getProposal(id)).quorum).to.equal(FIXTURE_QUORUM);
      await withdrawAllAndCheck(f, id, [backer, v1]);
    });

    it("fails when nobody votes", async () => {
      const f = await loadFixture(voteFixture);
      const [backer] = f.holders;
      const { id, settleTx } = await runVote(f, []);
      await expect(settleTx).to.emit(f.inflationVote, "ProposalSettled").withArgs(id, false, 0n, 0n);
      expect(await f.inflationVote.statusOf(id)).to.equal(Status.Failed);
      expect(await f.reservation.burnBps()).to.equal(0n);
      await withdrawAllAndCheck(f, id, [backer]);
    });

    it("against votes never help: for below quorum fails however many DG vote against", async () => {
      const f = await loadFixture(voteFixture);
      const [backer, v1, v2, v3] = f.holders;
      const { id, settleTx } = await runVote(f, [
        [v1, true, FIXTURE_QUORUM - 1n],
        [v2, false, HOLDER_BALANCE],
        [v3, false, HOLDER_BALANCE],
      ]);
      await expect(settleTx)
        .to.emit(f.inflationVote, "ProposalSettled")
        .withArgs(id, false, FIXTURE_QUORUM - 1n, 2n * HOLDER_BALANCE);
      expect(await f.reservation.burnBps()).to.equal(0n);
      await withdrawAllAndCheck(f, id, [backer, v1, v2, v3]);
    });

    it("against votes do not count toward the quorum (for + against >= quorum, for > against, for < quorum)", async () => {
      const f = await loadFixture(voteFixture);
      const [backer, v1, v2] = f.holders;
      const { id, settleTx } = await runVote(f, [
        [v1, true, 200_000n * DG],
        [v2, false, 150_000n * DG],
      ]);
      await expect(settleTx)
        .to.emit(f.inflationVote, "ProposalSettled")
        .withArgs(id, false, 200_000n * DG, 150_000n * DG);
      expect(await f.inflationVote.statusOf(id)).to.equal(Status.Failed);
      expect(await f.reservation.burnBps()).to.equal(0n);
      await withdrawAllAndCheck(f, id, [backer, v1, v2]);
    });

    it("settles only after the end; votes at or after the end are closed", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2] = f.holders;
      const { id, end } = await openVote(f);
      await vote.connect(v1).vote(id, true, MIN_VOTE_LOCK);
      await atTime(end - 1n);
      await expect(vote.settle(id))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded")
        .withArgs(id, end);
      const before = await snapshot(f);
      await atTime(end);
      await expect(vote.connect(v2).vote(id, false, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingClosed")
        .withArgs(id, end);
      await expect(vote.connect(v1).vote(id, true, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingClosed")
        .withArgs(id, end);
      expect(await snapshot(f)).to.deep.equal(before);
      await vote.settle(id);
      expect(await vote.statusOf(id)).to.equal(Status.Failed);
      await expectConservation(f, POOL_TARGET + MIN_VOTE_LOCK);
    });
  });

  describe("quiet ending", () => {
    it("a lead change within the last 12 hours moves the end to now + 12h, again after the original end", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2] = f.holders;
      const { id, tOpen, end } = await openVote(f);
      await atTime(tOpen + DAY);
      await vote.connect(v1).vote(id, true, MIN_VOTE_LOCK);

      const t1 = end - HOUR;
      await atTime(t1);
      await expect(vote.connect(v2).vote(id, false, 30n * DG))
        .to.emit(vote, "VotingExtended")
        .withArgs(id, t1 + QUIET_ENDING_EXTENSION);
      expect((await vote.getProposal(id)).votingEnd).to.equal(t1 + QUIET_ENDING_EXTENSION);

      // The original end has passed, the vote is still open; for takes the lead back.
      const t2 = end + HOUR;
      await atTime(t2);
      await expect(vote.connect(v1).vote(id, true, 20n * DG))
        .to.emit(vote, "VotingExtended")
        .withArgs(id, t2 + QUIET_ENDING_EXTENSION);
      const newEnd = t2 + QUIET_ENDING_EXTENSION;
      expect((await vote.getProposal(id)).votingEnd).to.equal(newEnd);

      await atTime(newEnd - 1n);
      await expect(vote.settle(id))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded")
        .withArgs(id, newEnd);
      await atTime(newEnd);
      await expect(vote.connect(v2).vote(id, false, 100n * DG))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingClosed")
        .withArgs(id, newEnd);
      await expect(vote.settle(id))
        .to.emit(vote, "ProposalSettled")
        .withArgs(id, false, 40n * DG, 30n * DG);
      await expectConservation(f, POOL_TARGET + 70n * DG);
    });

    it("a vote that does not change the lead does not extend", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2] = f.holders;
      const { id, tOpen, end } = await openVote(f);
      await atTime(tOpen + DAY);
      await vote.connect(v1).vote(id, false, 100n * DG);

      await atTime(end - HOUR);
      // The trailing side grows without taking the lead, then the leading side grows.
      const trailing = vote.connect(v2).vote(id, true, 50n * DG);
      await expect(trailing).to.emit(vote, "VoteCast");
      await expect(trailing).not.to.emit(vote, "VotingExtended");
      const leading = vote.connect(v1).vote(id, false, 10n * DG);
      await expect(leading).to.emit(vote, "VoteCast");
      await expect(leading).not.to.emit(vote, "VotingExtended");
      // Reaching a tie is no lead change either: the proposal still fails.
      const tie = vote.connect(v2).vote(id, true, 60n * DG);
      await expect(tie)
        .to.emit(vote, "VoteCast")
        .withArgs(id, v2.address, true, 60n * DG, 110n * DG, 110n * DG);
      await expect(tie).not.to.emit(vote, "VotingExtended");
      expect((await vote.getProposal(id)).votingEnd).to.equal(end);
      await atTime(end);
      await expect(vote.settle(id))
        .to.emit(vote, "ProposalSettled")
        .withArgs(id, false, 110n * DG, 110n * DG);
      await expectConservation(f, POOL_TARGET + 220n * DG);
    });

    it("a lead change earlier than the last 12 hours, or exactly 12 hours before the end, does not extend", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2] = f.holders;
      const { id, end } = await openVote(f);
      await atTime(end - QUIET_ENDING_WINDOW - 1n);
      const early = vote.connect(v1).vote(id, true, MIN_VOTE_LOCK);
      await expect(early).to.emit(vote, "VoteCast");
      await expect(early).not.to.emit(vote, "VotingExtended");
      // Exactly 12 hours before the end: now + 12h is the end itself, nothing moves.
      await atTime(end - QUIET_ENDING_WINDOW);
      const boundary = vote.connect(v2).vote(id, false, 2n * MIN_VOTE_LOCK);
      await expect(boundary).to.emit(vote, "VoteCast");
      await expect(boundary).not.to.emit(vote, "VotingExtended");
      expect((await vote.getProposal(id)).votingEnd).to.equal(end);
      await atTime(end);
      await expect(vote.settle(id)).to.emit(vote, "ProposalSettled");
      await expectConservation(f, POOL_TARGET + 3n * MIN_VOTE_LOCK);
    });

    it("reaching the quorum in the last 12 hours changes the outcome and also extends", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2] = f.holders;
      const { id, tOpen, end } = await openVote(f);
      await atTime(tOpen + DAY);
      await vote.connect(v1).vote(id, true, MIN_VOTE_LOCK); // for leads, below quorum
      const t = end - HOUR;
      await atTime(t);
      await expect(vote.connect(v2).vote(id, true, FIXTURE_QUORUM))
        .to.emit(vote, "VotingExtended")
        .withArgs(id, t + QUIET_ENDING_EXTENSION);
      await atTime(t + QUIET_ENDING_EXTENSION);
      await expect(vote.settle(id))
        .to.emit(vote, "ProposalSettled")
        .withArgs(id, true, FIXTURE_QUORUM + MIN_VOTE_LOCK, 0n);
      await expectConservation(f, POOL_TARGET + FIXTURE_QUORUM + MIN_VOTE_LOCK + PROPOSAL_DEPOSIT);
    });

    it("a 30-day vote cannot be extended past votingStart + 30 days", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2, v3] = f.holders;
      const { id, tOpen, end } = await openVote(f, 5_000n, MAX_VOTING_DURATION);
      const cap = tOpen + MAX_VOTING_DURATION;
      expect(end).to.equal(cap);
      await atTime(tOpen + DAY);
      await vote.connect(v1).vote(id, true, MIN_VOTE_LOCK);
      await atTime(end - HOUR);
      const flip = vote.connect(v2).vote(id, false, 2n * MIN_VOTE_LOCK);
      await expect(flip).to.emit(vote, "VoteCast");
      await expect(flip).not.to.emit(vote, "VotingExtended");
      expect((await vote.getProposal(id)).votingEnd).to.equal(cap);
      await atTime(cap);
      await expect(vote.connect(v3).vote(id, true, 100n * DG))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingClosed")
        .withArgs(id, cap);
      await expect(vote.settle(id))
        .to.emit(vote, "ProposalSettled")
        .withArgs(id, false, MIN_VOTE_LOCK, 2n * MIN_VOTE_LOCK);
      await expectConservation(f, POOL_TARGET + 3n * MIN_VOTE_LOCK);
    });

    it("a 29.9-day vote is extended only up to votingStart + 30 days", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2, v3] = f.holders;
      const duration = MAX_VOTING_DURATION - DAY / 10n; // 29.9 days
      const { id, tOpen, end } = await openVote(f, 5_000n, duration);
      const cap = tOpen + MAX_VOTING_DURATION;
      await atTime(tOpen + DAY);
      await vote.connect(v1).vote(id, true, MIN_VOTE_LOCK);
      // now + 12h would be cap + 8.6h: the end moves to the cap instead.
      await atTime(end - HOUR);
      await expect(vote.connect(v2).vote(id, false, 2n * MIN_VOTE_LOCK))
        .to.emit(vote, "VotingExtended")
        .withArgs(id, cap);
      expect((await vote.getProposal(id)).votingEnd).to.equal(cap);
      // Another lead change at the cap's doorstep: no further extension.
      await atTime(cap - HOUR);
      const flip = vote.connect(v1).vote(id, true, 2n * MIN_VOTE_LOCK);
      await expect(flip).to.emit(vote, "VoteCast");
      await expect(flip).not.to.emit(vote, "VotingExtended");
      expect((await vote.getProposal(id)).votingEnd).to.equal(cap);
      await atTime(cap - 1n);
      await expect(vote.settle(id))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded")
        .withArgs(id, cap);
      await expect(vote.connect(v3).vote(id, false, 100n * DG))
        .to.be.revertedWithCustomError(vote, "InflationVoteVotingClosed")
        .withArgs(id, cap);
      await expect(vote.settle(id))
        .to.emit(vote, "ProposalSettled")
        .withArgs(id, false, 3n * MIN_VOTE_LOCK, 2n * MIN_VOTE_LOCK);
      await expectConservation(f, POOL_TARGET + 5n * MIN_VOTE_LOCK);
    });
  });

  describe("expired pool", () => {
    it("expires after 30 days unfilled; back/withdrawBacking/vote/settle revert; backers withdraw exactly what they put in", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [proposer, b1, b2, b3] = f.holders;
      const tPropose = BigInt(await time.latest()) + 10n;
      await atTime(tPropose);
      await vote.connect(proposer).propose(1_000n, MIN_VOTING_DURATION);
      const deadline = tPropose + POOLING_WINDOW;
      expect((await vote.getProposal(1n)).poolDeadline).to.equal(deadline);
      await vote.connect(b1).back(1n, 40_000n * DG);
      await vote.connect(b2).back(1n, 30_000n * DG);
      await vote.connect(b2).withdrawBacking(1n, 5_000n * DG);

      // Still pooling one second before the deadline: a backer may still back.
      await atTime(deadline - 1n);
      await expect(vote.connect(b3).back(1n, 1n))
        .to.emit(vote, "Backed")
        .withArgs(1n, b3.address, 1n, 65_000n * DG + 1n);
      await time.increaseTo(deadline);
      expect(await vote.statusOf(1n)).to.equal(Status.Expired);
      expect((await vote.getProposal(1n)).status).to.equal(Status.Pooling); // Expired is derived

      const before = await snapshot(f);
      await expect(vote.connect(b3).back(1n, POOL_TARGET))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(1n, Status.Expired);
      await expect(vote.connect(b1).withdrawBacking(1n, 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(1n, Status.Expired);
      await expect(vote.connect(b1).vote(1n, true, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(1n, Status.Expired);
      await expect(vote.settle(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(1n, Status.Expired);
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, 65_000n * DG + 1n + PROPOSAL_DEPOSIT);

      await expect(vote.connect(b1).withdraw(1n)).to.changeTokenBalances(
        f.token,
        [b1, vote],
        [40_000n * DG, -40_000n * DG],
      );
      await expect(vote.connect(b2).withdraw(1n))
        .to.emit(vote, "Withdrawn")
        .withArgs(1n, b2.address, 25_000n * DG);
      await expect(vote.connect(b3).withdraw(1n)).to.emit(vote, "Withdrawn").withArgs(1n, b3.address, 1n);
      for (const backer of [b1, b2, b3]) {
        expect(await f.token.balanceOf(backer.address)).to.equal(HOLDER_BALANCE);
        await expect(vote.connect(backer).withdraw(1n))
          .to.be.revertedWithCustomError(vote, "InflationVoteNothingToWithdraw")
          .withArgs(1n, backer.address);
      }
      // The pool expired unfilled: the proposer's deposit comes back, once, to the proposer only.
      const refund = vote.connect(proposer).withdraw(1n);
      await expect(refund)
        .to.emit(vote, "DepositReturned")
        .withArgs(1n, proposer.address, PROPOSAL_DEPOSIT)
        .and.to.emit(vote, "Withdrawn")
        .withArgs(1n, proposer.address, PROPOSAL_DEPOSIT);
      await expect(refund).to.changeTokenBalances(f.token, [proposer, vote], [PROPOSAL_DEPOSIT, -PROPOSAL_DEPOSIT]);
      expect((await vote.getProposal(1n)).deposit).to.equal(0n);
      await expect(vote.connect(proposer).withdraw(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteNothingToWithdraw")
        .withArgs(1n, proposer.address);
      expect(await f.token.balanceOf(proposer.address)).to.equal(HOLDER_BALANCE);
      await expectConservation(f, 0n, 0n);
    });
  });

  describe("withdrawBacking", () => {
    it("takes back part then all of a backing while pooling; more than backed reverts", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [proposer, b1, b2, b3] = f.holders;
      await vote.connect(proposer).propose(2_500n, MIN_VOTING_DURATION);
      await vote.connect(b1).back(1n, 40_000n * DG);
      await vote.connect(b2).back(1n, 10_000n * DG);

      const partial = vote.connect(b1).withdrawBacking(1n, 15_000n * DG);
      await expect(partial)
        .to.emit(vote, "BackingWithdrawn")
        .withArgs(1n, b1.address, 15_000n * DG, 35_000n * DG);
      await expect(partial).to.changeTokenBalances(f.token, [b1, vote], [15_000n * DG, -15_000n * DG]);
      expect((await vote.positionOf(1n, b1.address)).backed).to.equal(25_000n * DG);
      expect((await vote.getProposal(1n)).pooled).to.equal(35_000n * DG);

      await expect(vote.connect(b1).withdrawBacking(1n, 25_000n * DG))
        .to.emit(vote, "BackingWithdrawn")
        .withArgs(1n, b1.address, 25_000n * DG, 10_000n * DG);
      expect(await f.token.balanceOf(b1.address)).to.equal(HOLDER_BALANCE);
      expect((await vote.positionOf(1n, b1.address)).backed).to.equal(0n);

      const before = await snapshot(f);
      await expect(vote.connect(b1).withdrawBacking(1n, 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteInsufficientBacking")
        .withArgs(1n, b1.address, 0n, 1n);
      await expect(vote.connect(b2).withdrawBacking(1n, 10_000n * DG + 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteInsufficientBacking")
        .withArgs(1n, b2.address, 10_000n * DG, 10_000n * DG + 1n);
      await expect(vote.connect(b2).withdrawBacking(1n, 0n)).to.be.revertedWithCustomError(
        vote,
        "InflationVoteZeroAmount",
      );
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, 10_000n * DG + PROPOSAL_DEPOSIT);

      // The pool still fills afterwards; b3 offers 100,000 DG and gives the 90,000 DG missing.
      await expect(vote.connect(b3).back(1n, POOL_TARGET))
        .to.emit(vote, "Backed")
        .withArgs(1n, b3.address, 90_000n * DG, POOL_TARGET);
      expect(await vote.statusOf(1n)).to.equal(Status.Voting);
      await expectConservation(f, POOL_TARGET + PROPOSAL_DEPOSIT);
    });

    it("cannot take backing back once the vote is open or settled: withdraw after the settle", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [b0] = f.holders;
      const { id, end } = await openVote(f);
      let before = await snapshot(f);
      await expect(vote.connect(b0).withdrawBacking(id, 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(id, Status.Voting);
      expect(await snapshot(f)).to.deep.equal(before);
      await atTime(end);
      await vote.settle(id);
      before = await snapshot(f);
      await expect(vote.connect(b0).withdrawBacking(id, 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(id, Status.Failed);
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, POOL_TARGET, PROPOSAL_DEPOSIT);
    });
  });

  describe("queue", () => {
    it("queues full pools in FIFO order while a vote runs, opens the next at settle, one vote at a time", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [b0, b1, b2, b3, v1] = f.holders;
      const { id: first, end: end1 } = await openVote(f, 5_000n, MAX_VOTING_DURATION);
      expect(await vote.activeProposal()).to.equal(first);

      await vote.connect(b1).propose(3_000n, MAX_VOTING_DURATION);
      await vote.connect(b2).propose(2_000n, MIN_VOTING_DURATION);
      // Proposal 3 fills first: the queue follows the order of filling, not of creation.
      await vote.connect(b2).back(3n, 50_000n * DG);
      const fill3 = vote.connect(b3).back(3n, 50_000n * DG);
      await expect(fill3).to.emit(vote, "ProposalQueued").withArgs(3n, 0n);
      await expect(fill3).not.to.emit(vote, "VotingOpened");
      await expect(vote.connect(b1).back(2n, POOL_TARGET)).to.emit(vote, "ProposalQueued").withArgs(2n, 1n);

      expect(await vote.statusOf(2n)).to.equal(Status.Queued);
      expect(await vote.statusOf(3n)).to.equal(Status.Queued);
      expect(await vote.queueLength()).to.equal(2n);
      expect(await queueOf(vote)).to.deep.equal([3n, 2n]);
      expect(await vote.nextQueued(0n)).to.equal(3n);
      expect(await vote.nextQueued(3n)).to.equal(2n);
      expect(await vote.nextQueued(2n)).to.equal(0n);
      expect(await vote.activeProposal()).to.equal(first);

      const before = await snapshot(f);
      await expect(vote.connect(v1).vote(2n, true, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(2n, Status.Queued);
      await expect(vote.connect(b0).back(3n, 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(3n, Status.Queued);
      await expect(vote.settle(3n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(3n, Status.Queued);
      await expect(vote.connect(b1).withdraw(2n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(2n, Status.Queued);
      expect(await snapshot(f)).to.deep.equal(before);

      // Settling the first opens proposal 3 at settle time, with the quorum of that moment.
      await vote.connect(v1).vote(first, true, FIXTURE_QUORUM);
      await atTime(end1);
      const settle1 = vote.settle(first);
      await expect(settle1)
        .to.emit(vote, "ProposalSettled")
        .withArgs(first, true, FIXTURE_QUORUM, 0n)
        .and.to.emit(vote, "VotingOpened")
        .withArgs(3n, end1, end1 + MIN_VOTING_DURATION, ceilQuorum(await f.token.totalSupply(), QUORUM_BPS));
      expect(await vote.activeProposal()).to.equal(3n);
      expect(await vote.statusOf(3n)).to.equal(Status.Voting);
      expect(await vote.statusOf(2n)).to.equal(Status.Queued);
      expect(await vote.queueLength()).to.equal(1n);
      expect(await queueOf(vote)).to.deep.equal([2n]);

      // A queued proposal never expires: still Queued after its pooling deadline.
      const deadline2 = (await vote.getProposal(2n)).poolDeadline;
      expect(deadline2).to.be.greaterThan(end1);
      await time.increaseTo(deadline2);
      expect(await vote.statusOf(2n)).to.equal(Status.Queued);

      // Settling proposal 3 opens proposal 2, which waited beyond its pooling deadline.
      // Proposal 3 had no vote: its deposit is burned before proposal 2 opens, so 2's quorum sees it.
      const end3 = end1 + MIN_VOTING_DURATION;
      const supplyAfterBurn = (await f.token.totalSupply()) - PROPOSAL_DEPOSIT;
      await atTime(end3);
      const settle3 = vote.settle(3n);
      await expect(settle3)
        .to.emit(vote, "DepositBurned")
        .withArgs(3n, b2.address, PROPOSAL_DEPOSIT)
        .and.to.emit(vote, "VotingOpened")
        .withArgs(2n, end3, end3 + MAX_VOTING_DURATION, ceilQuorum(supplyAfterBurn, QUORUM_BPS));
      expect(await f.token.totalSupply()).to.equal(supplyAfterBurn);
      expect((await vote.getProposal(2n)).poolDeadline).to.be.lessThan(end3);
      expect(await vote.activeProposal()).to.equal(2n);
      expect(await vote.queueLength()).to.equal(0n);
      expect(await vote.nextQueued(0n)).to.equal(0n);

      // Nobody votes on proposal 2: it closes after the minimum duration, not its 30 days.
      const end2 = end3 + MIN_VOTING_DURATION;
      await atTime(end2);
      const settle2 = vote.settle(2n);
      await expect(settle2).to.emit(vote, "ProposalSettled").withArgs(2n, false, 0n, 0n);
      await expect(settle2).not.to.emit(vote, "VotingOpened");
      expect(await vote.activeProposal()).to.equal(0n);

      // With nothing running, the next full pool opens at once.
      await vote.connect(b0).propose(100n, MIN_VOTING_DURATION);
      await expect(vote.connect(b0).back(4n, POOL_TARGET)).to.emit(vote, "VotingOpened");
      expect(await vote.activeProposal()).to.equal(4n);
      expect(await vote.queueLength()).to.equal(0n);
      // Deposits held: proposal 1 (participation reached the quorum) and proposal 4; 2 and 3 burned.
      await expectConservation(f, 4n * POOL_TARGET + FIXTURE_QUORUM + 2n * PROPOSAL_DEPOSIT, 2n * PROPOSAL_DEPOSIT);

      expect(await vote.statusOf(first)).to.equal(Status.Passed);
      expect(await vote.statusOf(2n)).to.equal(Status.Failed);
      expect(await vote.statusOf(3n)).to.equal(Status.Failed);
      await expect(vote.connect(b0).withdraw(first)).to.changeTokenBalance(f.token, b0, POOL_TARGET + PROPOSAL_DEPOSIT);
      await expect(vote.connect(v1).withdraw(first)).to.changeTokenBalance(f.token, v1, FIXTURE_QUORUM);
      await expect(vote.connect(b1).withdraw(2n)).to.changeTokenBalance(f.token, b1, POOL_TARGET);
      await expect(vote.connect(b2).withdraw(3n)).to.changeTokenBalance(f.token, b2, 50_000n * DG);
      await expect(vote.connect(b3).withdraw(3n)).to.changeTokenBalance(f.token, b3, 50_000n * DG);
      await expectConservation(f, POOL_TARGET + PROPOSAL_DEPOSIT, 2n * PROPOSAL_DEPOSIT);
    });
  });

  describe("withdraw", () => {
    it("returns to every backer and voter exactly backed + locked after a passed vote", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [proposer, b1, b2, v1, v2] = f.holders;
      await vote.connect(proposer).propose(7_000n, MIN_VOTING_DURATION);
      await vote.connect(b1).back(1n, 70_000n * DG);
      await vote.connect(b2).back(1n, 30_000n * DG + 1n); // 1 wei is left over
      expect((await vote.positionOf(1n, b2.address)).backed).to.equal(30_000n * DG);
      await vote.connect(b1).vote(1n, true, 500_000n * DG); // a backer votes too
      await vote.connect(v1).vote(1n, false, 123_456n * DG + 789n);
      await vote.connect(v2).vote(1n, true, MIN_VOTE_LOCK);
      await vote.connect(v2).vote(1n, true, 1n);

      const before = await snapshot(f);
      await expect(vote.connect(b1).withdraw(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(1n, Status.Voting);
      expect(await snapshot(f)).to.deep.equal(before);

      await atTime((await vote.getProposal(1n)).votingEnd);
      await expect(vote.settle(1n))
        .to.emit(vote, "ProposalSettled")
        .withArgs(1n, true, 500_020n * DG + 1n, 123_456n * DG + 789n);
      await expect(vote.connect(b1).withdraw(1n))
        .to.emit(vote, "Withdrawn")
        .withArgs(1n, b1.address, 570_000n * DG);
      await withdrawAllAndCheck(f, 1n, [b2, v1, v2, proposer]);
      expect(await f.token.balanceOf(b1.address)).to.equal(HOLDER_BALANCE);
    });

    it("returns to every backer and voter exactly backed + locked after a failed vote", async () => {
      const f = await loadFixture(voteFixture);
      const [backer, v1, v2, v3] = f.holders;
      const { id } = await runVote(f, [
        [v1, false, 777_777n * DG + 7n],
        [v2, true, 300_001n * DG],
        [v3, false, MIN_VOTE_LOCK],
        [backer, false, 5n * DG + MIN_VOTE_LOCK],
      ]);
      expect(await f.inflationVote.statusOf(id)).to.equal(Status.Failed);
      await withdrawAllAndCheck(f, id, [backer, v1, v2, v3]);
    });

    it("rejects withdrawal while pooling", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [b0] = f.holders;
      await vote.connect(b0).propose(1n, MIN_VOTING_DURATION);
      await vote.connect(b0).back(1n, 10n * DG);
      const before = await snapshot(f);
      await expect(vote.connect(b0).withdraw(1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(1n, Status.Pooling);
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, 10n * DG + PROPOSAL_DEPOSIT);
    });
  });

  describe("voting rules", () => {
    it("requires 20 DG for a first lock, then any non-zero amount on the same side", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1] = f.holders;
      const { id } = await openVote(f);
      const before = await snapshot(f);
      await expect(vote.connect(v1).vote(id, true, MIN_VOTE_LOCK - 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteBelowMinimumLock")
        .withArgs(MIN_VOTE_LOCK - 1n, MIN_VOTE_LOCK);
      expect(await snapshot(f)).to.deep.equal(before);

      await expect(vote.connect(v1).vote(id, true, MIN_VOTE_LOCK))
        .to.emit(vote, "VoteCast")
        .withArgs(id, v1.address, true, MIN_VOTE_LOCK, MIN_VOTE_LOCK, 0n);
      await expect(vote.connect(v1).vote(id, true, 1n)).to.changeTokenBalances(f.token, [v1, vote], [-1n, 1n]);
      const position = await vote.positionOf(id, v1.address);
      expect(position.locked).to.equal(MIN_VOTE_LOCK + 1n);
      expect(position.side).to.equal(Side.For);
      expect((await vote.getProposal(id)).forVotes).to.equal(MIN_VOTE_LOCK + 1n);
      await expectConservation(f, POOL_TARGET + MIN_VOTE_LOCK + 1n + PROPOSAL_DEPOSIT);
    });

    it("forbids switching sides", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1, v2] = f.holders;
      const { id } = await openVote(f);
      await vote.connect(v1).vote(id, true, MIN_VOTE_LOCK);
      await vote.connect(v2).vote(id, false, MIN_VOTE_LOCK);
      const before = await snapshot(f);
      await expect(vote.connect(v1).vote(id, false, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(vote, "InflationVoteCannotSwitchSide")
        .withArgs(id, v1.address, Side.For);
      await expect(vote.connect(v2).vote(id, true, 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteCannotSwitchSide")
        .withArgs(id, v2.address, Side.Against);
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, POOL_TARGET + 2n * MIN_VOTE_LOCK + PROPOSAL_DEPOSIT);
    });

    it("a backer votes like anyone else; its pooled DG are not votes", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [backer] = f.holders;
      const { id, end } = await openVote(f);
      let p = await vote.getProposal(id);
      expect(p.forVotes).to.equal(0n);
      expect(p.againstVotes).to.equal(0n);
      await expect(vote.connect(backer).vote(id, true, 50n * DG))
        .to.emit(vote, "VoteCast")
        .withArgs(id, backer.address, true, 50n * DG, 50n * DG, 0n);
      p = await vote.getProposal(id);
      expect(p.forVotes).to.equal(50n * DG);
      const position = await vote.positionOf(id, backer.address);
      expect(position.backed).to.equal(POOL_TARGET);
      expect(position.locked).to.equal(50n * DG);
      expect(position.side).to.equal(Side.For);
      await atTime(end);
      await vote.settle(id);
      // 50 DG of participation is below the quorum: the proposer's (here the backer's) deposit burned.
      await expect(vote.connect(backer).withdraw(id))
        .to.emit(vote, "Withdrawn")
        .withArgs(id, backer.address, POOL_TARGET + 50n * DG);
      expect(await f.token.balanceOf(backer.address)).to.equal(HOLDER_BALANCE - PROPOSAL_DEPOSIT);
      await expectConservation(f, 0n, PROPOSAL_DEPOSIT);
    });

    it("counts each DG once: DG moved away after a lock vote again only as what the contract holds", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, a] = f.holders;
      const b = f.fresh;
      const { id } = await openVote(f);
      await vote.connect(a).vote(id, true, 1_000n * DG);
      await f.token.connect(a).transfer(b.address, HOLDER_BALANCE - 1_000n * DG);
      await vote.connect(b).vote(id, true, HOLDER_BALANCE - 1_000n * DG);

      const p = await vote.getProposal(id);
      const lockedA = (await vote.positionOf(id, a.address)).locked;
      const lockedB = (await vote.positionOf(id, b.address)).locked;
      expect(p.forVotes + p.againstVotes).to.equal(lockedA + lockedB);
      expect(p.forVotes).to.equal(HOLDER_BALANCE); // a's whole balance, counted once
      expect(p.deposit).to.equal(PROPOSAL_DEPOSIT);
      expect(await f.token.balanceOf(await vote.getAddress())).to.equal(p.deposit + p.pooled + lockedA + lockedB);

      const before = await snapshot(f);
      await expect(vote.connect(a).vote(id, true, 1n))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientBalance")
        .withArgs(a.address, 0n, 1n);
      await expect(vote.connect(b).vote(id, true, 1n))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientBalance")
        .withArgs(b.address, 0n, 1n);
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, POOL_TARGET + HOLDER_BALANCE + PROPOSAL_DEPOSIT);
    });
  });

  describe("bad input", () => {
    it("propose rejects out-of-range or unchanged burn rates and durations; accepts the bounds", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [p] = f.holders;
      const before = await snapshot(f);
      await expect(vote.connect(p).propose(10_001n, MIN_VOTING_DURATION))
        .to.be.revertedWithCustomError(vote, "InflationVoteBurnBpsOutOfRange")
        .withArgs(10_001n, 10_000n);
      await expect(vote.connect(p).propose(0n, MIN_VOTING_DURATION))
        .to.be.revertedWithCustomError(vote, "InflationVoteBurnBpsUnchanged")
        .withArgs(0n);
      await expect(vote.connect(p).propose(5_000n, MIN_VOTING_DURATION - 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteDurationOutOfRange")
        .withArgs(MIN_VOTING_DURATION - 1n, MIN_VOTING_DURATION, MAX_VOTING_DURATION);
      await expect(vote.connect(p).propose(5_000n, MAX_VOTING_DURATION + 1n))
        .to.be.revertedWithCustomError(vote, "InflationVoteDurationOutOfRange")
        .withArgs(MAX_VOTING_DURATION + 1n, MIN_VOTING_DURATION, MAX_VOTING_DURATION);
      expect(await snapshot(f)).to.deep.equal(before);
      expect(await vote.proposalCount()).to.equal(0n);

      await expect(vote.connect(p).propose(10_000n, MIN_VOTING_DURATION)).to.emit(vote, "ProposalCreated");
      await expect(vote.connect(p).propose(1n, MAX_VOTING_DURATION)).to.emit(vote, "ProposalCreated");
      expect(await vote.proposalCount()).to.equal(2n);
    });

    it("propose rejects the rate a passed vote has set", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [, v1] = f.holders;
      const { id, end } = await openVote(f, 5_000n);
      await vote.connect(v1).vote(id, true, FIXTURE_QUORUM);
      await atTime(end);
      await vote.settle(id);
      expect(await f.reservation.burnBps()).to.equal(5_000n);
      await expect(vote.connect(v1).propose(5_000n, MIN_VOTING_DURATION))
        .to.be.revertedWithCustomError(vote, "InflationVoteBurnBpsUnchanged")
        .withArgs(5_000n);
      await expect(vote.connect(v1).propose(0n, MIN_VOTING_DURATION)).to.emit(vote, "ProposalCreated");
    });

    it("rejects unknown proposal ids 0 and count + 1 everywhere", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [p] = f.holders;
      await vote.connect(p).propose(5_000n, MIN_VOTING_DURATION);
      await vote.connect(p).back(1n, 1_000n * DG);
      const before = await snapshot(f);
      for (const id of [0n, 2n]) {
        await expect(vote.connect(p).back(id, DG))
          .to.be.revertedWithCustomError(vote, "InflationVoteUnknownProposal")
          .withArgs(id);
        await expect(vote.connect(p).withdrawBacking(id, DG))
          .to.be.revertedWithCustomError(vote, "InflationVoteUnknownProposal")
          .withArgs(id);
        await expect(vote.connect(p).vote(id, true, MIN_VOTE_LOCK))
          .to.be.revertedWithCustomError(vote, "InflationVoteUnknownProposal")
          .withArgs(id);
        await expect(vote.settle(id)).to.be.revertedWithCustomError(vote, "InflationVoteUnknownProposal").withArgs(id);
        await expect(vote.connect(p).withdraw(id))
          .to.be.revertedWithCustomError(vote, "InflationVoteUnknownProposal")
          .withArgs(id);
        await expect(vote.statusOf(id))
          .to.be.revertedWithCustomError(vote, "InflationVoteUnknownProposal")
          .withArgs(id);
        await expect(vote.getProposal(id))
          .to.be.revertedWithCustomError(vote, "InflationVoteUnknownProposal")
          .withArgs(id);
      }
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, 1_000n * DG + PROPOSAL_DEPOSIT);
    });

    it("rejects zero amounts for back, withdrawBacking and vote", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [b0, b1] = f.holders;
      const { id } = await openVote(f);
      await vote.connect(b1).propose(5_000n, MIN_VOTING_DURATION);
      await vote.connect(b1).back(2n, DG);
      const before = await snapshot(f);
      await expect(vote.connect(b1).back(2n, 0n)).to.be.revertedWithCustomError(vote, "InflationVoteZeroAmount");
      await expect(vote.connect(b1).withdrawBacking(2n, 0n)).to.be.revertedWithCustomError(
        vote,
        "InflationVoteZeroAmount",
      );
      await expect(vote.connect(b0).vote(id, true, 0n)).to.be.revertedWithCustomError(vote, "InflationVoteZeroAmount");
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, POOL_TARGET + DG + 2n * PROPOSAL_DEPOSIT);
    });

    it("rejects calls in the wrong phase: vote while pooling, settle while pooling or settled", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const [b0, v1] = f.holders;
      const { id, end } = await openVote(f);
      await atTime(end);
      await vote.settle(id);
      await vote.connect(b0).propose(5_000n, MIN_VOTING_DURATION);
      await vote.connect(b0).back(2n, DG);
      const before = await snapshot(f);
      await expect(vote.connect(v1).vote(2n, true, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(2n, Status.Pooling);
      await expect(vote.settle(2n))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(2n, Status.Pooling);
      await expect(vote.settle(id))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(id, Status.Failed);
      await expect(vote.connect(v1).vote(id, true, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(id, Status.Failed);
      await expect(vote.connect(b0).back(id, DG))
        .to.be.revertedWithCustomError(vote, "InflationVoteWrongStatus")
        .withArgs(id, Status.Failed);
      expect(await snapshot(f)).to.deep.equal(before);
      await expectConservation(f, POOL_TARGET + DG + PROPOSAL_DEPOSIT);
    });

    it("back and vote without allowance or balance revert in the token", async () => {
      const f = await loadFixture(voteFixture);
      const vote = f.inflationVote;
      const voteAddress = await vote.getAddress();
      const { outsider, fresh } = f;
      await vote.connect(f.holders[1]).propose(5_000n, MIN_VOTING_DURATION);
      await vote.connect(f.holders[1]).back(1n, 99_000n * DG);
      const before = await snapshot(f);
      // Only the 1,000 DG the pool still needs would be pulled.
      await expect(vote.connect(outsider).back(1n, 5_000n * DG))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance")
        .withArgs(voteAddress, 0n, 1_000n * DG);
      await expect(vote.connect(fresh).back(1n, 1n))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientBalance")
        .withArgs(fresh.address, 0n, 1n);
      expect(await snapshot(f)).to.deep.equal(before);
      expect(await f.token.balanceOf(outsider.address)).to.equal(OUTSIDER_BALANCE);

      await vote.connect(f.holders[1]).back(1n, POOL_TARGET);
      await expect(vote.connect(outsider).vote(1n, false, MIN_VOTE_LOCK))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance")
        .withArgs(voteAddress, 0n, MIN_VOTE_LOCK);
      expect((await vote.positionOf(1n, outsider.address)).side).to.equal(Side.None);
      expect((await vote.getProposal(1n)).againstVotes).to.equal(0n);
      await expectConservation(f, POOL_TARGET + PROPOSAL_DEPOSIT);
    });

    it("counts what actually arrives: a token that moves nothing is a zero amount (deposit and backing)", async () => {
      const f = await loadFixture(voteFixture);
      // Bytecode answering every call with the word 1: transferFrom "succeeds", balanceOf never moves.
      const FAKE = "0x600160005260206000f3";
      const factory = await ethers.getContractFactory("InflationVote");
      const reservation = await f.reservation.getAddress();
      const fakeToken = ethers.Wallet.createRandom().address;
      await network.provider.send("hardhat_setCode", [fakeToken, FAKE]);
      const fakeVote = await factory.deploy(fakeToken, reservation, QUORUM_BPS, PROPOSAL_DEPOSIT);
      await expect(fakeVote.propose(5_000n, MIN_VOTING_DURATION)).to.be.revertedWithCustomError(
        fakeVote,
        "InflationVoteZeroAmount",
      );
      expect(await fakeVote.proposalCount()).to.equal(0n);

      // A real token for the deposit, then the same fake code under it for the backing.
      const dg = await (await ethers.getContractFactory("DataGen")).deploy(f.deployer.address, f.deployer.address);
      const vote2 = await factory.deploy(await dg.getAddress(), reservation, QUORUM_BPS, PROPOSAL_DEPOSIT);
      await dg.approve(await vote2.getAddress(), ethers.MaxUint256);
      await vote2.propose(5_000n, MIN_VOTING_DURATION);
      expect((await vote2.getProposal(1n)).deposit).to.equal(PROPOSAL_DEPOSIT);
      await network.provider.send("hardhat_setCode", [await dg.getAddress(), FAKE]);
      await expect(vote2.back(1n, DG)).to.be.revertedWithCustomError(vote2, "InflationVoteZeroAmount");
      expect((await vote2.getProposal(1n)).pooled).to.equal(0n);
      expect((await vote2.positionOf(1n, f.deployer.address)).backed).to.equal(0n);
    });

    it("constructor rejects zero addresses, a quorum outside (0, 2000] bps and a deposit outside [1, 1,000,000] DG", async () => {
      const f = await loadFixture(voteFixture);
      const factory = await ethers.getContractFactory("InflationVote");
      const token = await f.token.getAddress();
      const reservation = await f.reservation.getAddress();
      const D = PROPOSAL_DEPOSIT;
      await expect(factory.deploy(ethers.ZeroAddress, reservation, QUORUM_BPS, D)).to.be.revertedWithCustomError(
        factory,
        "InflationVoteZeroAddress",
      );
      await expect(factory.deploy(token, ethers.ZeroAddress, QUORUM_BPS, D)).to.be.revertedWithCustomError(
        factory,
        "InflationVoteZeroAddress",
      );
      await expect(factory.deploy(token, reservation, 0n, D))
        .to.be.revertedWithCustomError(factory, "InflationVoteQuorumOutOfRange")
        .withArgs(0n, MAX_QUORUM_BPS);
      await expect(factory.deploy(token, reservation, MAX_QUORUM_BPS + 1n, D))
        .to.be.revertedWithCustomError(factory, "InflationVoteQuorumOutOfRange")
        .withArgs(MAX_QUORUM_BPS + 1n, MAX_QUORUM_BPS);
      await expect(factory.deploy(token, reservation, QUORUM_BPS, MIN_PROPOSAL_DEPOSIT - 1n))
        .to.be.revertedWithCustomError(factory, "InflationVoteDepositOutOfRange")
        .withArgs(MIN_PROPOSAL_DEPOSIT - 1n, MIN_PROPOSAL_DEPOSIT, MAX_PROPOSAL_DEPOSIT);
      await expect(factory.deploy(token, reservation, QUORUM_BPS, MAX_PROPOSAL_DEPOSIT + 1n))
        .to.be.revertedWithCustomError(factory, "InflationVoteDepositOutOfRange")
        .withArgs(MAX_PROPOSAL_DEPOSIT + 1n, MIN_PROPOSAL_DEPOSIT, MAX_PROPOSAL_DEPOSIT);
      const atMax = await factory.deploy(token, reservation, MAX_QUORUM_BPS, MAX_PROPOSAL_DEPOSIT);
      expect(await atMax.quorumBps()).to.equal(MAX_QUORUM_BPS);
      expect(await atMax.proposalDeposit()).to.equal(MAX_PROPOSAL_DEPOSIT);
      expect(await atMax.token()).to.equal(token);
      expect(await atMax.reservation()).to.equal(reservation);
      const atMin = await factory.deploy(token, reservation, 1n, MIN_PROPOSAL_DEPOSIT);
      expect(await atMin.proposalDeposit()).to.equal(MIN_PROPOSAL_DEPOSIT);
    });

    it("exposes its constants as the specification states", async () => {
      const { inflationVote: vote } = await loadFixture(voteFixture);
      expect(await vote.POOL_TARGET()).to.equal(POOL_TARGET);
      expect(await vote.MIN_VOTE_LOCK()).to.equal(MIN_VOTE_LOCK);
      expect(await vote.MIN_VOTING_DURATION()).to.equal(MIN_VOTING_DURATION);
      expect(await vote.MAX_VOTING_DURATION()).to.equal(MAX_VOTING_DURATION);
      expect(await vote.POOLING_WINDOW()).to.equal(POOLING_WINDOW);
      expect(await vote.QUIET_ENDING_WINDOW()).to.equal(QUIET_ENDING_WINDOW);
      expect(await vote.QUIET_ENDING_EXTENSION()).to.equal(QUIET_ENDING_EXTENSION);
      expect(await vote.quorumBps()).to.equal(QUORUM_BPS);
      expect(await vote.proposalDeposit()).to.equal(PROPOSAL_DEPOSIT);
      expect(await vote.MIN_PROPOSAL_DEPOSIT()).to.equal(MIN_PROPOSAL_DEPOSIT);
      expect(await vote.MAX_PROPOSAL_DEPOSIT()).to.equal(MAX_PROPOSAL_DEPOSIT);
    });
  });
});
