import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { voteFixture, proposeAndFill, MIN_VOTING_DURATION } from "./helpers/vote";

describe("probe", () => {
  it("timing of reverted calls", async () => {
    const f = await loadFixture(voteFixture);
    const vote = f.inflationVote;
    const id = await proposeAndFill(vote, f.holders[0], 5000n, MIN_VOTING_DURATION);
    const p = await vote.getProposal(id);
    console.log("end", p.votingEnd, "latest", await time.latest());
    await time.setNextBlockTimestamp(p.votingEnd - 1n);
    await expect(vote.settle(id)).to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded");
    console.log("latest after revert (no gasLimit)", await time.latest());
    const tx = await vote.connect(f.holders[1]).vote(id, true, 20n * 10n**18n);
    const r = await tx.wait();
    console.log("next tx ts", (await ethers.provider.getBlock(r!.blockNumber))!.timestamp);
    await time.setNextBlockTimestamp(p.votingEnd - 1n + 5n);
    await expect(vote.settle(id, { gasLimit: 1_000_000 })).to.be.revertedWithCustomError(vote, "InflationVoteVotingNotEnded");
    console.log("latest after revert (gasLimit)", await time.latest());
  });
});
