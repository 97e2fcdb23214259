/**
 * The validator agent (`--roles agent`): one operator key (`DG_AGENT_KEY`) acting as a validator.
 * - a receipt server on 127.0.0.1 where the operator's compute service asks for a signed delivery
 *   receipt: `POST /receipt {taskId, user, inputHash, resultHash}` → the EIP-712 receipt signed now
 *   (SDK `signReceipt`), as a receipt file's JSON;
 * - drawn as a checker (`CheckersDrawn`) or as the fifth (`FifthDrawn`), read from the chain's logs:
 *   runs the operator's answer command (task id and input location as arguments and environment; it
 *   prints a result hash or `INPUT_MISMATCH`; killed after a time limit), stores the answer, writes the
 *   salt file (the SDK's salt store, fsynced) BEFORE the commit, commits, and reveals in the reveal
 *   window. Its progress is in the database (`agent_checks`) and the chain, so a restart between commit
 *   and reveal still reveals. A reorganisation that takes a draw away is undone: the cursor's block
 *   hash and each draw's block hash are compared with the chain on every pass, and from `reorgDepth`
 *   blocks below the cursor the logs are read again (a draw no longer on the chain is forgotten);
 * - claims, in one transaction, every epoch the API's `/validators/{address}/claimable` lists and the
 *   chain confirms (root posted, active, not settled);
 * - every transaction (commit, reveal, claim) goes through the restart-safe {@link Sender} under a key
 *   naming it: `commit:<chain>:<crossCheck>:<check>:<party>:<draw block hash>`, `reveal:…` likewise,
 *   `claim:<chain>:<distributor>:<party>:<epochs>`;
 * - reports what needs a human at warn/error: active stake below the minimum, a `Slashed` event naming
 *   it, expulsion, a missed commit or reveal window, a failing answer command.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  getAddress,
  hexlify,
  id,
  randomBytes,
  type Interface,
  type JsonRpcProvider,
  type Log,
  type Wallet,
} from "ethers";
import {
  DataGenError,
  DataGenSdkError,
  INPUT_MISMATCH,
  SALT_FORMAT,
  ValidatorClient,
  commitmentOf,
  readSaltFile,
  saltFilePath,
  signReceipt,
  toReceiptJson,
  writeSaltFile,
  type SaltRecord,
  type Suite,
} from "../sdk";
import type { Db } from "./db";
import { sleep } from "./indexer";
import type { Logger } from "./log";
import type { Sender, SendResult } from "./sender";

const ZERO_HASH = `0x${"0".repeat(64)}`;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const TOPIC = {
  CheckersDrawn: id("CheckersDrawn(uint256,address[3],uint256,uint256)"),
  FifthDrawn: id("FifthDrawn(uint256,address,uint256,uint256)"),
  Slashed: id("Slashed(uint256,address,address,uint256,uint256,uint256,uint256)"),
  Expelled: id("Expelled(address,uint256,uint256,uint256)"),
};

/** An SDK error's one line, or the error. */
const plain = (error: unknown) =>
  error instanceof DataGenError || error instanceof DataGenSdkError ? error.message : error;

export interface AgentOptions {
  /** The operator's answer command (run by /bin/sh with the task id and the input location appended). */
  answerCommand: string;
  /** Milliseconds after which the answer command is killed. */
  answerTimeoutMs: number;
  /** Input location of a task: `<inputBase>/<taskId>` (a folder or a URL prefix). */
  inputBase: string;
  /** Folder of the salt files. */
  saltDir: string;
  /** Base URL of the API whose `/validators/{address}/claimable` the agent claims from; none: no claims. */
  apiUrl?: string;
  /** First block read on an empty database. */
  fromBlock: number;
  /** Blocks per eth_getLogs call. */
  batchBlocks: number;
  /** Blocks read again below the cursor when a reorganisation is noticed (default 64). */
  reorgDepth?: number;
}

interface CheckRow {
  check_id: string;
  round: "checkers" | "fifth";
  commit_deadline: string;
  reveal_deadline: string;
  drawn_block: number;
  drawn_hash: string | null;
  result_hash: string | null;
  stage: "drawn" | "committed" | "revealed" | "missed";
}

export interface AgentTick {
  drawn: bigint[];
  committed: bigint[];
  revealed: bigint[];
  claimed?: { epochs: bigint[]; paid: bigint };
}

/** What the answer command printed: a result hash, or INPUT_MISMATCH. */
export async function runAnswerCommand(
  command: string,
  args: { taskId: string; inputLocation: string; checkId: bigint; inputHash: string },
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", `${command} "$@"`, "dg-answer", args.taskId, args.inputLocation], {
      env: {
        ...process.env,
        DG_TASK_ID: args.taskId,
        DG_INPUT_LOCATION: args.inputLocation,
        DG_CHECK_ID: args.checkId.toString(),
        DG_INPUT_HASH: args.inputHash,
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that the time limit kills the command's children too.
      detached: true,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      reject(new Error(`the answer command ran longer than ${timeoutMs} ms and was killed`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`the answer command exited with ${code}: ${err.trim().split("\n").at(-1) ?? ""}`));
        return;
      }
      const answer = out.trim().split("\n").at(-1)?.trim() ?? "";
      if (answer === "INPUT_MISMATCH") resolve(INPUT_MISMATCH);
      else if (BYTES32.test(answer) && answer !== ZERO_HASH) resolve(answer.toLowerCase());
      else
        reject(new Error(`the answer command printed "${answer.slice(0, 80)}", not a result hash or INPUT_MISMATCH`));
    });
  });
}

export class Agent {
  readonly validator: ValidatorClient;
  private lastHealth: string | undefined;

  /** `sender` sends as `wallet` (one sender per account: share it with any role using the same key). */
  constructor(
    private readonly db: Db,
    private readonly provider: JsonRpcProvider,
    private readonly suite: Suite,
    readonly wallet: Wallet,
    private readonly sender: Sender,
    private readonly log: Logger,
    private readonly options: AgentOptions,
  ) {
    if (getAddress(sender.address) !== getAddress(wallet.address))
      throw new Error(`the agent's sender sends as ${sender.address}, not as ${wallet.address}`);
    this.validator = new ValidatorClient(suite, wallet);
  }

  private get key(): [number, string, string] {
    return [this.suite.record.chainId, this.suite.record.contracts.CrossCheck, this.wallet.address];
  }

  /** One pass: read new logs, act on every open round, claim, check the validator's health. */
  async tick(): Promise<AgentTick> {
    const result: AgentTick = { drawn: [], committed: [], revealed: [] };
    result.drawn = await this.scan();
    const progress = await this.rounds();
    result.committed = progress.committed;
    result.revealed = progress.revealed;
    if (this.options.apiUrl) {
      try {
        result.claimed = await this.claim();
      } catch (error) {
        this.log.error("claim failed", { error });
      }
    }
    await this.health();
    return result;
  }

  /** Reads the logs after the cursor: rounds naming this agent are recorded; slashes and expulsion reported. */
  private async scan(): Promise<bigint[]> {
    const [chainId, crossCheck, party] = this.key;
    const state = (
      await this.db.query<{ cursor: number; cursor_hash: string | null }>(
        "SELECT cursor, cursor_hash FROM agent_state WHERE chain_id = $1 AND cross_check = $2 AND party = $3",
        [chainId, crossCheck, party],
      )
    )[0];
    const head = await this.provider.getBlockNumber();
    let from = state
      ? (await this.undoReorg(Number(state.cursor), state.cursor_hash, head)) + 1
      : this.options.fromBlock;
    const drawn: bigint[] = [];
    const staking = this.suite.record.contracts.ValidatorStaking;
    while (from <= head) {
      const to = Math.min(head, from + this.options.batchBlocks - 1);
      const [logs, end] = await Promise.all([
        this.provider.getLogs({
          address: [crossCheck, staking],
          topics: [[TOPIC.CheckersDrawn, TOPIC.FifthDrawn, TOPIC.Slashed, TOPIC.Expelled]],
          fromBlock: from,
          toBlock: to,
        }),
        this.provider.getBlock(to),
      ]);
      if (!end) throw new Error(`block ${to} not found`);
      if (logs.some((l) => l.blockNumber === to && l.blockHash !== end.hash)) {
        this.log.warn("logs and block disagree: the chain moved, reading again", { block: to });
        break;
      }
      for (const log of logs) {
        const id = this.onLog(log);
        if (id === undefined) continue;
        const inserted = await this.db.query(
          `INSERT INTO agent_checks (chain_id, cross_check, check_id, party, round, commit_deadline, reveal_deadline, drawn_block, drawn_hash, stage)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'drawn') ON CONFLICT DO NOTHING RETURNING check_id`,
          [
            chainId,
            crossCheck,
            id.checkId.toString(),
            party,
            id.round,
            id.commitDeadline,
            id.revealDeadline,
            log.blockNumber,
            log.blockHash,
          ],
        );
        if (inserted.length === 0) continue; // known already (logs read again after a reorganisation)
        drawn.push(id.checkId);
        this.log.info("drawn", {
          checkId: id.checkId,
          round: id.round,
          commitDeadline: id.commitDeadline,
          revealDeadline: id.revealDeadline,
        });
      }
      await this.db.query(
        `INSERT INTO agent_state (chain_id, cross_check, party, cursor, cursor_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (chain_id, cross_check, party) DO UPDATE SET cursor = EXCLUDED.cursor, cursor_hash = EXCLUDED.cursor_hash`,
        [chainId, crossCheck, party, to, end.hash],
      );
      from = to + 1;
    }
    return drawn;
  }

  /**
   * Compares the cursor's block and the blocks of the draws recorded within `reorgDepth` below it with
   * the chain. If one changed: forgets the draws no longer on the chain, moves the cursor `reorgDepth`
   * blocks back (those logs are read again) and returns it; else returns the cursor.
   */
  private async undoReorg(cursor: number, cursorHash: string | null, head: number): Promise<number> {
    const [chainId, crossCheck, party] = this.key;
    const depth = this.options.reorgDepth ?? 64;
    const recent = await this.db.query<{ check_id: string; drawn_block: number; drawn_hash: string }>(
      `SELECT check_id::text AS check_id, drawn_block, drawn_hash FROM agent_checks
        WHERE chain_id = $1 AND cross_check = $2 AND party = $3 AND drawn_block > $4 AND drawn_hash IS NOT NULL`,
      [chainId, crossCheck, party, cursor - depth],
    );
    const numbers = [cursor, ...recent.map((r) => Number(r.drawn_block))];
    // One batched JSON-RPC request (ethers batches calls made in the same tick).
    const blocks = await Promise.all(numbers.map((n) => (n > head ? null : this.provider.getBlock(n))));
    const cursorMoved = cursorHash !== null && blocks[0]?.hash !== cursorHash;
    const dropped = recent.filter((r, i) => blocks[i + 1]?.hash !== r.drawn_hash);
    if (!cursorMoved && dropped.length === 0) return cursor;
    const ancestor = Math.max(this.options.fromBlock - 1, cursor - depth);
    await this.db.transaction(async (tx) => {
      for (const r of dropped) {
        await tx.query(
          "DELETE FROM agent_checks WHERE chain_id = $1 AND cross_check = $2 AND party = $3 AND check_id = $4",
          [chainId, crossCheck, party, r.check_id],
        );
      }
      await tx.query(
        "UPDATE agent_state SET cursor = $4, cursor_hash = NULL WHERE chain_id = $1 AND cross_check = $2 AND party = $3",
        [chainId, crossCheck, party, ancestor],
      );
    });
    this.log.warn("reorganisation: rolled back", {
      cursor: ancestor,
      blocks: cursor - ancestor,
      droppedDraws: dropped.map((r) => r.check_id),
    });
    return ancestor;
  }

  private onLog(
    log: Log,
  ): { checkId: bigint; round: "checkers" | "fifth"; commitDeadline: number; revealDeadline: number } | undefined {
    const me = this.wallet.address;
    const address = getAddress(log.address);
    if (address === getAddress(this.suite.record.contracts.CrossCheck)) {
      const parsed = this.suite.crossCheck.interface.parseLog(log);
      if (!parsed) return undefined;
      if (parsed.name === "CheckersDrawn" && (parsed.args.checkers as string[]).some((c) => getAddress(c) === me)) {
        return {
          checkId: parsed.args.checkId as bigint,
          round: "checkers",
          commitDeadline: Number(parsed.args.commitDeadline),
          revealDeadline: Number(parsed.args.revealDeadline),
        };
      }
      if (parsed.name === "FifthDrawn" && getAddress(parsed.args.fifth as string) === me) {
        return {
          checkId: parsed.args.checkId as bigint,
          round: "fifth",
          commitDeadline: Number(parsed.args.commitDeadline),
          revealDeadline: Number(parsed.args.revealDeadline),
        };
      }
      return undefined;
    }
    const parsed = this.suite.staking.interface.parseLog(log);
    if (!parsed || getAddress(parsed.args.validator as string) !== me) return undefined;
    if (parsed.name === "Slashed") {
      this.log.error("slashed", {
        validator: me,
        checkId: parsed.args.checkId as bigint,
        slashed: parsed.args.slashed as bigint,
        faults: parsed.args.faults as bigint,
        block: log.blockNumber,
        tx: log.transactionHash,
      });
    } else if (parsed.name === "Expelled") {
      this.log.error("expelled", {
        validator: me,
        faults: parsed.args.faults as bigint,
        movedToUnbonding: parsed.args.movedToUnbonding as bigint,
        unbondingEnd: parsed.args.unbondingEnd as bigint,
        block: log.blockNumber,
      });
    }
    return undefined;
  }

  private async setStage(checkId: string, stage: CheckRow["stage"], resultHash?: string): Promise<void> {
    const [chainId, crossCheck, party] = this.key;
    await this.db.query(
      `UPDATE agent_checks SET stage = $5, result_hash = COALESCE($6, result_hash), updated_at = now()
        WHERE chain_id = $1 AND cross_check = $2 AND check_id = $3 AND party = $4`,
      [chainId, crossCheck, checkId, party, stage, resultHash ?? null],
    );
  }

  /** This agent's salt file for `checkId`, in the SDK's salt store format. */
  private saltFile(checkId: bigint): string {
    const [chainId, crossCheck, party] = this.key;
    return saltFilePath({ chainId: BigInt(chainId), crossCheck, checkId, party }, this.options.saltDir);
  }

  /** The stored salt of `checkId`, refused if the file names another chain, contract, check or party. */
  private storedSalt(checkId: bigint): SaltRecord | undefined {
    const file = this.saltFile(checkId);
    if (!fs.existsSync(file)) return undefined;
    const [chainId, crossCheck, party] = this.key;
    const stored = readSaltFile(file);
    if (
      BigInt(stored.chainId) !== BigInt(chainId) ||
      getAddress(stored.crossCheck) !== getAddress(crossCheck) ||
      BigInt(stored.checkId) !== checkId ||
      getAddress(stored.party) !== party
    )
      throw new DataGenSdkError(`${file} holds the salt of another check or party`);
    return stored;
  }

  /**
   * The commitment of `resultHash` to `checkId`. A new salt is written to the salt file and fsynced
   * before this returns (so before the commit is sent); a salt already stored for this hash is reused
   * (a commit retried after a crash commits the same thing), one stored for another hash is refused.
   */
  private prepareCommit(checkId: bigint, resultHash: string): string {
    const stored = this.storedSalt(checkId);
    if (stored) {
      if (stored.resultHash !== resultHash)
        throw new DataGenSdkError(
          `${this.saltFile(checkId)} holds a salt for the result hash ${stored.resultHash}, not ${resultHash}: remove it to commit the new answer`,
        );
      return stored.commitment;
    }
    const [chainId, crossCheck, party] = this.key;
    const salt = hexlify(randomBytes(32));
    const commitment = commitmentOf({ chainId: BigInt(chainId), crossCheck, checkId, party, resultHash, salt });
    writeSaltFile(this.saltFile(checkId), {
      format: SALT_FORMAT,
      chainId: chainId.toString(),
      crossCheck,
      checkId: checkId.toString(),
      party,
      resultHash,
      salt,
      commitment,
    });
    return commitment;
  }

  /** Sends a CrossCheck call through the sender under `<what>:<chain>:<crossCheck>:<check>:<party>:<draw block>`. */
  private async sendRound(what: "commit" | "reveal", row: CheckRow, args: unknown[]): Promise<SendResult> {
    const [chainId, crossCheck, party] = this.key;
    const key = `${what}:${chainId}:${crossCheck}:${row.check_id}:${party}:${row.drawn_hash ?? row.drawn_block}`;
    const result = await this.sender.send(key, {
      to: crossCheck,
      data: (this.suite.crossCheck.interface as Interface).encodeFunctionData(what, args),
    });
    if (result.status === "reverted") throw new Error(`the ${what} transaction ${result.txHash} reverted`);
    return result;
  }

  /** Commits or reveals every open round whose window is open now. */
  private async rounds(): Promise<{ committed: bigint[]; revealed: bigint[] }> {
    const [chainId, crossCheck, party] = this.key;
    const open = await this.db.query<CheckRow>(
      `SELECT check_id::text AS check_id, round, commit_deadline::text AS commit_deadline,
              reveal_deadline::text AS reveal_deadline, drawn_block, drawn_hash, result_hash, stage
         FROM agent_checks WHERE chain_id = $1 AND cross_check = $2 AND party = $3 AND stage IN ('drawn', 'committed')
        ORDER BY commit_deadline`,
      [chainId, crossCheck, party],
    );
    const committed: bigint[] = [];
    const revealed: bigint[] = [];
    for (const row of open) {
      const checkId = BigInt(row.check_id);
      try {
        const now = (await this.provider.getBlock("latest"))!.timestamp;
        const [commitment, revealedHash] = await this.suite.crossCheck.submission(checkId, party);
        if (revealedHash !== ZERO_HASH) {
          await this.setStage(row.check_id, "revealed");
          continue;
        }
        if (commitment === ZERO_HASH) {
          if (now >= Number(row.commit_deadline)) {
            await this.setStage(row.check_id, "missed");
            this.log.error("commit window missed", { checkId, commitDeadline: Number(row.commit_deadline) });
            continue;
          }
          let hash = row.result_hash;
          if (!hash) {
            const info = await this.suite.crossCheck.checkInfo(checkId);
            hash = await runAnswerCommand(
              this.options.answerCommand,
              {
                taskId: info.taskId,
                inputLocation: `${this.options.inputBase.replace(/\/+$/, "")}/${info.taskId}`,
                checkId,
                inputHash: info.inputHash,
              },
              this.options.answerTimeoutMs,
            );
            // Stored before the commit: a restart commits this same hash (and reuses its stored salt).
            await this.setStage(row.check_id, "drawn", hash);
          }
          const sent = await this.sendRound("commit", row, [checkId, this.prepareCommit(checkId, hash)]);
          await this.setStage(row.check_id, "committed");
          committed.push(checkId);
          this.log.info("committed", {
            checkId,
            inputMismatch: hash === INPUT_MISMATCH,
            tx: sent.txHash,
            saltFile: this.saltFile(checkId),
          });
          continue;
        }
        if (row.stage === "drawn") await this.setStage(row.check_id, "committed");
        if (now > Number(row.reveal_deadline)) {
          await this.setStage(row.check_id, "missed");
          this.log.error("reveal window missed", { checkId, revealDeadline: Number(row.reveal_deadline) });
          continue;
        }
        if (now >= Number(row.commit_deadline)) {
          const stored = this.storedSalt(checkId);
          if (!stored) throw new DataGenSdkError(`no salt file ${this.saltFile(checkId)}: cannot reveal`);
          if (stored.commitment !== commitment)
            throw new DataGenSdkError(`${this.saltFile(checkId)} does not match the commitment on chain`);
          const sent = await this.sendRound("reveal", row, [checkId, stored.resultHash, stored.salt]);
          await this.setStage(row.check_id, "revealed");
          revealed.push(checkId);
          this.log.info("revealed", { checkId, resultHash: stored.resultHash, tx: sent.txHash });
        }
      } catch (error) {
        this.log.error("check round failed (retried on the next pass)", {
          checkId,
          error: plain(error),
        });
      }
    }
    return { committed, revealed };
  }

  /** Claims every epoch the API lists as claimable and the chain confirms, in one transaction. */
  async claim(): Promise<{ epochs: bigint[]; paid: bigint } | undefined> {
    const me = this.wallet.address;
    const response = await fetch(`${this.options.apiUrl!.replace(/\/+$/, "")}/validators/${me}/claimable`);
    if (!response.ok) throw new Error(`the API answered ${response.status} for ${me}'s claimable epochs`);
    const body = (await response.json()) as {
      claimable: { epoch: string; root: string; compute: string; proof: string[] }[];
    };
    const now = BigInt((await this.provider.getBlock("latest"))!.timestamp);
    const rewards = this.suite.rewards;
    const claims: { epoch: bigint; compute: bigint; proof: string[] }[] = [];
    for (const item of body.claimable) {
      const epoch = BigInt(item.epoch);
      if (await rewards.isSettled(epoch, me)) continue;
      if ((await rewards.getEpoch(epoch)).root !== item.root) continue;
      if (now < (await rewards.activatesAt(epoch))) continue;
      claims.push({ epoch, compute: BigInt(item.compute), proof: item.proof });
    }
    if (claims.length === 0) return undefined;
    const epochs = claims.map((c) => c.epoch);
    const distributor = this.suite.record.contracts.ComputeRewards;
    const result = await this.sender.send(
      `claim:${this.suite.record.chainId}:${distributor}:${me}:${epochs.join(",")}`,
      { to: distributor, data: rewards.interface.encodeFunctionData("claim", [claims]) },
    );
    if (result.status === "reverted") throw new Error(`the claim transaction ${result.txHash} reverted`);
    // What this claim paid, from its receipt (the claim may have been sent by an earlier process).
    const receipt = (await this.provider.getTransactionReceipt(result.txHash))!;
    let paid = 0n;
    for (const log of receipt.logs) {
      if (getAddress(log.address) !== getAddress(distributor)) continue;
      const parsed = rewards.interface.parseLog(log);
      if (parsed?.name === "RewardClaimed" && getAddress(parsed.args.validator as string) === me)
        paid += parsed.args.amount as bigint;
    }
    this.log.info("claimed", { epochs, paid, tx: result.txHash });
    return { epochs, paid };
  }

  /**
   * Reports, once per change, what needs a human: no active stake of at least the minimum (never
   * admitted, or withdrawn: not a validator, never drawn, no rewards) or cooling down (left the active
   * set after a full unbond) at warn; expelled at error. (An Active validator never holds less than the
   * minimum: the escrow expels it instead.)
   */
  private async health(): Promise<void> {
    const status = await this.validator.status();
    const minStake = await this.suite.staking.minStake();
    const state = status.status;
    if (state === this.lastHealth) return;
    const first = this.lastHealth === undefined;
    this.lastHealth = state;
    const fields = { validator: status.address, status: state, active: status.active, minStake };
    if (state === "Expelled") this.log.error("the validator is expelled: it cannot stake again", fields);
    else if (state === "None")
      this.log.warn(
        "below the minimum stake: the agent's account is not a validator (never drawn, no rewards)",
        fields,
      );
    else if (state === "CoolingDown")
      this.log.warn("cooling down: the validator left the active set (never drawn again, no rewards)", fields);
    else if (!first) this.log.info("the validator is Active", fields);
  }

  async run(signal: AbortSignal, pollMs: number): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.tick();
      } catch (error) {
        this.log.error("agent pass failed", { error });
      }
      await sleep(pollMs, signal);
    }
  }
}

export interface ReceiptServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The receipt server: `POST /receipt` with `{taskId, user, inputHash, resultHash}` → 200 and the signed
 * receipt (SDK `toReceiptJson`), or 400 with `{error}` for a receipt the contract would refuse.
 */
export async function startReceiptServer(options: {
  suite: Suite;
  wallet: Wallet;
  host: string;
  port: number;
  log: Logger;
}): Promise<ReceiptServer> {
  const reply = (res: http.ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
  const server = http.createServer((req, res) => {
    if (req.url !== "/receipt") return reply(res, 404, { error: "not found: POST /receipt" });
    if (req.method !== "POST") return reply(res, 405, { error: "POST only" });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 16_384) req.destroy();
      else chunks.push(c);
    });
    req.on("end", async () => {
      try {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
        } catch {
          return reply(res, 400, { error: "the body is not JSON" });
        }
        for (const field of ["taskId", "user", "inputHash", "resultHash"]) {
          if (typeof body?.[field] !== "string") return reply(res, 400, { error: `${field} must be a string` });
        }
        const signed = await signReceipt(options.suite, options.wallet, {
          taskId: body.taskId as string,
          user: body.user as string,
          inputHash: body.inputHash as string,
          resultHash: body.resultHash as string,
        });
        options.log.info("receipt signed", { taskId: signed.receipt.taskId, user: signed.receipt.user });
        reply(res, 200, toReceiptJson(signed));
      } catch (error) {
        if (error instanceof DataGenError || error instanceof DataGenSdkError)
          return reply(res, 400, { error: error.message });
        options.log.error("receipt failed", { error });
        reply(res, 500, { error: "internal error" });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
