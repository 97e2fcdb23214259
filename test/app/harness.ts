/**
 * What the app's end-to-end test and `npm run app:measure` share: the built bundle served by a tiny
 * static server (with a `config.json` of the test's deployment), headless Chromium (Debian's, driven by
 * playwright-core), an injected EIP-1193 wallet over the node's unlocked accounts, axe-core, and the
 * measurements (initial JavaScript gzipped, time to interactive).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import type { AppConfig } from "../../app/src/config";
import type { DeploymentRecord } from "../../sdk";
import { generateAbis } from "../../scripts/app-abis";

const ROOT = path.join(__dirname, "..", "..");
export const DIST = path.join(ROOT, "app", "dist");
export const CHROMIUM = process.env.DG_CHROMIUM ?? "/usr/bin/chromium";

/** Generates the ABIs and runs `vite build` (the same as `npm run app:build` after compiling). */
export function buildApp(): void {
  generateAbis();
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "vite", "bin", "vite.js"),
      "build",
      "--config",
      "app/vite.config.mts",
      "--logLevel",
      "warn",
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      // The served config.json is the test's own (serveApp); Vite's note on its future config loader is not ours.
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
    },
  );
}

/** The app's configuration for a deployment on a local node (chain id of the record, RPC `rpcUrl`). */
export function localConfig(record: DeploymentRecord, rpcUrl: string, apiUrl: string | null): AppConfig {
  return {
    apiUrl,
    defaultChainId: record.chainId,
    chains: [
      { id: 56, name: "BNB Smart Chain", rpcUrl: "http://127.0.0.1:9", explorerUrl: "", contracts: null },
      {
        id: record.chainId,
        name: record.chainId === 97 ? "BNB Smart Chain testnet (local anvil)" : "Local node",
        rpcUrl,
        explorerUrl: "",
        contracts: record.contracts as AppConfig["chains"][number]["contracts"],
      },
    ],
  };
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `app/dist` on a free loopback port, and `config` as `/config.json`. */
export async function serveApp(config: AppConfig, dir = DIST): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/config.json") {
      res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" });
      res.end(JSON.stringify(config));
      return;
    }
    const file = path.normalize(path.join(dir, url.pathname === "/" ? "index.html" : url.pathname));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Headless Chromium (Debian's package) with a temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-quic",
      "--disable-sync",
    ],
  });
}

/** A request the page's wallet received. */
export interface WalletCall {
  method: string;
  params: unknown[];
}

/**
 * An injected EIP-1193 wallet (`window.ethereum`) whose requests go to the node, where the account is
 * unlocked and signs (transactions and `eth_signTypedData_v4`). `chainId` is what the wallet says it is
 * on; set another one with {@link TestWallet.setChain} to play a wallet on the wrong network: it then
 * refuses (and records) any transaction it is asked to send.
 */
export class TestWallet {
  readonly calls: WalletCall[] = [];
  chainId: number;
  private connected = false;
  constructor(
    readonly rpcUrl: string,
    readonly nodeChainId: number,
    readonly account: string,
  ) {
    this.chainId = nodeChainId;
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  async install(page: Page): Promise<void> {
    await page.exposeBinding("__dgWallet", async (_source, payload: string) =>
      JSON.stringify(await this.handle(JSON.parse(payload) as WalletCall)),
    );
    await page.addInitScript(() => {
      const listeners: Record<string, ((arg: unknown) => void)[]> = {};
      const w = globalThis as unknown as Record<string, unknown>;
      const call = w.__dgWallet as (payload: string) => Promise<string>;
      const provider = {
        request: async ({ method, params }: { method: string; params?: unknown[] }) => {
          const out = JSON.parse(await call(JSON.stringify({ method, params: params ?? [] })));
          if (out.error) {
            const error = new Error(out.error.message) as Error & { code?: number; data?: unknown };
            error.code = out.error.code;
            error.data = out.error.data;
            throw error;
          }
          return out.result;
        },
        on: (event: string, fn: (arg: unknown) => void) => {
          (listeners[event] ??= []).push(fn);
          return provider;
        },
        removeListener: (event: string, fn: (arg: unknown) => void) => {
          listeners[event] = (listeners[event] ?? []).filter((f) => f !== fn);
          return provider;
        },
      };
      w.__dgEmit = (event: string, arg: unknown) => (listeners[event] ?? []).forEach((fn) => fn(arg));
      w.ethereum = provider;
    });
  }

  /** Moves the wallet to `chainId` and tells the page (`chainChanged`). */
  async setChain(page: Page, chainId: number): Promise<void> {
    this.chainId = chainId;
    await page.evaluate(
      (hex) => (globalThis as unknown as { __dgEmit(e: string, a: unknown): void }).__dgEmit("chainChanged", hex),
      `0x${chainId.toString(16)}`,
    );
  }

  private async handle(
    request: WalletCall,
  ): Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }> {
    this.calls.push(request);
    const { method, params } = request;
    switch (method) {
      case "eth_chainId":
        return { result: `0x${this.chainId.toString(16)}` };
      case "net_version":
        return { result: String(this.chainId) };
      case "eth_accounts":
        return { result: this.connected ? [this.account] : [] };
      case "eth_requestAccounts":
        this.connected = true;
        return { result: [this.account] };
      case "wallet_requestPermissions":
      case "wallet_getPermissions":
        return { result: [{ parentCapability: "eth_accounts" }] };
      case "wallet_revokePermissions":
        this.connected = false;
        return { result: null };
      case "wallet_switchEthereumChain": {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        if (wanted !== this.nodeChainId) return { error: { code: 4902, message: `chain ${wanted} is not added` } };
        this.chainId = wanted;
        return { result: null };
      }
      case "wallet_addEthereumChain":
        return { error: { code: 4001, message: "the test wallet adds no chain" } };
    }
    if (
      this.chainId !== this.nodeChainId &&
      (method === "eth_sendTransaction" || method.startsWith("eth_signTypedData"))
    ) {
      return { error: { code: 4100, message: `the test wallet is on chain ${this.chainId}, which it cannot reach` } };
    }
    const response = await fetch(this.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as {
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
    };
    return body.error ? { error: body.error } : { result: body.result };
  }
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  return page.evaluate(async () => {
    type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
    const g = globalThis as unknown as {
      document: unknown;
      axe: { run(ctx: unknown, o: object): Promise<{ violations: Violation[] }> };
    };
    const result = await g.axe.run(g.document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

/** The JavaScript `index.html` loads before the app can run (entry and preloaded chunks), gzipped. */
export function initialJsGzip(dir = DIST): { files: string[]; bytes: number; gzipBytes: number } {
  const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1].replace(/^\.?\//, ""));
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const data = fs.readFileSync(path.join(dir, f));
    bytes += data.length;
    gzipBytes += zlib.gzipSync(data, { level: 9 }).length;
  }
  return { files, bytes, gzipBytes };
}

/** Milliseconds from navigation start to the app's `dg-ready` mark (its first page shows chain data). */
export async function timeToInteractive(page: Page): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName("dg-ready").length > 0, undefined, { timeout: 30_000 });
  return page.evaluate(() => performance.getEntriesByName("dg-ready")[0].startTime);
}
