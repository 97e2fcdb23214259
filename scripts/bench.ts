/**
 * `npm run bench`: gas of every user-facing operation, measured in one run on the embedded
 * Hardhat network through the production deployment module. Gas is deterministic, so the table is
 * reproducible; it is printed and written to bench/gas.md.
 */
import fs from "node:fs";
import path from "node:path";
import { ethers, ignition, network } from "hardhat";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import CoreModule from "../deploy/modules/Core";
import type { DataGen, InflationVote, MiningReservation } from "../typechain-types";

const DAY = 86_400n;
const DG = 10n ** 18n;

interface Row {
  operation: string;
  gas: bigint;
  anchor: string;
}
const rows: Row[] = [];

async function measure(operation: string, anchor: string, tx: Promise<ContractTransactionResponse>) {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error(`no receipt for ${operation}`);
  rows.push({ operation, gas: receipt.gasUsed, anchor });
  return receipt.gasUsed;
}

async function main() {
  const [deployer, beneficiary, alice, bob] = await ethers.getSigners();
  const releaseStart = BigInt(await time.latest()) + DAY;
  const deployed = await ignition.deploy(CoreModule, {
    parameters: { Core: { releaseStart, initialBurnBps: 0n, quorumBps: 100n } },
  });
  const token = deployed.token as unknown as DataGen;
  const reservation = deployed.reservation as unknown as MiningReservation;
  const vote = deployed.inflationVote as unknown as InflationVote;
  await (await reservation.setBeneficiary(beneficiary.address)).wait();
  await (await token.transfer(alice.address, 1_000_000n * DG)).wait();
  await (await token.transfer(bob.address, 1_000_000n * DG)).wait();

  // --- token ---
  await measure("DG transfer (to a holder with a balance)", "ERC-20 transfer ~35-52k", token.connect(alice).transfer(bob.address, DG));
  const deadline = BigInt(await time.latest()) + DAY;
  const nonce = await token.nonces(alice.address);
  const domain = { name: "DataGen", version: "1", chainId: (await ethers.provider.getNetwork()).chainId, verifyingContract: await token.getAddress() };
  const types = { Permit: [
    { name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" },
  ] };
  const sig = ethers.Signature.from(await alice.signTypedData(domain, types, { owner: alice.address, spender: bob.address, value: DG, nonce, deadline }));
  await measure("DG permit (EIP-2612)", "OZ permit ~75-80k", token.connect(bob).permit(alice.address, bob.address, DG, deadline, sig.v, sig.r, sig.s));

  // --- release: each case from the same snapshot: one earlier release, then the measured one ---
  const releaseCases: [string, bigint, bigint][] = [
    ["release() on day 1 (after day 0)", 0n, 1n],
    ["release() on day 5000 (after day 4999)", 4999n, 5000n],
    ["release() on day 80000 (after day 79000)", 79000n, 80000n],
    ["release() after a 10-year gap (day 3650 after day 0)", 0n, 3650n],
  ];
  const probe = await (await ethers.getContractFactory("ReleaseGasProbe")).deploy();
  const beforeRelease = await takeSnapshot();
  for (const [label, previousDay, day] of releaseCases) {
    await time.increaseTo(releaseStart + previousDay * DAY);
    await (await reservation.release()).wait();
    await time.increaseTo(releaseStart + day * DAY);
    await measure(label, "Datagen releaseDataGen 64-99k", reservation.release());
    await beforeRelease.restore();
  }
  // The same calls through a probe that reads gasleft() around release(): execution gas without the
  // end-of-transaction refund that the reserve-exhausting call earns (see contracts/test/ReleaseGasProbe.sol).
  for (const [label, previousDay, day] of releaseCases) {
    await time.increaseTo(releaseStart + previousDay * DAY);
    await (await reservation.release()).wait();
    await time.increaseTo(releaseStart + day * DAY);
    const gasInside = await probe.measureRelease.staticCall(await reservation.getAddress());
    rows.push({ operation: `${label}, execution only (no refund)`, gas: gasInside, anchor: "flat within 2%" });
    await beforeRelease.restore();
  }

  // --- vote ---
  const voteAddress = await vote.getAddress();
  await (await token.connect(alice).approve(voteAddress, ethers.MaxUint256)).wait();
  await (await token.connect(bob).approve(voteAddress, ethers.MaxUint256)).wait();
  await time.increaseTo(releaseStart);
  await measure("propose", "-", vote.connect(alice).propose(2_500n, 7n * DAY));
  await measure("back (first backer)", "-", vote.connect(alice).back(1n, 40_000n * DG));
  await measure("back (fills the pool, opens the vote)", "-", vote.connect(bob).back(1n, 60_000n * DG));
  await measure("vote (first lock)", "-", vote.connect(alice).vote(1n, true, 200_000n * DG));
  await measure("vote (second voter)", "-", vote.connect(bob).vote(1n, true, 200_000n * DG));
  await time.increase(7n * DAY);
  await measure("settle (passed: releases, sets burnBps)", "-", vote.settle(1n));
  await measure("withdraw (backing + lock)", "-", vote.connect(alice).withdraw(1n));

  const width = Math.max(...rows.map((r) => r.operation.length));
  const lines = [
    `| operation | gas | anchor |`,
    `|---|---:|---|`,
    ...rows.map((r) => `| ${r.operation} | ${r.gas.toLocaleString("en-US")} | ${r.anchor} |`),
  ];
  console.log(rows.map((r) => `${r.operation.padEnd(width)}  ${r.gas.toString().padStart(8)}  ${r.anchor}`).join("\n"));
  const out = path.join(__dirname, "..", "bench", "gas.md");
  fs.writeFileSync(
    out,
    `# Gas benchmark\n\nMeasured by \`npm run bench\` on the embedded Hardhat network (solc 0.8.28, optimizer 10,000 runs, evm cancun), network ${network.name}.\n\n${lines.join("\n")}\n`,
  );
  console.log(`\nwritten to ${path.relative(process.cwd(), out)}`);
  void deployer;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
