// A validator's first steps with the SDK. Run it against a node where the suite is deployed:
//   RPC_URL=http://127.0.0.1:8545 VALIDATOR_KEY=0x… npx ts-node examples/validator.ts [epoch-41.json …]
import { ethers } from "ethers";
import { DataGenError, ValidatorClient, formatDG, suiteFor } from "../sdk";

const DG = 10n ** 18n;

async function main(): Promise<void> {
  const provider = new ethers.JsonRpcProvider(process.env.RPC_URL ?? "http://127.0.0.1:8545");
  const signer = new ethers.Wallet(process.env.VALIDATOR_KEY ?? "", provider);
  const validator = new ValidatorClient(await suiteFor(signer), signer); // finds deployments/<chainId>.json

  await validator.stake(10_000n * DG); // EIP-2612 permit + stake: ONE transaction
  const status = await validator.status();
  console.log(`status ${status.status}, active stake ${formatDG(status.active)}`); // status Active, active stake 10,000 DG
  const rules = await validator.rules(); // the escrow's slasher and reward share, and any pending change
  console.log(`slash reward share ${rules.slashRewardBps} bps, cooldown ${rules.cooldown} s`);

  const proofsFiles = process.argv.slice(2); // proofs files published by the oracle, if any
  if (proofsFiles.length > 0) {
    const { epochs, paid } = await validator.claimFromProofs(proofsFiles); // one claim transaction
    console.log(`claimed epochs ${epochs.join(", ")}: ${formatDG(paid)}`);
  }

  try {
    await validator.requestUnbond(5_000n * DG); // would leave 5,000 DG staked: refused before sending
  } catch (error) {
    // Every failure of the SDK is a DataGenError: a contract's revert in plain words, or the SDK's own refusal.
    if (!(error instanceof DataGenError)) throw error;
    console.log(`refused: ${error.message}`); // refused: the stake of 5,000 DG is below the minimum of 10,000 DG: a validator's active stake is 0 or at least 10,000 DG
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
