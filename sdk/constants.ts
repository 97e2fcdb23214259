/**
 * What the SDK and the web app (`app/`) both need about the suite, with no imports, so a browser bundle
 * takes it without ethers: the names of the suite's six contracts and the EIP-2612 permit's typed data.
 */

/** The suite's six contracts, by the names deployment records use. */
export const SUITE_CONTRACT_NAMES = [
  "DataGen",
  "MiningReservation",
  "InflationVote",
  "ValidatorStaking",
  "ComputeRewards",
  "CrossCheck",
] as const;

/** The name of one of the suite's six contracts. */
export type SuiteContractName = (typeof SUITE_CONTRACT_NAMES)[number];

/** The EIP-712 types of an EIP-2612 permit (DG's `permit`, domain `(name(), "1", chainId, token)`). */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
