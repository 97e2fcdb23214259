import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { parseCsvReport, parseJsonReport, readComputeReport } from "../scripts/lib/report";

const V1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const V2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

function file(name: string, text: string): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dg-report-")), name);
  fs.writeFileSync(f, text);
  return f;
}

describe("compute report reader (scripts/lib/report.ts)", () => {
  describe("valid reports", () => {
    it("CSV with a header, comments, blank lines and spaces", () => {
      const entries = parseCsvReport(`# epoch 3\nvalidator,compute\n\n${V1}, 50\n ${V2} ,30\n`);
      expect(entries).to.deep.equal([
        { validator: V1, compute: 50n },
        { validator: V2, compute: 30n },
      ]);
    });

    it("JSON with compute as decimal strings or safe integers, exact beyond 2^53", () => {
      const entries = parseJsonReport(
        JSON.stringify([
          { validator: V1, compute: "123456789012345678901234567890" },
          { validator: V2, compute: 7 },
        ]),
      );
      expect(entries).to.deep.equal([
        { validator: V1, compute: 123456789012345678901234567890n },
        { validator: V2, compute: 7n },
      ]);
    });

    it("reads files by extension", () => {
      expect(readComputeReport(file("r.csv", `${V1},1\n`))).to.deep.equal([{ validator: V1, compute: 1n }]);
      expect(readComputeReport(file("r.json", JSON.stringify([{ validator: V2, compute: "2" }])))).to.deep.equal([
        { validator: V2, compute: 2n },
      ]);
    });
  });

  describe("malformed reports are refused with a one-line message naming the place", () => {
    const cases: [string, () => unknown, RegExp][] = [
      [
        "a missing file",
        () => readComputeReport("/nonexistent/report.csv"),
        /^cannot read the report \/nonexistent\/report\.csv: ENOENT$/,
      ],
      ["an empty CSV", () => parseCsvReport("validator,compute\n", "r.csv"), /^r\.csv: no entries$/],
      [
        "a CSV line with three cells",
        () => parseCsvReport(`${V1},1,2\n`, "r.csv"),
        /^r\.csv line 1: expected "validator,compute"/,
      ],
      [
        "a CSV line with one cell",
        () => parseCsvReport(`${V1},1\n${V2}\n`, "r.csv"),
        /^r\.csv line 2: expected "validator,compute"/,
      ],
      [
        "a negative compute",
        () => parseCsvReport(`${V1},-5\n`, "r.csv"),
        /^r\.csv line 1: compute must be a non-negative whole number, got "-5"$/,
      ],
      [
        "a fractional compute",
        () => parseCsvReport(`${V1},1.5\n`, "r.csv"),
        /^r\.csv line 1: compute must be a non-negative whole number/,
      ],
      ["a non-numeric compute", () => parseCsvReport(`${V1},lots\n`, "r.csv"), /^r\.csv line 1: compute must be/],
      ["invalid JSON", () => parseJsonReport("[{", "r.json"), /^r\.json: not valid JSON/],
      ["JSON that is not an array", () => parseJsonReport("{}", "r.json"), /^r\.json: expected an array/],
      ["an empty JSON array", () => parseJsonReport("[]", "r.json"), /^r\.json: no entries$/],
      [
        "a JSON entry that is not an object",
        () => parseJsonReport("[1]", "r.json"),
        /^r\.json entry 0: expected \{ validator, compute \}$/,
      ],
      [
        "a JSON entry without validator",
        () => parseJsonReport('[{"compute":"1"}]', "r.json"),
        /^r\.json entry 0: validator must be an address string$/,
      ],
      [
        "an unsafe JSON number",
        () => parseJsonReport(`[{"validator":"${V1}","compute":9007199254740993}]`, "r.json"),
        /^r\.json entry 0: compute must be/,
      ],
    ];
    for (const [what, run, message] of cases) {
      it(what, () => {
        expect(run).to.throw(message);
        try {
          run();
        } catch (error) {
          expect((error as Error).message).to.not.include("\n");
        }
      });
    }
  });
});
