import { expect } from "chai";
import type { AddressLike } from "ethers";
import { ethers } from "hardhat";
import type { DataGen } from "../../typechain-types";

/** 30,000,000 DG: the fixed supply minted once at deployment. */
const TOTAL_SUPPLY = 30_000_000n * 10n ** 18n;

/**
 * Token conservation: the balances of every holder plus everything burned account for the whole
 * fixed supply, `sum(balances) + (30,000,000 DG - totalSupply) == 30,000,000 DG`.
 *
 * `holders` must list every account that may hold DG in the scenario (duplicates are rejected,
 * since they would count a balance twice). `expectedBurned`, when given, pins the burned amount.
 * Returns the burned amount so that callers can make further exact assertions.
 */
export async function expectConserved(
  token: DataGen,
  holders: AddressLike[],
  expectedBurned?: bigint,
): Promise<bigint> {
  const addresses = await Promise.all(holders.map((h) => ethers.resolveAddress(h)));
  const unique = new Set(addresses.map((a) => a.toLowerCase()));
  expect(unique.size, "expectConserved: duplicate holder").to.equal(addresses.length);

  let sum = 0n;
  for (const address of addresses) sum += await token.balanceOf(address);
  const supply = await token.totalSupply();
  const burned = TOTAL_SUPPLY - supply;

  expect(sum + burned, "balances + burned must equal the fixed supply").to.equal(TOTAL_SUPPLY);
  if (expectedBurned !== undefined) expect(burned, "burned").to.equal(expectedBurned);
  return burned;
}
