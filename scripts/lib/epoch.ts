/**
 * The epoch builder lives in the SDK (`sdk/epoch.ts`: the SDK imports nothing from scripts/ or
 * tasks/); re-exported here for the scripts and tests that import it from scripts/lib.
 */
export * from "../../sdk/epoch";
