import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroHash, id } from "ethers";
import CrossCheckModule from "./CrossCheck";
import { SUITE_DEFAULTS } from "./Suite";

/** One day, in seconds. */
const DAY = 86_400n;

/** Defaults of the `Mainnet.*` parameters (see the module's comment). */
export const MAINNET_DEFAULTS = {
  /** The escrow's `ruleChangeDelay` with the default cooldown: 7 days + 2 days. */
  timelockDelay: SUITE_DEFAULTS.cooldown + 2n * DAY,
} as const;

/** `keccak256("PROPOSER_ROLE")`, as in OpenZeppelin's TimelockController. */
export const PROPOSER_ROLE = id("PROPOSER_ROLE");
/** `keccak256("EXECUTOR_ROLE")`, as in OpenZeppelin's TimelockController. */
export const EXECUTOR_ROLE = id("EXECUTOR_ROLE");
/** `keccak256("CANCELLER_ROLE")`, as in OpenZeppelin's TimelockController. */
export const CANCELLER_ROLE = id("CANCELLER_ROLE");
/** Salt of the one operation the deployer runs through the timelock (the handover). */
export const HANDOVER_SALT = id("datagen.mainnet.handover");

/**
 * The whole suite (the `CrossCheck` module) with every admin and owner handed to an OpenZeppelin
 * `TimelockController` whose proposer, canceller and executor is the multisig the deployer names:
 * what `dg:deploy` deploys on BSC mainnet (chain 56). The deployer ends with no role anywhere.
 *
 * Steps, each a transaction of the deployer:
 * 1. the suite, wired, by the `CrossCheck` module (the deployer is admin and owner while it wires);
 * 2. `TimelockController(0, [deployer], [deployer], address(0))`: minimum delay 0 for now, the
 *    deployer its only proposer/executor/canceller, no extra admin (the timelock administers itself);
 * 3. after the whole suite is wired: `beginDefaultAdminTransfer(timelock)` on ValidatorStaking,
 *    ComputeRewards and CrossCheck, `transferOwnership(timelock)` on DataGen and MiningReservation;
 * 4. `scheduleBatch` (delay 0) of one operation, then `executeBatch` of it, in a later block. The
 *    timelock calls, atomically: the three `acceptDefaultAdminTransfer()` and the two
 *    `acceptOwnership()`; `updateDelay(timelockDelay)`; `grantRole` PROPOSER, CANCELLER and
 *    EXECUTOR to the multisig; `revokeRole` of the deployer's PROPOSER, CANCELLER and EXECUTOR.
 *
 * Why the contracts' `adminDelay` must be 0 here (`dg:deploy` refuses otherwise): an admin transfer
 * can be accepted only once `block.timestamp` is past `begin + defaultAdminDelay()`; with 0 the
 * acceptance works from the next second on, so the handover ends inside the deployment instead of
 * leaving the deployer admin for days. Nothing is lost: once the timelock is the admin, every admin
 * action, a new admin transfer included, is a timelock operation that waits `timelockDelay`, longer
 * than the escrow's cooldown, so a validator sees it announced and can leave before it applies.
 * The execution comes at least two blocks after the transfers began (schedule, then execute, each
 * after the previous batch's confirmations), so its timestamp is past theirs.
 *
 * Parameters (`Mainnet.*`):
 * - `multisig` (address, required): the Safe that proposes, cancels and executes timelock operations;
 * - `timelockDelay` (seconds, default 9 days = the default cooldown + 2 days, the escrow's
 *   `ruleChangeDelay`): the timelock's minimum delay; must be above `Suite.cooldown`.
 * The oracle, guardian and coordinator are `Suite.oracle`, `Suite.guardian`, `CrossCheck.coordinator`.
 */
export default buildModule("Mainnet", (m) => {
  const suite = m.useModule(CrossCheckModule);
  const deployer = m.getAccount(0);
  const multisig = m.getParameter<string>("multisig");
  const timelockDelay = m.getParameter<bigint>("timelockDelay", MAINNET_DEFAULTS.timelockDelay);

  const timelock = m.contract("TimelockController", [0n, [deployer], [deployer], "0x" + "00".repeat(20)]);

  // 3. Begin every handover once the suite is wired (the deployer sends the wiring as admin/owner).
  const wired = { after: [CrossCheckModule] };
  const begins = [
    m.call(suite.staking, "beginDefaultAdminTransfer", [timelock], { ...wired, id: "beginStakingAdmin" }),
    m.call(suite.computeRewards, "beginDefaultAdminTransfer", [timelock], { ...wired, id: "beginRewardsAdmin" }),
    m.call(suite.crossCheck, "beginDefaultAdminTransfer", [timelock], { ...wired, id: "beginCrossCheckAdmin" }),
    m.call(suite.token, "transferOwnership", [timelock], { ...wired, id: "beginTokenOwner" }),
    m.call(suite.reservation, "transferOwnership", [timelock], { ...wired, id: "beginReservationOwner" }),
  ];

  // 4. One timelock operation: accept everything, set the delay, hand the roles to the multisig.
  const operation: [unknown, ReturnType<typeof m.encodeFunctionCall>][] = [
    [suite.staking, m.encodeFunctionCall(suite.staking, "acceptDefaultAdminTransfer", [], { id: "acceptStaking" })],
    [
      suite.computeRewards,
      m.encodeFunctionCall(suite.computeRewards, "acceptDefaultAdminTransfer", [], { id: "acceptRewards" }),
    ],
    [
      suite.crossCheck,
      m.encodeFunctionCall(suite.crossCheck, "acceptDefaultAdminTransfer", [], { id: "acceptCrossCheck" }),
    ],
    [suite.token, m.encodeFunctionCall(suite.token, "acceptOwnership", [], { id: "acceptToken" })],
    [suite.reservation, m.encodeFunctionCall(suite.reservation, "acceptOwnership", [], { id: "acceptReservation" })],
    [timelock, m.encodeFunctionCall(timelock, "updateDelay", [timelockDelay], { id: "updateDelay" })],
    [timelock, m.encodeFunctionCall(timelock, "grantRole", [PROPOSER_ROLE, multisig], { id: "grantProposer" })],
    [timelock, m.encodeFunctionCall(timelock, "grantRole", [CANCELLER_ROLE, multisig], { id: "grantCanceller" })],
    [timelock, m.encodeFunctionCall(timelock, "grantRole", [EXECUTOR_ROLE, multisig], { id: "grantExecutor" })],
    [timelock, m.encodeFunctionCall(timelock, "revokeRole", [PROPOSER_ROLE, deployer], { id: "revokeProposer" })],
    [timelock, m.encodeFunctionCall(timelock, "revokeRole", [CANCELLER_ROLE, deployer], { id: "revokeCanceller" })],
    [timelock, m.encodeFunctionCall(timelock, "revokeRole", [EXECUTOR_ROLE, deployer], { id: "revokeExecutor" })],
  ];
  const targets = operation.map(([target]) => target) as never[];
  const values = operation.map(() => 0n);
  const payloads = operation.map(([, payload]) => payload);

  const schedule = m.call(timelock, "scheduleBatch", [targets, values, payloads, ZeroHash, HANDOVER_SALT, 0n], {
    id: "scheduleHandover",
    after: begins,
  });
  m.call(timelock, "executeBatch", [targets, values, payloads, ZeroHash, HANDOVER_SALT], {
    id: "executeHandover",
    after: [schedule],
  });

  return { ...suite, timelock };
});
