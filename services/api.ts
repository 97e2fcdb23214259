/**
 * The API over the index: HTTP + JSON on node:http, described by the OpenAPI document it serves at
 * `/openapi.json` (built from the same route table the server dispatches on). Amounts are decimal
 * strings of DG wei; addresses checksummed.
 */
import http from "node:http";
import { getAddress, isAddress, type JsonRpcProvider } from "ethers";
import type { Db } from "./db";
import type { Logger } from "./log";

type Json = Record<string, unknown>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Route {
  path: string;
  summary: string;
  params?: Record<string, { description: string; example: string }>;
  query?: Record<string, { description: string; example?: string }>;
  /** Properties every 200 response has (the OpenAPI schema's `required`). */
  returns: string[];
  handler: (ctx: { db: Db; params: Record<string, string>; query: URLSearchParams }) => Promise<Json>;
}

const uint = (value: string, what: string): string => {
  if (!/^[0-9]{1,78}$/.test(value)) throw new HttpError(400, `${what} must be a whole number`);
  return value;
};
const address = (value: string): string => {
  if (!isAddress(value)) throw new HttpError(400, `not an address: ${value}`);
  return getAddress(value);
};
const limitOf = (query: URLSearchParams): number => {
  const text = query.get("limit") ?? "100";
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > 1000)
    throw new HttpError(400, "limit must be 1..1000");
  return Number(text);
};

interface EventRow {
  block_number: number;
  log_index: number;
  tx_hash: string;
  contract: string;
  event: string;
  args: Json;
}
const EVENT_COLUMNS = "block_number, log_index, tx_hash, contract, event, args";
const eventJson = (e: EventRow) => ({
  block: e.block_number,
  logIndex: e.log_index,
  tx: e.tx_hash,
  contract: e.contract,
  event: e.event,
  args: e.args,
});

interface EpochRow {
  epoch: string;
  root: string;
  total_compute: string;
  pool: string;
  activates_at: number;
  block_number: number;
  tx_hash: string;
  revoked: boolean;
}
const epochJson = (e: EpochRow, now: number | null) => ({
  epoch: e.epoch,
  root: e.root,
  totalCompute: e.total_compute,
  pool: e.pool,
  activatesAt: e.activates_at,
  postedBlock: e.block_number,
  postedTx: e.tx_hash,
  status: e.revoked ? "revoked" : now !== null && now >= e.activates_at ? "active" : "challenge",
});

/** The timestamp of the newest indexed block: "now" for activation, as far as the index knows. */
async function indexedTime(db: Db): Promise<number | null> {
  const rows = await db.query<{ timestamp: number }>(
    "SELECT timestamp FROM blocks WHERE timestamp IS NOT NULL ORDER BY number DESC LIMIT 1",
  );
  return rows[0]?.timestamp ?? null;
}

/** A validator's state as its escrow events tell it. */
function validatorSummary(validator: string, events: EventRow[]) {
  let status = "None";
  let activeStake = "0";
  let unbonding = "0";
  let faults = "0";
  let slashed = 0n;
  let rewards = 0n;
  for (const e of events) {
    const a = e.args as Record<string, string>;
    if (e.contract === "ValidatorStaking") {
      if (e.event === "Staked") activeStake = a.activeStake;
      else if (e.event === "Admitted") status = "Active";
      else if (e.event === "UnbondRequested") {
        activeStake = a.activeStake;
        unbonding = a.unbonding;
      } else if (e.event === "Deactivated") status = "CoolingDown";
      else if (e.event === "Expelled") {
        status = "Expelled";
        activeStake = "0";
        faults = a.faults;
      } else if (e.event === "Exited") status = "None";
      else if (e.event === "Withdrawn")
        unbonding = (BigInt(unbonding) > BigInt(a.amount) ? BigInt(unbonding) - BigInt(a.amount) : 0n).toString();
      else if (e.event === "Slashed") {
        slashed += BigInt(a.slashed);
        faults = a.faults;
      }
    } else if (e.contract === "ComputeRewards" && e.event === "RewardClaimed") rewards += BigInt(a.amount);
  }
  return {
    validator,
    status,
    activeStake,
    unbonding,
    faults,
    slashedTotal: slashed.toString(),
    rewardsClaimed: rewards.toString(),
  };
}

export function createRoutes(provider?: JsonRpcProvider): Route[] {
  return [
    {
      path: "/health",
      summary: "How far the index lags the chain (blocks and seconds)",
      returns: ["chainId", "indexedBlock", "headBlock", "lagBlocks", "lagSeconds", "ok"],
      handler: async ({ db }) => {
        const state = await db.query<{ chain_id: number; cursor: number }>(
          "SELECT chain_id, cursor FROM indexer_state WHERE id = 1",
        );
        const indexedBlock = state[0]?.cursor ?? null;
        let head: { number: number; timestamp: number } | null = null;
        let rpcError: string | null = null;
        try {
          const block = provider ? await provider.getBlock("latest") : null;
          head = block ? { number: block.number, timestamp: block.timestamp } : null;
        } catch (error) {
          rpcError = (error as Error).message.split("\n")[0];
        }
        const time = await indexedTime(db);
        return {
          chainId: state[0]?.chain_id ?? null,
          indexedBlock,
          headBlock: head?.number ?? null,
          lagBlocks: head && indexedBlock !== null ? Math.max(0, head.number - indexedBlock) : null,
          lagSeconds: head && time !== null ? Math.max(0, head.timestamp - time) : null,
          ok: head !== null && indexedBlock !== null,
          ...(rpcError ? { rpcError } : {}),
        };
      },
    },
    {
      path: "/schedule",
      summary: "Releases of the mining reservation: each release, totals and the current burn rate",
      query: { limit: { description: "newest releases to list (1..1000)", example: "10" } },
      returns: ["releasedToBeneficiary", "burned", "emittedTotal", "burnBps", "releases"],
      handler: async ({ db, query }) => {
        const totals = await db.query<{ to_b: string | null; burned: string | null }>(
          `SELECT SUM((args->>'toBeneficiary')::numeric)::text AS to_b, SUM((args->>'burned')::numeric)::text AS burned
             FROM events WHERE contract = 'MiningReservation' AND event = 'Released'`,
        );
        const releases = await db.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE contract = 'MiningReservation' AND event = 'Released'
            ORDER BY block_number DESC, log_index DESC LIMIT $1`,
          [limitOf(query)],
        );
        const rate = await db.query<{ bps: string }>(
          `SELECT args->>'newBurnBps' AS bps FROM events WHERE contract = 'MiningReservation' AND event = 'BurnBpsChanged'
            ORDER BY block_number DESC, log_index DESC LIMIT 1`,
        );
        return {
          releasedToBeneficiary: totals[0]?.to_b ?? "0",
          burned: totals[0]?.burned ?? "0",
          emittedTotal: (releases[0]?.args.emittedTotal as string) ?? "0",
          burnBps: rate[0]?.bps ?? (releases[0]?.args.burnBps as string) ?? "0",
          releases: releases.map(eventJson),
        };
      },
    },
    {
      path: "/proposals",
      summary: "Inflation-cut proposals, newest first, with their state",
      returns: ["proposals"],
      handler: async ({ db }) => {
        const rows = await db.query<{
          id: string;
          created: Json;
          last_event: string;
          settled: Json | null;
          block_number: number;
        }>(
          `SELECT c.proposal_id::text AS id, c.args AS created, c.block_number,
                  (SELECT e.event FROM events e WHERE e.proposal_id = c.proposal_id AND e.contract = 'InflationVote'
                    ORDER BY e.block_number DESC, e.log_index DESC LIMIT 1) AS last_event,
                  (SELECT s.args FROM events s WHERE s.proposal_id = c.proposal_id AND s.event = 'ProposalSettled' LIMIT 1) AS settled
             FROM events c WHERE c.event = 'ProposalCreated' ORDER BY c.proposal_id DESC`,
        );
        return {
          proposals: rows.map((r) => ({
            id: r.id,
            createdBlock: r.block_number,
            ...r.created,
            lastEvent: r.last_event,
            settled: r.settled,
          })),
        };
      },
    },
    {
      path: "/proposals/{id}",
      summary: "One proposal: every event, its backings and its votes",
      params: { id: { description: "proposal id", example: "0" } },
      returns: ["id", "events", "votes"],
      handler: async ({ db, params }) => {
        const id = uint(params.id, "id");
        const events = await db.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE proposal_id = $1 AND contract = 'InflationVote' ORDER BY block_number, log_index`,
          [id],
        );
        if (events.length === 0) throw new HttpError(404, `no proposal ${id}`);
        return {
          id,
          events: events.map(eventJson),
          votes: events.filter((e) => e.event === "VoteCast").map(eventJson),
        };
      },
    },
    {
      path: "/validators",
      summary: "Every validator that ever staked, with its state as the escrow's events tell it",
      returns: ["validators"],
      handler: async ({ db }) => {
        const rows = await db.query<EventRow & { account: string }>(
          `SELECT account, ${EVENT_COLUMNS} FROM events
            WHERE account IN (SELECT DISTINCT account FROM events WHERE contract = 'ValidatorStaking' AND event = 'Staked')
              AND contract IN ('ValidatorStaking', 'ComputeRewards') ORDER BY account, block_number, log_index`,
        );
        const byAccount = new Map<string, EventRow[]>();
        for (const r of rows) byAccount.set(r.account, [...(byAccount.get(r.account) ?? []), r]);
        return { validators: [...byAccount].map(([v, events]) => validatorSummary(v, events)) };
      },
    },
    {
      path: "/validators/{address}",
      summary: "One validator: its state and history (stake, unbonds, faults, slashes, rewards per epoch, checks)",
      params: {
        address: { description: "the validator's address", example: "0x0000000000000000000000000000000000000001" },
      },
      returns: ["validator", "status", "activeStake", "history", "rewardsPerEpoch"],
      handler: async ({ db, params }) => {
        const validator = address(params.address);
        const events = await db.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE account = $1 AND contract IN ('ValidatorStaking', 'ComputeRewards', 'CrossCheck')
            ORDER BY block_number, log_index`,
          [validator],
        );
        return {
          ...validatorSummary(validator, events),
          history: events.map(eventJson),
          rewardsPerEpoch: events
            .filter((e) => e.contract === "ComputeRewards" && e.event === "RewardClaimed")
            .map((e) => ({ epoch: e.args.epoch, amount: e.args.amount, block: e.block_number })),
        };
      },
    },
    {
      path: "/validators/{address}/claimable",
      summary: "The validator's epochs it has not claimed, with leaf, proof and amount (mulDiv(pool, compute, total))",
      params: {
        address: { description: "the validator's address", example: "0x0000000000000000000000000000000000000001" },
      },
      returns: ["validator", "asOf", "claimable", "pending"],
      handler: async ({ db, params }) => {
        const validator = address(params.address);
        const now = await indexedTime(db);
        const rows = await db.query<EpochRow & { compute: string; proof: string[] }>(
          `SELECT e.*, p.compute::text AS compute, p.proof
             FROM epoch_proofs p JOIN epochs e ON e.epoch = p.epoch AND e.root = p.root AND NOT e.revoked
            WHERE p.validator = $1
              AND NOT EXISTS (SELECT 1 FROM events x WHERE x.epoch = p.epoch AND x.account = $1
                               AND x.event IN ('RewardClaimed', 'RewardForfeited'))
            ORDER BY e.epoch`,
          [validator],
        );
        const items = rows.map((r) => ({
          ...epochJson(r, now),
          compute: r.compute,
          amount: ((BigInt(r.pool) * BigInt(r.compute)) / BigInt(r.total_compute)).toString(),
          proof: r.proof,
        }));
        return {
          validator,
          asOf: now,
          claimable: items.filter((i) => i.status === "active"),
          pending: items.filter((i) => i.status !== "active"),
        };
      },
    },
    {
      path: "/epochs",
      summary: "Every posted epoch: root, total compute, pool, activation, status",
      returns: ["asOf", "epochs"],
      handler: async ({ db }) => {
        const now = await indexedTime(db);
        const rows = await db.query<EpochRow>("SELECT * FROM epochs ORDER BY epoch");
        return { asOf: now, epochs: rows.map((r) => epochJson(r, now)) };
      },
    },
    {
      path: "/epochs/{epoch}",
      summary: "One epoch: its current root, every posting and revocation, the published report's size, claims",
      params: { epoch: { description: "epoch id", example: "0" } },
      returns: ["epoch", "current", "postings", "published", "claims"],
      handler: async ({ db, params }) => {
        const epoch = uint(params.epoch, "epoch");
        const now = await indexedTime(db);
        const postings = await db.query<EpochRow>(
          "SELECT * FROM epoch_postings WHERE epoch = $1 ORDER BY block_number, log_index",
          [epoch],
        );
        const published = await db.query<{ root: string; total_compute: string; leaves: number }>(
          `SELECT r.root, r.total_compute::text AS total_compute, jsonb_array_length(r.report) AS leaves
             FROM epoch_reports r WHERE r.epoch = $1 ORDER BY r.published_at`,
          [epoch],
        );
        const claims = await db.query<{ n: number; total: string | null }>(
          `SELECT COUNT(*)::int AS n, SUM((args->>'amount')::numeric)::text AS total FROM events WHERE epoch = $1 AND event = 'RewardClaimed'`,
          [epoch],
        );
        if (postings.length === 0 && published.length === 0)
          throw new HttpError(404, `epoch ${epoch} neither posted nor published`);
        const current = postings.at(-1);
        return {
          epoch,
          current: current ? epochJson(current, now) : null,
          postings: postings.map((p) => epochJson(p, now)),
          published: published.map((p) => ({ root: p.root, totalCompute: p.total_compute, leaves: p.leaves })),
          claims: { count: claims[0].n, total: claims[0].total ?? "0" },
        };
      },
    },
    {
      path: "/epochs/{epoch}/report",
      summary: "The compute report the oracle published for the epoch (the posted root's, or ?root=)",
      params: { epoch: { description: "epoch id", example: "0" } },
      query: {
        root: {
          description: "the root whose report to return (default: the current posted root, else the latest published)",
        },
      },
      returns: ["epoch", "root", "totalCompute", "chainId", "distributor", "entries"],
      handler: async ({ db, params, query }) => {
        const epoch = uint(params.epoch, "epoch");
        let root = query.get("root");
        if (!root)
          root =
            (await db.query<{ root: string }>("SELECT root FROM epochs WHERE epoch = $1", [epoch]))[0]?.root ?? null;
        const rows = await db.query<{
          root: string;
          total_compute: string;
          chain_id: number;
          distributor: string;
          report: Json[];
        }>(
          `SELECT root, total_compute::text AS total_compute, chain_id, distributor, report FROM epoch_reports
            WHERE epoch = $1 AND ($2::text IS NULL OR root = $2) ORDER BY published_at DESC LIMIT 1`,
          [epoch, root],
        );
        if (rows.length === 0)
          throw new HttpError(404, `no report published for epoch ${epoch}${root ? ` with root ${root}` : ""}`);
        const r = rows[0];
        return {
          epoch,
          root: r.root,
          totalCompute: r.total_compute,
          chainId: r.chain_id,
          distributor: r.distributor,
          entries: r.report,
        };
      },
    },
    {
      path: "/checks",
      summary: "Cross-checks, newest first: paired validator, drawn checkers, verdict",
      query: { limit: { description: "checks to list (1..1000)", example: "10" } },
      returns: ["checks"],
      handler: async ({ db, query }) => {
        const rows = await db.query<{
          id: string;
          opened: Json;
          block_number: number;
          drawn: Json | null;
          verdict: Json | null;
        }>(
          `SELECT o.check_id::text AS id, o.args AS opened, o.block_number,
                  (SELECT d.args FROM events d WHERE d.check_id = o.check_id AND d.event = 'CheckersDrawn'
                    ORDER BY d.block_number DESC LIMIT 1) AS drawn,
                  (SELECT v.args FROM events v WHERE v.check_id = o.check_id AND v.event = 'VerdictReached' LIMIT 1) AS verdict
             FROM events o WHERE o.event = 'CheckOpened' ORDER BY o.check_id DESC LIMIT $1`,
          [limitOf(query)],
        );
        return {
          checks: rows.map((r) => ({
            id: r.id,
            openedBlock: r.block_number,
            opened: r.opened,
            drawn: r.drawn,
            verdict: r.verdict,
          })),
        };
      },
    },
    {
      path: "/checks/{id}",
      summary: "One check: every event (opening, draws, commits, reveals, verdict, slashes, rewards)",
      params: { id: { description: "check id", example: "1" } },
      returns: ["id", "events", "verdict", "slashes"],
      handler: async ({ db, params }) => {
        const id = uint(params.id, "id");
        const events = await db.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE check_id = $1 ORDER BY block_number, log_index`,
          [id],
        );
        if (events.length === 0) throw new HttpError(404, `no check ${id}`);
        return {
          id,
          events: events.map(eventJson),
          verdict: events.find((e) => e.event === "VerdictReached")?.args ?? null,
          slashes: events.filter((e) => e.event === "Slashed" || e.event === "ValidatorSlashed").map(eventJson),
        };
      },
    },
    {
      path: "/events",
      summary: "Raw events, filtered by contract, event name, account and first block",
      query: {
        contract: { description: "contract name (DataGen, MiningReservation, …)", example: "ComputeRewards" },
        event: { description: "event name", example: "RootPosted" },
        account: { description: "address the event is about" },
        fromBlock: { description: "first block", example: "0" },
        limit: { description: "events to return (1..1000)", example: "10" },
      },
      returns: ["events"],
      handler: async ({ db, query }) => {
        const account = query.get("account");
        const fromBlock = uint(query.get("fromBlock") ?? "0", "fromBlock");
        const rows = await db.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events
            WHERE ($1::text IS NULL OR contract = $1) AND ($2::text IS NULL OR event = $2) AND ($3::text IS NULL OR account = $3)
              AND block_number >= $4 ORDER BY block_number, log_index LIMIT $5`,
          [
            query.get("contract"),
            query.get("event"),
            account ? address(account) : null,
            Number(fromBlock),
            limitOf(query),
          ],
        );
        return { events: rows.map(eventJson) };
      },
    },
  ];
}

/** The OpenAPI 3.1 description of `routes`. */
export function openApi(routes: Route[]): Json {
  const paths: Json = {};
  for (const r of routes) {
    const parameters = [
      ...Object.entries(r.params ?? {}).map(([name, p]) => ({
        name,
        in: "path",
        required: true,
        description: p.description,
        schema: { type: "string" },
        example: p.example,
      })),
      ...Object.entries(r.query ?? {}).map(([name, p]) => ({
        name,
        in: "query",
        required: false,
        description: p.description,
        schema: { type: "string" },
        ...(p.example ? { example: p.example } : {}),
      })),
    ];
    paths[r.path] = {
      get: {
        summary: r.summary,
        parameters,
        responses: {
          "200": {
            description: "OK",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: r.returns,
                  properties: Object.fromEntries(r.returns.map((k) => [k, {}])),
                },
              },
            },
          },
          ...(r.params
            ? {
                "404": {
                  description: "Not found",
                  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
                },
              }
            : {}),
          "400": {
            description: "Bad request",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        },
      },
    };
  }
  paths["/openapi.json"] = {
    get: { summary: "This description", responses: { "200": { description: "OpenAPI document" } } },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Datagen network services API",
      version: "1.0.0",
      description: "The suite's events, indexed; amounts are decimal strings of DG wei.",
    },
    paths,
    components: {
      schemas: { Error: { type: "object", required: ["error"], properties: { error: { type: "string" } } } },
    },
  };
}

function matcher(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`);
}

export interface ApiServer {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

/** Starts the API on `host:port` (port 0: any free port). */
export async function startApi(options: {
  db: Db;
  provider?: JsonRpcProvider;
  host: string;
  port: number;
  log: Logger;
}): Promise<ApiServer> {
  const routes = createRoutes(options.provider).map((r) => ({ ...r, re: matcher(r.path) }));
  const spec = openApi(routes);
  const server = http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? "/", "http://localhost");
    let status = 200;
    let body: unknown;
    try {
      if (req.method !== "GET") throw new HttpError(405, "only GET");
      if (url.pathname === "/openapi.json") body = spec;
      else {
        let found: Json | undefined;
        for (const r of routes) {
          const m = r.re.exec(url.pathname);
          if (!m) continue;
          const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
          found = await r.handler({ db: options.db, params, query: url.searchParams });
          break;
        }
        if (!found) throw new HttpError(404, `no route ${url.pathname}`);
        body = found;
      }
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      body = { error: status === 500 ? "internal error" : (error as Error).message };
      if (status === 500) options.log.error("request failed", { path: url.pathname, error });
    }
    // Read-only public data: any origin may read it (the web app is served from its own host).
    res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
    res.end(JSON.stringify(body));
    options.log.debug("request", {
      method: req.method,
      path: url.pathname,
      status,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
