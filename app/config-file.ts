/**
 * Node side of the app's configuration: builds `config.json` from the deployment records
 * (`deployments/<chainId>.json`, or `$DG_DEPLOYMENTS_DIR`) and the environment. Used by the dev server
 * (served at `/config.json`) and the build (written to `app/dist/config.json`).
 *
 * - `DG_APP_API_URL`: the services' API (default http://127.0.0.1:8080; `none` for no API).
 * - `DG_APP_CHAIN_ID`: the chain the app uses (default: the local node's if deployed, else 97, else 56).
 * - `DG_APP_RPC_56`, `DG_APP_RPC_97`, `DG_APP_RPC_31337`: JSON-RPC endpoints the app reads from.
 */
import fs from "node:fs";
import path from "node:path";
import { validateConfig, type AppConfig, type ChainConfig, type SuiteAddresses } from "./src/config";

export const KNOWN_CHAINS: Omit<ChainConfig, "contracts">[] = [
  { id: 56, name: "BNB Smart Chain", rpcUrl: "https://bsc-dataseed.bnbchain.org", explorerUrl: "https://bscscan.com" },
  {
    id: 97,
    name: "BNB Smart Chain testnet",
    rpcUrl: "https://data-seed-prebsc-1-s1.bnbchain.org:8545",
    explorerUrl: "https://testnet.bscscan.com",
  },
  { id: 31337, name: "Local node", rpcUrl: "http://127.0.0.1:8545", explorerUrl: "" },
];

export function buildAppConfig(
  env: Record<string, string | undefined> = process.env,
  deploymentsDir = env.DG_DEPLOYMENTS_DIR ?? path.join(__dirname, "..", "deployments"),
): AppConfig {
  const chains = KNOWN_CHAINS.map((chain) => {
    const file = path.join(deploymentsDir, `${chain.id}.json`);
    const contracts = fs.existsSync(file)
      ? (JSON.parse(fs.readFileSync(file, "utf8")) as { contracts: SuiteAddresses }).contracts
      : null;
    return { ...chain, rpcUrl: env[`DG_APP_RPC_${chain.id}`] ?? chain.rpcUrl, contracts };
  });
  const deployed = chains.filter((c) => c.contracts);
  if (deployed.length === 0)
    throw new Error(`no deployment recorded in ${deploymentsDir}: deploy first with \`npx hardhat dg:deploy\``);
  const wanted = env.DG_APP_CHAIN_ID ? Number(env.DG_APP_CHAIN_ID) : undefined;
  const preferred = [31337, 97, 56].find((id) => deployed.some((c) => c.id === id))!;
  const api = env.DG_APP_API_URL ?? "http://127.0.0.1:8080";
  return validateConfig({
    apiUrl: api === "none" ? null : api,
    defaultChainId: wanted ?? preferred,
    chains,
  });
}
