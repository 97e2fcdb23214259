import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";
import SuiteModule, { SUITE_DEFAULTS } from "./Suite";

/** One hour, in seconds. */
const HOUR = 3_600n;

/** Defaults of the `CrossCheck.*` parameters (see the module's comment). */
export const CROSS_CHECK_DEFAULTS = {
  commitWindow: 24n * HOUR,
  revealWindow: 12n * HOUR,
  maxReceiptAge: 72n * HOUR,
  slashBps: 1_000n,
  adminDelay: SUITE_DEFAULTS.adminDelay,
} as const;

/** `keccak256("COORDINATOR_ROLE")`, as in CrossCheck. */
export const COORDINATOR_ROLE = id("COORDINATOR_ROLE");

/**
 * The whole suite: Core + Suite + the CrossCheck contract, which becomes the escrow's slasher (set
 * once at wiring: `setSlasher`; any later change waits the escrow's `ruleChangeDelay`, longer than
 * the cooldown) and gives COORDINATOR_ROLE to the coordinator.
 *
 * Parameters (`CrossCheck.*`, defaults in {@link CROSS_CHECK_DEFAULTS}):
 * - `commitWindow` (seconds, default 24 hours): from the draw to the end of commits — the checkers
 *   recompute the task in this time;
 * - `revealWindow` (seconds, default 12 hours): from the end of commits to the end of reveals;
 * - `maxReceiptAge` (seconds, default 72 hours): the longest a delivery receipt may wait for its check.
 *   The escrow's cooldown must exceed `maxReceiptAge + 2 × (commitWindow + revealWindow)` (the
 *   contract refuses otherwise): 72 h + 2 × 36 h = 6 days < the default 7-day cooldown, so a
 *   validator that asks to leave right after a delivery can still be checked and slashed;
 * - `slashBps` (default 1,000 = 10%): share of the stake a validator had when it entered the check
 *   that one proven fault slashes;
 * - `adminDelay` (seconds, default 3 days): delay of a default-admin transfer;
 * - `coordinator` (account, default the deployer): receives COORDINATOR_ROLE.
 */
export default buildModule("CrossCheck", (m) => {
  const suite = m.useModule(SuiteModule);
  const deployer = m.getAccount(0);

  const commitWindow = m.getParameter<bigint>("commitWindow", CROSS_CHECK_DEFAULTS.commitWindow);
  const revealWindow = m.getParameter<bigint>("revealWindow", CROSS_CHECK_DEFAULTS.revealWindow);
  const maxReceiptAge = m.getParameter<bigint>("maxReceiptAge", CROSS_CHECK_DEFAULTS.maxReceiptAge);
  const slashBps = m.getParameter<bigint>("slashBps", CROSS_CHECK_DEFAULTS.slashBps);
  const adminDelay = m.getParameter<bigint>("adminDelay", CROSS_CHECK_DEFAULTS.adminDelay);
  const coordinator = m.getParameter("coordinator", deployer);

  const crossCheck = m.contract("CrossCheck", [
    suite.staking,
    commitWindow,
    revealWindow,
    maxReceiptAge,
    slashBps,
    deployer,
    adminDelay,
  ]);
  m.call(suite.staking, "setSlasher", [crossCheck], { id: "setSlasher" });
  m.call(crossCheck, "grantRole", [COORDINATOR_ROLE, coordinator], { id: "grantCoordinator" });

  return { ...suite, crossCheck };
});
