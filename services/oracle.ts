/**
 * The oracle: turns each ended epoch's compute report into its tree and posts the root EXACTLY ONCE.
 *
 * Reports are files in `--report-dir` named `epoch-<n>.csv` or `epoch-<n>.json` (the formats of
 * `dg:epoch:build`: CSV `validator,compute` lines, or JSON `[{validator, compute}]`), dropped there by
 * hand or uploaded over HTTP (`POST /reports/<n>` with `Authorization: Bearer <token>`, see
 * {@link startUploadServer}), which checks the report and writes it into the same folder.
 *
 * For each report of an epoch that has ended and is the distributor's next one, in order: build the tree
 * with the SDK; publish the report and every proof (`published.ts`, idempotent) BEFORE posting, so the
 * guardian and the validators can read them as soon as the root is on chain; post `postRoot` through the
 * {@link Sender} under the key `postRoot:<chain>:<distributor>:<epoch>:<root>`: a crash between sending
 * and recording neither posts twice nor skips (the sender awaits or re-broadcasts the same signed tx).
 *
 * An epoch holds one root at a time: another report for an epoch already posted is refused (error log).
 * Once a guardian has revoked the epoch's root (the chain's next epoch is that one again), a corrected
 * report (another root) is posted, once; the revoked report itself is not posted again (a guardian would
 * revoke it again) unless the operator deletes its intent row.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { timingSafeEqual } from "node:crypto";
import { DataGenError, toProofsFile, type Suite } from "../sdk";
import { buildEpoch } from "../sdk/epoch";
import { parseCsvReport, parseJsonReport, readComputeReport } from "../scripts/lib/report";
import type { Db } from "./db";
import { sleep } from "./indexer";
import type { Logger } from "./log";
import { publishEpoch } from "./published";
import type { Sender, SendResult } from "./sender";

export const REPORT_FILE = /^epoch-([0-9]+)\.(csv|json)$/i;
const ZERO_ROOT = `0x${"0".repeat(64)}`;

export interface OracleOutcome {
  epoch: bigint;
  root: string;
  result: SendResult;
}

export class Oracle {
  /** Report files (path, size and time) this oracle is done with, so a pass does not build them again. */
  private readonly done = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly suite: Suite,
    private readonly sender: Sender,
    private readonly log: Logger,
    readonly reportDir: string,
  ) {}

  /** The sender keys of an epoch's postings start with this. */
  epochKeyPrefix(epoch: bigint): string {
    return `postRoot:${this.suite.record.chainId}:${this.suite.record.contracts.ComputeRewards}:${epoch}:`;
  }

  /** The sender key of posting `root` for `epoch`: sent at most once, whatever crashes. */
  postKey(epoch: bigint, root: string): string {
    return `${this.epochKeyPrefix(epoch)}${root}`;
  }

  /** The reports in the folder, by epoch, ascending. */
  reports(): { epoch: bigint; file: string }[] {
    if (!fs.existsSync(this.reportDir)) return [];
    return fs
      .readdirSync(this.reportDir)
      .map((name) => ({ name, m: REPORT_FILE.exec(name) }))
      .filter((x) => x.m)
      .map((x) => ({ epoch: BigInt(x.m![1]), file: path.join(this.reportDir, x.name) }))
      .sort((a, b) => (a.epoch < b.epoch ? -1 : a.epoch > b.epoch ? 1 : 0));
  }

  /** One pass: posts what is due. Returns the postings it finished (sent now or found already sent). */
  async tick(): Promise<OracleOutcome[]> {
    const outcomes: OracleOutcome[] = [];
    for (const { epoch, file } of this.reports()) {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat) continue;
      const version = `${file}:${stat.size}:${stat.mtimeMs}`;
      if (this.done.has(version)) continue;
      const outcome = await this.consider(epoch, file);
      if (outcome === "wait") continue;
      if (outcome === "blocked") break;
      this.done.add(version);
      if (outcome !== "finished") outcomes.push(outcome);
    }
    return outcomes;
  }

  /**
   * One report: "wait" (its epoch is not due yet, or another posting is unfinished), "blocked" (the
   * contract refuses a posting now: later epochs wait too), "finished" (nothing to post for this file
   * version), or the posting.
   */
  private async consider(epoch: bigint, file: string): Promise<OracleOutcome | "wait" | "blocked" | "finished"> {
    const rewards = this.suite.rewards;
    const distributor = this.suite.record.contracts.ComputeRewards;
    const chainId = BigInt(this.suite.record.chainId);
    if (epoch >= (await rewards.epochsEnded())) return "wait";
    const next = await rewards.nextEpoch();
    if (epoch > next) return "wait"; // an earlier epoch must be posted first
    const started = performance.now();
    let built;
    try {
      built = buildEpoch({ chainId, distributor, epoch, entries: readComputeReport(file) });
    } catch (error) {
      this.log.error("report refused", { epoch, file, error });
      return "finished";
    }
    const buildMs = Math.round(performance.now() - started);
    const key = this.postKey(epoch, built.root);
    const data = rewards.interface.encodeFunctionData("postRoot", [epoch, built.root, built.totalCompute]);
    const fields = { epoch, file, root: built.root, totalCompute: built.totalCompute, key };
    const intent = await this.sender.intent(key);
    if (intent) {
      // Sent before (by this process or one that crashed): finish it, never send it again.
      const result = await this.sender.send(key, { to: distributor, data: intent.data });
      if (result.status === "reverted") {
        this.log.error("the posting of this report reverted: not posting it again", {
          ...fields,
          txHash: result.txHash,
        });
        return "finished";
      }
      const onChain = await rewards.getEpoch(epoch);
      if (onChain.root === built.root) {
        this.log.info(result.broadcastNow ? "root posted" : "root was already posted", {
          ...fields,
          txHash: result.txHash,
        });
        return { epoch, root: built.root, result };
      }
      if (onChain.root === ZERO_ROOT && (await rewards.nextEpoch()) === epoch) {
        this.log.error(
          "this report's root was revoked by a guardian: not posting it again; put a corrected report in its place (or, to post this one again, delete the intent row of its key)",
          fields,
        );
      } else this.log.warn("epoch now holds another root: not posting", { ...fields, posted: onChain.root });
      return "finished";
    }
    const others = (await this.sender.intentsStartingWith(this.epochKeyPrefix(epoch))).filter((r) => r.key !== key);
    if (epoch < next) {
      const ours = others.find((r) => r.status === "mined");
      if (ours) {
        this.log.error("epoch already posted with another report: the file changed after posting; not posting", {
          ...fields,
          postedKey: ours.key,
        });
      } else this.log.warn("epoch already posted by someone else: not posting", fields);
      return "finished";
    }
    // epoch == next: no root of this epoch on chain (never posted, or revoked).
    const open = others.find((r) => r.status === "new" || r.status === "signed" || r.status === "sent");
    if (open) {
      this.log.warn("another report's posting of this epoch is unfinished: finishing it first", {
        ...fields,
        unfinished: open.key,
      });
      await this.sender.send(open.key, { to: open.target, data: open.data });
      return "wait";
    }
    const revoked = others.filter((r) => r.status === "mined").map((r) => r.key);
    if (revoked.length)
      this.log.warn("the epoch's posted root was revoked: posting the corrected report", { ...fields, revoked });
    const publishStarted = performance.now();
    await publishEpoch(this.db, toProofsFile(built, { chainId, distributor, epoch }));
    const publishMs = Math.round(performance.now() - publishStarted);
    const sendStarted = performance.now();
    try {
      const result = await this.sender.send(key, { to: distributor, data });
      this.log.info(result.broadcastNow ? "root posted" : "root was already posted", {
        ...fields,
        txHash: result.txHash,
        leaves: Object.keys(built.proofs).length,
        buildMs,
        publishMs,
        sendMs: Math.round(performance.now() - sendStarted),
      });
      return { epoch, root: built.root, result };
    } catch (error) {
      // Refused by the contract before sending (e.g. the previous root is still in its challenge
      // window): next pass. Anything else (the database, a stop) goes up.
      if (!(error instanceof DataGenError) && (error as { code?: string }).code !== "CALL_EXCEPTION") throw error;
      this.log.warn("cannot post yet", { epoch, error });
      return "blocked";
    }
  }

  async run(signal: AbortSignal, pollMs: number): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.tick();
      } catch (error) {
        this.log.error("oracle pass failed", { error });
      }
      await sleep(pollMs, signal);
    }
  }
}

export interface UploadServer {
  url: string;
  close(): Promise<void>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The oracle's upload endpoint: `POST /reports/<epoch>` with the report as the body (JSON when the
 * content type says so, else CSV) and `Authorization: Bearer <token>`. The report is checked (parsed and
 * its tree built) and written atomically to `<reportDir>/epoch-<epoch>.<csv|json>`, where the oracle
 * picks it up. Answers 202 with the root and total, 400 for a bad report, 401 without the token, 409 if
 * a different report of that epoch is already there.
 */
export async function startUploadServer(options: {
  suite: Suite;
  reportDir: string;
  token: string;
  host: string;
  port: number;
  log: Logger;
  maxBytes?: number;
}): Promise<UploadServer> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    };
    const m = /^\/reports\/([0-9]+)$/.exec(new URL(req.url ?? "/", "http://localhost").pathname);
    if (!m) return reply(404, { error: "POST /reports/<epoch>" });
    if (req.method !== "POST") return reply(405, { error: "only POST" });
    if (!tokenMatches(req.headers.authorization, options.token)) return reply(401, { error: "bad or missing token" });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reply(413, { error: `report above ${maxBytes} bytes` });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (res.headersSent) return;
      const epoch = BigInt(m[1]);
      const text = Buffer.concat(chunks).toString("utf8");
      const json = /json/i.test(req.headers["content-type"] ?? "");
      let built;
      try {
        const entries = json ? parseJsonReport(text, "upload") : parseCsvReport(text, "upload");
        built = buildEpoch({
          chainId: BigInt(options.suite.record.chainId),
          distributor: options.suite.record.contracts.ComputeRewards,
          epoch,
          entries,
        });
      } catch (error) {
        return reply(400, { error: (error as Error).message.split("\n")[0] });
      }
      fs.mkdirSync(options.reportDir, { recursive: true });
      const file = path.join(options.reportDir, `epoch-${epoch}.${json ? "json" : "csv"}`);
      const other = path.join(options.reportDir, `epoch-${epoch}.${json ? "csv" : "json"}`);
      if (fs.existsSync(other) || (fs.existsSync(file) && fs.readFileSync(file, "utf8") !== text)) {
        return reply(409, { error: `a different report of epoch ${epoch} is already there` });
      }
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
      options.log.info("report uploaded", { epoch, file, root: built.root, totalCompute: built.totalCompute });
      reply(202, {
        epoch,
        root: built.root,
        totalCompute: built.totalCompute,
        leaves: Object.keys(built.proofs).length,
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
