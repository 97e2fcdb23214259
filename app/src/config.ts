/**
 * The app's runtime configuration: `config.json`, served next to `index.html` (the dev server makes it
 * from `deployments/` and the environment; `npm run app:build` writes one into `app/dist/`; any host
 * may replace it without rebuilding the bundle).
 */

import { SUITE_CONTRACT_NAMES, type SuiteContractName } from "../../sdk/constants";

/** The six contracts of one deployment (the `contracts` of `deployments/<chainId>.json`). */
export type SuiteAddresses = Record<SuiteContractName, `0x${string}`>;

export interface ChainConfig {
  id: number;
  name: string;
  /** JSON-RPC endpoint the app reads the chain from (the wallet sends through its own). */
  rpcUrl: string;
  /** Block explorer, for transaction links; empty for a local node. */
  explorerUrl: string;
  /** The suite on this chain, or null when no deployment is recorded for it. */
  contracts: SuiteAddresses | null;
}

export interface AppConfig {
  /** Base URL of the network services' API (history, proofs), or null to run from the chain alone. */
  apiUrl: string | null;
  /** The chain the app reads and transacts on (one with a deployment). */
  defaultChainId: number;
  chains: ChainConfig[];
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Checks a parsed `config.json`; throws one line naming what is wrong. */
export function validateConfig(value: unknown): AppConfig {
  const c = value as Partial<AppConfig>;
  if (typeof c !== "object" || c === null) throw new Error("config.json is not an object");
  if (c.apiUrl !== null && typeof c.apiUrl !== "string") throw new Error("config.json: apiUrl must be a URL or null");
  if (!Array.isArray(c.chains) || c.chains.length === 0) throw new Error("config.json: chains is empty");
  for (const chain of c.chains) {
    if (!Number.isInteger(chain.id) || typeof chain.rpcUrl !== "string" || typeof chain.name !== "string")
      throw new Error(`config.json: chain ${JSON.stringify(chain.id)} needs id, name and rpcUrl`);
    if (chain.contracts) {
      for (const name of SUITE_CONTRACT_NAMES) {
        if (!ADDRESS.test(chain.contracts[name] ?? ""))
          throw new Error(`config.json: chain ${chain.id}: the address of ${name} is missing or invalid`);
      }
    }
  }
  const target = c.chains.find((x) => x.id === c.defaultChainId);
  if (!target?.contracts) throw new Error(`config.json: defaultChainId ${c.defaultChainId} has no deployment`);
  return {
    apiUrl: c.apiUrl ? c.apiUrl.replace(/\/+$/, "") : null,
    defaultChainId: c.defaultChainId!,
    chains: c.chains,
  };
}
