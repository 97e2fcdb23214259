import path from "node:path";
import { subtask } from "hardhat/config";
import type { HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "./tasks";
import { DEFAULT_KEY_VARIABLE, keyFrom, secret } from "./tasks/lib/keys";

/**
 * Solidity compiler: pinned to the exact version of the npm `solc` package (solcjs), so that a
 * fresh machine with no internet compiles without Hardhat downloading a native binary.
 * `package.json` pins `solc` to the same version; the subtask below refuses any mismatch.
 */
const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solcPackage = require("solc/package.json") as { version: string };
  if (args.solcVersion !== solcPackage.version) {
    // Another version was requested: only possible if someone edits the config; fail loudly
    // rather than letting Hardhat try (and fail) to download it.
    return runSuper();
  }
  const compilerPath = path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath,
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: solc.version(),
  };
});

/**
 * Keys and RPC URLs never live in the repo: Hardhat configuration variables or the environment. A
 * malformed key is left out (Hardhat would refuse every command): the tasks that sign say what is wrong.
 */
const deployerKey = keyFrom(DEFAULT_KEY_VARIABLE).key;
const accounts = deployerKey ? [deployerKey] : [];

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      // BSC runs Cancun opcodes since the Haber/Tycho hard forks (2024); we do not rely on newer ones.
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 10_000 },
    },
  },
  networks: {
    hardhat: {},
    // `npx hardhat node`'s default address; DG_LOCALHOST_URL points it elsewhere (the tests use a free port).
    localhost: { url: process.env.DG_LOCALHOST_URL ?? "http://127.0.0.1:8545" },
    bscTestnet: {
      // No default endpoint: `dg:deploy` refuses with one line when the URL is missing (README lists public ones).
      url: secret("BSC_TESTNET_RPC_URL") ?? "",
      chainId: 97,
      accounts,
    },
    bsc: {
      url: secret("BSC_RPC_URL") ?? "",
      chainId: 56,
      accounts,
    },
  },
  etherscan: {
    apiKey: secret("BSCSCAN_API_KEY") ?? "",
  },
  sourcify: { enabled: false },
  // Ignition journals (resumable deployments) and deployment records can be redirected (tests do).
  paths: { ignition: process.env.DG_IGNITION_DIR ?? "./ignition" },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    offline: true,
    currency: "USD",
  },
  mocha: { timeout: 120_000 },
};

export default config;
