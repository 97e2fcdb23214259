/** Validator tasks: stake, unbond, withdraw, status, claim rewards from proofs files. */
import { task } from "hardhat/config";
import { parseAddress, parseDG } from "./lib/args";
import { VoidSigner } from "ethers";
import { connect, iso, printLines, report, subjectOf, withConnection, type ConnectionArgs } from "./lib/context";
import { runTask } from "./lib/run";

withConnection(
  task("dg:validator:stake", "Stake DG (a first stake of at least the minimum admits you; later ones top up)"),
  "send",
)
  .addParam("amount", "DG to stake, e.g. 10000")
  .addFlag("noPermit", "Send approve + stake instead of one stakeWithPermit transaction")
  .setAction(async (args: { amount: string; noPermit: boolean } & ConnectionArgs, hre) =>
    runTask(async () => {
      const amount = parseDG(args.amount);
      const { ValidatorClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
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

withConnection(task("dg:validator:unbond", "Move stake to unbonding; it can be withdrawn after the cooldown"), "send")
  .addParam("amount", 'DG to unbond, or "max" for the largest amount the escrow accepts now')
  .setAction(async (args: { amount: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const max = args.amount.trim().toLowerCase() === "max";
      const given = max ? undefined : parseDG(args.amount);
      const { ValidatorClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const client = new ValidatorClient(suite, signer);
      const amount = given ?? (await client.maxUnbond());
      if (amount === 0n) throw new Error("nothing to unbond: you have no active stake");
      const receipt = await client.requestUnbond(amount);
      const status = await client.status();
      printLines([
        ["status", status.status],
        ["active stake", formatDG(status.active)],
        ["unbonding", `${formatDG(status.unbonding)} until ${iso(status.unbondingEnd)}`],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(task("dg:validator:withdraw", "Withdraw your unbonded stake after the cooldown"), "send").setAction(
  async (args: ConnectionArgs, hre) =>
    runTask(async () => {
      const { ValidatorClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
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

withConnection(
  task("dg:validator:status", "Show a validator's stake, state, admission and faults, and the escrow's slashing rules"),
  "read",
)
  .addOptionalParam("address", "The validator (default: the acting account)")
  .setAction(async (args: { address?: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const address = args.address === undefined ? undefined : parseAddress(args.address, "address");
      const { ValidatorClient, formatDG } = await import("../sdk");
      const connected = await connect(hre, args, "read");
      const { suite, provider } = connected;
      const subject = subjectOf(address, connected);
      const client = new ValidatorClient(suite, new VoidSigner(subject, provider));
      const s = await client.status(subject);
      const maxUnbond = await client.maxUnbond(subject);
      const rules = await client.rules();
      const when = (t: bigint) => (t === 0n ? "-" : iso(t));
      report(
        args,
        [
          ["validator", s.address],
          ["status", s.status],
          ["active stake", formatDG(s.active)],
          ["can unbond now", `at most ${formatDG(maxUnbond)} (dg:validator:unbond --amount max)`],
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
        ],
        { ...s, maxUnbond, rules },
      );
    }),
  );

withConnection(
  task("dg:validator:claim", "Claim your rewards for every epoch of the proofs files, in one transaction"),
  "send",
)
  .addParam("proofs", "Proofs file(s) written by dg:epoch:build, comma-separated")
  .setAction(async (args: { proofs: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const { ValidatorClient, formatDG, readProofsFile } = await import("../sdk");
      const files = args.proofs.split(",").map((f) => readProofsFile(f.trim()));
      const { suite, signer } = await connect(hre, args);
      const result = await new ValidatorClient(suite, signer).claimFromProofs(files);
      printLines([
        ["epochs claimed", result.epochs.join(", ")],
        ["paid", formatDG(result.paid)],
        ["transaction", result.receipt.hash],
      ]);
    }),
  );
