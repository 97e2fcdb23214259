/**
 * Every custom error of the suite's contracts (their own and the OpenZeppelin ones they inherit),
 * decoded from a failed call or transaction into a {@link DataGenError} whose message says in plain
 * words what went wrong.
 */
import { ErrorFragment, Interface, type InterfaceAbi } from "ethers";
import {
  ComputeRewards__factory,
  CrossCheck__factory,
  DataGen__factory,
  InflationVote__factory,
  MiningReservation__factory,
  ValidatorStaking__factory,
} from "../typechain-types";
import { plainErrorMessage } from "./messages";

// The plain-words table, the role names and the DG and duration formats live in `messages.ts`
// (no imports: the web app shares it).
export {
  ERROR_MESSAGES,
  ROLE_NAMES,
  WEI_PER_DG,
  formatDG,
  formatDuration,
  plainErrorMessage,
  roleName,
} from "./messages";

/**
 * Every failure the SDK reports: a contract of the suite reverted (or would revert) with
 * `errorName(args)`, or — as the subclass {@link DataGenSdkError} — the SDK refused on its own. Either
 * way `message` says it in plain words, so one `catch (e) { if (e instanceof DataGenError) … }` covers both.
 */
export class DataGenError extends Error {
  readonly errorName: string;
  readonly args: readonly unknown[];
  constructor(errorName: string, args: readonly unknown[], message: string) {
    super(message);
    this.name = "DataGenError";
    this.errorName = errorName;
    this.args = args;
  }
}

/**
 * A refusal of the SDK itself (bad input, missing deployment record, a file for another chain,
 * nothing to do): a {@link DataGenError} whose `errorName` is "DataGenSdkError" and `args` empty.
 */
export class DataGenSdkError extends DataGenError {
  constructor(message: string) {
    super("DataGenSdkError", [], message);
    this.name = "DataGenSdkError";
  }
}

/** The ABIs of the suite's six contracts. */
export const SUITE_ABIS: Record<string, InterfaceAbi> = {
  DataGen: DataGen__factory.abi,
  MiningReservation: MiningReservation__factory.abi,
  InflationVote: InflationVote__factory.abi,
  ValidatorStaking: ValidatorStaking__factory.abi,
  ComputeRewards: ComputeRewards__factory.abi,
  CrossCheck: CrossCheck__factory.abi,
};

/** Every error fragment of the suite, one per selector. */
export function suiteErrorFragments(): ErrorFragment[] {
  const bySelector = new Map<string, ErrorFragment>();
  for (const abi of Object.values(SUITE_ABIS)) {
    for (const fragment of new Interface(abi).fragments) {
      if (fragment instanceof ErrorFragment) bySelector.set(fragment.selector, fragment);
    }
  }
  return [...bySelector.values()];
}

let suiteInterface: Interface | undefined;

/** One interface holding every error of the suite. */
export function suiteErrorInterface(): Interface {
  suiteInterface ??= new Interface(suiteErrorFragments());
  return suiteInterface;
}

/** Finds revert data (0x + selector + arguments) in the error shapes ethers and Hardhat produce. */
function revertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || error === null || typeof error !== "object") return undefined;
  const e = error as Record<string, unknown>;
  for (const key of ["data", "revertData"]) {
    const value = e[key];
    if (typeof value === "string" && /^0x[0-9a-fA-F]{8}/.test(value)) return value;
    if (value && typeof value === "object") {
      const nested = (value as Record<string, unknown>).data;
      if (typeof nested === "string" && /^0x[0-9a-fA-F]{8}/.test(nested)) return nested;
    }
  }
  for (const key of ["error", "info", "cause", "payload"]) {
    const found = revertData(e[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The suite error carried by `error` (a failed call, estimate or transaction), or undefined. */
export function decodeError(error: unknown): DataGenError | undefined {
  if (error instanceof DataGenError) return error;
  const data = revertData(error);
  if (!data) return undefined;
  let parsed;
  try {
    parsed = suiteErrorInterface().parseError(data);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const args = [...parsed.args];
  return new DataGenError(parsed.name, args, plainErrorMessage(parsed.name, args));
}

/**
 * The error a suite contract reverts with as `errorName(...args)`, built without a transaction: the
 * error is ABI-encoded and decoded exactly as a revert is ({@link decodeError}), so a check the SDK
 * makes before sending gives the same name, arguments (bigints, checksummed addresses) and message
 * as the contract's own refusal.
 * @throws Error if the suite has no such error or the arguments do not fit it (a bug in the caller).
 */
export function contractError(errorName: string, args: readonly unknown[] = []): DataGenError {
  return decodeError({ data: suiteErrorInterface().encodeErrorResult(errorName, args) })!;
}

/** Runs `action`; a suite error comes back as a {@link DataGenError} with a plain-words message. */
export async function withPlainErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw decodeError(error) ?? error;
  }
}
