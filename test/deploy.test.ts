/**
 * `dg:deploy` against a real JSON-RPC node process (anvil, acting as BSC testnet, chain 97) started
 * on 127.0.0.1 by the test: the whole suite deployed, wired and funded in one command, its addresses
 * recorded; an interrupted deployment resumed to the same addresses; each pre-flight refusal, with
 * nothing sent. Then anvil acting as BSC mainnet (chain 56): every admin and owner handed to a
 * TimelockController proposed to by a multisig, the multisig acting through it, the deployer left
 * with nothing; each role rule refused on 56 and only warned on 97.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { HDNodeWallet, Mnemonic, NonceManager, Wallet, ZeroAddress, ZeroHash, getAddress, id } from "ethers";
import {
  DataGenError,
  DataGenSdkError,
  HolderClient,
  ValidatorClient,
  assertSuiteDeployed,
  connectSuite,
  loadDeployment,
  suiteFor,
} from "../sdk";
import {
  DEFAULT_CONFIRMATIONS,
  DEPLOY_GAS_BUDGET,
  MAINNET_DEPLOY_GAS_BUDGET,
  Refusal,
  confirmationsFor,
} from "../tasks/lib/preflight";
import type { DeploymentRecord } from "../sdk/deployments";
import {
  blockNumber,
  runHardhat,
  spawnHardhat,
  startAnvil,
  startHardhatNode,
  txCount,
  type RunningNode,
} from "./helpers/node";
import { REAL_BUILD } from "./helpers/fixtures";
import {
  ComputeRewards__factory,
  CrossCheck__factory,
  DataGen__factory,
  MiningReservation__factory,
  TimelockController__factory,
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
      // The README's command as it stands: no --confirmations (1 on this automining node).
      const run = await runHardhat(["dg:deploy", "--network", "bscTestnet"], testnetEnv(node, dirs));
      expect(run.code, run.stderr).to.equal(0);
      // Testnet: the role rules that refuse on mainnet are printed as warnings, and it proceeds.
      expect(run.stderr.trim().split("\n"), run.stderr).to.deep.equal([
        `warning: no Mainnet.multisig in deploy/parameters/bscTestnet.json: no timelock, the deployer ${new Wallet(FUNDED_KEY).address} stays every admin and owner`,
        "warning: set Suite.oracle in deploy/parameters/bscTestnet.json: the oracle service's account (posts each epoch's root); it defaults to the deployer",
        "warning: set Suite.guardian in deploy/parameters/bscTestnet.json: the guardian's account (vetoes a wrong root), not the oracle; it defaults to the deployer",
        "warning: set CrossCheck.coordinator in deploy/parameters/bscTestnet.json: the coordinator service's account (opens cross-checks); it defaults to the deployer",
      ]);
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
      expect((refused as DataGenError).message).to.equal(
        "the stake of 9,000 DG is below the minimum of 10,000 DG: a validator's active stake is 0 or at least 10,000 DG",
      );
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
      const run = await runHardhat(["dg:deploy", "--network", "bscTestnet"], testnetEnv(node, dirs));
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

/** One day, in seconds. */
const DAY = 86_400n;
/** A multisig's address in the chain-56 tests: anvil_setCode puts code there, as a deployed Safe has. */
const MULTISIG = getAddress("0x5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe");
const PROPOSER = id("PROPOSER_ROLE");
const EXECUTOR = id("EXECUTOR_ROLE");
const CANCELLER = id("CANCELLER_ROLE");
const ADMIN = ZeroHash;

/** The mainnet parameter file (deploy/parameters/bsc.json) filled in, with `changes` applied, in a temporary file. */
function mainnetParameters(changes: Record<string, Record<string, unknown>> = {}): string {
  const file = path.join(__dirname, "..", "deploy", "parameters", "bsc.json");
  const values = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
  values.Suite = {
    ...values.Suite,
    oracle: new Wallet(accountKey(1)).address,
    guardian: new Wallet(accountKey(2)).address,
  };
  values.CrossCheck = { ...values.CrossCheck, coordinator: new Wallet(accountKey(3)).address };
  values.Mainnet = { ...values.Mainnet, multisig: MULTISIG };
  for (const [module, entries] of Object.entries(changes)) values[module] = { ...values[module], ...entries };
  const out = path.join(tempDir("parameters"), "bsc.json");
  fs.writeFileSync(out, JSON.stringify(values));
  return out;
}

function mainnetEnv(node: RunningNode, dirs: { ignition: string; records: string }) {
  return {
    BSC_RPC_URL: node.url,
    DEPLOYER_PRIVATE_KEY: FUNDED_KEY,
    DG_IGNITION_DIR: dirs.ignition,
    DG_DEPLOYMENTS_DIR: dirs.records,
  };
}

/** Gives `address` code (any: a Safe's is irrelevant here) so that it passes for a deployed multisig. */
async function deployFakeMultisig(node: RunningNode, address = MULTISIG): Promise<void> {
  await node.provider.send("anvil_setCode", [address, "0x00"]);
  await node.provider.send("anvil_setBalance", [address, "0x56bc75e2d63100000"]);
}

describe(`dg:deploy against anvil acting as BSC mainnet (chain 56) ${REAL_BUILD}`, function () {
  this.timeout(300_000);

  describe("a mainnet deployment: every admin and owner is a timelock the multisig proposes to", () => {
    let node: RunningNode;
    const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
    let record: DeploymentRecord & { contracts: { TimelockController?: string } };
    let deployGas = 0n;
    let deployTxs = 0;
    let wallMs = 0;
    const deployer = new Wallet(FUNDED_KEY).address;
    const [oracle, guardian, coordinator] = [1, 2, 3].map((i) => new Wallet(accountKey(i)).address);

    before(async () => {
      // Several blocks a second, as on BSC: the handover must still land in a later second.
      node = await startAnvil({ chainId: 56, blockTime: 0.4 });
      await deployFakeMultisig(node);
      const first = await blockNumber(node);
      const started = Date.now();
      // No --confirmations: the node mines on an interval, as BSC does, so the default 3 applies.
      const run = await runHardhat(
        ["dg:deploy", "--network", "bsc", "--parameters", mainnetParameters()],
        mainnetEnv(node, dirs),
      );
      wallMs = Date.now() - started;
      expect(run.stderr.trim(), run.stdout + run.stderr).to.equal("");
      expect(run.code).to.equal(0);
      expect(run.stdout).to.include("\nConfirmations: 3 per transaction\n");
      expect(run.stdout).to.include("Module: deploy/modules/Mainnet.ts");
      record = readRecord(dirs.records, 56) as typeof record;
      const last = await blockNumber(node);
      for (let b = first + 1; b <= last; b++) {
        const block = (await node.provider.getBlock(b))!;
        for (const hash of block.transactions) {
          const receipt = (await node.provider.getTransactionReceipt(hash))!;
          if (receipt.from === deployer) {
            deployGas += receipt.gasUsed;
            deployTxs++;
          }
        }
      }
      console.log(`      mainnet deployment: ${deployTxs} transactions, ${deployGas} gas, ${wallMs} ms`);
    });
    after(async () => node?.stop());

    function contracts() {
      const c = record.contracts;
      return {
        token: DataGen__factory.connect(c.DataGen, node.provider),
        reservation: MiningReservation__factory.connect(c.MiningReservation, node.provider),
        staking: ValidatorStaking__factory.connect(c.ValidatorStaking, node.provider),
        rewards: ComputeRewards__factory.connect(c.ComputeRewards, node.provider),
        crossCheck: CrossCheck__factory.connect(c.CrossCheck, node.provider),
        timelock: TimelockController__factory.connect(c.TimelockController!, node.provider),
      };
    }

    it("records the timelock with the six contracts; 22 transactions, within the mainnet gas budget", async () => {
      expect(record.chainId).to.equal(56);
      expect(record.contracts.TimelockController).to.be.a("string");
      expect(await node.provider.getCode(record.contracts.TimelockController!)).to.not.equal("0x");
      expect(deployTxs).to.equal(22);
      expect(deployGas > DEPLOY_GAS_BUDGET && deployGas <= MAINNET_DEPLOY_GAS_BUDGET, `gas ${deployGas}`).to.equal(
        true,
      );
    });

    it("every admin and owner is the timelock, nothing pending; the timelock's delay is above the cooldown", async () => {
      const { token, reservation, staking, rewards, crossCheck, timelock } = contracts();
      const address = await timelock.getAddress();
      for (const c of [staking, rewards, crossCheck]) {
        expect(await c.defaultAdmin()).to.equal(address);
        expect(await c.pendingDefaultAdmin()).to.deep.equal([ZeroAddress, 0n]);
        expect(await c.hasRole(ADMIN, address)).to.equal(true);
      }
      for (const c of [token, reservation]) {
        expect(await c.owner()).to.equal(address);
        expect(await c.pendingOwner()).to.equal(ZeroAddress);
      }
      expect(await timelock.getMinDelay()).to.equal(9n * DAY);
      expect(await timelock.getMinDelay()).to.be.greaterThan(await staking.cooldown());
      expect(await timelock.getMinDelay()).to.equal(await staking.ruleChangeDelay());
    });

    it("the multisig proposes, cancels and executes; the named oracle, guardian, coordinator; the deployer holds no role", async () => {
      const { staking, rewards, crossCheck, timelock } = contracts();
      for (const role of [PROPOSER, CANCELLER, EXECUTOR]) expect(await timelock.hasRole(role, MULTISIG)).to.equal(true);
      expect(await timelock.hasRole(ADMIN, MULTISIG)).to.equal(false);
      expect(await timelock.hasRole(EXECUTOR, ZeroAddress), "no open execution").to.equal(false);
      expect(await rewards.hasRole(id("ORACLE_ROLE"), oracle)).to.equal(true);
      expect(await rewards.hasRole(id("GUARDIAN_ROLE"), guardian)).to.equal(true);
      expect(await crossCheck.hasRole(id("COORDINATOR_ROLE"), coordinator)).to.equal(true);
      for (const role of [PROPOSER, CANCELLER, EXECUTOR, ADMIN]) {
        expect(await timelock.hasRole(role, deployer), role).to.equal(false);
      }
      for (const role of [ADMIN, id("ORACLE_ROLE"), id("GUARDIAN_ROLE")]) {
        expect(await rewards.hasRole(role, deployer), role).to.equal(false);
      }
      expect(await staking.hasRole(ADMIN, deployer)).to.equal(false);
      for (const role of [ADMIN, id("COORDINATOR_ROLE")]) {
        expect(await crossCheck.hasRole(role, deployer), role).to.equal(false);
      }
    });

    it("the deployer can do nothing: no admin call, no timelock operation, no ownership transfer", async () => {
      const { token, staking, rewards, timelock } = contracts();
      const signer = new NonceManager(new Wallet(FUNDED_KEY, node.provider));
      const refusals = [
        staking.connect(signer).scheduleSlashRewardBps.staticCall(4_000n),
        rewards.connect(signer).grantRole.staticCall(id("ORACLE_ROLE"), deployer),
        token.connect(signer).transferOwnership.staticCall(deployer),
        timelock
          .connect(signer)
          .schedule.staticCall(await staking.getAddress(), 0n, "0x", ZeroHash, ZeroHash, 9n * DAY),
      ];
      for (const call of refusals) {
        const error = await call.catch((e: unknown) => e);
        expect(error, "refused").to.be.instanceOf(Error);
      }
    });

    it("the multisig acts through the timelock: schedules a slashing-rule change, executes it only after the delay", async () => {
      const { staking, timelock } = contracts();
      await node.provider.send("anvil_impersonateAccount", [MULTISIG]);
      const multisig = await node.provider.getSigner(MULTISIG);
      const target = await staking.getAddress();
      const data = staking.interface.encodeFunctionData("scheduleSlashRewardBps", [4_000n]);
      const salt = id("test: lower the slash reward share");
      await (await timelock.connect(multisig).schedule(target, 0n, data, ZeroHash, salt, 9n * DAY)).wait();
      const early = await timelock
        .connect(multisig)
        .execute.staticCall(target, 0n, data, ZeroHash, salt)
        .catch((e: unknown) => e);
      expect(early, "not before the delay").to.be.instanceOf(Error);
      await node.provider.send("evm_increaseTime", [Number(9n * DAY)]);
      await node.provider.send("evm_mine", []);
      await (await timelock.connect(multisig).execute(target, 0n, data, ZeroHash, salt)).wait();
      const [bps, effectiveAt] = await staking.pendingSlashRewardBps();
      expect(bps).to.equal(4_000n);
      expect(effectiveAt > 0n).to.equal(true);
      await node.provider.send("anvil_stopImpersonatingAccount", [MULTISIG]);
    });
  });

  describe("the role rules: one line and nothing sent on chain 56, warnings on chain 97", () => {
    let node: RunningNode;
    let testnet: RunningNode;
    const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
    const deployer = new Wallet(FUNDED_KEY).address;
    before(async () => {
      // Mining on an interval, as BSC does (a node that mines only when a transaction arrives has rules of its own).
      node = await startAnvil({ chainId: 56, blockTime: 1 });
      testnet = await startAnvil({ chainId: 97, blockTime: 0.4 });
      await deployFakeMultisig(node);
    });
    after(async () => {
      await node?.stop();
      await testnet?.stop();
    });

    async function expectRefusal(args: string[], pattern: RegExp) {
      const run = await runHardhat(["dg:deploy", "--network", "bsc", ...args], mainnetEnv(node, dirs));
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      const lines = run.stderr.trim().split("\n");
      expect(lines, run.stderr).to.have.length(1);
      expect(lines[0]).to.match(pattern);
      expect(await txCount(node, deployer), "no transaction sent").to.equal(0);
      expect(fs.readdirSync(dirs.records)).to.deep.equal([]);
    }

    it("--reset: a mainnet journal and record are never discarded by a command", async () => {
      await expectRefusal(
        ["--parameters", mainnetParameters(), "--reset"],
        new RegExp(
          `^error: --reset is refused on BSC mainnet \\(chain 56\\): its journal and record are the account of a suite holding real funds; to deploy a second suite, move ${dirs.ignition}/deployments/chain-56 aside by hand$`,
        ),
      );
    });

    it("the shipped bsc.json, until the deployer names the multisig", async () => {
      await expectRefusal(
        [],
        /^error: set Mainnet\.multisig in deploy\/parameters\/bsc\.json: the multisig \(e\.g\. a Safe\) that proposes through the timelock$/,
      );
    });

    it("an oracle, guardian or coordinator left unnamed", async () => {
      const zero = ZeroAddress;
      await expectRefusal(
        ["--parameters", mainnetParameters({ Suite: { oracle: zero } })],
        /^error: set Suite\.oracle in /,
      );
      await expectRefusal(
        ["--parameters", mainnetParameters({ Suite: { guardian: zero } })],
        /^error: set Suite\.guardian in /,
      );
      await expectRefusal(
        ["--parameters", mainnetParameters({ CrossCheck: { coordinator: zero } })],
        /^error: set CrossCheck\.coordinator in /,
      );
    });

    it("the oracle as the guardian", async () => {
      const same = new Wallet(accountKey(1)).address;
      await expectRefusal(
        ["--parameters", mainnetParameters({ Suite: { oracle: same, guardian: same } })],
        /^error: Suite\.oracle and Suite\.guardian in .* are the same account 0x[0-9a-fA-F]{40}: the guardian's veto over the oracle would check nothing$/,
      );
    });

    it("a role given to the deployer", async () => {
      await expectRefusal(
        ["--parameters", mainnetParameters({ CrossCheck: { coordinator: deployer } })],
        new RegExp(`^error: CrossCheck\\.coordinator in .* is the deployer ${deployer}: name another account$`),
      );
      await expectRefusal(
        ["--parameters", mainnetParameters({ Mainnet: { multisig: deployer } })],
        /^error: Mainnet\.multisig in .* is the deployer/,
      );
    });

    it("a multisig with no code on chain (a key, or a Safe not deployed yet)", async () => {
      const key = Wallet.createRandom().address;
      await expectRefusal(
        ["--parameters", mainnetParameters({ Mainnet: { multisig: key } })],
        new RegExp(
          `^error: Mainnet\\.multisig ${key} in .* has no code on chain 56: it must be a deployed multisig contract, not a key$`,
        ),
      );
    });

    it("a timelock delay not above the cooldown", async () => {
      await expectRefusal(
        ["--parameters", mainnetParameters({ Mainnet: { timelockDelay: Number(7n * DAY) } })],
        /^error: Mainnet\.timelockDelay in .* is 604800 s, not above Suite\.cooldown \(604800 s\)/,
      );
    });

    it("an admin-transfer delay other than 0, or a single confirmation: the handover could not finish", async () => {
      await expectRefusal(
        ["--parameters", mainnetParameters({ Suite: { adminDelay: 3 * 86_400 } })],
        /^error: set Suite\.adminDelay to 0 in /,
      );
      await expectRefusal(
        ["--parameters", mainnetParameters(), "--confirmations", "1"],
        /^error: --confirmations 1 is too few for the timelock handover/,
      );
    });

    it("on chain 97 the same rules warn and the rehearsal proceeds (multisig without code, oracle = guardian)", async () => {
      const same = new Wallet(accountKey(1)).address;
      const key = Wallet.createRandom().address;
      const records = tempDir("records");
      const run = await runHardhat(
        [
          "dg:deploy",
          "--network",
          "bscTestnet",
          "--parameters",
          mainnetParameters({
            Core: { releaseStart: undefined },
            Suite: { oracle: same, guardian: same },
            Mainnet: { multisig: key },
          }),
          "--confirmations",
          "2",
        ],
        { ...testnetEnv(testnet, { ignition: tempDir("ignition"), records }) },
      );
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const warnings = run.stderr.trim().split("\n");
      expect(warnings).to.have.length(2);
      expect(warnings[0]).to.match(/^warning: Suite\.oracle and Suite\.guardian in .* are the same account/);
      expect(warnings[1]).to.match(new RegExp(`^warning: Mainnet\\.multisig ${key} in .* has no code on chain 97`));
      const timelock = readRecord(records, 97).contracts as unknown as { TimelockController: string };
      const t = TimelockController__factory.connect(timelock.TimelockController, testnet.provider);
      expect(await t.hasRole(PROPOSER, key)).to.equal(true);
      expect(await t.hasRole(PROPOSER, deployer)).to.equal(false);
    });
  });
});

/**
 * `hardhat <args>` in a child process, killed if it has not ended within `ms`: a deployment that
 * hangs (waiting for confirmations a node never mines) fails the test instead of stalling the run.
 */
async function runWithin(ms: number, args: string[], env: Record<string, string>) {
  const { child, done } = spawnHardhat(args, env);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, ms);
  const result = await done;
  clearTimeout(timer);
  return { ...result, timedOut };
}

/** Every address of `record` (the six contracts and the timelock if any) holds code on `node`. */
async function expectCodeEverywhere(node: RunningNode, record: DeploymentRecord) {
  const addresses = Object.values(record.contracts as unknown as Record<string, string>);
  expect(addresses.length).to.be.greaterThanOrEqual(6);
  for (const address of addresses) expect(await node.provider.getCode(address), address).to.not.equal("0x");
}

describe(`dg:deploy on a local dev node: no flag needed, a stale journal refused, --reset ${REAL_BUILD}`, function () {
  this.timeout(240_000);

  describe("anvil as chain 97, one block per transaction (the README's `dg:deploy --network bscTestnet`)", () => {
    let node: RunningNode;
    const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
    const journal = path.join(dirs.ignition, "deployments", "chain-97");
    const recordFile = path.join(dirs.records, "97.json");
    const deployer = new Wallet(FUNDED_KEY).address;
    let first: DeploymentRecord;
    before(async () => {
      node = await startAnvil({ chainId: 97 });
    });
    after(async () => node?.stop());

    it("finishes with no --confirmations: 1 on a node that mines only when a transaction arrives", async () => {
      const run = await runWithin(120_000, ["dg:deploy", "--network", "bscTestnet"], testnetEnv(node, dirs));
      expect(run.timedOut, "dg:deploy still waiting after 120 s").to.equal(false);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.stdout).to.include(
        "Confirmations: 1 per transaction (the node mines a block only when a transaction arrives)",
      );
      first = readRecord(dirs.records, 97);
      await expectCodeEverywhere(node, first);
      await assertSuiteDeployed(await suiteFor(node.provider, dirs.records), dirs.records);
    });

    it("--confirmations 3 on that node refuses in one line, nothing sent", async () => {
      const nonce = await txCount(node, deployer);
      const run = await runHardhat(
        ["dg:deploy", "--network", "bscTestnet", "--confirmations", "3"],
        testnetEnv(node, dirs),
      );
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.stderr).to.equal(
        `error: --confirmations 3 would never finish on bscTestnet: the node at ${node.url} mines a block only ` +
          "when a transaction arrives (automining); leave --confirmations out (1 is used there) or pass --confirmations 1\n",
      );
      expect(await txCount(node, deployer)).to.equal(nonce);
    });

    it("a timelock rehearsal on it refuses in one line: anvil puts many blocks in one second", async () => {
      const nonce = await txCount(node, deployer);
      const parameters = mainnetParameters({ Core: { releaseStart: undefined } });
      await deployFakeMultisig(node);
      const run = await runHardhat(
        ["dg:deploy", "--network", "bscTestnet", "--parameters", parameters],
        testnetEnv(node, { ignition: tempDir("ignition"), records: tempDir("records") }),
      );
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.stderr).to.equal(
        "error: the timelock handover must be accepted in a later second than the transfers began, and this " +
          "automining node may mine many blocks in one second (anvil does): start anvil with --block-time 1 " +
          "(then the default 3 confirmations apply) or rehearse on `npx hardhat node`\n",
      );
      expect(await txCount(node, deployer)).to.equal(nonce);
    });

    it("after the node restarts, refuses in one line naming the journal and --reset; nothing sent, the record kept", async () => {
      const kept = fs.readFileSync(recordFile, "utf8");
      await node.stop();
      node = await startAnvil({ chainId: 97 });
      const run = await runHardhat(["dg:deploy", "--network", "bscTestnet"], testnetEnv(node, dirs));
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.stderr).to.equal(
        `error: the journal ${journal} records Core#DataGen at ${first.contracts.DataGen}, which has no code on ` +
          `chain 97 at ${node.url}: the node was restarted or reset since, or this is another node; start afresh ` +
          "with `npx hardhat dg:deploy --network bscTestnet --reset`\n",
      );
      expect(await txCount(node, deployer)).to.equal(0);
      expect(fs.readFileSync(recordFile, "utf8")).to.equal(kept);
    });

    it("the SDK's assertSuiteDeployed refuses that record in one line: contract, address, chain, file, command", async () => {
      const suite = await suiteFor(node.provider, dirs.records);
      const error = await assertSuiteDeployed(suite, dirs.records).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DataGenSdkError);
      expect((error as Error).message).to.equal(
        `DataGen at ${first.contracts.DataGen} has no code on chain 97 (recorded in ${recordFile}): the node was ` +
          "restarted or reset since, or this is another node; start afresh with " +
          "`npx hardhat dg:deploy --network bscTestnet --reset`",
      );
    });

    it("--reset removes the stale journal and record, then deploys afresh: every address holds code", async () => {
      const run = await runWithin(120_000, ["dg:deploy", "--network", "bscTestnet", "--reset"], testnetEnv(node, dirs));
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.stdout).to.include(
        `Reset: removed ${journal} and ${recordFile} (the contracts they record have no code on chain 97)`,
      );
      const fresh = readRecord(dirs.records, 97);
      await expectCodeEverywhere(node, fresh);
      await assertSuiteDeployed(await suiteFor(node.provider, dirs.records), dirs.records);
      expect(fs.readdirSync(path.dirname(journal))).to.deep.equal(["chain-97"]);
      expect(fs.readdirSync(dirs.records)).to.deep.equal(["97.json"]);
    });

    it("--reset on a suite still on chain keeps its journal and record beside, then deploys a second suite", async () => {
      const previous = readRecord(dirs.records, 97);
      const run = await runWithin(120_000, ["dg:deploy", "--network", "bscTestnet", "--reset"], testnetEnv(node, dirs));
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const kept =
        /^Reset: the previous suite still has code on chain 97; its files are kept as (\S+) and (\S+)$/m.exec(
          run.stdout,
        );
      expect(kept, run.stdout).to.not.equal(null);
      const [keptJournal, keptRecord] = [kept![1]!, kept![2]!];
      expect(keptJournal.slice(0, journal.length)).to.equal(journal);
      expect(keptJournal.slice(journal.length)).to.match(/^-replaced-\d{4}-\d{2}-\d{2}T\d{6}$/);
      expect(keptRecord).to.equal(`${recordFile.slice(0, -".json".length)}${keptJournal.slice(journal.length)}.json`);
      expect((JSON.parse(fs.readFileSync(keptRecord, "utf8")) as DeploymentRecord).contracts).to.deep.equal(
        previous.contracts,
      );
      const keptAddresses = JSON.parse(fs.readFileSync(path.join(keptJournal, "deployed_addresses.json"), "utf8"));
      expect(keptAddresses["Core#DataGen"]).to.equal(previous.contracts.DataGen);
      const second = readRecord(dirs.records, 97);
      expect(second.contracts.DataGen).to.not.equal(previous.contracts.DataGen);
      await expectCodeEverywhere(node, second);
      await expectCodeEverywhere(node, previous);
    });
  });

  describe("`npx hardhat node` through --network localhost", () => {
    let node: RunningNode;
    before(async () => {
      node = await startHardhatNode();
    });
    after(async () => node?.stop());

    const localEnv = (dirs: { ignition: string; records: string }) => ({
      DG_LOCALHOST_URL: node.url,
      DG_IGNITION_DIR: dirs.ignition,
      DG_DEPLOYMENTS_DIR: dirs.records,
    });

    it("finishes with no --confirmations, records chain 31337 with code at every address", async () => {
      const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
      const run = await runWithin(120_000, ["dg:deploy", "--network", "localhost"], localEnv(dirs));
      expect(run.timedOut, "dg:deploy still waiting after 120 s").to.equal(false);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const record = readRecord(dirs.records, 31337);
      expect(record.network).to.equal("localhost");
      await expectCodeEverywhere(node, record);
    });

    it("a timelock rehearsal finishes with one confirmation: each block comes a second after the previous", async () => {
      const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
      await node.provider.send("hardhat_setCode", [MULTISIG, "0x00"]);
      const parameters = mainnetParameters({ Core: { releaseStart: undefined } });
      const run = await runWithin(
        120_000,
        ["dg:deploy", "--network", "localhost", "--parameters", parameters],
        localEnv(dirs),
      );
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const record = readRecord(dirs.records, 31337) as DeploymentRecord & {
        contracts: { TimelockController: string };
      };
      await expectCodeEverywhere(node, record);
      const timelock = TimelockController__factory.connect(record.contracts.TimelockController, node.provider);
      expect(await timelock.hasRole(PROPOSER, MULTISIG)).to.equal(true);
      expect(await timelock.hasRole(PROPOSER, record.deployer)).to.equal(false);

      // The SDK checks the timelock's code with the six; a record read on another chain is refused.
      await assertSuiteDeployed(await suiteFor(node.provider, dirs.records), dirs.records);
      const elsewhere = connectSuite({ ...record, chainId: 97 }, node.provider);
      const error = await assertSuiteDeployed(elsewhere, dirs.records).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DataGenSdkError);
      expect((error as Error).message).to.equal(
        `the record ${path.join(dirs.records, "97.json")} is for chain 97, but the suite is connected to chain 31337`,
      );
      const gone = Wallet.createRandom().address;
      fs.writeFileSync(
        path.join(dirs.records, "31337.json"),
        JSON.stringify({ ...record, contracts: { ...record.contracts, TimelockController: gone } }),
      );
      const missing = await assertSuiteDeployed(await suiteFor(node.provider, dirs.records), dirs.records).catch(
        (e: unknown) => e,
      );
      expect((missing as Error).message).to.equal(
        `TimelockController at ${gone} has no code on chain 31337 (recorded in ${path.join(dirs.records, "31337.json")}): ` +
          "the node was restarted or reset since, or this is another node; start afresh with " +
          "`npx hardhat dg:deploy --network localhost --reset`",
      );
      fs.writeFileSync(
        path.join(dirs.records, "31337.json"),
        JSON.stringify({ ...record, contracts: { ...record.contracts, TimelockController: "0x1234" } }),
      );
      expect(() => loadDeployment(31337, dirs.records)).to.throw(
        DataGenSdkError,
        `${path.join(dirs.records, "31337.json")}: the address of TimelockController is invalid`,
      );
    });
  });

  it("--reset on the embedded network leaves chain 31337's files alone: they are `npx hardhat node`'s", async () => {
    const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
    const journal = path.join(dirs.ignition, "deployments", "chain-31337");
    fs.mkdirSync(journal, { recursive: true });
    fs.writeFileSync(path.join(journal, "deployed_addresses.json"), "{}");
    fs.writeFileSync(path.join(dirs.records, "31337.json"), "{}");
    const run = await runHardhat(["dg:deploy", "--network", "hardhat", "--reset"], {
      DG_IGNITION_DIR: dirs.ignition,
      DG_DEPLOYMENTS_DIR: dirs.records,
    });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout.split("\n")).to.include(
      "Reset: nothing to set aside, the embedded network keeps no journal or record",
    );
    expect(fs.readdirSync(journal)).to.deep.equal(["deployed_addresses.json"]);
    expect(fs.readFileSync(path.join(dirs.records, "31337.json"), "utf8")).to.equal("{}");
  });
});

describe("dg:deploy's confirmations, by how the node mines", () => {
  const automining = { automine: true, laterSecondEachBlock: false };
  const interval = { automine: false, laterSecondEachBlock: false };
  const url = "http://127.0.0.1:8545";

  it("not given: 1 on a node that mines only when a transaction arrives, 3 elsewhere", () => {
    expect(confirmationsFor(undefined, automining, "localhost", url)).to.equal(1);
    expect(confirmationsFor(undefined, interval, "bsc", url)).to.equal(DEFAULT_CONFIRMATIONS);
    expect(DEFAULT_CONFIRMATIONS).to.equal(3);
  });

  it("given: kept, except more than 1 on an automining node, and anything below 1", () => {
    expect(confirmationsFor(1, automining, "localhost", url)).to.equal(1);
    expect(confirmationsFor(1, interval, "bsc", url)).to.equal(1);
    expect(confirmationsFor(5, interval, "bsc", url)).to.equal(5);
    expect(() => confirmationsFor(2, automining, "localhost", url)).to.throw(
      Refusal,
      /^--confirmations 2 would never finish on localhost: the node at http:\/\/127\.0\.0\.1:8545 mines a block only when a transaction arrives \(automining\); leave --confirmations out \(1 is used there\) or pass --confirmations 1$/,
    );
    for (const bad of [0, -1]) {
      expect(() => confirmationsFor(bad, interval, "bsc", url)).to.throw(
        Refusal,
        new RegExp(`^--confirmations ${bad}: give a whole number of blocks, at least 1$`),
      );
    }
  });
});
