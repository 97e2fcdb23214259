/**
 * The proofs file of one epoch, written by `dg:epoch:build` (or {@link toProofsFile}) and read by
 * validators to claim: JSON, every number a decimal string.
 */
import fs from "node:fs";
import { getAddress, isAddress } from "ethers";
import { buildEpoch, type BuiltEpoch } from "./epoch";
import { DataGenSdkError } from "./errors";

export const PROOFS_FORMAT = "datagen-epoch-proofs/1";

/** One epoch's root, total and each validator's leaf and proof. */
export interface ProofsFile {
  format: typeof PROOFS_FORMAT;
  chainId: string;
  distributor: string;
  epoch: string;
  root: string;
  totalCompute: string;
  proofs: Record<string, { compute: string; proof: string[] }>;
}

/** The proofs file of an epoch built for `distributor` on `chainId`. */
export function toProofsFile(
  built: BuiltEpoch,
  input: { chainId: bigint; distributor: string; epoch: bigint },
): ProofsFile {
  return {
    format: PROOFS_FORMAT,
    chainId: input.chainId.toString(),
    distributor: getAddress(input.distributor),
    epoch: input.epoch.toString(),
    root: built.root,
    totalCompute: built.totalCompute.toString(),
    proofs: Object.fromEntries(
      Object.entries(built.proofs).map(([validator, p]) => [
        validator,
        { compute: p.compute.toString(), proof: p.proof },
      ]),
    ),
  };
}

const DECIMAL = /^[0-9]+$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** Checks a parsed proofs file; throws a one-line {@link DataGenSdkError} naming the bad field. */
export function validateProofsFile(value: unknown, where = "proofs file"): ProofsFile {
  const fail = (what: string): never => {
    throw new DataGenSdkError(`${where}: ${what}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("not a proofs file object");
  const f = value as Record<string, unknown>;
  if (f.format !== PROOFS_FORMAT) fail(`format must be "${PROOFS_FORMAT}"`);
  for (const key of ["chainId", "epoch", "totalCompute"]) {
    if (typeof f[key] !== "string" || !DECIMAL.test(f[key] as string)) fail(`${key} must be a decimal string`);
  }
  if (typeof f.distributor !== "string" || !isAddress(f.distributor)) fail("distributor must be an address");
  if (typeof f.root !== "string" || !BYTES32.test(f.root)) fail("root must be 32 bytes in hex");
  if (typeof f.proofs !== "object" || f.proofs === null) fail("proofs must be an object keyed by validator");
  for (const [validator, leaf] of Object.entries(f.proofs as Record<string, unknown>)) {
    if (!isAddress(validator)) fail(`proofs: "${validator}" is not an address`);
    const l = leaf as { compute?: unknown; proof?: unknown };
    if (typeof l?.compute !== "string" || !DECIMAL.test(l.compute))
      fail(`proofs[${validator}].compute must be a decimal string`);
    if (!Array.isArray(l.proof) || !l.proof.every((h) => typeof h === "string" && BYTES32.test(h))) {
      fail(`proofs[${validator}].proof must be a list of 32-byte hex hashes`);
    }
  }
  return value as ProofsFile;
}

/** Where a proofs file must belong: a chain, its ComputeRewards contract, an epoch. */
export interface ProofsTarget {
  chainId: bigint;
  distributor: string;
  epoch: bigint;
}

/**
 * Checks, without any chain read, that `file` is for `target` (same chain, distributor and epoch) and
 * that its root, its total compute and every proof are those of its own leaves: the tree is rebuilt
 * from the file's `(validator, compute)` entries with {@link buildEpoch}, the only protection against
 * a hand-edited or corrupted file. `what` names the file in the messages ("the proofs file").
 * Returns the rebuilt epoch.
 * @throws DataGenSdkError naming the first mismatch.
 */
export function verifyProofsFile(file: ProofsFile, target: ProofsTarget, what = "the proofs file"): BuiltEpoch {
  const checked = validateProofsFile(file, what);
  if (BigInt(checked.chainId) !== target.chainId) {
    throw new DataGenSdkError(`${what} is for chain ${checked.chainId}, not this network's chain ${target.chainId}`);
  }
  if (getAddress(checked.distributor) !== getAddress(target.distributor)) {
    throw new DataGenSdkError(
      `${what} is for the distributor ${getAddress(checked.distributor)}, not this deployment's ComputeRewards ${getAddress(target.distributor)}`,
    );
  }
  if (BigInt(checked.epoch) !== target.epoch) {
    throw new DataGenSdkError(`${what} is for epoch ${checked.epoch}, not ${target.epoch}`);
  }
  const edited = "it was changed after it was built; build it again from the compute report";
  let rebuilt: BuiltEpoch;
  try {
    rebuilt = buildEpoch({
      ...target,
      entries: Object.entries(checked.proofs).map(([validator, leaf]) => ({
        validator,
        compute: BigInt(leaf.compute),
      })),
    });
  } catch (error) {
    throw new DataGenSdkError(`${what} cannot be rebuilt (${(error as Error).message.replace(/^buildEpoch: /, "")})`);
  }
  if (checked.root.toLowerCase() !== rebuilt.root) {
    throw new DataGenSdkError(
      `${what}'s root ${checked.root} is not the root of its leaves (${rebuilt.root}): ${edited}`,
    );
  }
  if (BigInt(checked.totalCompute) !== rebuilt.totalCompute) {
    throw new DataGenSdkError(
      `${what}'s total compute ${checked.totalCompute} is not the sum of its leaves (${rebuilt.totalCompute}): ${edited}`,
    );
  }
  for (const [validator, leaf] of Object.entries(checked.proofs)) {
    const expected = rebuilt.proofs[getAddress(validator)].proof;
    if (leaf.proof.length !== expected.length || leaf.proof.some((h, i) => h.toLowerCase() !== expected[i])) {
      throw new DataGenSdkError(`${what}'s proof for ${getAddress(validator)} does not match its leaf: ${edited}`);
    }
  }
  return rebuilt;
}

/** Reads a JSON file; a missing file or malformed JSON is a one-line {@link DataGenSdkError}. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new DataGenSdkError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataGenSdkError(`${file}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
}

/** Reads and checks a proofs file. */
export function readProofsFile(file: string): ProofsFile {
  return validateProofsFile(readJsonFile(file), file);
}

/** Writes a proofs file (pretty JSON). */
export function writeProofsFile(file: string, proofs: ProofsFile): void {
  fs.writeFileSync(file, `${JSON.stringify(proofs, null, 2)}\n`);
}
