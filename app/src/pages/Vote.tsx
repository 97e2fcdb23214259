/**
 * The inflation-cut vote: the running vote (live tally against the quorum, a countdown that follows the
 * quiet ending), the queue, every proposal with its pool, and the holder's actions: propose, back, take
 * backing back, lock and vote, settle, withdraw.
 */
import { useState } from "react";
import { useConnection, useReadContracts } from "wagmi";
import { readContract } from "wagmi/actions";
import { useQuery } from "@tanstack/react-query";
import { useConfig } from "wagmi";
import { formatBps, formatDate, formatDG, formatDuration, parseDG, shortAddress } from "../format";
import { dataGenAbi, inflationVoteAbi } from "../generated";
import { NeedsApi, POLL_MS, Section, TxStatus, useApi, useApp, useChainNow, useReady, useTx } from "../lib";

const STATUS = ["None", "Pooling", "Queued", "Voting", "Passed", "Failed", "Expired"] as const;
const STATUS_TEXT: Record<(typeof STATUS)[number], string> = {
  None: "unknown",
  Pooling: "pooling",
  Queued: "queued: waiting for the running vote",
  Voting: "being voted on",
  Passed: "passed",
  Failed: "failed",
  Expired: "expired: its pool did not fill in time",
};
const SIDE = ["none", "for", "against"] as const;

interface Proposal {
  id: bigint;
  status: (typeof STATUS)[number];
  proposer: `0x${string}`;
  targetBurnBps: number;
  votingDuration: number;
  poolDeadline: number;
  votingStart: number;
  votingEnd: number;
  deposit: bigint;
  pooled: bigint;
  quorum: bigint;
  forVotes: bigint;
  againstVotes: bigint;
  position?: { backed: bigint; locked: bigint; side: (typeof SIDE)[number] };
}

/** Shown proposals: the newest ones. */
const SHOWN = 20n;

function useVoteState() {
  const { target } = useApp();
  const { address } = useConnection();
  const vote = { address: target.contracts.InflationVote, abi: inflationVoteAbi, chainId: target.id } as const;
  const token = { address: target.contracts.DataGen, abi: dataGenAbi, chainId: target.id } as const;
  const base = useReadContracts({
    allowFailure: false,
    contracts: [
      { ...vote, functionName: "proposalCount" },
      { ...vote, functionName: "activeProposal" },
      { ...vote, functionName: "queueLength" },
      { ...vote, functionName: "MIN_VOTE_LOCK" },
      { ...vote, functionName: "POOL_TARGET" },
      { ...vote, functionName: "proposalDeposit" },
      { ...vote, functionName: "MIN_VOTING_DURATION" },
      { ...vote, functionName: "MAX_VOTING_DURATION" },
      { ...vote, functionName: "QUIET_ENDING_WINDOW" },
      { ...vote, functionName: "QUIET_ENDING_EXTENSION" },
      { ...vote, functionName: "quorumBps" },
      { ...vote, functionName: "POOLING_WINDOW" },
    ],
    query: { refetchInterval: POLL_MS },
  });
  const count = base.data?.[0] ?? 0n;
  const ids: bigint[] = [];
  for (let id = count; id >= 1n && id > count - SHOWN; id--) ids.push(id);
  const proposals = useReadContracts({
    allowFailure: false,
    contracts: ids.flatMap((id) => [
      { ...vote, functionName: "getProposal" as const, args: [id] as const },
      { ...vote, functionName: "statusOf" as const, args: [id] as const },
      ...(address ? [{ ...vote, functionName: "positionOf" as const, args: [id, address] as const }] : []),
    ]),
    query: { enabled: base.isSuccess, refetchInterval: POLL_MS },
  });
  const wallet = useReadContracts({
    allowFailure: false,
    contracts: address
      ? [
          { ...token, functionName: "balanceOf", args: [address] },
          { ...token, functionName: "allowance", args: [address, target.contracts.InflationVote] },
        ]
      : [],
    query: { enabled: Boolean(address), refetchInterval: POLL_MS },
  });
  const stride = address ? 3 : 2;
  const list: Proposal[] | undefined = proposals.data
    ? ids.map((id, i) => {
        // getProposal's tuple: the fields of Proposal (uint16..uint48 come as numbers), and its raw status.
        const p = proposals.data[i * stride] as Omit<Proposal, "id" | "status" | "position">;
        const pos = address
          ? (proposals.data[i * stride + 2] as { backed: bigint; locked: bigint; side: number })
          : undefined;
        return {
          ...p,
          id,
          status: STATUS[Number(proposals.data[i * stride + 1])],
          position: pos ? { backed: pos.backed, locked: BigInt(pos.locked), side: SIDE[Number(pos.side)] } : undefined,
        };
      })
    : undefined;
  return { base, list, wallet, count };
}

/** The queue, first in line first, walked with `nextQueued`. */
function useQueue(length: bigint | undefined) {
  const wagmi = useConfig();
  const { target } = useApp();
  return useQuery({
    queryKey: ["queue", target.id, length?.toString()],
    enabled: length !== undefined,
    refetchInterval: POLL_MS,
    queryFn: async () => {
      const out: bigint[] = [];
      let id = 0n;
      for (let i = 0n; i < (length ?? 0n); i++) {
        id = await readContract(wagmi, {
          address: target.contracts.InflationVote,
          abi: inflationVoteAbi,
          functionName: "nextQueued",
          args: [id],
          chainId: target.id,
        });
        if (id === 0n) break;
        out.push(id);
      }
      return out;
    },
  });
}

export function VotePage() {
  const { target } = useApp();
  const { base, list, wallet } = useVoteState();
  const queue = useQueue(base.data?.[2]);
  const now = useChainNow();
  const tx = useTx();
  useReady("vote", Boolean(base.data && list));
  if (base.isError)
    return (
      <p role="alert">
        Cannot read the vote on {target.name}: {base.error.message}
      </p>
    );
  if (!base.data || !list) return <p role="status">Reading the proposals from {target.name}…</p>;
  const [
    ,
    active,
    ,
    minLock,
    poolTarget,
    deposit,
    minDuration,
    maxDuration,
    quietWindow,
    quietExtension,
    quorumBps,
    poolingWindow,
  ] = base.data;
  const running = list.find((p) => p.id === active);
  const [balance, allowance] = (wallet.data ?? [undefined, undefined]) as [bigint | undefined, bigint | undefined];

  /** Approves exactly what the allowance lacks, then runs `then`. */
  const withAllowance = async (amount: bigint) => {
    if ((allowance ?? 0n) < amount)
      await tx.write(`Allow the vote contract to take ${formatDG(amount)}`, {
        address: target.contracts.DataGen,
        abi: dataGenAbi,
        functionName: "approve",
        args: [target.contracts.InflationVote, amount],
      });
  };
  const voteWrite = (functionName: string, args: readonly unknown[], label: string) =>
    tx.write(label, { address: target.contracts.InflationVote, abi: inflationVoteAbi, functionName, args });

  return (
    <>
      <h1>Inflation-cut vote</h1>
      <p className="lead">
        Holders vote to burn part of each daily release. A proposal needs {formatDG(poolTarget)} pooled by its backers
        within {formatDuration(Number(poolingWindow))} to open its vote; one vote runs at a time, the others wait in
        line. A vote passes with more DG for than against and at least {formatBps(quorumBps)} of all DG voting for it.
      </p>
      <TxStatus state={tx.state} />
      {running ? (
        <RunningVote
          p={running}
          now={now}
          minLock={minLock}
          minDuration={Number(minDuration)}
          maxDuration={Number(maxDuration)}
          quietWindow={Number(quietWindow)}
          quietExtension={Number(quietExtension)}
          balance={balance}
          tx={tx}
          onVote={async (support, amount) => {
            await withAllowance(amount);
            await voteWrite(
              "vote",
              [running.id, support, amount],
              `Lock ${formatDG(amount)} and vote ${support ? "for" : "against"}`,
            );
            return `You locked ${formatDG(amount)} and voted ${support ? "for" : "against"} proposal #${running.id}.`;
          }}
          onSettle={async () => {
            await voteWrite("settle", [running.id], `Settle the vote on proposal #${running.id}`);
            return `The vote on proposal #${running.id} is settled.`;
          }}
        />
      ) : (
        <Section title="Running vote">
          <p data-testid="no-vote">No vote is running. The first proposal whose pool fills opens the next one.</p>
        </Section>
      )}
      <Section title="Queue">
        {queue.data && queue.data.length ? (
          <ol data-testid="queue">
            {queue.data.map((id) => {
              const p = list.find((x) => x.id === id);
              return (
                <li key={id.toString()}>
                  Proposal #{id.toString()}
                  {p
                    ? `: burn ${formatBps(p.targetBurnBps)} of each release, voted for ${formatDuration(p.votingDuration)}`
                    : ""}
                </li>
              );
            })}
          </ol>
        ) : (
          <p>No proposal is waiting.</p>
        )}
      </Section>
      <Section title="Proposals">
        {list.length === 0 ? <p>No proposal yet.</p> : null}
        <ul className="proposals">
          {list.map((p) => (
            <ProposalCard
              key={p.id.toString()}
              p={p}
              now={now}
              poolTarget={poolTarget}
              tx={tx}
              onBack={async (amount) => {
                await withAllowance(amount);
                await voteWrite("back", [p.id, amount], `Back proposal #${p.id} with ${formatDG(amount)}`);
                return `You backed proposal #${p.id} with ${formatDG(amount)}.`;
              }}
              onUnback={async (amount) => {
                await voteWrite(
                  "withdrawBacking",
                  [p.id, amount],
                  `Take ${formatDG(amount)} back from proposal #${p.id}`,
                );
                return `You took ${formatDG(amount)} back from proposal #${p.id}.`;
              }}
              onWithdraw={async () => {
                await voteWrite("withdraw", [p.id], `Withdraw your DG from proposal #${p.id}`);
                return `Your DG from proposal #${p.id} are back in your wallet.`;
              }}
            />
          ))}
        </ul>
      </Section>
      <ProposeForm
        deposit={deposit}
        minDays={Number(minDuration) / 86_400}
        maxDays={Number(maxDuration) / 86_400}
        tx={tx}
        onPropose={async (bps, seconds) => {
          await withAllowance(deposit);
          await voteWrite("propose", [BigInt(bps), BigInt(seconds)], `Propose a burn rate of ${formatBps(bps)}`);
          return `Your proposal is created and pools now: back it and ask others to.`;
        }}
      />
    </>
  );
}

type Tx = ReturnType<typeof useTx>;

function Progress({ label, value, max, testId }: { label: string; value: bigint; max: bigint; testId?: string }) {
  const pct = max === 0n ? 0 : Number((value * 10_000n) / max) / 100;
  return (
    <div className="progress-row">
      <span className="progress-label" id={`${testId ?? label}-label`}>
        {label}
      </span>
      <div
        className="bar"
        role="progressbar"
        aria-labelledby={`${testId ?? label}-label`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(100, pct)}
        aria-valuetext={`${formatDG(value)} of ${formatDG(max)}`}
        data-testid={testId}
      >
        <div style={{ width: `${Math.min(100, pct)}%` }} />
      </div>
      <span className="progress-value">
        {formatDG(value)} of {formatDG(max)} ({pct.toLocaleString("en-US", { maximumFractionDigits: 2 })} %)
      </span>
    </div>
  );
}

function RunningVote(props: {
  p: Proposal;
  now: number;
  minLock: bigint;
  minDuration: number;
  maxDuration: number;
  quietWindow: number;
  quietExtension: number;
  balance: bigint | undefined;
  tx: Tx;
  onVote: (support: boolean, amount: bigint) => Promise<string>;
  onSettle: () => Promise<string>;
}) {
  const { p, now, minLock, tx } = props;
  const [support, setSupport] = useState<boolean | null>(null);
  const [amount, setAmount] = useState("");
  const [understood, setUnderstood] = useState(false);
  const [formError, setFormError] = useState("");
  const votes = useApi<{ votes: { tx: string; args: { voter: string; support: boolean; amount: string } }[] }>(
    `/proposals/${p.id}`,
  );
  const empty = p.forVotes === 0n && p.againstVotes === 0n;
  const closesAt = empty ? p.votingStart + props.minDuration : p.votingEnd;
  const scheduledEnd = p.votingStart + p.votingDuration;
  const extended = p.votingEnd - scheduledEnd;
  const ended = now >= closesAt;
  const passing = p.forVotes > p.againstVotes && p.forVotes >= p.quorum;
  const mySide = p.position?.side ?? "none";
  return (
    <Section title={`Running vote: proposal #${p.id}`} id="running-vote">
      <p>
        Burn <strong>{formatBps(p.targetBurnBps)}</strong> of each daily release (proposed by {shortAddress(p.proposer)}
        ).
      </p>
      <div className="tally" data-testid="tally">
        <Progress label="For" value={p.forVotes} max={p.quorum} testId="for-votes" />
        <Progress label="Against" value={p.againstVotes} max={p.quorum} testId="against-votes" />
        <p>
          Quorum: <span data-testid="quorum">{formatDG(p.quorum)}</span> voting for (fixed when the vote opened). If it
          ended now the proposal would <strong data-testid="outcome">{passing ? "pass" : "fail"}</strong>
          {passing
            ? "."
            : p.forVotes <= p.againstVotes
              ? ": votes for do not outnumber votes against."
              : ": votes for are below the quorum."}
        </p>
      </div>
      <div className="countdown" aria-live="off">
        {ended ? (
          <p data-testid="countdown">
            The vote closed on {formatDate(closesAt)}. Anyone can settle it now; then everyone withdraws their DG.
          </p>
        ) : (
          <p>
            Closes in <strong data-testid="countdown">{formatDuration(closesAt - now)}</strong>, on{" "}
            <span data-testid="vote-end">{formatDate(closesAt)}</span>.
          </p>
        )}
        {extended > 0 ? (
          <p data-testid="extended">
            The quiet ending moved the end {formatDuration(extended)} later than the {formatDuration(p.votingDuration)}{" "}
            first set (from {formatDate(scheduledEnd)}): the lead changed in its last{" "}
            {formatDuration(props.quietWindow)}. It never moves past {formatDate(p.votingStart + props.maxDuration)}.
          </p>
        ) : empty ? (
          <p>Nobody has voted yet: an empty vote closes {formatDuration(props.minDuration)} after it opened.</p>
        ) : (
          <p>
            If the lead changes in the last {formatDuration(props.quietWindow)}, the end moves to{" "}
            {formatDuration(props.quietExtension)} after that vote (never past{" "}
            {formatDate(p.votingStart + props.maxDuration)}).
          </p>
        )}
      </div>
      {ended ? (
        <button
          type="button"
          disabled={Boolean(tx.blocked) || tx.busy}
          onClick={() => tx.run("Settle the vote", props.onSettle)}
        >
          Settle the vote
        </button>
      ) : (
        <form
          className="vote-form"
          onSubmit={(e) => {
            e.preventDefault();
            setFormError("");
            let wei: bigint;
            try {
              wei = parseDG(amount);
            } catch (error) {
              setFormError((error as Error).message);
              return;
            }
            if (support === null) return setFormError("Choose for or against.");
            if (mySide === "none" && wei < minLock) return setFormError(`A vote locks at least ${formatDG(minLock)}.`);
            if (props.balance !== undefined && wei > props.balance)
              return setFormError(`Your wallet holds ${formatDG(props.balance)}, less than ${formatDG(wei)}.`);
            // The acknowledgement holds for one lock: the form starts afresh after it.
            void tx.run(`Lock and vote`, () =>
              props.onVote(support, wei).then((done) => {
                setAmount("");
                setUnderstood(false);
                return done;
              }),
            );
          }}
        >
          <fieldset>
            <legend>Your vote</legend>
            {mySide !== "none" ? (
              <p data-testid="my-vote">
                You locked {formatDG(p.position!.locked)} {mySide}. You can add DG to the same side, not switch sides.
              </p>
            ) : null}
            <label>
              <input
                type="radio"
                name="side"
                checked={support === true}
                disabled={mySide === "against"}
                onChange={() => setSupport(true)}
              />{" "}
              For (burn {formatBps(p.targetBurnBps)})
            </label>
            <label>
              <input
                type="radio"
                name="side"
                checked={support === false}
                disabled={mySide === "for"}
                onChange={() => setSupport(false)}
              />{" "}
              Against
            </label>
            <label>
              DG to lock
              <input
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                placeholder="20"
                name="vote-amount"
              />
            </label>
            <div className="explain" id="lock-explain">
              <p>
                Your vote weighs the DG you lock: at least <strong>{formatDG(minLock)}</strong> for a first vote. Locked
                DG <strong>stay locked until the vote is settled</strong> after it closes: you cannot move them, take
                them back or switch sides before then, whatever the outcome. Then you withdraw all of them. DG you
                pooled do not count as a vote.
              </p>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={understood}
                onChange={(e) => setUnderstood(e.target.checked)}
                aria-describedby="lock-explain"
              />{" "}
              I understand that my DG stay locked until the vote is settled.
            </label>
            {formError ? (
              <p className="form-error" role="alert">
                {formError}
              </p>
            ) : null}
            <button
              type="submit"
              disabled={!understood || Boolean(tx.blocked) || tx.busy}
              title={tx.blocked ?? undefined}
            >
              Lock and vote
            </button>
            {tx.blocked ? <p className="hint">{tx.blocked}</p> : null}
          </fieldset>
        </form>
      )}
      <h3>Votes cast</h3>
      {votes.data ? (
        votes.data.votes.length ? (
          <ul data-testid="votes-list">
            {votes.data.votes.map((v) => (
              <li key={v.tx + v.args.voter}>
                {shortAddress(v.args.voter)}: {formatDG(BigInt(v.args.amount))} {v.args.support ? "for" : "against"}
              </li>
            ))}
          </ul>
        ) : (
          <p>None yet.</p>
        )
      ) : votes.isError || !votes.isFetching ? (
        <NeedsApi what="the individual votes" error={votes.error} />
      ) : null}
    </Section>
  );
}

function ProposalCard(props: {
  p: Proposal;
  now: number;
  poolTarget: bigint;
  tx: Tx;
  onBack: (amount: bigint) => Promise<string>;
  onUnback: (amount: bigint) => Promise<string>;
  onWithdraw: () => Promise<string>;
}) {
  const { p, tx, poolTarget } = props;
  const { address } = useConnection();
  const [amount, setAmount] = useState("");
  const [formError, setFormError] = useState("");
  const pooling = p.status === "Pooling" || p.status === "Queued";
  const over = p.status === "Passed" || p.status === "Failed" || p.status === "Expired";
  const mine = p.position ? p.position.backed + p.position.locked : 0n;
  const myDeposit = address && p.proposer.toLowerCase() === address.toLowerCase() ? p.deposit : 0n;
  const amountWei = () => {
    setFormError("");
    try {
      return parseDG(amount);
    } catch (error) {
      setFormError((error as Error).message);
      return null;
    }
  };
  return (
    <li className="card proposal" data-testid={`proposal-${p.id}`}>
      <h3>
        Proposal #{p.id.toString()}: burn {formatBps(p.targetBurnBps)}
      </h3>
      <p>
        Status: <strong data-testid={`status-${p.id}`}>{STATUS_TEXT[p.status]}</strong>. Vote length{" "}
        {formatDuration(p.votingDuration)}. Proposer {shortAddress(p.proposer)}, deposit held {formatDG(p.deposit)}.
      </p>
      {p.status === "Pooling" || p.status === "Queued" || p.status === "Expired" ? (
        <Progress label="Pool" value={p.pooled} max={poolTarget} testId={`pool-${p.id}`} />
      ) : null}
      {p.status === "Pooling" ? <p>Pooling closes on {formatDate(p.poolDeadline)}.</p> : null}
      {p.status === "Passed" || p.status === "Failed" ? (
        <p>
          Result: {formatDG(p.forVotes)} for, {formatDG(p.againstVotes)} against (quorum {formatDG(p.quorum)}).
        </p>
      ) : null}
      {p.position && (p.position.backed || p.position.locked) ? (
        <p data-testid={`position-${p.id}`}>
          You pooled {formatDG(p.position.backed)} and locked {formatDG(p.position.locked)}
          {p.position.side !== "none" ? ` (${p.position.side})` : ""}.
        </p>
      ) : null}
      {pooling ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const wei = amountWei();
            if (wei !== null) void tx.run(`Back proposal #${p.id}`, () => props.onBack(wei));
          }}
        >
          <label>
            DG to pool into #{p.id.toString()}
            <input
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              name={`back-${p.id}`}
            />
          </label>
          <button type="submit" disabled={Boolean(tx.blocked) || tx.busy}>
            Back
          </button>
          {p.position?.backed ? (
            <button
              type="button"
              className="secondary"
              disabled={Boolean(tx.blocked) || tx.busy}
              onClick={() => {
                const wei = amountWei();
                if (wei !== null) void tx.run(`Take backing back from #${p.id}`, () => props.onUnback(wei));
              }}
            >
              Take back
            </button>
          ) : null}
          <p className="hint">
            Pooled DG come back when the proposal's vote is settled or its pool expires; you can take them back while it
            pools or waits in the queue (a queued proposal then pools again). Pooling is not a vote.
          </p>
          {formError ? (
            <p className="form-error" role="alert">
              {formError}
            </p>
          ) : null}
        </form>
      ) : null}
      {over && (mine > 0n || myDeposit > 0n) ? (
        <button
          type="button"
          disabled={Boolean(tx.blocked) || tx.busy}
          onClick={() => tx.run("Withdraw", props.onWithdraw)}
        >
          Withdraw {formatDG(mine + myDeposit)}
        </button>
      ) : null}
    </li>
  );
}

function ProposeForm(props: {
  deposit: bigint;
  minDays: number;
  maxDays: number;
  tx: Tx;
  onPropose: (bps: number, seconds: number) => Promise<string>;
}) {
  const [percent, setPercent] = useState("");
  const [days, setDays] = useState(String(props.minDays));
  const [formError, setFormError] = useState("");
  const { tx } = props;
  return (
    <Section title="Propose a burn rate">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setFormError("");
          const pct = Number(percent);
          const d = Number(days);
          if (!/^\d{1,3}(\.\d{1,2})?$/.test(percent) || pct > 100)
            return setFormError("The burn rate is a percentage from 0 to 100.");
          if (!Number.isInteger(d) || d < props.minDays || d > props.maxDays)
            return setFormError(`The vote lasts ${props.minDays} to ${props.maxDays} days.`);
          void tx.run("Propose", () => props.onPropose(Math.round(pct * 100), d * 86_400));
        }}
      >
        <label>
          Burn this percentage of each release
          <input inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value)} name="burn-percent" />
        </label>
        <label>
          Vote length in days ({props.minDays} to {props.maxDays})
          <input inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} name="vote-days" />
        </label>
        <p className="explain">
          Proposing takes a deposit of <strong>{formatDG(props.deposit)}</strong>. You get it back when the pool expires
          unfilled or when its vote reaches the quorum in votes for and against; it is burned if the vote opens and ends
          below that.
        </p>
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <button type="submit" disabled={Boolean(tx.blocked) || tx.busy}>
          Propose (deposit {formatDG(props.deposit)})
        </button>
      </form>
    </Section>
  );
}
