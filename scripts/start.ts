/**
 * `npm start`: the whole life cycle of the suite on the embedded Hardhat network (no keys, no network
 * needed), deployed through the production Ignition modules, printed as tables; the emission chart is
 * written to reports/emission-schedule.svg. See scripts/lib/lifecycle.ts for the steps.
 */
import path from "node:path";
import Table from "cli-table3";
import { formatUnits } from "ethers";
import { runLifecycle, type LifecycleSummary } from "./lib/lifecycle";

/** DG wei as an exact decimal, grouped: 1,234.5 DG. */
export function dg(wei: bigint): string {
  const [whole, fraction] = formatUnits(wei, 18).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${grouped}${fraction === "0" ? "" : `.${fraction}`} DG`;
}

function table(title: string, head: string[], rows: (string | bigint | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map(String));
  return `\n${title}\n${t.toString()}`;
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** The report `npm start` prints. */
export function renderReport(s: LifecycleSummary): string {
  const out: string[] = [];
  out.push(
    table(
      "Deployed (deploy/modules/CrossCheck.ts, embedded Hardhat network)",
      ["contract", "address"],
      Object.entries(s.addresses),
    ),
  );
  out.push(
    table(
      "Validators staked before day 0",
      ["validator", "address", "stake"],
      s.stakes.map((v) => [v.name, v.address, dg(v.stake)]),
    ),
  );
  out.push(
    table(
      "Release across the first halving (the reservation pays the ComputeRewards distributor)",
      ["day", "daily rate", "to distributor", "burned", "released so far"],
      s.releases.map((r) => [r.day, dg(r.rate), dg(r.toBeneficiary), dg(r.burned), dg(r.cumulative)]),
    ),
  );
  out.push(
    table(
      "Inflation-cut vote: burn 20% of every release",
      ["votes for", "votes against", "result", "burnBps", "deposit (returned)"],
      [
        [
          dg(s.vote.forVotes),
          dg(s.vote.againstVotes),
          s.vote.passed ? "passed" : "failed",
          s.vote.burnBps,
          `${dg(s.vote.deposit)} (${dg(s.vote.depositReturned)})`,
        ],
      ],
    ),
  );
  const b = s.burnRelease;
  out.push(
    table(
      `Release of day ${b.day} after the vote`,
      ["released", "to distributor (80%)", "burned (20%)", "supply before", "supply after", "supply fell by the burn"],
      [
        [
          dg(b.released),
          dg(b.toBeneficiary),
          dg(b.burned),
          dg(b.supplyBefore),
          dg(b.supplyAfter),
          b.supplyBefore - b.supplyAfter === b.burned ? "yes" : "NO",
        ],
      ],
    ),
  );
  const e = s.epoch;
  out.push(
    table(
      `Epoch ${e.epoch} from ${path.basename(e.reportFile)}: pool ${dg(e.pool)} = its own day (${dg(e.own)}) + 1/90 ` +
        `of the other ${dg(e.available - e.own)} released since day 0; no windfall: ${dg(e.carry)} stay in the ` +
        `carry for later epochs. Total compute ${e.totalCompute}`,
      ["validator", "compute", "share", "paid", "= mulDiv(pool, compute, total)"],
      e.claims.map((c) => {
        const expected = (e.pool * c.compute) / e.totalCompute;
        return [
          c.name,
          c.compute,
          `${(Number(c.compute) * 100) / Number(e.totalCompute)}%`,
          dg(c.paid),
          c.paid === expected ? "yes" : `NO (${dg(expected)})`,
        ];
      }),
    ),
  );
  const c = s.check;
  out.push(
    table(
      `Cross-check ${c.checkId} opened from the delivery receipt C signed (result ${c.receiptHash.slice(0, 10)}…): verdict ${c.verdict}`,
      ["", "amount"],
      [
        [`C slashed (10% of its stake at open)`, dg(c.slashed)],
        ["  reward share, split among the honest checkers", dg(c.rewarded)],
        ["  burned by the escrow", dg(c.burned)],
        ...c.rewards.map((r): [string, string] => [`  checker ${short(r.checker)} rewarded`, dg(r.amount)]),
        ["  division remainder burned", dg(c.dustBurned)],
        ["C's status now (below the minimum stake)", c.pairedStatus],
      ],
    ),
  );
  const u = s.unbondedCheck;
  out.push(
    table(
      `Cross-check ${u.checkId}: D unbonded everything right after delivering; checked all the same: verdict ${u.verdict}`,
      ["", "state / amount"],
      [
        ["D's status when the check opened", u.pairedStatusAtOpen],
        ["D's stake then (active + unbonding)", dg(u.stakeAtOpen)],
        ["D slashed from its unbonding stake", dg(u.slashed)],
        ["  to the honest checkers / burned", `${dg(u.rewarded)} / ${dg(u.burned + u.dustBurned)}`],
        ["D's unbonding stake now", dg(u.pairedUnbonding)],
      ],
    ),
  );
  out.push(
    `\nCheckers' salts (each written, mode 0600, before its commit was sent; commitments computed locally): ${s.saltDir}` +
      (c.saltsStoredFirst && u.saltsStoredFirst ? "" : " NO"),
  );
  out.push(
    table(
      "Unbond and withdraw",
      ["validator", "unbonded", "withdrawn after the cooldown", "status"],
      [[s.exit.name, dg(s.exit.unbonded), dg(s.exit.withdrawn), s.exit.status]],
    ),
  );
  out.push(
    table(
      "Conservation",
      ["balances of every holder", "+ burned", "= 30,000,000 DG"],
      [[dg(s.holdersSum), dg(s.burnedTotal), s.holdersSum + s.burnedTotal === 30_000_000n * 10n ** 18n ? "yes" : "NO"]],
    ),
  );
  out.push(`\nEmission chart (daily rate and cumulative release over 217 years, halvings marked): ${s.chartFile}`);
  return out.join("\n");
}

async function main() {
  const chartFile = path.join(__dirname, "..", "reports", "emission-schedule.svg");
  const summary = await runLifecycle({ progress: (m) => console.log(`… ${m}`), chartFile });
  console.log(renderReport({ ...summary, chartFile: path.relative(process.cwd(), summary.chartFile) }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
