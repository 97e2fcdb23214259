/** The shell: wallet, wrong-network guard, API status, and the three pages (Schedule, Vote, Validator). */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useConnect, useConnection, useDisconnect, useReadContract, useSwitchChain, WagmiProvider } from "wagmi";
import type { AppConfig } from "./config";
import { explainError } from "./errors";
import { formatDG, shortAddress } from "./format";
import { dataGenAbi } from "./generated";
import { AppContext, POLL_MS, useApiStatus, useApp, type Target } from "./lib";
import { SchedulePage } from "./pages/Schedule";
import { ValidatorPage } from "./pages/Validator";
import { VotePage } from "./pages/Vote";
import { makeWagmiConfig } from "./wagmi";

const PAGES = [
  { id: "schedule", title: "Schedule", Page: SchedulePage },
  { id: "vote", title: "Vote", Page: VotePage },
  { id: "validator", title: "Validator", Page: ValidatorPage },
] as const;
type PageId = (typeof PAGES)[number]["id"];

function pageFromHash(): PageId {
  const id = window.location.hash.replace(/^#\/?/, "");
  return (PAGES.find((p) => p.id === id)?.id ?? "schedule") as PageId;
}

function targetOf(config: AppConfig): Target {
  const wanted = Number(new URLSearchParams(window.location.search).get("chain") ?? config.defaultChainId);
  const chain =
    config.chains.find((c) => c.id === wanted && c.contracts) ??
    config.chains.find((c) => c.id === config.defaultChainId)!;
  return { ...chain, contracts: chain.contracts! };
}

export function App({ config }: { config: AppConfig }) {
  const wagmi = useMemo(() => makeWagmiConfig(config), [config]);
  const queryClient = useMemo(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } }),
    [],
  );
  const target = useMemo(() => targetOf(config), [config]);
  return (
    <WagmiProvider config={wagmi}>
      <QueryClientProvider client={queryClient}>
        <AppContext.Provider value={{ config, target }}>
          <Shell />
        </AppContext.Provider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}

function Shell() {
  const [page, setPage] = useState<PageId>(pageFromHash);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const current = PAGES.find((p) => p.id === page)!;
  useEffect(() => {
    document.title = `${current.title} · Datagen`;
  }, [current]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to the page
      </a>
      <header className="top">
        <div className="brand">
          <span aria-hidden="true" className="logo">
            DG
          </span>
          <span>Datagen</span>
        </div>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={p.id === page ? "page" : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <Wallet />
      </header>
      <NetworkGuard />
      <ApiBanner />
      <main id="main" tabIndex={-1}>
        <current.Page />
      </main>
      <Footer />
    </>
  );
}

function Wallet() {
  const { target } = useApp();
  const { address, status } = useConnection();
  const { connectors, connect, error, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  const balance = useReadContract({
    address: target.contracts.DataGen,
    abi: dataGenAbi,
    functionName: "balanceOf",
    args: address ? [address] : undefined,
    chainId: target.id,
    query: { enabled: Boolean(address), refetchInterval: POLL_MS },
  });
  if (status === "connected" && address) {
    return (
      <div className="wallet" aria-label="Wallet">
        <span data-testid="account" title={address}>
          {shortAddress(address)}
        </span>
        <span data-testid="dg-balance">{balance.data !== undefined ? formatDG(balance.data) : "…"}</span>
        <button type="button" className="secondary" onClick={() => disconnect()}>
          Disconnect
        </button>
      </div>
    );
  }
  // EIP-6963 wallets announce themselves; the generic injected one stands for window.ethereum.
  const shown = connectors.filter((c) => c.id !== "injected" || connectors.length === 1 || c.type === "injected");
  return (
    <div className="wallet" aria-label="Wallet">
      {shown.map((c) => (
        <button
          type="button"
          key={c.uid}
          disabled={isPending}
          onClick={() => connect({ connector: c, chainId: target.id })}
        >
          {c.id === "injected" ? "Connect browser wallet" : `Connect ${c.name}`}
        </button>
      ))}
      {error ? (
        <p className="wallet-error" role="alert">
          {(error as Error).name === "ProviderNotFoundError"
            ? "No browser wallet found: install one (for example MetaMask) or open this page in your wallet's browser."
            : explainError(error)}
        </p>
      ) : null}
    </div>
  );
}

/** Blocks every transaction while the wallet is on another chain, and offers to switch (or add) it. */
function NetworkGuard() {
  const { config, target } = useApp();
  const { status, chainId } = useConnection();
  const { switchChain, isPending, error } = useSwitchChain();
  if (status !== "connected" || chainId === target.id) return null;
  const known = config.chains.find((c) => c.id === chainId);
  const others = config.chains.filter((c) => c.contracts && c.id !== target.id);
  return (
    <div className="guard" role="alert" data-testid="network-guard">
      <p>
        <strong>Wrong network.</strong> Your wallet is on {known ? known.name : "chain"} {chainId}; this app's contracts
        are on {target.name} (chain {target.id}). Every transaction is blocked until your wallet is on {target.name}.
      </p>
      <button type="button" disabled={isPending} onClick={() => switchChain({ chainId: target.id })}>
        Switch wallet to {target.name}
      </button>
      {others.map((c) => (
        <a key={c.id} className="button secondary" href={`?chain=${c.id}${window.location.hash}`}>
          Use the suite on {c.name} instead
        </a>
      ))}
      {error ? (
        <p>
          {explainError(error)} You can also add the network in your wallet by hand: RPC {target.rpcUrl}, chain id{" "}
          {target.id}.
        </p>
      ) : null}
    </div>
  );
}

function ApiBanner() {
  const { config } = useApp();
  const api = useApiStatus();
  if (api.state === "ok" || api.state === "checking") return null;
  return (
    <p className="banner" role="status" data-testid="api-banner">
      {api.state === "none"
        ? "No network services' API is configured: "
        : `The network services' API at ${config.apiUrl} does not answer: `}
      release history, individual votes, claimable epochs with their proofs and slashes are not shown. Balances, the
      schedule, proposals, the running vote and your stake are read from the chain and work as usual.
    </p>
  );
}

function Footer() {
  const { config, target } = useApp();
  return (
    <footer>
      <p>
        {target.name} (chain {target.id}) · token {target.contracts.DataGen} · API {config.apiUrl ?? "none"}
      </p>
    </footer>
  );
}
