/** The wagmi configuration made from `config.json`: its chains, their RPC endpoints, the wallets offered. */
import { defineChain, http, type Chain } from "viem";
import { createConfig, type Config, type CreateConnectorFn } from "wagmi";
import { injected } from "wagmi/connectors/injected";
import type { AppConfig } from "./config";

/**
 * Each configured chain, without a multicall contract (a local node has none: reads go out as batched
 * JSON-RPC requests instead), with the RPC endpoint a wallet is given when it has to add the chain.
 */
export function appChains(config: AppConfig): [Chain, ...Chain[]] {
  const chains = config.chains.map((c) =>
    defineChain({
      id: c.id,
      name: c.name,
      nativeCurrency: { name: c.id === 31337 ? "Ether" : "BNB", symbol: c.id === 31337 ? "ETH" : "BNB", decimals: 18 },
      rpcUrls: { default: { http: [c.rpcUrl] } },
      blockExplorers: c.explorerUrl ? { default: { name: "BscScan", url: c.explorerUrl } } : undefined,
      testnet: c.id !== 56,
    }),
  );
  return chains as unknown as [Chain, ...Chain[]];
}

export function makeWagmiConfig(config: AppConfig, extra: CreateConnectorFn[] = []): Config {
  const chains = appChains(config);
  return createConfig({
    chains,
    connectors: [injected({ shimDisconnect: true }), ...extra],
    transports: Object.fromEntries(config.chains.map((c) => [c.id, http(c.rpcUrl, { batch: true })])),
    pollingInterval: 1_000,
  });
}
