/**
 * Argument parsing for the `dg:*` tasks: every check runs before any transaction, and each refusal is
 * an `Error` with a one-line message naming the argument.
 */
import { getAddress, isAddress, parseUnits } from "ethers";

/** A DG amount written in DG ("1500", "0.25"), as wei; must be positive, at most 18 decimals. */
export function parseDG(value: string, name = "amount"): bigint {
  const raw = String(value).trim();
  // `_` only as a thousands separator (1_500_000), so a slip like 1_0000 is refused, not read as 10,000.
  if (!/^(\d+|\d{1,3}(_\d{3})+)(\.\d{1,18})?$/.test(raw)) {
    throw new Error(
      `--${name} must be a positive DG amount like 1500, 1_500 or 0.25 (at most 18 decimals, \`_\` only between groups of three digits), got "${value}"`,
    );
  }
  const text = raw.replace(/_/g, "");
  const wei = parseUnits(text, 18);
  if (wei === 0n) throw new Error(`--${name} must be more than 0 DG`);
  return wei;
}

const UINT256_MAX = 2n ** 256n - 1n;

/** A non-negative whole number (ids, days, basis points, seconds). */
export function parseWhole(
  value: string,
  name: string,
  { min = 0n, max }: { min?: bigint; max?: bigint } = {},
): bigint {
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got "${value}"`);
  const n = BigInt(text);
  if (max === undefined && n > UINT256_MAX)
    throw new Error(`--${name} must be at most 2^256 - 1, got ${text.length} digits`);
  if (n < min) throw new Error(`--${name} must be at least ${min}, got ${n}`);
  if (max !== undefined && n > max) throw new Error(`--${name} must be at most ${max}, got ${n}`);
  return n;
}

/** A checksummed address (a mixed-case address must carry a valid checksum). */
export function parseAddress(value: string, name: string): string {
  const text = String(value).trim();
  if (/^0x[0-9a-fA-F]{40}$/.test(text) && !isAddress(text)) {
    throw new Error(
      `--${name} has mixed case but a wrong checksum (a typo?): give it exactly as copied, or all lower case, got "${value}"`,
    );
  }
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
