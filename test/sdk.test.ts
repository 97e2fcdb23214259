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
import { ParamType, id, type Signer } from "ethers";
import {
  CheckParty,
  DataGenError,
  DataGenSdkError,
  ERROR_MESSAGES,
  HolderClient,
  OracleClient,
  ValidatorClient,
  decodeError,
  formatDG,
  loadDeployment,
  readProofsFile,
  suiteErrorFragments,
  suiteErrorInterface,
  suiteFor,
  withPlainErrors,
  writeDeployment,
  writeProofsFile,
  type DeploymentRecord,
  type Suite,
} from "../sdk";
import { deployCrossCheck } from "./helpers/crosscheck";
import { suiteAddresses } from "../scripts/lib/deploySuite";

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

/** Records the fixture's deployment in a temporary folder and connects the SDK through it. */
async function sdkSuite() {
  const s = await deployCrossCheck();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-sdk-"));
  const { chainId } = await ethers.provider.getNetwork();
  const record: DeploymentRecord = {
    chainId: Number(chainId),
    network: "hardhat",
    deployer: s.deployer.address,
    blockNumber: await ethers.provider.getBlockNumber(),
    deployedAt: new Date(0).toISOString(),
    contracts: await suiteAddresses(s),
  };
  writeDeployment(record, dir);
  return { s, dir, record };
}

async function clientSuite(signer: Signer, dir: string): Promise<Suite> {
  return suiteFor(signer, dir);
}

describe("SDK", () => {
  describe("errors: every custom error of the suite in plain words", () => {
    const fragments = suiteErrorFragments();

    it("has a message for every error of the six contracts, and nothing else", () => {
      expect(fragments.length).to.equal(106);
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
      expect((error as DataGenError).message).to.equal("the stake of 5 DG is below the minimum of 10,000 DG");
      const unknown = await new OracleClient(await clientSuite(s.outsider, dir), s.outsider)
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

  describe("oracle client and check parties", () => {
    it("opens a check, draws, commits and reveals for every party, finalizes with the verdict", async () => {
      const { s, dir } = await loadFixture(sdkSuite);
      const oracle = new OracleClient(await clientSuite(s.coordinator, dir), s.coordinator);
      const paired = s.validators[0];
      const { checkId } = await oracle.openCheck(id("task"), s.user.address, paired.address);
      expect(checkId).to.equal(1n);
      await expect(oracle.draw(checkId)).to.be.rejectedWith(DataGenError, /^the seed block \d+ is not mined yet/);
      await mine(1);
      await oracle.draw(checkId);
      const info = await s.crossCheck.checkInfo(checkId);
      const parties = [s.user.address, paired.address, ...info.drawn.slice(0, 3)];
      const salts: string[] = [];
      for (const party of parties) {
        const signer = await ethers.getSigner(party);
        const { salt } = await new CheckParty(await clientSuite(signer, dir), signer).commitResult(
          checkId,
          id("result"),
        );
        salts.push(salt);
      }
      await time.increaseTo(info.commitDeadline + 1n);
      for (const [i, party] of parties.entries()) {
        const signer = await ethers.getSigner(party);
        await new CheckParty(await clientSuite(signer, dir), signer).revealResult(checkId, id("result"), salts[i]);
      }
      await time.increaseTo(info.revealDeadline + 1n);
      const { verdict } = await oracle.finalize(checkId);
      expect(verdict).to.equal("Pass");
    });
  });
});
