/** Holder tasks: the release schedule, `release()`, and the inflation-cut vote. */
import { task } from "hardhat/config";
import { parseAddress, parseDG, parseSide, parseWhole } from "./lib/args";
import { VoidSigner, ZeroAddress, formatEther } from "ethers";
import {
  connect,
  iso,
  printJson,
  printLines,
  report,
  subjectOf,
  withConnection,
  type ConnectionArgs,
} from "./lib/context";
import { runTask } from "./lib/run";

const DAY = 86_400n;
/** 9999-12-31T23:59:59Z: the last unix second a date can print. */
const LAST_DATE = 253_402_300_799n;

withConnection(task("dg:schedule", "Print the halving schedule now (or at --at unix seconds)"), "read")
  .addOptionalParam("at", "Unix timestamp (default: the latest block)")
  .setAction(async (args: { at?: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const at = args.at === undefined ? undefined : parseWhole(args.at, "at", { max: LAST_DATE });
      const { formatDG, scheduleStatus, HALVING_PERIOD_DAYS, HALVINGS_TO_FLOOR } = await import("../sdk");
      const { suite } = await connect(hre, args, "read");
      const s = await scheduleStatus(suite, at);
      const period = BigInt(HALVING_PERIOD_DAYS);
      // Day 0 is the start, not a halving: before it, the first halving is still a period after day 0.
      const nextHalving = s.day < 0n ? period : (s.day / period + 1n) * period;
      const halving = nextHalving <= BigInt(HALVINGS_TO_FLOOR) * period ? nextHalving : undefined;
      report(
        args,
        [
          ["at", `${iso(s.at)} (day ${s.day})`],
          ["daily rate", formatDG(s.dailyRate)],
          ["emitted by then", formatDG(s.emittedBy)],
          ["released so far", formatDG(s.released)],
          ["releasable now", formatDG(s.releasable)],
          ["burn rate", `${s.burnBps} bps`],
          [
            "next halving",
            halving === undefined ? "none (floor rate reached)" : `day ${halving} (in ${halving - s.day} days)`,
          ],
        ],
        { ...s, nextHalvingDay: halving ?? null },
      );
    }),
  );

withConnection(task("dg:release", "Release what the schedule owes (anyone may call it)"), "send").setAction(
  async (args: ConnectionArgs, hre) =>
    runTask(async () => {
      const { formatDG, send } = await import("../sdk");
      const { suite } = await connect(hre, args);
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

withConnection(task("dg:propose", "Propose a new burn rate for every release (pays the proposal deposit)"), "send")
  .addParam("burnBps", "The burn rate to vote on, in basis points (0..10000)")
  .addParam("days", "Voting duration in whole days (7..30)")
  .setAction(async (args: { burnBps: string; days: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const burnBps = parseWhole(args.burnBps, "burn-bps", { max: 10_000n });
      const days = parseWhole(args.days, "days");
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const [min, max] = [
        await suite.inflationVote.MIN_VOTING_DURATION(),
        await suite.inflationVote.MAX_VOTING_DURATION(),
      ];
      if (days * DAY < min || days * DAY > max) {
        throw new Error(`--days must be between ${min / DAY} and ${max / DAY} days, got ${days} days`);
      }
      const { proposalId, deposit, receipt } = await new HolderClient(suite, signer).propose(burnBps, days * DAY);
      printLines([
        ["proposal", proposalId],
        ["deposit", `${formatDG(deposit)} (returned unless the vote ends below its quorum's participation)`],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(task("dg:back", "Pool DG behind a proposal (100,000 DG open its vote)"), "send")
  .addParam("proposal", "Proposal id")
  .addParam("amount", "DG to pool, e.g. 25000")
  .setAction(async (args: { proposal: string; amount: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const amount = parseDG(args.amount);
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const holder = new HolderClient(suite, signer);
      const before = await suite.token.balanceOf(signer.address);
      const receipt = await holder.back(id, amount);
      const taken = before - (await suite.token.balanceOf(signer.address));
      const p = await holder.proposal(id);
      printLines([
        ["you pooled", `${formatDG(taken)}${taken < amount ? " (all the pool still took)" : ""}`],
        ["pooled", formatDG(p.pooled)],
        ["state", p.state],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(
  task("dg:unback", "Take pooled DG back from a pooling or queued proposal (a queued one leaves the queue)"),
  "send",
)
  .addParam("proposal", "Proposal id")
  .addParam("amount", "DG to take back, e.g. 25000")
  .setAction(async (args: { proposal: string; amount: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const amount = parseDG(args.amount);
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const holder = new HolderClient(suite, signer);
      const receipt = await holder.withdrawBacking(id, amount);
      const p = await holder.proposal(id);
      printLines([
        ["pooled", formatDG(p.pooled)],
        ["state", p.state],
        ["pool deadline", iso(p.poolDeadline)],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(task("dg:vote", "Vote on the running proposal, locking DG until it is settled"), "send")
  .addParam("proposal", "Proposal id")
  .addParam("support", '"for" or "against"')
  .addParam("amount", "DG to lock (at least 20)")
  .setAction(async (args: { proposal: string; support: string; amount: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const support = parseSide(args.support);
      const amount = parseDG(args.amount);
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const holder = new HolderClient(suite, signer);
      const receipt = await holder.vote(id, support, amount);
      const p = await holder.proposal(id);
      printLines([
        ["for", formatDG(p.forVotes)],
        ["against", formatDG(p.againstVotes)],
        ["ends", iso(p.votingEnd)],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(task("dg:settle", "Settle a vote that has ended (a passed one sets the burn rate)"), "send")
  .addParam("proposal", "Proposal id")
  .setAction(async (args: { proposal: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const { HolderClient } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const holder = new HolderClient(suite, signer);
      const receipt = await holder.settle(id);
      printLines([
        ["result", (await holder.proposal(id)).state],
        ["burn rate now", `${await suite.reservation.burnBps()} bps`],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(
  task("dg:withdraw", "Withdraw the DG you pooled and locked in a proposal (and your deposit if you proposed it)"),
  "send",
)
  .addParam("proposal", "Proposal id")
  .setAction(async (args: { proposal: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const before = await suite.token.balanceOf(signer.address);
      const receipt = await new HolderClient(suite, signer).withdraw(id);
      printLines([
        ["withdrawn", formatDG((await suite.token.balanceOf(signer.address)) - before)],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(
  task("dg:votes", "Show the running vote and the queue of proposals waiting for theirs"),
  "read",
).setAction(async (args: ConnectionArgs, hre) =>
  runTask(async () => {
    const { HolderClient, formatDG } = await import("../sdk");
    const { suite, provider } = await connect(hre, args, "read");
    const holder = new HolderClient(suite, new VoidSigner(ZeroAddress, provider));
    const running = await holder.runningVote();
    const queue = await holder.queue();
    if (args.json) return printJson({ running: running ?? null, queue });
    console.log(
      running
        ? `running: proposal ${running.id} → ${running.targetBurnBps} bps, for ${formatDG(running.forVotes)}, against ${formatDG(running.againstVotes)}, quorum ${formatDG(running.quorum)}, ends ${iso(running.votingEnd)}`
        : "running: none",
    );
    console.log(
      queue.length === 0
        ? "queue: empty"
        : `queue: ${queue.map((p) => `#${p.id} (${p.targetBurnBps} bps)`).join(", ")}`,
    );
  }),
);

withConnection(task("dg:balance", "Show the DG and BNB balances of an address (default: the acting account)"), "read")
  .addOptionalParam("address", "The address (default: the acting account)")
  .setAction(async (args: { address?: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const address = args.address === undefined ? undefined : parseAddress(args.address, "address");
      const { formatDG } = await import("../sdk");
      const connected = await connect(hre, args, "read");
      const subject = subjectOf(address, connected);
      const dg = await connected.suite.token.balanceOf(subject);
      const bnb = await connected.provider.getBalance(subject);
      report(
        args,
        [
          ["address", subject],
          ["DG", formatDG(dg)],
          ["BNB", `${formatEther(bnb)} BNB`],
        ],
        { address: subject, dg, bnb },
      );
    }),
  );

withConnection(task("dg:transfer", "Send DG to an address (checked: your balance, no zero address)"), "send")
  .addParam("to", "The recipient's address")
  .addParam("amount", "DG to send, e.g. 1500")
  .setAction(async (args: { to: string; amount: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const to = parseAddress(args.to, "to");
      const amount = parseDG(args.amount);
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const receipt = await new HolderClient(suite, signer).transfer(to, amount);
      printLines([
        ["sent", `${formatDG(amount)} to ${to}`],
        ["your balance", formatDG(await suite.token.balanceOf(signer.address))],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(task("dg:proposals", "List every proposal, including those still pooling"), "read").setAction(
  async (args: ConnectionArgs, hre) =>
    runTask(async () => {
      const { HolderClient, formatDG } = await import("../sdk");
      const { suite, provider } = await connect(hre, args, "read");
      const proposals = await new HolderClient(suite, new VoidSigner(ZeroAddress, provider)).proposals();
      if (args.json) return printJson(proposals);
      if (proposals.length === 0) return console.log("no proposal yet");
      for (const p of proposals) {
        console.log(
          `#${p.id} ${p.state.padEnd(7)} → ${p.targetBurnBps} bps, ${p.votingDuration / DAY} days; pooled ${formatDG(p.pooled)}` +
            (p.state === "Voting" || p.votingStart !== 0n
              ? `; for ${formatDG(p.forVotes)}, against ${formatDG(p.againstVotes)}, quorum ${formatDG(p.quorum)}`
              : ""),
        );
      }
    }),
);

withConnection(
  task("dg:proposal", "Show one proposal in detail: pool, quorum progress, deadlines, and your position"),
  "read",
)
  .addParam("proposal", "Proposal id")
  .addOptionalParam("address", "Whose position to show (default: the acting account, if any)")
  .setAction(async (args: { proposal: string; address?: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const id = parseWhole(args.proposal, "proposal", { min: 1n });
      const address = args.address === undefined ? undefined : parseAddress(args.address, "address");
      const { HolderClient, formatDG } = await import("../sdk");
      const connected = await connect(hre, args, "read");
      const { suite, provider } = connected;
      const holder = new HolderClient(suite, new VoidSigner(ZeroAddress, provider));
      const p = await holder.proposal(id);
      const subject = address ?? connected.signer?.address;
      const position = subject === undefined ? undefined : await holder.position(id, subject);
      const target = await suite.inflationVote.POOL_TARGET();
      const lines: [string, string | bigint][] = [
        ["proposal", `#${p.id}: burn ${p.targetBurnBps} bps, a ${p.votingDuration / DAY}-day vote`],
        ["state", p.state],
        ["proposer", `${p.proposer} (deposit held: ${formatDG(p.deposit)})`],
        ["pooled", `${formatDG(p.pooled)} of ${formatDG(target)}`],
      ];
      if (p.state === "Pooling") lines.push(["pool deadline", iso(p.poolDeadline)]);
      if (p.votingStart !== 0n) {
        lines.push(
          ["for", formatDG(p.forVotes)],
          ["against", formatDG(p.againstVotes)],
          [
            "quorum",
            `${formatDG(p.forVotes)} for, of ${formatDG(p.quorum)} needed for (${p.quorum === 0n ? 100n : (p.forVotes * 100n) / p.quorum}%)`,
          ],
          [
            "if it closed now",
            p.passing ? "it would pass" : "it would fail (it needs more for than against, and the quorum)",
          ],
          ["voting", `${iso(p.votingStart)} → ${iso(p.votingEnd)}`],
        );
      }
      if (position && subject) {
        lines.push(
          ["your address", subject],
          ["your backing", formatDG(position.backed)],
          ["your vote", position.side === "None" ? "none" : `${position.side}, ${formatDG(position.locked)} locked`],
          [
            "you can take back",
            position.canWithdraw
              ? `${formatDG(position.withdrawable)} now (dg:withdraw)`
              : position.withdrawableBacking > 0n
                ? `${formatDG(position.withdrawableBacking)} of backing now (dg:unback)`
                : ["Passed", "Failed", "Expired"].includes(p.state)
                  ? "nothing: already withdrawn (or never put in; a deposit below the quorum's participation is burned)"
                  : position.locked > 0n || position.backed > 0n
                    ? "nothing now: pooled and locked DG come back once the vote is settled (dg:settle, then dg:withdraw)"
                    : "nothing: you have no position in it",
          ],
        );
      }
      report(args, lines, { ...p, position: position ? { address: subject, ...position } : null });
    }),
  );
