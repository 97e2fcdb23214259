/**
 * What a DG holder does in the inflation-cut vote: propose a new burn rate (paying the proposal
 * deposit), back a proposal's pool or take backing back (leaving the queue), vote (locking DG), settle
 * an ended vote, withdraw its DG (and its deposit), and read the queue and the running vote.
 */
import type { ContractTransactionReceipt, Signer } from "ethers";
import type { Suite } from "./deployments";
import { DataGenSdkError } from "./errors";
import { send } from "./validator";

export type ProposalState = "None" | "Pooling" | "Queued" | "Voting" | "Passed" | "Failed" | "Expired";
const STATES: ProposalState[] = ["None", "Pooling", "Queued", "Voting", "Passed", "Failed", "Expired"];

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
  quorum: bigint;
  forVotes: bigint;
  againstVotes: bigint;
}

/** A holder's client: `signer` is the holder. */
export class HolderClient {
  constructor(
    readonly suite: Suite,
    readonly signer: Signer,
  ) {}

  /**
   * Proposes `targetBurnBps` (0..10,000) with a vote lasting `votingDuration` seconds, approving the
   * contract's `proposalDeposit` first if the allowance does not cover it. The deposit comes back
   * through {@link withdraw} unless the opened vote ends with for + against below its quorum.
   */
  async propose(
    targetBurnBps: bigint,
    votingDuration: bigint,
  ): Promise<{ proposalId: bigint; deposit: bigint; receipt: ContractTransactionReceipt }> {
    const vote = this.suite.inflationVote.connect(this.signer);
    const deposit = await vote.proposalDeposit();
    await this.ensureAllowance(deposit);
    const receipt = await send(vote.propose, targetBurnBps, votingDuration);
    const event = receipt.logs
      .map((log) => {
        try {
          return vote.interface.parseLog(log);
        } catch {
          return null;
        }
      })
      .find((e) => e?.name === "ProposalCreated");
    if (!event) throw new DataGenSdkError("the proposal transaction emitted no ProposalCreated event");
    return { proposalId: event.args.proposalId as bigint, deposit: event.args.deposit as bigint, receipt };
  }

  /** Backs proposal `proposalId` with up to `amount` DG wei (approving exactly what is missing first). */
  async back(proposalId: bigint, amount: bigint): Promise<ContractTransactionReceipt> {
    await this.ensureAllowance(amount);
    return send(this.suite.inflationVote.connect(this.signer).back, proposalId, amount);
  }

  /**
   * Takes `amount` DG wei of this holder's backing back from a pooling or queued proposal. A queued
   * proposal then leaves the queue and pools again (with a fresh pooling window).
   */
  withdrawBacking(proposalId: bigint, amount: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.inflationVote.connect(this.signer).withdrawBacking, proposalId, amount);
  }

  /** Votes for (`support`) or against, locking `amount` DG wei until the vote is settled. */
  async vote(proposalId: bigint, support: boolean, amount: bigint): Promise<ContractTransactionReceipt> {
    await this.ensureAllowance(amount);
    return send(this.suite.inflationVote.connect(this.signer).vote, proposalId, support, amount);
  }

  /** Settles an ended vote (a passed one sets the reservation's burn rate). Anyone may call it. */
  settle(proposalId: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.inflationVote.connect(this.signer).settle, proposalId);
  }

  /** Withdraws every DG this holder pooled and locked in `proposalId`, and its deposit if it proposed it. */
  withdraw(proposalId: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.inflationVote.connect(this.signer).withdraw, proposalId);
  }

  /** One proposal. */
  async proposal(id: bigint): Promise<ProposalView> {
    const vote = this.suite.inflationVote;
    const p = await vote.getProposal(id);
    return {
      id,
      state: STATES[Number(await vote.statusOf(id))],
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

  private async ensureAllowance(amount: bigint): Promise<void> {
    const owner = await this.signer.getAddress();
    const spender = await this.suite.inflationVote.getAddress();
    const allowance = await this.suite.token.allowance(owner, spender);
    if (allowance < amount) await send(this.suite.token.connect(this.signer).approve, spender, amount);
  }
}
