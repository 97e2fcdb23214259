/** What the tasks share from their first line on, with no import (see tasks/index.ts). */

/** A check failed before anything was sent: the task prints `message` on one line and exits 1. */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Refusal";
  }
}

/** The secrets a network needs, by network name (environment variable or `npx hardhat vars set`). */
export const NETWORK_SECRETS: Record<string, { rpcUrl: string; chainId: number }> = {
  bscTestnet: { rpcUrl: "BSC_TESTNET_RPC_URL", chainId: 97 },
  bsc: { rpcUrl: "BSC_RPC_URL", chainId: 56 },
};
