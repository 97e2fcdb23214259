/**
 * Builds one epoch of the ComputeRewards distributor (SPEC 4): the StandardMerkleTree of
 * `(chainId, distributor, epoch, validator, compute)` leaves, its root, the total compute and each
 * validator's proof. The contract verifies exactly this leaf:
 * `keccak256(bytes.concat(keccak256(abi.encode(chainId, distributor, epoch, validator, compute))))`.
 *
 * Input is checked before anything is hashed; every refusal is an `Error` with a one-line message
 * naming the offending entry.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, ZeroAddress, getAddress, keccak256 } from "ethers";

/** ABI types of a leaf, in order. */
export const EPOCH_LEAF_ENCODING: string[] = ["uint256", "address", "uint256", "address", "uint256"];

/** The largest total compute the contract stores (`MAX_TOTAL_COMPUTE`, 120 bits). */
export const MAX_TOTAL_COMPUTE = 2n ** 120n - 1n;

const MAX_UINT256 = 2n ** 256n - 1n;
const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;

/** One leaf: `[chainId, distributor, epoch, validator, compute]` (addresses checksummed). */
export type EpochLeaf = [chainId: bigint, distributor: string, epoch: bigint, validator: string, compute: bigint];

/** What the oracle reports for one validator. */
export interface ComputeEntry {
  validator: string;
  compute: bigint;
}

export interface EpochInput {
  /** The chain the distributor lives on (56 BSC, 97 BSC testnet, 31337 hardhat). */
  chainId: bigint;
  /** The ComputeRewards contract address. */
  distributor: string;
  /** The epoch id. */
  epoch: bigint;
  /** One entry per validator, in any order. */
  entries: ComputeEntry[];
}

/** A validator's leaf and proof, as `claim` takes them. */
export interface EpochProof {
  compute: bigint;
  proof: string[];
}

export interface BuiltEpoch {
  /** The root to post with `postRoot(epoch, root, totalCompute)`. */
  root: string;
  /** The sum of every entry's compute. */
  totalCompute: bigint;
  /** Keyed by checksummed validator address. */
  proofs: Record<string, EpochProof>;
  tree: StandardMerkleTree<EpochLeaf>;
}

/** A tree dump that survives `JSON.stringify`: every number is a decimal string. */
export interface EpochTreeDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: { value: [string, string, string, string, string]; treeIndex: number }[];
}

/** Checksums `address`, refusing anything but 0x + 40 hex digits (with a valid checksum if mixed-case). */
function checkedAddress(address: unknown, what: string): string {
  if (typeof address !== "string" || !ADDRESS_PATTERN.test(address)) {
    throw new Error(`${what}: malformed address ${String(address)}`);
  }
  let checksummed: string;
  try {
    checksummed = getAddress(address);
  } catch {
    throw new Error(`${what}: bad address checksum ${address}`);
  }
  if (checksummed === ZeroAddress) throw new Error(`${what}: zero address`);
  return checksummed;
}

/**
 * Builds the epoch's tree.
 * @throws Error on an empty list, a malformed or zero address, a duplicate validator (compared
 * case-insensitively), a compute that is not a positive bigint, or a total above MAX_TOTAL_COMPUTE.
 */
export function buildEpoch(input: EpochInput): BuiltEpoch {
  const { chainId, epoch, entries } = input;
  if (typeof chainId !== "bigint" || chainId <= 0n)
    throw new Error(`buildEpoch: chainId must be a positive bigint, got ${String(chainId)}`);
  if (typeof epoch !== "bigint" || epoch < 0n || epoch > MAX_UINT256) {
    throw new Error(`buildEpoch: epoch must be a uint256 bigint, got ${String(epoch)}`);
  }
  const distributor = checkedAddress(input.distributor, "buildEpoch: distributor");
  if (!Array.isArray(entries) || entries.length === 0) throw new Error("buildEpoch: empty entry list");

  const seen = new Map<string, number>();
  const leaves: EpochLeaf[] = [];
  let totalCompute = 0n;
  entries.forEach((entry, index) => {
    const where = `buildEpoch: entry ${index} (${String(entry?.validator)})`;
    const validator = checkedAddress(entry?.validator, where);
    const compute: unknown = entry.compute;
    if (typeof compute !== "bigint") throw new Error(`${where}: compute must be a bigint, got ${String(compute)}`);
    if (compute <= 0n) throw new Error(`${where}: compute must be positive, got ${compute}`);
    const first = seen.get(validator);
    if (first !== undefined) throw new Error(`${where}: duplicate of entry ${first}`);
    seen.set(validator, index);
    totalCompute += compute;
    if (totalCompute > MAX_TOTAL_COMPUTE) {
      throw new Error(`${where}: total compute exceeds ${MAX_TOTAL_COMPUTE}`);
    }
    leaves.push([chainId, distributor, epoch, validator, compute]);
  });

  const tree = StandardMerkleTree.of<EpochLeaf>(leaves, EPOCH_LEAF_ENCODING);
  // Proofs read straight from the node array: `tree.getProof` would re-hash each leaf once more,
  // which doubles the time for 100,000 validators. The tree was just built from these leaves.
  const { tree: nodes, values } = tree.dump();
  const proofs: Record<string, EpochProof> = {};
  for (const { value, treeIndex } of values) {
    const proof: string[] = [];
    for (let i = treeIndex; i > 0; i = (i - 1) >> 1) proof.push(nodes[i % 2 === 1 ? i + 1 : i - 1]);
    proofs[value[3]] = { compute: value[4], proof };
  }
  return { root: tree.root, totalCompute, proofs, tree };
}

/** The leaf hash the contract computes for `(chainId, distributor, epoch, validator, compute)`. */
export function epochLeafHash(leaf: EpochLeaf): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(EPOCH_LEAF_ENCODING, leaf)));
}

/** The tree as JSON-safe data (bigints as decimal strings), to save next to the posted root. */
export function dumpEpochTree(tree: StandardMerkleTree<EpochLeaf>): EpochTreeDump {
  const data = tree.dump();
  return {
    format: "standard-v1",
    leafEncoding: [...data.leafEncoding],
    tree: [...data.tree],
    values: data.values.map(({ value, treeIndex }) => ({
      value: [value[0].toString(), value[1], value[2].toString(), value[3], value[4].toString()],
      treeIndex,
    })),
  };
}

/**
 * Loads a saved tree; the library re-hashes every leaf and node, so a tampered dump is refused.
 * @throws Error if the dump is not an epoch tree or does not verify.
 */
export function loadEpochTree(dump: EpochTreeDump): StandardMerkleTree<EpochLeaf> {
  if (dump.format !== "standard-v1" || dump.leafEncoding.join(",") !== EPOCH_LEAF_ENCODING.join(",")) {
    throw new Error(
      `loadEpochTree: not an epoch tree (format ${dump.format}, encoding ${dump.leafEncoding.join(",")})`,
    );
  }
  return StandardMerkleTree.load<EpochLeaf>({
    format: "standard-v1",
    leafEncoding: [...dump.leafEncoding],
    tree: [...dump.tree],
    values: dump.values.map(({ value, treeIndex }) => ({
      value: [BigInt(value[0]), getAddress(value[1]), BigInt(value[2]), getAddress(value[3]), BigInt(value[4])],
      treeIndex,
    })),
  });
}
