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
 * {@link Sender} under the key `postRoot:<chain>:<distributor>:<epoch>`: a crash between sending and
 * recording neither posts twice nor skips (the sender awaits or re-broadcasts the same signed tx).
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

export interface OracleOutcome {
  epoch: bigint;
  root: string;
  result: SendResult;
}

export class Oracle {
  /** Epochs whose root this oracle has posted (mined), so a pass does not re-read their reports. */
  private readonly done = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly suite: Suite,
    private readonly sender: Sender,
    private readonly log: Logger,
    readonly reportDir: string,
  ) {}

  /** The sender key of an epoch's root: one posting per (chain, distributor, epoch). */
  postKey(epoch: bigint): string {
    return `postRoot:${this.suite.record.chainId}:${this.suite.record.contracts.ComputeRewards}:${epoch}`;
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
    const rewards = this.suite.rewards;
    const distributor = this.suite.record.contracts.ComputeRewards;
    const chainId = BigInt(this.suite.record.chainId);
    const outcomes: OracleOutcome[] = [];
    for (const { epoch, file } of this.reports()) {
      const key = this.postKey(epoch);
      if (this.done.has(key)) continue;
      const intent = await this.sender.intent(key);
      const ended = await rewards.epochsEnded();
      if (!intent && epoch >= ended) continue; // not ended yet
      const next = await rewards.nextEpoch();
      if (!intent && epoch > next) continue; // an earlier epoch must be posted first
      if (!intent && epoch < next) {
        this.log.warn("epoch already posted by someone else: not posting", { epoch, file });
        this.done.add(key);
        continue;
      }
      let built;
      try {
        built = buildEpoch({ chainId, distributor, epoch, entries: readComputeReport(file) });
      } catch (error) {
        this.log.error("report refused", { epoch, file, error });
        continue;
      }
      const data = rewards.interface.encodeFunctionData("postRoot", [epoch, built.root, built.totalCompute]);
      if (intent && intent.data !== data) {
        this.log.error("epoch already posted with another report: the file changed after posting; not posting", {
          epoch,
          file,
          key,
        });
        this.done.add(key);
        continue;
      }
      await publishEpoch(this.db, toProofsFile(built, { chainId, distributor, epoch }));
      try {
        const result = await this.sender.send(key, { to: distributor, data });
        this.done.add(key);
        outcomes.push({ epoch, root: built.root, result });
        this.log.info(result.broadcastNow ? "root posted" : "root was already posted", {
          epoch,
          root: built.root,
          totalCompute: built.totalCompute,
          txHash: result.txHash,
        });
      } catch (error) {
        // Refused by the contract before sending (e.g. the previous root is still in its challenge
        // window): next pass. Anything else (the database, a stop) goes up.
        if (!(error instanceof DataGenError) && (error as { code?: string }).code !== "CALL_EXCEPTION") throw error;
        this.log.warn("cannot post yet", { epoch, error });
        break;
      }
    }
    return outcomes;
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
