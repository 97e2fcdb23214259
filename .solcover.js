// solidity-coverage: the summary is read by scripts/check-coverage.js, which enforces the thresholds.
module.exports = {
  istanbulReporter: ["text", "json-summary", "lcov"],
  skipFiles: ["interfaces/", "test/"],
  mocha: { timeout: 600000 },
};
