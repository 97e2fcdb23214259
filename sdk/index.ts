/**
 * The Datagen SDK: typed clients over the suite's contracts (typechain + ethers v6). Amounts are bigint
 * DG wei; addresses come from the deployment records by chain id; contract errors come back as
 * {@link DataGenError}s with plain-words messages. Nothing is sent until every check that can be made
 * before sending has passed: a single transaction is estimated first, and a call that needs an approve
 * is checked with chain reads before it (a refusal is then the contract's own error, see
 * {@link contractError}); the SDK's own refusals are {@link DataGenSdkError}s.
 */
export * from "./constants";
export * from "./deployments";
export * from "./errors";
export * from "./proofs";
export * from "./validator";
export * from "./holder";
export * from "./oracle";
export * from "./crosscheck";
export * from "./schedule";
export { buildEpoch, type ComputeEntry, type BuiltEpoch } from "./epoch";
