/**
 * What the network's oracle and guardian do in ComputeRewards: build an epoch from a compute report,
 * post its root (ORACLE_ROLE), revoke a wrong root within its challenge window (GUARDIAN_ROLE). The
 * cross-check (receipts, opening, commit-reveal) is in ./crosscheck.
 *
 * Nothing is sent until every check has passed: the epoch itself (its chain, its distributor, its
 * root and total rebuilt from its leaves), then, with chain reads and in the contract's order,
 * everything ComputeRewards would check; a contract check that fails throws the contract's own error.
 */
import { ZeroHash, type ContractTransactionReceipt, type Signer } from "ethers";
import { buildEpoch, type BuiltEpoch, type ComputeEntry } from "./epoch";
import type { Suite } from "./deployments";
import { DataGenSdkError, contractError } from "./errors";
import { toProofsFile, verifyProofsFile, type ProofsFile } from "./proofs";
import { earliestMiningTime, eventArgs, requireUint, send } from "./tx";

/** The oracle's client (ORACLE_ROLE of ComputeRewards); the guardian (GUARDIAN_ROLE) revokes with it. */
export class OracleClient {
  constructor(
    readonly suite: Suite,
    readonly signer: Signer,
  ) {}

  /** Builds epoch `epoch` of this deployment from `(validator, compute)` entries; no transaction. */
  async buildEpoch(epoch: bigint, entries: ComputeEntry[]): Promise<{ built: BuiltEpoch; proofs: ProofsFile }> {
    const { chainId } = await this.signer.provider!.getNetwork();
    const distributor = await this.suite.rewards.getAddress();
    const built = buildEpoch({ chainId, distributor, epoch, entries });
    return { built, proofs: toProofsFile(built, { chainId, distributor, epoch }) };
  }

  /**
   * Posts the root and total compute of epoch `epoch`, from its proofs file or its built epoch.
   * Refused before sending:
   * - ({@link DataGenSdkError}) an epoch built for another chain, another ComputeRewards contract or
   *   another epoch; a root, total compute or proof that is not that of its own leaves (the tree is
   *   rebuilt: a hand-edited file is refused);
   * - (the contract's errors, in its order) a signer without ORACLE_ROLE; an epoch that has not ended
   *   by the time the transaction can be mined; an epoch at or below one already posted; a previous
   *   root still in its challenge window; a reservation that does not pay this distributor;
   * - ({@link DataGenSdkError}) an epoch after the contract's `nextEpoch`, unless
   *   `options.skipEarlier`: posting it moves `nextEpoch` past the epochs in between, which can then
   *   never be posted (their emission is not paid to their validators; it flows into later pools).
   *   The contract allows it for epochs without compute; skip them only deliberately.
   */
  async postEpoch(
    epoch: bigint,
    built: BuiltEpoch | ProofsFile,
    options: { skipEarlier?: boolean } = {},
  ): Promise<ContractTransactionReceipt> {
    requireUint(epoch, "the epoch");
    const rewards = this.suite.rewards;
    const { chainId } = await this.signer.provider!.getNetwork();
    const distributor = await rewards.getAddress();
    let file: ProofsFile;
    if ("format" in built) file = built;
    else {
      // A built epoch carries its chain, distributor and epoch in its leaves.
      const [leafChain, leafDistributor, leafEpoch] = built.tree.at(0)!;
      file = toProofsFile(built, { chainId: leafChain, distributor: leafDistributor, epoch: leafEpoch });
    }
    verifyProofsFile(file, { chainId, distributor, epoch }, "format" in built ? "the proofs file" : "the built epoch");
    // postRoot's checks of the root and total (zero, above MAX_TOTAL_COMPUTE) cannot fail here: the
    // tree was rebuilt, and buildEpoch refuses an empty list, a zero compute and a total too large.
    await this.requireRole(await rewards.ORACLE_ROLE());
    const minedAt = await earliestMiningTime(this.signer, 1);
    const genesis = await rewards.genesis();
    const ended = minedAt < genesis ? 0n : (minedAt - genesis) / (await rewards.epochDuration());
    if (epoch >= ended) throw contractError("ComputeRewardsEpochNotEnded", [epoch, ended]);
    const next = await rewards.nextEpoch();
    if (epoch < next) throw contractError("ComputeRewardsEpochNotIncreasing", [epoch, next]);
    if (epoch > next && !options.skipEarlier) {
      const skipped = epoch - 1n === next ? `epoch ${next}` : `epochs ${next}-${epoch - 1n}`;
      throw new DataGenSdkError(
        `epoch ${next} is the next epoch to post, not ${epoch}: posting ${epoch} skips ${skipped} for good (never postable again, their emission goes to later pools, not to their validators); post ${next} first, or skip deliberately (skipEarlier: true, --skip-earlier)`,
      );
    }
    const pendingUntil = await this.pendingUntil(next);
    if (minedAt < pendingUntil) throw contractError("ComputeRewardsPendingRoot", [next - 1n, pendingUntil]);
    const beneficiary = await this.suite.reservation.beneficiary();
    if (beneficiary !== distributor) throw contractError("ComputeRewardsNotBeneficiary", [beneficiary]);
    return send(rewards.connect(this.signer).postRoot, epoch, file.root, BigInt(file.totalCompute));
  }

  /**
   * The guardian revokes the root of `epoch` before it activates (its pool returns to the carry and
   * the epoch can be posted again). Refused before sending, with the contract's errors: a signer
   * without GUARDIAN_ROLE, an epoch with no root posted, a root active by the time the transaction can
   * be mined (final). Returns the revoked root and pool (DG wei).
   */
  async revokeEpoch(epoch: bigint): Promise<{ root: string; pool: bigint; receipt: ContractTransactionReceipt }> {
    requireUint(epoch, "the epoch");
    const rewards = this.suite.rewards;
    await this.requireRole(await rewards.GUARDIAN_ROLE());
    const data = await rewards.getEpoch(epoch);
    if (data.root === ZeroHash) throw contractError("ComputeRewardsUnknownEpoch", [epoch]);
    const activation = data.postedAt + (await rewards.challengeWindow());
    if ((await earliestMiningTime(this.signer, 1)) >= activation) {
      throw contractError("ComputeRewardsAlreadyActive", [epoch, activation]);
    }
    const receipt = await send(rewards.connect(this.signer).revokeRoot, epoch);
    const event = eventArgs(receipt, rewards, "RootRevoked");
    return { root: event.root as string, pool: event.poolCarried as bigint, receipt };
  }

  /** The contract's `onlyRole(role)`: AccessControlUnauthorizedAccount (naming the role) unless the signer holds it. */
  private async requireRole(role: string): Promise<void> {
    const account = await this.signer.getAddress();
    if (!(await this.suite.rewards.hasRole(role, account))) {
      throw contractError("AccessControlUnauthorizedAccount", [account, role]);
    }
  }

  /**
   * The contract's private `_pendingUntil` (no getter): the activation time of the latest posted root,
   * epoch `nextEpoch - 1`. After a revocation (`_pendingUntil = 0`) `nextEpoch - 1` is an epoch posted
   * before the revoked one, hence already active, or none: either way nothing is pending, as here.
   */
  private async pendingUntil(next: bigint): Promise<bigint> {
    if (next === 0n) return 0n;
    const last = await this.suite.rewards.getEpoch(next - 1n);
    return last.root === ZeroHash ? 0n : last.postedAt + (await this.suite.rewards.challengeWindow());
  }
}
