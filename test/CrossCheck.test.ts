import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { AddressLike, Signer } from "ethers";
import { expectConserved } from "./helpers/conservation";
import { DG, REAL_BUILD } from "./helpers/fixtures";
import { SUITE_PARAMS } from "./helpers/suite";
import {
  CROSS_PARAMS,
  VALIDATORS,
  deployCrossCheck,
  expectEscrowInvariants,
  modelPick,
  modelSeed,
  openAndDraw,
  playRound,
  result,
  slashOf,
  stakeOf,
  taskId,
  wordOf,
  type Answer,
  type CrossSuite,
} from "./helpers/crosscheck";
import { COORDINATOR_ROLE, SLASHER_ROLE } from "../deploy/modules/CrossCheck";

// ICrossCheck.Phase
const AWAITING_DRAW = 1n;
const DRAWN = 2n;
const AWAITING_FIFTH = 3n;
const FIFTH_DRAWN = 4n;
const FINALIZED = 5n;
// ICrossCheck.Verdict
const INVALID = 1n;
const PASS = 2n;
const CHECKER_SLASHED = 3n;
const TIE_DECIDED = 4n;
const PAIRED_SLASHED = 5n;
const INCONCLUSIVE = 6n;
const CANCELLED = 7n;
// IValidatorStaking.Status
const ACTIVE = 1n;
const COOLING_DOWN = 2n;
const EXPELLED = 3n;

const A = result("A"); // the correct result
const B = result("B");
const C = result("C");
const D = result("D");
const ZERO = ethers.ZeroHash;
/** An explicit gas limit skips estimation, so a reverting call is mined at the timestamp set for it. */
const GAS = { gasLimit: 1_000_000n };

/** Every account that can hold DG in these scenarios. */
function holders(s: CrossSuite): AddressLike[] {
  return [
    s.deployer,
    s.coordinator,
    s.user,
    s.outsider,
    ...s.validators,
    ...s.others,
    s.reservation,
    s.inflationVote,
    s.staking,
    s.rewards,
    s.crossCheck,
  ];
}

/** The stake (= exposure cap) of a fixture validator, by address. */
function capOf(s: CrossSuite, address: string): bigint {
  const i = s.validators.findIndex((v) => v.address === address);
  expect(i, `${address} is a fixture validator`).to.be.greaterThan(-1);
  return stakeOf(i);
}

/** The answers of the user, the paired validator and the three checkers, in that order. */
function answers(user: string, paired: string, checkers: string[], said: Answer[]): Map<string, Answer> {
  const parties = [user, paired, ...checkers];
  expect(said.length).to.equal(parties.length);
  return new Map(parties.map((p, i) => [p, said[i]]));
}

/** One round played by the user, `paired` and the drawn checkers; returns the check and its checkers. */
async function checkWith(s: CrossSuite, said: Answer[], paired: Signer = s.validators[0], task = taskId(1)) {
  const drawn = await openAndDraw(s, paired, task);
  await playRound(s, drawn.checkId, answers(s.user.address, await paired.getAddress(), drawn.checkers, said));
  return drawn;
}

/** The state a failed call must leave unchanged. */
async function stateOf(s: CrossSuite, checkId: bigint, parties: string[]) {
  const info = await s.crossCheck.checkInfo(checkId);
  const subs = await Promise.all(parties.map((p) => s.crossCheck.submission(checkId, p)));
  return {
    count: await s.crossCheck.checkCount(),
    info: info.toString(),
    subs: subs.map((x) => x.toString()),
    staked: await s.staking.totalStaked(),
  };
}

async function expectNoSlash(s: CrossSuite, checkId: bigint, tx: Promise<unknown>) {
  await expect(tx).to.not.emit(s.crossCheck, "ValidatorSlashed");
  await expect(tx).to.not.emit(s.staking, "Slashed");
  expect(await s.staking.totalStaked()).to.equal(totalStakes());
  await expectConserved(s.token, holders(s), 0n);
  await expectEscrowInvariants(s, checkId);
}

function totalStakes(): bigint {
  let sum = 0n;
  for (let i = 0; i < VALIDATORS; i++) sum += stakeOf(i);
  return sum;
}

describe("CrossCheck", () => {
  describe("deployment", () => {
    it("is wired by the module: slasher of the escrow, coordinator role, parameters", async () => {
      const s = await loadFixture(deployCrossCheck);
      const address = await s.crossCheck.getAddress();
      expect(await s.staking.hasRole(SLASHER_ROLE, address)).to.equal(true);
      expect(await s.crossCheck.hasRole(COORDINATOR_ROLE, s.coordinator.address)).to.equal(true);
      expect(await s.crossCheck.hasRole(COORDINATOR_ROLE, s.deployer.address)).to.equal(false);
      expect(await s.crossCheck.staking()).to.equal(await s.staking.getAddress());
      expect(await s.crossCheck.token()).to.equal(await s.token.getAddress());
      expect(await s.crossCheck.commitWindow()).to.equal(CROSS_PARAMS.commitWindow);
      expect(await s.crossCheck.revealWindow()).to.equal(CROSS_PARAMS.revealWindow);
      expect(await s.crossCheck.slashBps()).to.equal(CROSS_PARAMS.slashBps);
      expect(await s.crossCheck.defaultAdminDelay()).to.equal(CROSS_PARAMS.adminDelay);
      expect(await s.crossCheck.CHECKERS()).to.equal(3n);
      expect(await s.crossCheck.SEED_BLOCK_DELAY()).to.equal(1n);
    });

    it("rejects every out-of-range constructor argument with its error", async () => {
      const s = await loadFixture(deployCrossCheck);
      const factory = await ethers.getContractFactory("CrossCheck");
      const staking = await s.staking.getAddress();
      const admin = s.deployer.address;
      const ok = [staking, 3_600n, 3_600n, 1_000n, admin, 0n] as const;
      const deploy = (args: readonly unknown[]) => factory.deploy(...(args as Parameters<typeof factory.deploy>));
      const err = (name: string) => [s.crossCheck, name] as const;
      await expect(deploy([ethers.ZeroAddress, ...ok.slice(1)])).to.be.revertedWithCustomError(
        ...err("CrossCheckZeroAddress"),
      );
      await expect(deploy([...ok.slice(0, 4), ethers.ZeroAddress, 0n])).to.be.revertedWithCustomError(
        ...err("CrossCheckZeroAddress"),
      );
      for (const [i, bad] of [
        [1, 299n],
        [1, 7n * 86_400n + 1n],
        [2, 299n],
        [2, 7n * 86_400n + 1n],
      ] as const) {
        const args = [...ok] as unknown[];
        args[i] = bad;
        await expect(deploy(args))
          .to.be.revertedWithCustomError(...err("CrossCheckWindowOutOfRange"))
          .withArgs(bad, 300n, 7n * 86_400n);
      }
      for (const bad of [0n, 10_001n]) {
        await expect(deploy([...ok.slice(0, 3), bad, admin, 0n]))
          .to.be.revertedWithCustomError(...err("CrossCheckSlashBpsOutOfRange"))
          .withArgs(bad, 1n, 10_000n);
      }
      await expect(deploy([...ok.slice(0, 5), 30n * 86_400n + 1n]))
        .to.be.revertedWithCustomError(...err("CrossCheckAdminDelayOutOfRange"))
        .withArgs(30n * 86_400n + 1n, 30n * 86_400n);
      // The bounds themselves are accepted.
      await expect(deploy([staking, 300n, 7n * 86_400n, 1n, admin, 30n * 86_400n])).to.not.be.reverted;
      await expect(deploy([staking, 7n * 86_400n, 300n, 10_000n, admin, 0n])).to.not.be.reverted;
    });
  });

  describe("open", () => {
    it("records the check and the paired validator's exposure at its current stake; the seed block is the next one", async () => {
      const s = await loadFixture(deployCrossCheck);
      const paired = s.validators[0];
      const tx = await s.crossCheck.connect(s.coordinator).open(taskId(1), s.user.address, paired.address);
      const receipt = (await tx.wait())!;
      const seedBlock = BigInt(receipt.blockNumber) + 1n;
      await expect(tx)
        .to.emit(s.crossCheck, "CheckOpened")
        .withArgs(1n, taskId(1), paired.address, s.user.address, seedBlock);
      await expect(tx).to.emit(s.staking, "ExposureRecorded").withArgs(1n, paired.address, stakeOf(0));
      const info = await s.crossCheck.checkInfo(1n);
      expect(info.taskId).to.equal(taskId(1));
      expect(info.user).to.equal(s.user.address);
      expect(info.paired).to.equal(paired.address);
      expect(info.seedBlock).to.equal(seedBlock);
      expect(info.phase).to.equal(AWAITING_DRAW);
      expect(info.drawn).to.deep.equal([ZERO, ZERO, ZERO, ZERO].map(() => ethers.ZeroAddress));
      expect(await s.crossCheck.checkCount()).to.equal(1n);
      expect(await s.crossCheck.checkOfTask(taskId(1))).to.equal(1n);
      expect(await s.staking.exposure(1n, paired.address)).to.deep.equal([true, stakeOf(0)]);
      // The paired validator cannot withdraw while the check is open.
      expect((await s.staking.validatorInfo(paired.address)).openExposures).to.equal(1n);
    });

    it("rejects every bad input with its error and leaves the state unchanged", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cc = s.crossCheck.connect(s.coordinator);
      const paired = s.validators[0].address;
      await cc.open(taskId(1), s.user.address, paired);
      const before = await stateOf(s, 2n, []);

      await expect(s.crossCheck.connect(s.outsider).open(taskId(2), s.user.address, paired))
        .to.be.revertedWithCustomError(s.crossCheck, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, COORDINATOR_ROLE);
      await expect(cc.open(ZERO, s.user.address, paired)).to.be.revertedWithCustomError(
        s.crossCheck,
        "CrossCheckZeroTaskId",
      );
      await expect(cc.open(taskId(2), ethers.ZeroAddress, paired)).to.be.revertedWithCustomError(
        s.crossCheck,
        "CrossCheckZeroAddress",
      );
      await expect(cc.open(taskId(2), s.user.address, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        s.crossCheck,
        "CrossCheckZeroAddress",
      );
      await expect(cc.open(taskId(2), paired, paired))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckUserIsPaired")
        .withArgs(paired);
      await expect(cc.open(taskId(1), s.user.address, s.validators[1].address))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckTaskAlreadyChecked")
        .withArgs(taskId(1), 1n);
      // Never staked.
      await expect(cc.open(taskId(2), s.user.address, s.outsider.address))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckPairedNotActive")
        .withArgs(s.outsider.address, 0n);
      // Cooling down.
      const leaving = s.validators[7];
      await s.staking.connect(leaving).requestUnbond(stakeOf(7));
      await expect(cc.open(taskId(2), s.user.address, leaving.address))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckPairedNotActive")
        .withArgs(leaving.address, COOLING_DOWN);
      expect(await stateOf(s, 2n, [])).to.deep.equal(before); // unbonding DG stay staked
    });

    it("needs three Active validators besides the paired one and the user", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cc = s.crossCheck.connect(s.coordinator);
      // Leave 4 Active validators: v0..v3.
      for (let i = 4; i < VALIDATORS; i++) await s.staking.connect(s.validators[i]).requestUnbond(stakeOf(i));
      const [v0, v1, v2, v3] = s.validators;
      // The user is an Active validator too: only two are left to draw.
      await expect(cc.open(taskId(1), v1.address, v0.address))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotEnoughValidators")
        .withArgs(2n, 3n);
      await s.staking.connect(v3).requestUnbond(stakeOf(3));
      await expect(cc.open(taskId(1), s.user.address, v0.address))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotEnoughValidators")
        .withArgs(2n, 3n);
      expect(await s.crossCheck.checkCount()).to.equal(0n);
      // Exactly three others (v0, v1 and a newcomer besides the paired v2): accepted.
      const newcomer = s.others[0];
      await s.token.connect(newcomer).approve(await s.staking.getAddress(), SUITE_PARAMS.minStake);
      await s.staking.connect(newcomer).stake(SUITE_PARAMS.minStake);
      await expect(cc.open(taskId(1), s.user.address, v2.address)).to.emit(s.crossCheck, "CheckOpened");
    });
  });

  describe("draw", () => {
    it("the seed is not known when the check opens: the draw needs a later block and follows its hash", async () => {
      const s = await loadFixture(deployCrossCheck);
      const paired = s.validators[0];
      const receipt = (await (
        await s.crossCheck.connect(s.coordinator).open(taskId(1), s.user.address, paired.address)
      ).wait())!;
      const seedBlock = BigInt(receipt.blockNumber) + 1n;
      // When the open transaction is mined, the seed block does not exist yet.
      expect(await ethers.provider.getBlockNumber()).to.equal(receipt.blockNumber);
      expect(await ethers.provider.getBlock(seedBlock)).to.equal(null);
      // In the seed block itself its hash is still unknown to the EVM.
      await expect(s.crossCheck.draw(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckSeedNotReady")
        .withArgs(seedBlock, seedBlock);
      expect((await s.crossCheck.checkInfo(1n)).phase).to.equal(AWAITING_DRAW);

      // Once the seed block exists, the draw follows the model of its hash exactly.
      await mine(1);
      const seedHash = (await ethers.provider.getBlock(seedBlock))!.hash!;
      const pairedIndex = (await s.staking.validatorInfo(paired.address)).setIndex;
      const seed = modelSeed(
        seedHash,
        (await ethers.provider.getNetwork()).chainId,
        await s.crossCheck.getAddress(),
        1n,
        Number(AWAITING_DRAW),
      );
      const count = await s.staking.activeValidatorCount();
      const expected = modelPick(
        [0, 1, 2].map((i) => wordOf(seed, i)),
        count,
        [pairedIndex],
      );
      const expectedCheckers = await Promise.all(expected.map((i) => s.staking.activeValidatorAt(i)));

      const tx = await s.crossCheck.connect(s.outsider).draw(1n); // anyone may draw
      const block = (await ethers.provider.getBlock((await tx.wait())!.blockNumber))!;
      const commitDeadline = BigInt(block.timestamp) + CROSS_PARAMS.commitWindow;
      await expect(tx)
        .to.emit(s.crossCheck, "CheckersDrawn")
        .withArgs(1n, expectedCheckers, commitDeadline, commitDeadline + CROSS_PARAMS.revealWindow);
      for (const checker of expectedCheckers) {
        await expect(tx).to.emit(s.staking, "ExposureRecorded").withArgs(1n, checker, capOf(s, checker));
      }
      const info = await s.crossCheck.checkInfo(1n);
      expect(info.phase).to.equal(DRAWN);
      expect(info.drawn.slice(0, 3)).to.deep.equal(expectedCheckers);
      expect(info.drawn[3]).to.equal(ethers.ZeroAddress);
      expect(info.commitDeadline).to.equal(commitDeadline);
      expect(info.revealDeadline).to.equal(commitDeadline + CROSS_PARAMS.revealWindow);
    });

    it("never draws the paired validator, the user, a repeat or a non-Active validator, and follows the model", async () => {
      const s = await loadFixture(deployCrossCheck);
      const stakingAddress = await s.staking.getAddress();
      const chainId = (await ethers.provider.getNetwork()).chainId;
      const ccAddress = await s.crossCheck.getAddress();
      // Make the set uneven: two validators cool down, the user and two newcomers become Active.
      await s.staking.connect(s.validators[2]).requestUnbond(stakeOf(2));
      await s.staking.connect(s.validators[5]).requestUnbond(stakeOf(5));
      for (const account of [s.user, s.others[0], s.others[1]]) {
        if (account === s.user) await s.token.transfer(s.user.address, SUITE_PARAMS.minStake);
        await s.token.connect(account).approve(stakingAddress, SUITE_PARAMS.minStake);
        await s.staking.connect(account).stake(SUITE_PARAMS.minStake);
      }
      const active = new Set<string>();
      const count = await s.staking.activeValidatorCount();
      for (let i = 0n; i < count; i++) active.add(await s.staking.activeValidatorAt(i));
      expect(active.size).to.equal(9);
      const pairs = [...active].filter((a) => a !== s.user.address);
      const seen = new Map<string, number>();
      for (let n = 1; n <= 40; n++) {
        const paired = pairs[n % pairs.length];
        await s.crossCheck.connect(s.coordinator).open(taskId(n), s.user.address, paired);
        const checkId = BigInt(n);
        await mine(1);
        const info0 = await s.crossCheck.checkInfo(checkId);
        const seedHash = (await ethers.provider.getBlock(info0.seedBlock))!.hash!;
        const excluded = [
          (await s.staking.validatorInfo(paired)).setIndex,
          (await s.staking.validatorInfo(s.user.address)).setIndex,
        ];
        const seed = modelSeed(seedHash, chainId, ccAddress, checkId, Number(AWAITING_DRAW));
        const expected = modelPick(
          [0, 1, 2].map((i) => wordOf(seed, i)),
          count,
          excluded,
        );
        await s.crossCheck.draw(checkId);
        const checkers = (await s.crossCheck.checkInfo(checkId)).drawn.slice(0, 3);
        expect(checkers).to.deep.equal(await Promise.all(expected.map((i) => s.staking.activeValidatorAt(i))));
        expect(new Set(checkers).size, "no repeat").to.equal(3);
        for (const checker of checkers) {
          expect(checker).to.not.equal(paired);
          expect(checker).to.not.equal(s.user.address);
          expect(active.has(checker), "drawn from the Active set").to.equal(true);
          expect((await s.staking.validatorInfo(checker)).status).to.equal(ACTIVE);
          seen.set(checker, (seen.get(checker) ?? 0) + 1);
        }
      }
      // 120 draws over 8 eligible validators: every one of them was drawn at some point.
      expect([...seen.keys()].sort()).to.deep.equal(pairs.sort());
      expect(seen.has(s.validators[2].address) || seen.has(s.validators[5].address)).to.equal(false);
    });

    it("re-arms when nobody drew within 256 blocks of the seed block, then draws from the new one", async () => {
      const s = await loadFixture(deployCrossCheck);
      await s.crossCheck.connect(s.coordinator).open(taskId(1), s.user.address, s.validators[0].address);
      await mine(300);
      const tx = await s.crossCheck.draw(1n);
      const newSeedBlock = BigInt((await tx.wait())!.blockNumber) + 1n;
      await expect(tx).to.emit(s.crossCheck, "SeedRearmed").withArgs(1n, newSeedBlock);
      await expect(tx).to.not.emit(s.crossCheck, "CheckersDrawn");
      const info = await s.crossCheck.checkInfo(1n);
      expect(info.phase).to.equal(AWAITING_DRAW);
      expect(info.seedBlock).to.equal(newSeedBlock);
      await mine(1);
      await expect(s.crossCheck.draw(1n)).to.emit(s.crossCheck, "CheckersDrawn");
    });

    it("cancels the check when fewer than three validators can be drawn by then, closing the exposure", async () => {
      const s = await loadFixture(deployCrossCheck);
      await s.crossCheck.connect(s.coordinator).open(taskId(1), s.user.address, s.validators[0].address);
      for (let i = 3; i < VALIDATORS; i++) await s.staking.connect(s.validators[i]).requestUnbond(stakeOf(i));
      const tx = s.crossCheck.draw(1n);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(1n, CANCELLED, ZERO);
      await expect(tx).to.emit(s.staking, "ExposureClosed").withArgs(1n, s.validators[0].address, stakeOf(0));
      const info = await s.crossCheck.checkInfo(1n);
      expect(info.phase).to.equal(FINALIZED);
      expect(info.verdict).to.equal(CANCELLED);
      expect((await s.staking.validatorInfo(s.validators[0].address)).openExposures).to.equal(0n);
    });

    it("rejects an unknown check and a check that does not await a draw", async () => {
      const s = await loadFixture(deployCrossCheck);
      await expect(s.crossCheck.draw(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckUnknownCheck")
        .withArgs(1n);
      const { checkId } = await openAndDraw(s, s.validators[0]);
      const before = await stateOf(s, checkId, []);
      await expect(s.crossCheck.draw(checkId))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(checkId, DRAWN);
      expect(await stateOf(s, checkId, [])).to.deep.equal(before);
    });
  });

  describe("commit and reveal", () => {
    async function drawnCheck() {
      const s = await deployCrossCheck();
      const { checkId, checkers } = await openAndDraw(s, s.validators[0]);
      const checker = await ethers.getSigner(checkers[0]);
      const salt = ethers.id("salt");
      const commitment = await s.crossCheck.commitmentOf(checkId, checkers[0], A, salt);
      return { s, checkId, checkers, checker, salt, commitment };
    }

    it("commits, then reveals after the commit deadline, with events", async () => {
      const { s, checkId, checker, salt, commitment } = await loadFixture(drawnCheck);
      await expect(s.crossCheck.connect(checker).commit(checkId, commitment))
        .to.emit(s.crossCheck, "Committed")
        .withArgs(checkId, checker.address, commitment);
      expect(await s.crossCheck.submission(checkId, checker.address)).to.deep.equal([commitment, ZERO]);
      const info = await s.crossCheck.checkInfo(checkId);
      await time.increaseTo(info.commitDeadline + 1n);
      await expect(s.crossCheck.connect(checker).reveal(checkId, A, salt))
        .to.emit(s.crossCheck, "Revealed")
        .withArgs(checkId, checker.address, A);
      expect(await s.crossCheck.submission(checkId, checker.address)).to.deep.equal([commitment, A]);
    });

    it("the commitment binds chain, contract, check and party", async () => {
      const { s, checkId, checkers, salt } = await loadFixture(drawnCheck);
      const chainId = (await ethers.provider.getNetwork()).chainId;
      const expected = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["uint256", "address", "uint256", "address", "bytes32", "bytes32"],
          [chainId, await s.crossCheck.getAddress(), checkId, checkers[0], A, salt],
        ),
      );
      expect(await s.crossCheck.commitmentOf(checkId, checkers[0], A, salt)).to.equal(expected);
      expect(await s.crossCheck.commitmentOf(checkId, checkers[1], A, salt)).to.not.equal(expected);
      expect(await s.crossCheck.commitmentOf(checkId + 1n, checkers[0], A, salt)).to.not.equal(expected);
    });

    it("rejects a late commit, an early or late reveal, a mismatch, a double commit or reveal, with the state unchanged", async () => {
      const { s, checkId, checkers, checker, salt, commitment } = await loadFixture(drawnCheck);
      const cc = s.crossCheck.connect(checker);
      const info = await s.crossCheck.checkInfo(checkId);
      const parties = [s.user.address, s.validators[0].address, ...checkers];

      await cc.commit(checkId, commitment);
      let before = await stateOf(s, checkId, parties);
      await expect(cc.commit(checkId, commitment))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckAlreadyCommitted")
        .withArgs(checkId, checker.address);
      await expect(cc.reveal(checkId, A, salt)).to.be.revertedWithCustomError(s.crossCheck, "CrossCheckRevealNotOpen");
      await expect(s.crossCheck.connect(s.outsider).commit(checkId, commitment))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotAParty")
        .withArgs(checkId, s.outsider.address);
      await expect(cc.commit(checkId, ZERO)).to.be.revertedWithCustomError(s.crossCheck, "CrossCheckZeroCommitment");
      await expect(cc.commit(checkId + 1n, commitment))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckUnknownCheck")
        .withArgs(checkId + 1n);
      expect(await stateOf(s, checkId, parties)).to.deep.equal(before);

      // Commits close at the deadline (inclusive). Explicit gas limits: the transactions are mined at
      // the exact timestamps set, instead of failing in gas estimation.
      const userCommitment = await s.crossCheck.commitmentOf(checkId, s.user.address, A, salt);
      await time.setNextBlockTimestamp(info.commitDeadline);
      await s.crossCheck.connect(s.user).commit(checkId, userCommitment, GAS);
      const late = s.crossCheck.connect(await ethers.getSigner(checkers[1]));
      await time.setNextBlockTimestamp(info.commitDeadline + 1n);
      await expect(late.commit(checkId, await s.crossCheck.commitmentOf(checkId, checkers[1], A, salt), GAS))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCommitClosed")
        .withArgs(info.commitDeadline + 1n, info.commitDeadline);

      before = await stateOf(s, checkId, parties);
      await expect(cc.reveal(checkId, B, salt))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCommitmentMismatch")
        .withArgs(checkId, checker.address);
      await expect(cc.reveal(checkId, A, ethers.id("other salt"))).to.be.revertedWithCustomError(
        s.crossCheck,
        "CrossCheckCommitmentMismatch",
      );
      await expect(cc.reveal(checkId, ZERO, salt)).to.be.revertedWithCustomError(s.crossCheck, "CrossCheckZeroHash");
      await expect(late.reveal(checkId, A, salt))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotCommitted")
        .withArgs(checkId, checkers[1]);
      await expect(s.crossCheck.connect(s.outsider).reveal(checkId, A, salt)).to.be.revertedWithCustomError(
        s.crossCheck,
        "CrossCheckNotAParty",
      );
      expect(await stateOf(s, checkId, parties)).to.deep.equal(before);

      await cc.reveal(checkId, A, salt);
      await expect(cc.reveal(checkId, A, salt))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckAlreadyRevealed")
        .withArgs(checkId, checker.address);
      // Reveals close at the reveal deadline (inclusive).
      await time.setNextBlockTimestamp(info.revealDeadline + 1n);
      await expect(s.crossCheck.connect(s.user).reveal(checkId, A, salt, GAS))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckRevealClosed")
        .withArgs(info.revealDeadline + 1n, info.revealDeadline);
    });

    it("a checker cannot copy another's hash: commits close before reveals open, and a copied commitment does not reveal", async () => {
      const { s, checkId, checkers, checker, salt, commitment } = await loadFixture(drawnCheck);
      const copier = await ethers.getSigner(checkers[1]);
      await s.crossCheck.connect(checker).commit(checkId, commitment);
      // Copying the commitment itself: accepted as bytes, but it binds the other party, so it never reveals.
      await s.crossCheck.connect(copier).commit(checkId, commitment);
      const info = await s.crossCheck.checkInfo(checkId);
      await time.increaseTo(info.commitDeadline + 1n);
      await s.crossCheck.connect(checker).reveal(checkId, A, salt); // A and the salt are now public
      await expect(s.crossCheck.connect(copier).reveal(checkId, A, salt))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCommitmentMismatch")
        .withArgs(checkId, copier.address);
      // A third checker who waited for the reveal to commit its copy is too late.
      const waiter = await ethers.getSigner(checkers[2]);
      await expect(
        s.crossCheck.connect(waiter).commit(checkId, await s.crossCheck.commitmentOf(checkId, waiter.address, A, salt)),
      ).to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCommitClosed");
      expect(await s.crossCheck.submission(checkId, waiter.address)).to.deep.equal([ZERO, ZERO]);
    });

    it("before the draw nobody can commit, and after the tie only the fifth can", async () => {
      const s = await loadFixture(deployCrossCheck);
      await s.crossCheck.connect(s.coordinator).open(taskId(1), s.user.address, s.validators[0].address);
      await expect(s.crossCheck.connect(s.user).commit(1n, A))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(1n, AWAITING_DRAW);
      await mine(1);
      await s.crossCheck.draw(1n);
      const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
      await playRound(s, 1n, answers(s.user.address, s.validators[0].address, checkers, [A, A, A, B, B]));
      await s.crossCheck.finalize(1n);
      await mine(1);
      await s.crossCheck.draw(1n);
      const fifth = (await s.crossCheck.checkInfo(1n)).drawn[3];
      await expect(s.crossCheck.connect(await ethers.getSigner(checkers[0])).commit(1n, A))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotAParty")
        .withArgs(1n, checkers[0]);
      await expect(s.crossCheck.connect(await ethers.getSigner(fifth)).commit(1n, A)).to.emit(
        s.crossCheck,
        "Committed",
      );
    });
  });

  describe("verdicts", () => {
    it("v: the user's hash differs from the paired validator's → invalid, nobody slashed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId } = await checkWith(s, [B, A, A, A, A]);
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, INVALID, ZERO);
      await expectNoSlash(s, checkId, tx);
      expect((await s.crossCheck.checkInfo(checkId)).verdict).to.equal(INVALID);
    });

    it("v: the user does not reveal (or does not commit) → invalid, nobody slashed", async () => {
      for (const missing of ["silent", "absent"] as const) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId } = await checkWith(s, [missing, B, A, A, A]);
        const tx = s.crossCheck.finalize(checkId);
        await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, INVALID, ZERO);
        await expectNoSlash(s, checkId, tx);
      }
    });

    it("n1: all three checkers give H → pass, nobody slashed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId } = await checkWith(s, [A, A, A, A, A]);
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, PASS, A);
      await expectNoSlash(s, checkId, tx);
    });

    it("n3: two checkers give H → the dissenting checker is slashed; the two others share the reward", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers } = await checkWith(s, [A, A, A, B, A]);
      const cheater = checkers[1];
      const cut = slashOf(capOf(s, cheater));
      const share = cut.rewarded / 2n;
      const dust = cut.rewarded - 2n * share;
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, CHECKER_SLASHED, A);
      await expect(tx)
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(checkId, cheater, cut.slashed, cut.rewarded, cut.burned);
      await expect(tx).to.changeTokenBalances(s.token, [checkers[0], checkers[2], cheater], [share, share, 0n]);
      expect((await s.staking.validatorInfo(cheater)).active).to.equal(capOf(s, cheater) - cut.slashed);
      expect((await s.staking.validatorInfo(cheater)).faults).to.equal(1n);
      expect((await s.staking.validatorInfo(s.validators[0].address)).faults).to.equal(0n);
      expect(await s.staking.totalStaked()).to.equal(totalStakes() - cut.slashed);
      expect(2n * share + dust + cut.burned, "paid + burned == slashed").to.equal(cut.slashed);
      await expectConserved(s.token, holders(s), cut.burned + dust);
      await expectEscrowInvariants(s, checkId);
    });

    it("n3 with a silent or absent checker: not revealing counts as dissent and is slashed", async () => {
      for (const missing of ["silent", "absent"] as const) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId, checkers } = await checkWith(s, [A, A, missing, A, A]);
        const cut = slashOf(capOf(s, checkers[0]));
        const tx = s.crossCheck.finalize(checkId);
        await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, CHECKER_SLASHED, A);
        await expect(tx)
          .to.emit(s.crossCheck, "ValidatorSlashed")
          .withArgs(checkId, checkers[0], cut.slashed, cut.rewarded, cut.burned);
        await expect(tx).to.changeTokenBalances(
          s.token,
          [checkers[1], checkers[2]],
          [cut.rewarded / 2n, cut.rewarded / 2n],
        );
        await expectConserved(s.token, holders(s), cut.burned + (cut.rewarded % 2n));
        await expectEscrowInvariants(s, checkId);
      }
    });

    /** A first round tied (H from the paired validator and checker 0), the fifth drawn. */
    async function tie(s: CrossSuite, dissent: [Answer, Answer]) {
      const { checkId, checkers } = await checkWith(s, [A, A, A, ...dissent]);
      const tx = await s.crossCheck.finalize(checkId);
      const seedBlock = BigInt((await tx.wait())!.blockNumber) + 1n;
      await expect(tx).to.emit(s.crossCheck, "TieDeclared").withArgs(checkId, seedBlock);
      await expect(tx).to.not.emit(s.crossCheck, "VerdictReached");
      let info = await s.crossCheck.checkInfo(checkId);
      expect(info.phase).to.equal(AWAITING_FIFTH);
      expect(info.seedBlock).to.equal(seedBlock);
      // Every exposure stays open for the second round.
      for (const party of [s.validators[0].address, ...checkers]) {
        expect((await s.staking.exposure(checkId, party))[0]).to.equal(true);
      }
      await mine(1);
      const drawTx = await s.crossCheck.draw(checkId);
      info = await s.crossCheck.checkInfo(checkId);
      const fifth = info.drawn[3];
      await expect(drawTx)
        .to.emit(s.crossCheck, "FifthDrawn")
        .withArgs(checkId, fifth, info.commitDeadline, info.revealDeadline);
      await expect(drawTx).to.emit(s.staking, "ExposureRecorded").withArgs(checkId, fifth, capOf(s, fifth));
      expect(info.phase).to.equal(FIFTH_DRAWN);
      expect([s.validators[0].address, s.user.address, ...checkers]).to.not.include(fifth);
      return { checkId, checkers, fifth };
    }

    it("n3': one checker gives H, the fifth gives H → the two dissenting checkers are slashed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers, fifth } = await tie(s, [B, B]);
      await playRound(s, checkId, new Map([[fifth, A]]));
      const cuts = [slashOf(capOf(s, checkers[1])), slashOf(capOf(s, checkers[2]))];
      const rewards = cuts[0].rewarded + cuts[1].rewarded;
      const share = rewards / 2n;
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, TIE_DECIDED, A);
      for (const [i, cut] of cuts.entries()) {
        await expect(tx)
          .to.emit(s.crossCheck, "ValidatorSlashed")
          .withArgs(checkId, checkers[i + 1], cut.slashed, cut.rewarded, cut.burned);
      }
      await expect(tx).to.changeTokenBalances(s.token, [checkers[0], fifth], [share, share]);
      const burned = cuts[0].burned + cuts[1].burned + (rewards - 2n * share);
      expect(await s.staking.totalStaked()).to.equal(totalStakes() - cuts[0].slashed - cuts[1].slashed);
      await expectConserved(s.token, holders(s), burned);
      await expectEscrowInvariants(s, checkId);
    });

    it("n3': the fifth sides with the two dissenters → the paired validator and the H checker are slashed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers, fifth } = await tie(s, [B, B]);
      await playRound(s, checkId, new Map([[fifth, B]]));
      const paired = s.validators[0].address;
      const cuts = [slashOf(stakeOf(0)), slashOf(capOf(s, checkers[0]))];
      // The paired validator staked 20,000 DG: 10% slashed, half of it rewarded, half burned.
      expect(cuts[0]).to.deep.equal({ slashed: 2_000n * DG, rewarded: 1_000n * DG, burned: 1_000n * DG });
      const rewards = cuts[0].rewarded + cuts[1].rewarded;
      const share = rewards / 3n;
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, TIE_DECIDED, B);
      await expect(tx)
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(checkId, paired, cuts[0].slashed, cuts[0].rewarded, cuts[0].burned);
      await expect(tx)
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(checkId, checkers[0], cuts[1].slashed, cuts[1].rewarded, cuts[1].burned);
      await expect(tx).to.changeTokenBalances(s.token, [checkers[1], checkers[2], fifth], [share, share, share]);
      const dust = rewards - 3n * share;
      await expectConserved(s.token, holders(s), cuts[0].burned + cuts[1].burned + dust);
      await expectEscrowInvariants(s, checkId);
    });

    it("n3': no 3-of-5 majority (the fifth silent, or matching one of two split dissenters) → inconclusive", async () => {
      const cases: { dissent: [Answer, Answer]; fifth: Answer }[] = [
        { dissent: [B, B], fifth: "silent" },
        { dissent: [B, B], fifth: "absent" },
        { dissent: [B, C], fifth: B },
        { dissent: [B, C], fifth: D },
      ];
      for (const c of cases) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId, fifth } = await tie(s, c.dissent);
        await playRound(s, checkId, new Map([[fifth, c.fifth]]));
        const tx = s.crossCheck.finalize(checkId);
        await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, INCONCLUSIVE, ZERO);
        await expectNoSlash(s, checkId, tx);
      }
    });

    it("n3': with nobody left to draw as the fifth → inconclusive, every exposure closed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers } = await checkWith(s, [A, A, A, B, B]);
      await s.crossCheck.finalize(checkId);
      const involved = new Set([s.validators[0].address, ...checkers]);
      for (const [i, v] of s.validators.entries()) {
        if (!involved.has(v.address)) await s.staking.connect(v).requestUnbond(stakeOf(i));
      }
      const tx = s.crossCheck.draw(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, INCONCLUSIVE, ZERO);
      await expect(tx).to.not.emit(s.crossCheck, "FifthDrawn");
      await expectEscrowInvariants(s, checkId);
    });

    it("n2: no checker gives H and all three agree on another hash → the paired validator is slashed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers } = await checkWith(s, [A, A, B, B, B]);
      const paired = s.validators[0].address;
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, PAIRED_SLASHED, B);
      await expect(tx)
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(checkId, paired, 2_000n * DG, 1_000n * DG, 1_000n * DG);
      // 1,000 DG over three honest checkers: 333.333... DG each, 1 wei burned.
      const share = 333_333_333_333_333_333_333n;
      await expect(tx).to.changeTokenBalances(s.token, checkers, [share, share, share]);
      await expect(tx).to.emit(s.crossCheck, "RewardDustBurned").withArgs(checkId, 1n);
      for (const checker of checkers) {
        await expect(tx).to.emit(s.crossCheck, "CheckerRewarded").withArgs(checkId, checker, share);
      }
      expect((await s.staking.validatorInfo(paired)).active).to.equal(18_000n * DG);
      await expectConserved(s.token, holders(s), 1_000n * DG + 1n);
      await expectEscrowInvariants(s, checkId);
    });

    it("n2: two checkers agree on another hash → only the paired validator is slashed; the pair shares the reward", async () => {
      for (const odd of [0, 1, 2]) {
        const s = await loadFixture(deployCrossCheck);
        const said: Answer[] = [B, B, B];
        said[odd] = C;
        const { checkId, checkers } = await checkWith(s, [A, A, ...said]);
        const tx = s.crossCheck.finalize(checkId);
        await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, PAIRED_SLASHED, B);
        await expect(tx)
          .to.emit(s.crossCheck, "ValidatorSlashed")
          .withArgs(checkId, s.validators[0].address, 2_000n * DG, 1_000n * DG, 1_000n * DG);
        const shares = said.map((x) => (x === B ? 500n * DG : 0n));
        await expect(tx).to.changeTokenBalances(s.token, checkers, shares);
        await expect(tx).to.not.emit(s.crossCheck, "RewardDustBurned");
        expect((await s.staking.validatorInfo(checkers[odd])).faults).to.equal(0n);
        await expectConserved(s.token, holders(s), 1_000n * DG);
        await expectEscrowInvariants(s, checkId);
      }
    });

    it("the paired validator does not reveal → it is slashed; checkers with the user's hash share the reward", async () => {
      for (const missing of ["silent", "absent"] as const) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId, checkers } = await checkWith(s, [A, missing, A, A, B]);
        const tx = s.crossCheck.finalize(checkId);
        await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, PAIRED_SLASHED, A);
        await expect(tx)
          .to.emit(s.crossCheck, "ValidatorSlashed")
          .withArgs(checkId, s.validators[0].address, 2_000n * DG, 1_000n * DG, 1_000n * DG);
        await expect(tx).to.changeTokenBalances(s.token, checkers, [500n * DG, 500n * DG, 0n]);
        await expectConserved(s.token, holders(s), 1_000n * DG);
        await expectEscrowInvariants(s, checkId);
      }
    });

    it("the paired validator does not reveal and no checker gives the user's hash → the whole reward is burned", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers } = await checkWith(s, [A, "silent", B, B, "absent"]);
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, PAIRED_SLASHED, A);
      await expect(tx)
        .to.emit(s.crossCheck, "RewardDustBurned")
        .withArgs(checkId, 1_000n * DG);
      await expect(tx).to.not.emit(s.crossCheck, "CheckerRewarded");
      await expect(tx).to.changeTokenBalances(s.token, checkers, [0n, 0n, 0n]);
      await expectConserved(s.token, holders(s), 2_000n * DG);
      await expectEscrowInvariants(s, checkId);
    });

    it("inconclusive: no checker gives H and no two agree (or nobody reveals) → nobody slashed", async () => {
      for (const said of [
        [A, A, B, C, D],
        [A, A, "silent", "absent", B],
        [A, A, "silent", "silent", "silent"],
      ] as Answer[][]) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId } = await checkWith(s, said);
        const tx = s.crossCheck.finalize(checkId);
        await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, INCONCLUSIVE, ZERO);
        await expectNoSlash(s, checkId, tx);
      }
    });

    it("finalize: rejects an unknown check, a check still in its reveal window, and a finalized one", async () => {
      const s = await loadFixture(deployCrossCheck);
      await expect(s.crossCheck.finalize(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckUnknownCheck")
        .withArgs(1n);
      await s.crossCheck.connect(s.coordinator).open(taskId(1), s.user.address, s.validators[0].address);
      await expect(s.crossCheck.finalize(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(1n, AWAITING_DRAW);
      await mine(1);
      await s.crossCheck.draw(1n);
      const info = await s.crossCheck.checkInfo(1n);
      await time.setNextBlockTimestamp(info.revealDeadline);
      await expect(s.crossCheck.finalize(1n, GAS))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckRevealNotOver")
        .withArgs(info.revealDeadline, info.revealDeadline);
      expect((await s.crossCheck.checkInfo(1n)).phase).to.equal(DRAWN);
      await s.crossCheck.finalize(1n); // anyone, once the deadline has passed
      await expect(s.crossCheck.finalize(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(1n, FINALIZED);
    });
  });

  describe("expulsion through the escrow's rules", () => {
    it("a paired validator at the minimum stake is expelled by its first proven fault", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cheater = s.others[0];
      await s.token.connect(cheater).approve(await s.staking.getAddress(), SUITE_PARAMS.minStake);
      await s.staking.connect(cheater).stake(SUITE_PARAMS.minStake);
      const { checkId } = await checkWith(s, [A, A, B, B, B], cheater);
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.staking, "Expelled");
      const info = await s.staking.validatorInfo(cheater.address);
      expect(info.status).to.equal(EXPELLED);
      expect(info.unbonding).to.equal(9_000n * DG);
      expect(await s.staking.activeValidatorCount()).to.equal(BigInt(VALIDATORS));
      await expectEscrowInvariants(s, checkId);
    });

    it("repeated proven faults reach the fault limit and expel", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cheater = s.validators[0];
      let stake = stakeOf(0);
      for (let n = 1n; n <= SUITE_PARAMS.faultLimit; n++) {
        const { checkId } = await checkWith(s, [A, A, B, B, B], cheater, taskId(Number(n)));
        await s.crossCheck.finalize(checkId);
        stake -= slashOf(stake).slashed; // 10% of the stake at entry
        const info = await s.staking.validatorInfo(cheater.address);
        expect(info.faults).to.equal(n);
        expect(info.status).to.equal(n < SUITE_PARAMS.faultLimit ? ACTIVE : EXPELLED);
        expect(info.active + info.unbonding).to.equal(stake);
      }
      // 20,000 → 18,000 → 16,200 → 14,580 DG.
      expect(stake).to.equal(14_580n * DG);
      await expect(s.crossCheck.connect(s.coordinator).open(taskId(99), s.user.address, cheater.address))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckPairedNotActive")
        .withArgs(cheater.address, EXPELLED);
    });
  });

  describe(`gas ${REAL_BUILD}`, () => {
    /** The fixture with exactly 10 Active validators. */
    async function tenValidators() {
      const s = await deployCrossCheck();
      for (const o of s.others.slice(0, 2)) {
        await s.token.connect(o).approve(await s.staking.getAddress(), SUITE_PARAMS.minStake);
        await s.staking.connect(o).stake(SUITE_PARAMS.minStake);
      }
      expect(await s.staking.activeValidatorCount()).to.equal(10n);
      return s;
    }

    async function drawGas(s: CrossSuite, task: string): Promise<bigint> {
      await s.crossCheck.connect(s.coordinator).open(task, s.user.address, s.validators[0].address);
      await mine(1);
      const receipt = (await (await s.crossCheck.draw(await s.crossCheck.checkCount())).wait())!;
      return receipt.gasUsed;
    }

    it("the draw costs the same with 10 and with 1,000 Active validators", async function () {
      this.timeout(300_000);
      const s = await loadFixture(tenValidators);
      const small = await drawGas(s, taskId("small"));
      const swarm = await (await ethers.getContractFactory("StakerSwarm")).deploy();
      await s.token.transfer(await swarm.getAddress(), 990n * SUITE_PARAMS.minStake);
      for (let made = 0; made < 990; made += 45) {
        await swarm.spawn(await s.staking.getAddress(), await s.token.getAddress(), 45, SUITE_PARAMS.minStake);
      }
      expect(await s.staking.activeValidatorCount()).to.equal(1_000n);
      const large = await drawGas(s, taskId("large"));
      const diff = large > small ? large - small : small - large;
      // The draws differ only in which indices they skip (a few hundred gas), never in the set's size.
      expect(diff, `draw gas ${small} (10) vs ${large} (1,000)`).to.be.lessThanOrEqual(small / 100n);
      expect(small).to.be.lessThan(260_000n);
      expect(large).to.be.lessThan(260_000n);
    });

    it("open, commit, reveal and finalize stay within their ceilings", async () => {
      const s = await loadFixture(deployCrossCheck);
      const paired = s.validators[0];
      const openReceipt = (await (
        await s.crossCheck.connect(s.coordinator).open(taskId(1), s.user.address, paired.address)
      ).wait())!;
      expect(openReceipt.gasUsed).to.be.lessThan(200_000n);
      await mine(1);
      await s.crossCheck.draw(1n);
      const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
      const salt = ethers.id("salt");
      const commitReceipt = (await (
        await s.crossCheck
          .connect(await ethers.getSigner(checkers[0]))
          .commit(1n, await s.crossCheck.commitmentOf(1n, checkers[0], A, salt))
      ).wait())!;
      expect(commitReceipt.gasUsed).to.be.lessThan(60_000n);
      await time.increaseTo((await s.crossCheck.checkInfo(1n)).commitDeadline + 1n);
      const revealReceipt = (await (
        await s.crossCheck.connect(await ethers.getSigner(checkers[0])).reveal(1n, A, salt)
      ).wait())!;
      expect(revealReceipt.gasUsed).to.be.lessThan(60_000n);
    });

    it("finalize: pass and slash cases within their ceilings", async () => {
      const s = await loadFixture(deployCrossCheck);
      const pass = await checkWith(s, [A, A, A, A, A], s.validators[0], taskId(1));
      const passGas = (await (await s.crossCheck.finalize(pass.checkId)).wait())!.gasUsed;
      const slash = await checkWith(s, [A, A, B, B, B], s.validators[1], taskId(2));
      const slashGas = (await (await s.crossCheck.finalize(slash.checkId)).wait())!.gasUsed;
      expect((await s.crossCheck.checkInfo(slash.checkId)).verdict).to.equal(PAIRED_SLASHED);
      expect(passGas).to.be.lessThan(125_000n);
      expect(slashGas).to.be.lessThan(260_000n);
    });
  });
});
