/**
 * Oracle and cross-check tasks: build and submit an epoch; sign a delivery receipt (the paired
 * validator); open a check from a receipt file (the coordinator); draw, commit, reveal, finalize.
 */
import fs from "node:fs";
import path from "node:path";
import { task } from "hardhat/config";
import { VoidSigner, ZeroAddress, id } from "ethers";
import { parseAddress, parseBytes32, parseWhole } from "./lib/args";
import { connect, iso, printLines, report, withConnection, type ConnectionArgs } from "./lib/context";
import { runTask } from "./lib/run";

withConnection(
  task(
    "dg:epoch:build",
    "Build an epoch from a compute report (CSV or JSON) into a root and a proofs file; sends nothing",
  ),
  "read",
)
  .addParam("report", "The compute report: CSV `validator,compute` lines, or JSON [{validator, compute}]")
  .addParam("epoch", "The epoch id")
  .addParam("out", "Where to write the proofs file (JSON)")
  .setAction(async (args: { report: string; epoch: string; out: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const epoch = parseWhole(args.epoch, "epoch");
      const { readComputeReport } = await import("../scripts/lib/report");
      const entries = readComputeReport(args.report);
      const { OracleClient, writeProofsFile } = await import("../sdk");
      const { suite, signer, provider } = await connect(hre, args, "read");
      const { built, proofs } = await new OracleClient(
        suite,
        signer ?? new VoidSigner(ZeroAddress, provider),
      ).buildEpoch(epoch, entries);
      writeProofsFile(args.out, proofs);
      report(
        args,
        [
          ["epoch", epoch],
          ["validators", entries.length],
          ["total compute", built.totalCompute],
          ["root", built.root],
          ["proofs file", path.resolve(args.out)],
        ],
        {
          epoch,
          validators: entries.length,
          totalCompute: built.totalCompute,
          root: built.root,
          proofsFile: path.resolve(args.out),
        },
      );
    }),
  );

withConnection(
  task("dg:epoch:submit", "Post an epoch's root and total compute from its proofs file (oracle role)"),
  "send",
)
  .addParam("proofs", "The proofs file written by dg:epoch:build")
  .addFlag(
    "skipEarlier",
    "Post an epoch after the next postable one: the epochs in between can never be posted (their emission goes to later pools)",
  )
  .setAction(async (args: { proofs: string; skipEarlier: boolean } & ConnectionArgs, hre) =>
    runTask(async () => {
      const { OracleClient, readProofsFile, formatDG } = await import("../sdk");
      const proofs = readProofsFile(args.proofs);
      const { suite, signer } = await connect(hre, args);
      const epoch = BigInt(proofs.epoch);
      const receipt = await new OracleClient(suite, signer).postEpoch(epoch, proofs, {
        skipEarlier: args.skipEarlier,
      });
      printLines([
        ["epoch", epoch],
        ["pool", formatDG((await suite.rewards.getEpoch(epoch)).pool)],
        ["claims open at", iso(await suite.rewards.activatesAt(epoch))],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(
  task(
    "dg:epoch:revoke",
    "Revoke a posted epoch root before it activates (guardian role): its pool is kept for a new root",
  ),
  "send",
)
  .addParam("epoch", "The epoch id")
  .setAction(async (args: { epoch: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const epoch = parseWhole(args.epoch, "epoch");
      const { OracleClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const { root, pool, receipt } = await new OracleClient(suite, signer).revokeEpoch(epoch);
      printLines([
        ["epoch", epoch],
        ["revoked root", root],
        ["pool kept", `${formatDG(pool)} (the oracle may post a corrected root for this epoch)`],
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

/** The bytes of a file, refused in one line when it cannot be read. */
function readBytes(file: string, name: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Error(
      `--${name}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Exactly one of `--<name>` (a file, hashed) and `--<name>-hash` (32-byte hex). */
function hashArg(
  file: string | undefined,
  hash: string | undefined,
  name: string,
): { hash?: string; data?: Uint8Array } {
  if ((file === undefined) === (hash === undefined))
    throw new Error(`give exactly one of --${name} and --${name}-hash`);
  return hash !== undefined ? { hash: parseBytes32(hash, `${name}-hash`) } : { data: readBytes(file!, name) };
}

withConnection(
  task("dg:receipt:sign", "Sign the delivery receipt of a task you delivered (paired validator); sends nothing"),
  "send",
)
  .addParam("task", "The task: 32-byte hex, or any text (hashed)")
  .addParam("user", "The user's address")
  .addOptionalParam("input", "The task's input file (hashed), or give --input-hash")
  .addOptionalParam("inputHash", "The task's input hash (32-byte hex)")
  .addOptionalParam("result", "The result file you delivered (hashed), or give --result-hash")
  .addOptionalParam("resultHash", "The delivered result's hash (32-byte hex)")
  .addOptionalParam("deliveredAt", "Unix seconds (default: the latest block's time)")
  .addParam("out", "Where to write the receipt file (JSON: receipt, signature, paired, chain, contract)")
  .setAction(
    async (
      args: {
        task: string;
        user: string;
        input?: string;
        inputHash?: string;
        result?: string;
        resultHash?: string;
        deliveredAt?: string;
        out: string;
      } & ConnectionArgs,
      hre,
    ) =>
      runTask(async () => {
        const taskId = taskIdOf(args.task);
        const user = parseAddress(args.user, "user");
        const input = hashArg(args.input, args.inputHash, "input");
        const result = hashArg(args.result, args.resultHash, "result");
        const deliveredAt =
          args.deliveredAt === undefined
            ? undefined
            : parseWhole(args.deliveredAt, "delivered-at", { max: 2n ** 64n - 1n });
        const { signReceipt, writeReceiptFile } = await import("../sdk");
        const { suite, signer } = await connect(hre, args);
        const signed = await signReceipt(suite, signer, {
          taskId,
          user,
          inputHash: input.hash,
          input: input.data,
          resultHash: result.hash,
          result: result.data,
          deliveredAt,
        });
        writeReceiptFile(args.out, signed);
        printLines([
          ["task id", signed.receipt.taskId],
          ["paired validator", signed.paired],
          ["input hash", signed.receipt.inputHash],
          ["result hash", signed.receipt.resultHash],
          ["delivered at", iso(signed.receipt.deliveredAt)],
          ["receipt file", path.resolve(args.out)],
        ]);
      }),
  );

withConnection(task("dg:check:open", "Open a cross-check from a delivery receipt file (coordinator role)"), "send")
  .addParam("receipt", "The receipt file written by dg:receipt:sign (JSON: receipt, signature, paired)")
  .setAction(async (args: { receipt: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const { CoordinatorClient, readReceiptFile } = await import("../sdk");
      const signed = readReceiptFile(args.receipt);
      const { suite, signer } = await connect(hre, args);
      const { checkId, snapshotBlock, transaction } = await new CoordinatorClient(suite, signer).openSigned(signed);
      printLines([
        ["check", checkId],
        ["task id", signed.receipt.taskId],
        ["paired validator", signed.paired],
        ["checkers drawn from", `the active set of block ${snapshotBlock}`],
        ["next", `npx hardhat dg:check:draw --check ${checkId} (in a later block)`],
        ["transaction", transaction.hash],
      ]);
    }),
  );

withConnection(task("dg:check:draw", "Draw a check's checkers (or its fifth validator) from the seed block"), "send")
  .addParam("check", "Check id")
  .setAction(async (args: { check: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const checkId = parseWhole(args.check, "check", { min: 1n });
      const { CoordinatorClient } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const receipt = await new CoordinatorClient(suite, signer).draw(checkId);
      const info = await suite.crossCheck.checkInfo(checkId);
      printLines([
        [
          "drawn",
          info.drawn.filter((a) => !/^0x0{40}$/.test(a)).join(", ") || "(re-armed: draw again in a later block)",
        ],
        ["commit until", iso(info.commitDeadline)],
        ["reveal until", iso(info.revealDeadline)],
        ["transaction", receipt.hash],
      ]);
    }),
  );

withConnection(
  task(
    "dg:check:commit",
    "Commit your answer to a check you were drawn for (the commitment is computed locally; the salt is stored first)",
  ),
  "send",
)
  .addParam("check", "Check id")
  .addOptionalParam("result", "Your result hash (32-byte hex)")
  .addFlag("inputMismatch", "Answer INPUT_MISMATCH: the input you were given does not hash to the receipt's")
  .addOptionalParam("input", "The input file you were given: refused with --result if it does not match the receipt")
  .addOptionalParam(
    "saltFile",
    "Where to store the salt (default: ~/.datagen/salts/<chain>-<contract>-<check>-<you>.json)",
  )
  .setAction(
    async (
      args: {
        check: string;
        result?: string;
        inputMismatch: boolean;
        input?: string;
        saltFile?: string;
      } & ConnectionArgs,
      hre,
    ) =>
      runTask(async () => {
        const checkId = parseWhole(args.check, "check", { min: 1n });
        if ((args.result === undefined) === !args.inputMismatch) {
          throw new Error("give exactly one of --result and --input-mismatch");
        }
        const result = args.result === undefined ? undefined : parseBytes32(args.result, "result");
        const input = args.input === undefined ? undefined : readBytes(args.input, "input");
        const { CheckerClient, INPUT_MISMATCH, hashInput } = await import("../sdk");
        const { suite, signer } = await connect(hre, args);
        const checker = new CheckerClient(suite, signer);
        await checker.requireCanCommit(checkId); // an unknown check before the --input comparison
        if (input !== undefined && result !== undefined) {
          const expected = (await suite.crossCheck.checkInfo(checkId)).inputHash;
          if (hashInput(input) !== expected.toLowerCase()) {
            throw new Error(
              `--input does not hash to the receipt's input hash ${expected}: commit --input-mismatch instead`,
            );
          }
        }
        const committed = await checker.commitResult(checkId, result ?? INPUT_MISMATCH, {
          saltFile: args.saltFile,
          onSaltStored: (file) => printLines([["salt stored in (keep it to reveal)", file]]),
        });
        printLines([
          ["committed", result === undefined ? "INPUT_MISMATCH" : result],
          ["commitment", committed.commitment],
          ["transaction", committed.receipt.hash],
        ]);
      }),
  );

withConnection(
  task("dg:check:reveal", "Reveal your committed answer (after the commit deadline), read back from the salt file"),
  "send",
)
  .addParam("check", "Check id")
  .addOptionalParam("saltFile", "The salt file dg:check:commit printed (default: the store's file for this check)")
  .setAction(async (args: { check: string; saltFile?: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const checkId = parseWhole(args.check, "check", { min: 1n });
      const { CheckerClient } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const revealed = await new CheckerClient(suite, signer).revealResult(checkId, { saltFile: args.saltFile });
      printLines([
        ["revealed", revealed.resultHash],
        ["salt file", revealed.saltFile],
        ["transaction", revealed.receipt.hash],
      ]);
    }),
  );

withConnection(
  task("dg:check:finalize", "Finalize a check after its reveal deadline: verdict, slashes, rewards"),
  "send",
)
  .addParam("check", "Check id")
  .setAction(async (args: { check: string } & ConnectionArgs, hre) =>
    runTask(async () => {
      const checkId = parseWhole(args.check, "check", { min: 1n });
      const { CoordinatorClient, formatDG } = await import("../sdk");
      const { suite, signer } = await connect(hre, args);
      const { verdict, receipt } = await new CoordinatorClient(suite, signer).finalize(checkId);
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
