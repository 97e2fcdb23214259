/**
 * The validator's page: stake with one permit signature, status, unbonding countdown with its exact
 * date, exposures and faults, claimable epochs claimed in one transaction, slashes with their check.
 */
import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { parseSignature } from "viem";
import { useConfig, useConnection, useReadContracts } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { PERMIT_TYPES } from "../../../sdk/constants";
import { formatDate, formatDG, formatDuration, formatInt, parseDG } from "../format";
import { computeRewardsAbi, dataGenAbi, validatorStakingAbi } from "../generated";
import { NeedsApi, POLL_MS, Section, TxStatus, useApi, useApp, useChainNow, useReady, useTx } from "../lib";

const STATUS = ["Not staked", "Active", "Cooling down", "Expelled"] as const;
const VERDICT = [
  "not finalized",
  "invalid (the user's data was unreliable): nobody slashed",
  "pass",
  "a checker was proven false",
  "a tie decided by a fifth validator",
  "the paired validator was proven false",
  "inconclusive",
];

interface EventJson {
  block: number;
  tx: string;
  contract: string;
  event: string;
  args: Record<string, string>;
}
interface ClaimableJson {
  epoch: string;
  compute: string;
  amount: string;
  proof: `0x${string}`[];
  activatesAt: number;
  status: string;
}

export function ValidatorPage() {
  const { target } = useApp();
  const { address } = useConnection();
  const now = useChainNow();
  const tx = useTx();
  const wagmi = useConfig();
  const staking = { address: target.contracts.ValidatorStaking, abi: validatorStakingAbi, chainId: target.id } as const;
  const token = { address: target.contracts.DataGen, abi: dataGenAbi, chainId: target.id } as const;
  const rules = useReadContracts({
    allowFailure: false,
    contracts: [
      { ...staking, functionName: "minStake" },
      { ...staking, functionName: "cooldown" },
      { ...staking, functionName: "faultLimit" },
      { ...staking, functionName: "totalStaked" },
      { ...staking, functionName: "activeValidatorCount" },
      { ...staking, functionName: "slashRewardBps" },
      { ...token, functionName: "name" },
    ],
    query: { refetchInterval: POLL_MS },
  });
  const mine = useReadContracts({
    allowFailure: false,
    contracts: address
      ? [
          { ...staking, functionName: "validatorInfo", args: [address] },
          { ...token, functionName: "balanceOf", args: [address] },
          { ...token, functionName: "nonces", args: [address] },
        ]
      : [],
    query: { enabled: Boolean(address), refetchInterval: POLL_MS },
  });
  const claimable = useApi<{ claimable: ClaimableJson[]; pending: ClaimableJson[] }>(
    address ? `/validators/${address}/claimable` : null,
  );
  const history = useApi<{ history: EventJson[]; rewardsPerEpoch: { epoch: string; amount: string }[] }>(
    address ? `/validators/${address}` : null,
  );
  const slashes = (history.data?.history ?? []).filter(
    (e) => e.contract === "ValidatorStaking" && e.event === "Slashed",
  );
  const [amount, setAmount] = useState("");
  const [unbond, setUnbond] = useState("");
  const [formError, setFormError] = useState("");
  useReady("validator", Boolean(rules.data && (!address || mine.data)));

  if (rules.isError)
    return (
      <p role="alert">
        Cannot read the escrow on {target.name}: {rules.error.message}
      </p>
    );
  if (!rules.data) return <p role="status">Reading the escrow from {target.name}…</p>;
  const [minStake, cooldown, faultLimit, totalStaked, activeCount, slashRewardBps, tokenName] = rules.data;

  const stake = async (wei: bigint) => {
    const owner = await tx.guard();
    const nonce = mine.data![2] as bigint;
    const deadline = BigInt(now + 3_600);
    tx.setState({
      phase: "signing",
      label: "Stake",
      message: "Sign the permit in your wallet (one signature, nothing is sent yet)…",
    });
    const signature = await signTypedData(wagmi, {
      domain: { name: tokenName, version: "1", chainId: target.id, verifyingContract: target.contracts.DataGen },
      types: PERMIT_TYPES,
      primaryType: "Permit",
      message: { owner, spender: target.contracts.ValidatorStaking, value: wei, nonce, deadline },
    });
    const { r, s, v, yParity } = parseSignature(signature);
    await tx.write(`Stake ${formatDG(wei)}`, {
      ...staking,
      functionName: "stakeWithPermit",
      args: [wei, deadline, Number(v ?? BigInt(yParity + 27)), r, s],
    });
    return `You staked ${formatDG(wei)} with one permit signature and one transaction.`;
  };

  const info = mine.data?.[0];
  const balance = mine.data?.[1];
  const status = info ? STATUS[Number(info.status)] : undefined;
  const unbondingLeft = info && info.unbonding > 0n ? Number(info.unbondingEnd) - now : 0;
  const exposures = openExposures(history.data?.history ?? []);

  return (
    <>
      <h1>Validator</h1>
      <p className="lead">
        Validators stake at least {formatDG(minStake)} and earn each epoch's released DG in proportion to the compute
        they served. Stake is slashed when a cross-check proves a validator false. {formatInt(activeCount)} validators
        are Active, {formatDG(totalStaked)} staked in all.
      </p>
      <TxStatus state={tx.state} />
      {!address ? (
        <Section title="Your stake">
          <p>Connect the validator's wallet to see its stake, unbonding, exposures and rewards.</p>
        </Section>
      ) : (
        <>
          <Section title="Your stake">
            {info ? (
              <dl className="stats">
                <div>
                  <dt>Status</dt>
                  <dd data-testid="validator-status">{status}</dd>
                </div>
                <div>
                  <dt>Active stake</dt>
                  <dd data-testid="active-stake">{formatDG(info.active)}</dd>
                </div>
                <div>
                  <dt>Unbonding</dt>
                  <dd data-testid="unbonding">
                    {info.unbonding > 0n ? (
                      <>
                        {formatDG(info.unbonding)}:{" "}
                        {unbondingLeft > 0
                          ? `withdrawable in ${formatDuration(unbondingLeft)}, on ${formatDate(info.unbondingEnd)}`
                          : `withdrawable since ${formatDate(info.unbondingEnd)}`}
                        {info.openExposures > 0 ? " once its open cross-checks are finalized" : ""}
                      </>
                    ) : (
                      "nothing"
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Faults</dt>
                  <dd data-testid="faults">
                    {formatInt(info.faults)} (expelled at {formatInt(faultLimit)})
                  </dd>
                </div>
                <div>
                  <dt>Open cross-checks (exposures)</dt>
                  <dd data-testid="exposures">
                    {formatInt(info.openExposures)}
                    {exposures.length ? `: check ${exposures.map((c) => `#${c}`).join(", ")}` : ""}
                  </dd>
                </div>
                <div>
                  <dt>In your wallet</dt>
                  <dd>{balance !== undefined ? formatDG(balance) : "…"}</dd>
                </div>
                {info.admittedAt > 0 ? (
                  <div>
                    <dt>Admitted</dt>
                    <dd>{formatDate(info.admittedAt)}</dd>
                  </div>
                ) : null}
              </dl>
            ) : (
              <p role="status">Reading your record…</p>
            )}
          </Section>
          <Section title="Stake">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                setFormError("");
                let wei: bigint;
                try {
                  wei = parseDG(amount || "0");
                } catch (error) {
                  return setFormError((error as Error).message);
                }
                if (wei === 0n) return setFormError("Enter the DG to stake.");
                if (info && Number(info.status) !== 1 && wei < minStake)
                  return setFormError(`A first stake is at least ${formatDG(minStake)}.`);
                void tx.run("Stake", () => stake(wei));
              }}
            >
              <label>
                DG to stake
                <input
                  inputMode="decimal"
                  value={amount}
                  onChange={(e) => setAmount(e.target.value)}
                  name="stake-amount"
                  placeholder={formatDG(minStake).replace(" DG", "")}
                />
              </label>
              <p className="explain">
                Your wallet asks for <strong>one signature</strong> (a permit allowing the escrow to take exactly this
                amount) and then <strong>one transaction</strong> that stakes it. Unbonding takes{" "}
                {formatDuration(Number(cooldown))} and the stake stays slashable meanwhile; a slash pays{" "}
                {Number(slashRewardBps) / 100} % to the honest checkers and burns the rest.
              </p>
              {formError ? (
                <p className="form-error" role="alert">
                  {formError}
                </p>
              ) : null}
              <button type="submit" disabled={Boolean(tx.blocked) || tx.busy}>
                Sign the permit and stake
              </button>
            </form>
            {info && info.active > 0n ? (
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  setFormError("");
                  let wei: bigint;
                  try {
                    wei = parseDG(unbond);
                  } catch (error) {
                    return setFormError((error as Error).message);
                  }
                  void tx.run("Unbond", async () => {
                    await tx.write(`Unbond ${formatDG(wei)}`, {
                      ...staking,
                      functionName: "requestUnbond",
                      args: [wei],
                    });
                    return `${formatDG(wei)} is unbonding: withdraw it after ${formatDuration(Number(cooldown))}.`;
                  });
                }}
              >
                <label>
                  DG to unbond
                  <input
                    inputMode="decimal"
                    value={unbond}
                    onChange={(e) => setUnbond(e.target.value)}
                    name="unbond-amount"
                  />
                </label>
                <button type="submit" className="secondary" disabled={Boolean(tx.blocked) || tx.busy}>
                  Request unbond
                </button>
                <p className="hint">
                  A stake left below {formatDG(minStake)} must be unbonded whole: the validator then leaves the active
                  set.
                </p>
              </form>
            ) : null}
            {info && info.unbonding > 0n ? (
              <button
                type="button"
                disabled={Boolean(tx.blocked) || tx.busy}
                onClick={() =>
                  tx.run("Withdraw", async () => {
                    await tx.write("Withdraw the unbonded stake", { ...staking, functionName: "withdraw" });
                    return "Your unbonded stake is back in your wallet.";
                  })
                }
              >
                Withdraw {formatDG(info.unbonding)}
              </button>
            ) : null}
          </Section>
          <Section title="Rewards to claim">
            {claimable.data ? (
              <Claims
                items={claimable.data.claimable}
                pending={claimable.data.pending}
                disabled={Boolean(tx.blocked) || tx.busy}
                onClaim={() =>
                  tx.run("Claim", async () => {
                    const items = claimable.data.claimable;
                    await tx.write(`Claim ${items.length} epoch${items.length > 1 ? "s" : ""}`, {
                      address: target.contracts.ComputeRewards,
                      abi: computeRewardsAbi,
                      functionName: "claim",
                      args: [
                        items.map((c) => ({ epoch: BigInt(c.epoch), compute: BigInt(c.compute), proof: c.proof })),
                      ],
                    });
                    const total = items.reduce((sum, c) => sum + BigInt(c.amount), 0n);
                    return `Claimed epochs ${items.map((c) => c.epoch).join(", ")} in one transaction: ${formatDG(total)}.`;
                  })
                }
              />
            ) : claimable.isError || !claimable.isFetching ? (
              <NeedsApi what="claimable epochs and their proofs" error={claimable.error} />
            ) : (
              <p role="status">Loading…</p>
            )}
          </Section>
          <Section title="Slashes">
            {history.data ? (
              slashes.length ? (
                <Slashes slashes={slashes} />
              ) : (
                <p data-testid="no-slashes">Never slashed.</p>
              )
            ) : history.isError || !history.isFetching ? (
              <NeedsApi what="slashes with their cross-checks, and past rewards" error={history.error} />
            ) : null}
            {history.data?.rewardsPerEpoch.length ? (
              <p>
                Rewards claimed so far:{" "}
                {history.data.rewardsPerEpoch.map((r) => `epoch ${r.epoch} ${formatDG(BigInt(r.amount))}`).join("; ")}.
              </p>
            ) : null}
          </Section>
        </>
      )}
    </>
  );
}

/** Check ids with an `ExposureRecorded` and no `ExposureClosed` for this validator. */
function openExposures(history: EventJson[]): string[] {
  const open = new Set<string>();
  for (const e of history) {
    if (e.contract !== "ValidatorStaking") continue;
    if (e.event === "ExposureRecorded") open.add(e.args.checkId);
    if (e.event === "ExposureClosed") open.delete(e.args.checkId);
  }
  return [...open];
}

function Claims(props: { items: ClaimableJson[]; pending: ClaimableJson[]; disabled: boolean; onClaim: () => void }) {
  const total = props.items.reduce((sum, c) => sum + BigInt(c.amount), 0n);
  return (
    <>
      {props.items.length ? (
        <>
          <table data-testid="claimable">
            <caption className="sr-only">Epochs you can claim</caption>
            <thead>
              <tr>
                <th scope="col">Epoch</th>
                <th scope="col">Your compute</th>
                <th scope="col">Reward</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((c) => (
                <tr key={c.epoch}>
                  <td>{c.epoch}</td>
                  <td>{formatInt(BigInt(c.compute))}</td>
                  <td>{formatDG(BigInt(c.amount))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" disabled={props.disabled} onClick={props.onClaim}>
            Claim {props.items.length} epoch{props.items.length > 1 ? "s" : ""} ({formatDG(total)}) in one transaction
          </button>
        </>
      ) : (
        <p data-testid="nothing-to-claim">Nothing to claim now.</p>
      )}
      {props.pending.length ? (
        <p>
          In their challenge window:{" "}
          {props.pending
            .map((c) => `epoch ${c.epoch} (${formatDG(BigInt(c.amount))}, claimable from ${formatDate(c.activatesAt)})`)
            .join("; ")}
          .
        </p>
      ) : null}
    </>
  );
}

function Slashes({ slashes }: { slashes: EventJson[] }) {
  const { config } = useApp();
  const checks = useQueries({
    queries: slashes.map((s) => ({
      queryKey: ["api", config.apiUrl, `/checks/${s.args.checkId}`],
      queryFn: async () => {
        const response = await fetch(`${config.apiUrl}/checks/${s.args.checkId}`);
        if (!response.ok) throw new Error(`the API answered ${response.status}`);
        return (await response.json()) as { verdict: { verdict: string } | null; events: EventJson[] };
      },
    })),
  });
  return (
    <table data-testid="slashes">
      <caption className="sr-only">Your slashes and the cross-check behind each</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Slashed</th>
          <th scope="col">To honest checkers</th>
          <th scope="col">Burned</th>
          <th scope="col">The check's verdict</th>
        </tr>
      </thead>
      <tbody>
        {slashes.map((s, i) => {
          const check = checks[i];
          const verdict = check.data?.verdict
            ? (VERDICT[Number(check.data.verdict.verdict)] ?? check.data.verdict.verdict)
            : undefined;
          return (
            <tr key={s.tx + s.args.checkId}>
              <td>#{s.args.checkId}</td>
              <td>{formatDG(BigInt(s.args.slashed))}</td>
              <td>{formatDG(BigInt(s.args.rewarded))}</td>
              <td>{formatDG(BigInt(s.args.burned))}</td>
              <td>{verdict ?? (check.isError ? "not available" : "…")}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
