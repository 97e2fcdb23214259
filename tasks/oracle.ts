/** Oracle and cross-check tasks: build and submit an epoch; open, draw, commit, reveal, finalize a check. */
import path from "node:path";
import { task, types } from "hardhat/config";
import { id } from "ethers";
import { parseAddress, parseBytes32, parseWhole } from "./lib/args";
import { connect, printLines } from "./lib/context";
import { runTask } from "./lib/run";

const ACCOUNT = ["account", "Index of the acting account among the network's accounts", 0, types.int] as const;

task(
  "dg:epoch:build",
  "Build an epoch from a compute report (CSV or JSON) into a root and a proofs file; sends nothing",
)
  .addParam("report", "The compute report: CSV `validator,compute` lines, or JSON [{validator, compute}]")
  .addParam("epoch", "The epoch id")
  .addParam("out", "Where to write the proofs file (JSON)")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { report: string; epoch: string; out: string; account: number }, hre) =>
    runTask(async () => {
      const epoch = parseWhole(args.epoch, "epoch");
      const { readComputeReport } = await import("../scripts/lib/report");
      const entries = readComputeReport(args.report);
      const { OracleClient, writeProofsFile } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const { built, proofs } = await new OracleClient(suite, signer).buildEpoch(epoch, entries);
      writeProofsFile(args.out, proofs);
      printLines([
        ["epoch", epoch],
        ["validators", entries.length],
        ["total compute", built.totalCompute],
        ["root", built.root],
        ["proofs file", path.resolve(args.out)],
      ]);
    }),
  );

task("dg:epoch:submit", "Post an epoch's root and total compute from its proofs file (oracle role)")
  .addParam("proofs", "The proofs file written by dg:epoch:build")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { proofs: string; account: number }, hre) =>
    runTask(async () => {
      const { OracleClient, readProofsFile, formatDG } = await import("../sdk");
      const proofs = readProofsFile(args.proofs);
      const { suite, signer } = await connect(hre, args.account);
      const epoch = BigInt(proofs.epoch);
      const receipt = await new OracleClient(suite, signer).postEpoch(epoch, proofs);
      printLines([
        ["epoch", epoch],
        ["pool", formatDG((await suite.rewards.getEpoch(epoch)).pool)],
        ["claims open at", new Date(Number(await suite.rewards.activatesAt(epoch)) * 1000).toISOString()],
        ["transaction", receipt.hash],
      ]);
    }),
  );

/** A task id: 32-byte hex as is, any other text hashed (keccak256 of its UTF-8 bytes). */
function taskIdOf(value: string): string {
  const text = String(value).trim();
  if (text === "") throw new Error("--task must not be empty");
  return /^0x[0-9a-fA-F]{64}$/.test(text) ? text.toLowerCase() : id(text);
}

task("dg:check:open", "Open a cross-check of a task (coordinator role)")
  .addParam("task", "The task: 32-byte hex, or any text (hashed)")
  .addParam("user", "The user's address")
  .addParam("paired", "The paired validator's address")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { task: string; user: string; paired: string; account: number }, hre) =>
    runTask(async () => {
      const taskId = taskIdOf(args.task);
      const user = parseAddress(args.user, "user");
      const paired = parseAddress(args.paired, "paired");
      const { OracleClient } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const { checkId, receipt } = await new OracleClient(suite, signer).openCheck(taskId, user, paired);
      printLines([
        ["check", checkId],
        ["task id", taskId],
        ["next", `npx hardhat dg:check:draw --check ${checkId} (in a later block)`],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:check:draw", "Draw a check's checkers (or its fifth validator) from the seed block")
  .addParam("check", "Check id")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { check: string; account: number }, hre) =>
    runTask(async () => {
      const checkId = parseWhole(args.check, "check", { min: 1n });
      const { OracleClient } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const receipt = await new OracleClient(suite, signer).draw(checkId);
      const info = await suite.crossCheck.checkInfo(checkId);
      printLines([
        [
          "drawn",
          info.drawn.filter((a) => !/^0x0{40}$/.test(a)).join(", ") || "(re-armed: draw again in a later block)",
        ],
        ["commit until", new Date(Number(info.commitDeadline) * 1000).toISOString()],
        ["reveal until", new Date(Number(info.revealDeadline) * 1000).toISOString()],
        ["transaction", receipt.hash],
      ]);
    }),
  );

task("dg:check:commit", "Commit your result hash to a check (prints the salt to keep for the reveal)")
  .addParam("check", "Check id")
  .addParam("result", "Your result hash (32-byte hex)")
  .addOptionalParam("salt", "A 32-byte hex salt (default: a fresh random one)")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { check: string; result: string; salt?: string; account: number }, hre) =>
    runTask(async () => {
      const checkId = parseWhole(args.check, "check", { min: 1n });
      const result = parseBytes32(args.result, "result");
      const salt = args.salt === undefined ? undefined : parseBytes32(args.salt, "salt");
      const { CheckParty } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const committed = await new CheckParty(suite, signer).commitResult(checkId, result, salt);
      printLines([
        ["salt (keep it to reveal)", committed.salt],
        ["commitment", committed.commitment],
        ["transaction", committed.receipt.hash],
      ]);
    }),
  );

task("dg:check:reveal", "Reveal your committed result hash (after the commit deadline)")
  .addParam("check", "Check id")
  .addParam("result", "Your result hash (32-byte hex)")
  .addParam("salt", "The salt printed by dg:check:commit")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { check: string; result: string; salt: string; account: number }, hre) =>
    runTask(async () => {
      const checkId = parseWhole(args.check, "check", { min: 1n });
      const result = parseBytes32(args.result, "result");
      const salt = parseBytes32(args.salt, "salt");
      const { CheckParty } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const receipt = await new CheckParty(suite, signer).revealResult(checkId, result, salt);
      printLines([["transaction", receipt.hash]]);
    }),
  );

task("dg:check:finalize", "Finalize a check after its reveal deadline: verdict, slashes, rewards")
  .addParam("check", "Check id")
  .addOptionalParam(...ACCOUNT)
  .setAction(async (args: { check: string; account: number }, hre) =>
    runTask(async () => {
      const checkId = parseWhole(args.check, "check", { min: 1n });
      const { OracleClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args.account);
      const { verdict, receipt } = await new OracleClient(suite, signer).finalize(checkId);
      const lines: [string, string][] = [["verdict", verdict]];
      for (const log of receipt.logs) {
        const e = (() => {
          try {
            return suite.crossCheck.interface.parseLog(log);
          } catch {
            return null;
          }
        })();
        if (e?.name === "ValidatorSlashed")
          lines.push([`slashed ${e.args.validator}`, formatDG(e.args.slashed as bigint)]);
        if (e?.name === "CheckerRewarded")
          lines.push([`rewarded ${e.args.checker}`, formatDG(e.args.amount as bigint)]);
      }
      lines.push(["transaction", receipt.hash]);
      printLines(lines);
    }),
  );
