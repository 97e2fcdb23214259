/**
 * The emission schedule as an SVG chart: daily rate (left axis, DG/day) and cumulative release
 * (right axis, million DG) over the 216 years of the halving release, with the halvings marked.
 *
 * The points are read from the MiningReservation contract itself (`dailyRate`, `emittedBy`), only
 * at the days where the rate changes: the rate is a step function and the cumulative release is
 * linear between two changes, so these points draw both curves exactly. Rendering uses Apache
 * ECharts' server-side SVG renderer (pure JavaScript: no canvas, no browser, no native download).
 */
import * as echarts from "echarts";
import { formatUnits } from "ethers";

/** Length of a halving period, in days (SPEC 2). */
export const HALVING_PERIOD_DAYS = 1095;
/** Halvings before the rate stays at its floor. */
export const HALVINGS_TO_FLOOR = 6;
/** The last day with any emission (it emits the remainder, 22.5 DG). */
export const LAST_EMISSION_DAY = 79_126;

const SECONDS_PER_DAY = 86_400n;
const DAYS_PER_YEAR = 365.25;

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

function dg(wei: bigint): number {
  return Number(formatUnits(wei, 18));
}

function years(day: number): number {
  return Number((day / DAYS_PER_YEAR).toFixed(4));
}

/** Years shown in the upper panel, which zooms on the halvings. */
const HALVING_PANEL_YEARS = 20;

/**
 * Renders the schedule as an SVG document (a string), in two panels sharing the same series: the
 * first 20 years (the six halvings, dashed and labelled) and the whole 217 years (with the
 * exhaustion day marked). The rate is a step line (left axis), the cumulative release a line
 * (right axis).
 */
export function renderScheduleSvg(points: SchedulePoint[], width = 1000, height = 890): string {
  if (points.length < 2) throw new Error("renderScheduleSvg: at least two schedule points are needed");
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  const halvings: { xAxis: number; name: string }[] = [];
  for (let k = 1; k <= HALVINGS_TO_FLOOR; k++) {
    halvings.push({
      xAxis: years(k * HALVING_PERIOD_DAYS),
      name: k === HALVINGS_TO_FLOOR ? `halving ${k} (floor)` : `halving ${k}`,
    });
  }
  const exhausted = [{ xAxis: years(LAST_EMISSION_DAY + 1), name: "reserve exhausted" }];
  const rate = points.map((p) => [years(p.day), dg(p.dailyRate)]);
  const cumulative = points.map((p) => [years(p.day), dg(p.cumulative) / 1_000_000]);
  const lastYear = Math.ceil(years(points[points.length - 1].day));
  const markLine = (data: { xAxis: number; name: string }[]) => ({
    symbol: "none",
    lineStyle: { type: "dashed", color: "#888888" },
    label: { formatter: "{b}", position: "insideEndTop", fontSize: 11 },
    data,
  });
  const panels = [
    {
      top: 140,
      max: HALVING_PANEL_YEARS,
      title: `first ${HALVING_PANEL_YEARS} years: the six halvings`,
      marks: halvings,
    },
    { top: 530, max: lastYear, title: `all ${lastYear} years`, marks: exhausted },
  ];
  try {
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      title: [
        {
          text: "DG emission schedule (MiningReservation)",
          subtext:
            "15,000,000 DG: 4560 DG/day halved every 1095 days, floor 71.25 DG/day from day 6570, exhausted on day 79126",
          left: "center",
        },
        ...panels.map((panel) => ({
          text: panel.title,
          top: panel.top - 40,
          left: "center",
          textStyle: { fontSize: 13 },
        })),
      ],
      legend: { top: 78, data: ["daily rate (DG/day)", "cumulative release (million DG)"] },
      grid: panels.map((panel) => ({ left: 80, right: 90, top: panel.top, height: 280 })),
      xAxis: panels.map((panel, i) => ({
        type: "value",
        gridIndex: i,
        name: "years since the release start",
        nameLocation: "middle",
        nameGap: 28,
        min: 0,
        max: panel.max,
      })),
      yAxis: panels.flatMap((_, i) => [
        { type: "value", gridIndex: i, name: "DG per day", position: "left", max: 5000 },
        { type: "value", gridIndex: i, name: "million DG", position: "right", max: 15 },
      ]),
      series: panels.flatMap((panel, i) => [
        {
          name: "daily rate (DG/day)",
          type: "line",
          step: "end",
          symbol: "none",
          xAxisIndex: i,
          yAxisIndex: 2 * i,
          color: "#3b5bdb",
          data: rate,
          markLine: markLine(panel.marks),
        },
        {
          name: "cumulative release (million DG)",
          type: "line",
          symbol: "none",
          xAxisIndex: i,
          yAxisIndex: 2 * i + 1,
          color: "#2f9e44",
          data: cumulative,
        },
      ]),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
