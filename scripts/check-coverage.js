#!/usr/bin/env node
/*
 * Enforces the coverage bars on every contract (interfaces excluded):
 * 100% of lines and functions, at least 95% of branches. Reads coverage/coverage-summary.json,
 * written by `npm run coverage` (solidity-coverage with the json-summary reporter, see .solcover.js).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const THRESHOLDS = { lines: 100, functions: 100, branches: 95 };
const summaryPath = path.join(__dirname, "..", "coverage", "coverage-summary.json");

if (!fs.existsSync(summaryPath)) {
  console.error(`coverage summary not found at ${summaryPath}: run \`npm run coverage\` first`);
  process.exit(1);
}
const summary = JSON.parse(fs.readFileSync(summaryPath, "utf8"));
const failures = [];
let files = 0;
for (const [file, metrics] of Object.entries(summary)) {
  if (file === "total" || !file.endsWith(".sol")) continue;
  files += 1;
  for (const [metric, minimum] of Object.entries(THRESHOLDS)) {
    const { pct, total } = metrics[metric];
    if (total > 0 && pct < minimum) {
      failures.push(`${path.relative(process.cwd(), file)}: ${metric} ${pct}% < ${minimum}%`);
    }
  }
}
if (files === 0) {
  console.error("coverage summary lists no contract");
  process.exit(1);
}
if (failures.length > 0) {
  console.error(`coverage below the bar:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(
  `coverage OK for ${files} contracts (lines ${THRESHOLDS.lines}%, functions ${THRESHOLDS.functions}%, branches >= ${THRESHOLDS.branches}%)`,
);
