/**
 * What the network's oracle and coordinator do: build an epoch from a compute report and post its
 * root, open cross-checks, and drive them (draw, finalize); plus what any party of a check does
 * (commit, reveal).
 */
import { hexlify, randomBytes, type ContractTransactionReceipt, type Signer } from "ethers";
import { buildEpoch, type BuiltEpoch, type ComputeEntry } from "../scripts/lib/epoch";
import type { Suite } from "./deployments";
import { DataGenSdkError } from "./errors";
import { toProofsFile, type ProofsFile } from "./proofs";
import { send } from "./validator";

/** CrossCheck verdicts, by enum value. */
export const VERDICTS = [
  "None",
  "Invalid",
  "Pass",
  "CheckerSlashed",
  "TieDecided",
  "PairedSlashed",
  "Inconclusive",
  "Cancelled",
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The oracle's client (ORACLE_ROLE of ComputeRewards, COORDINATOR_ROLE of CrossCheck). */
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

  /** Opens a cross-check of task `taskId` (32-byte hex) done by `paired` for `user`. */
  async openCheck(
    taskId: string,
    user: string,
    paired: string,
  ): Promise<{ checkId: bigint; receipt: ContractTransactionReceipt }> {
    const crossCheck = this.suite.crossCheck.connect(this.signer);
    const receipt = await send(crossCheck.open, taskId, user, paired);
    return { checkId: await crossCheck.checkOfTask(taskId, { blockTag: receipt.blockNumber }), receipt };
  }

  /** Draws the pending checkers of a check (anyone may; needs a block after the seed block). */
  draw(checkId: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.crossCheck.connect(this.signer).draw, checkId);
  }

  /** Finalizes a check after its reveal deadline (anyone may) and returns the verdict. */
  async finalize(checkId: bigint): Promise<{ verdict: Verdict; receipt: ContractTransactionReceipt }> {
    const receipt = await send(this.suite.crossCheck.connect(this.signer).finalize, checkId);
    const info = await this.suite.crossCheck.checkInfo(checkId, { blockTag: receipt.blockNumber });
    return { verdict: VERDICTS[Number(info.verdict)], receipt };
  }
}

/** A party of a check (the user, the paired validator, a checker): commit, then reveal. */
export class CheckParty {
  constructor(
    readonly suite: Suite,
    readonly signer: Signer,
  ) {}

  /** Commits `resultHash` with `salt` (a fresh random one by default): keep the salt to reveal. */
  async commitResult(checkId: bigint, resultHash: string, salt: string = hexlify(randomBytes(32))) {
    const party = await this.signer.getAddress();
    const commitment = await this.suite.crossCheck.commitmentOf(checkId, party, resultHash, salt);
    const receipt = await send(this.suite.crossCheck.connect(this.signer).commit, checkId, commitment);
    return { salt, commitment, receipt };
  }

  /** Reveals the committed `resultHash` and its `salt` (after the commit deadline). */
  revealResult(checkId: bigint, resultHash: string, salt: string): Promise<ContractTransactionReceipt> {
    return send(this.suite.crossCheck.connect(this.signer).reveal, checkId, resultHash, salt);
  }
}
