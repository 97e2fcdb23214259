/**
 * What a DG holder does: transfer DG, and in the inflation-cut vote propose a new burn rate (paying the
 * proposal deposit), back a proposal's pool or take backing back (leaving the queue), vote (locking
 * DG), settle an ended vote, withdraw its DG (and its deposit); and read every proposal, the queue, the
 * running vote and its own position.
 *
 * Every call that pulls DG (propose, back, vote) checks with chain reads everything InflationVote
 * would check, and the balance, BEFORE its approve: a refusal is the contract's own error
 * ({@link DataGenError}) and nothing is sent (see ./tx).
 */
import { ZeroAddress, getAddress, isAddress, type ContractTransactionReceipt, type Signer } from "ethers";
import type { InflationVote } from "../typechain-types";
import type { Suite, SuiteContracts } from "./deployments";
import { DataGenSdkError, contractError, withPlainErrors } from "./errors";
import { approveThenSend, eventArgs, requireBalance, requireUint, send } from "./tx";

export type ProposalState = "None" | "Pooling" | "Queued" | "Voting" | "Passed" | "Failed" | "Expired";
const STATES: ProposalState[] = ["None", "Pooling", "Queued", "Voting", "Passed", "Failed", "Expired"];
const POOLING = 1;
const VOTING = 3;
const EXPIRED = 6;

/** A voter's side in a proposal (`None`: has not voted). */
export type VoteSide = "None" | "For" | "Against";
const SIDES: VoteSide[] = ["None", "For", "Against"];

type StoredProposal = Awaited<ReturnType<InflationVote["getProposal"]>>;

/** A proposal, amounts in DG wei, times in unix seconds. */
export interface ProposalView {
  id: bigint;
  state: ProposalState;
  proposer: string;
  targetBurnBps: bigint;
  votingDuration: bigint;
  poolDeadline: bigint;
  votingStart: bigint;
  votingEnd: bigint;
  pooled: bigint;
  /** The proposer's deposit still held by the contract (0 once returned or burned). */
  deposit: bigint;
  /** For-votes the proposal needs to pass, fixed when its vote opens (0 before). */
  quorum: bigint;
  forVotes: bigint;
  againstVotes: bigint;
  /** DG still missing from the pool before the vote opens (0 once it was full). */
  poolToTarget: bigint;
  /**
   * When voting closes (settle from then on): `votingEnd`, or `votingStart` + the minimum voting
   * duration while nobody has locked DG in it; 0 before the vote opens.
   */
  closesAt: bigint;
  /** For-votes still missing to reach the quorum (0 once reached); undefined before the vote opens. */
  forVotesToQuorum: bigint | undefined;
  /** Whether the vote would pass if it closed now: for > against and for ≥ quorum. */
  passing: boolean;
}

/** A holder's stake in one proposal, amounts in DG wei. */
export interface PositionView {
  proposalId: bigint;
  holder: string;
  state: ProposalState;
  /** DG pooled behind the proposal (not a vote). */
  backed: bigint;
  /** DG locked in its vote, on `side`. */
  locked: bigint;
  side: VoteSide;
  /** The deposit still held if `holder` proposed it, else 0. */
  deposit: bigint;
  /** What `withdrawBacking` accepts now: the backing while the proposal is Pooling or Queued, else 0. */
  withdrawableBacking: bigint;
  /** What `withdraw` pays now: backing + locked + deposit once the proposal is Passed, Failed or Expired, else 0. */
  withdrawable: bigint;
  /** Whether `withdraw` succeeds now (there is something to withdraw and the proposal has ended). */
  canWithdraw: boolean;
}

/** The vote contract's constants (immutable). */
interface VoteRules {
  poolTarget: bigint;
  minVoteLock: bigint;
  minVotingDuration: bigint;
  maxVotingDuration: bigint;
  bpsDenominator: bigint;
  proposalDeposit: bigint;
}

/** `statusOf` as the contract computes it at time `at`: a pooling proposal expires at its deadline. */
function statusAt(p: StoredProposal, at: bigint): number {
  const status = Number(p.status);
  return status === POOLING && at >= p.poolDeadline ? EXPIRED : status;
}

/** The contract's `_requireStatus` at time `at`: InflationVoteWrongStatus unless `expected`. */
function requireStatus(id: bigint, p: StoredProposal, expected: number, at: bigint): void {
  const status = statusAt(p, at);
  if (status !== expected) throw contractError("InflationVoteWrongStatus", [id, status]);
}

/** The contract's `_closesAt`: the end, or the minimum duration after the start while nobody has locked DG. */
function closesAt(p: StoredProposal, minVotingDuration: bigint): bigint {
  return p.forVotes === 0n && p.againstVotes === 0n ? p.votingStart + minVotingDuration : p.votingEnd;
}

/** What a plain transfer to each contract of the suite would do: DG sent there are credited to no one. */
const SUITE_RECIPIENTS: Record<keyof SuiteContracts, string> = {
  token: "the DG token contract itself: DG sent to it can never be moved again",
  staking:
    "ValidatorStaking, the suite's staking escrow: DG sent to it by transfer are staked for no one and can never be withdrawn (stake with ValidatorClient.stake)",
  inflationVote:
    "InflationVote, the suite's inflation vote: DG sent to it by transfer count for no proposal and can never be withdrawn (use propose, back or vote)",
  rewards:
    "ComputeRewards, the suite's rewards distributor: DG sent to it by transfer never enter a pool and can never be withdrawn",
  reservation:
    "MiningReservation, the suite's halving reserve: DG sent to it by transfer come back only if its owner recovers them",
  crossCheck: "CrossCheck, the suite's cross-check contract: DG sent to it can never be moved again",
};

/** A holder's client: `signer` is the holder. */
export class HolderClient {
  private rules?: Promise<VoteRules>;

  constructor(
    readonly suite: Suite,
    readonly signer: Signer,
  ) {}

  /**
   * Sends `amount` DG wei to `to`, in one transaction. Refused before sending, as a careful user
   * expects: a malformed address or a zero amount ({@link DataGenSdkError}); the zero address and an
   * amount above the balance (the token's own errors, `ERC20InvalidReceiver` and
   * `ERC20InsufficientBalance`); and any contract of the suite, the token included
   * ({@link DataGenSdkError} naming it): a plain transfer to one of them is credited to no one and,
   * but for the reservation's owner-only recovery, can never come back. Sending to oneself is allowed
   * (it changes nothing).
   */
  async transfer(to: string, amount: bigint): Promise<ContractTransactionReceipt> {
    if (typeof to !== "string" || !isAddress(to)) throw new DataGenSdkError(`"${String(to)}" is not an address`);
    requireUint(amount, "the amount");
    if (amount === 0n) throw new DataGenSdkError("the amount must be more than 0 DG");
    const recipient = getAddress(to);
    if (recipient === ZeroAddress) throw contractError("ERC20InvalidReceiver", [ZeroAddress]);
    for (const key of Object.keys(SUITE_RECIPIENTS) as (keyof SuiteContracts)[]) {
      if ((await this.suite[key].getAddress()) === recipient) {
        throw new DataGenSdkError(`${recipient} is ${SUITE_RECIPIENTS[key]}`);
      }
    }
    await requireBalance(this.suite, await this.signer.getAddress(), amount);
    return send(this.suite.token.connect(this.signer).transfer, recipient, amount);
  }

  /**
   * Proposes `targetBurnBps` (0..10,000, not the rate in force) with a vote lasting `votingDuration`
   * seconds (the contract's MIN_VOTING_DURATION..MAX_VOTING_DURATION, 7..30 days), paying the
   * contract's `proposalDeposit`. The deposit comes back through {@link withdraw} unless the opened vote
   * ends with for + against below its quorum. Checks the rate, the duration and the balance before
   * approving the deposit (only if the allowance does not cover it).
   */
  async propose(
    targetBurnBps: bigint,
    votingDuration: bigint,
  ): Promise<{ proposalId: bigint; deposit: bigint; receipt: ContractTransactionReceipt }> {
    requireUint(targetBurnBps, "the burn rate");
    requireUint(votingDuration, "the voting duration");
    const vote = this.suite.inflationVote.connect(this.signer);
    const rules = await this.voteRules();
    const receipt = await approveThenSend({
      suite: this.suite,
      signer: this.signer,
      spender: await vote.getAddress(),
      amount: rules.proposalDeposit,
      check: async () => {
        if (targetBurnBps > rules.bpsDenominator) {
          throw contractError("InflationVoteBurnBpsOutOfRange", [targetBurnBps, rules.bpsDenominator]);
        }
        if (targetBurnBps === (await this.suite.reservation.burnBps())) {
          throw contractError("InflationVoteBurnBpsUnchanged", [targetBurnBps]);
        }
        if (votingDuration < rules.minVotingDuration || votingDuration > rules.maxVotingDuration) {
          throw contractError("InflationVoteDurationOutOfRange", [
            votingDuration,
            rules.minVotingDuration,
            rules.maxVotingDuration,
          ]);
        }
      },
      call: () => send(vote.propose, targetBurnBps, votingDuration),
    });
    const event = eventArgs(receipt, vote, "ProposalCreated");
    return { proposalId: event.proposalId as bigint, deposit: event.deposit as bigint, receipt };
  }

  /**
   * Backs proposal `proposalId` with up to `amount` DG wei: the pool takes what it still needs to
   * reach its target, and only that is approved and pulled (so `amount` may exceed the balance when
   * the pool needs less). Checks before approving: a non-zero amount, the proposal exists and is
   * Pooling when the transaction can be mined (not expired, not full), the balance covers what the
   * pool takes.
   */
  async back(proposalId: bigint, amount: bigint): Promise<ContractTransactionReceipt> {
    requireUint(amount, "the amount");
    if (amount === 0n) throw contractError("InflationVoteZeroAmount");
    const vote = this.suite.inflationVote.connect(this.signer);
    const p = await this.stored(proposalId);
    const rules = await this.voteRules();
    const takes = p.pooled < rules.poolTarget ? min(amount, rules.poolTarget - p.pooled) : 0n;
    return approveThenSend({
      suite: this.suite,
      signer: this.signer,
      spender: await vote.getAddress(),
      amount: takes,
      check: async (at) => requireStatus(proposalId, p, POOLING, at),
      call: () => send(vote.back, proposalId, amount),
    });
  }

  /**
   * Takes `amount` DG wei of this holder's backing back from a pooling or queued proposal. A queued
   * proposal then leaves the queue and pools again (with a fresh pooling window). One transaction,
   * estimated first: a refusal sends nothing.
   */
  withdrawBacking(proposalId: bigint, amount: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.inflationVote.connect(this.signer).withdrawBacking, proposalId, amount);
  }

  /**
   * Votes for (`support`) or against proposal `proposalId`, locking `amount` DG wei until the vote is
   * settled. Checks before approving: a non-zero amount, the proposal exists and is Voting, the vote
   * has not closed by the time the transaction can be mined (an empty vote closes at its minimum
   * duration), a first vote locks at least MIN_VOTE_LOCK (20 DG) and a later one stays on its side,
   * the balance covers `amount`.
   */
  async vote(proposalId: bigint, support: boolean, amount: bigint): Promise<ContractTransactionReceipt> {
    requireUint(amount, "the amount");
    const vote = this.suite.inflationVote.connect(this.signer);
    const voter = await this.signer.getAddress();
    return approveThenSend({
      suite: this.suite,
      signer: this.signer,
      spender: await vote.getAddress(),
      amount,
      check: async (at) => {
        if (amount === 0n) throw contractError("InflationVoteZeroAmount");
        const p = await this.stored(proposalId);
        requireStatus(proposalId, p, VOTING, at);
        const rules = await this.voteRules();
        const closes = closesAt(p, rules.minVotingDuration);
        if (at >= closes) throw contractError("InflationVoteVotingClosed", [proposalId, closes]);
        const side = Number((await vote.positionOf(proposalId, voter)).side);
        if (side === 0) {
          if (amount < rules.minVoteLock)
            throw contractError("InflationVoteBelowMinimumLock", [amount, rules.minVoteLock]);
        } else if (side !== (support ? 1 : 2)) {
          throw contractError("InflationVoteCannotSwitchSide", [proposalId, voter, side]);
        }
      },
      call: () => send(vote.vote, proposalId, support, amount),
    });
  }

  /** Settles an ended vote (a passed one sets the reservation's burn rate). Anyone may call it. */
  settle(proposalId: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.inflationVote.connect(this.signer).settle, proposalId);
  }

  /** Withdraws every DG this holder pooled and locked in `proposalId`, and its deposit if it proposed it. */
  withdraw(proposalId: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.inflationVote.connect(this.signer).withdraw, proposalId);
  }

  /** One proposal, as of the latest block; an unknown id is the contract's InflationVoteUnknownProposal. */
  proposal(id: bigint): Promise<ProposalView> {
    return withPlainErrors(async () => {
      const vote = this.suite.inflationVote;
      const [p, status, rules] = await Promise.all([vote.getProposal(id), vote.statusOf(id), this.voteRules()]);
      const opened = p.votingStart !== 0n;
      return {
        id,
        state: STATES[Number(status)],
        proposer: p.proposer,
        targetBurnBps: p.targetBurnBps,
        votingDuration: p.votingDuration,
        poolDeadline: p.poolDeadline,
        votingStart: p.votingStart,
        votingEnd: p.votingEnd,
        pooled: p.pooled,
        deposit: p.deposit,
        quorum: p.quorum,
        forVotes: p.forVotes,
        againstVotes: p.againstVotes,
        poolToTarget: rules.poolTarget - p.pooled,
        closesAt: opened ? closesAt(p, rules.minVotingDuration) : 0n,
        forVotesToQuorum: opened ? (p.forVotes < p.quorum ? p.quorum - p.forVotes : 0n) : undefined,
        passing: p.forVotes > p.againstVotes && p.forVotes >= p.quorum,
      };
    });
  }

  /** Every proposal, 1 to `proposalCount`, whatever its state (pooling and expired ones included). */
  async proposals(): Promise<ProposalView[]> {
    const count = await this.suite.inflationVote.proposalCount();
    const out: ProposalView[] = [];
    for (let id = 1n; id <= count; id++) out.push(await this.proposal(id));
    return out;
  }

  /**
   * `holder`'s position in proposal `proposalId` (default: this holder), as of the latest block: its
   * backing, its locked vote and side, the deposit if it proposed it, and what it can take back now.
   */
  async position(proposalId: bigint, holder?: string): Promise<PositionView> {
    const who = holder === undefined ? await this.signer.getAddress() : getAddress(holder);
    const p = await this.proposal(proposalId);
    const pos = await this.suite.inflationVote.positionOf(proposalId, who);
    const deposit = p.proposer === who ? p.deposit : 0n;
    const ended = p.state === "Passed" || p.state === "Failed" || p.state === "Expired";
    const withdrawable = ended ? pos.backed + pos.locked + deposit : 0n;
    return {
      proposalId,
      holder: who,
      state: p.state,
      backed: pos.backed,
      locked: pos.locked,
      side: SIDES[Number(pos.side)],
      deposit,
      withdrawableBacking: p.state === "Pooling" || p.state === "Queued" ? pos.backed : 0n,
      withdrawable,
      canWithdraw: withdrawable > 0n,
    };
  }

  /** The proposals waiting for their vote, first in line first (walked off-chain with `nextQueued`). */
  async queue(): Promise<ProposalView[]> {
    const vote = this.suite.inflationVote;
    const out: ProposalView[] = [];
    for (let id = await vote.nextQueued(0n); id !== 0n; id = await vote.nextQueued(id))
      out.push(await this.proposal(id));
    return out;
  }

  /** The proposal being voted on, or undefined. */
  async runningVote(): Promise<ProposalView | undefined> {
    const id = await this.suite.inflationVote.activeProposal();
    return id === 0n ? undefined : this.proposal(id);
  }

  /** The stored proposal, or the contract's InflationVoteUnknownProposal (`_requireExists`). */
  private async stored(id: bigint): Promise<StoredProposal> {
    if (id === 0n || id > (await this.suite.inflationVote.proposalCount())) {
      throw contractError("InflationVoteUnknownProposal", [id]);
    }
    return this.suite.inflationVote.getProposal(id);
  }

  /** The vote contract's constants, read once per client. */
  private voteRules(): Promise<VoteRules> {
    const vote = this.suite.inflationVote;
    this.rules ??= (async () => ({
      poolTarget: await vote.POOL_TARGET(),
      minVoteLock: await vote.MIN_VOTE_LOCK(),
      minVotingDuration: await vote.MIN_VOTING_DURATION(),
      maxVotingDuration: await vote.MAX_VOTING_DURATION(),
      bpsDenominator: await vote.BPS_DENOMINATOR(),
      proposalDeposit: await vote.proposalDeposit(),
    }))().catch((error: unknown) => {
      this.rules = undefined; // a failed read is not kept
      throw error;
    });
    return this.rules;
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
