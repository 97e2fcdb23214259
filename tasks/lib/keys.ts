/**
 * Where keys and RPC URLs come from: the environment, else Hardhat's configuration variables
 * (`npx hardhat vars set NAME`), never a file in the repository. A malformed key is not handed to
 * Hardhat (which would refuse to start every command): it is kept out of the accounts, and only the
 * commands that need to sign refuse, naming the variable.
 */
import { vars } from "hardhat/config";

/** The order n of secp256k1: a private key is a number in [1, n − 1]. */
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The variable holding the key of the BSC networks' acting account. */
export const DEFAULT_KEY_VARIABLE = "DEPLOYER_PRIVATE_KEY";

/** A secret from the environment, else from Hardhat's configuration variables. */
export function secret(name: string): string | undefined {
  const value = process.env[name] ?? (vars.has(name) ? vars.get(name) : undefined);
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/**
 * What is wrong with `value` as a secp256k1 private key, or undefined if it is one. The message
 * never contains the value.
 */
export function keyProblem(value: string, variable: string): string | undefined {
  const hex = value.startsWith("0x") ? value.slice(2) : value;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    return `${variable} is not a private key: expected 64 hex digits (with or without 0x), got ${hex.length} characters`;
  }
  // ethers' SigningKey accepts any 32 bytes at construction: check the range ourselves.
  if (BigInt(`0x${hex}`) === 0n || BigInt(`0x${hex}`) >= SECP256K1_ORDER) {
    return `${variable} is not a valid secp256k1 private key: it must be above 0 and below the curve order`;
  }
  return undefined;
}

/** The key in `variable`, normalised to 0x-hex, or why it cannot be used (undefined both: not set). */
export function keyFrom(variable: string): { key?: string; problem?: string } {
  const value = secret(variable);
  if (value === undefined) return {};
  const problem = keyProblem(value, variable);
  return problem ? { problem } : { key: value.startsWith("0x") ? value : `0x${value}` };
}
