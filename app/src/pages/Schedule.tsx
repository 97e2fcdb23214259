/** The halving release: released, burned, today's rate, days to the next halving, and the chart. */
import { useReadContracts } from "wagmi";
import { formatBps, formatDate, formatDG, formatDuration, formatInt } from "../format";
import { dataGenAbi, miningReservationAbi } from "../generated";
import { NeedsApi, POLL_MS, Section, useApi, useApp, useChainNow, useReady } from "../lib";

const DAY = 86_400;
const HALVING_DAYS = 1_095;
const HALVINGS_TO_FLOOR = 6;
const LAST_DAY = 79_126;
/** The chart spans seven halving periods (about 21 years); the floor rate then runs to day 79,126. */
const CHART_DAYS = HALVING_DAYS * 7;

/** The days where the rate changes, and the day before each: the exact corners of the cumulative line. */
const CORNER_DAYS = (() => {
  const changes = [...Array.from({ length: HALVINGS_TO_FLOOR + 1 }, (_, k) => k * HALVING_DAYS), CHART_DAYS];
  const days = new Set<number>();
  changes.forEach((d, i) => {
    days.add(d);
    if (i > 0) days.add(d - 1);
  });
  return [...days].sort((a, b) => a - b);
})();

interface ReleaseEvent {
  block: number;
  tx: string;
  args: { toBeneficiary: string; burned: string; burnBps: string };
}

export function SchedulePage() {
  const { target } = useApp();
  const now = useChainNow();
  const reservation = {
    address: target.contracts.MiningReservation,
    abi: miningReservationAbi,
    chainId: target.id,
  } as const;
  const live = useReadContracts({
    allowFailure: false,
    contracts: [
      { ...reservation, functionName: "start" },
      { ...reservation, functionName: "emitted" },
      { ...reservation, functionName: "totalBurned" },
      { ...reservation, functionName: "totalReleased" },
      { ...reservation, functionName: "releasable" },
      { ...reservation, functionName: "burnBps" },
      { ...reservation, functionName: "RESERVE" },
      { address: target.contracts.DataGen, abi: dataGenAbi, chainId: target.id, functionName: "totalSupply" },
    ],
    query: { refetchInterval: POLL_MS },
  });
  const start = live.data ? Number(live.data[0]) : undefined;
  const day = start !== undefined ? Math.floor((now - start) / DAY) : undefined;
  const today = useReadContracts({
    allowFailure: false,
    contracts:
      day !== undefined && start !== undefined
        ? [
            { ...reservation, functionName: "dailyRate", args: [BigInt(Math.max(day, 0))] },
            { ...reservation, functionName: "emittedBy", args: [BigInt(now)] },
          ]
        : [],
    query: { enabled: day !== undefined, refetchInterval: POLL_MS },
  });
  const corners = useReadContracts({
    allowFailure: false,
    contracts:
      start !== undefined
        ? CORNER_DAYS.flatMap((d) => [
            { ...reservation, functionName: "dailyRate" as const, args: [BigInt(d)] as const },
            { ...reservation, functionName: "emittedBy" as const, args: [BigInt(start + d * DAY)] as const },
          ])
        : [],
    query: { enabled: start !== undefined, staleTime: Infinity },
  });
  const releases = useApi<{ releases: ReleaseEvent[]; releasedToBeneficiary: string; burned: string }>(
    "/schedule?limit=10",
  );
  useReady("schedule", Boolean(live.data && today.data && corners.data));

  if (live.isError)
    return (
      <p role="alert">
        Cannot read the reservation on {target.name}: {live.error.message}
      </p>
    );
  if (!live.data || !today.data || day === undefined || start === undefined)
    return <p role="status">Reading the schedule from {target.name}…</p>;
  const [, emitted, totalBurned, totalReleased, releasable, burnBps, reserve, totalSupply] = live.data;
  const [rate, emittedBy] = today.data as [bigint, bigint];
  const nextHalvingDay =
    day < HALVING_DAYS * HALVINGS_TO_FLOOR ? (Math.floor(Math.max(day, 0) / HALVING_DAYS) + 1) * HALVING_DAYS : null;
  const points = corners.data
    ? CORNER_DAYS.map((d, i) => ({
        day: d,
        rate: corners.data[2 * i] as bigint,
        cumulative: corners.data[2 * i + 1] as bigint,
      }))
    : [];

  return (
    <>
      <h1>Emission schedule</h1>
      <p className="lead">
        The mining reservation holds {formatDG(reserve)} for the validators. It releases a daily amount that halves
        every {formatInt(HALVING_DAYS)} days; part of each release is burned at the rate holders vote for.
      </p>
      <Section title="Today">
        <dl className="stats">
          <div>
            <dt>Released so far</dt>
            <dd data-testid="released">{formatDG(emitted)}</dd>
          </div>
          <div>
            <dt>… of which paid to the validators' rewards</dt>
            <dd>{formatDG(totalReleased)}</dd>
          </div>
          <div>
            <dt>… of which burned</dt>
            <dd data-testid="burned">{formatDG(totalBurned)}</dd>
          </div>
          <div>
            <dt>Waiting for the next release</dt>
            <dd>{formatDG(releasable)}</dd>
          </div>
          <div>
            <dt>{day < 0 ? "Today's rate" : `Today's rate (day ${formatInt(day)})`}</dt>
            <dd data-testid="rate">
              {day < 0
                ? `not started: ${formatDG(rate)} a day from ${formatDate(start)} (in ${formatDuration(start - now)})`
                : `${formatDG(rate)} a day`}
            </dd>
          </div>
          <div>
            <dt>Next halving</dt>
            <dd data-testid="next-halving">
              {nextHalvingDay === null
                ? day > LAST_DAY
                  ? "none: the reserve is exhausted"
                  : "none: the rate stays at its floor"
                : `in ${formatInt(nextHalvingDay - day)} days, on ${formatDate(start + nextHalvingDay * DAY).slice(0, 10)}`}
            </dd>
          </div>
          <div>
            <dt>Burn rate of each release</dt>
            <dd data-testid="burn-rate">{formatBps(burnBps)}</dd>
          </div>
          <div>
            <dt>DG in existence</dt>
            <dd>{formatDG(totalSupply)}</dd>
          </div>
        </dl>
      </Section>
      <Section title="The release over time">
        {points.length ? (
          <Chart points={points} day={Math.max(day, 0)} emittedBy={emittedBy} released={emitted} start={start} />
        ) : (
          <p role="status">Reading the halvings…</p>
        )}
      </Section>
      <Section title="Recent releases">
        {releases.isError || !releases.data ? (
          releases.isError || !releases.isFetching ? (
            <NeedsApi what="the history of releases" error={releases.error} />
          ) : (
            <p role="status">Loading…</p>
          )
        ) : releases.data.releases.length === 0 ? (
          <p>No release yet.</p>
        ) : (
          <table>
            <caption className="sr-only">The last releases, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Block</th>
                <th scope="col">To the rewards</th>
                <th scope="col">Burned</th>
                <th scope="col">Burn rate</th>
              </tr>
            </thead>
            <tbody>
              {releases.data.releases.map((r) => (
                <tr key={r.tx}>
                  <td>{formatInt(r.block)}</td>
                  <td>{formatDG(BigInt(r.args.toBeneficiary))}</td>
                  <td>{formatDG(BigInt(r.args.burned))}</td>
                  <td>{formatBps(BigInt(r.args.burnBps))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}

interface Point {
  day: number;
  rate: bigint;
  cumulative: bigint;
}

/** The cumulative scheduled emission (exact at every corner, linear in between) and the daily rate. */
function Chart({
  points,
  day,
  emittedBy,
  released,
  start,
}: {
  points: Point[];
  day: number;
  emittedBy: bigint;
  released: bigint;
  start: number;
}) {
  const W = 720;
  const H = 280;
  const pad = { l: 70, r: 70, t: 16, b: 36 };
  const maxDG = 15_000_000;
  const maxRate = 4_560;
  const x = (d: number) => pad.l + (Math.min(d, CHART_DAYS) / CHART_DAYS) * (W - pad.l - pad.r);
  const dg = (wei: bigint) => Number(wei / 10n ** 15n) / 1_000;
  const y = (amount: number) => H - pad.b - (amount / maxDG) * (H - pad.t - pad.b);
  const yr = (amount: number) => H - pad.b - (amount / maxRate) * (H - pad.t - pad.b);
  const line = points
    .map((p, i) => `${i ? "L" : "M"}${x(p.day).toFixed(1)},${y(dg(p.cumulative)).toFixed(1)}`)
    .join(" ");
  const steps = points
    .filter((p) => p.day < CHART_DAYS)
    .map(
      (p, i) =>
        `${i ? "L" : "M"}${x(p.day).toFixed(1)},${yr(dg(p.rate)).toFixed(1)} L${x(p.day + 1).toFixed(1)},${yr(dg(p.rate)).toFixed(1)}`,
    )
    .join(" ");
  const years = Array.from({ length: 8 }, (_, k) => k * 3);
  const halvings = Array.from({ length: HALVINGS_TO_FLOOR + 1 }, (_, k) => k * HALVING_DAYS);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc">
        <title id="chart-title">Cumulative emission and daily rate of the mining reservation</title>
        <desc id="chart-desc">
          {`The cumulative scheduled emission rises from 0 to ${formatDG(points.at(-1)!.cumulative)} over seven halving periods; today (day ${formatInt(day)}) ${formatDG(emittedBy)} is scheduled, ${formatDG(released)} released.`}
        </desc>
        {[0, 5_000_000, 10_000_000, 15_000_000].map((v) => (
          <g key={v}>
            <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} className="grid" />
            <text x={pad.l - 6} y={y(v) + 4} textAnchor="end" className="axis">
              {v / 1_000_000}M DG
            </text>
          </g>
        ))}
        {[0, 2_280, 4_560].map((v) => (
          <text key={v} x={W - pad.r + 6} y={yr(v) + 4} className="axis rate-axis">
            {formatInt(v)}/day
          </text>
        ))}
        {years.map((yv) => (
          <text key={yv} x={x(Math.round(yv * 365.25))} y={H - pad.b + 18} textAnchor="middle" className="axis">
            {new Date((start + Math.round(yv * 365.25) * DAY) * 1000).getUTCFullYear()}
          </text>
        ))}
        {halvings.slice(1).map((d) => (
          <line key={d} x1={x(d)} x2={x(d)} y1={pad.t} y2={H - pad.b} className="halving" />
        ))}
        <path d={steps} className="rate" />
        <path d={line} className="cumulative" />
        <line x1={x(day)} x2={x(day)} y1={pad.t} y2={H - pad.b} className="today" />
        <circle cx={x(day)} cy={y(dg(released))} r={5} className="released" />
        <text x={x(day) + 6} y={pad.t + 12} className="axis">
          today
        </text>
      </svg>
      <figcaption>
        <span className="key cumulative-key">cumulative scheduled emission</span>{" "}
        <span className="key rate-key">daily rate (right axis)</span>{" "}
        <span className="key released-key">released so far</span>; dashed lines: halvings. After {formatInt(CHART_DAYS)}{" "}
        days the rate stays at its floor until the reserve runs out on day {formatInt(LAST_DAY)} (
        {formatDate(start + LAST_DAY * DAY).slice(0, 10)}).
      </figcaption>
      <table className="halvings">
        <caption>Halvings</caption>
        <thead>
          <tr>
            <th scope="col">From day</th>
            <th scope="col">Date</th>
            <th scope="col">Daily rate</th>
            <th scope="col">Emitted by the end of the period</th>
          </tr>
        </thead>
        <tbody>
          {halvings.map((d, k) => {
            const first = points.find((p) => p.day === d)!;
            const last = points.find((p) => p.day === (k < HALVINGS_TO_FLOOR ? halvings[k + 1] : CHART_DAYS) - 1);
            return (
              <tr key={d}>
                <td>{formatInt(d)}</td>
                <td>{formatDate(start + d * DAY).slice(0, 10)}</td>
                <td>{formatDG(first.rate)}</td>
                <td>{last ? formatDG(last.cumulative) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
