import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Result } from "ethers";
import type { InflationVote } from "../../typechain-types";
import { DG, deployCore } from "./fixtures";

/** IInflationVote.Status, in declaration order. */
export const Status = { None: 0n, Pooling: 1n, Queued: 2n, Voting: 3n, Passed: 4n, Failed: 5n, Expired: 6n } as const;
/** IInflationVote.Side, in declaration order. */
export const Side = { None: 0n, For: 1n, Against: 2n } as const;

export const HOUR = 3_600n;
export const POOL_TARGET = 100_000n * DG;
export const MIN_VOTE_LOCK = 20n * DG;
export const MIN_VOTING_DURATION = 7n * 86_400n;
export const MAX_VOTING_DURATION = 30n * 86_400n;
export const POOLING_WINDOW = 30n * 86_400n;
export const QUIET_ENDING_WINDOW = 12n * HOUR;
export const QUIET_ENDING_EXTENSION = 12n * HOUR;
export const MAX_QUORUM_BPS = 2_000n;
/** The proposal deposit of the production module's default (`Core.proposalDeposit`): 1,000 DG. */
export const PROPOSAL_DEPOSIT = 1_000n * DG;
export const MIN_PROPOSAL_DEPOSIT = DG;
export const MAX_PROPOSAL_DEPOSIT = 1_000_000n * DG;
/** DG each holder receives from the treasury in {voteFixture}. */
export const HOLDER_BALANCE = 1_000_000n * DG;
/** DG the outsider receives (it never approves the vote contract). */
export const OUTSIDER_BALANCE = 1_000n * DG;

/** Quorum as the contract computes it: ceil(totalSupply * quorumBps / 10,000). */
export function ceilQuorum(totalSupply: bigint, quorumBps: bigint): bigint {
  return (totalSupply * quorumBps + 9_999n) / 10_000n;
}

/**
 * The core deployed by the production module, plus ten holders with HOLDER_BALANCE DG each that
 * approved the vote contract without limit, an outsider with OUTSIDER_BALANCE DG and no approval,
 * and `fresh`: an account with no DG that approved the vote contract.
 */
export async function voteFixture() {
  const core = await deployCore();
  const { token, inflationVote, deployer, beneficiary, others } = core;
  const holders = others.slice(0, 10);
  const outsider = others[10];
  const fresh = others[11];
  const voteAddress = await inflationVote.getAddress();
  for (const holder of holders) {
    await token.connect(deployer).transfer(holder.address, HOLDER_BALANCE);
    await token.connect(holder).approve(voteAddress, ethers.MaxUint256);
  }
  await token.connect(deployer).transfer(outsider.address, OUTSIDER_BALANCE);
  await token.connect(fresh).approve(voteAddress, ethers.MaxUint256);
  // Every account that can hold DG in these tests, for the conservation checks.
  const allHolders = [
    deployer.address,
    beneficiary.address,
    ...others.map((s) => s.address),
    await core.reservation.getAddress(),
    voteAddress,
  ];
  return { ...core, holders, outsider, fresh, allHolders };
}

/** Creates a proposal and fills its pool from `backer` in one call; returns the new id. */
export async function proposeAndFill(
  vote: InflationVote,
  backer: HardhatEthersSigner,
  targetBurnBps: bigint,
  votingDuration: bigint,
): Promise<bigint> {
  await vote.connect(backer).propose(targetBurnBps, votingDuration);
  const id = await vote.proposalCount();
  await vote.connect(backer).back(id, POOL_TARGET);
  return id;
}

/**
 * Everything the vote contract owes: Σ over proposals of the deposit still held, plus Σ over
 * proposals and accounts of (backed + locked).
 */
export async function totalOwed(vote: InflationVote, accounts: string[]): Promise<bigint> {
  const count = await vote.proposalCount();
  let owed = 0n;
  for (let id = 1n; id <= count; id++) {
    owed += (await vote.getProposal(id)).deposit;
    for (const account of accounts) {
      const position = await vote.positionOf(id, account);
      owed += position.backed + position.locked;
    }
  }
  return owed;
}

/** The vote contract's DG balance equals what it owes to the accounts listed. */
export async function expectVoteBalanceOwed(
  token: { balanceOf(a: string): Promise<bigint> },
  vote: InflationVote,
  accounts: string[],
  expectedOwed?: bigint,
) {
  const owed = await totalOwed(vote, accounts);
  expect(await token.balanceOf(await vote.getAddress()), "vote balance == Σ deposit + Σ(backed + locked)").to.equal(
    owed,
  );
  if (expectedOwed !== undefined) expect(owed, "owed").to.equal(expectedOwed);
}

/**
 * A comparable picture of the vote contract's state and of the DG balances of `accounts`, to
 * assert that a reverted call changed nothing.
 */
export async function voteState(
  vote: InflationVote,
  token: { balanceOf(a: string): Promise<bigint> },
  accounts: string[],
) {
  const count = await vote.proposalCount();
  const proposals: Record<string, unknown>[] = [];
  const positions: Record<string, unknown>[] = [];
  for (let id = 1n; id <= count; id++) {
    const proposal = (await vote.getProposal(id)) as unknown as Result;
    proposals.push({ ...proposal.toObject(), status: await vote.statusOf(id) });
    for (const account of accounts) {
      positions.push(((await vote.positionOf(id, account)) as unknown as Result).toObject());
    }
  }
  const queue = await queueOf(vote);
  const balances: bigint[] = [];
  for (const account of [...accounts, await vote.getAddress()]) balances.push(await token.balanceOf(account));
  return { count, active: await vote.activeProposal(), queue, proposals, positions, balances };
}

/** The queue, first in line first, walked with `nextQueued`; its length is checked against `queueLength`. */
export async function queueOf(vote: InflationVote): Promise<bigint[]> {
  const queue: bigint[] = [];
  for (let id = await vote.nextQueued(0n); id !== 0n; id = await vote.nextQueued(id)) queue.push(id);
  expect(BigInt(queue.length), "queueLength").to.equal(await vote.queueLength());
  return queue;
}

/** Mines nothing; the next transaction runs at exactly `timestamp`. */
export async function atTime(timestamp: bigint) {
  await time.setNextBlockTimestamp(timestamp);
}
