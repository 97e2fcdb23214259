/**
 * The SDK (sdk/): error decoding for every custom error of the suite, the deployment records, the
 * proofs files, and the validator, holder and oracle clients on the embedded network.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import hre from "hardhat";
import { ParamType, id } from "ethers";
import {
  CheckerClient,
  CoordinatorClient,
  DataGenError,
  DataGenSdkError,
  ERROR_MESSAGES,
  HolderClient,
  INPUT_MISMATCH,
  OracleClient,
  ValidatorClient,
  commitmentOf,
  decodeError,
  formatDG,
  hashInput,
  hashResult,
  loadDeployment,
  readProofsFile,
  readReceiptFile,
  readSaltFile,
  receiptDigest,
  receiptDomain,
  recoverReceiptSigner,
  saltFilePath,
  signReceipt,
  suiteErrorFragments,
  suiteErrorInterface,
  withPlainErrors,
  writeProofsFile,
  writeReceiptFile,
  type SignedReceipt,
} from "../sdk";
import { clientSuite, sdkSuite } from "./helpers/sdk";

const DG = 10n ** 18n;
const DAY = 86_400n;

/** A sample value of an ABI type, for encoding an error. */
function sample(type: ParamType): unknown {
  if (type.baseType === "address") return "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  if (type.baseType === "bool") return true;
  if (type.baseType === "bytes32") return id("sample");
  if (type.baseType === "string") return "sample";
  if (type.baseType.startsWith("uint")) return type.baseType === "uint8" ? 1n : 1_700_000_000n;
  throw new Error(`no sample for ${type.format()}`);
}

describe("SDK", () => {
  describe("errors: every custom error of the suite in plain words", () => {
    const fragments = suiteErrorFragments();

    it("has a message for every error of the six contracts, and nothing else", () => {
      expect(fragments.length).to.equal(119);
      expect(Object.keys(ERROR_MESSAGES).sort()).to.deep.equal(fragments.map((f) => f.name).sort());
    });

    for (const fragment of suiteErrorFragments()) {
      it(`decodes ${fragment.format("sighash")}`, () => {
        const args = fragment.inputs.map(sample);
        const data = suiteErrorInterface().encodeErrorResult(fragment, args);
        // The shapes ethers (CALL_EXCEPTION) and JSON-RPC nodes produce.
        for (const error of [
          { data },
          { error: { data } },
          { info: { error: { data: { data } } } },
          { cause: { data } },
        ]) {
          const decoded = decodeError(error);
          expect(decoded).to.be.instanceOf(DataGenError);
          expect(decoded!.errorName).to.equal(fragment.name);
          expect(decoded!.args.map(String)).to.deep.equal(args.map(String));
          expect(decoded!.message.length).to.be.greaterThan(10);
          expect(decoded!.message).to.not.include(fragment.name);
          expect(decoded!.message).to.not.include("\n");
        }
      });
    }

    it("leaves other errors alone", async () => {
      expect(decodeError(new Error("network down"))).to.equal(undefined);
      expect(decodeError({ data: "0xdeadbeef" })).to.equal(undefined);
      const other = new Error("boom");
      await expect(withPlainErrors(() => Promise.reject(other))).to.be.rejectedWith(other);
    });

    it("a real reverted transaction comes back as an exact sentence", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const newcomer = s.others[0];
      const client = new ValidatorClient(await clientSuite(newcomer, dir), newcomer);
      const error = await client.stake(5n * DG).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DataGenError);
      expect((error as DataGenError).errorName).to.equal("ValidatorStakingBelowMinimum");
      expect((error as DataGenError).message).to.equal(
        "the stake of 5 DG is below the minimum of 10,000 DG: a validator's active stake is 0 or at least 10,000 DG",
      );
      const unknown = await new CoordinatorClient(await clientSuite(s.outsider, dir), s.outsider)
        .finalize(7n)
        .catch((e: unknown) => e);
      expect((unknown as DataGenError).message).to.equal("there is no check 7");
    });

    it("formatDG is exact", () => {
      expect(formatDG(10_000n * DG)).to.equal("10,000 DG");
      expect(formatDG(DG / 2n)).to.equal("0.5 DG");
      expect(formatDG(DG + 1n)).to.equal("1.000000000000000001 DG");
      expect(formatDG(0n)).to.equal("0 DG");
      expect(formatDG(-1_234_567n * DG)).to.equal("-1,234,567 DG");
    });
  });

  describe("deployment records", () => {
    it("round-trip, and refuse a missing or malformed record with one line", async () => {
      const { record, dir } = await loadFixture(sdkSuite);
      expect(loadDeployment(record.chainId, dir)).to.deep.equal(record);
      expect(() => loadDeployment(97, dir)).to.throw(
        DataGenSdkError,
        /^no deployment recorded for chain 97 \(.*97\.json\): deploy first/,
      );
      fs.writeFileSync(path.join(dir, "56.json"), "{");
      expect(() => loadDeployment(56, dir)).to.throw(DataGenSdkError, /56\.json: not valid JSON/);
      fs.writeFileSync(
        path.join(dir, "56.json"),
        JSON.stringify({ ...record, chainId: 56, contracts: { ...record.contracts, CrossCheck: "0x12" } }),
      );
      expect(() => loadDeployment(56, dir)).to.throw(
        DataGenSdkError,
        /the address of CrossCheck is missing or invalid/,
      );
      fs.writeFileSync(path.join(dir, "56.json"), JSON.stringify(record));
      expect(() => loadDeployment(56, dir)).to.throw(
        DataGenSdkError,
        new RegExp(`recorded for chain ${record.chainId}, not 56`),
      );
    });
  });

  describe("validator client", () => {
    it("stakes with a permit in one transaction, tops up, unbonds and withdraws", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const v = s.others[0];
      const client = new ValidatorClient(await clientSuite(v, dir), v);
      const nonce = await ethers.provider.getTransactionCount(v.address);
      await client.stake(10_000n * DG);
      expect(await ethers.provider.getTransactionCount(v.address), "one transaction").to.equal(nonce + 1);
      let status = await client.status();
      expect(status.status).to.equal("Active");
      expect(status.active).to.equal(10_000n * DG);
      await client.topUp(2_500n * DG, { permit: false });
      expect((await client.status()).active).to.equal(12_500n * DG);
      await client.requestUnbond(12_500n * DG);
      status = await client.status();
      expect(status.status).to.equal("CoolingDown");
      expect(status.unbonding).to.equal(12_500n * DG);
      expect(status.canWithdrawAt).to.equal(status.unbondingEnd);
      await expect(client.withdraw()).to.be.rejectedWith(DataGenError, /^the unbonding cooldown ends at /);
      await time.increaseTo(status.unbondingEnd);
      const before = await s.token.balanceOf(v.address);
      await client.withdraw();
      expect((await s.token.balanceOf(v.address)) - before).to.equal(12_500n * DG);
      expect((await client.status()).status).to.equal("None");
    });

    it("claims two epochs from two proofs files in one call, exactly as the contract computes", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const oracleSuite = await clientSuite(s.deployer, dir);
      const oracle = new OracleClient(oracleSuite, s.deployer);
      const [v1, v2] = s.validators;
      const genesis = await s.rewards.genesis();
      const files: string[] = [];
      for (const epoch of [0n, 1n]) {
        const { built, proofs } = await oracle.buildEpoch(epoch, [
          { validator: v1.address, compute: 3n + epoch },
          { validator: v2.address, compute: 7n },
        ]);
        const ended = genesis + (epoch + 1n) * DAY;
        if (BigInt(await time.latest()) < ended) await time.increaseTo(ended);
        await oracle.postEpoch(epoch, built);
        const file = path.join(dir, `epoch-${epoch}.json`);
        writeProofsFile(file, proofs);
        files.push(file);
        await time.increaseTo(await s.rewards.activatesAt(epoch));
      }
      const client = new ValidatorClient(await clientSuite(v1, dir), v1);
      const expected =
        ((await s.rewards.getEpoch(0n)).pool * 3n) / 10n + ((await s.rewards.getEpoch(1n)).pool * 4n) / 11n;
      const nonce = await ethers.provider.getTransactionCount(v1.address);
      const result = await client.claimFromProofs(files);
      expect(await ethers.provider.getTransactionCount(v1.address)).to.equal(nonce + 1);
      expect(result.epochs).to.deep.equal([0n, 1n]);
      expect(result.paid).to.equal(expected);
      await expect(client.claimFromProofs(files)).to.be.rejectedWith(
        DataGenSdkError,
        "nothing to claim (epoch 0: already settled; epoch 1: already settled)",
      );
      const outsider = new ValidatorClient(await clientSuite(s.outsider, dir), s.outsider);
      await expect(outsider.claimFromProofs(files[0])).to.be.rejectedWith(
        DataGenSdkError,
        /^nothing to claim \(epoch 0: no leaf for/,
      );
    });
  });

  describe("proofs files", () => {
    it("round-trip, and refuse malformed files with one line", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const oracle = new OracleClient(await clientSuite(s.deployer, dir), s.deployer);
      const { proofs } = await oracle.buildEpoch(4n, [{ validator: s.validators[0].address, compute: 9n }]);
      const file = path.join(dir, "p.json");
      writeProofsFile(file, proofs);
      expect(readProofsFile(file)).to.deep.equal(proofs);
      const bad = (content: unknown, pattern: RegExp) => {
        fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
        expect(() => readProofsFile(file)).to.throw(DataGenSdkError, pattern);
      };
      bad("{", /not valid JSON/);
      bad([], /not a proofs file object/);
      bad({ ...proofs, format: "other" }, /format must be/);
      bad({ ...proofs, epoch: "-1" }, /epoch must be a decimal string/);
      bad({ ...proofs, root: "0x12" }, /root must be 32 bytes in hex/);
      bad({ ...proofs, distributor: "nope" }, /distributor must be an address/);
      bad({ ...proofs, proofs: { nope: { compute: "1", proof: [] } } }, /"nope" is not an address/);
      bad(
        { ...proofs, proofs: { [s.validators[0].address]: { compute: "x", proof: [] } } },
        /compute must be a decimal string/,
      );
      bad(
        { ...proofs, proofs: { [s.validators[0].address]: { compute: "1", proof: ["0x1"] } } },
        /proof must be a list of 32-byte hex hashes/,
      );
      expect(() => readProofsFile(path.join(dir, "missing.json"))).to.throw(DataGenSdkError, /ENOENT/);
    });
  });

  describe("holder client", () => {
    it("proposes, backs, votes, reads the queue and the running vote, settles, withdraws exactly its own", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const [alice, bob] = s.others;
      const a = new HolderClient(await clientSuite(alice, dir), alice);
      const b = new HolderClient(await clientSuite(bob, dir), bob);
      const start = { alice: await s.token.balanceOf(alice.address), bob: await s.token.balanceOf(bob.address) };
      const { proposalId, deposit } = await a.propose(2_000n, 7n * DAY);
      expect(proposalId).to.equal(1n);
      expect(deposit).to.equal(1_000n * DG);
      expect((await a.proposal(1n)).state).to.equal("Pooling");
      expect((await a.proposal(1n)).deposit).to.equal(1_000n * DG);
      await a.back(1n, 60_000n * DG);
      await b.back(1n, 60_000n * DG); // only 40,000 DG fill the pool
      const running = await a.runningVote();
      expect(running?.id).to.equal(1n);
      expect(running?.state).to.equal("Voting");
      expect(running?.pooled).to.equal(100_000n * DG);
      expect(await a.queue()).to.deep.equal([]);
      // A second full pool waits in the queue.
      const { proposalId: second } = await b.propose(3_000n, 7n * DAY);
      await s.token.transfer(bob.address, 100_000n * DG);
      await b.back(second, 100_000n * DG);
      expect((await a.queue()).map((p) => [p.id, p.state])).to.deep.equal([[2n, "Queued"]]);
      // Bob leaves the queue and comes back: proposal 2 pools, then queues again.
      await b.withdrawBacking(second, 1n);
      expect(await a.queue()).to.deep.equal([]);
      expect((await a.proposal(second)).state).to.equal("Pooling");
      await b.back(second, 1n);
      expect((await a.queue()).map((p) => [p.id, p.state])).to.deep.equal([[2n, "Queued"]]);
      // 30,000,000 DG supply, quorum 1% = 300,000 DG.
      await s.token.transfer(alice.address, 300_000n * DG);
      await a.vote(1n, true, 300_000n * DG);
      await expect(a.settle(1n)).to.be.rejectedWith(DataGenError, /^the vote on proposal 1 runs until /);
      await time.increaseTo((await a.proposal(1n)).votingEnd);
      await a.settle(1n);
      expect((await a.proposal(1n)).state).to.equal("Passed");
      expect(await s.reservation.burnBps()).to.equal(2_000n);
      await a.withdraw(1n);
      await b.withdraw(1n);
      // Alice gets her deposit back (participation reached the quorum); Bob's sits in proposal 2.
      expect(await s.token.balanceOf(alice.address)).to.equal(start.alice + 300_000n * DG);
      expect(await s.token.balanceOf(bob.address)).to.equal(start.bob - 1_000n * DG); // + 100,000 DG in proposal 2
      expect((await a.runningVote())?.id).to.equal(2n);
    });
  });

  describe("validator status and the escrow's rules", () => {
    it("status shows the current admission (admittedAt, leftAt); rules show the slasher, share and pending changes", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const v = s.others[0];
      const client = new ValidatorClient(await clientSuite(v, dir), v);
      await client.stake(10_000n * DG);
      const admitted = BigInt(await time.latest());
      expect([(await client.status()).admittedAt, (await client.status()).leftAt]).to.deep.equal([admitted, 0n]);
      await client.requestUnbond(10_000n * DG);
      const left = BigInt(await time.latest());
      const status = await client.status();
      expect([status.status, status.admittedAt, status.leftAt]).to.deep.equal(["CoolingDown", admitted, left]);

      const rules = await client.rules();
      expect(rules).to.deep.equal({
        slasher: await s.crossCheck.getAddress(),
        slashRewardBps: 5_000n,
        maxSlashRewardBps: 5_000n,
        cooldown: 7n * DAY,
        ruleChangeDelay: 9n * DAY,
        pendingSlasher: undefined,
        pendingSlashRewardBps: undefined,
      });
      await s.staking.connect(s.deployer).scheduleSlashRewardBps(1_000n);
      const effectiveAt = BigInt(await time.latest()) + 9n * DAY;
      expect((await client.rules()).pendingSlashRewardBps).to.deep.equal({ bps: 1_000n, effectiveAt });
      expect((await client.rules()).slashRewardBps).to.equal(5_000n);
      await time.increaseTo(effectiveAt);
      const later = await client.rules();
      expect([later.slashRewardBps, later.pendingSlashRewardBps]).to.deep.equal([1_000n, undefined]);
    });
  });

  describe("delivery receipts: the paired validator signs, the coordinator opens", () => {
    async function signed(s: Awaited<ReturnType<typeof sdkSuite>>["s"], dir: string, task = "job-1") {
      const paired = s.validators[0];
      return signReceipt(await clientSuite(paired, dir), paired, {
        taskId: task,
        user: s.user.address,
        input: "the input",
        result: "the result",
      });
    }

    it("signs the EIP-712 receipt the contract verifies (same digest, recovers the paired validator)", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const r = await signed(s, dir);
      const { chainId } = await ethers.provider.getNetwork();
      const crossCheck = await s.crossCheck.getAddress();
      expect(r.receipt).to.deep.equal({
        taskId: id("job-1"),
        user: s.user.address,
        inputHash: hashInput("the input"),
        resultHash: hashResult("the result"),
        deliveredAt: BigInt(await time.latest()),
      });
      expect([r.chainId, r.crossCheck, r.paired]).to.deep.equal([chainId, crossCheck, s.validators[0].address]);
      const domain = receiptDomain(chainId, crossCheck);
      expect(receiptDigest(r.receipt, domain)).to.equal(await s.crossCheck.receiptDigest(r.receipt));
      expect(recoverReceiptSigner(r.receipt, r.signature, domain)).to.equal(s.validators[0].address);
      const eip712 = await s.crossCheck.eip712Domain();
      expect([eip712.name, eip712.version, eip712.chainId, eip712.verifyingContract]).to.deep.equal([
        "CrossCheck",
        "1",
        chainId,
        crossCheck,
      ]);
      expect(INPUT_MISMATCH).to.equal(await s.crossCheck.INPUT_MISMATCH());
    });

    it("opens a check from a receipt file; the check holds the receipt's hashes", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const r = await signed(s, dir);
      const file = path.join(dir, "receipt.json");
      writeReceiptFile(file, r);
      expect(readReceiptFile(file)).to.deep.equal(r);
      const coordinator = new CoordinatorClient(await clientSuite(s.coordinator, dir), s.coordinator);
      const { checkId, snapshotBlock, transaction } = await coordinator.openSigned(readReceiptFile(file));
      expect(checkId).to.equal(1n);
      expect(snapshotBlock).to.equal(BigInt(transaction.blockNumber - 1));
      const info = await s.crossCheck.checkInfo(checkId);
      expect([info.taskId, info.user, info.paired, info.resultHash, info.inputHash]).to.deep.equal([
        id("job-1"),
        s.user.address,
        s.validators[0].address,
        hashResult("the result"),
        hashInput("the input"),
      ]);
    });

    describe("refuses before sending what the contract would refuse, in one line", () => {
      const cases: [
        string,
        (r: SignedReceipt, s: Awaited<ReturnType<typeof sdkSuite>>["s"], dir: string) => Promise<SignedReceipt>,
        RegExp,
        string,
      ][] = [
        [
          "an expired receipt",
          async (r) => {
            await time.increase(72n * 3_600n + 1n);
            return r;
          },
          /^the receipt was delivered at .*, more than 259200 s before the latest block \(.*\): it expired$/,
          "CrossCheckReceiptExpired",
        ],
        [
          "a receipt from the future",
          async (r, s, dir) => {
            const paired = s.validators[0];
            return signReceipt(await clientSuite(paired, dir), paired, {
              ...r.receipt,
              deliveredAt: r.receipt.deliveredAt + 3_600n,
            });
          },
          /^the receipt says it was delivered at .*, after the latest block \(.*\): it is from the future$/,
          "CrossCheckReceiptFromFuture",
        ],
        [
          "a receipt signed by another validator",
          async (r, s, dir) => {
            const other = s.validators[1];
            const forged = await signReceipt(await clientSuite(other, dir), other, r.receipt);
            return { ...forged, paired: r.paired };
          },
          /^the receipt is signed by 0x[0-9a-fA-F]{40}, not by the paired validator 0x[0-9a-fA-F]{40} \(on chain 31337, CrossCheck 0x/,
          "CrossCheckBadSignature",
        ],
        [
          "a task already checked",
          async (r, s, dir) => {
            await new CoordinatorClient(await clientSuite(s.coordinator, dir), s.coordinator).openSigned(r);
            return r;
          },
          /^task 0x[0-9a-f]{64} is already checked by check 1$/,
          "CrossCheckTaskAlreadyChecked",
        ],
        [
          "a receipt whose result hash is INPUT_MISMATCH",
          async (r) => ({ ...r, receipt: { ...r.receipt, resultHash: INPUT_MISMATCH } }),
          /^the receipt's result hash is the INPUT_MISMATCH constant, not a result$/,
          "CrossCheckBadReceiptHash",
        ],
      ];
      for (const [what, make, message, contractError] of cases) {
        it(what, async () => {
          const { s, dir } = await loadFixture(sdkSuite);
          const r = await make(await signed(s, dir), s, dir);
          const coordinator = new CoordinatorClient(await clientSuite(s.coordinator, dir), s.coordinator);
          const block = await ethers.provider.getBlockNumber();
          const checks = await s.crossCheck.checkCount();
          await expect(coordinator.open(r.receipt, r.paired, r.signature)).to.be.rejectedWith(DataGenSdkError, message);
          expect(await ethers.provider.getBlockNumber(), "nothing sent").to.equal(block);
          expect(await s.crossCheck.checkCount()).to.equal(checks);
          // The contract refuses the same receipt with its own error.
          await expect(
            s.crossCheck.connect(s.coordinator).open(r.receipt, r.paired, r.signature),
          ).to.be.revertedWithCustomError(s.crossCheck, contractError);
        });
      }

      it("a receipt file for another chain, or malformed", async () => {
        const { s, dir } = await loadFixture(sdkSuite);
        const r = await signed(s, dir);
        const coordinator = new CoordinatorClient(await clientSuite(s.coordinator, dir), s.coordinator);
        await expect(coordinator.openSigned({ ...r, chainId: 97n })).to.be.rejectedWith(
          DataGenSdkError,
          "the receipt is for chain 97, not this network's chain 31337",
        );
        const file = path.join(dir, "bad-receipt.json");
        const bad = (content: unknown, pattern: RegExp) => {
          fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
          expect(() => readReceiptFile(file)).to.throw(DataGenSdkError, pattern);
        };
        writeReceiptFile(file, r);
        const good = JSON.parse(fs.readFileSync(file, "utf8"));
        bad("{", /not valid JSON/);
        bad({ ...good, paired: "nope" }, /paired must be an address/);
        bad({ ...good, signature: "xyz" }, /signature must be hex bytes/);
        bad({ ...good, receipt: { ...good.receipt, inputHash: "0x12" } }, /receipt\.inputHash must be 32 bytes in hex/);
        bad(
          { ...good, receipt: { ...good.receipt, deliveredAt: "-1" } },
          /receipt\.deliveredAt must be a decimal string/,
        );
        bad({ ...good, receipt: { ...good.receipt, user: good.paired } }, /cannot be its own paired validator/);
      });
    });
  });

  describe("checkers: local commitments, the salt stored before the commit, reveal from the salt file", () => {
    /** Records every JSON-RPC request the SDK sends while `action` runs. */
    async function recordRpc<T>(requests: string[], action: () => Promise<T>): Promise<T> {
      const provider = hre.network.provider as unknown as { send: (m: string, p?: unknown[]) => Promise<unknown> };
      const original = provider.send;
      provider.send = function (method: string, params?: unknown[]) {
        requests.push(
          `${method} ${JSON.stringify(params ?? [], (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`,
        );
        return original.call(this, method, params);
      };
      try {
        return await action();
      } finally {
        provider.send = original;
      }
    }

    async function openedCheck() {
      const { s, dir } = await loadFixture(sdkSuite);
      const paired = s.validators[0];
      const r = await signReceipt(await clientSuite(paired, dir), paired, {
        taskId: "job-7",
        user: s.user.address,
        input: "the input",
        result: "the result",
      });
      const coordinator = new CoordinatorClient(await clientSuite(s.coordinator, dir), s.coordinator);
      const { checkId } = await coordinator.open(r.receipt, r.paired, r.signature);
      await mine(1);
      await coordinator.draw(checkId);
      const info = await s.crossCheck.checkInfo(checkId);
      const checkers = await Promise.all(info.drawn.slice(0, 3).map((a) => ethers.getSigner(a)));
      const saltDir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-salts-"));
      return { s, dir, checkId, info, checkers, coordinator, saltDir };
    }

    it("commits a commitment computed locally (equal to the contract's), no secret in any RPC request, salt on disk first", async () => {
      const { s, dir, checkId, checkers, saltDir } = await openedCheck();
      const checker = checkers[0];
      const client = new CheckerClient(await clientSuite(checker, dir), checker);
      const resultHash = hashResult("the result");
      let atStore: { requests: number; mode: number; record: ReturnType<typeof readSaltFile> } | undefined;
      const requests: string[] = [];
      const result = await recordRpc(requests, () =>
        client.commitResult(checkId, resultHash, {
          saltDir,
          onSaltStored: (file) => {
            atStore = {
              requests: requests.length,
              mode: fs.statSync(file).mode & 0o777,
              record: readSaltFile(file),
            };
          },
        }),
      );
      const { chainId } = await ethers.provider.getNetwork();
      const crossCheck = await s.crossCheck.getAddress();
      // Same commitment as the contract's view, and as committed.
      expect(result.commitment).to.equal(
        await s.crossCheck.commitmentOf(checkId, checker.address, resultHash, result.salt),
      );
      expect(result.commitment).to.equal(
        commitmentOf({ chainId, crossCheck, checkId, party: checker.address, resultHash, salt: result.salt }),
      );
      expect((await s.crossCheck.submission(checkId, checker.address))[0]).to.equal(result.commitment);
      // Neither the salt nor the hash went to the node; the commitment did, after the salt was stored.
      const secrets = [result.salt.slice(2), resultHash.slice(2)];
      for (const request of requests)
        for (const secret of secrets) expect(request.toLowerCase()).to.not.include(secret);
      const sent = requests.findIndex((r) => r.startsWith("eth_sendTransaction"));
      expect(sent, requests.join("\n")).to.be.greaterThan(-1);
      expect(requests[sent].toLowerCase()).to.include(result.commitment.slice(2));
      expect(atStore, "salt stored").to.not.equal(undefined);
      expect(atStore!.requests, "salt stored before the commit was sent").to.be.at.most(sent);
      expect(atStore!.mode).to.equal(0o600);
      expect(result.saltFile).to.equal(saltFilePath({ chainId, crossCheck, checkId, party: checker.address }, saltDir));
      expect(path.basename(result.saltFile)).to.equal(`${chainId}-${crossCheck}-${checkId}-${checker.address}.json`);
      expect(atStore!.record).to.deep.equal({
        format: "datagen-salt/1",
        chainId: chainId.toString(),
        crossCheck,
        checkId: checkId.toString(),
        party: checker.address,
        resultHash,
        salt: result.salt,
        commitment: result.commitment,
      });
      // A second commit is refused before anything is sent, and the salt file stays.
      await expect(client.commitResult(checkId, resultHash, { saltDir })).to.be.rejectedWith(
        DataGenSdkError,
        /already committed to check 1 \(its salt should be in /,
      );
      expect(readSaltFile(result.saltFile).salt).to.equal(result.salt);
    });

    it("refuses what the contract's commit would refuse before storing a salt: no file, nothing sent, no secret in any request", async () => {
      const { s, dir, checkId, info, checkers, saltDir } = await openedCheck();
      const outsider = s.others[3];
      const cases: [what: string, who: typeof outsider, id: bigint, name: string, args?: unknown[]][] = [
        ["an unknown check", checkers[0], 99n, "CrossCheckUnknownCheck", [99n]],
        ["a signer not drawn", outsider, checkId, "CrossCheckNotAParty", [checkId, outsider.address]],
      ];
      const refuse = async (what: string, who: typeof outsider, check: bigint, name: string, args?: unknown[]) => {
        const client = new CheckerClient(await clientSuite(who, dir), who);
        const resultHash = hashResult(`answer of ${what}`);
        const nonce = await ethers.provider.getTransactionCount(who.address);
        const requests: string[] = [];
        const thrown = await recordRpc(requests, () => client.commitResult(check, resultHash, { saltDir })).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(thrown, what).to.be.instanceOf(DataGenError);
        expect((thrown as DataGenError).errorName, what).to.equal(name);
        if (args) expect((thrown as DataGenError).args, what).to.deep.equal(args);
        expect(fs.readdirSync(saltDir), `${what}: no salt stored`).to.deep.equal([]);
        expect(await ethers.provider.getTransactionCount(who.address), `${what}: nothing sent`).to.equal(nonce);
        for (const request of requests) expect(request.toLowerCase(), what).to.not.include(resultHash.slice(2));
        // the contract refuses the same commit with the same error
        const reverted = await s.crossCheck
          .connect(who)
          .commit.estimateGas(check, id("any commitment"))
          .then(
            () => undefined,
            (e: unknown) => decodeError(e),
          );
        expect([reverted?.errorName, reverted?.message], what).to.deep.equal([name, (thrown as Error).message]);
      };
      for (const c of cases) await refuse(...c);
      // after the commit window: refused as closed, still no salt stored
      await time.increaseTo(info.commitDeadline);
      await refuse("a closed commit window", checkers[0], checkId, "CrossCheckCommitClosed", [
        info.commitDeadline + 1n,
        info.commitDeadline,
      ]);
    });

    it("refuses a check awaiting its draw without storing a salt; once drawn, the checker commits any answer", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const paired = s.validators[0];
      const r = await signReceipt(await clientSuite(paired, dir), paired, {
        taskId: "job-8",
        user: s.user.address,
        input: "the input",
        result: "the result",
      });
      const coordinator = new CoordinatorClient(await clientSuite(s.coordinator, dir), s.coordinator);
      const { checkId } = await coordinator.open(r.receipt, r.paired, r.signature);
      const saltDir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-salts-"));
      const someone = s.validators[1];
      const early = new CheckerClient(await clientSuite(someone, dir), someone);
      const nonce = await ethers.provider.getTransactionCount(someone.address);
      await expect(early.commitResult(checkId, hashResult("first"), { saltDir })).to.be.rejectedWith(
        DataGenError,
        `check ${checkId} is awaiting its draw, which does not allow this`,
      );
      expect(fs.readdirSync(saltDir)).to.deep.equal([]);
      expect(await ethers.provider.getTransactionCount(someone.address)).to.equal(nonce);
      await mine(1);
      await coordinator.draw(checkId);
      const drawn = await ethers.getSigner((await s.crossCheck.checkInfo(checkId)).drawn[0]);
      const client = new CheckerClient(await clientSuite(drawn, dir), drawn);
      const committed = await client.commitResult(checkId, hashResult("second"), { saltDir });
      expect((await s.crossCheck.submission(checkId, drawn.address))[0]).to.equal(committed.commitment);
    });

    it("three honest checkers reveal from their salt files: Pass; a restart reuses the stored salt", async () => {
      const { s, dir, checkId, info, checkers, coordinator, saltDir } = await openedCheck();
      const H = hashResult("the result");
      // A crash after the salt was stored and before the commit was sent: the same salt is used again.
      const first = new CheckerClient(await clientSuite(checkers[0], dir), checkers[0]);
      const file = await first.saltFileFor(checkId, { saltDir });
      const failing = await first
        .commitResult(checkId, H, {
          saltDir,
          onSaltStored: () => {
            throw new Error("crash");
          },
        })
        .catch((e: Error) => e);
      expect((failing as Error).message).to.equal("crash");
      const stored = readSaltFile(file);
      expect((await s.crossCheck.submission(checkId, checkers[0].address))[0]).to.equal(`0x${"0".repeat(64)}`);
      await expect(first.commitResult(checkId, hashResult("other"), { saltDir })).to.be.rejectedWith(
        DataGenSdkError,
        /holds a salt for the result hash 0x[0-9a-f]{64}, not 0x[0-9a-f]{64}: remove it first/,
      );
      expect((await first.commitResult(checkId, H, { saltDir })).salt).to.equal(stored.salt);
      for (const checker of checkers.slice(1)) {
        const client = new CheckerClient(await clientSuite(checker, dir), checker);
        const { resultHash } = await client.answer(checkId, "the input", () => "the result");
        expect(resultHash).to.equal(H);
        await client.commitResult(checkId, resultHash, { saltDir });
      }
      await expect(first.revealResult(checkId, { saltDir })).to.be.rejectedWith(
        DataGenError,
        /^reveals open after the commit deadline/,
      );
      await time.increaseTo(info.commitDeadline + 1n);
      // A salt file of another party is refused before sending.
      const second = new CheckerClient(await clientSuite(checkers[1], dir), checkers[1]);
      await expect(second.revealResult(checkId, { saltFile: file })).to.be.rejectedWith(
        DataGenSdkError,
        new RegExp(
          `is the salt of check 1 of ${checkers[0].address} .*, not of check 1 of ${checkers[1].address} here$`,
        ),
      );
      for (const checker of checkers) {
        const revealed = await new CheckerClient(await clientSuite(checker, dir), checker).revealResult(checkId, {
          saltDir,
        });
        expect(revealed.resultHash).to.equal(H);
      }
      await time.increaseTo(info.revealDeadline + 1n);
      expect((await coordinator.finalize(checkId)).verdict).to.equal("Pass");
    });

    it("two checkers given an input that does not hash to the receipt's answer INPUT_MISMATCH: Invalid", async () => {
      const { dir, checkId, info, checkers, coordinator, saltDir } = await openedCheck();
      const inputs = ["the input", "a tampered input", "another tampered input"];
      let computed = 0;
      for (const [i, checker] of checkers.entries()) {
        const client = new CheckerClient(await clientSuite(checker, dir), checker);
        const answer = await client.answer(checkId, inputs[i], (input) => {
          computed += 1;
          return `result of ${input}`;
        });
        expect(answer.inputMatches).to.equal(i === 0);
        expect(answer.resultHash).to.equal(i === 0 ? hashResult("result of the input") : INPUT_MISMATCH);
        await client.commitResult(checkId, answer.resultHash, { saltDir });
      }
      expect(computed, "compute runs only on a matching input").to.equal(1);
      await time.increaseTo(info.commitDeadline + 1n);
      for (const checker of checkers) {
        await new CheckerClient(await clientSuite(checker, dir), checker).revealResult(checkId, { saltDir });
      }
      await time.increaseTo(info.revealDeadline + 1n);
      expect((await coordinator.finalize(checkId)).verdict).to.equal("Invalid");
    });
  });
});
