/**
 * Argument parsing for the `dg:*` tasks: every check runs before any transaction, and each refusal is
 * an `Error` with a one-line message naming the argument.
 */
import { getAddress, isAddress, parseUnits } from "ethers";

/** A DG amount written in DG ("1500", "0.25"), as wei; must be positive, at most 18 decimals. */
export function parseDG(value: string, name = "amount"): bigint {
  const text = value.trim().replace(/_/g, "");
  if (!/^\d+(\.\d{1,18})?$/.test(text)) {
    throw new Error(`--${name} must be a positive DG amount like 1500 or 0.25 (at most 18 decimals), got "${value}"`);
  }
  const wei = parseUnits(text, 18);
  if (wei === 0n) throw new Error(`--${name} must be more than 0 DG`);
  return wei;
}

/** A non-negative whole number (ids, days, basis points, seconds). */
export function parseWhole(
  value: string,
  name: string,
  { min = 0n, max }: { min?: bigint; max?: bigint } = {},
): bigint {
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got "${value}"`);
  const n = BigInt(text);
  if (n < min) throw new Error(`--${name} must be at least ${min}, got ${n}`);
  if (max !== undefined && n > max) throw new Error(`--${name} must be at most ${max}, got ${n}`);
  return n;
}

/** A checksummed address (a mixed-case address must carry a valid checksum). */
export function parseAddress(value: string, name: string): string {
  const text = String(value).trim();
  if (!isAddress(text)) throw new Error(`--${name} must be an address (0x followed by 40 hex digits), got "${value}"`);
  const address = getAddress(text);
  if (/^0x0{40}$/.test(address)) throw new Error(`--${name} must not be the zero address`);
  return address;
}

/** A 32-byte hex value (0x + 64 hex digits). */
export function parseBytes32(value: string, name: string): string {
  const text = String(value).trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(text))
    throw new Error(`--${name} must be 32 bytes in hex (0x + 64 hex digits), got "${value}"`);
  return text.toLowerCase();
}

/** `for` or `against`. */
export function parseSide(value: string): boolean {
  const text = String(value).trim().toLowerCase();
  if (text === "for" || text === "yes") return true;
  if (text === "against" || text === "no") return false;
  throw new Error(`--support must be "for" or "against", got "${value}"`);
}
