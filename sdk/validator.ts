/**
 * What a validator does: stake (with an EIP-2612 permit, in one transaction), top up, request an
 * unbond, withdraw, read its status, and claim many epochs at once from proofs files.
 */
import { getAddress, Signature, type ContractTransactionReceipt, type Signer } from "ethers";
import type { ContractMethodArgs, TypedContractMethod } from "../typechain-types/common";
import type { Suite } from "./deployments";
import { DataGenSdkError, withPlainErrors } from "./errors";
import { readProofsFile, type ProofsFile } from "./proofs";

export type ValidatorState = "None" | "Active" | "CoolingDown" | "Expelled";
/** Validator states, by the escrow's enum value. */
export const VALIDATOR_STATES: readonly ValidatorState[] = ["None", "Active", "CoolingDown", "Expelled"];

/** A validator's record, amounts in DG wei, times in unix seconds. */
export interface ValidatorStatus {
  address: string;
  status: ValidatorState;
  active: bigint;
  unbonding: bigint;
  unbondingEnd: bigint;
  faults: bigint;
  openExposures: bigint;
  /** Start of the current (or last) admission; 0 if never admitted. */
  admittedAt: bigint;
  /** When that admission ended (full unbond or expulsion); 0 while Active. */
  leftAt: bigint;
  /** When `withdraw` can succeed (cooldown over, no open check), or undefined with nothing to withdraw. */
  canWithdrawAt: bigint | undefined;
}

/** The escrow's slashing rules in force and the changes scheduled (they apply at `effectiveAt`). */
export interface EscrowRules {
  /** The slasher in force (the CrossCheck contract); zero before wiring. */
  slasher: string;
  /** Share of each slash paid to the honest checkers, in basis points (the rest is burned). */
  slashRewardBps: bigint;
  /** The most the reward share can ever be, in basis points. */
  maxSlashRewardBps: bigint;
  /** Unbonding cooldown, in seconds. */
  cooldown: bigint;
  /** Seconds between scheduling a rule change and its effect (longer than the cooldown). */
  ruleChangeDelay: bigint;
  pendingSlasher: { slasher: string; effectiveAt: bigint } | undefined;
  pendingSlashRewardBps: { bps: bigint; effectiveAt: bigint } | undefined;
}

/** The escrow's slasher, reward share and the pending changes, read in one go. */
export async function escrowRules(suite: Suite): Promise<EscrowRules> {
  const staking = suite.staking;
  const [pendingSlasher, pendingAt] = await staking.pendingSlasher();
  const [pendingBps, pendingBpsAt] = await staking.pendingSlashRewardBps();
  return {
    slasher: await staking.slasher(),
    slashRewardBps: await staking.slashRewardBps(),
    maxSlashRewardBps: await staking.MAX_SLASH_REWARD_BPS(),
    cooldown: await staking.cooldown(),
    ruleChangeDelay: await staking.ruleChangeDelay(),
    pendingSlasher: pendingAt === 0n ? undefined : { slasher: pendingSlasher, effectiveAt: pendingAt },
    pendingSlashRewardBps: pendingBpsAt === 0n ? undefined : { bps: pendingBps, effectiveAt: pendingBpsAt },
  };
}

/** The result of a multi-epoch claim. */
export interface ClaimResult {
  epochs: bigint[];
  paid: bigint;
  receipt: ContractTransactionReceipt;
}

/**
 * Sends `method(...args)` and waits for it to be mined. The call is estimated first, so a contract
 * error comes back (in plain words, as a {@link DataGenError}) before any transaction is sent.
 */
export function send<A extends Array<unknown>, R>(
  method: TypedContractMethod<A, R, "nonpayable">,
  ...args: ContractMethodArgs<A, "nonpayable">
): Promise<ContractTransactionReceipt> {
  return withPlainErrors(async () => {
    await method.estimateGas(...args);
    const receipt = await (await method.send(...args)).wait();
    if (!receipt) throw new DataGenSdkError("the transaction was dropped");
    return receipt;
  });
}

/** A validator's client: `signer` is the validator. */
export class ValidatorClient {
  constructor(
    readonly suite: Suite,
    readonly signer: Signer,
  ) {}

  /**
   * Stakes `amount` DG wei: admits a new validator (at least the minimum stake) or tops up an Active
   * one. By default signs an EIP-2612 permit and stakes in ONE transaction (`stakeWithPermit`);
   * `{ permit: false }` sends `approve` then `stake`.
   */
  async stake(
    amount: bigint,
    options: { permit?: boolean; deadline?: bigint } = {},
  ): Promise<ContractTransactionReceipt> {
    if (amount <= 0n) throw new DataGenSdkError("the amount must be more than 0 DG");
    const staking = this.suite.staking.connect(this.signer);
    const spender = await staking.getAddress();
    if (options.permit === false) {
      await send(this.suite.token.connect(this.signer).approve, spender, amount);
      return send(staking.stake, amount);
    }
    const owner = await this.signer.getAddress();
    const provider = this.signer.provider!;
    const deadline = options.deadline ?? BigInt((await provider.getBlock("latest"))!.timestamp) + 3_600n;
    const signature = Signature.from(
      await this.signer.signTypedData(
        {
          name: await this.suite.token.name(),
          version: "1",
          chainId: (await provider.getNetwork()).chainId,
          verifyingContract: await this.suite.token.getAddress(),
        },
        {
          Permit: [
            { name: "owner", type: "address" },
            { name: "spender", type: "address" },
            { name: "value", type: "uint256" },
            { name: "nonce", type: "uint256" },
            { name: "deadline", type: "uint256" },
          ],
        },
        { owner, spender, value: amount, nonce: await this.suite.token.nonces(owner), deadline },
      ),
    );
    return send(staking.stakeWithPermit, amount, deadline, signature.v, signature.r, signature.s);
  }

  /** Adds `amount` DG wei to an Active validator's stake (with a permit, one transaction). */
  topUp(amount: bigint, options: { permit?: boolean } = {}): Promise<ContractTransactionReceipt> {
    return this.stake(amount, options);
  }

  /** Moves `amount` DG wei of the active stake to unbonding (still slashable until withdrawn). */
  requestUnbond(amount: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.staking.connect(this.signer).requestUnbond, amount);
  }

  /** Withdraws the unbonded stake once the cooldown is over and no check is open. */
  withdraw(): Promise<ContractTransactionReceipt> {
    return send(this.suite.staking.connect(this.signer).withdraw);
  }

  /** The record of `address` (default: this validator). */
  async status(address?: string): Promise<ValidatorStatus> {
    const who = address ? getAddress(address) : await this.signer.getAddress();
    const v = await this.suite.staking.validatorInfo(who);
    const withdrawable = v.unbonding > 0n || Number(v.status) === 2;
    return {
      address: who,
      status: VALIDATOR_STATES[Number(v.status)],
      active: v.active,
      unbonding: v.unbonding,
      unbondingEnd: v.unbondingEnd,
      faults: v.faults,
      openExposures: v.openExposures,
      admittedAt: v.admittedAt,
      leftAt: v.leftAt,
      canWithdrawAt: withdrawable && v.openExposures === 0n ? v.unbondingEnd : undefined,
    };
  }

  /** The escrow's slashing rules in force and pending ({@link escrowRules}): check them before staking. */
  rules(): Promise<EscrowRules> {
    return escrowRules(this.suite);
  }

  /**
   * Claims, in ONE transaction, every epoch of `files` (proofs files, or their paths) where this
   * validator has a leaf that is not settled yet and whose root is active. Refuses with "nothing to
   * claim" (and why) when there is none.
   */
  async claimFromProofs(files: ProofsFile | ProofsFile[] | string | string[]): Promise<ClaimResult> {
    const list = (Array.isArray(files) ? files : [files]).map((f) => (typeof f === "string" ? readProofsFile(f) : f));
    const me = await this.signer.getAddress();
    const provider = this.signer.provider!;
    const { chainId } = await provider.getNetwork();
    const distributor = await this.suite.rewards.getAddress();
    const now = BigInt((await provider.getBlock("latest"))!.timestamp);
    const claims: { epoch: bigint; compute: bigint; proof: string[] }[] = [];
    const skipped: string[] = [];
    for (const file of list) {
      const epoch = BigInt(file.epoch);
      if (BigInt(file.chainId) !== chainId || getAddress(file.distributor) !== distributor) {
        throw new DataGenSdkError(
          `the proofs of epoch ${epoch} are for chain ${file.chainId} / ${file.distributor}, not this deployment`,
        );
      }
      const leaf = Object.entries(file.proofs).find(([v]) => getAddress(v) === me)?.[1];
      if (!leaf) {
        skipped.push(`epoch ${epoch}: no leaf for ${me}`);
        continue;
      }
      if (await this.suite.rewards.isSettled(epoch, me)) {
        skipped.push(`epoch ${epoch}: already settled`);
        continue;
      }
      const data = await this.suite.rewards.getEpoch(epoch);
      if (data.root !== file.root) {
        skipped.push(
          `epoch ${epoch}: its root on-chain is ${data.root === `0x${"0".repeat(64)}` ? "not posted" : "another one"}`,
        );
        continue;
      }
      const activatesAt = await this.suite.rewards.activatesAt(epoch);
      if (now < activatesAt) {
        skipped.push(
          `epoch ${epoch}: in its challenge window until ${new Date(Number(activatesAt) * 1000).toISOString()}`,
        );
        continue;
      }
      claims.push({ epoch, compute: BigInt(leaf.compute), proof: leaf.proof });
    }
    if (claims.length === 0) throw new DataGenSdkError(`nothing to claim (${skipped.join("; ") || "no proofs given"})`);
    const before = await this.suite.token.balanceOf(me);
    const receipt = await send(this.suite.rewards.connect(this.signer).claim, claims);
    const paid = (await this.suite.token.balanceOf(me, { blockTag: receipt.blockNumber })) - before;
    return { epochs: claims.map((c) => c.epoch), paid, receipt };
  }
}
