/**
 * `dg:deploy` checks every parameter (names, types, the contracts' constructor bounds) and the
 * deployer key before anything is sent or set aside (issue 15): against anvil (chain 97), a bad
 * file with `--reset` is refused in one line, the deployer's nonce and the live suite's journal and
 * record untouched. A changed parameter file against a journal is reported in one line with what to
 * do. The bounds the pre-flight keeps are compared with the deployed contracts' public constants.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { HDNodeWallet, Mnemonic, Wallet } from "ethers";
import { ignition } from "hardhat";
import CrossCheckModule from "../deploy/modules/CrossCheck";
import { CONTRACT_BOUNDS } from "../tasks/lib/preflight";
import { runHardhat, startAnvil, txCount, type RunningNode } from "./helpers/node";
import { REAL_BUILD } from "./helpers/fixtures";

const FUNDED_KEY = HDNodeWallet.fromMnemonic(
  Mnemonic.fromPhrase("test test test test test test test test test test test junk"),
  "m/44'/60'/0'/0/0",
).privateKey;
const DEPLOYER = new Wallet(FUNDED_KEY).address;
/** Where the "live" suite's journal and record say its token is: anvil_setCode gives it code. */
const LIVE = "0x1111111111111111111111111111111111111111";

function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dg-${label}-`));
}

/** Every file under `dir` with its content, to compare before and after a run. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, file)] = fs.readFileSync(file, "utf8");
    }
  }
  return out;
}

describe(`dg:deploy refuses a bad parameter or key before sending or resetting anything ${REAL_BUILD}`, function () {
  this.timeout(240_000);
  let node: RunningNode;
  const dirs = { ignition: tempDir("ignition"), records: tempDir("records") };
  const env = (dirs_: { ignition: string; records: string }, key = FUNDED_KEY) => ({
    BSC_TESTNET_RPC_URL: node.url,
    DEPLOYER_PRIVATE_KEY: key,
    DG_IGNITION_DIR: dirs_.ignition,
    DG_DEPLOYMENTS_DIR: dirs_.records,
    TS_NODE_TRANSPILE_ONLY: "1",
  });

  before(async () => {
    node = await startAnvil({ chainId: 97 });
    // A suite still live on chain: --reset would move its journal and record aside.
    await node.provider.send("anvil_setCode", [LIVE, "0x00"]);
    const journal = path.join(dirs.ignition, "deployments", "chain-97");
    fs.mkdirSync(journal, { recursive: true });
    fs.writeFileSync(path.join(journal, "deployed_addresses.json"), JSON.stringify({ "Core#DataGen": LIVE }));
    fs.writeFileSync(path.join(dirs.records, "97.json"), JSON.stringify({ chainId: 97, contracts: { DataGen: LIVE } }));
  });
  after(async () => node?.stop());

  /** Runs `dg:deploy --reset` with `content` as the parameter file; expects exactly `message` and nothing else done. */
  async function expectRefused(content: string, message: (file: string) => string, key = FUNDED_KEY) {
    const file = path.join(tempDir("parameters"), "p.json");
    fs.writeFileSync(file, content);
    const before = { ignition: snapshot(dirs.ignition), records: snapshot(dirs.records) };
    const run = await runHardhat(
      ["dg:deploy", "--network", "bscTestnet", "--parameters", file, "--reset"],
      env(dirs, key),
    );
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    // The role rules' warnings (no multisig, roles left to the deployer) come first, as on every testnet run.
    const lines = run.stderr.trim().split("\n");
    expect(
      lines.filter((line) => !line.startsWith("warning: ")),
      run.stderr,
    ).to.deep.equal([`error: ${message(file)}`]);
    expect(run.stdout, "no reset line").to.not.include("Reset:");
    expect(await txCount(node, DEPLOYER), "nothing sent").to.equal(0);
    expect(
      { ignition: snapshot(dirs.ignition), records: snapshot(dirs.records) },
      "journal and record kept",
    ).to.deep.equal(before);
  }

  it("a value that is not a whole number, or negative", async () => {
    await expectRefused(
      '{"Suite":{"minStake":"abc"}}',
      (f) => `Suite.minStake in ${f} is "abc", not a whole number of DG wei; allowed 1 DG to 1,000,000 DG`,
    );
    await expectRefused(
      '{"Suite":{"minStake":"-5"}}',
      (f) => `Suite.minStake in ${f} is "-5", not a whole number of DG wei; allowed 1 DG to 1,000,000 DG`,
    );
  });

  it("a value outside the contract's constructor bounds (amount, duration)", async () => {
    await expectRefused(
      '{"Suite":{"minStake":"1n"}}',
      (f) =>
        `Suite.minStake in ${f} is 1 wei (0.000000000000000001 DG), outside what ValidatorStaking accepts: 1 DG to 1,000,000 DG`,
    );
    await expectRefused(
      '{"CrossCheck":{"commitWindow":60}}',
      (f) => `CrossCheck.commitWindow in ${f} is 60 s (1 minute), outside what CrossCheck accepts: 5 minutes to 7 days`,
    );
  });

  it("a cooldown the cross-check's rounds do not fit in", async () => {
    await expectRefused(
      '{"Suite":{"cooldown":172800}}',
      (f) =>
        `Suite.cooldown in ${f} is 2 days, not above CrossCheck.maxReceiptAge + 2 × (commitWindow + revealWindow) = 6 days (CrossCheck refuses it): a validator could leave before a check of its delivery ends`,
    );
  });

  it("an unknown parameter (a typo) or module, a malformed address", async () => {
    await expectRefused(
      '{"Suite":{"minStak":"5000000000000000000000"}}',
      (f) =>
        `Suite.minStak in ${f} is not a parameter of the Suite module; its parameters are minStake, cooldown, faultLimit, slashRewardBps, epochDuration, challengeWindow, adminDelay, oracle, guardian`,
    );
    await expectRefused(
      '{"Sute":{}}',
      (f) => `${f} names the module "Sute", which is none of Core, Suite, CrossCheck, Mainnet`,
    );
    await expectRefused(
      '{"CrossCheck":{"coordinator":"0x1234"}}',
      (f) => `CrossCheck.coordinator in ${f} is "0x1234", not an address (0x and 40 hex digits)`,
    );
  });

  it("a malformed DEPLOYER_PRIVATE_KEY: what is wrong with it, never the key", async () => {
    await expectRefused(
      "{}",
      () => "DEPLOYER_PRIVATE_KEY is not a private key: expected 64 hex digits (with or without 0x), got 5 characters",
      "0xabcde",
    );
  });

  it("a parameter file changed after a deployment: Ignition's reconciliation errors in one line, with what to do", async () => {
    const fresh = { ignition: tempDir("ignition"), records: tempDir("records") };
    const first = await runHardhat(["dg:deploy", "--network", "bscTestnet"], env(fresh));
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    const nonce = await txCount(node, DEPLOYER);
    const file = path.join(tempDir("parameters"), "p.json");
    const shipped = path.join(__dirname, "..", "deploy", "parameters", "bscTestnet.json");
    const values = JSON.parse(fs.readFileSync(shipped, "utf8")) as Record<string, Record<string, unknown>>;
    values.Suite = { ...values.Suite, minStake: "20000000000000000000000" };
    fs.writeFileSync(file, JSON.stringify(values));
    const run = await runHardhat(["dg:deploy", "--network", "bscTestnet", "--parameters", file], env(fresh));
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    const journal = path.join(fresh.ignition, "deployments", "chain-97");
    // The role rules' warnings (no multisig, roles left to the deployer) come first, as on every testnet run.
    const lines = run.stderr.trim().split("\n");
    expect(
      lines.filter((line) => !line.startsWith("warning: ")),
      run.stderr,
    ).to.deep.equal([
      `error: the journal ${journal} does not match this deployment: Suite#ValidatorStaking: Argument at index 1 has been changed. ` +
        `A changed parameter file (${file}) conflicts with the journal: keep the parameters it was made with, ` +
        "or start afresh with `npx hardhat dg:deploy --network bscTestnet --reset` on a test network",
    ]);
    expect(await txCount(node, DEPLOYER)).to.equal(nonce);
  });
});

describe("dg:deploy's parameter bounds are the contracts' own constants", function () {
  it("each bound the pre-flight keeps equals the deployed contract's public constant", async function () {
    const suite = await ignition.deploy(CrossCheckModule, {
      parameters: { Core: { releaseStart: 2_000_000_000n } },
    });
    const contracts = {
      MiningReservation: suite.reservation,
      InflationVote: suite.inflationVote,
      ValidatorStaking: suite.staking,
      ComputeRewards: suite.computeRewards,
      CrossCheck: suite.crossCheck,
    };
    for (const [name, bounds] of Object.entries(CONTRACT_BOUNDS)) {
      const contract = contracts[name as keyof typeof contracts];
      for (const [constant, value] of Object.entries(bounds)) {
        expect(await contract.getFunction(constant).staticCall(), `${name}.${constant}`).to.equal(value);
      }
    }
  });
});
