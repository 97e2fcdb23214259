/**
 * The one transaction sender of the services: every transaction of the keeper, the oracle and the
 * guardian goes through it, under a KEY that names what it does ("postRoot:97:0x…:5"). A key is sent
 * at most once, across crashes and restarts, because of the journal (`tx_intents`, same database):
 *
 * 1. the intent (key, target, calldata) is inserted, status `new`, before anything is signed;
 * 2. the transaction is estimated (a contract error deletes the `new` intent: nothing was sent), given
 *    the account's next nonce, signed, and the signed raw transaction and its hash are stored (status
 *    `signed`) BEFORE it is broadcast;
 * 3. after the broadcast the status becomes `sent`; after the receipt, `mined` (or `reverted`), with
 *    the block.
 *
 * On a restart (or a second `send` of the same key) an intent is never signed again once it has a raw
 * transaction: its hash is awaited; if the node has never seen it and its nonce is still unused, the
 * SAME raw transaction is broadcast again (same hash); if the nonce was used by another transaction,
 * the intent is marked `dropped` and left to a human. A finished intent sent again is checked against
 * the chain: if a reorganisation took its transaction away, it is awaited (re-broadcast) again. A `new` intent (a crash before signing) was
 * never broadcast, so it is signed then. Every JSON-RPC call is retried with exponential backoff while
 * the node does not answer.
 */
import { keccak256, type JsonRpcProvider, type TransactionReceipt, type Wallet } from "ethers";
import { decodeError } from "../sdk";
import type { Db } from "./db";
import { sleep } from "./indexer";
import type { Logger } from "./log";

export interface TxRequest {
  to: string;
  data: string;
}

export type IntentStatus = "new" | "signed" | "sent" | "mined" | "reverted" | "dropped";

export interface IntentRow {
  key: string;
  chain_id: number;
  sender: string;
  target: string;
  data: string;
  status: IntentStatus;
  nonce: number | null;
  raw_tx: string | null;
  tx_hash: string | null;
  block_number: number | null;
  block_time: number | null;
  error: string | null;
}

/** What `send` returns: the intent once mined (or reverted), and whether THIS call broadcast it. */
export interface SendResult {
  key: string;
  status: "mined" | "reverted";
  txHash: string;
  blockNumber: number;
  blockTime: number;
  target: string;
  data: string;
  /** False when the key had already been sent (by an earlier call or process): nothing was broadcast now. */
  broadcastNow: boolean;
}

export interface RetryOptions {
  /** First delay, doubled after each failure up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up (throw the last error) after this many attempts; 0 = never. */
  attempts: number;
}

export const DEFAULT_RETRY: RetryOptions = { baseDelayMs: 250, maxDelayMs: 30_000, attempts: 0 };

/** A refusal by the contract or the node, as opposed to a node that does not answer. */
const PERMANENT_CODES = new Set([
  "CALL_EXCEPTION",
  "INVALID_ARGUMENT",
  "INSUFFICIENT_FUNDS",
  "NONCE_EXPIRED",
  "REPLACEMENT_UNDERPRICED",
  "TRANSACTION_REPLACED",
  "ACTION_REJECTED",
  "BAD_DATA",
  "NOT_IMPLEMENTED",
  "UNSUPPORTED_OPERATION",
]);
const PERMANENT_MESSAGE =
  /revert|nonce too low|nonce has already been used|already known|known transaction|insufficient funds|intrinsic gas/i;

/** True for an error that means "the node did not answer (properly)": worth retrying. */
export function isTransient(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (e?.code && PERMANENT_CODES.has(e.code)) return false;
  if (PERMANENT_MESSAGE.test(String(e?.message ?? ""))) return false;
  return true;
}

/** Runs `fn` until it succeeds or fails permanently, waiting base·2^n (capped) between transient failures. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  options: RetryOptions,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransient(error) || (options.attempts > 0 && attempt >= options.attempts) || signal?.aborted) throw error;
      const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      onRetry?.(error, attempt, delay);
      await sleep(delay, signal);
    }
  }
}

/** Test hooks: throw from one to stop the instance at that point (as a killed process would). */
export interface SenderHooks {
  /** After the signed raw transaction is stored, before it is broadcast. */
  afterSign?: (row: IntentRow) => void | Promise<void>;
  /** After the broadcast, before `sent` and the receipt are recorded. */
  afterBroadcast?: (row: IntentRow) => void | Promise<void>;
}

export class IntentDroppedError extends Error {}

export class Sender {
  readonly address: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly provider: JsonRpcProvider,
    private readonly wallet: Wallet,
    private readonly chainId: number,
    private readonly log: Logger,
    private readonly options: {
      retry?: RetryOptions;
      pollMs?: number;
      hooks?: SenderHooks;
      signal?: AbortSignal;
    } = {},
  ) {
    this.address = wallet.address;
  }

  /** The stored intent of `key`, if any. */
  async intent(key: string): Promise<IntentRow | undefined> {
    return (await this.db.query<IntentRow>("SELECT * FROM tx_intents WHERE key = $1", [key]))[0];
  }

  /** The stored intents whose key starts with `prefix`, oldest first. */
  async intentsStartingWith(prefix: string): Promise<IntentRow[]> {
    return this.db.query<IntentRow>(
      "SELECT * FROM tx_intents WHERE left(key, length($1)) = $1 ORDER BY created_at, key",
      [prefix],
    );
  }

  /**
   * Sends `request` under `key` and waits for its receipt; if `key` was already sent (mined, or
   * broadcast before a crash) nothing new is broadcast and its result is returned. Calls are
   * serialised per sender (one nonce sequence).
   */
  send(key: string, request: TxRequest): Promise<SendResult> {
    const run = this.queue.then(() => this.sendNow(key, request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Finishes every unfinished intent of this account (at start-up): awaits or re-broadcasts, never re-signs one with a raw tx. */
  resumeAll(): Promise<SendResult[]> {
    const run = this.queue.then(async () => {
      const open = await this.db.query<IntentRow>(
        `SELECT * FROM tx_intents WHERE chain_id = $1 AND sender = $2 AND status IN ('new', 'signed', 'sent')
          ORDER BY nonce NULLS LAST, created_at`,
        [this.chainId, this.address],
      );
      const results: SendResult[] = [];
      for (const row of open) {
        this.log.info("resuming intent", { key: row.key, status: row.status, txHash: row.tx_hash });
        results.push(await this.sendNow(row.key, { to: row.target, data: row.data }));
      }
      return results;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private rpc<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      fn,
      this.options.retry ?? DEFAULT_RETRY,
      (error, attempt, delayMs) => this.log.warn("rpc failed, retrying", { what, attempt, delayMs, error }),
      this.options.signal,
    );
  }

  private async sendNow(key: string, request: TxRequest): Promise<SendResult> {
    let row = await this.intent(key);
    if (!row) {
      await this.db.query(
        `INSERT INTO tx_intents (key, chain_id, sender, target, data, status) VALUES ($1, $2, $3, $4, $5, 'new')
         ON CONFLICT (key) DO NOTHING`,
        [key, this.chainId, this.address, request.to, request.data],
      );
      row = (await this.intent(key))!;
    }
    if (row.sender !== this.address || Number(row.chain_id) !== this.chainId) {
      throw new Error(`intent ${key} belongs to ${row.sender} on chain ${row.chain_id}, not to this sender`);
    }
    if (row.status === "mined" || row.status === "reverted") return this.finished(row);
    if (row.status === "dropped") {
      throw new IntentDroppedError(
        `intent ${key} was dropped (its nonce was used by another transaction): ${row.error}`,
      );
    }
    if (row.status === "new") return this.signAndBroadcast(row);
    return this.await(row, false);
  }

  /**
   * A finished intent sent again: its receipt is read back, because a reorganisation may have taken
   * its block away. Gone: the intent is awaited again (the same raw transaction re-broadcast if the
   * node lost it); in another block: its block is recorded again.
   */
  private async finished(row: IntentRow): Promise<SendResult> {
    const receipt = await this.rpc("getTransactionReceipt", () => this.provider.getTransactionReceipt(row.tx_hash!));
    if (receipt && receipt.blockNumber === Number(row.block_number)) return this.result(row, false);
    if (receipt) return this.record(row, receipt, false);
    this.log.warn("a mined transaction is no longer on the chain (reorganisation): awaiting it again", {
      key: row.key,
      txHash: row.tx_hash,
      block: row.block_number,
    });
    await this.db.query(
      `UPDATE tx_intents SET status = 'sent', block_number = NULL, block_time = NULL, updated_at = now()
        WHERE key = $1 AND status IN ('mined', 'reverted')`,
      [row.key],
    );
    return this.await({ ...row, status: "sent" }, false);
  }

  private async signAndBroadcast(row: IntentRow): Promise<SendResult> {
    let gasLimit: bigint;
    try {
      gasLimit = await this.rpc("estimateGas", () =>
        this.provider.estimateGas({ from: this.address, to: row.target, data: row.data }),
      );
    } catch (error) {
      // Refused before anything was signed: forget the intent so it may be tried again later.
      await this.db.query("DELETE FROM tx_intents WHERE key = $1 AND status = 'new'", [row.key]);
      throw decodeError(error) ?? error;
    }
    const nonce = await this.rpc("getTransactionCount", () =>
      this.provider.getTransactionCount(this.address, "pending"),
    );
    const populated = await this.rpc("populate", () =>
      this.wallet.connect(this.provider).populateTransaction({
        to: row.target,
        data: row.data,
        nonce,
        gasLimit: (gasLimit * 12n) / 10n,
        chainId: BigInt(this.chainId),
      }),
    );
    const raw = await this.wallet.signTransaction(populated);
    const hash = keccak256(raw);
    await this.db.query(
      `UPDATE tx_intents SET status = 'signed', nonce = $2, raw_tx = $3, tx_hash = $4, updated_at = now()
        WHERE key = $1 AND status = 'new'`,
      [row.key, nonce, raw, hash],
    );
    const signed = (await this.intent(row.key))!;
    this.log.info("signed", { key: row.key, nonce, txHash: hash });
    await this.options.hooks?.afterSign?.(signed);
    await this.broadcast(signed);
    await this.options.hooks?.afterBroadcast?.(signed);
    await this.db.query(
      "UPDATE tx_intents SET status = 'sent', updated_at = now() WHERE key = $1 AND status = 'signed'",
      [row.key],
    );
    return this.await({ ...signed, status: "sent" }, true);
  }

  /** Broadcasts the stored raw transaction; "already known" and "nonce too low" are left to {@link await}. */
  private async broadcast(row: IntentRow): Promise<void> {
    try {
      await this.rpc("sendRawTransaction", () => this.provider.send("eth_sendRawTransaction", [row.raw_tx]));
      this.log.info("broadcast", { key: row.key, txHash: row.tx_hash });
    } catch (error) {
      const message = String((error as Error).message);
      if (/already known|known transaction|already imported/i.test(message)) return;
      if (
        /nonce too low|nonce has already been used/i.test(message) ||
        (error as { code?: string }).code === "NONCE_EXPIRED"
      )
        return;
      throw error;
    }
  }

  /** Waits for the receipt of a signed intent, re-broadcasting the same raw tx if the node lost it. */
  private async await(row: IntentRow, broadcastNow: boolean): Promise<SendResult> {
    const hash = row.tx_hash!;
    for (;;) {
      const receipt = await this.rpc("getTransactionReceipt", () => this.provider.getTransactionReceipt(hash));
      if (receipt) return this.record(row, receipt, broadcastNow);
      const known = await this.rpc("getTransaction", () => this.provider.getTransaction(hash));
      if (!known) {
        const used = await this.rpc("getTransactionCount", () =>
          this.provider.getTransactionCount(this.address, "latest"),
        );
        if (used > Number(row.nonce)) {
          const late = await this.rpc("getTransactionReceipt", () => this.provider.getTransactionReceipt(hash));
          if (late) return this.record(row, late, broadcastNow);
          const error = `nonce ${row.nonce} was used by another transaction; ${hash} was never mined`;
          await this.db.query(
            "UPDATE tx_intents SET status = 'dropped', error = $2, updated_at = now() WHERE key = $1",
            [row.key, error],
          );
          this.log.error("intent dropped", { key: row.key, error });
          throw new IntentDroppedError(`intent ${row.key}: ${error}`);
        }
        this.log.warn("the node does not know the transaction: re-broadcasting the same signed raw tx", {
          key: row.key,
          txHash: hash,
          nonce: row.nonce,
        });
        await this.broadcast(row);
        if (row.status === "signed") {
          await this.db.query("UPDATE tx_intents SET status = 'sent', updated_at = now() WHERE key = $1", [row.key]);
        }
      }
      if (this.options.signal?.aborted) throw new Error(`stopped while waiting for ${hash}`);
      await sleep(this.options.pollMs ?? 1000, this.options.signal);
    }
  }

  private async record(row: IntentRow, receipt: TransactionReceipt, broadcastNow: boolean): Promise<SendResult> {
    const block = await this.rpc("getBlock", () => this.provider.getBlock(receipt.blockNumber));
    const status = receipt.status === 1 ? "mined" : "reverted";
    await this.db.query(
      `UPDATE tx_intents SET status = $2, block_number = $3, block_time = $4, updated_at = now()
        WHERE key = $1 AND status <> 'new'`,
      [row.key, status, receipt.blockNumber, block!.timestamp],
    );
    this.log[status === "mined" ? "info" : "warn"](status, {
      key: row.key,
      txHash: receipt.hash,
      block: receipt.blockNumber,
    });
    return this.result((await this.intent(row.key))!, broadcastNow);
  }

  private result(row: IntentRow, broadcastNow: boolean): SendResult {
    return {
      key: row.key,
      status: row.status as "mined" | "reverted",
      txHash: row.tx_hash!,
      blockNumber: Number(row.block_number),
      blockTime: Number(row.block_time),
      target: row.target,
      data: row.data,
      broadcastNow,
    };
  }
}
