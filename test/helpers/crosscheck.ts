import { expect } from "chai";
import { AbiCoder, keccak256, randomBytes, hexlify, id } from "ethers";
import type { Signer } from "ethers";
import { ethers } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { CROSS_CHECK_DEFAULTS } from "../../deploy/modules/CrossCheck";
import { deploySuite } from "../../scripts/lib/deploySuite";
import { DAY, DG, QUORUM_BPS } from "./fixtures";
import { SUITE_PARAMS } from "./suite";

/** The CrossCheck parameters the fixture deploys with (the module's defaults, spelled out). */
export const CROSS_PARAMS = {
  commitWindow: CROSS_CHECK_DEFAULTS.commitWindow,
  revealWindow: CROSS_CHECK_DEFAULTS.revealWindow,
  slashBps: CROSS_CHECK_DEFAULTS.slashBps,
  adminDelay: CROSS_CHECK_DEFAULTS.adminDelay,
};

/** Stake of validator `i` (0-based) in the fixture: 20,000 DG + i * 1,000 DG, all distinct. */
export function stakeOf(i: number): bigint {
  return 20_000n * DG + BigInt(i) * 1_000n * DG;
}

/** Number of validators the fixture stakes. */
export const VALIDATORS = 8;

/**
 * The whole suite deployed through the production CrossCheck module (Core + Suite + CrossCheck).
 * Signers: 0 deployer/admin, 1 coordinator, 2 user, 3 outsider, 4..11 validators staked with
 * {@link stakeOf}, the rest in `others` (funded with 100,000 DG, not staked).
 */
export async function deployCrossCheck() {
  const [deployer, coordinator, user, outsider, ...rest] = await ethers.getSigners();
  const validators = rest.slice(0, VALIDATORS);
  const others = rest.slice(VALIDATORS);
  const releaseStart = BigInt(await time.latest()) + DAY;
  const { token, reservation, inflationVote, staking, rewards, crossCheck } = await deploySuite({
    Core: { releaseStart, initialBurnBps: 0n, quorumBps: QUORUM_BPS },
    Suite: { ...SUITE_PARAMS },
    CrossCheck: { ...CROSS_PARAMS, coordinator: coordinator.address },
  });

  const stakingAddress = await staking.getAddress();
  for (const [i, v] of validators.entries()) {
    await token.transfer(v.address, stakeOf(i));
    await token.connect(v).approve(stakingAddress, stakeOf(i));
    await staking.connect(v).stake(stakeOf(i));
  }
  for (const o of others) await token.transfer(o.address, 100_000n * DG);
  return {
    token,
    reservation,
    inflationVote,
    staking,
    rewards,
    crossCheck,
    deployer,
    coordinator,
    user,
    outsider,
    validators,
    others,
  };
}

export type CrossSuite = Awaited<ReturnType<typeof deployCrossCheck>>;

/** A task id for tests. */
export function taskId(n: number | string): string {
  return id(`task-${n}`);
}

/** A result hash for tests ("the correct result", "a wrong one", ...). */
export function result(label: string): string {
  return id(`result-${label}`);
}

/** Opens a check of `task` paired with `paired`, mines the seed block and draws; returns id and checkers. */
export async function openAndDraw(s: CrossSuite, paired: Signer, task = taskId(1), user: Signer = s.user) {
  await s.crossCheck.connect(s.coordinator).open(task, await user.getAddress(), await paired.getAddress());
  const checkId = await s.crossCheck.checkCount();
  await mine(1);
  await s.crossCheck.draw(checkId);
  const info = await s.crossCheck.checkInfo(checkId);
  return { checkId, checkers: info.drawn.slice(0, 3) as string[] };
}

/** The signer of a validator address (among the fixture's signers). */
export async function signerOf(address: string): Promise<Signer> {
  return ethers.getSigner(address);
}

/** What a party does in a round: reveal `hash`, commit and not reveal (`silent`), or nothing (`absent`). */
export type Answer = string | "silent" | "absent";

/**
 * Plays one commit-reveal round of `checkId`: every party commits (unless absent), the clock passes
 * the commit deadline, every party reveals (unless silent or absent), the clock passes the reveal
 * deadline. Salts are random, as a real party's would be.
 */
export async function playRound(s: CrossSuite, checkId: bigint, answers: Map<string, Answer>) {
  const salts = new Map<string, string>();
  for (const [party, answer] of answers) {
    if (answer === "absent") continue;
    const salt = hexlify(randomBytes(32));
    salts.set(party, salt);
    const hash = answer === "silent" ? result("never-revealed") : answer;
    const commitment = await s.crossCheck.commitmentOf(checkId, party, hash, salt);
    await s.crossCheck.connect(await signerOf(party)).commit(checkId, commitment);
  }
  const info = await s.crossCheck.checkInfo(checkId);
  await time.increaseTo(info.commitDeadline + 1n);
  for (const [party, answer] of answers) {
    if (answer === "absent" || answer === "silent") continue;
    await s.crossCheck.connect(await signerOf(party)).reveal(checkId, answer, salts.get(party)!);
  }
  await time.increaseTo(info.revealDeadline + 1n);
}

/** Slash of one proven fault for a validator whose exposure cap is `cap` (CrossCheck then escrow rounding). */
export function slashOf(cap: bigint): { slashed: bigint; rewarded: bigint; burned: bigint } {
  const slashed = (cap * CROSS_PARAMS.slashBps) / 10_000n;
  const rewarded = (slashed * SUITE_PARAMS.slashRewardBps) / 10_000n;
  return { slashed, rewarded, burned: slashed - rewarded };
}

/**
 * The escrow invariants after a verdict: the escrow's DG balance equals what it owes, CrossCheck holds
 * nothing, and no exposure of the check is left open.
 */
export async function expectEscrowInvariants(s: CrossSuite, checkId: bigint) {
  const stakingAddress = await s.staking.getAddress();
  expect(await s.token.balanceOf(stakingAddress), "escrow balance == owed").to.equal(await s.staking.totalStaked());
  expect(await s.token.balanceOf(await s.crossCheck.getAddress()), "CrossCheck holds no DG").to.equal(0n);
  const info = await s.crossCheck.checkInfo(checkId);
  for (const party of [info.paired, ...info.drawn]) {
    if (party === ethers.ZeroAddress) continue;
    const [open] = await s.staking.exposure(checkId, party);
    expect(open, `exposure of ${party} closed`).to.equal(false);
  }
}

/**
 * Reference model of the contract's draw (independent TypeScript): the seed from the seed block's
 * hash, then `count` positions mapped past the sorted excluded set indices.
 */
export function modelSeed(blockHash: string, chainId: bigint, crossCheck: string, checkId: bigint, round: number) {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint256", "address", "uint256", "uint8"],
      [blockHash, chainId, crossCheck, checkId, round],
    ),
  );
}

/** The set indices the contract picks for `draws` positions among `count` minus `excluded`. */
export function modelPick(randoms: bigint[], count: bigint, excluded: bigint[]): bigint[] {
  const taken = [...excluded].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const picked: bigint[] = [];
  for (const rand of randoms) {
    // The (rand mod free)-th index not taken, counted from 0 (a direct definition, not the skip walk).
    let target = rand % (count - BigInt(taken.length));
    let index = 0n;
    for (;;) {
      if (!taken.includes(index)) {
        if (target === 0n) break;
        target -= 1n;
      }
      index += 1n;
    }
    picked.push(index);
    taken.push(index);
    taken.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return picked;
}

/** keccak256(abi.encode(seed, i)): the contract's per-checker random word. */
export function wordOf(seed: string, i: number): bigint {
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [seed, i])));
}
