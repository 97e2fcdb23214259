/**
 * The SDK checks, before the first transaction, everything the contract would check (issue 15,
 * items 2 and 3): each refused call throws the very error the contract reverts with (same name,
 * arguments and plain-words message) and sends NOTHING — the signer's nonce, its allowances and the
 * block number do not move. Each case then makes the same call on the contract directly, which must
 * revert with the same error; the accepted cases next to each boundary show the SDK refuses no more
 * than the contract.
 *
 * Time: a check is made as of the earliest second the final transaction can be mined, one second per
 * transaction to send after the latest block (the embedded network mines one block per transaction,
 * one second apart), which is also the time `estimateGas` uses for the next block.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash, id, type Signer } from "ethers";
import {
  DataGenError,
  DataGenSdkError,
  HolderClient,
  OracleClient,
  ROLE_NAMES,
  ValidatorClient,
  buildEpoch,
  decodeError,
  roleName,
  send,
  signPermit,
  toProofsFile,
  type ProofsFile,
} from "../sdk";
import { ComputeRewards__factory } from "../typechain-types";
import { SUITE_PARAMS } from "./helpers/suite";
import { clientSuite, sdkSuite } from "./helpers/sdk";

const DG = 10n ** 18n;
const DAY = 86_400n;
const MIN_STAKE = SUITE_PARAMS.minStake;

type Fixture = Awaited<ReturnType<typeof sdkSuite>>;
type S = Fixture["s"];

/** What a refused call must leave as it was: the nonce, the allowances to the vote and the escrow, the block. */
async function untouched(s: S, who: string) {
  return {
    nonce: await ethers.provider.getTransactionCount(who),
    allowanceToVote: await s.token.allowance(who, await s.inflationVote.getAddress()),
    allowanceToStaking: await s.token.allowance(who, await s.staking.getAddress()),
    block: await ethers.provider.getBlockNumber(),
  };
}

interface Expected {
  name: string;
  args: unknown[];
  message?: string | RegExp;
}

/**
 * `action` (an SDK call) must throw the DataGenError `expected` having sent nothing; then `contract`
 * (the same call made on the contract, e.g. its `estimateGas`) must revert with the same error.
 */
async function expectRefused(
  s: S,
  who: string,
  action: () => Promise<unknown>,
  expected: Expected,
  contract?: () => Promise<unknown>,
): Promise<DataGenError> {
  const before = await untouched(s, who);
  const thrown = await action().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown, "the SDK refuses with a contract error").to.be.instanceOf(DataGenError);
  const error = thrown as DataGenError;
  expect([error.errorName, error.args]).to.deep.equal([expected.name, expected.args]);
  if (typeof expected.message === "string") expect(error.message).to.equal(expected.message);
  else if (expected.message) expect(error.message).to.match(expected.message);
  expect(await untouched(s, who), "nothing sent: nonce, allowances and block unchanged").to.deep.equal(before);
  if (contract) {
    const reverted = await contract().then(
      () => undefined,
      (e: unknown) => decodeError(e),
    );
    expect(reverted, "the contract refuses the same call").to.be.instanceOf(DataGenError);
    expect([reverted!.errorName, reverted!.args, reverted!.message]).to.deep.equal([
      error.errorName,
      error.args,
      error.message,
    ]);
  }
  return error;
}

/** `action` must throw a DataGenSdkError matching `message` having sent nothing. */
async function expectSdkRefused(s: S, who: string, action: () => Promise<unknown>, message: string | RegExp) {
  const before = await untouched(s, who);
  await expect(action()).to.be.rejectedWith(DataGenSdkError, message);
  expect(await untouched(s, who), "nothing sent").to.deep.equal(before);
}

/**
 * One `it` per case: `sdk(...args)` must be refused with the case's error having sent nothing, and
 * `contract(...args)`, the same call on the contract, must revert with the same error.
 */
function refusals<A extends unknown[]>(
  setup: () => Promise<{
    s: S;
    who: string;
    sdk: (...args: A) => Promise<unknown>;
    contract: (...args: A) => Promise<unknown>;
  }>,
  cases: [what: string, args: A, expected: Expected][],
) {
  for (const [what, args, expected] of cases) {
    it(`refuses ${what}`, async () => {
      const { s, who, sdk, contract } = await setup();
      await expectRefused(
        s,
        who,
        () => sdk(...args),
        expected,
        () => contract(...args),
      );
    });
  }
}

/** Proposals 1 (a 10-day vote, Voting), 2 (Queued) and 3 (Pooling), by others[0], filled by the deployer. */
async function withProposals() {
  const fixture = await sdkSuite();
  const { s } = fixture;
  const vote = await s.inflationVote.getAddress();
  const proposer = s.others[0];
  await s.token.connect(proposer).approve(vote, 3_000n * DG);
  await s.inflationVote.connect(proposer).propose(2_000n, 10n * DAY);
  await s.inflationVote.connect(proposer).propose(3_000n, 7n * DAY);
  await s.inflationVote.connect(proposer).propose(4_000n, 7n * DAY);
  await s.token.approve(vote, 200_000n * DG);
  await s.inflationVote.back(1n, 100_000n * DG);
  await s.inflationVote.back(2n, 100_000n * DG);
  return fixture;
}

/** The CrossCheck contract (the escrow's slasher) as a signer, to expose and slash validators directly. */
async function slasherOf(s: S): Promise<Signer> {
  const address = await s.crossCheck.getAddress();
  await impersonateAccount(address);
  await setBalance(address, 10n ** 18n);
  return ethers.getSigner(address);
}

async function holderOf(fixture: Fixture, signer: Signer) {
  return new HolderClient(await clientSuite(signer, fixture.dir), signer);
}

async function validatorOf(fixture: Fixture, signer: Signer) {
  return new ValidatorClient(await clientSuite(signer, fixture.dir), signer);
}

async function oracleOf(fixture: Fixture, signer: Signer) {
  return new OracleClient(await clientSuite(signer, fixture.dir), signer);
}

describe("SDK pre-flight: nothing is sent until every check the contract makes has passed", () => {
  describe("HolderClient.vote", () => {
    /** The voter (others[1], 100,000 DG) and the contract call, approved as the SDK would. */
    async function setup() {
      const fixture = await loadFixture(withProposals);
      const voter = fixture.s.others[1];
      const vote = await fixture.s.inflationVote.getAddress();
      const direct = async (id: bigint, support: boolean, amount: bigint) => {
        await fixture.s.token.connect(voter).approve(vote, amount);
        return fixture.s.inflationVote.connect(voter).vote.estimateGas(id, support, amount);
      };
      const client = await holderOf(fixture, voter);
      const sdk = (id: bigint, support: boolean, amount: bigint) => client.vote(id, support, amount);
      return { ...fixture, voter, client, direct, who: voter.address, sdk, contract: direct };
    }

    refusals(setup, [
      [
        "a proposal that does not exist",
        [99n, true, 20n * DG],
        { name: "InflationVoteUnknownProposal", args: [99n], message: "there is no proposal 99" },
      ],
      ["proposal 0", [0n, true, 20n * DG], { name: "InflationVoteUnknownProposal", args: [0n] }],
      [
        "a zero amount (the contract's first check)",
        [99n, true, 0n],
        { name: "InflationVoteZeroAmount", args: [], message: "the amount must be more than 0 DG" },
      ],
      [
        "a proposal still pooling",
        [3n, true, 20n * DG],
        {
          name: "InflationVoteWrongStatus",
          args: [3n, 1n],
          message:
            "proposal 3 is pooling, which does not allow this: a pooling proposal takes backing and gives it back; its vote opens once its pool is full",
        },
      ],
      [
        "a queued proposal, with too little DG too (the status comes first)",
        [2n, false, 1n],
        {
          name: "InflationVoteWrongStatus",
          args: [2n, 2n],
          message:
            "proposal 2 is queued, which does not allow this: a queued proposal waits for the running vote to end; its backers may take their backing back",
        },
      ],
      [
        "1 wei below the minimum lock of 20 DG",
        [1n, true, 20n * DG - 1n],
        {
          name: "InflationVoteBelowMinimumLock",
          args: [20n * DG - 1n, 20n * DG],
          message: "a vote locks at least 20 DG; 19.999999999999999999 DG is too little",
        },
      ],
    ]);

    it("refuses more DG than the voter holds", async () => {
      const { s, voter, client, direct } = await setup();
      await expectRefused(
        s,
        voter.address,
        () => client.vote(1n, true, 100_000n * DG + 1n),
        {
          name: "ERC20InsufficientBalance",
          args: [voter.address, 100_000n * DG, 100_000n * DG + 1n],
          message: `${voter.address} holds 100,000 DG, 100,000.000000000000000001 DG needed`,
        },
        () => direct(1n, true, 100_000n * DG + 1n),
      );
    });

    it("refuses to switch sides", async () => {
      const { s, voter, client, direct } = await setup();
      await client.vote(1n, true, 20n * DG);
      await expectRefused(
        s,
        voter.address,
        () => client.vote(1n, false, 20n * DG),
        {
          name: "InflationVoteCannotSwitchSide",
          args: [1n, voter.address, 1n],
          message: `${voter.address} already voted for on proposal 1 and cannot switch sides`,
        },
        () => direct(1n, false, 20n * DG),
      );
    });

    it("refuses a vote nobody locked DG in once its minimum duration is over (approve + vote would land at its close)", async () => {
      const { s, voter, client, direct } = await setup();
      const p = await s.inflationVote.getProposal(1n);
      const closesAt = p.votingStart + 7n * DAY; // empty: closes at the minimum duration, not at votingEnd
      expect(p.votingEnd).to.equal(p.votingStart + 10n * DAY);
      await time.increaseTo(closesAt - 2n);
      await expectRefused(
        s,
        voter.address,
        () => client.vote(1n, true, 20n * DG),
        { name: "InflationVoteVotingClosed", args: [1n, closesAt] },
        () => direct(1n, true, 20n * DG),
      );
    });

    it("refuses a vote with DG in it at its end (votingEnd), not before", async () => {
      const { s, voter, client, direct } = await setup();
      const other = s.others[2];
      await s.token.connect(other).approve(await s.inflationVote.getAddress(), 20n * DG);
      await s.inflationVote.connect(other).vote(1n, true, 20n * DG);
      const end = (await s.inflationVote.getProposal(1n)).votingEnd;
      await time.increaseTo(end - 2n);
      await expectRefused(
        s,
        voter.address,
        () => client.vote(1n, true, 20n * DG),
        { name: "InflationVoteVotingClosed", args: [1n, end] },
        () => direct(1n, true, 20n * DG),
      );
    });

    it("accepts the same vote at the same moment when the allowance is there (one transaction, at the last second)", async () => {
      const { s, voter, client } = await setup();
      const closesAt = (await s.inflationVote.getProposal(1n)).votingStart + 7n * DAY;
      await s.token.connect(voter).approve(await s.inflationVote.getAddress(), 20n * DG);
      await time.increaseTo(closesAt - 2n);
      const nonce = await ethers.provider.getTransactionCount(voter.address);
      const receipt = await client.vote(1n, true, 20n * DG);
      expect(BigInt((await receipt.getBlock()).timestamp)).to.equal(closesAt - 1n);
      expect(await ethers.provider.getTransactionCount(voter.address)).to.equal(nonce + 1);
    });

    it("refuses a vote closed by a node whose latest block is older than the present (time moved, no block mined since)", async () => {
      const { s, voter, client, direct } = await setup();
      const closesAt = (await s.inflationVote.getProposal(1n)).votingStart + 7n * DAY;
      const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      // as a node left idle: its next block is mined at closesAt + 100, its latest block is days older
      await ethers.provider.send("evm_increaseTime", [Number(closesAt + 100n - latest)]);
      expect(BigInt((await ethers.provider.getBlock("latest"))!.timestamp)).to.equal(latest);
      await expectRefused(
        s,
        voter.address,
        () => client.vote(1n, true, 20n * DG),
        { name: "InflationVoteVotingClosed", args: [1n, closesAt] },
        () => direct(1n, true, 20n * DG),
      );
    });

    it("refuses a vote closed by the wall clock when the chain's latest block and pending block are older", async () => {
      const { s, voter, client } = await setup();
      const closesAt = (await s.inflationVote.getProposal(1n)).votingStart + 7n * DAY;
      await time.increaseTo(closesAt - 10n);
      const realNow = Date.now;
      Date.now = () => Number(closesAt) * 1000; // the present is past the close: a node that has not mined
      try {
        await expectRefused(s, voter.address, () => client.vote(1n, true, 20n * DG), {
          name: "InflationVoteVotingClosed",
          args: [1n, closesAt],
        });
      } finally {
        Date.now = realNow;
      }
    });

    it("refuses a settled vote", async () => {
      const { s, voter, client, direct } = await setup();
      await time.increaseTo((await s.inflationVote.getProposal(1n)).votingStart + 7n * DAY);
      await s.inflationVote.settle(1n); // empty: failed
      await expectRefused(
        s,
        voter.address,
        () => client.vote(1n, true, 20n * DG),
        {
          name: "InflationVoteWrongStatus",
          args: [1n, 5n],
          message:
            "proposal 1 is failed, which does not allow this: it has ended: backers, voters and the proposer withdraw what is theirs",
        },
        () => direct(1n, true, 20n * DG),
      );
    });

    it("accepts exactly 20 DG (approve + vote, no allowance left) and then 1 wei more on the same side", async () => {
      const { s, voter, client } = await setup();
      const vote = await s.inflationVote.getAddress();
      const nonce = await ethers.provider.getTransactionCount(voter.address);
      await client.vote(1n, true, 20n * DG);
      expect(await ethers.provider.getTransactionCount(voter.address)).to.equal(nonce + 2);
      expect(await s.token.allowance(voter.address, vote)).to.equal(0n);
      await client.vote(1n, true, 1n);
      expect((await s.inflationVote.positionOf(1n, voter.address)).locked).to.equal(20n * DG + 1n);
      expect(await s.token.allowance(voter.address, vote)).to.equal(0n);
    });
  });

  describe("HolderClient.back", () => {
    async function setup() {
      const fixture = await loadFixture(withProposals);
      const backer = fixture.s.others[2];
      const vote = await fixture.s.inflationVote.getAddress();
      const direct = async (id: bigint, amount: bigint) => {
        await fixture.s.token.connect(backer).approve(vote, amount);
        return fixture.s.inflationVote.connect(backer).back.estimateGas(id, amount);
      };
      const client = await holderOf(fixture, backer);
      const sdk = (id: bigint, amount: bigint) => client.back(id, amount);
      return { ...fixture, backer, client, direct, who: backer.address, sdk, contract: direct };
    }

    refusals(setup, [
      ["a zero amount", [3n, 0n], { name: "InflationVoteZeroAmount", args: [] }],
      ["a proposal that does not exist", [4n, 1n * DG], { name: "InflationVoteUnknownProposal", args: [4n] }],
      [
        "a proposal being voted on",
        [1n, 1n * DG],
        {
          name: "InflationVoteWrongStatus",
          args: [1n, 3n],
          message:
            "proposal 1 is being voted on, which does not allow this: a proposal being voted on takes votes until it closes, and is settled after",
        },
      ],
      ["a queued proposal (its pool is full)", [2n, 1n * DG], { name: "InflationVoteWrongStatus", args: [2n, 2n] }],
    ]);

    it("refuses a proposal whose pooling window ends before approve + back can land", async () => {
      const { s, backer, client, direct } = await setup();
      const deadline = (await s.inflationVote.getProposal(3n)).poolDeadline;
      await time.increaseTo(deadline - 2n);
      expect(await s.inflationVote.statusOf(3n)).to.equal(1n); // still pooling in the latest block
      await expectRefused(
        s,
        backer.address,
        () => client.back(3n, 1n * DG),
        {
          name: "InflationVoteWrongStatus",
          args: [3n, 6n],
          message:
            "proposal 3 is expired, which does not allow this: it has ended: backers and the proposer withdraw what is theirs",
        },
        () => direct(3n, 1n * DG),
      );
    });

    it("refuses when the holder lacks what the pool would take", async () => {
      const { s, backer, client, direct } = await setup();
      await s.token.connect(backer).transfer(s.outsider.address, 95_000n * DG); // 5,000 DG left
      await expectRefused(
        s,
        backer.address,
        () => client.back(3n, 10_000n * DG),
        {
          name: "ERC20InsufficientBalance",
          args: [backer.address, 5_000n * DG, 10_000n * DG],
          message: `${backer.address} holds 5,000 DG, 10,000 DG needed`,
        },
        () => direct(3n, 10_000n * DG),
      );
    });

    it("approves and pulls only what the pool still takes: more than the balance is fine when the pool needs less", async () => {
      const { s, backer, client } = await setup();
      const vote = await s.inflationVote.getAddress();
      await s.token.approve(vote, 99_000n * DG);
      await s.inflationVote.back(3n, 99_000n * DG); // 1,000 DG left to fill
      const before = await s.token.balanceOf(backer.address);
      await client.back(3n, 150_000n * DG);
      expect(before - (await s.token.balanceOf(backer.address))).to.equal(1_000n * DG);
      expect(await s.token.allowance(backer.address, vote), "no allowance left behind").to.equal(0n);
      expect(await s.inflationVote.statusOf(3n)).to.equal(2n); // full: queued behind proposal 2
    });
  });

  describe("HolderClient.propose", () => {
    async function setup() {
      const fixture = await loadFixture(sdkSuite);
      const proposer = fixture.s.others[3];
      const vote = await fixture.s.inflationVote.getAddress();
      const direct = async (bps: bigint, duration: bigint) => {
        await fixture.s.token.connect(proposer).approve(vote, 1_000n * DG);
        return fixture.s.inflationVote.connect(proposer).propose.estimateGas(bps, duration);
      };
      const client = await holderOf(fixture, proposer);
      const sdk = async (bps: bigint, duration: bigint) => client.propose(bps, duration);
      return { ...fixture, proposer, client, direct, who: proposer.address, sdk, contract: direct };
    }

    refusals(setup, [
      [
        "a burn rate above 10,000 bps (with a bad duration too: the rate comes first)",
        [10_001n, DAY],
        {
          name: "InflationVoteBurnBpsOutOfRange",
          args: [10_001n, 10_000n],
          message: "the burn rate 10001 bps is above the maximum of 10000 bps",
        },
      ],
      [
        "the burn rate in force",
        [0n, 7n * DAY],
        {
          name: "InflationVoteBurnBpsUnchanged",
          args: [0n],
          message: "the burn rate is already 0 bps: nothing to vote on",
        },
      ],
      [
        "a vote 1 second shorter than 7 days",
        [2_000n, 7n * DAY - 1n],
        {
          name: "InflationVoteDurationOutOfRange",
          args: [7n * DAY - 1n, 7n * DAY, 30n * DAY],
          message: "the voting duration 604799 s is outside 7 days .. 30 days",
        },
      ],
      [
        "a vote of 31 days",
        [2_000n, 31n * DAY],
        {
          name: "InflationVoteDurationOutOfRange",
          args: [31n * DAY, 7n * DAY, 30n * DAY],
          message: "the voting duration 31 days is outside 7 days .. 30 days",
        },
      ],
    ]);

    it("refuses a proposer who cannot pay the deposit", async () => {
      const { s, proposer, client, direct } = await setup();
      await s.token.connect(proposer).transfer(s.outsider.address, 100_000n * DG - 999n * DG);
      await expectRefused(
        s,
        proposer.address,
        () => client.propose(2_000n, 7n * DAY),
        {
          name: "ERC20InsufficientBalance",
          args: [proposer.address, 999n * DG, 1_000n * DG],
          message: `${proposer.address} holds 999 DG, 1,000 DG needed`,
        },
        () => direct(2_000n, 7n * DAY),
      );
    });

    it("accepts the bounds (10,000 bps, 7 and 30 days): approve + propose, no allowance left", async () => {
      const { s, proposer, client } = await setup();
      const nonce = await ethers.provider.getTransactionCount(proposer.address);
      expect((await client.propose(10_000n, 30n * DAY)).proposalId).to.equal(1n);
      expect((await client.propose(1n, 7n * DAY)).proposalId).to.equal(2n);
      expect(await ethers.provider.getTransactionCount(proposer.address)).to.equal(nonce + 4);
      expect(await s.token.allowance(proposer.address, await s.inflationVote.getAddress())).to.equal(0n);
    });
  });

  describe("ValidatorClient.stake, with and without a permit", () => {
    async function setup() {
      const fixture = await loadFixture(sdkSuite);
      const staking = await fixture.s.staking.getAddress();
      const direct = (signer: Signer) => async (amount: bigint) => {
        await fixture.s.token.connect(signer).approve(staking, amount);
        return fixture.s.staking.connect(signer).stake.estimateGas(amount);
      };
      return { ...fixture, direct };
    }

    for (const permit of [false, true]) {
      const how = permit ? "with a permit" : "approve + stake";
      describe(how, () => {
        it("refuses a zero amount", async () => {
          const f = await setup();
          const v = f.s.others[4];
          await expectRefused(
            f.s,
            v.address,
            () => validatorOf(f, v).then((c) => c.stake(0n, { permit })),
            { name: "ValidatorStakingZeroAmount", args: [], message: "the amount must be more than 0 DG" },
            () => f.direct(v)(0n),
          );
        });

        it("refuses a first stake 1 wei below the minimum", async () => {
          const f = await setup();
          const v = f.s.others[4];
          await expectRefused(
            f.s,
            v.address,
            () => validatorOf(f, v).then((c) => c.stake(MIN_STAKE - 1n, { permit })),
            {
              name: "ValidatorStakingBelowMinimum",
              args: [MIN_STAKE - 1n, MIN_STAKE],
              message:
                "the stake of 9,999.999999999999999999 DG is below the minimum of 10,000 DG: a validator's active stake is 0 or at least 10,000 DG",
            },
            () => f.direct(v)(MIN_STAKE - 1n),
          );
        });

        it("refuses a validator cooling down", async () => {
          const f = await setup();
          const v = f.s.validators[0];
          await f.s.staking.connect(v).requestUnbond((await f.s.staking.validatorInfo(v.address)).active);
          await f.s.token.transfer(v.address, 1n * DG);
          await expectRefused(
            f.s,
            v.address,
            () => validatorOf(f, v).then((c) => c.stake(1n * DG, { permit })),
            {
              name: "ValidatorStakingWrongStatus",
              args: [v.address, 2n],
              message: `${v.address} is cooling down, which does not allow this: a validator cooling down withdraws after the cooldown, then may stake anew`,
            },
            () => f.direct(v)(1n * DG),
          );
        });

        it("refuses an expelled validator", async () => {
          const f = await setup();
          const v = f.s.validators[1];
          const slasher = await slasherOf(f.s);
          await f.s.staking.connect(slasher).recordExposure(999n, v.address);
          await f.s.staking.connect(slasher).slash(999n, v.address, 20_000n * DG, f.s.outsider.address);
          await f.s.token.transfer(v.address, MIN_STAKE);
          await expectRefused(
            f.s,
            v.address,
            () => validatorOf(f, v).then((c) => c.stake(MIN_STAKE, { permit })),
            {
              name: "ValidatorStakingExpelled",
              args: [v.address],
              message: `${v.address} was expelled and cannot stake again`,
            },
            () => f.direct(v)(MIN_STAKE),
          );
        });

        it("refuses more DG than the validator holds", async () => {
          const f = await setup();
          const v = f.s.others[4];
          await expectRefused(
            f.s,
            v.address,
            () => validatorOf(f, v).then((c) => c.stake(100_000n * DG + 1n, { permit })),
            { name: "ERC20InsufficientBalance", args: [v.address, 100_000n * DG, 100_000n * DG + 1n] },
            () => f.direct(v)(100_000n * DG + 1n),
          );
        });

        it("refuses an amount that does not fit the escrow's 96 bits", async () => {
          const f = await setup();
          const v = f.s.others[4];
          await expectRefused(
            f.s,
            v.address,
            () => validatorOf(f, v).then((c) => c.stake(2n ** 96n, { permit })),
            { name: "SafeCastOverflowedUintDowncast", args: [96n, 2n ** 96n] },
            () => f.direct(v)(2n ** 96n),
          );
        });

        it("accepts a top-up far below the minimum from an Active validator", async () => {
          const f = await setup();
          const v = f.s.validators[0];
          await f.s.token.transfer(v.address, 1n);
          const before = (await f.s.staking.validatorInfo(v.address)).active;
          await (await validatorOf(f, v)).stake(1n, { permit });
          expect((await f.s.staking.validatorInfo(v.address)).active).to.equal(before + 1n);
          expect(await f.s.token.allowance(v.address, await f.s.staking.getAddress())).to.equal(0n);
        });
      });
    }

    it("with a permit whose deadline has passed: refused as the contract would (the permit fails, no allowance)", async () => {
      const f = await setup();
      const v = f.s.others[4];
      const deadline = BigInt(await time.latest());
      const client = await validatorOf(f, v);
      await expectRefused(
        f.s,
        v.address,
        () => client.stake(MIN_STAKE, { deadline }),
        {
          name: "ValidatorStakingPermitFailed",
          args: [0n, MIN_STAKE],
          message: "the permit failed and the allowance of 0 DG does not cover 10,000 DG",
        },
        async () => {
          const p = await signPermit(client.suite, v, await f.s.staking.getAddress(), MIN_STAKE, deadline);
          return f.s.staking.connect(v).stakeWithPermit.estimateGas(MIN_STAKE, deadline, p.v, p.r, p.s);
        },
      );
    });

    it("without a permit, an allowance already there means one transaction", async () => {
      const f = await setup();
      const v = f.s.others[4];
      await f.s.token.connect(v).approve(await f.s.staking.getAddress(), MIN_STAKE);
      const nonce = await ethers.provider.getTransactionCount(v.address);
      await (await validatorOf(f, v)).stake(MIN_STAKE, { permit: false });
      expect(await ethers.provider.getTransactionCount(v.address)).to.equal(nonce + 1);
      expect((await f.s.staking.validatorInfo(v.address)).status).to.equal(1n);
    });
  });

  describe("ValidatorClient.maxUnbond", () => {
    it("is the whole active stake: requestUnbond(maxUnbond) succeeds, maxUnbond + 1 wei is refused", async () => {
      const f = await loadFixture(sdkSuite);
      const v = f.s.validators[2];
      const client = await validatorOf(f, v);
      const max = await client.maxUnbond();
      expect(max).to.equal(22_000n * DG); // stakeOf(2)
      expect(await client.maxUnbond(v.address)).to.equal(max);
      await expectRefused(
        f.s,
        v.address,
        () => client.requestUnbond(max + 1n),
        {
          name: "ValidatorStakingAmountAboveStake",
          args: [max + 1n, max],
          message: "22,000.000000000000000001 DG is more than the active stake of 22,000 DG",
        },
        () => f.s.staking.connect(v).requestUnbond.estimateGas(max + 1n),
      );
      await client.requestUnbond(max);
      expect((await client.status()).status).to.equal("CoolingDown");
      expect(await client.maxUnbond(), "nothing more to unbond").to.equal(0n);
    });

    it("staying Active: the stake above the minimum; 1 wei more leaves less than the minimum and is refused", async () => {
      const f = await loadFixture(sdkSuite);
      const v = f.s.validators[2];
      const client = await validatorOf(f, v);
      const max = await client.maxUnbond(undefined, { stayActive: true });
      expect(max).to.equal(22_000n * DG - MIN_STAKE);
      await expectRefused(
        f.s,
        v.address,
        () => client.requestUnbond(max + 1n),
        { name: "ValidatorStakingBelowMinimum", args: [MIN_STAKE - 1n, MIN_STAKE] },
        () => f.s.staking.connect(v).requestUnbond.estimateGas(max + 1n),
      );
      await client.requestUnbond(max);
      const status = await client.status();
      expect([status.status, status.active]).to.deep.equal(["Active", MIN_STAKE]);
      expect(await client.maxUnbond(undefined, { stayActive: true })).to.equal(0n);
    });

    it("an open cross-check does not restrict unbonding (it only delays the withdrawal)", async () => {
      const f = await loadFixture(sdkSuite);
      const v = f.s.validators[3];
      await f.s.staking.connect(await slasherOf(f.s)).recordExposure(7n, v.address);
      const client = await validatorOf(f, v);
      const max = await client.maxUnbond();
      expect(max).to.equal(23_000n * DG);
      await client.requestUnbond(max);
      expect((await client.status()).unbonding).to.equal(max);
    });

    it("is 0 for an address that never staked", async () => {
      const f = await loadFixture(sdkSuite);
      expect(await (await validatorOf(f, f.s.others[0])).maxUnbond()).to.equal(0n);
      expect(await (await validatorOf(f, f.s.others[0])).maxUnbond(undefined, { stayActive: true })).to.equal(0n);
    });
  });

  describe("OracleClient.postEpoch", () => {
    /** Epoch 0 built for this deployment (validators 0 and 1), the oracle (the deployer) and genesis. */
    async function setup() {
      const fixture = await loadFixture(sdkSuite);
      const { s } = fixture;
      const oracle = await oracleOf(fixture, s.deployer);
      const [v1, v2] = s.validators;
      const epoch0 = await oracle.buildEpoch(0n, [
        { validator: v1.address, compute: 70n },
        { validator: v2.address, compute: 30n },
      ]);
      return { ...fixture, oracle, epoch0, genesis: await s.rewards.genesis() };
    }

    const tampered: [string, (p: ProofsFile) => ProofsFile, RegExp][] = [
      [
        "a file whose root was edited",
        (p) => ({ ...p, root: id("another root") }),
        /^the proofs file's root 0x[0-9a-f]{64} is not the root of its leaves \(0x[0-9a-f]{64}\): it was changed after it was built; build it again from the compute report$/,
      ],
      [
        "a file whose total compute was edited",
        (p) => ({ ...p, totalCompute: "101" }),
        /^the proofs file's total compute 101 is not the sum of its leaves \(100\): it was changed after it was built/,
      ],
      [
        "a file whose leaf was edited (compute 70 → 90, the root no longer matches)",
        (p) => {
          const [v1] = Object.keys(p.proofs);
          return { ...p, proofs: { ...p.proofs, [v1]: { ...p.proofs[v1], compute: "90" } } };
        },
        /^the proofs file's (root|total compute) .* (is not the root of its leaves|is not the sum of its leaves)/,
      ],
      [
        "a file whose proof was edited",
        (p) => {
          const [v1] = Object.keys(p.proofs);
          return { ...p, proofs: { ...p.proofs, [v1]: { ...p.proofs[v1], proof: [id("x")] } } };
        },
        /^the proofs file's proof for 0x[0-9a-fA-F]{40} does not match its leaf: it was changed after it was built/,
      ],
    ];
    for (const [what, edit, message] of tampered) {
      it(`refuses ${what}`, async () => {
        const { s, oracle, epoch0, genesis } = await setup();
        await time.increaseTo(genesis + DAY);
        await expectSdkRefused(s, s.deployer.address, () => oracle.postEpoch(0n, edit(epoch0.proofs)), message);
      });
    }

    it("refuses a file built for another chain (issue 15: a chain-97 file posted on 31337)", async () => {
      const { s, oracle, genesis } = await setup();
      await time.increaseTo(genesis + DAY);
      const distributor = await s.rewards.getAddress();
      const built = buildEpoch({
        chainId: 97n,
        distributor,
        epoch: 0n,
        entries: [{ validator: s.validators[0].address, compute: 1n }],
      });
      const foreign = toProofsFile(built, { chainId: 97n, distributor, epoch: 0n });
      await expectSdkRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(0n, foreign),
        "the proofs file is for chain 97, not this network's chain 31337",
      );
      await expectSdkRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(0n, built),
        "the built epoch is for chain 97, not this network's chain 31337",
      );
    });

    it("refuses a file built for another distributor", async () => {
      const { s, oracle, genesis } = await setup();
      await time.increaseTo(genesis + DAY);
      const other = await s.staking.getAddress();
      const built = buildEpoch({
        chainId: 31337n,
        distributor: other,
        epoch: 0n,
        entries: [{ validator: s.validators[0].address, compute: 1n }],
      });
      await expectSdkRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(0n, toProofsFile(built, { chainId: 31337n, distributor: other, epoch: 0n })),
        `the proofs file is for the distributor ${other}, not this deployment's ComputeRewards ${await s.rewards.getAddress()}`,
      );
    });

    it("refuses a file of another epoch than the one named", async () => {
      const { s, oracle, epoch0, genesis } = await setup();
      await time.increaseTo(genesis + 2n * DAY);
      await expectSdkRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(1n, epoch0.proofs),
        "the proofs file is for epoch 0, not 1",
      );
    });

    it("refuses an epoch that has not ended by the next block; posts it when it has", async () => {
      const { s, oracle, epoch0, genesis } = await setup();
      await time.increaseTo(genesis + DAY - 2n);
      await expectRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(0n, epoch0.proofs),
        {
          name: "ComputeRewardsEpochNotEnded",
          args: [0n, 0n],
          message: "epoch 0 has not ended yet (0 epochs have ended)",
        },
        () => s.rewards.postRoot.estimateGas(0n, epoch0.built.root, 100n),
      );
      // One second later the next block is the epoch's end: accepted.
      await time.increaseTo(genesis + DAY - 1n);
      const receipt = await oracle.postEpoch(0n, epoch0.proofs);
      expect(BigInt((await receipt.getBlock()).timestamp)).to.equal(genesis + DAY);
      expect((await s.rewards.getEpoch(0n)).root).to.equal(epoch0.built.root);
    });

    it("refuses an epoch already posted, and one posted while the previous root is in its challenge window", async () => {
      const { s, oracle, epoch0, genesis } = await setup();
      await time.increaseTo(genesis + 2n * DAY);
      await oracle.postEpoch(0n, epoch0.built);
      const activation = await s.rewards.activatesAt(0n);
      const epoch1 = await oracle.buildEpoch(1n, [{ validator: s.validators[0].address, compute: 5n }]);
      await expectRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(1n, epoch1.proofs),
        { name: "ComputeRewardsPendingRoot", args: [0n, activation] },
        () => s.rewards.postRoot.estimateGas(1n, epoch1.built.root, 5n),
      );
      await time.increaseTo(activation);
      await expectRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(0n, epoch0.proofs),
        {
          name: "ComputeRewardsEpochNotIncreasing",
          args: [0n, 1n],
          message: "epoch 0 cannot be posted: the next postable epoch is 1 or later",
        },
        () => s.rewards.postRoot.estimateGas(0n, epoch0.built.root, 100n),
      );
      await oracle.postEpoch(1n, epoch1.proofs);
      expect(await s.rewards.nextEpoch()).to.equal(2n);
    });

    it("refuses an epoch after the next postable one unless told to skip the earlier ones (issue 15: they could never be posted)", async () => {
      const { s, oracle, genesis } = await setup();
      await time.increaseTo(genesis + 6n * DAY);
      const entries = [{ validator: s.validators[0].address, compute: 5n }];
      const epoch5 = await oracle.buildEpoch(5n, entries);
      await expectSdkRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(5n, epoch5.proofs),
        "epoch 0 is the next epoch to post, not 5: posting 5 skips epochs 0-4 for good (never postable again, their emission goes to later pools, not to their validators); post 0 first, or skip deliberately (skipEarlier: true, --skip-earlier)",
      );
      const epoch1 = await oracle.buildEpoch(1n, entries);
      await expectSdkRefused(
        s,
        s.deployer.address,
        () => oracle.postEpoch(1n, epoch1.proofs),
        /posting 1 skips epoch 0 for good/,
      );
      expect(await s.rewards.nextEpoch()).to.equal(0n);
      await oracle.postEpoch(5n, epoch5.proofs, { skipEarlier: true });
      expect(await s.rewards.nextEpoch()).to.equal(6n);
      expect((await s.rewards.getEpoch(5n)).root).to.equal(epoch5.built.root);
    });

    it("refuses an account without ORACLE_ROLE, naming the role", async () => {
      const f = await setup();
      const { s, epoch0, genesis } = f;
      await time.increaseTo(genesis + DAY);
      const outsider = await oracleOf(f, s.outsider);
      await expectRefused(
        s,
        s.outsider.address,
        () => outsider.postEpoch(0n, epoch0.proofs),
        {
          name: "AccessControlUnauthorizedAccount",
          args: [s.outsider.address, id("ORACLE_ROLE")],
          message: `${s.outsider.address} lacks the role ORACLE_ROLE needed for this call`,
        },
        () => s.rewards.connect(s.outsider).postRoot.estimateGas(0n, epoch0.built.root, 100n),
      );
    });

    it("refuses a distributor the reservation does not pay", async () => {
      const { s, oracle, genesis } = await setup();
      // A second ComputeRewards over the same reservation, whose beneficiary stays the first one.
      const second = await new ComputeRewards__factory(s.deployer).deploy(
        await s.token.getAddress(),
        await s.reservation.getAddress(),
        await s.staking.getAddress(),
        genesis,
        SUITE_PARAMS.epochDuration,
        SUITE_PARAMS.challengeWindow,
        s.deployer.address,
        0n,
      );
      await second.grantRole(await second.ORACLE_ROLE(), s.deployer.address);
      const client = new OracleClient({ ...oracle.suite, rewards: second }, s.deployer);
      const epoch = await client.buildEpoch(0n, [{ validator: s.validators[0].address, compute: 1n }]);
      await time.increaseTo(genesis + DAY);
      await expectRefused(
        s,
        s.deployer.address,
        () => client.postEpoch(0n, epoch.proofs),
        {
          name: "ComputeRewardsNotBeneficiary",
          args: [await s.rewards.getAddress()],
          message: `the reservation pays ${await s.rewards.getAddress()}, not this distributor`,
        },
        () => second.postRoot.estimateGas(0n, epoch.built.root, 1n),
      );
    });
  });

  describe("OracleClient.revokeEpoch (the guardian)", () => {
    async function posted() {
      const fixture = await sdkSuite();
      const { s } = fixture;
      const oracle = await oracleOf(fixture, s.deployer); // the deployer is oracle and guardian here
      const epoch0 = await oracle.buildEpoch(0n, [{ validator: s.validators[0].address, compute: 3n }]);
      await time.increaseTo((await s.rewards.genesis()) + DAY);
      await oracle.postEpoch(0n, epoch0.proofs);
      return { ...fixture, oracle, epoch0, activation: await s.rewards.activatesAt(0n) };
    }

    it("refuses an account without GUARDIAN_ROLE, naming the role", async () => {
      const f = await loadFixture(posted);
      await expectRefused(
        f.s,
        f.s.outsider.address,
        async () => (await oracleOf(f, f.s.outsider)).revokeEpoch(0n),
        {
          name: "AccessControlUnauthorizedAccount",
          args: [f.s.outsider.address, id("GUARDIAN_ROLE")],
          message: `${f.s.outsider.address} lacks the role GUARDIAN_ROLE needed for this call`,
        },
        () => f.s.rewards.connect(f.s.outsider).revokeRoot.estimateGas(0n),
      );
    });

    it("refuses an epoch with no root posted", async () => {
      const f = await loadFixture(posted);
      await expectRefused(
        f.s,
        f.s.deployer.address,
        () => f.oracle.revokeEpoch(1n),
        { name: "ComputeRewardsUnknownEpoch", args: [1n], message: "no root is posted for epoch 1" },
        () => f.s.rewards.revokeRoot.estimateGas(1n),
      );
    });

    it("refuses a root that is active by the next block", async () => {
      const f = await loadFixture(posted);
      await time.increaseTo(f.activation - 1n);
      await expectRefused(
        f.s,
        f.s.deployer.address,
        () => f.oracle.revokeEpoch(0n),
        { name: "ComputeRewardsAlreadyActive", args: [0n, f.activation] },
        () => f.s.rewards.revokeRoot.estimateGas(0n),
      );
    });

    it("revokes a root in its window (the pool returns to the carry); the epoch can then be posted again", async () => {
      const f = await loadFixture(posted);
      const pool = (await f.s.rewards.getEpoch(0n)).pool;
      const carry = await f.s.rewards.carry();
      await time.increaseTo(f.activation - 2n);
      const revoked = await f.oracle.revokeEpoch(0n);
      expect([revoked.root, revoked.pool]).to.deep.equal([f.epoch0.built.root, pool]);
      expect(await f.s.rewards.carry()).to.equal(carry + pool);
      expect([(await f.s.rewards.getEpoch(0n)).root, await f.s.rewards.nextEpoch()]).to.deep.equal([ZeroHash, 0n]);
      await f.oracle.postEpoch(0n, f.epoch0.proofs);
      expect((await f.s.rewards.getEpoch(0n)).root).to.equal(f.epoch0.built.root);
    });

    it("after revoking the latest root, the epoch can be posted again at once although an earlier root exists", async () => {
      const f = await loadFixture(posted);
      await time.increaseTo(f.activation); // epoch 0 active (final); epoch 1 has ended
      const epoch1 = await f.oracle.buildEpoch(1n, [{ validator: f.s.validators[1].address, compute: 4n }]);
      await f.oracle.postEpoch(1n, epoch1.proofs);
      await f.oracle.revokeEpoch(1n);
      expect(await f.s.rewards.nextEpoch()).to.equal(1n);
      await f.oracle.postEpoch(1n, epoch1.proofs);
      expect((await f.s.rewards.getEpoch(1n)).root).to.equal(epoch1.built.root);
    });
  });

  describe("HolderClient.transfer", () => {
    async function setup() {
      const fixture = await loadFixture(sdkSuite);
      const sender = fixture.s.others[5];
      return { ...fixture, sender, client: await holderOf(fixture, sender) };
    }

    it("sends exactly the amount, in one transaction", async () => {
      const { s, sender, client } = await setup();
      const nonce = await ethers.provider.getTransactionCount(sender.address);
      const before = await s.token.balanceOf(s.outsider.address);
      await client.transfer(s.outsider.address, 1_234n * DG + 5n);
      expect((await s.token.balanceOf(s.outsider.address)) - before).to.equal(1_234n * DG + 5n);
      expect(await ethers.provider.getTransactionCount(sender.address)).to.equal(nonce + 1);
    });

    it("refuses the zero address as the token would", async () => {
      const { s, sender, client } = await setup();
      await expectRefused(
        s,
        sender.address,
        () => client.transfer(ZeroAddress, 1n),
        { name: "ERC20InvalidReceiver", args: [ZeroAddress], message: `DG cannot be sent to ${ZeroAddress}` },
        () => s.token.connect(sender).transfer.estimateGas(ZeroAddress, 1n),
      );
    });

    it("refuses more than the balance as the token would", async () => {
      const { s, sender, client } = await setup();
      await expectRefused(
        s,
        sender.address,
        () => client.transfer(s.outsider.address, 100_000n * DG + 1n),
        { name: "ERC20InsufficientBalance", args: [sender.address, 100_000n * DG, 100_000n * DG + 1n] },
        () => s.token.connect(sender).transfer.estimateGas(s.outsider.address, 100_000n * DG + 1n),
      );
    });

    it("refuses the suite's own contracts (DG sent there by transfer are credited to no one)", async () => {
      const { s, sender, client } = await setup();
      const targets: [string, string][] = [
        [await s.token.getAddress(), "the DG token contract itself"],
        [await s.staking.getAddress(), "ValidatorStaking"],
        [await s.inflationVote.getAddress(), "InflationVote"],
        [await s.rewards.getAddress(), "ComputeRewards"],
        [await s.reservation.getAddress(), "MiningReservation"],
        [await s.crossCheck.getAddress(), "CrossCheck"],
      ];
      for (const [address, name] of targets) {
        await expectSdkRefused(
          s,
          sender.address,
          () => client.transfer(address.toLowerCase(), 1n * DG),
          new RegExp(`^${address} is ${name}`),
        );
      }
    });

    it("refuses a zero amount and a malformed address", async () => {
      const { s, sender, client } = await setup();
      await expectSdkRefused(s, sender.address, () => client.transfer(s.outsider.address, 0n), /more than 0 DG/);
      await expectSdkRefused(s, sender.address, () => client.transfer("0x1234", 1n), '"0x1234" is not an address');
    });
  });

  describe("HolderClient.proposals and position", () => {
    it("lists every proposal, pooling ones included, with the pool and quorum progress", async () => {
      const f = await loadFixture(withProposals);
      const client = await holderOf(f, f.s.others[1]);
      await client.vote(1n, true, 50_000n * DG);
      const all = await client.proposals();
      expect(all.map((p) => [p.id, p.state, p.targetBurnBps])).to.deep.equal([
        [1n, "Voting", 2_000n],
        [2n, "Queued", 3_000n],
        [3n, "Pooling", 4_000n],
      ]);
      const [voting, , pooling] = all;
      // 30,000,000 DG supply (nothing burned yet), quorum 1% = 300,000 DG; 50,000 DG for.
      expect(voting.quorum).to.equal(300_000n * DG);
      expect([voting.forVotesToQuorum, voting.passing, voting.poolToTarget]).to.deep.equal([250_000n * DG, false, 0n]);
      expect(voting.closesAt).to.equal(voting.votingEnd);
      expect([pooling.forVotesToQuorum, pooling.poolToTarget, pooling.closesAt]).to.deep.equal([
        undefined,
        100_000n * DG,
        0n,
      ]);
      await f.s.token.transfer(f.s.others[1].address, 250_000n * DG);
      await client.vote(1n, true, 250_000n * DG);
      const now = await client.proposal(1n);
      expect([now.forVotesToQuorum, now.passing]).to.deep.equal([0n, true]);
    });

    it("an empty vote closes at its minimum duration", async () => {
      const f = await loadFixture(withProposals);
      const p = await (await holderOf(f, f.s.others[1])).proposal(1n);
      expect(p.closesAt).to.equal(p.votingStart + 7n * DAY);
      expect(p.votingEnd).to.equal(p.votingStart + 10n * DAY);
    });

    it("an unknown proposal is a plain-words error", async () => {
      const f = await loadFixture(withProposals);
      await expect((await holderOf(f, f.s.others[1])).proposal(9n)).to.be.rejectedWith(
        DataGenError,
        "there is no proposal 9",
      );
    });

    it("position: backing, locked vote and side, what can be withdrawn now, through the whole life of a proposal", async () => {
      const f = await loadFixture(withProposals);
      const holder = f.s.others[1];
      const client = await holderOf(f, holder);
      await client.back(3n, 40_000n * DG);
      let pos = await client.position(3n);
      expect(pos).to.deep.equal({
        proposalId: 3n,
        holder: holder.address,
        state: "Pooling",
        backed: 40_000n * DG,
        locked: 0n,
        side: "None",
        deposit: 0n,
        withdrawableBacking: 40_000n * DG,
        withdrawable: 0n,
        canWithdraw: false,
      });
      await client.vote(1n, false, 30_000n * DG);
      pos = await client.position(1n, holder.address);
      expect([pos.state, pos.locked, pos.side, pos.withdrawableBacking, pos.canWithdraw]).to.deep.equal([
        "Voting",
        30_000n * DG,
        "Against",
        0n,
        false,
      ]);
      // The proposer's deposit of proposal 1 is held until the vote is settled.
      const proposer = await client.position(1n, f.s.others[0].address);
      expect([proposer.deposit, proposer.withdrawable]).to.deep.equal([1_000n * DG, 0n]);
      await time.increaseTo((await f.s.inflationVote.getProposal(1n)).votingEnd);
      await client.settle(1n);
      pos = await client.position(1n);
      expect([pos.state, pos.withdrawable, pos.canWithdraw]).to.deep.equal(["Failed", 30_000n * DG, true]);
      // 30,000 DG against: below the 300,000 DG quorum, so the deposit was burned at settlement.
      expect((await client.position(1n, f.s.others[0].address)).canWithdraw).to.equal(false);
      const before = await f.s.token.balanceOf(holder.address);
      await client.withdraw(1n);
      expect((await f.s.token.balanceOf(holder.address)) - before).to.equal(30_000n * DG);
      pos = await client.position(1n);
      expect([pos.locked, pos.withdrawable, pos.canWithdraw]).to.deep.equal([0n, 0n, false]);
    });
  });

  describe("role errors name the role, not its hash", () => {
    it("knows every role constant of the suite, as the contracts define them", async () => {
      const f = await loadFixture(sdkSuite);
      const onChain: [string, string][] = [
        ["DEFAULT_ADMIN_ROLE", await f.s.rewards.DEFAULT_ADMIN_ROLE()],
        ["ORACLE_ROLE", await f.s.rewards.ORACLE_ROLE()],
        ["GUARDIAN_ROLE", await f.s.rewards.GUARDIAN_ROLE()],
        ["COORDINATOR_ROLE", await f.s.crossCheck.COORDINATOR_ROLE()],
        ["DEFAULT_ADMIN_ROLE", await f.s.staking.DEFAULT_ADMIN_ROLE()],
      ];
      for (const [name, value] of onChain) expect(roleName(value)).to.equal(name);
      expect(Object.values(ROLE_NAMES).sort()).to.deep.equal([
        "COORDINATOR_ROLE",
        "DEFAULT_ADMIN_ROLE",
        "GUARDIAN_ROLE",
        "ORACLE_ROLE",
      ]);
      expect(roleName(id("SOMETHING_ELSE"))).to.equal(id("SOMETHING_ELSE"));
    });

    it("a real revert for a missing role reads as the role's name", async () => {
      const f = await loadFixture(sdkSuite);
      const suite = await clientSuite(f.s.outsider, f.dir);
      const error = await send(suite.staking.scheduleSlashRewardBps, 1_000n).catch((e: unknown) => e);
      expect((error as DataGenError).message).to.equal(
        `${f.s.outsider.address} lacks the role DEFAULT_ADMIN_ROLE needed for this call`,
      );
      expect((error as DataGenError).message).to.not.include(ZeroHash);
    });
  });
});
