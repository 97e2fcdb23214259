/**
 * The whole suite deployed on the connected Hardhat network through the production Ignition module
 * (deploy/modules/CrossCheck.ts: Core + Suite + CrossCheck), with typed contracts. `npm start`,
 * `npm run bench` and the test fixtures deploy through it; `dg:deploy` drives the same module on
 * real networks.
 */
import { ignition } from "hardhat";
import CrossCheckModule from "../../deploy/modules/CrossCheck";
import type {
  ComputeRewards,
  CrossCheck,
  DataGen,
  InflationVote,
  MiningReservation,
  ValidatorStaking,
} from "../../typechain-types";
import type { SuiteAddresses, SuiteContracts } from "../../sdk/deployments";

/** Ignition parameters of the three modules (see deploy/parameters/*.json for every name). */
export interface SuiteParameters {
  Core: { releaseStart: bigint; initialBurnBps: bigint; quorumBps: bigint; proposalDeposit?: bigint };
  Suite: Record<string, string | bigint>;
  CrossCheck: Record<string, string | bigint>;
}

/** The deployed suite's addresses under the names the SDK's deployment records use. */
export async function suiteAddresses(suite: SuiteContracts): Promise<SuiteAddresses> {
  return {
    DataGen: await suite.token.getAddress(),
    MiningReservation: await suite.reservation.getAddress(),
    InflationVote: await suite.inflationVote.getAddress(),
    ValidatorStaking: await suite.staking.getAddress(),
    ComputeRewards: await suite.rewards.getAddress(),
    CrossCheck: await suite.crossCheck.getAddress(),
  };
}

export async function deploySuite(parameters: SuiteParameters): Promise<SuiteContracts> {
  const deployed = await ignition.deploy(CrossCheckModule, { parameters: { ...parameters } });
  return {
    token: deployed.token as unknown as DataGen,
    reservation: deployed.reservation as unknown as MiningReservation,
    inflationVote: deployed.inflationVote as unknown as InflationVote,
    staking: deployed.staking as unknown as ValidatorStaking,
    rewards: deployed.computeRewards as unknown as ComputeRewards,
    crossCheck: deployed.crossCheck as unknown as CrossCheck,
  };
}
