// solidity-coverage: the summary is read by scripts/check-coverage.js, which enforces the thresholds.
module.exports = {
  istanbulReporter: ["text", "json-summary", "lcov"],
  skipFiles: ["interfaces/", "test/"],
  // Gas pins and child-process tests need the real build; they run in `npm test` (see REAL_BUILD).
  mocha: { timeout: 600000, grep: "\\[real build\\]", invert: true },
};
