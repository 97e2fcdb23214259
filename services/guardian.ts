/**
 * The guardian: checks every posted root before it activates, on its own. Only the latest posted root
 * can be in its challenge window (the distributor refuses a new posting while one is pending), so each
 * pass reads it from the chain (`nextEpoch() - 1`, `getEpoch`, `activatesAt`) and, once per root:
 * fetches the report the oracle published for that root from the oracle's API
 * (`GET <report-url>/epochs/<epoch>/report?root=<root>`), rebuilds the tree with the SDK from the
 * entries alone (chain id, distributor and epoch from its own configuration, not from the answer), and
 * compares root and total compute with the chain's.
 * - equal: verdict `agreed`, nothing sent;
 * - different, or entries the SDK refuses: verdict `revoke`, `revokeRoot(epoch)` through the sender;
 * - no report for that root (404): revoked once `missingGraceSeconds` have passed since the posting;
 * - the API does not answer: retried every pass, revoked when `deadlineMarginSeconds` remain before
 *   activation.
 * Verdicts are stored in `guardian_verdicts` per posting (epoch, root and posting time): a restart does
 * not re-decide, a `revoke` verdict whose transaction was not finished is sent (once) on the next pass,
 * and a root revoked then posted again is judged again (key `revoke:…:<epoch>:<root>:<posted at>`).
 */
import type { JsonRpcProvider } from "ethers";
import type { Suite } from "../sdk";
import { buildEpoch } from "../sdk/epoch";
import type { Db } from "./db";
import { sleep } from "./indexer";
import type { Logger } from "./log";
import type { Sender, SendResult } from "./sender";

const ZERO_ROOT = `0x${"0".repeat(64)}`;

export interface GuardianOptions {
  /** Base URL of the oracle's API (serving `/epochs/{epoch}/report`). */
  reportUrl: string;
  missingGraceSeconds: number;
  deadlineMarginSeconds: number;
  fetchTimeoutMs?: number;
}

export interface GuardianDecision {
  epoch: bigint;
  root: string;
  verdict: "agreed" | "revoke" | "waiting";
  reason: string;
  revoke?: SendResult;
}

export class Guardian {
  constructor(
    private readonly db: Db,
    private readonly provider: JsonRpcProvider,
    private readonly suite: Suite,
    private readonly sender: Sender,
    private readonly log: Logger,
    private readonly options: GuardianOptions,
  ) {}

  /** One pass over the pending root, if any. */
  async tick(): Promise<GuardianDecision | undefined> {
    const rewards = this.suite.rewards;
    const next = await rewards.nextEpoch();
    if (next === 0n) return undefined;
    const epoch = next - 1n;
    const data = await rewards.getEpoch(epoch);
    const root = data.root;
    if (root === ZERO_ROOT) return undefined;
    const activatesAt = Number(await rewards.activatesAt(epoch));
    const postedAt = Number(data.postedAt);
    const now = (await this.provider.getBlock("latest"))!.timestamp;
    if (now >= activatesAt) return undefined; // active: nothing a guardian can do any more
    const chainId = this.suite.record.chainId;
    const distributor = this.suite.record.contracts.ComputeRewards;
    const stored = (
      await this.db.query<{ verdict: string; reason: string }>(
        `SELECT verdict, reason FROM guardian_verdicts
          WHERE chain_id = $1 AND distributor = $2 AND epoch = $3 AND root = $4 AND posted_at = $5`,
        [chainId, distributor, epoch.toString(), root, postedAt],
      )
    )[0];
    if (stored?.verdict === "agreed") return { epoch, root, verdict: "agreed", reason: stored.reason };
    if (stored?.verdict === "revoke") return this.revoke(epoch, root, postedAt, stored.reason);

    const verdict = await this.judge(epoch, root, data.totalCompute, postedAt, activatesAt, now);
    if (verdict.verdict === "waiting") {
      this.log.warn("report not available yet", { epoch, root, reason: verdict.reason });
      return { epoch, root, ...verdict };
    }
    await this.db.query(
      `INSERT INTO guardian_verdicts (chain_id, distributor, epoch, root, posted_at, verdict, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [chainId, distributor, epoch.toString(), root, postedAt, verdict.verdict, verdict.reason],
    );
    if (verdict.verdict === "agreed") {
      this.log.info("root agrees with the published report", { epoch, root });
      return { epoch, root, ...verdict };
    }
    return this.revoke(epoch, root, postedAt, verdict.reason);
  }

  private async judge(
    epoch: bigint,
    root: string,
    totalCompute: bigint,
    postedAt: number,
    activatesAt: number,
    now: number,
  ): Promise<{ verdict: "agreed" | "revoke" | "waiting"; reason: string }> {
    const url = `${this.options.reportUrl.replace(/\/$/, "")}/epochs/${epoch}/report?root=${root}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 10_000) });
    } catch (error) {
      const reason = `the oracle's API did not answer: ${(error as Error).message}`;
      if (activatesAt - now <= this.options.deadlineMarginSeconds) return { verdict: "revoke", reason };
      return { verdict: "waiting", reason };
    }
    if (response.status === 404) {
      const reason = `no report published for root ${root}`;
      if (now - postedAt >= this.options.missingGraceSeconds || activatesAt - now <= this.options.deadlineMarginSeconds)
        return { verdict: "revoke", reason };
      return { verdict: "waiting", reason };
    }
    if (response.status !== 200) {
      const reason = `the oracle's API answered ${response.status}`;
      if (activatesAt - now <= this.options.deadlineMarginSeconds) return { verdict: "revoke", reason };
      return { verdict: "waiting", reason };
    }
    let entries: { validator: string; compute: bigint }[];
    try {
      const body = (await response.json()) as { entries: { validator: string; compute: string }[] };
      entries = body.entries.map((e) => ({ validator: e.validator, compute: BigInt(e.compute) }));
    } catch (error) {
      return { verdict: "revoke", reason: `the published report is malformed: ${(error as Error).message}` };
    }
    let built;
    try {
      built = buildEpoch({
        chainId: BigInt(this.suite.record.chainId),
        distributor: this.suite.record.contracts.ComputeRewards,
        epoch,
        entries,
      });
    } catch (error) {
      return { verdict: "revoke", reason: `the published report does not build: ${(error as Error).message}` };
    }
    if (built.root !== root || built.totalCompute !== totalCompute) {
      return {
        verdict: "revoke",
        reason: `rebuilt root ${built.root} / total ${built.totalCompute} differ from the posted ${root} / ${totalCompute}`,
      };
    }
    return { verdict: "agreed", reason: `rebuilt root and total ${totalCompute} match` };
  }

  private async revoke(epoch: bigint, root: string, postedAt: number, reason: string): Promise<GuardianDecision> {
    const rewards = this.suite.rewards;
    const distributor = this.suite.record.contracts.ComputeRewards;
    this.log.warn("revoking root", { epoch, root, reason });
    const key = `revoke:${this.suite.record.chainId}:${distributor}:${epoch}:${root}:${postedAt}`;
    const result = await this.sender.send(key, {
      to: distributor,
      data: rewards.interface.encodeFunctionData("revokeRoot", [epoch]),
    });
    return { epoch, root, verdict: "revoke", reason, revoke: result };
  }

  async run(signal: AbortSignal, pollMs: number): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.tick();
      } catch (error) {
        this.log.error("guardian pass failed", { error });
      }
      await sleep(pollMs, signal);
    }
  }
}
