/** Validator tasks: stake, unbond, withdraw, status, claim rewards from proofs files. */
import { task, types } from "hardhat/config";
import { parseAddress, parseDG } from "./lib/args";
import { connect, printLines } from "./lib/context";
import { runTask } from "./lib/run";

const ACCOUNT = ["account", "Index of the acting account among the network's accounts", 0, types.int] as const;

task("dg:validator:stake", "Stake DG (a first stake of at least the minimum admits you; later ones top up)")
  .addParam("amount", "DG to stake, e.g. 10000")
  .addFlag("noPermit", "Send approve + stake instead of one stakeWithPermit transaction")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { amount: string; noPermit: boolean; account: number }, hre) =>
    runTask(async () => {
      const amount = parseDG(args.amount);
      const { ValidatorClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const client = new ValidatorClient(suite, signer);
      const receipt = await client.stake(amount, { permit: !args.noPermit });
      const status = await client.status();
      printLines([
        ["status", status.status],
        ["active stake", formatDG(status.active)],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:validator:unbond", "Move stake to unbonding; it can be withdrawn after the cooldown")
  .addParam("amount", "DG to unbond")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { amount: string; account: number }, hre) =>
    runTask(async () => {
      const amount = parseDG(args.amount);
      const { ValidatorClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const client = new ValidatorClient(suite, signer);
      const receipt = await client.requestUnbond(amount);
      const status = await client.status();
      printLines([
        ["status", status.status],
        ["active stake", formatDG(status.active)],
        [
          "unbonding",
          `${formatDG(status.unbonding)} until ${new Date(Number(status.unbondingEnd) * 1000).toISOString()}`,
        ],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:validator:withdraw", "Withdraw your unbonded stake after the cooldown")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { account: number }, hre) =>
    runTask(async () => {
      const { ValidatorClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const before = await suite.token.balanceOf(signer.address);
      const client = new ValidatorClient(suite, signer);
      const receipt = await client.withdraw();
      printLines([
        ["withdrawn", formatDG((await suite.token.balanceOf(signer.address)) - before)],
        ["status", (await client.status()).status],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:validator:status", "Show a validator's stake, state, admission and faults, and the escrow's slashing rules")
  .addOptionalParam("address", "The validator (default: the acting account)")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { address?: string; account: number }, hre) =>
    runTask(async () => {
      const address = args.address === undefined ? undefined : parseAddress(args.address, "address");
      const { ValidatorClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const client = new ValidatorClient(suite, signer);
      const s = await client.status(address);
      const rules = await client.rules();
      const when = (t: bigint) => (t === 0n ? "-" : new Date(Number(t) * 1000).toISOString());
      printLines([
        ["validator", s.address],
        ["status", s.status],
        ["active stake", formatDG(s.active)],
        ["unbonding", formatDG(s.unbonding)],
        ["unbonding ends", when(s.unbondingEnd)],
        ["open checks", s.openExposures],
        ["proven faults", s.faults],
        ["admitted at", when(s.admittedAt)],
        ["left at", s.admittedAt !== 0n && s.leftAt === 0n ? "- (still Active)" : when(s.leftAt)],
        ["can withdraw at", s.canWithdrawAt === undefined ? "-" : when(s.canWithdrawAt)],
        ["escrow slasher", rules.slasher],
        ["slash reward share", `${rules.slashRewardBps} bps (at most ${rules.maxSlashRewardBps})`],
        [
          "pending rule change",
          [
            rules.pendingSlasher &&
              `slasher ${rules.pendingSlasher.slasher} from ${when(rules.pendingSlasher.effectiveAt)}`,
            rules.pendingSlashRewardBps &&
              `reward share ${rules.pendingSlashRewardBps.bps} bps from ${when(rules.pendingSlashRewardBps.effectiveAt)}`,
          ]
            .filter(Boolean)
            .join("; ") || "none",
        ],
      ]);
    }),
  );

task("dg:validator:claim", "Claim your rewards for every epoch of the proofs files, in one transaction")
  .addParam("proofs", "Proofs file(s) written by dg:epoch:build, comma-separated")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { proofs: string; account: number }, hre) =>
    runTask(async () => {
      const { ValidatorClient, formatDG, readProofsFile } = await import("../sdk");
      const files = args.proofs.split(",").map((f) => readProofsFile(f.trim()));
      const { suite, signer } = await connect(hre, args.account);
      const result = await new ValidatorClient(suite, signer).claimFromProofs(files);
      printLines([
        ["epochs claimed", result.epochs.join(", ")],
        ["paid", formatDG(result.paid)],
        ["transaction", result.receipt.hash],
      ]);
    }),
  );
