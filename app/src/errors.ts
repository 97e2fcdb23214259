/**
 * Contract errors in the SDK's plain words: the revert data is decoded with viem against every error of
 * the suite (`suiteErrorsAbi`) and worded by the table the SDK uses (`sdk/messages.ts`).
 */
import { BaseError, decodeErrorResult, type Hex } from "viem";
import { plainErrorMessage } from "../../sdk/messages";
import { suiteErrorsAbi } from "./generated";

function revertData(error: unknown): Hex | undefined {
  let found: Hex | undefined;
  const visit = (e: unknown, depth: number) => {
    if (found || depth > 8 || !e || typeof e !== "object") return;
    const o = e as Record<string, unknown>;
    for (const key of ["raw", "data"]) {
      const v = o[key];
      if (typeof v === "string" && /^0x[0-9a-fA-F]{8}/.test(v)) {
        found = v as Hex;
        return;
      }
      if (v && typeof v === "object" && typeof (v as { data?: unknown }).data === "string") {
        const d = (v as { data: string }).data;
        if (/^0x[0-9a-fA-F]{8}/.test(d)) {
          found = d as Hex;
          return;
        }
      }
    }
    visit(o.cause, depth + 1);
    visit(o.error, depth + 1);
  };
  visit(error, 0);
  return found;
}

/** The suite error in `error`, decoded: its name, arguments and plain-words message. */
export function decodeSuiteError(error: unknown): { name: string; args: readonly unknown[]; message: string } | null {
  const data = revertData(error);
  if (!data) return null;
  try {
    const decoded = decodeErrorResult({ abi: suiteErrorsAbi, data });
    const args = (decoded.args ?? []) as readonly unknown[];
    return { name: decoded.errorName, args, message: plainErrorMessage(decoded.errorName, args) };
  } catch {
    return null;
  }
}

/** One sentence for any failure of a transaction or a signature. */
export function explainError(error: unknown): string {
  const suite = decodeSuiteError(error);
  if (suite) return `The contract refused: ${suite.message}.`;
  if (error instanceof BaseError) {
    const rejected = error.walk(
      (e) => (e as { code?: number }).code === 4001 || (e as Error).name === "UserRejectedRequestError",
    );
    if (rejected) return "You declined the request in your wallet: nothing was sent.";
    return error.shortMessage;
  }
  if ((error as { code?: number })?.code === 4001) return "You declined the request in your wallet: nothing was sent.";
  return error instanceof Error ? error.message : String(error);
}
