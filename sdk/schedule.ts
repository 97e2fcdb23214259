/** Reads of the halving release schedule. */
import { readSchedulePoints, type SchedulePoint } from "../scripts/lib/scheduleChart";
import type { Suite } from "./deployments";

/** The schedule at `at` (unix seconds, default: the latest block), amounts in DG wei. */
export interface ScheduleStatus {
  at: bigint;
  /** Schedule day of `at` (negative before the start). */
  day: bigint;
  dailyRate: bigint;
  /** Everything the schedule has emitted by `at` (released + still releasable). */
  emittedBy: bigint;
  /** What `release()` has moved out so far (to the distributor or burned). */
  released: bigint;
  /** What `release()` would move now. */
  releasable: bigint;
  burnBps: bigint;
}

/** The schedule's state at `at`. */
export async function scheduleStatus(suite: Suite, at?: bigint): Promise<ScheduleStatus> {
  const r = suite.reservation;
  const runner = r.runner!;
  const provider = "getBlock" in runner ? runner : runner.provider!;
  const latest = BigInt(
    (await (provider as { getBlock(tag: string): Promise<{ timestamp: number } | null> }).getBlock("latest"))!
      .timestamp,
  );
  const when = at ?? latest;
  const start = await r.start();
  const day = when >= start ? (when - start) / 86_400n : -1n - (start - when - 1n) / 86_400n;
  return {
    at: when,
    day,
    dailyRate: day >= 0n ? await r.dailyRate(day) : 0n,
    emittedBy: await r.emittedBy(when),
    released: await r.emitted(),
    releasable: await r.releasable(),
    burnBps: await r.burnBps(),
  };
}

/** The exact points of the whole schedule (rate and cumulative at each rate change). */
export function schedulePoints(suite: Suite): Promise<SchedulePoint[]> {
  return readSchedulePoints(suite.reservation);
}
