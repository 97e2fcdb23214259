/**
 * `dg:deploy` against a real JSON-RPC node process (anvil, acting as BSC testnet, chain 97) started
 * on 127.0.0.1 by the test: the whole suite deployed, wired and funded in one command, its addresses
 * recorded; an interrupted deployment resumed to the same addresses; each pre-flight refusal, with
 * nothing sent.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { HDNodeWallet, Mnemonic, NonceManager, Wallet, ZeroAddress, id } from "ethers";
import { DataGenError, HolderClient, ValidatorClient, suiteFor } from "../sdk";
import { DEPLOY_GAS_BUDGET } from "../tasks/lib/preflight";
import type { DeploymentRecord } from "../sdk/deployments";
import { blockNumber, runHardhat, spawnHardhat, startAnvil, txCount, type RunningNode } from "./helpers/node";
import { REAL_BUILD } from "./helpers/fixtures";
import {
  ComputeRewards__factory,
  CrossCheck__factory,
  DataGen__factory,
  MiningReservation__factory,
  ValidatorStaking__factory,
} from "../typechain-types";

/** Key of anvil's account `i` (the well-known test mnemonic): 10,000 ETH each on a fresh node. */
function accountKey(i: number): string {
  return HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
    `m/44'/60'/0'/0/${i}`,
  ).privateKey;
}
const FUNDED_KEY = accountKey(0);
const DG = 10n ** 18n;

function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dg-${label}-`));
}

/** Environment of a bscTestnet deployment to `node`, with journal and records in temporary folders. */
function testnetEnv(node: RunningNode, dirs: { ignition: string; records: string }, key = FUNDED_KEY) {
  return {
    BSC_TESTNET_RPC_URL: node.url,
    DEPLOYER_PRIVATE_KEY: key,
    DG_IGNITION_DIR: dirs.ignition,
    DG_DEPLOYMENTS_DIR: dirs.records,
  };
}

function readRecord(dir: string, chainId: number): DeploymentRecord {
  return JSON.parse(fs.readFileSync(path.join(dir, `${chainId}.json`), "utf8")) as DeploymentRecord;
}

describe(`dg:deploy against a real node (anvil, chain 97) ${REAL_BUILD}`, function () {
  this.timeout(240_000);

  describe("a full deployment", () => {
    let node: RunningNode;
    const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
    let record: DeploymentRecord;

    before(async () => {
      node = await startAnvil({ chainId: 97 });
      const run = await runHardhat(
        ["dg:deploy", "--network", "bscTestnet", "--confirmations", "1"],
        testnetEnv(node, dirs),
      );
      expect(run.stderr.trim(), run.stderr).to.equal("");
      expect(run.code).to.equal(0);
      record = readRecord(dirs.records, 97);
    });
    after(async () => node?.stop());

    it("records every address for chain 97, each holding code", async () => {
      expect(record.chainId).to.equal(97);
      expect(record.network).to.equal("bscTestnet");
      expect(record.deployer).to.equal(new Wallet(FUNDED_KEY).address);
      expect(Object.keys(record.contracts).sort()).to.deep.equal([
        "ComputeRewards",
        "CrossCheck",
        "DataGen",
        "InflationVote",
        "MiningReservation",
        "ValidatorStaking",
      ]);
      for (const address of Object.values(record.contracts)) {
        expect(await node.provider.getCode(address), address).to.not.equal("0x");
      }
    });

    it("wires and funds the suite: reserve, beneficiary, vote, slasher, coordinator, oracle, guardian", async () => {
      const c = record.contracts;
      const token = DataGen__factory.connect(c.DataGen, node.provider);
      const reservation = MiningReservation__factory.connect(c.MiningReservation, node.provider);
      const staking = ValidatorStaking__factory.connect(c.ValidatorStaking, node.provider);
      const rewards = ComputeRewards__factory.connect(c.ComputeRewards, node.provider);
      const crossCheck = CrossCheck__factory.connect(c.CrossCheck, node.provider);
      expect(await token.balanceOf(c.MiningReservation)).to.equal(15_000_000n * DG);
      expect(await token.balanceOf(record.deployer)).to.equal(15_000_000n * DG);
      expect(await reservation.beneficiary()).to.equal(c.ComputeRewards);
      expect(await reservation.inflationVote()).to.equal(c.InflationVote);
      // The slasher is set once at wiring (no role anyone could grant again); nothing pending.
      expect(await staking.slasher()).to.equal(c.CrossCheck);
      expect(await staking.pendingSlasher()).to.deep.equal([ZeroAddress, 0n]);
      expect(await staking.slashRewardBps()).to.equal(5_000n);
      expect(await crossCheck.maxReceiptAge()).to.equal(72n * 3_600n);
      expect(await staking.cooldown()).to.be.greaterThan(
        (await crossCheck.maxReceiptAge()) +
          2n * ((await crossCheck.commitWindow()) + (await crossCheck.revealWindow())),
      );
      expect(await crossCheck.hasRole(id("COORDINATOR_ROLE"), record.deployer)).to.equal(true);
      expect(await rewards.hasRole(id("ORACLE_ROLE"), record.deployer)).to.equal(true);
      expect(await rewards.hasRole(id("GUARDIAN_ROLE"), record.deployer)).to.equal(true);
      // A fresh network's schedule starts at the next UTC midnight.
      const start = await reservation.start();
      expect(start % 86_400n).to.equal(0n);
      const latest = BigInt((await node.provider.getBlock("latest"))!.timestamp);
      expect(start > latest && start <= latest + 86_400n).to.equal(true);
    });

    it("used less gas than the pre-flight's budget", async () => {
      let gas = 0n;
      const last = await blockNumber(node);
      for (let b = 1; b <= last; b++) {
        const block = (await node.provider.getBlock(b))!;
        for (const hash of block.transactions) gas += (await node.provider.getTransactionReceipt(hash))!.gasUsed;
      }
      expect(gas > 0n && gas <= DEPLOY_GAS_BUDGET, `deployment gas ${gas}`).to.equal(true);
    });

    it("the SDK finds the deployment by chain id and runs the validator and holder flows against the node", async () => {
      const deployer = new NonceManager(new Wallet(FUNDED_KEY, node.provider));
      const validator = new Wallet(accountKey(1), node.provider);
      const holder = new Wallet(accountKey(2), node.provider);
      const owner = await suiteFor(deployer, dirs.records);
      expect(owner.record.contracts).to.deep.equal(record.contracts);
      await (await owner.token.transfer(validator.address, 50_000n * DG)).wait();
      await (await owner.token.transfer(holder.address, 200_000n * DG)).wait();

      // Validator: a permit stake in one transaction, status, a plain-words refusal from the node.
      const v = new ValidatorClient(await suiteFor(validator, dirs.records), validator);
      const nonce = await txCount(node, validator.address);
      await v.stake(15_000n * DG);
      expect(await txCount(node, validator.address)).to.equal(nonce + 1);
      const status = await v.status();
      expect([status.status, status.active]).to.deep.equal(["Active", 15_000n * DG]);
      await v.requestUnbond(4_000n * DG);
      expect((await v.status()).unbonding).to.equal(4_000n * DG);
      const refused = await v.requestUnbond(2_000n * DG).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(DataGenError);
      expect((refused as DataGenError).message).to.equal("the stake of 9,000 DG is below the minimum of 10,000 DG");
      const early = await v.withdraw().catch((e: unknown) => e);
      expect((early as DataGenError).errorName).to.equal("ValidatorStakingCooldownNotOver");

      // Holder: propose, back the whole pool (the vote opens), vote, read it back.
      const h = new HolderClient(await suiteFor(holder, dirs.records), holder);
      const { proposalId, deposit } = await h.propose(2_500n, 7n * 86_400n);
      expect(deposit).to.equal(1_000n * DG); // the parameter file's proposalDeposit
      await h.back(proposalId, 100_000n * DG);
      await h.vote(proposalId, true, 50_000n * DG);
      const running = await h.runningVote();
      expect(running?.id).to.equal(proposalId);
      expect([running?.state, running?.pooled, running?.forVotes]).to.deep.equal([
        "Voting",
        100_000n * DG,
        50_000n * DG,
      ]);
      const tooSmall = await new HolderClient(owner, deployer).vote(proposalId, true, 1n).catch((e: unknown) => e);
      expect((tooSmall as DataGenError).message).to.equal(
        "a vote locks at least 20 DG; 0.000000000000000001 DG is too little",
      );
      // Its 100,000 DG pool, 50,000 DG vote and 1,000 DG deposit sit in the vote contract.
      expect(await owner.token.balanceOf(holder.address)).to.equal(49_000n * DG);
    });

    it("running it again changes nothing: same addresses, no transaction", async () => {
      const before = await blockNumber(node);
      const run = await runHardhat(
        ["dg:deploy", "--network", "bscTestnet", "--confirmations", "1"],
        testnetEnv(node, dirs),
      );
      expect(run.code).to.equal(0);
      expect(readRecord(dirs.records, 97).contracts).to.deep.equal(record.contracts);
      expect(await blockNumber(node)).to.equal(before);
    });
  });

  it("an interrupted deployment resumes from Ignition's journal to the same addresses", async () => {
    const node = await startAnvil({ chainId: 97, blockTime: 1 });
    try {
      const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
      const addressesFile = path.join(dirs.ignition, "deployments", "chain-97", "deployed_addresses.json");
      const first = spawnHardhat(
        ["dg:deploy", "--network", "bscTestnet", "--confirmations", "1"],
        testnetEnv(node, dirs),
      );
      // Interrupt as soon as the first contract is deployed (Ignition records it in the journal).
      const deadline = Date.now() + 120_000;
      while (!(fs.existsSync(addressesFile) && fs.readFileSync(addressesFile, "utf8").includes("Core#DataGen"))) {
        if (Date.now() > deadline) throw new Error("the deployment never got going");
        await new Promise((r) => setTimeout(r, 50));
      }
      first.child.kill("SIGKILL");
      await first.done;
      const partial = JSON.parse(fs.readFileSync(addressesFile, "utf8")) as Record<string, string>;
      expect(partial["CrossCheck#CrossCheck"], "interrupted before the end").to.equal(undefined);
      expect(fs.existsSync(path.join(dirs.records, "97.json")), "no record for an unfinished deployment").to.equal(
        false,
      );

      const second = await runHardhat(
        ["dg:deploy", "--network", "bscTestnet", "--confirmations", "1"],
        testnetEnv(node, dirs),
      );
      expect(second.code, second.stderr).to.equal(0);
      const record = readRecord(dirs.records, 97);
      expect(record.contracts.DataGen).to.equal(partial["Core#DataGen"]);
      for (const [future, address] of Object.entries(partial)) {
        const name = future.split("#")[1] as keyof DeploymentRecord["contracts"];
        expect(record.contracts[name], future).to.equal(address);
      }
      // Exactly one suite: the reserve was funded once.
      const token = DataGen__factory.connect(record.contracts.DataGen, node.provider);
      expect(await token.balanceOf(record.contracts.MiningReservation)).to.equal(15_000_000n * DG);
    } finally {
      await node.stop();
    }
  });

  describe("pre-flight refusals: one line, exit code 1, nothing sent", () => {
    let node: RunningNode;
    before(async () => {
      node = await startAnvil({ chainId: 97 });
    });
    after(async () => node?.stop());

    async function expectRefusal(args: string[], env: Record<string, string>, pattern: RegExp) {
      const before = await blockNumber(node);
      const run = await runHardhat(["dg:deploy", ...args], env);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      const lines = run.stderr.trim().split("\n");
      expect(lines, run.stderr).to.have.length(1);
      expect(lines[0]).to.match(pattern);
      expect(await blockNumber(node), "no transaction sent").to.equal(before);
    }

    const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };

    it("missing deployer key", async () => {
      const env: Record<string, string> = testnetEnv(node, dirs);
      delete env.DEPLOYER_PRIVATE_KEY;
      await expectRefusal(
        ["--network", "bscTestnet"],
        env,
        /^error: no deployer key for bscTestnet: set DEPLOYER_PRIVATE_KEY/,
      );
    });

    it("missing RPC URL", async () => {
      const env: Record<string, string> = testnetEnv(node, dirs);
      delete env.BSC_TESTNET_RPC_URL;
      await expectRefusal(
        ["--network", "bscTestnet"],
        env,
        /^error: no RPC URL for bscTestnet: set BSC_TESTNET_RPC_URL/,
      );
    });

    it("unreachable RPC", async () => {
      const closed = await (await import("./helpers/node")).freePort();
      const env = { ...testnetEnv(node, dirs), BSC_TESTNET_RPC_URL: `http://127.0.0.1:${closed}` };
      await expectRefusal(
        ["--network", "bscTestnet"],
        env,
        /^error: cannot reach the RPC of bscTestnet at http:\/\/127\.0\.0\.1:\d+/,
      );
    });

    it("wrong chain id (a chain-97 node given as BSC mainnet)", async () => {
      const env = {
        BSC_RPC_URL: node.url,
        DEPLOYER_PRIVATE_KEY: FUNDED_KEY,
        DG_IGNITION_DIR: dirs.ignition,
        DG_DEPLOYMENTS_DIR: dirs.records,
      };
      await expectRefusal(
        ["--network", "bsc"],
        env,
        /^error: wrong chain: the RPC of bsc at .* serves chain 97, expected 56$/,
      );
    });

    it("not enough BNB for the estimated gas", async () => {
      const poor = Wallet.createRandom();
      await expectRefusal(
        ["--network", "bscTestnet"],
        testnetEnv(node, dirs, poor.privateKey),
        new RegExp(`^error: not enough BNB: the deployer ${poor.address} holds 0\\.0 BNB, the deployment needs about`),
      );
      expect(fs.readdirSync(dirs.records)).to.deep.equal([]);
    });
  });
});
