/**
 * What the network's oracle does: build an epoch from a compute report and post its root. The
 * cross-check (receipts, opening, commit-reveal) is in ./crosscheck.
 */
import type { ContractTransactionReceipt, Signer } from "ethers";
import { buildEpoch, type BuiltEpoch, type ComputeEntry } from "./epoch";
import type { Suite } from "./deployments";
import { DataGenSdkError } from "./errors";
import { toProofsFile, type ProofsFile } from "./proofs";
import { send } from "./validator";

/** The oracle's client (ORACLE_ROLE of ComputeRewards). */
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

  /** Posts the root and total compute of an epoch (from a built epoch or its proofs file). */
  postEpoch(
    epoch: bigint,
    built: Pick<BuiltEpoch, "root" | "totalCompute"> | ProofsFile,
  ): Promise<ContractTransactionReceipt> {
    const root = built.root;
    const total = BigInt(built.totalCompute);
    if ("epoch" in built && BigInt(built.epoch) !== epoch) {
      throw new DataGenSdkError(`the proofs file is for epoch ${built.epoch}, not ${epoch}`);
    }
    return send(this.suite.rewards.connect(this.signer).postRoot, epoch, root, total);
  }
}
