/**
 * `npm run bench:services`: the network services measured at the issue's sizes, on anvil (the suite
 * deployed by `dg:deploy`), with the embedded database (PGlite, in a data folder on disk) and a
 * PostgreSQL server side by side (when `DG_BENCH_DATABASE_URL` or `DG_TEST_DATABASE_URL` names one;
 * the run says so when it is skipped). Written to bench/services.md and printed.
 *
 * - indexer: a history of at least DG_BENCH_EVENTS (100,000) suite events, then an empty database and
 *   a new indexer timed from its start until it has caught up with the head (`syncToHead`);
 * - oracle: `services/main.ts --roles oracle` in a child process; a report of DG_BENCH_VALIDATORS
 *   (100,000) validators is dropped in its folder; timed until the process logs `root posted`; its
 *   peak resident memory is the kernel's VmHWM of that process;
 * - API: `services/main.ts --roles api` in a child process, over the same database; DG_BENCH_REQUESTS
 *   sequential GET /validators/{address}/claimable for validators of that epoch, each answer checked.
 *
 * The history: DataGen transfers and approvals emitted by a small helper contract compiled here (not
 * part of the suite or its deployment), DG_BENCH_EVENTS_PER_BLOCK per block, one transaction a block.
 * On PostgreSQL everything lives in a schema `dg_bench` (dropped and created by the run).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  Contract,
  ContractFactory,
  Wallet,
  dataSlice,
  getAddress,
  keccak256,
  toBeHex,
  type JsonRpcProvider,
} from "ethers";
import { Client } from "pg";
import { EPOCH_LEAF_ENCODING } from "../sdk/epoch";
import { openDb } from "../services/db";
import { Indexer } from "../services/indexer";
import { createLogger } from "../services/log";
import { freePort, startAnvil } from "../test/helpers/node";
import { accountKey, deployOn, stakeMinimum } from "../test/services/helpers";

const ROOT = path.join(__dirname, "..");
const DAY = 86_400;
const number = (name: string, fallback: number) => {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new Error(`${name} must be a positive whole number`);
  return Number(text);
};
const SIZES = {
  events: number("DG_BENCH_EVENTS", 100_000),
  eventsPerBlock: number("DG_BENCH_EVENTS_PER_BLOCK", 250),
  batchBlocks: number("DG_BENCH_BATCH_BLOCKS", 2000),
  validators: number("DG_BENCH_VALIDATORS", 100_000),
  requests: number("DG_BENCH_REQUESTS", 2000),
};
const WARMUP_REQUESTS = 20;
const PG_URL = process.env.DG_BENCH_DATABASE_URL || process.env.DG_TEST_DATABASE_URL || undefined;
const OUT = process.env.DG_BENCH_OUT ?? path.join(ROOT, "bench", "services.md");
const SCHEMA = "dg_bench";

/** Emits DataGen events from the token: alternately a 1-wei transfer and an approval, to `fanout` accounts. */
const BURST_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
interface IToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function approve(address spender, uint256 amount) external returns (bool);
}
contract EventBurst {
    function burst(IToken token, uint256 count, uint256 fanout, uint256 salt) external {
        for (uint256 i; i < count; ++i) {
            address to = address(uint160(uint256(keccak256(abi.encode(salt, i % fanout)))));
            if (i % 2 == 0) require(token.transfer(to, 1), "transfer");
            else require(token.approve(to, salt + i), "approve");
        }
    }
}
`;

function compileBurst(): { abi: unknown[]; bytecode: string } {
  const solc = require("solc") as { compile(input: string): string };
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "EventBurst.sol": { content: BURST_SOURCE } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: "cancun",
          outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
        },
      }),
    ),
  ) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const c = output.contracts["EventBurst.sol"].EventBurst;
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}

function progress(message: string) {
  process.stdout.write(`  … ${message}\n`);
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const fmt = (n: number) => n.toLocaleString("en-US");

/** The `q` quantile (0..1) of sorted `values`, nearest rank. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** A field of /proc/<pid>/status in MB (VmRSS: resident now; VmHWM: peak resident). */
function procMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+([0-9]+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no ${field} for process ${pid}`);
  return Number(m[1]) / 1024;
}

/** `services/main.ts` in a child process, its JSON log lines collected. */
function startService(args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(
    process.execPath,
    [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(ROOT, "services", "main.ts"), ...args],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] },
  );
  const lines: Record<string, unknown>[] = [];
  let rest = "";
  child.stderr!.on("data", (d: Buffer) => {
    const parts = (rest + d.toString()).split("\n");
    rest = parts.pop()!;
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    pid: child.pid!,
    lines,
    /** Resolves with the first log line `match` accepts (and the time it was seen). */
    async waitFor(what: string, match: (l: Record<string, unknown>) => boolean, ms = 600_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const line = lines.find(match);
        if (line) return { line, at: performance.now() };
        if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}) before ${what}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async stop() {
      child.kill("SIGTERM");
      const code = await exited;
      if (code !== 0) throw new Error(`the service exited with ${code}`);
    },
  };
}

interface Target {
  name: string;
  /** Options of openDb, and the environment of a service process, for this database. */
  open: () => ReturnType<typeof openDb>;
  env: Record<string, string>;
  reset: () => Promise<void>;
  version: () => Promise<string>;
}

function pgliteVersion(): string {
  const file = path.join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

function targets(workDir: string): Target[] {
  const dataDir = path.join(workDir, "pglite");
  const list: Target[] = [
    {
      name: "embedded (PGlite)",
      open: () => openDb({ dataDir }),
      env: { DG_DATA_DIR: dataDir },
      reset: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
      version: async () => {
        const db = await openDb({});
        const [{ v }] = await db.query<{ v: string }>("SELECT split_part(version(), ' ', 2) AS v");
        await db.close();
        return `PGlite ${pgliteVersion()} (PostgreSQL ${v}), data folder on disk`;
      },
    },
  ];
  if (PG_URL) {
    const url = new URL(PG_URL);
    url.searchParams.set("options", `-c search_path=${SCHEMA}`);
    const schemaUrl = url.toString();
    const admin = async <T>(fn: (c: Client) => Promise<T>) => {
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    };
    list.push({
      name: "PostgreSQL server",
      open: () => openDb({ databaseUrl: schemaUrl }),
      env: { DATABASE_URL: schemaUrl },
      reset: () =>
        admin((c) => c.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`)).then(() => undefined),
      version: () =>
        admin(
          async (c) => `PostgreSQL ${(await c.query("SHOW server_version")).rows[0].server_version} (local server)`,
        ),
    });
  }
  return list;
}

/** Validator `i` of the benchmark's report: a fixed address, a compute of 1..1,000,000. */
function reportEntry(i: number): { validator: string; compute: bigint } {
  const hash = keccak256(toBeHex(i + 1, 32));
  return { validator: getAddress(dataSlice(hash, 12)), compute: (BigInt(dataSlice(hash, 0, 4)) % 1_000_000n) + 1n };
}

export async function generateHistory(provider: JsonRpcProvider, deployer: Wallet, token: string): Promise<number> {
  const { abi, bytecode } = compileBurst();
  const burst = await (await new ContractFactory(abi as never, bytecode, deployer).deploy()).waitForDeployment();
  const address = await burst.getAddress();
  const dg = new Contract(token, ["function transfer(address,uint256) returns (bool)"], deployer);
  await (await dg.transfer(address, 10n ** 18n)).wait();
  const txs = Math.ceil(SIZES.events / SIZES.eventsPerBlock);
  const fee = await provider.getFeeData();
  let nonce = await provider.getTransactionCount(deployer.address);
  const gasLimit = 60_000 + SIZES.eventsPerBlock * 40_000;
  const sent: { hash: string; count: number }[] = [];
  for (let i = 0; i < txs; i++) {
    const count = Math.min(SIZES.eventsPerBlock, SIZES.events - i * SIZES.eventsPerBlock);
    const raw = await deployer.signTransaction({
      to: address,
      data: burst.interface.encodeFunctionData("burst", [token, count, 64, i + 1]),
      nonce: nonce++,
      gasLimit,
      maxFeePerGas: fee.maxFeePerGas!,
      maxPriorityFeePerGas: fee.maxPriorityFeePerGas!,
      chainId: 97n,
      type: 2,
    });
    sent.push({ hash: (await provider.send("eth_sendRawTransaction", [raw])) as string, count });
    if ((i + 1) % 200 === 0) progress(`history: ${fmt((i + 1) * SIZES.eventsPerBlock)} events sent`);
  }
  // Anvil mines them as they come, one a block; every one must have succeeded with all its events.
  while (!(await provider.getTransactionReceipt(sent.at(-1)!.hash))) await new Promise((r) => setTimeout(r, 100));
  const blocks = new Set<number>();
  for (let start = 0; start < sent.length; start += 100) {
    const chunk = sent.slice(start, start + 100);
    const receipts = await Promise.all(chunk.map((t) => provider.getTransactionReceipt(t.hash)));
    receipts.forEach((r, k) => {
      if (r?.status !== 1 || r.logs.length !== chunk[k].count)
        throw new Error(`history transaction ${chunk[k].hash} failed or lost events`);
      blocks.add(r.blockNumber);
    });
  }
  return blocks.size;
}

interface Result {
  target: string;
  version: string;
  indexer: { events: number; blocks: number; ms: number; openMs: number };
  oracle: { ms: number; buildMs: number; publishMs: number; sendMs: number; baseMb: number; peakMb: number };
  api: { median: number; p99: number; max: number; requests: number };
}

async function main() {
  const started = performance.now();
  const loadBefore = os.loadavg()[0];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-bench-services-"));
  const quiet = createLogger({ level: "error" });
  progress(
    `sizes: ${fmt(SIZES.events)} events (${SIZES.eventsPerBlock} a block), ${fmt(SIZES.validators)} validators, ${fmt(SIZES.requests)} requests`,
  );
  if (!PG_URL) progress("PostgreSQL: SKIPPED (set DG_BENCH_DATABASE_URL=postgres://… to measure it beside PGlite)");
  const node = await startAnvil({ chainId: 97 });
  const results: Result[] = [];
  try {
    const { record, suite } = await deployOn(node, workDir);
    const deployer = new Wallet(accountKey(0), node.provider);
    await stakeMinimum(
      suite,
      record,
      deployer,
      [1, 2, 3, 4].map((i) => new Wallet(accountKey(i), node.provider)),
    );
    progress("suite deployed, 4 validators staked; generating the history");
    const generated = performance.now();
    const blocks = await generateHistory(node.provider, deployer, record.contracts.DataGen);
    progress(`history: ${fmt(blocks)} blocks in ${seconds(performance.now() - generated)} s`);
    // Epoch 0 ends: its report can be posted.
    const genesis = Number(await suite.rewards.genesis());
    const latest = async () => (await node.provider.getBlock("latest"))!.timestamp;
    await node.provider.send("evm_increaseTime", [Math.max(1, genesis + DAY + 1 - (await latest()))]);
    await node.provider.send("anvil_mine", [1]);
    let snapshot = (await node.provider.send("evm_snapshot", [])) as string;

    const entries = Array.from({ length: SIZES.validators }, (_, i) => reportEntry(i));
    const totalCompute = entries.reduce((sum, e) => sum + e.compute, 0n);
    const csv = `validator,compute\n${entries.map((e) => `${e.validator},${e.compute}`).join("\n")}\n`;

    for (const [index, target] of targets(workDir).entries()) {
      progress(`${target.name}`);
      if (index > 0) {
        await node.provider.send("evm_revert", [snapshot]);
        snapshot = (await node.provider.send("evm_snapshot", [])) as string;
      }
      await target.reset();
      const env = { DG_RPC_URL: node.url, DG_DEPLOYMENTS_DIR: workDir, DG_LOG_LEVEL: "info", ...target.env };

      // (a) The indexer, from an empty database to the head.
      const t0 = performance.now();
      let db = await target.open();
      const openMs = performance.now() - t0;
      const indexer = new Indexer(
        db,
        node.provider,
        record,
        { fromBlock: 0, batchBlocks: SIZES.batchBlocks, reorgDepth: 64 },
        quiet,
      );
      const synced = await indexer.syncToHead();
      const indexMs = performance.now() - t0;
      const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events");
      if (n < SIZES.events) throw new Error(`only ${n} events indexed`);
      await db.close();
      progress(
        `indexer: ${fmt(n)} events, ${fmt(synced.cursor + 1)} blocks, ${seconds(indexMs)} s (${seconds(openMs)} s to open)`,
      );

      // (b) The oracle process: report dropped → root posted.
      const reportDir = path.join(workDir, `reports-${index}`);
      fs.mkdirSync(reportDir, { recursive: true });
      const oracle = startService(["--roles", "oracle", "--poll-ms", "100"], {
        ...env,
        DG_REPORT_DIR: reportDir,
        DG_ORACLE_KEY: accountKey(0),
      });
      await oracle.waitFor("the oracle's start", (l) => l.msg === "account" && l.role === "oracle", 120_000);
      await new Promise((r) => setTimeout(r, 500)); // its first pass over the empty folder
      const baseMb = procMb(oracle.pid, "VmRSS");
      const tmp = path.join(reportDir, "report.tmp");
      const dropped = performance.now();
      fs.writeFileSync(tmp, csv);
      fs.renameSync(tmp, path.join(reportDir, "epoch-0.csv"));
      const { line, at } = await oracle.waitFor("the root", (l) => l.msg === "root posted");
      const peakMb = procMb(oracle.pid, "VmHWM");
      await oracle.stop();
      const root = await suite.rewards.getEpoch(0).then((e) => e.root);
      if (root !== line.root || (await suite.rewards.getEpoch(0)).totalCompute !== totalCompute)
        throw new Error("the posted root or total is not the report's");
      progress(
        `oracle: root posted ${seconds(at - dropped)} s after the report was dropped, peak ${peakMb.toFixed(0)} MB`,
      );

      // The epoch activates; the index catches up (the RootPosted event).
      await node.provider.send("evm_increaseTime", [
        Math.max(1, Number(await suite.rewards.activatesAt(0)) + 1 - (await latest())),
      ]);
      await node.provider.send("anvil_mine", [1]);
      db = await target.open();
      await new Indexer(
        db,
        node.provider,
        record,
        { fromBlock: 0, batchBlocks: SIZES.batchBlocks, reorgDepth: 64 },
        quiet,
      ).syncToHead();
      await db.close();

      // (c) The API process: claimable epochs with proofs, one request at a time.
      const port = await freePort();
      const api = startService(["--roles", "api", "--api-port", String(port)], env);
      await api.waitFor("the API", (l) => l.msg === "api listening", 120_000);
      const pool = (await suite.rewards.getEpoch(0)).pool;
      const latencies: number[] = [];
      for (let i = 0; i < WARMUP_REQUESTS + SIZES.requests; i++) {
        const entry = entries[Number(BigInt(keccak256(toBeHex(i, 32))) % BigInt(entries.length))];
        const t = performance.now();
        const response = await fetch(`http://127.0.0.1:${port}/validators/${entry.validator}/claimable`);
        const body = (await response.json()) as {
          claimable: { epoch: string; compute: string; amount: string; proof: string[] }[];
        };
        const ms = performance.now() - t;
        const [item] = body.claimable;
        if (response.status !== 200 || body.claimable.length !== 1 || item.compute !== entry.compute.toString())
          throw new Error(`unexpected answer for ${entry.validator}: ${JSON.stringify(body).slice(0, 200)}`);
        if (item.amount !== ((pool * entry.compute) / totalCompute).toString())
          throw new Error(`wrong amount for ${entry.validator}`);
        if (i < 3) {
          const leaf = [97n, record.contracts.ComputeRewards, 0n, entry.validator, entry.compute];
          if (!StandardMerkleTree.verify(root, EPOCH_LEAF_ENCODING, leaf, item.proof))
            throw new Error(`the proof of ${entry.validator} does not verify`);
        }
        if (i >= WARMUP_REQUESTS) latencies.push(ms);
      }
      await api.stop();
      latencies.sort((a, b) => a - b);
      const apiResult = {
        median: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        max: latencies.at(-1)!,
        requests: latencies.length,
      };
      progress(`api: median ${apiResult.median.toFixed(2)} ms, p99 ${apiResult.p99.toFixed(2)} ms`);
      results.push({
        target: target.name,
        version: await target.version(),
        indexer: { events: n, blocks: synced.cursor + 1, ms: indexMs, openMs },
        oracle: {
          ms: at - dropped,
          buildMs: Number(line.buildMs),
          publishMs: Number(line.publishMs),
          sendMs: Number(line.sendMs),
          baseMb,
          peakMb,
        },
        api: apiResult,
      });
    }
  } finally {
    await node.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const text = report(results, performance.now() - started, [loadBefore, os.loadavg()[0]]);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  process.stdout.write(`\n${text}\nwritten to ${path.relative(process.cwd(), OUT)}\n`);
}

function report(results: Result[], totalMs: number, load: number[]): string {
  const cols = results.map((r) => r.target);
  const row = (label: string, cell: (r: Result) => string) => `| ${label} | ${results.map(cell).join(" | ")} |`;
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const skipped = PG_URL
    ? ""
    : "\n**PostgreSQL: skipped** (no `DG_BENCH_DATABASE_URL`); only the embedded database was measured.\n";
  return `# Network services benchmark

Measured by \`npm run bench:services\` (\`scripts/bench-services.ts\`) on ${os.cpus().length} × ${cpu}, Node ${process.version}, anvil, the suite deployed by \`dg:deploy\`; total run ${seconds(totalMs)} s; the machine's 1-minute load average was ${load[0].toFixed(1)} at the start and ${load[1].toFixed(1)} at the end (other work shares these cores: the times are upper bounds of an idle machine's). Databases: ${results.map((r) => `${r.target}: ${r.version}`).join("; ")}.
${skipped}
| measure | ${cols.join(" | ")} |
|---|${cols.map(() => "---:").join("|")}|
${row("indexer: events indexed (cold start → caught up)", (r) => fmt(r.indexer.events))}
${row("indexer: blocks", (r) => fmt(r.indexer.blocks))}
${row("indexer: cold start → caught up, s", (r) => seconds(r.indexer.ms))}
${row("indexer: of which open the empty database and migrate, s", (r) => seconds(r.indexer.openMs))}
${row("**indexer: catch-up, events/s** (whole time)", (r) => `**${fmt(Math.round(r.indexer.events / (r.indexer.ms / 1000)))}**`)}
${row("indexer: events/s once the database is open", (r) => fmt(Math.round(r.indexer.events / ((r.indexer.ms - r.indexer.openMs) / 1000))))}
${row(`**oracle: report dropped → root posted, s** (${fmt(SIZES.validators)} validators)`, (r) => `**${seconds(r.oracle.ms)}**`)}
${row("oracle: of which build the tree, s", (r) => seconds(r.oracle.buildMs))}
${row("oracle: of which publish report and proofs, s", (r) => seconds(r.oracle.publishMs))}
${row("oracle: of which send postRoot (mined), s", (r) => seconds(r.oracle.sendMs))}
${row("**oracle: peak resident memory (VmHWM), MB**", (r) => `**${r.oracle.peakMb.toFixed(0)}**`)}
${row("oracle: resident memory before the report, MB", (r) => r.oracle.baseMb.toFixed(0))}
${row(`**API: claimable with proofs, median ms** (${fmt(SIZES.validators)} validators in the epoch)`, (r) => `**${r.api.median.toFixed(2)}**`)}
${row("**API: claimable with proofs, p99 ms**", (r) => `**${r.api.p99.toFixed(2)}**`)}
${row("API: slowest request, ms", (r) => r.api.max.toFixed(2))}
${row("API: requests measured", (r) => fmt(r.api.requests))}

How it is measured:
- **History**: ${fmt(SIZES.events)} DataGen \`Transfer\`/\`Approval\` events (${SIZES.eventsPerBlock} a block, one transaction a block, from a helper contract compiled by the benchmark, not part of the suite) after the deployment's and 4 validators' own events. The indexer is the service's (\`services/indexer.ts\`), started on an empty database (migrations included in the time) and run until its cursor reaches the head: \`eth_getLogs\` over ranges of ${fmt(SIZES.batchBlocks)} blocks (the service's default), decoding, the reorganisation check and one database transaction per range.
- **Oracle**: \`services/main.ts --roles oracle --poll-ms 100\` in its own process (ts-node); the time runs from the report file's rename into the watched folder until the process logs \`root posted\` (the transaction mined; anvil mines at once), so it includes up to one 100 ms poll; build, publish and send are the oracle's own timings from that log line. Memory is the kernel's VmHWM (peak resident set) of that process, whose baseline includes ts-node's TypeScript compiler.
- **API**: \`services/main.ts --roles api\` in its own process over the same database (the ${fmt(SIZES.events)}-event history, epoch 0 posted, active, with ${fmt(SIZES.validators)} published proofs); ${fmt(SIZES.requests)} sequential \`GET /validators/{address}/claimable\` for validators drawn from the report (after ${WARMUP_REQUESTS} unmeasured warm-up requests), timed in the client from the request to the parsed body; each answer is checked (one claimable epoch, its compute, \`mulDiv(pool, compute, total)\`; the first proofs verified against the posted root).
- Sizes: \`DG_BENCH_EVENTS\`, \`DG_BENCH_EVENTS_PER_BLOCK\`, \`DG_BENCH_BATCH_BLOCKS\`, \`DG_BENCH_VALIDATORS\`, \`DG_BENCH_REQUESTS\`; PostgreSQL: \`DG_BENCH_DATABASE_URL\` (or \`DG_TEST_DATABASE_URL\`; the run uses a schema \`${SCHEMA}\` of that database, dropped and created again).
`;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
