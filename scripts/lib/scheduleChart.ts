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
import { HALVINGS_TO_FLOOR, HALVING_PERIOD_DAYS, LAST_EMISSION_DAY, type SchedulePoint } from "../../sdk/schedule";

// The points are read by the SDK (`sdk/schedule.ts`: it imports nothing from scripts/); re-exported here.
export {
  HALVING_PERIOD_DAYS,
  HALVINGS_TO_FLOOR,
  LAST_EMISSION_DAY,
  rateChangeDays,
  readSchedulePoints,
  type SchedulePoint,
  type ScheduleSource,
} from "../../sdk/schedule";

const DAYS_PER_YEAR = 365.25;

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
