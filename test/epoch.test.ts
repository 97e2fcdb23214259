import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, ZeroAddress, keccak256 } from "ethers";
import {
  EPOCH_LEAF_ENCODING,
  MAX_TOTAL_COMPUTE,
  buildEpoch,
  dumpEpochTree,
  epochLeafHash,
  loadEpochTree,
  type ComputeEntry,
  type EpochInput,
} from "../scripts/lib/epoch";

const CHAIN_ID = 31_337n;
const DISTRIBUTOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const C = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

function input(entries: ComputeEntry[], overrides: Partial<EpochInput> = {}): EpochInput {
  return { chainId: CHAIN_ID, distributor: DISTRIBUTOR, epoch: 7n, entries, ...overrides };
}

/** A one-line message naming the entry. */
function expectRefused(build: () => unknown, pattern: RegExp) {
  let message = "";
  try {
    build();
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message, "must throw").to.match(pattern);
  expect(message).to.not.include("\n");
}

describe("epoch builder (scripts/lib/epoch.ts)", function () {
  describe("buildEpoch: a valid report", function () {
    const entries = [
      { validator: A, compute: 50n },
      { validator: B.toLowerCase(), compute: 30n },
      { validator: C, compute: 20n },
    ];

    it("returns the total compute and one proof per checksummed validator", function () {
      const built = buildEpoch(input(entries));
      expect(built.totalCompute).to.equal(100n);
      expect(Object.keys(built.proofs).sort()).to.deep.equal([A, B, C].sort());
      expect(built.proofs[B].compute).to.equal(30n);
      expect(built.root).to.equal(built.tree.root);
    });

    it("every proof verifies against the root with StandardMerkleTree.verify", function () {
      const built = buildEpoch(input(entries));
      for (const [validator, { compute, proof }] of Object.entries(built.proofs)) {
        const leaf = [CHAIN_ID, DISTRIBUTOR, 7n, validator, compute];
        expect(StandardMerkleTree.verify(built.root, EPOCH_LEAF_ENCODING, leaf, proof)).to.equal(true);
        // The proofs read from the node array equal the library's own.
        expect(proof).to.deep.equal(built.tree.getProof(leaf as never));
      }
    });

    it("a proof does not verify for another compute, epoch, chain or distributor", function () {
      const built = buildEpoch(input(entries));
      const { proof } = built.proofs[A];
      const wrong = [
        [CHAIN_ID, DISTRIBUTOR, 7n, A, 51n],
        [CHAIN_ID, DISTRIBUTOR, 8n, A, 50n],
        [56n, DISTRIBUTOR, 7n, A, 50n],
        [CHAIN_ID, B, 7n, A, 50n],
      ];
      for (const leaf of wrong)
        expect(StandardMerkleTree.verify(built.root, EPOCH_LEAF_ENCODING, leaf, proof)).to.equal(false);
    });

    it("the leaf hash is the contract's keccak256(bytes.concat(keccak256(abi.encode(...))))", function () {
      const leaf: [bigint, string, bigint, string, bigint] = [CHAIN_ID, DISTRIBUTOR, 7n, A, 50n];
      const encoded = AbiCoder.defaultAbiCoder().encode(["uint256", "address", "uint256", "address", "uint256"], leaf);
      expect(epochLeafHash(leaf)).to.equal(keccak256(keccak256(encoded)));
    });

    it("a single validator: the root is its leaf and the proof is empty", function () {
      const built = buildEpoch(input([{ validator: A, compute: 1n }]));
      expect(built.proofs[A].proof).to.deep.equal([]);
      expect(built.root).to.equal(epochLeafHash([CHAIN_ID, DISTRIBUTOR, 7n, A, 1n]));
    });

    it("the dump survives JSON and loads back to the same tree", function () {
      const built = buildEpoch(input(entries));
      const json = JSON.stringify(dumpEpochTree(built.tree));
      const loaded = loadEpochTree(JSON.parse(json));
      expect(loaded.root).to.equal(built.root);
      const leaf: [bigint, string, bigint, string, bigint] = [CHAIN_ID, DISTRIBUTOR, 7n, C, 20n];
      expect(loaded.getProof(leaf)).to.deep.equal(built.proofs[C].proof);
    });

    it("a tampered or foreign dump is refused", function () {
      const dump = dumpEpochTree(buildEpoch(input(entries)).tree);
      const tampered = {
        ...dump,
        values: dump.values.map((v, i) =>
          i === 0 ? { ...v, value: [v.value[0], v.value[1], v.value[2], v.value[3], "999"] as typeof v.value } : v,
        ),
      };
      expect(() => loadEpochTree(tampered)).to.throw();
      expect(() => loadEpochTree({ ...dump, leafEncoding: ["address", "uint256"] })).to.throw(/not an epoch tree/);
    });
  });

  describe("buildEpoch: a malformed report is refused with a one-line message", function () {
    it("an empty list", function () {
      expectRefused(() => buildEpoch(input([])), /^buildEpoch: empty entry list$/);
    });

    it("a duplicate validator, compared case-insensitively", function () {
      const entries = [
        { validator: A, compute: 1n },
        { validator: B, compute: 1n },
        { validator: A.toLowerCase(), compute: 2n },
      ];
      expectRefused(
        () => buildEpoch(input(entries)),
        new RegExp(`entry 2 \\(${A.toLowerCase()}\\): duplicate of entry 0`),
      );
    });

    it("zero compute", function () {
      expectRefused(
        () =>
          buildEpoch(
            input([
              { validator: A, compute: 1n },
              { validator: B, compute: 0n },
            ]),
          ),
        new RegExp(`entry 1 \\(${B}\\): compute must be positive, got 0`),
      );
    });

    it("negative compute", function () {
      expectRefused(
        () => buildEpoch(input([{ validator: A, compute: -5n }])),
        /entry 0 .*compute must be positive, got -5/,
      );
    });

    it("a compute that is not a bigint", function () {
      const entries = [{ validator: A, compute: 5 as unknown as bigint }];
      expectRefused(() => buildEpoch(input(entries)), /entry 0 .*compute must be a bigint, got 5/);
    });

    it("a malformed address (too short, not hex, not a string)", function () {
      expectRefused(
        () => buildEpoch(input([{ validator: "0x1234", compute: 1n }])),
        /entry 0 \(0x1234\): malformed address 0x1234/,
      );
      expectRefused(
        () =>
          buildEpoch(
            input([
              { validator: A, compute: 1n },
              { validator: "0xZZ" + A.slice(4), compute: 1n },
            ]),
          ),
        /entry 1 .*malformed address/,
      );
      expectRefused(
        () => buildEpoch(input([{ validator: 42 as unknown as string, compute: 1n }])),
        /entry 0 \(42\): malformed address/,
      );
    });

    it("an address with a wrong checksum", function () {
      const wrongCase = A.replace("C51812dc", "c51812dc"); // still mixed-case, one letter flipped
      expectRefused(() => buildEpoch(input([{ validator: wrongCase, compute: 1n }])), /entry 0 .*bad address checksum/);
    });

    it("the zero address", function () {
      expectRefused(() => buildEpoch(input([{ validator: ZeroAddress, compute: 1n }])), /entry 0 .*zero address/);
    });

    it("a bad distributor, chain id or epoch", function () {
      const entries = [{ validator: A, compute: 1n }];
      expectRefused(() => buildEpoch(input(entries, { distributor: ZeroAddress })), /distributor: zero address/);
      expectRefused(() => buildEpoch(input(entries, { distributor: "nope" })), /distributor: malformed address nope/);
      expectRefused(() => buildEpoch(input(entries, { chainId: 0n })), /chainId must be a positive bigint/);
      expectRefused(() => buildEpoch(input(entries, { epoch: -1n })), /epoch must be a uint256 bigint/);
    });

    it("a total compute above the contract's 120-bit bound", function () {
      const entries = [
        { validator: A, compute: MAX_TOTAL_COMPUTE },
        { validator: B, compute: 1n },
      ];
      expectRefused(() => buildEpoch(input(entries)), /entry 1 .*total compute exceeds/);
    });
  });
});
