/**
 * `npm start`: runs the core life cycle on the embedded Hardhat network and prints what happened.
 * Deploys through the production Ignition module (deploy/modules/Core.ts), then: releases across
 * the first halving, runs an inflation-cut vote that sets a 20% burn, and shows its effect on supply.
 */
import { ethers, ignition, network } from "hardhat";
import CoreModule from "../deploy/modules/Core";
import type { DataGen, InflationVote, MiningReservation } from "../typechain-types";

const DAY = 86_400n;
const fmt = (wei: bigint) => `${ethers.formatUnits(wei, 18)} DG`;

async function setTime(timestamp: bigint) {
  await network.provider.send("evm_setNextBlockTimestamp", [Number(timestamp)]);
  await network.provider.send("evm_mine", []);
}

async function main() {
  const [deployer, beneficiary, alice, bob, carol] = await ethers.getSigners();
  const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
  const releaseStart = BigInt(latest) + DAY;

  console.log("== Deploying the core through the Ignition module (embedded Hardhat network) ==");
  const deployed = await ignition.deploy(CoreModule, {
    parameters: { Core: { releaseStart, initialBurnBps: 0n, quorumBps: 100n } },
  });
  const token = deployed.token as unknown as DataGen;
  const reservation = deployed.reservation as unknown as MiningReservation;
  const vote = deployed.inflationVote as unknown as InflationVote;
  await (await reservation.setBeneficiary(beneficiary.address)).wait();
  console.table({
    DataGen: await token.getAddress(),
    MiningReservation: await reservation.getAddress(),
    InflationVote: await vote.getAddress(),
    beneficiary: beneficiary.address,
  });

  console.log("\n== Release across the first halving ==");
  const releases: Record<string, { beneficiary: string; burned: string; cumulative: string }> = {};
  for (const day of [0n, 1n, 1094n, 1095n, 1096n]) {
    await setTime(releaseStart + day * DAY);
    const receipt = await (await reservation.release()).wait();
    const event = receipt!.logs
      .map((log) => reservation.interface.parseLog(log))
      .find((parsed) => parsed?.name === "Released");
    releases[`day ${day} (rate ${fmt(await reservation.dailyRate(day))})`] = {
      beneficiary: fmt(event ? (event.args.toBeneficiary as bigint) : 0n),
      burned: fmt(event ? (event.args.burned as bigint) : 0n),
      cumulative: fmt(await reservation.emitted()),
    };
  }
  console.table(releases);

  console.log("\n== Inflation-cut vote: burn 20% of every release ==");
  for (const holder of [alice, bob, carol]) {
    await (await token.transfer(holder.address, 300_000n * 10n ** 18n)).wait();
    await (await token.connect(holder).approve(await vote.getAddress(), ethers.MaxUint256)).wait();
  }
  await (await vote.connect(alice).propose(2_000n, 7n * DAY)).wait();
  await (await vote.connect(alice).back(1n, 60_000n * 10n ** 18n)).wait();
  await (await vote.connect(bob).back(1n, 60_000n * 10n ** 18n)).wait(); // only 40,000 DG are taken
  const opened = await vote.getProposal(1n);
  console.log(`pool full: vote opened, quorum ${fmt(opened.quorum)}, ends ${new Date(Number(opened.votingEnd) * 1000).toISOString()}`);
  await (await vote.connect(alice).vote(1n, true, 200_000n * 10n ** 18n)).wait();
  await (await vote.connect(bob).vote(1n, true, 200_000n * 10n ** 18n)).wait();
  await (await vote.connect(carol).vote(1n, false, 100_000n * 10n ** 18n)).wait();
  await setTime(opened.votingEnd);
  const supplyBefore = await token.totalSupply();
  await (await vote.settle(1n)).wait();
  const settled = await vote.getProposal(1n);
  console.table({
    "votes for": fmt(settled.forVotes),
    "votes against": fmt(settled.againstVotes),
    result: (await vote.statusOf(1n)) === 4n ? "passed" : "failed",
    "reservation burnBps": (await reservation.burnBps()).toString(),
  });

  const nextDay = (BigInt((await ethers.provider.getBlock("latest"))!.timestamp) - releaseStart) / DAY + 1n;
  await setTime(releaseStart + nextDay * DAY);
  const balanceBefore = await token.balanceOf(beneficiary.address);
  await (await reservation.release()).wait();
  console.table({
    [`release of day ${nextDay}`]: fmt(await reservation.dailyRate(nextDay)),
    "to beneficiary (80%)": fmt((await token.balanceOf(beneficiary.address)) - balanceBefore),
    "burned (20%)": fmt(supplyBefore - (await token.totalSupply())),
    "total supply now": fmt(await token.totalSupply()),
  });

  for (const holder of [alice, bob, carol]) await (await vote.connect(holder).withdraw(1n)).wait();
  console.log("\nEvery backer and voter withdrew exactly its own DG:");
  console.table(
    Object.fromEntries(
      await Promise.all(
        [alice, bob, carol].map(async (h, i) => [["alice", "bob", "carol"][i], fmt(await token.balanceOf(h.address))]),
      ),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
