/** Reads of the halving release schedule. */
import type { Suite } from "./deployments";

/** Length of a halving period, in days (SPEC 2). */
export const HALVING_PERIOD_DAYS = 1095;
/** Halvings before the rate stays at its floor. */
export const HALVINGS_TO_FLOOR = 6;
/** The last day with any emission (it emits the remainder, 22.5 DG). */
export const LAST_EMISSION_DAY = 79_126;

const SECONDS_PER_DAY = 86_400n;

/** What the chart reads from the reservation (a typechain `MiningReservation` fits). */
export interface ScheduleSource {
  start(): Promise<bigint>;
  dailyRate(day: bigint): Promise<bigint>;
  emittedBy(timestamp: bigint): Promise<bigint>;
}

/** One point of the schedule: the rate of `day` and everything emitted on days 0..`day`. */
export interface SchedulePoint {
  day: number;
  /** DG wei emitted on `day`. */
  dailyRate: bigint;
  /** DG wei emitted on days 0..`day` (inclusive), i.e. `emittedBy(start + day * 86400)`. */
  cumulative: bigint;
}

/** The days where the daily rate changes: each halving, the floor, the last (partial) day, zero after. */
export function rateChangeDays(): number[] {
  const days: number[] = [];
  for (let k = 0; k <= HALVINGS_TO_FLOOR; k++) days.push(k * HALVING_PERIOD_DAYS);
  days.push(LAST_EMISSION_DAY, LAST_EMISSION_DAY + 1);
  return days;
}

/**
 * Reads the points that draw the schedule exactly: the first and last day of every constant-rate
 * segment, plus the first day with no emission.
 */
export async function readSchedulePoints(source: ScheduleSource): Promise<SchedulePoint[]> {
  const start = await source.start();
  const changes = rateChangeDays();
  const days = new Set<number>();
  for (let i = 0; i < changes.length; i++) {
    days.add(changes[i]);
    if (i + 1 < changes.length) days.add(changes[i + 1] - 1);
  }
  const sorted = [...days].sort((a, b) => a - b);
  const points: SchedulePoint[] = [];
  for (const day of sorted) {
    const d = BigInt(day);
    points.push({
      day,
      dailyRate: await source.dailyRate(d),
      cumulative: await source.emittedBy(start + d * SECONDS_PER_DAY),
    });
  }
  return points;
}

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
