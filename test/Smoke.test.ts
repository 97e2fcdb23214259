import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployCore, RESERVE } from "./helpers/fixtures";

describe("smoke", () => {
  it("deploys", async () => {
    const { token, reservation } = await loadFixture(deployCore);
    expect(await token.balanceOf(await reservation.getAddress())).to.equal(RESERVE);
  });
});
