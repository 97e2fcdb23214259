import { expect } from "chai";
import { AbiCoder, keccak256, randomBytes, hexlify, id } from "ethers";
import type { Signer, TypedDataField } from "ethers";
import { ethers } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { CROSS_CHECK_DEFAULTS } from "../../deploy/modules/CrossCheck";
import { deploySuite } from "../../scripts/lib/deploySuite";
import { DAY, DG, QUORUM_BPS } from "./fixtures";
import { SUITE_PARAMS } from "./suite";
import type { CrossCheck } from "../../typechain-types";

/** The CrossCheck parameters the fixture deploys with (the module's defaults, spelled out). */
export const CROSS_PARAMS = {
  commitWindow: CROSS_CHECK_DEFAULTS.commitWindow,
  revealWindow: CROSS_CHECK_DEFAULTS.revealWindow,
  maxReceiptAge: CROSS_CHECK_DEFAULTS.maxReceiptAge,
  slashBps: CROSS_CHECK_DEFAULTS.slashBps,
  adminDelay: CROSS_CHECK_DEFAULTS.adminDelay,
};

/** ICrossCheck.Phase values. */
export const PHASE = { None: 0n, AwaitingDraw: 1n, Drawn: 2n, AwaitingFifthDraw: 3n, FifthDrawn: 4n, Finalized: 5n };

/** `keccak256("DATAGEN_CROSSCHECK_INPUT_MISMATCH")`: what a checker reveals when the input does not match. */
export const INPUT_MISMATCH = id("DATAGEN_CROSSCHECK_INPUT_MISMATCH");

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

/** The input hash the fixture's receipts carry. */
export const INPUT = id("input-1");

/* ===================== RECEIPTS ===================== */

/** ICrossCheck.Receipt. */
export interface Receipt {
  taskId: string;
  user: string;
  inputHash: string;
  resultHash: string;
  deliveredAt: bigint;
}

/** The EIP-712 type of a receipt, as in CrossCheck's RECEIPT_TYPEHASH. */
export const RECEIPT_TYPES: Record<string, TypedDataField[]> = {
  Receipt: [
    { name: "taskId", type: "bytes32" },
    { name: "user", type: "address" },
    { name: "inputHash", type: "bytes32" },
    { name: "resultHash", type: "bytes32" },
    { name: "deliveredAt", type: "uint64" },
  ],
};

/** The EIP-712 domain of `crossCheck` (name "CrossCheck", version "1", this chain, its address). */
export async function receiptDomain(crossCheck: CrossCheck | string, chainId?: bigint) {
  return {
    name: "CrossCheck",
    version: "1",
    chainId: chainId ?? (await ethers.provider.getNetwork()).chainId,
    verifyingContract: typeof crossCheck === "string" ? crossCheck : await crossCheck.getAddress(),
  };
}

/** `signer`'s EIP-712 signature of `receipt` for `crossCheck` (chain id overridable, for replay tests). */
export async function signReceipt(
  signer: Signer,
  crossCheck: CrossCheck | string,
  receipt: Receipt,
  chainId?: bigint,
): Promise<string> {
  return signer.signTypedData(await receiptDomain(crossCheck, chainId), RECEIPT_TYPES, receipt);
}

/** Options of a receipt: everything defaults to the fixture's task 1, user, input, result A, now. */
export interface ReceiptOptions {
  task?: string;
  user?: string;
  inputHash?: string;
  resultHash?: string;
  deliveredAt?: bigint;
}

/** A receipt with the fixture's defaults (delivered at the latest block's time). */
export async function receiptFor(s: CrossSuite, o: ReceiptOptions = {}): Promise<Receipt> {
  return {
    taskId: o.task ?? taskId(1),
    user: o.user ?? s.user.address,
    inputHash: o.inputHash ?? INPUT,
    resultHash: o.resultHash ?? result("A"),
    deliveredAt: o.deliveredAt ?? BigInt(await time.latest()),
  };
}

/**
 * A paired validator: an EOA (signs its receipts itself) or a contract (`address`) whose owner key
 * (`signer`) signs for it through ERC-1271.
 */
export type Paired = Signer | { address: string; signer: Signer };

async function pairedParts(paired: Paired): Promise<{ address: string; signer: Signer }> {
  if ("signer" in paired) return paired;
  const signer = paired as Signer;
  return { address: await signer.getAddress(), signer };
}

/**
 * The coordinator opens a check of `receipt` (defaults as {@link receiptFor}) signed by `paired`.
 * Returns the transaction (not awaited for its receipt), the check id, the receipt and the signature.
 */
export async function openWith(s: CrossSuite, paired: Paired, o: ReceiptOptions = {}) {
  const { address, signer } = await pairedParts(paired);
  const receipt = await receiptFor(s, o);
  const signature = await signReceipt(signer, s.crossCheck, receipt);
  const tx = await s.crossCheck.connect(s.coordinator).open(receipt, address, signature);
  const checkId = await s.crossCheck.checkCount();
  return { tx, checkId, receipt, signature, paired: address };
}

/**
 * Opens a check of a receipt signed by `paired` (result `resultHash`, default A), mines the seed
 * block and draws; checks the draw against {@link modelDraw}; returns the id and the checkers.
 */
export async function openAndDraw(
  s: CrossSuite,
  paired: Paired,
  task = taskId(1),
  user: Signer = s.user,
  resultHash = result("A"),
) {
  const opened = await openWith(s, paired, { task, user: await user.getAddress(), resultHash });
  const checkId = opened.checkId;
  await mine(1);
  const expected = await modelDraw(s, checkId);
  await s.crossCheck.draw(checkId);
  const info = await s.crossCheck.checkInfo(checkId);
  const checkers = info.drawn.slice(0, 3) as string[];
  expect(checkers, "the draw follows the model").to.deep.equal(expected);
  return { checkId, checkers, receipt: opened.receipt };
}

/** The signer of a validator address (among the fixture's signers). */
export async function signerOf(address: string): Promise<Signer> {
  return ethers.getSigner(address);
}

/** What a checker does in a round: reveal `hash`, commit and not reveal (`silent`), or nothing (`absent`). */
export type Answer = string | "silent" | "absent";

/**
 * Plays one commit-reveal round of `checkId`: every drawn checker of the round in `answers` commits
 * (unless absent), the clock passes the commit deadline, each reveals (unless silent or absent), the
 * clock passes the reveal deadline. Only the round's drawn checkers may appear in `answers`. Salts
 * are random, as a real checker's would be.
 */
export async function playRound(s: CrossSuite, checkId: bigint, answers: Map<string, Answer>) {
  const info0 = await s.crossCheck.checkInfo(checkId);
  const round = info0.phase === PHASE.FifthDrawn ? [info0.drawn[3]] : info0.drawn.slice(0, 3);
  for (const party of answers.keys()) expect(round, `${party} is a drawn checker`).to.include(party);
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
  expect(info.phase, "finalized").to.equal(PHASE.Finalized);
  for (const party of [info.paired, ...info.drawn]) {
    if (party === ethers.ZeroAddress) continue;
    const [open] = await s.staking.exposure(checkId, party);
    expect(open, `exposure of ${party} closed`).to.equal(false);
  }
}

/* ===================== DRAW MODEL ===================== */

/**
 * Reference model of the contract's draw (independent TypeScript): the seed from the seed block's
 * hash, then `count` positions mapped past the sorted excluded set indices.
 */
export function modelSeed(blockHash: string, chainId: bigint, crossCheck: string, checkId: bigint, round: bigint) {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint256", "address", "uint256", "uint8"],
      [blockHash, chainId, crossCheck, checkId, round],
    ),
  );
}

/** The set indices the contract picks for the `randoms` among `count` minus `excluded`. */
export function modelPick(randoms: bigint[], count: bigint, excluded: bigint[]): bigint[] {
  const taken = [...excluded];
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
  }
  return picked;
}

/** keccak256(abi.encode(seed, i)): the contract's per-checker random word. */
export function wordOf(seed: string, i: number): bigint {
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [seed, i])));
}

/** A set: its members in index order. */
export type ActiveSet = string[];

/** The Active set as of the end of block `block` (the escrow's history), in index order. */
export async function setAt(s: CrossSuite, block: bigint): Promise<ActiveSet> {
  const count = await s.staking.activeValidatorCountAt(block);
  const members: string[] = [];
  for (let i = 0n; i < count; i++) members.push(await s.staking.activeValidatorAtBlock(i, block));
  return members;
}

/** The live Active set, in index order. */
export async function liveSet(s: CrossSuite): Promise<ActiveSet> {
  const count = await s.staking.activeValidatorCount();
  const members: string[] = [];
  for (let i = 0n; i < count; i++) members.push(await s.staking.activeValidatorAt(i));
  return members;
}

/**
 * Who a draw picks from `set` (index order) with `seed`: the three checkers (`round` AwaitingDraw)
 * or the fifth (`round` AwaitingFifthDraw; empty when nobody is left), excluding `excluded` accounts.
 */
export function pickFrom(set: ActiveSet, seed: string, round: bigint, excluded: string[]): string[] {
  const idx = excluded
    .map((a) => set.indexOf(a))
    .filter((i) => i >= 0)
    .map(BigInt);
  const count = BigInt(set.length);
  if (round === PHASE.AwaitingDraw) {
    return modelPick(
      [0, 1, 2].map((i) => wordOf(seed, i)),
      count,
      idx,
    ).map((i) => set[Number(i)]);
  }
  if (count === BigInt(idx.length)) return [];
  return modelPick([BigInt(seed)], count, idx).map((i) => set[Number(i)]);
}

/** The seed of the pending draw of `checkId` (its seed block must be mined). */
export async function seedOf(s: CrossSuite, checkId: bigint): Promise<string> {
  const info = await s.crossCheck.checkInfo(checkId);
  const block = await ethers.provider.getBlock(info.seedBlock);
  expect(block, "seed block mined").to.not.equal(null);
  return modelSeed(
    block!.hash!,
    (await ethers.provider.getNetwork()).chainId,
    await s.crossCheck.getAddress(),
    checkId,
    info.phase,
  );
}

/**
 * What the pending draw of `checkId` picks, computed from the snapshot block's set (read back from
 * the escrow's history) and the seed block's hash: the three checkers, or the fifth ([] if nobody
 * is left). Call it once the seed block is mined, before the draw.
 */
export async function modelDraw(s: CrossSuite, checkId: bigint, set?: ActiveSet): Promise<string[]> {
  const info = await s.crossCheck.checkInfo(checkId);
  const members = set ?? (await setAt(s, info.snapshotBlock));
  const excluded = [info.paired, info.user];
  if (info.phase === PHASE.AwaitingFifthDraw) excluded.push(...info.drawn.slice(0, 3));
  return pickFrom(members, await seedOf(s, checkId), info.phase, excluded);
}
