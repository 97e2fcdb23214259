import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { TypedDataEncoder } from "ethers";
import type { AddressLike, ContractTransactionResponse, Signer } from "ethers";
import { expectConserved } from "./helpers/conservation";
import { DG, REAL_BUILD } from "./helpers/fixtures";
import { SUITE_PARAMS } from "./helpers/suite";
import {
  CROSS_PARAMS,
  INPUT,
  INPUT_MISMATCH,
  PHASE,
  RECEIPT_TYPES,
  VALIDATORS,
  deployCrossCheck,
  expectEscrowInvariants,
  modelDraw,
  openAndDraw,
  openWith,
  playRound,
  receiptDomain,
  receiptFor,
  result,
  setAt,
  signReceipt,
  slashOf,
  stakeOf,
  taskId,
  type Answer,
  type CrossSuite,
  type Receipt,
} from "./helpers/crosscheck";
import { COORDINATOR_ROLE } from "../deploy/modules/CrossCheck";
import type { ContractValidator } from "../typechain-types";

// ICrossCheck.Verdict
const INVALID = 1n;
const PASS = 2n;
const CHECKER_SLASHED = 3n;
const TIE_DECIDED = 4n;
const PAIRED_SLASHED = 5n;
const INCONCLUSIVE = 6n;
// IValidatorStaking.Status
const ACTIVE = 1n;
const COOLING_DOWN = 2n;
const EXPELLED = 3n;

const A = result("A"); // H: the paired validator's receipt
const B = result("B");
const C = result("C");
const D = result("D");
const M = INPUT_MISMATCH;
const ZERO = ethers.ZeroHash;
const DAY = 86_400n;
const HOUR = 3_600n;
/** An explicit gas limit skips estimation, so a reverting call is mined at the timestamp set for it. */
const GAS = { gasLimit: 1_000_000n };

/** Every account that can hold DG in these scenarios. */
function holders(s: CrossSuite, extra: AddressLike[] = []): AddressLike[] {
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
    ...extra,
  ];
}

/** The stake (= exposure cap) of a fixture validator, by address. */
function capOf(s: CrossSuite, address: string): bigint {
  const i = s.validators.findIndex((v) => v.address === address);
  expect(i, `${address} is a fixture validator`).to.be.greaterThan(-1);
  return stakeOf(i);
}

function totalStakes(): bigint {
  let sum = 0n;
  for (let i = 0; i < VALIDATORS; i++) sum += stakeOf(i);
  return sum;
}

/** One round played by the three drawn checkers (`said[i]` for checker i); returns the check and its checkers. */
async function checkWith(s: CrossSuite, said: Answer[], paired: Signer = s.validators[0], task = taskId(1)) {
  expect(said.length).to.equal(3);
  const drawn = await openAndDraw(s, paired, task);
  await playRound(s, drawn.checkId, new Map(drawn.checkers.map((c, i) => [c, said[i]])));
  return drawn;
}

/** The state a failed call must leave unchanged. */
async function stateOf(s: CrossSuite, checkId: bigint, parties: string[] = []) {
  const info = await s.crossCheck.checkInfo(checkId);
  const subs = await Promise.all(parties.map((p) => s.crossCheck.submission(checkId, p)));
  return {
    count: await s.crossCheck.checkCount(),
    info: info.toString(),
    subs: subs.map((x) => x.toString()),
    staked: await s.staking.totalStaked(),
    checkOfTask: await s.crossCheck.checkOfTask(taskId(1)),
  };
}

/**
 * Finalizes and checks the whole settlement to the wei: the verdict and its winning hash, exactly
 * the `losers` slashed (slashBps of their cap, the escrow's reward share to CrossCheck), the
 * rewards split equally among the `honest` checkers, the dust burned, every exposure closed,
 * the supply conserved.
 */
async function expectSettlement(
  s: CrossSuite,
  checkId: bigint,
  verdict: bigint,
  winning: string,
  losers: string[],
  honest: string[],
) {
  const cuts = losers.map((l) => slashOf(capOf(s, l)));
  const rewards = cuts.reduce((a, c) => a + c.rewarded, 0n);
  const share = honest.length === 0 ? 0n : rewards / BigInt(honest.length);
  const dust = rewards - share * BigInt(honest.length);
  const burnedBefore = await expectConserved(s.token, holders(s));
  const stakedBefore = await s.staking.totalStaked();

  const tx = s.crossCheck.finalize(checkId);
  await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, verdict, winning);
  const receipt = (await (await tx).wait())!;
  const slashedLogs = receipt.logs
    .map((l) => s.crossCheck.interface.parseLog(l))
    .filter((l) => l?.name === "ValidatorSlashed");
  expect(
    slashedLogs.map((l) => l!.args[1]),
    "exactly the losers are slashed",
  ).to.deep.equal(losers);
  for (const [i, loser] of losers.entries()) {
    await expect(tx)
      .to.emit(s.crossCheck, "ValidatorSlashed")
      .withArgs(checkId, loser, cuts[i].slashed, cuts[i].rewarded, cuts[i].burned);
    expect((await s.staking.validatorInfo(loser)).faults, "one fault").to.equal(1n);
  }
  const rewardedLogs = receipt.logs
    .map((l) => s.crossCheck.interface.parseLog(l))
    .filter((l) => l?.name === "CheckerRewarded");
  expect(rewardedLogs.length).to.equal(rewards === 0n ? 0 : honest.length);
  if (rewards !== 0n) {
    for (const h of honest) await expect(tx).to.emit(s.crossCheck, "CheckerRewarded").withArgs(checkId, h, share);
    await expect(tx).to.changeTokenBalances(
      s.token,
      [...honest, ...losers],
      [...honest.map(() => share), ...losers.map(() => 0n)],
    );
  }
  if (dust !== 0n) await expect(tx).to.emit(s.crossCheck, "RewardDustBurned").withArgs(checkId, dust);
  else await expect(tx).to.not.emit(s.crossCheck, "RewardDustBurned");
  const slashed = cuts.reduce((a, c) => a + c.slashed, 0n);
  const burned = cuts.reduce((a, c) => a + c.burned, 0n) + dust;
  expect(share * BigInt(honest.length) + burned, "paid + burned == slashed").to.equal(slashed);
  expect(await s.staking.totalStaked()).to.equal(stakedBefore - slashed);
  await expectConserved(s.token, holders(s), burnedBefore + burned);
  await expectEscrowInvariants(s, checkId);
  const info = await s.crossCheck.checkInfo(checkId);
  expect(info.verdict).to.equal(verdict);
  return { tx, cuts, share, dust };
}

/** Deploys a CrossCheck with `args` overriding the fixture's constructor arguments. */
async function deployOther(
  s: CrossSuite,
  o: Partial<{
    commit: bigint;
    reveal: bigint;
    age: bigint;
    bps: bigint;
    admin: string;
    delay: bigint;
    staking: string;
  }>,
) {
  const factory = await ethers.getContractFactory("CrossCheck");
  return factory.deploy(
    o.staking ?? (await s.staking.getAddress()),
    o.commit ?? CROSS_PARAMS.commitWindow,
    o.reveal ?? CROSS_PARAMS.revealWindow,
    o.age ?? CROSS_PARAMS.maxReceiptAge,
    o.bps ?? CROSS_PARAMS.slashBps,
    o.admin ?? s.deployer.address,
    o.delay ?? CROSS_PARAMS.adminDelay,
  );
}

/** A validator that is a contract, owned by `owner`, staking `amount` (ERC-1271 receipts). */
async function contractValidator(s: CrossSuite, owner: Signer, amount: bigint) {
  const cv = (await (
    await ethers.getContractFactory("ContractValidator")
  ).deploy(await owner.getAddress())) as unknown as ContractValidator;
  const address = await cv.getAddress();
  const stakingAddress = await s.staking.getAddress();
  await s.token.transfer(address, amount);
  await cv.connect(owner).execute(s.token, s.token.interface.encodeFunctionData("approve", [stakingAddress, amount]));
  await cv.connect(owner).execute(s.staking, s.staking.interface.encodeFunctionData("stake", [amount]));
  return { cv, address };
}

describe("CrossCheck", () => {
  describe("deployment", () => {
    it("is wired by the module: the escrow's slasher, coordinator role, parameters, EIP-712 domain", async () => {
      const s = await loadFixture(deployCrossCheck);
      const address = await s.crossCheck.getAddress();
      expect(await s.staking.slasher()).to.equal(address);
      expect(await s.crossCheck.hasRole(COORDINATOR_ROLE, s.coordinator.address)).to.equal(true);
      expect(await s.crossCheck.hasRole(COORDINATOR_ROLE, s.deployer.address)).to.equal(false);
      expect(await s.crossCheck.staking()).to.equal(await s.staking.getAddress());
      expect(await s.crossCheck.token()).to.equal(await s.token.getAddress());
      expect(await s.crossCheck.commitWindow()).to.equal(CROSS_PARAMS.commitWindow);
      expect(await s.crossCheck.revealWindow()).to.equal(CROSS_PARAMS.revealWindow);
      expect(await s.crossCheck.maxReceiptAge()).to.equal(72n * HOUR);
      expect(await s.crossCheck.slashBps()).to.equal(CROSS_PARAMS.slashBps);
      expect(await s.crossCheck.defaultAdminDelay()).to.equal(CROSS_PARAMS.adminDelay);
      expect(await s.crossCheck.CHECKERS()).to.equal(3n);
      expect(await s.crossCheck.SEED_BLOCK_DELAY()).to.equal(1n);
      expect(await s.crossCheck.INPUT_MISMATCH()).to.equal(ethers.id("DATAGEN_CROSSCHECK_INPUT_MISMATCH"));
      expect(await s.crossCheck.RECEIPT_TYPEHASH()).to.equal(
        ethers.id("Receipt(bytes32 taskId,address user,bytes32 inputHash,bytes32 resultHash,uint64 deliveredAt)"),
      );
      const domain = await s.crossCheck.eip712Domain();
      const chainId = (await ethers.provider.getNetwork()).chainId;
      expect([domain.name, domain.version, domain.chainId, domain.verifyingContract]).to.deep.equal([
        "CrossCheck",
        "1",
        chainId,
        address,
      ]);
    });

    it("rejects every out-of-range constructor argument with its error; the bounds are accepted", async () => {
      const s = await loadFixture(deployCrossCheck);
      const err = (name: string) => [s.crossCheck, name] as const;
      await expect(deployOther(s, { staking: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        ...err("CrossCheckZeroAddress"),
      );
      await expect(deployOther(s, { admin: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        ...err("CrossCheckZeroAddress"),
      );
      for (const bad of [299n, 7n * DAY + 1n]) {
        await expect(deployOther(s, { commit: bad }))
          .to.be.revertedWithCustomError(...err("CrossCheckWindowOutOfRange"))
          .withArgs(bad, 300n, 7n * DAY);
        await expect(deployOther(s, { reveal: bad }))
          .to.be.revertedWithCustomError(...err("CrossCheckWindowOutOfRange"))
          .withArgs(bad, 300n, 7n * DAY);
      }
      for (const bad of [HOUR - 1n, 30n * DAY + 1n]) {
        await expect(deployOther(s, { age: bad }))
          .to.be.revertedWithCustomError(...err("CrossCheckReceiptAgeOutOfRange"))
          .withArgs(bad, HOUR, 30n * DAY);
      }
      for (const bad of [0n, 10_001n]) {
        await expect(deployOther(s, { bps: bad }))
          .to.be.revertedWithCustomError(...err("CrossCheckSlashBpsOutOfRange"))
          .withArgs(bad, 1n, 10_000n);
      }
      await expect(deployOther(s, { delay: 30n * DAY + 1n }))
        .to.be.revertedWithCustomError(...err("AdminDelayOutOfRange"))
        .withArgs(30n * DAY + 1n, 30n * DAY);
      // The bounds themselves are accepted.
      await expect(deployOther(s, { commit: 300n, reveal: 300n, age: HOUR, bps: 1n, delay: 30n * DAY })).to.not.be
        .reverted;
      await expect(deployOther(s, { commit: 300n, reveal: 300n, age: 6n * DAY, bps: 10_000n, delay: 0n })).to.not.be
        .reverted;
    });

    it("refuses an escrow cooldown not longer than the receipt age plus two rounds (exact boundary)", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cooldown = await s.staking.cooldown();
      expect(cooldown).to.equal(7n * DAY);
      // Two rounds of 24 h + 12 h = 72 h; a receipt age of 96 h makes the requirement exactly the cooldown.
      const rounds = 2n * (CROSS_PARAMS.commitWindow + CROSS_PARAMS.revealWindow);
      const age = cooldown - rounds;
      expect(age).to.equal(96n * HOUR);
      await expect(deployOther(s, { age }))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCooldownTooShort")
        .withArgs(cooldown, cooldown + 1n);
      await expect(deployOther(s, { age: 30n * DAY }))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCooldownTooShort")
        .withArgs(cooldown, 30n * DAY + rounds + 1n);
      await expect(deployOther(s, { commit: 7n * DAY }))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCooldownTooShort")
        .withArgs(cooldown, CROSS_PARAMS.maxReceiptAge + 2n * (7n * DAY + CROSS_PARAMS.revealWindow) + 1n);
      // One second less: the cooldown is longer than the longest a task can wait plus its check.
      const ok = await deployOther(s, { age: age - 1n });
      expect(await ok.maxReceiptAge()).to.equal(age - 1n);
    });
  });

  describe("receipts", () => {
    it("the digest is the EIP-712 hash of the receipt under the CrossCheck domain", async () => {
      const s = await loadFixture(deployCrossCheck);
      const receipt = await receiptFor(s);
      const digest = TypedDataEncoder.hash(await receiptDomain(s.crossCheck), RECEIPT_TYPES, receipt);
      expect(await s.crossCheck.receiptDigest(receipt)).to.equal(digest);
    });

    it("opens with an ECDSA receipt: H, the snapshot (block before) and the seed (block after), the exposure at its stake", async () => {
      const s = await loadFixture(deployCrossCheck);
      const paired = s.validators[0];
      const { tx, receipt } = await openWith(s, paired, { resultHash: A });
      const block = BigInt((await tx.wait())!.blockNumber);
      await expect(tx)
        .to.emit(s.crossCheck, "CheckOpened")
        .withArgs(
          1n,
          taskId(1),
          paired.address,
          [receipt.taskId, receipt.user, receipt.inputHash, receipt.resultHash, receipt.deliveredAt],
          block - 1n,
          block + 1n,
        );
      await expect(tx).to.emit(s.staking, "ExposureRecorded").withArgs(1n, paired.address, stakeOf(0));
      const info = await s.crossCheck.checkInfo(1n);
      expect(info.taskId).to.equal(taskId(1));
      expect(info.resultHash).to.equal(A);
      expect(info.inputHash).to.equal(INPUT);
      expect(info.user).to.equal(s.user.address);
      expect(info.paired).to.equal(paired.address);
      expect(info.snapshotBlock).to.equal(block - 1n);
      expect(info.seedBlock).to.equal(block + 1n);
      expect(info.phase).to.equal(PHASE.AwaitingDraw);
      expect(info.verdict).to.equal(0n);
      expect(info.drawn).to.deep.equal([0, 1, 2, 3].map(() => ethers.ZeroAddress));
      expect(await s.crossCheck.checkCount()).to.equal(1n);
      expect(await s.crossCheck.checkOfTask(taskId(1))).to.equal(1n);
      expect(await s.staking.exposure(1n, paired.address)).to.deep.equal([true, stakeOf(0)]);
      expect((await s.staking.validatorInfo(paired.address)).openExposures).to.equal(1n);
    });

    it("opens with an ERC-1271 receipt of a contract validator; another key's signature is refused", async () => {
      const s = await loadFixture(deployCrossCheck);
      const owner = s.others[0];
      const { cv, address } = await contractValidator(s, owner, SUITE_PARAMS.minStake);
      const receipt = await receiptFor(s);
      const forged = await signReceipt(s.others[1], s.crossCheck, receipt);
      await expect(s.crossCheck.connect(s.coordinator).open(receipt, address, forged))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckBadSignature")
        .withArgs(address);
      expect(await s.crossCheck.checkCount()).to.equal(0n);
      const { tx } = await openWith(s, { address, signer: owner });
      await expect(tx).to.emit(s.crossCheck, "CheckOpened");
      await expect(tx).to.emit(s.staking, "ExposureRecorded").withArgs(1n, address, SUITE_PARAMS.minStake);
      // The contract validator, wrong, is slashed like any other.
      await mine(1);
      await s.crossCheck.draw(1n);
      const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
      await playRound(s, 1n, new Map(checkers.map((c) => [c, B])));
      const cut = slashOf(SUITE_PARAMS.minStake);
      await expect(s.crossCheck.finalize(1n))
        .to.emit(s.crossCheck, "ValidatorSlashed")
        .withArgs(1n, address, cut.slashed, cut.rewarded, cut.burned);
      expect((await s.staking.validatorInfo(await cv.getAddress())).status).to.equal(EXPELLED);
      await expectEscrowInvariants(s, 1n);
    });

    it("refuses a wrong signer, every tampered field, another chain id and another CrossCheck; nothing changes", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cc = s.crossCheck.connect(s.coordinator);
      const paired = s.validators[0];
      const receipt = await receiptFor(s);
      const signature = await signReceipt(paired, s.crossCheck, receipt);
      const before = await stateOf(s, 1n);
      const refused = async (r: Receipt, sig: string, who = paired.address) =>
        expect(cc.open(r, who, sig))
          .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckBadSignature")
          .withArgs(who);

      // Signed by another validator.
      await refused(receipt, await signReceipt(s.validators[1], s.crossCheck, receipt));
      // Signed by the paired validator, but presented as another's.
      await refused(receipt, signature, s.validators[1].address);
      // Any field changed after signing.
      const tampered: Receipt[] = [
        { ...receipt, taskId: taskId(2) },
        { ...receipt, user: s.outsider.address },
        { ...receipt, inputHash: ethers.id("other input") },
        { ...receipt, resultHash: B },
        { ...receipt, deliveredAt: receipt.deliveredAt - 1n },
      ];
      for (const r of tampered) await refused(r, signature);
      // Another chain (BSC mainnet's id) with the same contract address.
      await refused(receipt, await signReceipt(paired, s.crossCheck, receipt, 56n));
      // A garbage signature.
      await refused(receipt, "0x1234");
      // Another CrossCheck over the same escrow: its receipts are not this one's, and the other way round.
      const other = await deployOther(s, {});
      await other.grantRole(COORDINATOR_ROLE, s.coordinator.address);
      expect(await other.receiptDigest(receipt)).to.not.equal(await s.crossCheck.receiptDigest(receipt));
      await refused(receipt, await signReceipt(paired, await other.getAddress(), receipt));
      await expect(other.connect(s.coordinator).open(receipt, paired.address, signature))
        .to.be.revertedWithCustomError(other, "CrossCheckBadSignature")
        .withArgs(paired.address);
      expect(await stateOf(s, 1n)).to.deep.equal(before);
      // The genuine one opens.
      await expect(cc.open(receipt, paired.address, signature)).to.emit(s.crossCheck, "CheckOpened");
    });

    it("refuses a receipt from the future; accepts one exactly maxReceiptAge old, refuses one a second older", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cc = s.crossCheck.connect(s.coordinator);
      const paired = s.validators[0];
      const now = BigInt(await time.latest()) + 100n;
      const future = await receiptFor(s, { deliveredAt: now + 1n });
      await time.setNextBlockTimestamp(now);
      await expect(cc.open(future, paired.address, await signReceipt(paired, s.crossCheck, future), GAS))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckReceiptFromFuture")
        .withArgs(now + 1n, now);

      const age = CROSS_PARAMS.maxReceiptAge;
      const old = await receiptFor(s, { task: taskId(2), deliveredAt: now });
      const oldSig = await signReceipt(paired, s.crossCheck, old);
      await time.setNextBlockTimestamp(now + age + 1n);
      await expect(cc.open(old, paired.address, oldSig, GAS))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckReceiptExpired")
        .withArgs(now, now + age + 1n, age);
      expect(await s.crossCheck.checkCount()).to.equal(0n);

      // Delivered in the very block that opens it (age 0), and exactly maxReceiptAge old: accepted.
      const fresh = await receiptFor(s, { task: taskId(3), deliveredAt: now + age + 2n });
      await time.setNextBlockTimestamp(now + age + 2n);
      await expect(cc.open(fresh, paired.address, await signReceipt(paired, s.crossCheck, fresh), GAS)).to.emit(
        s.crossCheck,
        "CheckOpened",
      );
      const edge = await receiptFor(s, { task: taskId(4), deliveredAt: now + 3n });
      await time.setNextBlockTimestamp(now + 3n + age);
      await expect(cc.open(edge, s.validators[1].address, await signReceipt(s.validators[1], s.crossCheck, edge), GAS))
        .to.emit(s.crossCheck, "CheckOpened")
        .withArgs(2n, taskId(4), s.validators[1].address, Object.values(edge), anyValue, anyValue);
    });

    it("refuses zero hashes and INPUT_MISMATCH as the receipt's result; a task is checked once", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cc = s.crossCheck.connect(s.coordinator);
      const paired = s.validators[0];
      const before = await stateOf(s, 1n);
      for (const bad of [{ resultHash: ZERO }, { resultHash: M }, { inputHash: ZERO }]) {
        const r = await receiptFor(s, bad);
        await expect(
          cc.open(r, paired.address, await signReceipt(paired, s.crossCheck, r)),
        ).to.be.revertedWithCustomError(s.crossCheck, "CrossCheckBadReceiptHash");
      }
      expect(await stateOf(s, 1n)).to.deep.equal(before);
      await openWith(s, paired);
      // The same task again, even with another receipt and another paired validator.
      const again = await receiptFor(s, { resultHash: B });
      await expect(cc.open(again, s.validators[1].address, await signReceipt(s.validators[1], s.crossCheck, again)))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckTaskAlreadyChecked")
        .withArgs(taskId(1), 1n);
      expect(await s.crossCheck.checkCount()).to.equal(1n);
    });
  });

  describe("open", () => {
    it("rejects a non-coordinator, zero ids and addresses, the user as paired, a paired validator without stake", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cc = s.crossCheck.connect(s.coordinator);
      const paired = s.validators[0];
      const sign = async (r: Receipt, who: Signer = paired) => signReceipt(who, s.crossCheck, r);
      const receipt = await receiptFor(s);
      const before = await stateOf(s, 1n);

      await expect(s.crossCheck.connect(s.outsider).open(receipt, paired.address, await sign(receipt)))
        .to.be.revertedWithCustomError(s.crossCheck, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, COORDINATOR_ROLE);
      const zeroTask = { ...receipt, taskId: ZERO };
      await expect(cc.open(zeroTask, paired.address, await sign(zeroTask))).to.be.revertedWithCustomError(
        s.crossCheck,
        "CrossCheckZeroTaskId",
      );
      const zeroUser = { ...receipt, user: ethers.ZeroAddress };
      await expect(cc.open(zeroUser, paired.address, await sign(zeroUser))).to.be.revertedWithCustomError(
        s.crossCheck,
        "CrossCheckZeroAddress",
      );
      await expect(cc.open(receipt, ethers.ZeroAddress, await sign(receipt))).to.be.revertedWithCustomError(
        s.crossCheck,
        "CrossCheckZeroAddress",
      );
      const self = { ...receipt, user: paired.address };
      await expect(cc.open(self, paired.address, await sign(self)))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckUserIsPaired")
        .withArgs(paired.address);
      // Never staked: a genuine signature, but nothing to slash.
      await expect(cc.open(receipt, s.outsider.address, await sign(receipt, s.outsider)))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckPairedNoStake")
        .withArgs(s.outsider.address);
      expect(await stateOf(s, 1n)).to.deep.equal(before);
    });

    it("a CoolingDown paired validator with stake is opened at its unbonding stake; once withdrawn, refused", async () => {
      const s = await loadFixture(deployCrossCheck);
      const leaving = s.validators[7];
      await s.staking.connect(leaving).requestUnbond(stakeOf(7));
      expect((await s.staking.validatorInfo(leaving.address)).status).to.equal(COOLING_DOWN);
      const { tx } = await openWith(s, leaving);
      await expect(tx).to.emit(s.staking, "ExposureRecorded").withArgs(1n, leaving.address, stakeOf(7));
      // Another validator that left and withdrew everything has nothing at stake: refused.
      const gone = s.validators[6];
      await s.staking.connect(gone).requestUnbond(stakeOf(6));
      await time.increase(SUITE_PARAMS.cooldown);
      await s.staking.connect(gone).withdraw();
      const r = await receiptFor(s, { task: taskId(2) });
      await expect(s.crossCheck.connect(s.coordinator).open(r, gone.address, await signReceipt(gone, s.crossCheck, r)))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckPairedNoStake")
        .withArgs(gone.address);
    });

    it("needs three validators besides the paired one and the user, counted in the snapshot block", async () => {
      const s = await loadFixture(deployCrossCheck);
      // Leave 4 Active validators: v0..v3.
      for (let i = 4; i < VALIDATORS; i++) await s.staking.connect(s.validators[i]).requestUnbond(stakeOf(i));
      const [v0, v1, v2, v3] = s.validators;
      // The user is an Active validator too: only two are left to draw.
      await expect(openWith(s, v0, { user: v1.address }))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotEnoughValidators")
        .withArgs(2n, 3n);
      // v3 leaves: with an outside user, two are left.
      await s.staking.connect(v3).requestUnbond(stakeOf(3));
      await expect(openWith(s, v0))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotEnoughValidators")
        .withArgs(2n, 3n);
      // A paired validator that is not Active does not count either: v3 paired (CoolingDown), v0..v2 left = 3.
      expect(await s.crossCheck.checkCount()).to.equal(0n);
      await expect((await openWith(s, v3)).tx).to.emit(s.crossCheck, "CheckOpened");
      // v2 paired: v0 and v1 are left. A newcomer staking in the block before the open counts.
      await expect(openWith(s, v2, { task: taskId(2) }))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotEnoughValidators")
        .withArgs(2n, 3n);
      const newcomer = s.others[0];
      await s.token.connect(newcomer).approve(await s.staking.getAddress(), SUITE_PARAMS.minStake);
      await s.staking.connect(newcomer).stake(SUITE_PARAMS.minStake);
      const { tx } = await openWith(s, v2, { task: taskId(2) });
      await expect(tx).to.emit(s.crossCheck, "CheckOpened");
      expect(await s.staking.activeValidatorCountAt(BigInt((await tx.wait())!.blockNumber) - 1n)).to.equal(4n);
    });
  });

  describe("draw", () => {
    it("the seed is not known at the open: the draw needs a later block, follows the model, and anyone may call it", async () => {
      const s = await loadFixture(deployCrossCheck);
      const paired = s.validators[0];
      const { tx: openTx } = await openWith(s, paired);
      const openBlock = BigInt((await openTx.wait())!.blockNumber);
      const seedBlock = openBlock + 1n;
      expect(await ethers.provider.getBlock(seedBlock)).to.equal(null);
      await expect(s.crossCheck.draw(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckSeedNotReady")
        .withArgs(seedBlock, seedBlock);
      expect((await s.crossCheck.checkInfo(1n)).phase).to.equal(PHASE.AwaitingDraw);
      await mine(1);
      const expected = await modelDraw(s, 1n);
      const tx = await s.crossCheck.connect(s.outsider).draw(1n);
      const block = (await ethers.provider.getBlock((await tx.wait())!.blockNumber))!;
      const commitDeadline = BigInt(block.timestamp) + CROSS_PARAMS.commitWindow;
      await expect(tx)
        .to.emit(s.crossCheck, "CheckersDrawn")
        .withArgs(1n, expected, commitDeadline, commitDeadline + CROSS_PARAMS.revealWindow);
      for (const checker of expected) {
        await expect(tx).to.emit(s.staking, "ExposureRecorded").withArgs(1n, checker, capOf(s, checker));
      }
      const info = await s.crossCheck.checkInfo(1n);
      expect(info.phase).to.equal(PHASE.Drawn);
      expect(info.drawn).to.deep.equal([...expected, ethers.ZeroAddress]);
      expect(info.commitDeadline).to.equal(commitDeadline);
      expect(info.revealDeadline).to.equal(commitDeadline + CROSS_PARAMS.revealWindow);
      expect(info.snapshotBlock).to.equal(openBlock - 1n);
    });

    it("never draws the paired validator, the user, a repeat or a validator not Active in the snapshot; follows the model", async () => {
      const s = await loadFixture(deployCrossCheck);
      const stakingAddress = await s.staking.getAddress();
      // An uneven set: two validators cool down, the user and two newcomers become Active.
      await s.staking.connect(s.validators[2]).requestUnbond(stakeOf(2));
      await s.staking.connect(s.validators[5]).requestUnbond(stakeOf(5));
      await s.token.transfer(s.user.address, SUITE_PARAMS.minStake);
      for (const account of [s.user, s.others[0], s.others[1]]) {
        await s.token.connect(account).approve(stakingAddress, SUITE_PARAMS.minStake);
        await s.staking.connect(account).stake(SUITE_PARAMS.minStake);
      }
      await mine(1);
      const snapshotSet = await setAt(s, BigInt(await ethers.provider.getBlockNumber()) - 1n);
      expect(snapshotSet.length).to.equal(9);
      const pairs = s.validators.filter((v) => snapshotSet.includes(v.address));
      const seen = new Map<string, number>();
      for (let n = 1; n <= 30; n++) {
        const paired = pairs[n % pairs.length];
        const { checkers } = await openAndDraw(s, paired, taskId(n)); // asserts the model
        expect(new Set(checkers).size, "no repeat").to.equal(3);
        for (const checker of checkers) {
          expect(checker).to.not.equal(paired.address);
          expect(checker).to.not.equal(s.user.address);
          expect(snapshotSet).to.include(checker);
          seen.set(checker, (seen.get(checker) ?? 0) + 1);
        }
      }
      // 90 picks over 8 eligible validators: every one was drawn; the cooling-down ones never.
      expect([...seen.keys()].sort()).to.deep.equal(snapshotSet.filter((a) => a !== s.user.address).sort());
      expect(seen.has(s.validators[2].address) || seen.has(s.validators[5].address)).to.equal(false);
    });

    it("re-arms when nobody drew within 256 blocks of the seed block, keeps the snapshot, then draws from the new seed", async () => {
      const s = await loadFixture(deployCrossCheck);
      await openWith(s, s.validators[0]);
      const snapshot = (await s.crossCheck.checkInfo(1n)).snapshotBlock;
      await mine(300);
      const tx = await s.crossCheck.draw(1n);
      const newSeedBlock = BigInt((await tx.wait())!.blockNumber) + 1n;
      await expect(tx).to.emit(s.crossCheck, "SeedRearmed").withArgs(1n, newSeedBlock);
      await expect(tx).to.not.emit(s.crossCheck, "CheckersDrawn");
      const info = await s.crossCheck.checkInfo(1n);
      expect(info.phase).to.equal(PHASE.AwaitingDraw);
      expect(info.seedBlock).to.equal(newSeedBlock);
      expect(info.snapshotBlock).to.equal(snapshot);
      await mine(1);
      const expected = await modelDraw(s, 1n);
      await expect(s.crossCheck.draw(1n))
        .to.emit(s.crossCheck, "CheckersDrawn")
        .withArgs(1n, expected, anyValue, anyValue);
    });

    it("rejects an unknown check and a check that does not await a draw, with the state unchanged", async () => {
      const s = await loadFixture(deployCrossCheck);
      await expect(s.crossCheck.draw(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckUnknownCheck")
        .withArgs(1n);
      const { checkId } = await openAndDraw(s, s.validators[0]);
      const before = await stateOf(s, checkId);
      await expect(s.crossCheck.draw(checkId))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(checkId, PHASE.Drawn);
      expect(await stateOf(s, checkId)).to.deep.equal(before);
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

    it("only the drawn checkers commit and reveal: the paired validator, the user and an outsider are not parties", async () => {
      const { s, checkId, checkers, checker, salt, commitment } = await loadFixture(drawnCheck);
      const parties = [s.user.address, s.validators[0].address, ...checkers];
      const before = await stateOf(s, checkId, parties);
      // The user is made a validator too: still not a party.
      for (const who of [s.validators[0], s.user, s.outsider]) {
        const c = await s.crossCheck.commitmentOf(checkId, who.address, A, salt);
        await expect(s.crossCheck.connect(who).commit(checkId, c))
          .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotAParty")
          .withArgs(checkId, who.address);
      }
      expect(await stateOf(s, checkId, parties)).to.deep.equal(before);
      await s.crossCheck.connect(checker).commit(checkId, commitment);
      await time.increaseTo((await s.crossCheck.checkInfo(checkId)).commitDeadline + 1n);
      for (const who of [s.validators[0], s.user, s.outsider]) {
        await expect(s.crossCheck.connect(who).reveal(checkId, A, salt))
          .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotAParty")
          .withArgs(checkId, who.address);
      }
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
      await expect(cc.reveal(checkId, A, salt))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckRevealNotOpen")
        .withArgs(anyValue, info.commitDeadline);
      await expect(cc.commit(checkId, ZERO)).to.be.revertedWithCustomError(s.crossCheck, "CrossCheckZeroCommitment");
      await expect(cc.commit(checkId + 1n, commitment))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckUnknownCheck")
        .withArgs(checkId + 1n);
      expect(await stateOf(s, checkId, parties)).to.deep.equal(before);

      // Commits close at the deadline (inclusive).
      const second = await ethers.getSigner(checkers[1]);
      await time.setNextBlockTimestamp(info.commitDeadline);
      await s.crossCheck
        .connect(second)
        .commit(checkId, await s.crossCheck.commitmentOf(checkId, second.address, A, salt), GAS);
      const late = s.crossCheck.connect(await ethers.getSigner(checkers[2]));
      await time.setNextBlockTimestamp(info.commitDeadline + 1n);
      await expect(late.commit(checkId, await s.crossCheck.commitmentOf(checkId, checkers[2], A, salt), GAS))
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
        .withArgs(checkId, checkers[2]);
      expect(await stateOf(s, checkId, parties)).to.deep.equal(before);

      await cc.reveal(checkId, A, salt);
      await expect(cc.reveal(checkId, A, salt))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckAlreadyRevealed")
        .withArgs(checkId, checker.address);
      // Reveals close at the reveal deadline (inclusive).
      await time.setNextBlockTimestamp(info.revealDeadline);
      await s.crossCheck.connect(second).reveal(checkId, A, salt, GAS);
      expect(await s.crossCheck.submission(checkId, second.address)).to.deep.equal([
        await s.crossCheck.commitmentOf(checkId, second.address, A, salt),
        A,
      ]);
      await time.setNextBlockTimestamp(info.revealDeadline + 1n);
      await expect(late.reveal(checkId, A, salt, GAS))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckRevealClosed")
        .withArgs(info.revealDeadline + 1n, info.revealDeadline);
    });

    it("a checker cannot copy another's hash: commits close before reveals open, and a copied commitment does not reveal", async () => {
      const { s, checkId, checkers, checker, salt, commitment } = await loadFixture(drawnCheck);
      const copier = await ethers.getSigner(checkers[1]);
      await s.crossCheck.connect(checker).commit(checkId, commitment);
      await s.crossCheck.connect(copier).commit(checkId, commitment);
      await time.increaseTo((await s.crossCheck.checkInfo(checkId)).commitDeadline + 1n);
      await s.crossCheck.connect(checker).reveal(checkId, A, salt);
      await expect(s.crossCheck.connect(copier).reveal(checkId, A, salt))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCommitmentMismatch")
        .withArgs(checkId, copier.address);
      const waiter = await ethers.getSigner(checkers[2]);
      await expect(
        s.crossCheck.connect(waiter).commit(checkId, await s.crossCheck.commitmentOf(checkId, waiter.address, A, salt)),
      ).to.be.revertedWithCustomError(s.crossCheck, "CrossCheckCommitClosed");
      expect(await s.crossCheck.submission(checkId, waiter.address)).to.deep.equal([ZERO, ZERO]);
    });

    it("before the draw nobody can commit; after the tie only the fifth can", async () => {
      const s = await loadFixture(deployCrossCheck);
      await openWith(s, s.validators[0]);
      await expect(s.crossCheck.connect(s.validators[1]).commit(1n, A))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(1n, PHASE.AwaitingDraw);
      await mine(1);
      await s.crossCheck.draw(1n);
      const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
      await playRound(
        s,
        1n,
        new Map([
          [checkers[0], A],
          [checkers[1], B],
          [checkers[2], B],
        ]),
      );
      await s.crossCheck.finalize(1n);
      await expect(s.crossCheck.connect(await ethers.getSigner(checkers[0])).commit(1n, A))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(1n, PHASE.AwaitingFifthDraw);
      await mine(1);
      await s.crossCheck.draw(1n);
      const fifth = (await s.crossCheck.checkInfo(1n)).drawn[3];
      for (const who of [checkers[0], s.validators[0].address]) {
        await expect(s.crossCheck.connect(await ethers.getSigner(who)).commit(1n, A))
          .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckNotAParty")
          .withArgs(1n, who);
      }
      await expect(s.crossCheck.connect(await ethers.getSigner(fifth)).commit(1n, A)).to.emit(
        s.crossCheck,
        "Committed",
      );
    });
  });

  describe("verdicts (first round)", () => {
    it("v: two or three checkers report INPUT_MISMATCH → Invalid, nobody slashed", async () => {
      for (const said of [
        [M, M, M],
        [M, M, A],
        [A, M, M],
        [M, B, M],
        [M, M, "silent"],
        [M, "absent", M],
      ] as Answer[][]) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId } = await checkWith(s, said);
        await expectSettlement(s, checkId, INVALID, ZERO, [], []);
        expect(await s.staking.totalStaked()).to.equal(totalStakes());
      }
    });

    it("n1: all three checkers give H → Pass, nobody slashed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId } = await checkWith(s, [A, A, A]);
      await expectSettlement(s, checkId, PASS, A, [], []);
    });

    it("n3: two give H → the third checker is slashed (another hash, silent, absent, or a lone INPUT_MISMATCH)", async () => {
      for (const odd of [B, "silent", "absent", M] as Answer[]) {
        for (const at of [0, 2]) {
          const s = await loadFixture(deployCrossCheck);
          const said: Answer[] = [A, A, A];
          said[at] = odd;
          const { checkId, checkers } = await checkWith(s, said);
          const others = checkers.filter((_, i) => i !== at);
          await expectSettlement(s, checkId, CHECKER_SLASHED, A, [checkers[at]], others);
          expect((await s.staking.validatorInfo(s.validators[0].address)).faults).to.equal(0n);
        }
      }
    });

    it("n3: exact amounts for a 21,000 DG checker: 2,100 DG slashed, 1,050 DG split, 1,050 DG burned", async () => {
      const s = await loadFixture(deployCrossCheck);
      // Validator 1 (21,000 DG) is one of the checkers of some task; find it and make it dissent.
      for (let n = 1; ; n++) {
        const { checkId, checkers } = await openAndDraw(s, s.validators[0], taskId(n));
        const at = checkers.indexOf(s.validators[1].address);
        if (at < 0) {
          await playRound(s, checkId, new Map(checkers.map((c) => [c, A])));
          await s.crossCheck.finalize(checkId);
          continue;
        }
        await playRound(s, checkId, new Map(checkers.map((c, i) => [c, i === at ? B : A])));
        const { cuts, share } = await expectSettlement(
          s,
          checkId,
          CHECKER_SLASHED,
          A,
          [checkers[at]],
          checkers.filter((_, i) => i !== at),
        );
        expect(cuts[0]).to.deep.equal({ slashed: 2_100n * DG, rewarded: 1_050n * DG, burned: 1_050n * DG });
        expect(share).to.equal(525n * DG);
        expect((await s.staking.validatorInfo(s.validators[1].address)).active).to.equal(18_900n * DG);
        break;
      }
    });

    it("n2: no checker gives H, two or three agree on another hash → the paired validator is slashed", async () => {
      const cases: { said: Answer[]; honest: number[] }[] = [
        { said: [B, B, B], honest: [0, 1, 2] },
        { said: [B, B, C], honest: [0, 1] },
        { said: [C, B, B], honest: [1, 2] },
        { said: [B, "silent", B], honest: [0, 2] },
        { said: [B, B, "absent"], honest: [0, 1] },
        { said: [M, B, B], honest: [1, 2] },
      ];
      for (const c of cases) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId, checkers } = await checkWith(s, c.said);
        const paired = s.validators[0].address;
        const { cuts } = await expectSettlement(
          s,
          checkId,
          PAIRED_SLASHED,
          B,
          [paired],
          c.honest.map((i) => checkers[i]),
        );
        // The paired validator staked 20,000 DG: 10% slashed, half of it rewarded, half burned.
        expect(cuts[0]).to.deep.equal({ slashed: 2_000n * DG, rewarded: 1_000n * DG, burned: 1_000n * DG });
        expect((await s.staking.validatorInfo(paired)).active).to.equal(18_000n * DG);
      }
    });

    it("n2 with three honest checkers: 1,000 DG split three ways, 1 wei burned", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers } = await checkWith(s, [B, B, B]);
      const { share, dust } = await expectSettlement(
        s,
        checkId,
        PAIRED_SLASHED,
        B,
        [s.validators[0].address],
        checkers,
      );
      expect(share).to.equal(333_333_333_333_333_333_333n);
      expect(dust).to.equal(1n);
    });

    it("inconclusive: no H and no two agree (or nobody reveals) → nobody slashed", async () => {
      for (const said of [
        [B, C, D],
        [B, "silent", "absent"],
        ["silent", "silent", "silent"],
        ["absent", "absent", "absent"],
        [M, B, C],
        [M, "silent", "absent"],
      ] as Answer[][]) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId } = await checkWith(s, said);
        await expectSettlement(s, checkId, INCONCLUSIVE, ZERO, [], []);
        expect(await s.staking.totalStaked()).to.equal(totalStakes());
      }
    });

    it("finalize: rejects an unknown check, a check still in its reveal window, and a finalized one", async () => {
      const s = await loadFixture(deployCrossCheck);
      await expect(s.crossCheck.finalize(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckUnknownCheck")
        .withArgs(1n);
      await openWith(s, s.validators[0]);
      await expect(s.crossCheck.finalize(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(1n, PHASE.AwaitingDraw);
      await mine(1);
      await s.crossCheck.draw(1n);
      const info = await s.crossCheck.checkInfo(1n);
      await time.setNextBlockTimestamp(info.revealDeadline);
      await expect(s.crossCheck.finalize(1n, GAS))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckRevealNotOver")
        .withArgs(info.revealDeadline, info.revealDeadline);
      expect((await s.crossCheck.checkInfo(1n)).phase).to.equal(PHASE.Drawn);
      await s.crossCheck.connect(s.outsider).finalize(1n); // anyone, once the deadline has passed
      await expect(s.crossCheck.finalize(1n))
        .to.be.revertedWithCustomError(s.crossCheck, "CrossCheckWrongPhase")
        .withArgs(1n, PHASE.Finalized);
    });
  });

  describe("verdicts (tie and the fifth)", () => {
    /** A first round with exactly one H (checker 0 unless `said` says otherwise), the tie declared, the fifth drawn. */
    async function tie(s: CrossSuite, said: Answer[]) {
      const { checkId, checkers } = await checkWith(s, said);
      const tx = await s.crossCheck.finalize(checkId);
      const block = BigInt((await tx.wait())!.blockNumber);
      await expect(tx)
        .to.emit(s.crossCheck, "TieDeclared")
        .withArgs(checkId, block - 1n, block + 1n);
      await expect(tx).to.not.emit(s.crossCheck, "VerdictReached");
      await expect(tx).to.not.emit(s.staking, "Slashed");
      let info = await s.crossCheck.checkInfo(checkId);
      expect(info.phase).to.equal(PHASE.AwaitingFifthDraw);
      expect([info.snapshotBlock, info.seedBlock]).to.deep.equal([block - 1n, block + 1n]);
      for (const party of [s.validators[0].address, ...checkers]) {
        expect((await s.staking.exposure(checkId, party))[0], "exposure stays open").to.equal(true);
      }
      await mine(1);
      const [expected] = await modelDraw(s, checkId);
      const drawTx = await s.crossCheck.draw(checkId);
      info = await s.crossCheck.checkInfo(checkId);
      const fifth = info.drawn[3];
      expect(fifth, "the fifth follows the model").to.equal(expected);
      await expect(drawTx)
        .to.emit(s.crossCheck, "FifthDrawn")
        .withArgs(checkId, fifth, info.commitDeadline, info.revealDeadline);
      await expect(drawTx).to.emit(s.staking, "ExposureRecorded").withArgs(checkId, fifth, capOf(s, fifth));
      expect(info.phase).to.equal(PHASE.FifthDrawn);
      expect([s.validators[0].address, s.user.address, ...checkers]).to.not.include(fifth);
      return { checkId, checkers, fifth };
    }

    const paired = (s: CrossSuite) => s.validators[0].address;

    it("the fifth gives H → TieDecided for H, the two dissenting checkers slashed; H's checker and the fifth share", async () => {
      for (const dissent of [
        [B, B],
        [B, C],
        [M, B],
        ["silent", "absent"],
      ] as Answer[][]) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId, checkers, fifth } = await tie(s, [A, ...dissent]);
        await playRound(s, checkId, new Map([[fifth, A]]));
        await expectSettlement(s, checkId, TIE_DECIDED, A, [checkers[1], checkers[2]], [checkers[0], fifth]);
      }
    });

    it("the fifth sides with two dissenters → TieDecided for their hash: the paired validator and H's checker slashed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers, fifth } = await tie(s, [B, A, B]);
      await playRound(s, checkId, new Map([[fifth, B]]));
      const { share } = await expectSettlement(
        s,
        checkId,
        TIE_DECIDED,
        B,
        [paired(s), checkers[1]],
        [checkers[0], checkers[2], fifth],
      );
      expect(share).to.equal((slashOf(stakeOf(0)).rewarded + slashOf(capOf(s, checkers[1])).rewarded) / 3n);
    });

    it("no 3-of-5 majority (the fifth silent or absent, alone, or with one dissenter or INPUT_MISMATCH) → Inconclusive", async () => {
      const cases: { said: Answer[]; fifth: Answer }[] = [
        { said: [A, B, B], fifth: "silent" },
        { said: [A, B, B], fifth: "absent" },
        { said: [A, B, C], fifth: B },
        { said: [A, B, C], fifth: D },
        { said: [A, M, B], fifth: M },
        { said: [A, "silent", "silent"], fifth: B },
      ];
      for (const c of cases) {
        const s = await loadFixture(deployCrossCheck);
        const { checkId, fifth } = await tie(s, c.said);
        await playRound(s, checkId, new Map([[fifth, c.fifth]]));
        await expectSettlement(s, checkId, INCONCLUSIVE, ZERO, [], []);
        expect(await s.staking.totalStaked()).to.equal(totalStakes());
      }
    });

    it("the fifth is drawn from the set as of the block before the tie's finalize, not the open's", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers } = await checkWith(s, [A, B, B]);
      // After the open, two newcomers join and an uninvolved validator leaves.
      const newcomers = s.others.slice(0, 2);
      for (const n of newcomers) {
        await s.token.connect(n).approve(await s.staking.getAddress(), SUITE_PARAMS.minStake);
        await s.staking.connect(n).stake(SUITE_PARAMS.minStake);
      }
      const involved = [s.validators[0].address, ...checkers];
      const leaver = s.validators.find((v) => !involved.includes(v.address))!;
      await s.staking.connect(leaver).requestUnbond(capOf(s, leaver.address));
      const tx = await s.crossCheck.finalize(checkId);
      const block = BigInt((await tx.wait())!.blockNumber);
      const tieSet = await setAt(s, block - 1n);
      expect(tieSet).to.include.members(newcomers.map((n) => n.address));
      expect(tieSet).to.not.include(leaver.address);
      await mine(1);
      const expected = await modelDraw(s, checkId, tieSet);
      await s.crossCheck.draw(checkId);
      expect([(await s.crossCheck.checkInfo(checkId)).drawn[3]]).to.deep.equal(expected);
    });

    it("with nobody left for the fifth (all Active validators excluded in the tie's snapshot) → Inconclusive, every exposure closed", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers } = await checkWith(s, [A, B, B]);
      const involved = new Set([s.validators[0].address, ...checkers]);
      for (const [i, v] of s.validators.entries()) {
        if (!involved.has(v.address)) await s.staking.connect(v).requestUnbond(stakeOf(i));
      }
      await s.crossCheck.finalize(checkId);
      await mine(1);
      expect(await modelDraw(s, checkId)).to.deep.equal([]);
      const tx = s.crossCheck.draw(checkId);
      await expect(tx).to.emit(s.crossCheck, "VerdictReached").withArgs(checkId, INCONCLUSIVE, ZERO);
      await expect(tx).to.not.emit(s.crossCheck, "FifthDrawn");
      await expect(tx).to.not.emit(s.staking, "Slashed");
      await expectEscrowInvariants(s, checkId);
    });

    it("every party can withdraw once the check is over; not before", async () => {
      const s = await loadFixture(deployCrossCheck);
      const { checkId, checkers, fifth } = await tie(s, [A, B, B]);
      const parties = [paired(s), ...checkers, fifth];
      for (const p of parties) await s.staking.connect(await ethers.getSigner(p)).requestUnbond(capOf(s, p));
      await playRound(s, checkId, new Map([[fifth, A]]));
      for (const p of parties) {
        await expect(s.staking.connect(await ethers.getSigner(p)).withdraw())
          .to.be.revertedWithCustomError(s.staking, "ValidatorStakingOpenExposures")
          .withArgs(p, 1n);
      }
      await s.crossCheck.finalize(checkId);
      await time.increase(SUITE_PARAMS.cooldown);
      for (const p of parties) {
        const info = await s.staking.validatorInfo(p);
        await expect(s.staking.connect(await ethers.getSigner(p)).withdraw())
          .to.emit(s.staking, "Withdrawn")
          .withArgs(p, info.unbonding);
      }
    });
  });

  describe("expulsion through the escrow's rules", () => {
    it("a paired validator at the minimum stake is expelled by its first proven fault", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cheater = s.others[0];
      await s.token.connect(cheater).approve(await s.staking.getAddress(), SUITE_PARAMS.minStake);
      await s.staking.connect(cheater).stake(SUITE_PARAMS.minStake);
      const { checkId } = await checkWith(s, [B, B, B], cheater);
      const tx = s.crossCheck.finalize(checkId);
      await expect(tx).to.emit(s.staking, "Expelled");
      const info = await s.staking.validatorInfo(cheater.address);
      expect(info.status).to.equal(EXPELLED);
      expect(info.unbonding).to.equal(9_000n * DG);
      expect(await s.staking.activeValidatorCount()).to.equal(BigInt(VALIDATORS));
      await expectEscrowInvariants(s, checkId);
      // Expelled with stake left: it can still be checked for another task it delivered.
      const { tx: again } = await openWith(s, cheater, { task: taskId(2) });
      await expect(again)
        .to.emit(s.staking, "ExposureRecorded")
        .withArgs(2n, cheater.address, 9_000n * DG);
    });

    it("repeated proven faults reach the fault limit and expel; the expelled validator is still checkable", async () => {
      const s = await loadFixture(deployCrossCheck);
      const cheater = s.validators[0];
      let stake = stakeOf(0);
      for (let n = 1n; n <= SUITE_PARAMS.faultLimit; n++) {
        const { checkId } = await checkWith(s, [B, B, B], cheater, taskId(Number(n)));
        await s.crossCheck.finalize(checkId);
        stake -= slashOf(stake).slashed;
        const info = await s.staking.validatorInfo(cheater.address);
        expect(info.faults).to.equal(n);
        expect(info.status).to.equal(n < SUITE_PARAMS.faultLimit ? ACTIVE : EXPELLED);
        expect(info.active + info.unbonding).to.equal(stake);
      }
      expect(stake).to.equal(14_580n * DG);
      const { tx } = await openWith(s, cheater, { task: taskId(99) });
      await expect(tx)
        .to.emit(s.staking, "ExposureRecorded")
        .withArgs(4n, cheater.address, 14_580n * DG);
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
      const { checkId } = await openWith(s, s.validators[0], { task });
      await mine(1);
      return (await (await s.crossCheck.draw(checkId)).wait())!.gasUsed;
    }

    it("the draw stays within 2× of 239k gas with 10 and with 1,000 Active validators", async function () {
      this.timeout(300_000);
      const s = await loadFixture(tenValidators);
      const small = await drawGas(s, taskId("small"));
      const swarm = await (await ethers.getContractFactory("StakerSwarm")).deploy();
      await s.token.transfer(await swarm.getAddress(), 990n * SUITE_PARAMS.minStake);
      for (let made = 0; made < 990; made += 15) {
        await swarm.spawn(await s.staking.getAddress(), await s.token.getAddress(), 15, SUITE_PARAMS.minStake, {
          gasLimit: 16_000_000n,
        });
      }
      expect(await s.staking.activeValidatorCount()).to.equal(1_000n);
      const large = await drawGas(s, taskId("large"));
      console.log(`      draw gas: ${small} (10 validators), ${large} (1,000 validators)`);
      expect(small).to.be.lessThan(2n * 239_000n);
      expect(large).to.be.lessThan(2n * 239_000n);
    });

    it("open (with a receipt), draw, commit, reveal, fifth draw and finalize per verdict stay within their ceilings", async () => {
      const s = await loadFixture(deployCrossCheck);
      const gasOf = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!.gasUsed;
      const report: Record<string, bigint> = {};
      const { tx: openTx } = await openWith(s, s.validators[0]);
      report.open = (await openTx.wait())!.gasUsed;
      await mine(1);
      report.draw = await gasOf(s.crossCheck.draw(1n));
      const checkers = (await s.crossCheck.checkInfo(1n)).drawn.slice(0, 3);
      const salt = ethers.id("salt");
      const signer = await ethers.getSigner(checkers[0]);
      report.commit = await gasOf(
        s.crossCheck.connect(signer).commit(1n, await s.crossCheck.commitmentOf(1n, checkers[0], A, salt)),
      );
      await time.increaseTo((await s.crossCheck.checkInfo(1n)).commitDeadline + 1n);
      report.reveal = await gasOf(s.crossCheck.connect(signer).reveal(1n, A, salt));
      // Each verdict on its own check.
      const run = async (label: string, said: Answer[], n: number, fifthSays?: Answer) => {
        const { checkId, checkers: cs } = await openAndDraw(s, s.validators[n % 4], taskId(`gas-${label}`));
        await playRound(s, checkId, new Map(cs.map((c, i) => [c, said[i]])));
        const g = await gasOf(s.crossCheck.finalize(checkId));
        if (fifthSays === undefined) return (report[`finalize ${label}`] = g);
        report["finalize (tie declared)"] = g;
        await mine(1);
        report["draw (fifth)"] = await gasOf(s.crossCheck.draw(checkId));
        const fifth = (await s.crossCheck.checkInfo(checkId)).drawn[3];
        await playRound(s, checkId, new Map([[fifth, fifthSays]]));
        report[`finalize ${label}`] = await gasOf(s.crossCheck.finalize(checkId));
      };
      await run("Invalid", [M, M, A], 1);
      await run("Pass", [A, A, A], 2);
      await run("CheckerSlashed", [A, A, B], 3);
      await run("PairedSlashed", [B, B, B], 4);
      await run("Inconclusive", [B, C, D], 5);
      await run("TieDecided", [A, B, B], 6, A);
      console.log(
        Object.entries(report)
          .map(([k, v]) => `      ${k}: ${v}`)
          .join("\n"),
      );
      // Ceilings about 10% above the measured values (open 255k with the signature check and three
      // history lookups; draw 252k with 8 validators).
      const ceilings: Record<string, bigint> = {
        open: 280_000n,
        draw: 2n * 239_000n,
        "draw (fifth)": 165_000n,
        commit: 57_000n,
        reveal: 60_000n,
        "finalize Invalid": 125_000n,
        "finalize Pass": 125_000n,
        "finalize Inconclusive": 125_000n,
        "finalize CheckerSlashed": 235_000n,
        "finalize PairedSlashed": 250_000n,
        "finalize (tie declared)": 62_000n,
        "finalize TieDecided": 275_000n,
      };
      for (const [label, ceiling] of Object.entries(ceilings)) expect(report[label], label).to.be.lessThan(ceiling);
    });
  });
});
