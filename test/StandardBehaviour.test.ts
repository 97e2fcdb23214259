/**
 * Where the SPEC's "bad input" rule (reject zero amounts, zero addresses…) meets ERC-20 or
 * OpenZeppelin's audited behaviour, the standard behaviour stands (README, "Where the standard
 * behaviour stands"). Each case is pinned here so that a change to it is a decision, not an accident:
 * zero-value transfers, approvals and burns; cancelling an `Ownable2Step` transfer with the zero
 * address; renouncing the default admin through OpenZeppelin's scheduled transfer to zero.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress } from "ethers";
import { deployCrossCheck } from "./helpers/crosscheck";

describe("where the standard behaviour stands", () => {
  describe("ERC-20 zero values (DataGen)", () => {
    it("a zero transfer, transferFrom and approve go through, emit their events and move nothing", async () => {
      const s = await loadFixture(deployCrossCheck);
      const [holder, other] = s.others;
      const supply = await s.token.totalSupply();
      const before = [await s.token.balanceOf(holder.address), await s.token.balanceOf(other.address)];
      await expect(s.token.connect(holder).transfer(other.address, 0n))
        .to.emit(s.token, "Transfer")
        .withArgs(holder.address, other.address, 0n);
      await expect(s.token.connect(holder).approve(other.address, 0n))
        .to.emit(s.token, "Approval")
        .withArgs(holder.address, other.address, 0n);
      await expect(s.token.connect(other).transferFrom(holder.address, other.address, 0n))
        .to.emit(s.token, "Transfer")
        .withArgs(holder.address, other.address, 0n);
      expect([await s.token.balanceOf(holder.address), await s.token.balanceOf(other.address)]).to.deep.equal(before);
      expect(await s.token.totalSupply()).to.equal(supply);
    });

    it("a zero burn goes through (a Transfer to the zero address of 0) and burns nothing", async () => {
      const s = await loadFixture(deployCrossCheck);
      const [holder] = s.others;
      const supply = await s.token.totalSupply();
      await expect(s.token.connect(holder).burn(0n))
        .to.emit(s.token, "Transfer")
        .withArgs(holder.address, ZeroAddress, 0n);
      expect(await s.token.totalSupply()).to.equal(supply);
    });
  });

  describe("Ownable2Step: transferOwnership(address(0)) cancels a pending transfer", () => {
    for (const name of ["DataGen", "MiningReservation"] as const) {
      it(`${name}: the pending owner is cleared, the owner stays, the old pending owner cannot accept`, async () => {
        const s = await loadFixture(deployCrossCheck);
        const c = name === "DataGen" ? s.token : s.reservation;
        const [next] = s.others;
        await c.connect(s.deployer).transferOwnership(next.address);
        expect(await c.pendingOwner()).to.equal(next.address);
        await expect(c.connect(s.deployer).transferOwnership(ZeroAddress))
          .to.emit(c, "OwnershipTransferStarted")
          .withArgs(s.deployer.address, ZeroAddress);
        expect(await c.pendingOwner()).to.equal(ZeroAddress);
        expect(await c.owner()).to.equal(s.deployer.address);
        await expect(c.connect(next).acceptOwnership())
          .to.be.revertedWithCustomError(c, "OwnableUnauthorizedAccount")
          .withArgs(next.address);
      });
    }
  });

  describe("AccessControlDefaultAdminRules: renouncing the default admin", () => {
    it("only through a scheduled transfer to zero, after the delay; then nobody is admin", async () => {
      const s = await loadFixture(deployCrossCheck);
      const staking = s.staking;
      const admin = await staking.DEFAULT_ADMIN_ROLE();
      // Renouncing at once is refused: it must be scheduled like any transfer.
      await expect(staking.connect(s.deployer).renounceRole(admin, s.deployer.address))
        .to.be.revertedWithCustomError(staking, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(0n);
      await staking.connect(s.deployer).beginDefaultAdminTransfer(ZeroAddress);
      const [pending, schedule] = await staking.pendingDefaultAdmin();
      expect(pending).to.equal(ZeroAddress);
      expect(schedule).to.equal(BigInt(await time.latest()) + (await staking.defaultAdminDelay()));
      await expect(staking.connect(s.deployer).renounceRole(admin, s.deployer.address))
        .to.be.revertedWithCustomError(staking, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await time.increaseTo(schedule + 1n);
      await staking.connect(s.deployer).renounceRole(admin, s.deployer.address);
      expect(await staking.defaultAdmin()).to.equal(ZeroAddress);
      expect(await staking.hasRole(admin, s.deployer.address)).to.equal(false);
      // With no admin, no rule can ever change again.
      await expect(staking.connect(s.deployer).scheduleSlashRewardBps(1_000n))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(s.deployer.address, admin);
    });
  });
});
