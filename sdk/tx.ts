/**
 * How the SDK sends (internal; `send` is exported through ./validator). Rule: nothing is sent until
 * every check that can be made before sending has passed.
 * - One transaction: {@link send} estimates it first; a contract error comes back decoded and nothing
 *   is sent.
 * - approve, then a call that pulls DG ({@link approveThenSend}): the call cannot be estimated before
 *   its allowance exists, so the client checks with chain reads everything the contract would check
 *   (throwing the contract's own error, {@link contractError}) BEFORE the approve.
 *
 * Time: such checks are made at {@link earliestMiningTime}, the earliest second the final transaction
 * can be mined. A deadline that falls between then and when the transaction is actually mined can
 * still refuse the call after its approve was sent; nothing else can.
 */
import type { ContractTransactionReceipt, Interface, Result, Signer } from "ethers";
import type { ContractMethodArgs, TypedContractMethod } from "../typechain-types/common";
import type { Suite } from "./deployments";
import { DataGenSdkError, contractError, withPlainErrors } from "./errors";

/**
 * Sends `method(...args)` and waits for it to be mined. The call is estimated first, so a contract
 * error comes back (in plain words, as a {@link DataGenError}) before any transaction is sent.
 */
export function send<A extends Array<unknown>, R>(
  method: TypedContractMethod<A, R, "nonpayable">,
  ...args: ContractMethodArgs<A, "nonpayable">
): Promise<ContractTransactionReceipt> {
  return withPlainErrors(async () => {
    await method.estimateGas(...args);
    const receipt = await (await method.send(...args)).wait();
    if (!receipt) throw new DataGenSdkError("the transaction was dropped");
    return receipt;
  });
}

/** Refuses a negative value where the contract takes an unsigned integer. */
export function requireUint(value: bigint, what: string): void {
  if (value < 0n) throw new DataGenSdkError(`${what} must not be negative, got ${value}`);
}

/**
 * The earliest unix second at which the `count`-th transaction sent from now can be mined: the latest
 * of
 * - the latest block's time + `count`, a block being at least one second after its parent (Ethereum,
 *   Hardhat, anvil; `estimateGas` uses the latest + 1 for the next block);
 * - the `pending` block's time + `count` - 1, when the node gives one (Hardhat's embedded network and
 *   `hardhat node` do, and it carries an `evm_increaseTime` offset no block has been mined with yet);
 * - the wall clock + `count` - 1: a node left idle mines its next block now, not at its latest block's
 *   time + 1. On a chain whose time is ahead of the wall clock (Hardhat after `evm_increaseTime`) the
 *   other two are later and this changes nothing.
 * Each only ever makes the checks stricter. On a chain with sub-second blocks this is later than the
 * truth by a second or two, which can only refuse a call racing a deadline.
 */
export async function earliestMiningTime(signer: Signer, count: number): Promise<bigint> {
  const provider = signer.provider;
  if (!provider) throw new DataGenSdkError("the signer has no provider: connect it to a network first");
  const latest = await provider.getBlock("latest");
  if (!latest) throw new DataGenSdkError("the node returned no latest block");
  const next = BigInt(count) - 1n;
  let earliest = BigInt(latest.timestamp) + 1n + next;
  const pending = await pendingTimestamp(provider);
  if (pending !== undefined && pending + next > earliest) earliest = pending + next;
  const now = BigInt(Math.floor(Date.now() / 1000));
  if (now + next > earliest) earliest = now + next;
  return earliest;
}

/**
 * The `pending` block's timestamp, read raw (`eth_getBlockByNumber("pending")`: ethers' `getBlock`
 * rejects Hardhat's pending block, whose number is null); undefined when the provider cannot send raw
 * requests or the node gives no pending block.
 */
async function pendingTimestamp(provider: unknown): Promise<bigint | undefined> {
  const raw = provider as { send?: (method: string, params: unknown[]) => Promise<unknown> };
  if (typeof raw.send !== "function") return undefined;
  let block: unknown;
  try {
    block = await raw.send("eth_getBlockByNumber", ["pending", false]);
  } catch {
    return undefined; // a node without a pending block: the latest block and the clock still apply
  }
  const timestamp = (block as { timestamp?: unknown } | null)?.timestamp;
  if (typeof timestamp !== "string" && typeof timestamp !== "number") return undefined;
  try {
    return BigInt(timestamp);
  } catch {
    return undefined;
  }
}

/** Refuses, exactly as the token would (`ERC20InsufficientBalance`), a pull of `amount` DG wei from `owner`. */
export async function requireBalance(suite: Suite, owner: string, amount: bigint): Promise<void> {
  const balance = await suite.token.balanceOf(owner);
  if (balance < amount) throw contractError("ERC20InsufficientBalance", [owner, balance, amount]);
}

/** What {@link approveThenSend} needs. */
export interface ApproveThenSend {
  suite: Suite;
  signer: Signer;
  /** The contract that pulls the DG. */
  spender: string;
  /** DG wei the call will pull (approved exactly, and only if the allowance is short). */
  amount: bigint;
  /** Every check the contract makes before it pulls the DG, at `minedAt`; throws the contract's error. */
  check: (minedAt: bigint) => Promise<void>;
  /** Sends the call itself (through {@link send}). */
  call: () => Promise<ContractTransactionReceipt>;
}

/**
 * A call that pulls DG from the signer, with the approve it needs: runs `check` (at the earliest time
 * the call can be mined: one transaction later if an approve must go first), then the token's balance
 * check, and only then approves exactly `amount` (if the allowance is short) and sends the call. A
 * refused call sends nothing: no approve, no allowance left behind.
 */
export async function approveThenSend(input: ApproveThenSend): Promise<ContractTransactionReceipt> {
  const owner = await input.signer.getAddress();
  const approve = (await input.suite.token.allowance(owner, input.spender)) < input.amount;
  await input.check(await earliestMiningTime(input.signer, approve ? 2 : 1));
  await requireBalance(input.suite, owner, input.amount);
  if (approve) await send(input.suite.token.connect(input.signer).approve, input.spender, input.amount);
  return input.call();
}

/** The arguments of the first `name` event that `contract` emitted in `receipt`. */
export function eventArgs(
  receipt: ContractTransactionReceipt,
  contract: { interface: Interface },
  name: string,
): Result {
  for (const log of receipt.logs) {
    let parsed;
    try {
      parsed = contract.interface.parseLog(log);
    } catch {
      continue; // another contract's event
    }
    if (parsed?.name === name) return parsed.args;
  }
  throw new DataGenSdkError(`the transaction ${receipt.hash} emitted no ${name} event`);
}
