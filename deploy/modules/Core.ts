import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** Mainnet start of the release schedule: 2024-04-01 00:00 CEST. */
export const MAINNET_RELEASE_START = 1_711_922_400n;
/** 15,000,000 DG: the mining reserve, moved from the treasury into the reservation. */
export const RESERVE = 15_000_000n * 10n ** 18n;
/** Default proposal deposit of the inflation-cut vote: 1,000 DG. */
export const PROPOSAL_DEPOSIT = 1_000n * 10n ** 18n;

/**
 * The core of the suite: the DG token, the halving release and the inflation-cut vote, wired.
 *
 * Parameters (`Core.*`):
 * - `releaseStart` (unix seconds): day 0 of the schedule;
 * - `initialBurnBps`: burn rate until a vote changes it;
 * - `quorumBps`: the vote's quorum as a share of the supply when a vote opens;
 * - `proposalDeposit` (DG wei, default 1,000 DG): what each proposal costs its proposer until the
 *   vote reaches the quorum's participation (burned if it does not).
 *
 * The reservation's beneficiary is set by the module that deploys the distributor (it must exist
 * first); until then `release()` reverts with `MiningReservationNotReady`.
 * The deployer account is the token's treasury and owner, and funds the reservation from it.
 */
export default buildModule("Core", (m) => {
  const deployer = m.getAccount(0);
  const releaseStart = m.getParameter<bigint>("releaseStart", MAINNET_RELEASE_START);
  const initialBurnBps = m.getParameter<bigint>("initialBurnBps", 0n);
  const quorumBps = m.getParameter<bigint>("quorumBps", 100n);
  const proposalDeposit = m.getParameter<bigint>("proposalDeposit", PROPOSAL_DEPOSIT);

  const token = m.contract("DataGen", [deployer, deployer]);
  const reservation = m.contract("MiningReservation", [token, releaseStart, initialBurnBps, deployer]);
  const inflationVote = m.contract("InflationVote", [token, reservation, quorumBps, proposalDeposit]);

  m.call(reservation, "setInflationVote", [inflationVote]);
  const approve = m.call(token, "approve", [reservation, RESERVE], { id: "approveReserve" });
  m.call(reservation, "fund", [], { after: [approve] });

  return { token, reservation, inflationVote };
});
