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

// The table of plain-words messages and the DG format live in `messages.ts` (shared with the web app).
export { ERROR_MESSAGES, formatDG, plainErrorMessage } from "./messages";

/** A failure of the SDK itself (bad input, missing deployment record, nothing to do). */
export class DataGenSdkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataGenSdkError";
  }
}

/** A contract of the suite reverted with `errorName(args)`; `message` says it in plain words. */
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

/** Runs `action`; a suite error comes back as a {@link DataGenError} with a plain-words message. */
export async function withPlainErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw decodeError(error) ?? error;
  }
}
