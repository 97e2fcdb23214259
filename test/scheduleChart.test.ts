import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, DG, RESERVE, deployCore } from "./helpers/fixtures";
import {
  rateChangeDays,
  readSchedulePoints,
  renderScheduleSvg,
  type SchedulePoint,
} from "../scripts/lib/scheduleChart";

async function pointsFixture() {
  const { reservation } = await deployCore();
  return { reservation, points: await readSchedulePoints(reservation) };
}

function at(points: SchedulePoint[], day: number): SchedulePoint {
  const point = points.find((p) => p.day === day);
  if (!point) throw new Error(`no point for day ${day}`);
  return point;
}

describe("emission schedule chart (scripts/lib/scheduleChart.ts)", function () {
  describe("points read from the contract", function () {
    it("are the first and last day of every constant-rate segment, in order", async function () {
      const { points } = await loadFixture(pointsFixture);
      expect(rateChangeDays()).to.deep.equal([0, 1095, 2190, 3285, 4380, 5475, 6570, 79126, 79127]);
      expect(points.map((p) => p.day)).to.deep.equal([
        0, 1094, 1095, 2189, 2190, 3284, 3285, 4379, 4380, 5474, 5475, 6569, 6570, 79125, 79126, 79127,
      ]);
    });

    it("carry the exact rates and cumulative releases of the SPEC", async function () {
      const { points } = await loadFixture(pointsFixture);
      expect(at(points, 0).dailyRate).to.equal(4_560n * DG);
      expect(at(points, 0).cumulative).to.equal(4_560n * DG);
      expect(at(points, 1094).cumulative).to.equal(4_993_200n * DG);
      expect(at(points, 1095).dailyRate).to.equal(2_280n * DG);
      expect(at(points, 6569).cumulative).to.equal(9_830_362n * DG + DG / 2n);
      expect(at(points, 6570).dailyRate).to.equal((7_125n * DG) / 100n);
      expect(at(points, 79126).dailyRate).to.equal(22n * DG + DG / 2n);
      expect(at(points, 79126).cumulative).to.equal(RESERVE);
      expect(at(points, 79127).dailyRate).to.equal(0n);
      expect(at(points, 79127).cumulative).to.equal(RESERVE);
    });

    it("draw the cumulative curve exactly: it is linear between the points (checked mid-segment on-chain)", async function () {
      const { reservation, points } = await loadFixture(pointsFixture);
      const start = await reservation.start();
      for (let i = 0; i + 1 < points.length; i++) {
        const a = points[i];
        const b = points[i + 1];
        if (b.day - a.day < 2) continue;
        // Inside a segment the rate is a.dailyRate: the line from a to b has that slope...
        expect(b.cumulative - a.cumulative).to.equal(BigInt(b.day - a.day) * a.dailyRate);
        // ...and the contract agrees at the middle day.
        const mid = BigInt(Math.floor((a.day + b.day) / 2));
        expect(await reservation.emittedBy(start + mid * DAY)).to.equal(
          a.cumulative + (mid - BigInt(a.day)) * a.dailyRate,
        );
        expect(await reservation.dailyRate(mid)).to.equal(a.dailyRate);
      }
    });
  });

  describe("rendering", function () {
    it("renders a self-contained SVG: both series in two panels, the six halvings and the exhaustion marked", async function () {
      const { points } = await loadFixture(pointsFixture);
      const svg = renderScheduleSvg(points);
      expect(svg.startsWith("<svg")).to.equal(true);
      expect(svg.trimEnd().endsWith("</svg>")).to.equal(true);
      expect(svg).to.include('width="1000"');
      expect(svg).to.include("first 20 years: the six halvings");
      expect(svg).to.include("all 217 years");
      for (let k = 1; k <= 5; k++) expect(svg).to.include(`halving ${k}<`);
      expect(svg).to.include("halving 6 (floor)");
      expect(svg).to.include("reserve exhausted");
      expect(svg).to.include("daily rate (DG/day)");
      expect(svg).to.include("cumulative release (million DG)");
      expect(svg).to.include("years since the release start");
      expect((svg.match(/<path /g) ?? []).length).to.be.greaterThan(10);
      expect(svg).to.not.include("NaN");
    });

    it("refuses fewer than two points", function () {
      expect(() => renderScheduleSvg([])).to.throw("at least two schedule points");
    });
  });
});
