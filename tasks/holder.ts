/** Holder tasks: the release schedule, `release()`, and the inflation-cut vote. */
import { task, types } from "hardhat/config";
import { parseDG, parseSide, parseWhole } from "./lib/args";
import { connect, printLines } from "./lib/context";
import { runTask } from "./lib/run";

const ACCOUNT = ["account", "Index of the acting account among the network's accounts", 0, types.int] as const;

task("dg:schedule", "Print the halving schedule now (or at --at unix seconds)")
  .addOptionalParam("at", "Unix timestamp (default: the latest block)")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { at?: string; account: number }, hre) =>
    runTask(async () => {
      const at = args.at === undefined ? undefined : parseWhole(args.at, "at");
      const { formatDG, scheduleStatus } = await import("../sdk");
      const { suite } = await connect(hre, args.account);
      const s = await scheduleStatus(suite, at);
      const nextHalving = s.day < 0n ? 0n : (s.day / 1095n + 1n) * 1095n;
      printLines([
        ["at", `${new Date(Number(s.at) * 1000).toISOString()} (day ${s.day})`],
        ["daily rate", formatDG(s.dailyRate)],
        ["emitted by then", formatDG(s.emittedBy)],
        ["released so far", formatDG(s.released)],
        ["releasable now", formatDG(s.releasable)],
        ["burn rate", `${s.burnBps} bps`],
        ["next halving", nextHalving <= 6n * 1095n ? `day ${nextHalving}` : "none (floor rate reached)"],
      ]);
    }),
  );

task("dg:release", "Release what the schedule owes (anyone may call it)")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { account: number }, hre) =>
    runTask(async () => {
      const { formatDG, send } = await import("../sdk");
      const { suite } = await connect(hre, args.account);
      const receipt = await send(suite.reservation.release);
      const event = receipt.logs
        .map((l) => suite.reservation.interface.parseLog(l))
        .find((e) => e?.name === "Released");
      printLines([
        ["to the distributor", formatDG(event ? (event.args.toBeneficiary as bigint) : 0n)],
        ["burned", formatDG(event ? (event.args.burned as bigint) : 0n)],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:propose", "Propose a new burn rate for every release (pays the proposal deposit)")
  .addParam("burnBps", "The burn rate to vote on, in basis points (0..10000)")
  .addParam("days", "Voting duration in days (7..30)")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { burnBps: string; days: string; account: number }, hre) =>
    runTask(async () => {
      const burnBps = parseWhole(args.burnBps, "burn-bps", { max: 10_000n });
      const days = parseWhole(args.days, "days", { min: 1n, max: 365n });
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const { proposalId, deposit, receipt } = await new HolderClient(suite, signer).propose(burnBps, days * 86_400n);
      printLines([
        ["proposal", proposalId],
        ["deposit", `${formatDG(deposit)} (returned unless the vote ends below its quorum's participation)`],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:back", "Pool DG behind a proposal (100,000 DG open its vote)")
  .addParam("proposal", "Proposal id")
  .addParam("amount", "DG to pool, e.g. 25000")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { proposal: string; amount: string; account: number }, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const amount = parseDG(args.amount);
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const holder = new HolderClient(suite, signer);
      const receipt = await holder.back(id, amount);
      const p = await holder.proposal(id);
      printLines([
        ["pooled", formatDG(p.pooled)],
        ["state", p.state],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:unback", "Take pooled DG back from a pooling or queued proposal (a queued one leaves the queue)")
  .addParam("proposal", "Proposal id")
  .addParam("amount", "DG to take back, e.g. 25000")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { proposal: string; amount: string; account: number }, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const amount = parseDG(args.amount);
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const holder = new HolderClient(suite, signer);
      const receipt = await holder.withdrawBacking(id, amount);
      const p = await holder.proposal(id);
      printLines([
        ["pooled", formatDG(p.pooled)],
        ["state", p.state],
        ["pool deadline", new Date(Number(p.poolDeadline) * 1000).toISOString()],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:vote", "Vote on the running proposal, locking DG until it is settled")
  .addParam("proposal", "Proposal id")
  .addParam("support", '"for" or "against"')
  .addParam("amount", "DG to lock (at least 20)")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { proposal: string; support: string; amount: string; account: number }, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const support = parseSide(args.support);
      const amount = parseDG(args.amount);
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const holder = new HolderClient(suite, signer);
      const receipt = await holder.vote(id, support, amount);
      const p = await holder.proposal(id);
      printLines([
        ["for", formatDG(p.forVotes)],
        ["against", formatDG(p.againstVotes)],
        ["ends", new Date(Number(p.votingEnd) * 1000).toISOString()],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:settle", "Settle a vote that has ended (a passed one sets the burn rate)")
  .addParam("proposal", "Proposal id")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { proposal: string; account: number }, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const { HolderClient } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const holder = new HolderClient(suite, signer);
      const receipt = await holder.settle(id);
      printLines([
        ["result", (await holder.proposal(id)).state],
        ["burn rate now", `${await suite.reservation.burnBps()} bps`],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:withdraw", "Withdraw the DG you pooled and locked in a proposal (and your deposit if you proposed it)")
  .addParam("proposal", "Proposal id")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { proposal: string; account: number }, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const before = await suite.token.balanceOf(signer.address);
      const receipt = await new HolderClient(suite, signer).withdraw(id);
      printLines([
        ["withdrawn", formatDG((await suite.token.balanceOf(signer.address)) - before)],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:votes", "Show the running vote and the queue of proposals waiting for theirs")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { account: number }, hre) =>
    runTask(async () => {
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const holder = new HolderClient(suite, signer);
      const running = await holder.runningVote();
      console.log(
        running
          ? `running: proposal ${running.id} → ${running.targetBurnBps} bps, for ${formatDG(running.forVotes)}, against ${formatDG(running.againstVotes)}, quorum ${formatDG(running.quorum)}, ends ${new Date(Number(running.votingEnd) * 1000).toISOString()}`
          : "running: none",
      );
      const queue = await holder.queue();
      console.log(
        queue.length === 0
          ? "queue: empty"
          : `queue: ${queue.map((p) => `#${p.id} (${p.targetBurnBps} bps)`).join(", ")}`,
      );
    }),
  );
