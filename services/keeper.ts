/**
 * The keeper: calls what the contracts need someone to call on time, every transaction through the
 * {@link Sender} under a key naming it (so a restart never sends one twice):
 * - `MiningReservation.release()` when `releasable() > 0` and a day has passed since the keeper's last
 *   release (key `release:<chain>:<reservation>:<unix day>`);
 * - `InflationVote.settle(id)` for the running vote once it closes: its end, or MIN_VOTING_DURATION
 *   after its start for a vote nobody voted in (key `settle:<chain>:<vote>:<id>`);
 * - `CrossCheck.draw(id)` for a check waiting for its draw once its seed block is mined
 *   (key `draw:<chain>:<crosscheck>:<id>:<seed block>`: its block is the next, after the seed block);
 * - `CrossCheck.finalize(id)` for a drawn check past its reveal deadline
 *   (key `finalize:<chain>:<crosscheck>:<id>:<reveal deadline>`).
 */
import type { JsonRpcProvider } from "ethers";
import type { Suite } from "../sdk";
import type { Db } from "./db";
import { sleep } from "./indexer";
import type { Logger } from "./log";
import type { Sender, SendResult } from "./sender";

export const DAY = 86_400;
const MIN_VOTING_DURATION = 7 * DAY;
/** CrossCheck phases (ICrossCheck.Phase). */
const PHASE = { None: 0, AwaitingDraw: 1, Drawn: 2, AwaitingFifthDraw: 3, FifthDrawn: 4, Finalized: 5 } as const;
/** InflationVote status `Voting` (IInflationVote.Status). */
const VOTING = 3n;

export interface KeeperTick {
  sent: SendResult[];
}

export class Keeper {
  /** Checks below this id are all finalized (read again from 1 after a restart). */
  private firstOpenCheck = 1n;

  constructor(
    private readonly db: Db,
    private readonly provider: JsonRpcProvider,
    private readonly suite: Suite,
    private readonly sender: Sender,
    private readonly log: Logger,
  ) {}

  private get chainId(): number {
    return this.suite.record.chainId;
  }

  /** The time of the keeper's last mined release (from the sender's journal), or undefined. */
  async lastRelease(): Promise<number | undefined> {
    const rows = await this.db.query<{ t: number | null }>(
      "SELECT max(block_time) AS t FROM tx_intents WHERE key LIKE $1 AND status = 'mined'",
      [`release:${this.chainId}:${this.suite.record.contracts.MiningReservation}:%`],
    );
    return rows[0]?.t === null || rows[0]?.t === undefined ? undefined : Number(rows[0].t);
  }

  /** One pass over every duty; returns what it sent. A failing duty is logged and does not stop the others. */
  async tick(): Promise<KeeperTick> {
    const sent: SendResult[] = [];
    const block = (await this.provider.getBlock("latest"))!;
    const now = block.timestamp;
    for (const [name, duty] of [
      ["release", () => this.release(now)],
      ["settle", () => this.settleVote(now)],
      ["checks", () => this.checks(block.number, now)],
    ] as const) {
      try {
        sent.push(...(await duty()));
      } catch (error) {
        this.log.error(`${name} failed`, { error });
      }
    }
    return { sent };
  }

  private async release(now: number): Promise<SendResult[]> {
    const r = this.suite.reservation;
    if ((await r.releasable()) === 0n) return [];
    const last = await this.lastRelease();
    if (last !== undefined && now - last < DAY) return [];
    const key = `release:${this.chainId}:${this.suite.record.contracts.MiningReservation}:${Math.floor(now / DAY)}`;
    const result = await this.sender.send(key, {
      to: this.suite.record.contracts.MiningReservation,
      data: r.interface.encodeFunctionData("release"),
    });
    return [result];
  }

  private async settleVote(now: number): Promise<SendResult[]> {
    const vote = this.suite.inflationVote;
    const id = await vote.activeProposal();
    if (id === 0n) return [];
    const p = await vote.getProposal(id);
    if (p.status !== VOTING) return [];
    const empty = p.forVotes === 0n && p.againstVotes === 0n;
    const closesAt = empty ? Number(p.votingStart) + MIN_VOTING_DURATION : Number(p.votingEnd);
    if (now < closesAt) return [];
    const address = this.suite.record.contracts.InflationVote;
    return [
      await this.sender.send(`settle:${this.chainId}:${address}:${id}`, {
        to: address,
        data: vote.interface.encodeFunctionData("settle", [id]),
      }),
    ];
  }

  private async checks(blockNumber: number, now: number): Promise<SendResult[]> {
    const cc = this.suite.crossCheck;
    const address = this.suite.record.contracts.CrossCheck;
    const count = await cc.checkCount();
    const sent: SendResult[] = [];
    let allFinalBelow = true;
    for (let id = this.firstOpenCheck; id <= count; id++) {
      const c = await cc.checkInfo(id);
      const phase = Number(c.phase);
      if (phase === PHASE.Finalized) {
        if (allFinalBelow) this.firstOpenCheck = id + 1n;
        continue;
      }
      allFinalBelow = false;
      try {
        if ((phase === PHASE.AwaitingDraw || phase === PHASE.AwaitingFifthDraw) && blockNumber >= Number(c.seedBlock)) {
          sent.push(
            await this.sender.send(`draw:${this.chainId}:${address}:${id}:${c.seedBlock}`, {
              to: address,
              data: cc.interface.encodeFunctionData("draw", [id]),
            }),
          );
        } else if ((phase === PHASE.Drawn || phase === PHASE.FifthDrawn) && now > Number(c.revealDeadline)) {
          sent.push(
            await this.sender.send(`finalize:${this.chainId}:${address}:${id}:${c.revealDeadline}`, {
              to: address,
              data: cc.interface.encodeFunctionData("finalize", [id]),
            }),
          );
        }
      } catch (error) {
        this.log.error("check duty failed", { checkId: id, phase, error });
      }
    }
    return sent;
  }

  async run(signal: AbortSignal, pollMs: number): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.tick();
      } catch (error) {
        this.log.error("keeper pass failed", { error });
      }
      await sleep(pollMs, signal);
    }
  }
}
