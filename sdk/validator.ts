/**
 * What a validator does: stake (with an EIP-2612 permit, in one transaction), top up, request an
 * unbond, withdraw, read its status, and claim many epochs at once from proofs files.
 */
import { getAddress, Signature, type ContractTransactionReceipt, type Signer } from "ethers";
import { PERMIT_TYPES } from "./constants";
import type { Suite } from "./deployments";
import { DataGenSdkError, contractError } from "./errors";
import { readProofsFile, type ProofsFile } from "./proofs";
import { approveThenSend, earliestMiningTime, requireBalance, requireUint, send } from "./tx";

export { send };

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

/** The escrow's `Status` values. */
const NONE = 0;
const ACTIVE = 1;
const EXPELLED = 3;
/** The escrow stores a stake in 96 bits (`SafeCast.toUint96`). */
const MAX_UINT96 = 2n ** 96n - 1n;

/**
 * Signs an EIP-2612 permit letting `spender` pull `value` DG wei from `signer` until `deadline` (unix
 * seconds), at the token's current nonce of the signer. Sends nothing.
 */
export async function signPermit(
  suite: Suite,
  signer: Signer,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<Signature> {
  const owner = await signer.getAddress();
  const provider = signer.provider;
  if (!provider) throw new DataGenSdkError("the signer has no provider: connect it to a network first");
  return Signature.from(
    await signer.signTypedData(
      {
        name: await suite.token.name(),
        version: "1",
        chainId: (await provider.getNetwork()).chainId,
        verifyingContract: await suite.token.getAddress(),
      },
      // A mutable copy: ethers' signTypedData takes a plain record of field lists.
      { Permit: [...PERMIT_TYPES.Permit] },
      { owner, spender, value, nonce: await suite.token.nonces(owner), deadline },
    ),
  );
}

/** A validator's client: `signer` is the validator. */
export class ValidatorClient {
  constructor(
    readonly suite: Suite,
    readonly signer: Signer,
  ) {}

  /**
   * Stakes `amount` DG wei: admits a new validator (at least the minimum stake) or tops up an Active
   * one (any amount). By default signs an EIP-2612 permit (valid until `deadline`, default an hour
   * after the latest block) and stakes in ONE transaction (`stakeWithPermit`); `{ permit: false }`
   * approves (only if the allowance is short) then stakes. Either way, everything the escrow checks is
   * checked first — a non-zero amount, the status (not cooling down, not expelled), the minimum for a
   * first stake, a permit not expired by the time the transaction can be mined unless the allowance
   * covers the amount, the balance — and a refusal is the escrow's own error with nothing sent.
   */
  async stake(
    amount: bigint,
    options: { permit?: boolean; deadline?: bigint } = {},
  ): Promise<ContractTransactionReceipt> {
    requireUint(amount, "the amount");
    const staking = this.suite.staking.connect(this.signer);
    const spender = await staking.getAddress();
    const owner = await this.signer.getAddress();
    if (options.permit === false) {
      return approveThenSend({
        suite: this.suite,
        signer: this.signer,
        spender,
        amount,
        check: () => this.checkStake(owner, amount),
        call: () => send(staking.stake, amount),
      });
    }
    const minedAt = await earliestMiningTime(this.signer, 1);
    const deadline = options.deadline ?? minedAt + 3_599n;
    // stakeWithPermit: a failed permit (ERC2612ExpiredSignature once past its deadline) is tolerated
    // only if the allowance already covers the amount.
    if (minedAt > deadline) {
      const allowance = await this.suite.token.allowance(owner, spender);
      if (allowance < amount) throw contractError("ValidatorStakingPermitFailed", [allowance, amount]);
    }
    await this.checkStake(owner, amount);
    await requireBalance(this.suite, owner, amount);
    const signature = await signPermit(this.suite, this.signer, spender, amount, deadline);
    return send(staking.stakeWithPermit, amount, deadline, signature.v, signature.r, signature.s);
  }

  /** Adds `amount` DG wei to an Active validator's stake (with a permit, one transaction). */
  topUp(amount: bigint, options: { permit?: boolean } = {}): Promise<ContractTransactionReceipt> {
    return this.stake(amount, options);
  }

  /**
   * Moves `amount` DG wei of the active stake to unbonding (still slashable until withdrawn): all of
   * it (the validator leaves the active set), or at most {@link maxUnbond} with `stayActive`. One
   * transaction, estimated first: a refusal sends nothing.
   */
  requestUnbond(amount: bigint): Promise<ContractTransactionReceipt> {
    return send(this.suite.staking.connect(this.signer).requestUnbond, amount);
  }

  /**
   * The largest amount `requestUnbond` accepts now from `address` (default: this validator), in DG
   * wei: its whole active stake while it is Active (0 otherwise). With `stayActive`, the largest that
   * keeps it Active: the active stake above the minimum stake (an amount in between would leave less
   * than the minimum and is refused). Open cross-checks do not restrict unbonding; they only delay
   * the withdrawal.
   */
  async maxUnbond(address?: string, options: { stayActive?: boolean } = {}): Promise<bigint> {
    const who = address === undefined ? await this.signer.getAddress() : getAddress(address);
    const v = await this.suite.staking.validatorInfo(who);
    if (Number(v.status) !== ACTIVE) return 0n;
    if (!options.stayActive) return v.active;
    const minStake = await this.suite.staking.minStake();
    return v.active > minStake ? v.active - minStake : 0n; // Active ⇒ active ≥ minStake
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

  /**
   * The escrow's `_stake` checks, in its order, before it pulls the DG: ValidatorStakingZeroAmount;
   * a first stake below the minimum (BelowMinimum); Expelled; CoolingDown (WrongStatus); an amount
   * beyond 96 bits (SafeCastOverflowedUintDowncast). (An amount that fits 96 bits but overflows the
   * stake plus it, far above the DG supply, panics in the escrow; here the balance check refuses it.)
   */
  private async checkStake(owner: string, amount: bigint): Promise<void> {
    if (amount === 0n) throw contractError("ValidatorStakingZeroAmount");
    const status = Number((await this.suite.staking.validatorInfo(owner)).status);
    if (status === NONE) {
      const minStake = await this.suite.staking.minStake();
      if (amount < minStake) throw contractError("ValidatorStakingBelowMinimum", [amount, minStake]);
    } else if (status === EXPELLED) {
      throw contractError("ValidatorStakingExpelled", [owner]);
    } else if (status !== ACTIVE) {
      throw contractError("ValidatorStakingWrongStatus", [owner, status]);
    }
    if (amount > MAX_UINT96) throw contractError("SafeCastOverflowedUintDowncast", [96n, amount]);
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
