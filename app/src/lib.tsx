/** What every page shares: the configuration and target chain, chain time, the API, and sending. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { Abi, Hex } from "viem";
import { useBlock, useConfig, useConnection } from "wagmi";
import { getConnectorClient, simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import type { AppConfig, ChainConfig, SuiteAddresses } from "./config";
import { explainError } from "./errors";

export type Target = ChainConfig & { contracts: SuiteAddresses };

export const AppContext = createContext<{ config: AppConfig; target: Target } | null>(null);

export function useApp(): { config: AppConfig; target: Target } {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside AppContext");
  return value;
}

/** Refresh period of the chain reads, in milliseconds. */
export const POLL_MS = 2_000;

/**
 * The chain's time now, in seconds, ticking every second: the latest block's timestamp plus the time
 * since it was first seen, or the clock when that is later (a local node mines no block while idle).
 */
export function useChainNow(): number {
  const { target } = useApp();
  const block = useBlock({ chainId: target.id, query: { refetchInterval: POLL_MS } });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const seen = useRef<{ number: bigint; timestamp: number; at: number } | null>(null);
  if (block.data && seen.current?.number !== block.data.number) {
    seen.current = { number: block.data.number, timestamp: Number(block.data.timestamp), at: Date.now() };
  }
  const fromBlock = seen.current ? seen.current.timestamp + (now - seen.current.at) / 1_000 : 0;
  return Math.floor(Math.max(fromBlock, now / 1_000));
}

export class ApiUnavailable extends Error {}

/** GET `<apiUrl><path>` as JSON, refreshed; `enabled` false (or no API configured) fetches nothing. */
export function useApi<T>(path: string | null, refetchMs = 4_000) {
  const { config } = useApp();
  return useQuery({
    queryKey: ["api", config.apiUrl, path],
    enabled: Boolean(config.apiUrl && path),
    retry: 0,
    refetchInterval: refetchMs,
    queryFn: async (): Promise<T> => {
      let response: Response;
      try {
        response = await fetch(`${config.apiUrl}${path}`);
      } catch (error) {
        throw new ApiUnavailable(`the API at ${config.apiUrl} does not answer (${(error as Error).message})`);
      }
      const body = (await response.json().catch(() => ({}))) as T & { error?: string };
      if (!response.ok) throw new Error(body.error ?? `the API answered ${response.status}`);
      return body;
    },
  });
}

/** Whether the services' API answers: "ok", "down" (configured, not answering), "none" (not configured). */
export function useApiStatus(): { state: "ok" | "down" | "none" | "checking"; detail: string } {
  const { config } = useApp();
  const health = useApi<{ ok: boolean; lagBlocks: number | null }>("/health", 5_000);
  if (!config.apiUrl) return { state: "none", detail: "no API is configured" };
  if (health.isPending && health.fetchStatus !== "idle") return { state: "checking", detail: "" };
  if (health.isError) return { state: "down", detail: (health.error as Error).message };
  return {
    state: "ok",
    detail: health.data?.lagBlocks ? `the index is ${health.data.lagBlocks} blocks behind the chain` : "",
  };
}

/** Says what a section cannot show without the API. */
export function NeedsApi({ what, error }: { what: string; error?: unknown }) {
  const { config } = useApp();
  const reason = config.apiUrl
    ? error instanceof ApiUnavailable
      ? `the services' API at ${config.apiUrl} does not answer`
      : `the services' API refused: ${(error as Error)?.message ?? "no answer"}`
    : "no services' API is configured";
  return (
    <p className="notice" data-testid="needs-api">
      Not available: {what} come from the network services, and {reason}. Everything else on this page is read from the
      chain.
    </p>
  );
}

export type TxPhase = "idle" | "signing" | "confirming" | "mining" | "done" | "error";
export interface TxState {
  phase: TxPhase;
  label: string;
  message: string;
  hash?: Hex;
}

interface WriteRequest {
  address: `0x${string}`;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
}

/** Why no transaction can be sent now (no wallet, wrong network), or null. */
export function useTxBlocked(): string | null {
  const { target } = useApp();
  const { status, chainId } = useConnection();
  if (status !== "connected") return "Connect a wallet first.";
  if (chainId !== target.id)
    return `Your wallet is on chain ${chainId}, not ${target.name} (chain ${target.id}): switch networks first.`;
  return null;
}

/**
 * Sends a user's action: every transaction is checked against the wrong-network guard (asking the
 * wallet its chain right before), simulated first (a contract refusal comes back in plain words and
 * nothing is sent), sent by the wallet and awaited; the reads refresh afterwards.
 */
export function useTx() {
  const wagmi = useConfig();
  const { target } = useApp();
  const queries = useQueryClient();
  const blocked = useTxBlocked();
  const [state, setState] = useState<TxState>({ phase: "idle", label: "", message: "" });

  /** The guard, asked of the wallet itself: throws unless it is connected to the target chain. */
  const guard = useCallback(async () => {
    const client = await getConnectorClient(wagmi).catch(() => null);
    if (!client) throw new Error("Connect a wallet first.");
    const walletChain = Number(await client.request({ method: "eth_chainId" }));
    if (walletChain !== target.id)
      throw new Error(
        `Refused: your wallet is on chain ${walletChain}, not ${target.name} (chain ${target.id}). Switch networks first.`,
      );
    return client.account.address;
  }, [wagmi, target]);

  const write = useCallback(
    async (label: string, request: WriteRequest) => {
      const account = await guard();
      setState({ phase: "confirming", label, message: `${label}: checking it against the chain…` });
      const { request: prepared } = await simulateContract(wagmi, {
        ...request,
        account,
        chainId: target.id,
      } as Parameters<typeof simulateContract>[1]);
      setState({ phase: "confirming", label, message: `${label}: confirm in your wallet…` });
      const hash = await writeContract(wagmi, prepared as Parameters<typeof writeContract>[1]);
      setState({ phase: "mining", label, message: `${label}: waiting for the transaction to be mined…`, hash });
      const receipt = await waitForTransactionReceipt(wagmi, { hash, chainId: target.id });
      if (receipt.status !== "success") throw new Error(`${label}: the transaction ${hash} reverted`);
      return receipt;
    },
    [wagmi, target, guard],
  );

  /** Runs `action` (one or more writes or signatures) and reports its progress and outcome. */
  const run = useCallback(
    async (label: string, action: () => Promise<string | void>) => {
      setState({ phase: "signing", label, message: `${label}…` });
      try {
        const done = await action();
        setState((s) => ({ phase: "done", label, message: done || `${label}: done.`, hash: s.hash }));
      } catch (error) {
        setState({ phase: "error", label, message: explainError(error) });
      } finally {
        await queries.invalidateQueries();
      }
    },
    [queries],
  );

  const busy = state.phase === "signing" || state.phase === "confirming" || state.phase === "mining";
  return { state, blocked, busy, write, run, guard, setState };
}

/** The outcome of the page's last action: progress in a polite live region, errors as an alert. */
export function TxStatus({ state }: { state: TxState }) {
  const { target } = useApp();
  if (state.phase === "idle") return null;
  if (state.phase === "error")
    return (
      <div className="tx tx-error" role="alert" data-testid="tx-error">
        <strong>{state.label} failed.</strong> {state.message}
      </div>
    );
  return (
    <div className={`tx tx-${state.phase}`} role="status" data-testid="tx-status">
      {state.message}
      {state.hash && target.explorerUrl ? (
        <>
          {" "}
          <a href={`${target.explorerUrl}/tx/${state.hash}`} target="_blank" rel="noreferrer">
            view the transaction
          </a>
        </>
      ) : null}
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="card" aria-labelledby={id ?? title.replace(/\W+/g, "-").toLowerCase()}>
      <h2 id={id ?? title.replace(/\W+/g, "-").toLowerCase()}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * Marks the page ready once its chain data is shown: `data-ready` on <html> names the page, and the
 * first time a `dg-ready` performance mark is set (the app's time to interactive is measured to it).
 */
export function useReady(page: string, loaded: boolean) {
  useEffect(() => {
    if (!loaded) return;
    if (performance.getEntriesByName("dg-ready").length === 0) performance.mark("dg-ready");
    document.documentElement.dataset.ready = page;
    return () => {
      delete document.documentElement.dataset.ready;
    };
  }, [page, loaded]);
}
