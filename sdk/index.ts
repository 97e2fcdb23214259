/**
 * The Datagen SDK: typed clients over the suite's contracts (typechain + ethers v6). Amounts are bigint
 * DG wei; addresses come from the deployment records by chain id; contract errors come back as
 * {@link DataGenError}s with plain-words messages.
 */
export * from "./deployments";
export * from "./errors";
export * from "./proofs";
export * from "./validator";
export * from "./holder";
export * from "./oracle";
export * from "./crosscheck";
export * from "./schedule";
export { buildEpoch, type ComputeEntry, type BuiltEpoch } from "./epoch";
