/**
 * Checks made before a deployment sends anything. Each failure is a {@link Refusal}: one line that
 * says what is wrong and how to fix it.
 */
import { formatEther, formatUnits } from "ethers";

/** A check failed before anything was sent: the task prints `message` on one line and exits 1. */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Refusal";
  }
}

/**
 * Gas of deploying and wiring the whole suite (deploy/modules/CrossCheck.ts: 14 transactions),
 * measured on the embedded network (16,913,506 since the delivery receipts and the active-set
 * history) plus 10%; `test/deploy.test.ts` checks that a real deployment stays below it.
 */
export const DEPLOY_GAS_BUDGET = 18_600_000n;

/** The secrets a network needs, by network name (environment variable or `npx hardhat vars set`). */
export const NETWORK_SECRETS: Record<string, { rpcUrl: string; chainId: number }> = {
  bscTestnet: { rpcUrl: "BSC_TESTNET_RPC_URL", chainId: 97 },
  bsc: { rpcUrl: "BSC_RPC_URL", chainId: 56 },
};

/** What the pre-flight needs to know about the network, gathered by the task. */
export interface PreflightInput {
  network: string;
  /** The configured URL (undefined for the embedded network). */
  url: string | undefined;
  /** Whether a deployer key is configured. */
  hasKey: boolean;
  /** The chain id the configuration expects (undefined: any). */
  expectedChainId: number | undefined;
  /** eth_chainId of the RPC. */
  chainId: () => Promise<bigint>;
  /** The deployer's address, its balance and the gas price (wei). */
  deployer: () => Promise<{ address: string; balance: bigint; gasPrice: bigint }>;
}

/** Runs the checks in order: key, RPC URL, reachable RPC, chain id, BNB for the estimated gas. */
export async function preflight(input: PreflightInput): Promise<{ chainId: bigint; deployer: string; cost: bigint }> {
  const secrets = NETWORK_SECRETS[input.network];
  if (secrets && !input.hasKey) {
    throw new Refusal(
      `no deployer key for ${input.network}: set DEPLOYER_PRIVATE_KEY (environment, or \`npx hardhat vars set DEPLOYER_PRIVATE_KEY\`)`,
    );
  }
  if (secrets && !input.url) {
    throw new Refusal(
      `no RPC URL for ${input.network}: set ${secrets.rpcUrl} (environment, or \`npx hardhat vars set ${secrets.rpcUrl}\`)`,
    );
  }
  let chainId: bigint;
  try {
    chainId = await input.chainId();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Refusal(`cannot reach the RPC of ${input.network} at ${input.url ?? "(embedded)"}: ${reason}`);
  }
  if (input.expectedChainId !== undefined && chainId !== BigInt(input.expectedChainId)) {
    throw new Refusal(
      `wrong chain: the RPC of ${input.network} at ${input.url} serves chain ${chainId}, expected ${input.expectedChainId}`,
    );
  }
  const { address, balance, gasPrice } = await input.deployer();
  const cost = DEPLOY_GAS_BUDGET * gasPrice;
  if (balance < cost) {
    throw new Refusal(
      `not enough BNB: the deployer ${address} holds ${formatEther(balance)} BNB, the deployment needs about ` +
        `${formatEther(cost)} BNB (${DEPLOY_GAS_BUDGET} gas at ${formatUnits(gasPrice, "gwei")} gwei)`,
    );
  }
  return { chainId, deployer: address, cost };
}
