/** A JSON-RPC endpoint asked directly, outside Hardhat's provider (which retries or refuses on its own terms). */

/** `eth_chainId` of a JSON-RPC endpoint (10-second timeout); errors carry a short reason (e.g. ECONNREFUSED). */
export async function rpcChainId(url: string): Promise<bigint> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(10_000),
  }).catch((error: Error) => {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    throw new Error(cause?.code ?? error.message);
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { result?: string; error?: { message?: string } };
  if (typeof body.result !== "string") throw new Error(body.error?.message ?? "no chain id in the answer");
  return BigInt(body.result);
}
