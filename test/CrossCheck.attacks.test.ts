import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, HDNodeWallet, Signer } from "ethers";
import { DG } from "./helpers/fixtures";
import { SUITE_PARAMS } from "./helpers/suite";
import {
  CROSS_PARAMS,
  PHASE,
  deployCrossCheck,
  expectEscrowInvariants,
  liveSet,
  modelDraw,
  openAndDraw,
  openWith,
  pickFrom,
  playRound,
  result,
  seedOf,
  setAt,
  signReceipt,
  receiptFor,
  slashOf,
  stakeOf,
  taskId,
  type CrossSuite,
} from "./helpers/crosscheck";

// ICrossCheck.Verdict
const PAIRED_SLASHED = 5n;
const INCONCLUSIVE = 6n;
const TIE_DECIDED = 4n;
const CHECKER_SLASHED = 3n;
// IValidatorStaking.Status
const COOLING_DOWN = 2n;
const EXPELLED = 3n;

const TRUE = result("A"); // the true result of the task
const WRONG = result("B"); // what a cheating paired validator delivered
const FEES = { maxFeePerGas: 100_000_000_000n, gasLimit: 2_000_000n };
/** Mempool order in a manual block: a higher tip is mined first. */
const FIRST = { ...FEES, maxPriorityFeePerGas: 3_000_000_000n };
const SECOND = { ...FEES, maxPriorityFeePerGas: 2_000_000_000n };
const LAST = { ...FEES, maxPriorityFeePerGas: 1_000_000_000n };

/** Runs `send` with automine off, mines everything it queued in one block, and returns the mined receipts. */
async function inOneBlock(send: () => Promise<ContractTransactionResponse[]>) {
  await network.provider.send("evm_setAutomine", [false]);
  let txs: ContractTransactionResponse[];
  try {
    txs = await send();
    await network.provider.send("evm_mine", []);
  } finally {
    await network.provider.send("evm_setAutomine", [true]);
  }
  const receipts = await Promise.all(txs.map(async (t) => (await t.wait())!));
  const block = receipts[0].blockNumber;
  for (const r of receipts) expect(r.blockNumber, "all in one block").to.equal(block);
  return receipts;
}

/** Plays the checkers' round with `said` in draw order. */
async function round(s: CrossSuite, checkId: bigint, checkers: string[], said: string[]) {
  await playRound(s, checkId, new Map(checkers.map((c, i) => [c, said[i]])));
}

/** Stakes `amount` from `who` (funded first by the deployer). */
async function stakeAs(s: CrossSuite, who: Signer, amount = SUITE_PARAMS.minStake) {
  await s.token.transfer(await who.getAddress(), amount);
  await s.token.connect(who).approve(await s.staking.getAddress(), amount);
  await s.staking.connect(who).stake(amount);
}

describe("CrossCheck attacks", () => {
  describe("attack: the paired validator delivered a wrong result and tries to escape its check", () => {
    it("its receipt is its answer: it cannot commit or reveal, cannot replace the receipt, and two honest checkers slash it (n2)", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cheater = s.validators[0];
      // 1. The cheater delivers WRONG and signs the receipt the user keeps.
      // 2. The coordinator opens the check with that receipt; the checkers are drawn.
      const { checkId, checkers } = await openAndDraw(s, cheater, taskId(1), s.user, WRONG);
      expect((await s.crossCheck.checkInfo(checkId)).resultHash).to.equal(WRONG);
      // 3. The cheater tries to change its answer: it is not a party of the round.
      const salt = ethers.id("cheater salt");
      const commitment = await s.crossCheck.commitmentOf(checkId, cheater.address, TRUE, salt);
      await expect(s.crossCheck.connect(cheater).commit(checkId, commitment))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotAParty")
        .withArgs(checkId, cheater.address);
      // ... nor can a second, "corrected" receipt for the same task be opened.
      const corrected = await receiptFor(s, { resultHash: TRUE });
      await expect(
        s.crossCheck
          .connect(s.coordinator)
          .open(corrected, cheater.address, await signReceipt(cheater, s.crossCheck, corrected)),
      )
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckTaskAlreadyChecked")
        .withArgs(taskId(1), checkId);
      // 4. Two honest checkers recompute TRUE; the third does not even show up.
      await playRound(
        s,
        checkId,
        new Map([
          [checkers[0], TRUE],
          [checkers[1], TRUE],
        ]),
      );
      await expect(s.crossCheck.connect(cheater).reveal(checkId, TRUE, salt))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotAParty")
        .withArgs(checkId, cheater.address);
      const cut = slashOf(stakeOf(0));
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, PAIRED_SLASHED, TRUE);
      await expect(tx)
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(checkId, cheater.address, cut.slashed, cut.rewarded, cut.burned);
      await expect(tx).to.changeTokenBalances(
        s.token,
        [checkers[0], checkers[1], checkers[2], cheater],
        [cut.rewarded / 2n, cut.rewarded / 2n, 0n, 0n],
      );
      expect((await s.staking.validatorInfo(cheater.address)).active).to.equal(stakeOf(0) - cut.slashed);
      await expectEscrowInvariants(s, checkId);
    });
  });

  describe("attack: the paired validator unbonds everything to escape", () => {
    /** The cheater's full stake is unbonded (it is CoolingDown) before or as the check opens; it is still slashed. */
    async function expectCaughtAndStuck(s: CrossSuite, checkId: bigint, cheater: Signer, cap: bigint) {
      const address = await cheater.getAddress();
      expect(await s.staking.exposure(checkId, address)).to.deep.equal([true, cap]);
      // It cannot take its DG out while the check is open, even after its cooldown.
      await time.increase(SUITE_PARAMS.cooldown);
      await expect(s.staking.connect(cheater).withdraw())
        .to.be.revertedWithCustomError(s.staking, "ValidatorStakingOpenExposures")
        .withArgs(address, 1n);
      await mine(1);
      const expected = await modelDraw(s, checkId);
      await s.crossCheck.draw(checkId);
      const checkers = (await s.crossCheck.checkInfo(checkId)).drawn.slice(0, 3);
      expect(checkers).to.deep.equal(expected);
      await round(s, checkId, checkers, [TRUE, TRUE, TRUE]);
      const cut = slashOf(cap);
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, PAIRED_SLASHED, TRUE);
      await expect(tx)
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(checkId, address, cut.slashed, cut.rewarded, cut.burned);
      await expectEscrowInvariants(s, checkId);
      // Only what is left after the slash comes out.
      await expect(s.staking.connect(cheater).withdraw())
        .to.emit(s.staking, "Withdrawn")
        .withArgs(address, cap - cut.slashed);
    }

    it("unbonding in the block before the open: still checked at its full stake, slashed, stuck until the end", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cheater = s.validators[0];
      const receipt = await receiptFor(s, { resultHash: WRONG });
      const signature = await signReceipt(cheater, s.crossCheck, receipt);
      await s.staking.connect(cheater).requestUnbond(stakeOf(0));
      expect((await s.staking.validatorInfo(cheater.address)).status).to.equal(COOLING_DOWN);
      await s.crossCheck.connect(s.coordinator).open(receipt, cheater.address, signature);
      await expectCaughtAndStuck(s, 1n, cheater, stakeOf(0));
    });

    for (const order of ["unbond, then open", "open, then unbond"] as const) {
      it(`seeing the open in the mempool, unbonding in the same block (${order}): still checked and slashed`, async () => {
        const s = await loadFixture(deployCrossCheck);
        const cheater = s.validators[0];
        const receipt = await receiptFor(s, { resultHash: WRONG });
        const signature = await signReceipt(cheater, s.crossCheck, receipt);
        const [unbond, open] = await inOneBlock(async () => {
          const u = await s.staking
            .connect(cheater)
            .requestUnbond(stakeOf(0), order === "unbond, then open" ? FIRST : LAST);
          const o = await s.crossCheck
            .connect(s.coordinator)
            .open(receipt, cheater.address, signature, order === "unbond, then open" ? LAST : FIRST);
          return [u, o];
        });
        expect(unbond.status).to.equal(1);
        expect(open.status).to.equal(1);
        expect(unbond.index < open.index).to.equal(order === "unbond, then open");
        expect((await s.staking.validatorInfo(cheater.address)).status).to.equal(COOLING_DOWN);
        // The snapshot is the block before: the cheater was Active there, so it is excluded from the draw.
        const info = await s.crossCheck.checkInfo(1n);
        expect(info.snapshotBlock).to.equal(BigInt(open.blockNumber) - 1n);
        expect((await s.staking.activeIndexAt(cheater.address, info.snapshotBlock))[0]).to.equal(true);
        await expectCaughtAndStuck(s, 1n, cheater, stakeOf(0));
      });
    }

    it("the cooldown outlasts the oldest receipt plus two rounds: a receipt at the last second is still opened before it could withdraw", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cheater = s.validators[0];
      const receipt = await receiptFor(s, { resultHash: WRONG });
      const signature = await signReceipt(cheater, s.crossCheck, receipt);
      await s.staking.connect(cheater).requestUnbond(stakeOf(0)); // right after delivering
      const end = (await s.staking.validatorInfo(cheater.address)).unbondingEnd;
      await time.setNextBlockTimestamp(receipt.deliveredAt + CROSS_PARAMS.maxReceiptAge);
      await s.crossCheck.connect(s.coordinator).open(receipt, cheater.address, signature);
      // The longest check: two full rounds; still inside the cooldown when it ends.
      expect(
        receipt.deliveredAt + CROSS_PARAMS.maxReceiptAge + 2n * (CROSS_PARAMS.commitWindow + CROSS_PARAMS.revealWindow),
      ).to.be.lessThan(end);
      await mine(1);
      await s.crossCheck.draw(1n);
      const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
      // One checker colludes (gives H = WRONG), two give TRUE: a tie, a second round.
      await round(s, 1n, checkers, [WRONG, TRUE, TRUE]);
      await s.crossCheck.finalize(1n);
      await mine(1);
      await s.crossCheck.draw(1n);
      const fifth = (await s.crossCheck.checkInfo(1n)).drawn[3];
      await playRound(s, 1n, new Map([[fifth, TRUE]]));
      await expect(s.staking.connect(cheater).withdraw()).to.be.revertedWithCustomError(
        s.staking,
        "ValidatorStakingOpenExposures",
      );
      const cut = slashOf(stakeOf(0));
      const tx = s.crossCheck.finalize(1n);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(1n, TIE_DECIDED, TRUE);
      await expect(tx)
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(1n, cheater.address, cut.slashed, cut.rewarded, cut.burned);
      // The longest check is over before the cooldown it started at delivery.
      expect(BigInt(await time.latest())).to.be.lessThan(end);
      await expectEscrowInvariants(s, 1n);
    });

    it("Expelled with stake left can be opened and slashed; with no stake at all it is refused", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cheater = s.others[0];
      await s.token.connect(cheater).approve(await s.staking.getAddress(), SUITE_PARAMS.minStake);
      await s.staking.connect(cheater).stake(SUITE_PARAMS.minStake);
      // Two tasks delivered wrong; the first check expels it.
      const second = await receiptFor(s, { task: taskId(2), resultHash: WRONG });
      const secondSig = await signReceipt(cheater, s.crossCheck, second);
      const first = await openAndDraw(s, cheater, taskId(1), s.user, WRONG);
      await round(s, first.checkId, first.checkers, [TRUE, TRUE, TRUE]);
      await s.crossCheck.finalize(first.checkId);
      const after = await s.staking.validatorInfo(cheater.address);
      expect(after.status).to.equal(EXPELLED);
      expect(after.unbonding).to.equal(9_000n * DG);
      // The second receipt, at the last second of its age (the first check took 36 h).
      await time.setNextBlockTimestamp(second.deliveredAt + CROSS_PARAMS.maxReceiptAge);
      await s.crossCheck.connect(s.coordinator).open(second, cheater.address, secondSig);
      await mine(1);
      await s.crossCheck.draw(2n);
      const checkers = (await s.crossCheck.checkInfo(2n)).drawn.slice(0, 3);
      await round(s, 2n, checkers, [TRUE, TRUE, TRUE]);
      const cut = slashOf(9_000n * DG);
      await expect(s.crossCheck.finalize(2n))
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(2n, cheater.address, cut.slashed, cut.rewarded, cut.burned);
      // It withdraws the rest; a third receipt finds nothing at stake.
      await time.increase(SUITE_PARAMS.cooldown);
      await s.staking.connect(cheater).withdraw();
      const third = await receiptFor(s, { task: taskId(3), resultHash: WRONG });
      await expect(
        s.crossCheck
          .connect(s.coordinator)
          .open(third, cheater.address, await signReceipt(cheater, s.crossCheck, third)),
      )
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckPairedNoStake")
        .withArgs(cheater.address);
    });
  });

  describe("attack: Sybils staked and validators unbonded around the draw choose the checkers", () => {
    /** `k` fresh accounts of the attacker, each with gas, the minimum stake in DG, approved (earlier blocks). */
    async function sybils(s: CrossSuite, k: number): Promise<HDNodeWallet[]> {
      const list: HDNodeWallet[] = [];
      for (let i = 0; i < k; i++) {
        const w = ethers.Wallet.createRandom().connect(ethers.provider);
        await setBalance(w.address, 10n ** 20n);
        await s.token.transfer(w.address, SUITE_PARAMS.minStake);
        await s.token.connect(w).approve(await s.staking.getAddress(), SUITE_PARAMS.minStake);
        list.push(w);
      }
      return list;
    }

    /** The live set after the attacker's block: `unbond` leaves first (swap-and-pop), then `k` newcomers join. */
    function simulate(set: string[], unbond: string | undefined, newcomers: string[]): string[] {
      const next = [...set];
      if (unbond !== undefined) {
        const i = next.indexOf(unbond);
        next[i] = next[next.length - 1];
        next.pop();
      }
      return [...next, ...newcomers];
    }

    it("the attacker searches k Sybils and an unbond for the old rule, plays the best in the draw's block and draws itself: ignored", async () => {
      const s = await loadFixture(deployCrossCheck);
      const K = 40;
      const army = await sybils(s, K);
      const insider = s.validators[7]; // a validator the attacker also controls
      const controlled = new Set([insider.address, ...army.map((w) => w.address)]);
      const paired = s.validators[0];
      // The set as it stands before the open (read live: the snapshot must equal it).
      const before = await liveSet(s);
      const { tx } = await openWith(s, paired);
      const openBlock = BigInt((await tx.wait())!.blockNumber);
      expect(await setAt(s, openBlock - 1n)).to.deep.equal(before);
      await mine(1); // the seed block: the seed is now public
      const seed = await seedOf(s, 1n);
      const excluded = [paired.address, s.user.address];

      // Off-chain: the best the attacker gets under the old rule (the live set at the draw).
      let best = { score: -1, k: 0, unbond: false };
      for (const unbond of [false, true]) {
        for (let k = 0; k <= K; k++) {
          const set = simulate(
            before,
            unbond ? insider.address : undefined,
            army.slice(0, k).map((w) => w.address),
          );
          const picks = pickFrom(set, seed, PHASE.AwaitingDraw, excluded);
          const score = picks.filter((p) => controlled.has(p)).length;
          if (score > best.score) best = { score, k, unbond };
        }
      }
      expect(best.score, "the old rule hands the attacker a majority of the checkers").to.be.greaterThanOrEqual(2);

      // On-chain: unbond, k Sybils, then the attacker's own draw, all in one block.
      const used = army.slice(0, best.k);
      const receipts = await inOneBlock(async () => {
        const txs: ContractTransactionResponse[] = [];
        if (best.unbond) txs.push(await s.staking.connect(insider).requestUnbond(stakeOf(7), FIRST));
        for (const w of used) txs.push(await s.staking.connect(w).stake(SUITE_PARAMS.minStake, SECOND));
        txs.push(await s.crossCheck.connect(army[K - 1]).draw(1n, LAST));
        return txs;
      });
      for (const r of receipts) expect(r.status).to.equal(1);
      expect(receipts[receipts.length - 1].index, "the draw is last in its block").to.equal(receipts.length - 1);
      const atDraw = await liveSet(s); // nothing after the draw in that block
      const oldPicks = pickFrom(atDraw, seed, PHASE.AwaitingDraw, excluded);
      expect(oldPicks.filter((p) => controlled.has(p)).length, "what the old rule would have drawn").to.equal(
        best.score,
      );

      const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
      expect(checkers, "the new draw: the model over the snapshot").to.deep.equal(
        pickFrom(before, seed, PHASE.AwaitingDraw, excluded),
      );
      for (const c of checkers) expect(army.map((w) => w.address)).to.not.include(c);
    });

    for (const k of [0, 1, 2, 5]) {
      it(`${k} Sybils staked in the open's block after the open, more later, a reorder, a late draw by anyone: never drawn`, async () => {
        const s = await loadFixture(deployCrossCheck);
        const army = await sybils(s, k + 3);
        const paired = s.validators[0];
        const before = await liveSet(s);
        const receipt = await receiptFor(s);
        const signature = await signReceipt(paired, s.crossCheck, receipt);
        const [open] = await inOneBlock(async () => {
          const txs = [await s.crossCheck.connect(s.coordinator).open(receipt, paired.address, signature, FIRST)];
          for (const w of army.slice(0, k)) txs.push(await s.staking.connect(w).stake(SUITE_PARAMS.minStake, LAST));
          return txs;
        });
        expect(open.index).to.equal(0);
        const info = await s.crossCheck.checkInfo(1n);
        expect(info.snapshotBlock).to.equal(BigInt(open.blockNumber) - 1n);
        expect(await setAt(s, info.snapshotBlock)).to.deep.equal(before);
        // Later blocks: three more Sybils, and two validators leave (reordering the live set).
        for (const w of army.slice(k)) await s.staking.connect(w).stake(SUITE_PARAMS.minStake);
        await s.staking.connect(s.validators[1]).requestUnbond(stakeOf(1));
        await s.staking.connect(s.validators[2]).requestUnbond(stakeOf(2));
        // Nobody draws for 300 blocks (the seed re-arms), then an outsider draws.
        await mine(300);
        await s.crossCheck.draw(1n);
        await mine(1);
        const expected = pickFrom(before, await seedOf(s, 1n), PHASE.AwaitingDraw, [paired.address, s.user.address]);
        expect(await modelDraw(s, 1n)).to.deep.equal(expected);
        await s.crossCheck.connect(s.outsider).draw(1n);
        const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
        expect(checkers).to.deep.equal(expected);
        for (const c of checkers) expect(army.map((w) => w.address)).to.not.include(c);
      });
    }
  });

  describe("attack: the fifth draw of a tie when the user is (or becomes) an Active validator", () => {
    /** A tie: one checker gives H, two give another hash; returns the check once the tie is declared. */
    async function tieWith(s: CrossSuite, user: Signer) {
      const { checkId, checkers } = await openAndDraw(s, s.validators[0], taskId(1), user);
      await round(s, checkId, checkers, [TRUE, WRONG, WRONG]);
      await expect(s.crossCheck.finalize(checkId)).to.emit(s.crossCheck, "TieDeclared");
      return { checkId, checkers };
    }

    /** Draws the fifth (checked against the model), decides the tie for H, and lets every party withdraw. */
    async function fifthDecidesAndAllLeave(s: CrossSuite, checkId: bigint, checkers: string[], user: Signer) {
      await mine(1);
      const [expected] = await modelDraw(s, checkId);
      await s.crossCheck.draw(checkId);
      const fifth = (await s.crossCheck.checkInfo(checkId)).drawn[3];
      expect(fifth).to.equal(expected);
      const parties = [s.validators[0].address, await user.getAddress(), ...checkers];
      expect(parties).to.not.include(fifth);
      await playRound(s, checkId, new Map([[fifth, TRUE]]));
      await expect(s.crossCheck.finalize(checkId))
        .to.emit(s.crossCheck, "VerdictReached")
        .withArgs(checkId, TIE_DECIDED, TRUE);
      await expectEscrowInvariants(s, checkId);
      for (const p of [...parties, fifth]) {
        const signer = await ethers.getSigner(p);
        const info = await s.staking.validatorInfo(p);
        if (info.active !== 0n) await s.staking.connect(signer).requestUnbond(info.active);
      }
      await time.increase(SUITE_PARAMS.cooldown);
      for (const p of [...parties, fifth]) {
        await expect(s.staking.connect(await ethers.getSigner(p)).withdraw()).to.emit(s.staking, "Withdrawn");
      }
    }

    it("the user is an Active validator from the start: the fifth is drawn among the others", async () => {
      const s = await loadFixture(deployCrossCheck);
      const user = s.others[0];
      await stakeAs(s, user);
      const { checkId, checkers } = await tieWith(s, user);
      await fifthDecidesAndAllLeave(s, checkId, checkers, user);
    });

    it("the user stakes right after the tie (in the next block): the fifth is drawn among the others", async () => {
      const s = await loadFixture(deployCrossCheck);
      const user = s.others[0];
      const { checkId, checkers } = await tieWith(s, user);
      await stakeAs(s, user);
      await fifthDecidesAndAllLeave(s, checkId, checkers, user);
    });

    it("every party (paired, user, three checkers) is Active: the fifth is drawn among the others", async () => {
      const s = await loadFixture(deployCrossCheck);
      const user = s.others[0];
      await stakeAs(s, user);
      const { checkId, checkers } = await tieWith(s, user);
      const tieBlock = (await s.crossCheck.checkInfo(checkId)).snapshotBlock;
      for (const p of [s.validators[0].address, user.address, ...checkers]) {
        expect((await s.staking.activeIndexAt(p, tieBlock))[0], `${p} Active at the tie`).to.equal(true);
      }
      await fifthDecidesAndAllLeave(s, checkId, checkers, user);
    });

    it("exactly five Active validators (the five excluded): Inconclusive, every exposure closed, everyone withdraws", async () => {
      const s = await loadFixture(deployCrossCheck);
      const user = s.others[0];
      await stakeAs(s, user);
      // Keep v0 (paired), the user and three more Active: 5 in all.
      for (let i = 4; i < 8; i++) await s.staking.connect(s.validators[i]).requestUnbond(stakeOf(i));
      expect(await s.staking.activeValidatorCount()).to.equal(5n);
      const { checkId, checkers } = await tieWith(s, user);
      expect([...checkers].sort()).to.deep.equal(
        s.validators
          .slice(1, 4)
          .map((v) => v.address)
          .sort(),
      );
      await mine(1);
      expect(await modelDraw(s, checkId)).to.deep.equal([]);
      const tx = s.crossCheck.draw(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, INCONCLUSIVE, ethers.ZeroHash);
      await expect(tx).to.not.emit(s.crossCheck, "FifthDrawn");
      await expect(tx).to.not.emit(s.staking, "Slashed");
      await expectEscrowInvariants(s, checkId);
      const parties = [s.validators[0].address, user.address, ...checkers];
      for (const p of parties) {
        const info = await s.staking.validatorInfo(p);
        await s.staking.connect(await ethers.getSigner(p)).requestUnbond(info.active);
      }
      await time.increase(SUITE_PARAMS.cooldown);
      for (const p of parties) {
        await expect(s.staking.connect(await ethers.getSigner(p)).withdraw()).to.emit(s.staking, "Withdrawn");
      }
    });
  });

  describe("attack: a checker-to-be leaves and withdraws everything before a late draw", () => {
    it("drawn from the snapshot with a zero cap: the check finalizes, the leaver is not slashed, the others are paid nothing", async () => {
      const s = await loadFixture(deployCrossCheck);
      const paired = s.validators[0];
      const leaver = s.validators[5];
      await openWith(s, paired);
      // The leaver unbonds right after the open and, nobody drawing for a cooldown, withdraws everything.
      await s.staking.connect(leaver).requestUnbond(stakeOf(5));
      await time.increase(SUITE_PARAMS.cooldown);
      await s.staking.connect(leaver).withdraw();
      expect((await s.staking.validatorInfo(leaver.address)).status).to.equal(0n);
      // Re-arm the seed (300 blocks each time) until the leaver is among the drawn: the snapshot still has it.
      let expected: string[] = [];
      for (let tries = 0; tries < 30; tries++) {
        await mine(300);
        await expect(s.crossCheck.draw(1n)).to.emit(s.crossCheck, "SeedRearmed");
        await mine(1);
        expected = await modelDraw(s, 1n);
        if (expected.includes(leaver.address)) break;
      }
      expect(expected).to.include(leaver.address);
      const drawTx = s.crossCheck.draw(1n);
      await expect(drawTx).to.emit(s.staking, "ExposureRecorded").withArgs(1n, leaver.address, 0n);
      const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
      expect(checkers).to.deep.equal(expected);
      // The two others confirm H; the leaver does not show up: it is the dissenter, with nothing to slash.
      await playRound(s, 1n, new Map(checkers.filter((c) => c !== leaver.address).map((c) => [c, TRUE])));
      const tx = s.crossCheck.finalize(1n);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(1n, CHECKER_SLASHED, TRUE);
      await expect(tx).to.not.emit(s.crossCheck, "ValidatorSlashed");
      await expect(tx).to.not.emit(s.crossCheck, "CheckerRewarded");
      await expect(tx).to.changeTokenBalances(s.token, checkers, [0n, 0n, 0n]);
      await expectEscrowInvariants(s, 1n);
      expect(await s.staking.totalStaked()).to.equal([0, 1, 2, 3, 4, 6, 7].reduce((a, i) => a + stakeOf(i), 0n));
    });
  });
});
