/**
 * The `dg:*` command line against a real node (anvil acting as BSC testnet, chain 97) with the suite
 * deployed by `dg:deploy`, as a newcomer uses it:
 * - every bad command is refused in one line with NOTHING sent: the account's nonce and its allowances
 *   do not move (the tasks run in-process with `--rpc-url`, over the node's unlocked accounts);
 * - the connection rules, each in a `hardhat` child process exactly as typed: read-only tasks need no
 *   key, a malformed key breaks only the tasks that sign, an unreachable RPC or a wrong chain is named
 *   with the URL and the variable it came from, `--key-env` and `--json`;
 * - the README's SDK example (`examples/validator.ts`) runs as written.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { expect } from "chai";
import { Wallet } from "ethers";
import { HolderClient, OracleClient, connectSuite, writeProofsFile, type DeploymentRecord, type Suite } from "../sdk";
import { REAL_BUILD } from "./helpers/fixtures";
import { freePort, runHardhat, startAnvil, txCount, type RunningNode } from "./helpers/node";
import { dg } from "./helpers/tasks";
import { accountKey, deployOn } from "./services/helpers";

const DG = 10n ** 18n;
const ROOT = path.join(__dirname, "..");

describe(`dg:* tasks against a node: checks before sending, connection rules ${REAL_BUILD}`, function () {
  this.timeout(300_000);
  let node: RunningNode;
  let dir: string;
  let record: DeploymentRecord;
  let suite: Suite;
  const previous = process.env.DG_DEPLOYMENTS_DIR;
  /** anvil's account i, as a signer connected to the node (the node holds its key unlocked). */
  const account = (i: number) => new Wallet(accountKey(i), node.provider);

  before(async () => {
    node = await startAnvil({ chainId: 97 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-cli-"));
    ({ record, suite } = await deployOn(node, dir));
    process.env.DG_DEPLOYMENTS_DIR = dir;
    const treasury = account(0);
    // Holder 1: proposal #1 opens its vote, #2 waits in the queue, #3 still pools.
    await (await suite.token.connect(treasury).transfer(account(1).address, 500_000n * DG)).wait();
    const holder = new HolderClient(connectSuite(record, account(1)), account(1));
    for (const [bps, pool] of [
      [2_000n, 100_000n * DG],
      [3_000n, 100_000n * DG],
      [4_000n, 10n * DG],
    ] as const) {
      const { proposalId } = await holder.propose(bps, 7n * 86_400n);
      await holder.back(proposalId, pool);
    }
  });
  after(async () => {
    if (previous === undefined) delete process.env.DG_DEPLOYMENTS_DIR;
    else process.env.DG_DEPLOYMENTS_DIR = previous;
    await node?.stop();
  });

  it("the three proposals stand as set up: #1 Voting, #2 Queued, #3 Pooling", async () => {
    const holder = new HolderClient(suite, account(1));
    expect((await holder.proposal(1n)).state).to.equal("Voting");
    expect((await holder.proposal(2n)).state).to.equal("Queued");
    expect((await holder.proposal(3n)).state).to.equal("Pooling");
  });

  describe("every bad command: one line, exit code 1, the nonce and the allowances unchanged", () => {
    const proofsFor = (chainId: bigint, epoch: bigint) => {
      const file = path.join(dir, `proofs-${chainId}-${epoch}.json`);
      return { file, chainId, epoch };
    };
    const cases: [string, string, number, () => Promise<Record<string, string | boolean>>, RegExp][] = [
      [
        "vote below the 20 DG minimum",
        "vote",
        1,
        async () => ({ proposal: "1", support: "for", amount: "1" }),
        /20 DG/,
      ],
      [
        "vote on a proposal that does not exist",
        "vote",
        1,
        async () => ({ proposal: "99", support: "for", amount: "50" }),
        /proposal 99/,
      ],
      ["vote on a queued proposal", "vote", 1, async () => ({ proposal: "2", support: "for", amount: "50" }), /queued/],
      ["back a proposal that does not exist", "back", 1, async () => ({ proposal: "99", amount: "50" }), /proposal 99/],
      ["back a proposal being voted on", "back", 1, async () => ({ proposal: "1", amount: "50" }), /being voted/],
      [
        "vote with more DG than the account holds",
        "vote",
        2,
        async () => ({ proposal: "1", support: "for", amount: "50" }),
        /holds 0 DG, 50 DG needed/,
      ],
      [
        "stake without permit below the minimum",
        "validator:stake",
        1,
        async () => ({ amount: "5", noPermit: true }),
        /below the minimum of 10,000 DG/,
      ],
      [
        "propose a vote of 400 days",
        "propose",
        1,
        async () => ({ burnBps: "1000", days: "400" }),
        /^error: --days must be between 7 and 30 days, got 400 days$/,
      ],
      [
        "transfer more DG than the account holds",
        "transfer",
        2,
        async () => ({ to: account(3).address, amount: "1" }),
        /holds 0 DG, 1 DG needed/,
      ],
      [
        "post a proofs file built for another chain",
        "epoch:submit",
        0,
        async () => {
          const { file, chainId, epoch } = proofsFor(31337n, 0n);
          const built = await new OracleClient(suite, account(0)).buildEpoch(epoch, [
            { validator: account(4).address, compute: 1n },
          ]);
          writeProofsFile(file, { ...built.proofs, chainId: chainId.toString() });
          return { proofs: file };
        },
        /chain 31337/,
      ],
      [
        "post an epoch that has not ended",
        "epoch:submit",
        0,
        async () => {
          const { file, epoch } = proofsFor(97n, 0n);
          const built = await new OracleClient(suite, account(0)).buildEpoch(epoch, [
            { validator: account(4).address, compute: 1n },
          ]);
          writeProofsFile(file, built.proofs);
          return { proofs: file };
        },
        /not ended|ends/,
      ],
      ["unbond with no stake", "validator:unbond", 1, async () => ({ amount: "max" }), /no active stake/],
    ];
    for (const [what, name, who, args, message] of cases) {
      it(what, async () => {
        const address = account(who).address;
        const spenders = [record.contracts.InflationVote, record.contracts.ValidatorStaking];
        const allowances = async () => Promise.all(spenders.map((s) => suite.token.allowance(address, s)));
        const nonce = await txCount(node, address);
        const before = await allowances();
        const run = await dg(name, { ...(await args()), account: who, rpcUrl: node.url });
        expect(run.code, run.out).to.equal(1);
        expect(run.err.split("\n"), run.err).to.have.length(1);
        expect(run.err).to.match(/^error: /);
        expect(run.err).to.match(message);
        expect(await txCount(node, address)).to.equal(nonce);
        expect(await allowances()).to.deep.equal(before);
      });
    }
  });

  it("a record whose addresses hold no code (the node was restarted): every task refuses, nothing is sent", async () => {
    const stale = fs.mkdtempSync(path.join(os.tmpdir(), "dg-stale-"));
    const contracts = Object.fromEntries(
      Object.keys(record.contracts).map((name, i) => [name, `0x${(i + 1).toString(16).padStart(40, "0")}`]),
    );
    fs.writeFileSync(path.join(stale, "97.json"), JSON.stringify({ ...record, contracts }));
    const nonce = await txCount(node, account(0).address);
    process.env.DG_DEPLOYMENTS_DIR = stale;
    try {
      for (const [name, args] of [
        ["release", {}],
        ["schedule", {}],
        ["balance", { address: account(1).address }],
      ] as const) {
        const run = await dg(name, { ...args, rpcUrl: node.url });
        expect(run.code).to.equal(1);
        expect(run.err).to.match(
          /^error: DataGen at 0x0{39}1 has no code on chain 97 \(recorded in .*97\.json\): the node was restarted or reset since, or this is another node; start afresh with `npx hardhat dg:deploy --network .* --reset`$/,
        );
      }
    } finally {
      process.env.DG_DEPLOYMENTS_DIR = dir;
    }
    expect(await txCount(node, account(0).address)).to.equal(nonce);
  });

  describe("the connection, typed as a user types it (child processes)", () => {
    const testnet = (env: Record<string, string> = {}) => ({
      BSC_TESTNET_RPC_URL: node.url,
      DG_DEPLOYMENTS_DIR: dir,
      TS_NODE_TRANSPILE_ONLY: "1",
      ...env,
    });
    const cli = (args: string[], env: Record<string, string>) => runHardhat(args, env);

    it("read-only tasks need no key; a task that sends says which variable to set", async () => {
      const read = await cli(["dg:schedule", "--network", "bscTestnet"], testnet());
      expect(read.code, read.stderr).to.equal(0);
      expect(read.stdout).to.match(/daily rate\s+/);
      const nonce = await txCount(node, account(0).address);
      const send = await cli(["dg:release", "--network", "bscTestnet"], testnet());
      expect(send.code).to.equal(1);
      expect(send.stderr.trim()).to.equal(
        "error: no key for bscTestnet: set DEPLOYER_PRIVATE_KEY (environment, or `npx hardhat vars set DEPLOYER_PRIVATE_KEY`), or pass --key-env <VARIABLE>",
      );
      expect(await txCount(node, account(0).address)).to.equal(nonce);
    });

    it("a malformed key breaks only the tasks that sign, and is never printed", async () => {
      const env = testnet({ DEPLOYER_PRIVATE_KEY: "0x1234abcd" });
      const read = await cli(["dg:balance", "--network", "bscTestnet", "--address", account(1).address], env);
      expect(read.code, read.stderr).to.equal(0);
      expect(read.stdout).to.match(/DG\s+296,990 DG/);
      const send = await cli(["dg:release", "--network", "bscTestnet"], env);
      expect(send.code).to.equal(1);
      expect(send.stderr.trim()).to.equal(
        "error: DEPLOYER_PRIVATE_KEY is not a private key: expected 64 hex digits (with or without 0x), got 8 characters",
      );
      expect(send.stderr + send.stdout).to.not.include("1234abcd");
    });

    it("a zero key is refused by the tasks that sign; with --rpc-url the configured key signs, never the node's unlocked account", async () => {
      const zero = testnet({ DEPLOYER_PRIVATE_KEY: `0x${"0".repeat(64)}` });
      expect((await cli(["dg:schedule", "--network", "bscTestnet"], zero)).code).to.equal(0);
      const refused = await cli(["dg:release", "--network", "bscTestnet"], zero);
      expect(refused.stderr.trim()).to.equal(
        "error: DEPLOYER_PRIVATE_KEY is not a valid secp256k1 private key: it must be above 0 and below the curve order",
      );
      const [treasury, holder] = [account(0).address, account(1).address];
      const before = [await txCount(node, treasury), await txCount(node, holder)];
      const sent = await cli(
        ["dg:transfer", "--network", "bscTestnet", "--rpc-url", node.url, "--to", account(5).address, "--amount", "1"],
        testnet({ DEPLOYER_PRIVATE_KEY: accountKey(1) }),
      );
      expect(sent.code, sent.stderr).to.equal(0);
      expect([await txCount(node, treasury), await txCount(node, holder)]).to.deep.equal([before[0], before[1] + 1]);
    });

    it("an unreachable RPC is named with its URL and the variable it came from", async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const run = await cli(["dg:schedule", "--network", "bscTestnet"], testnet({ BSC_TESTNET_RPC_URL: closed }));
      expect(run.code).to.equal(1);
      expect(run.stderr.trim()).to.equal(
        `error: cannot reach the RPC at ${closed} (from BSC_TESTNET_RPC_URL): ECONNREFUSED; is the node running and the URL right?`,
      );
      const flag = await cli(["dg:schedule", "--network", "bscTestnet", "--rpc-url", closed], testnet());
      expect(flag.stderr.trim()).to.equal(
        `error: cannot reach the RPC at ${closed} (--rpc-url): ECONNREFUSED; is the node running and the URL right?`,
      );
    });

    it("a node of another chain than the network's is refused before anything else", async () => {
      const run = await cli(["dg:schedule", "--network", "bsc"], testnet({ BSC_RPC_URL: node.url }));
      expect(run.code).to.equal(1);
      expect(run.stderr.trim()).to.equal(
        `error: wrong chain: the RPC at ${node.url} (from BSC_RPC_URL) serves chain 97, but --network bsc is chain 56`,
      );
    });

    it("--key-env names the variable holding this command's key; --json prints machine-readable output", async () => {
      const sender = account(1).address;
      const nonce = await txCount(node, sender);
      // Account 1's key in HOLDER_KEY, named by --key-env (the network's DEPLOYER_PRIVATE_KEY is unset).
      const transfer = (amount: string) =>
        cli(
          [
            "dg:transfer",
            "--network",
            "bscTestnet",
            "--key-env",
            "HOLDER_KEY",
            "--to",
            account(5).address,
            "--amount",
            amount,
          ],
          testnet({ HOLDER_KEY: accountKey(1) }),
        );
      const run = await transfer("1,5");
      expect(run.code).to.equal(1);
      expect(run.stderr.trim()).to.match(/^error: --amount must be a positive DG amount like 1500, 1_500 or 0\.25/);
      expect(await txCount(node, sender)).to.equal(nonce);
      const sent = await transfer("1.5");
      expect(sent.code, sent.stderr).to.equal(0);
      expect(sent.stdout).to.match(/sent\s+1\.5 DG to /);
      expect(await txCount(node, sender)).to.equal(nonce + 1);
      const json = await cli(
        ["dg:balance", "--network", "bscTestnet", "--address", account(5).address, "--json"],
        testnet(),
      );
      expect(json.code, json.stderr).to.equal(0);
      expect(JSON.parse(json.stdout)).to.deep.include({
        address: account(5).address,
        dg: ((25n * DG) / 10n).toString(),
      });
    });
  });

  it("the README's SDK example (examples/validator.ts) runs as written", async () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const example = fs.readFileSync(path.join(ROOT, "examples", "validator.ts"), "utf8");
    expect(readme).to.include("```ts\n" + example + "```");
    const key = accountKey(6);
    await (await suite.token.connect(account(0)).transfer(new Wallet(key).address, 10_000n * DG)).wait();
    const child = spawn(process.execPath, [require.resolve("ts-node/dist/bin.js"), "examples/validator.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        RPC_URL: node.url,
        VALIDATOR_KEY: key,
        DG_DEPLOYMENTS_DIR: dir,
        TS_NODE_TRANSPILE_ONLY: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.once("close", resolve));
    expect(code, err).to.equal(0);
    expect(out.split("\n")).to.include.members([
      "status Active, active stake 10,000 DG",
      "refused: the stake of 5,000 DG is below the minimum of 10,000 DG: a validator's active stake is 0 or at least 10,000 DG",
    ]);
  });
});
