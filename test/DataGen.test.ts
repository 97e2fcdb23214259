import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { FunctionFragment, Interface, Signer } from "ethers";
import { deployCore, DG, RESERVE, TOTAL_SUPPLY } from "./helpers/fixtures";
import { expectConserved } from "./helpers/conservation";
import type { DataGen } from "../typechain-types";

/**
 * A token deployed on its own, with a treasury and an owner that are different accounts, so that
 * the owner's (absence of) power can be seen apart from the treasury's balance.
 */
async function deployToken() {
  const [deployer, holder, treasury, owner, spender, relayer, stranger] = await ethers.getSigners();
  const factory = await ethers.getContractFactory("DataGen");
  const token = (await factory.deploy(treasury.address, owner.address)) as unknown as DataGen;
  await token.waitForDeployment();
  // The holder gets some DG from the treasury for the burn and permit scenarios.
  await token.connect(treasury).transfer(holder.address, 1_000n * DG);
  const everyone = [deployer, holder, treasury, owner, spender, relayer, stranger].map((s) => s.address);
  return { token, factory, deployer, holder, treasury, owner, spender, relayer, stranger, everyone };
}

const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** Signs an EIP-2612 permit with ethers' `signTypedData` against the token's EIP-712 domain. */
async function signPermit(
  token: DataGen,
  signer: Signer,
  message: { owner: string; spender: string; value: bigint; nonce: bigint; deadline: bigint },
) {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: "DataGen", version: "1", chainId, verifyingContract: await token.getAddress() };
  return ethers.Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, message));
}

function functionFragments(token: DataGen): FunctionFragment[] {
  return token.interface.fragments.filter((f): f is FunctionFragment => f.type === "function");
}

describe("DataGen", () => {
  describe("metadata", () => {
    it("is named DataGen, symbol DG, with 18 decimals", async () => {
      const { token } = await loadFixture(deployToken);
      expect(await token.name()).to.equal("DataGen");
      expect(await token.symbol()).to.equal("DG");
      expect(await token.decimals()).to.equal(18n);
    });
  });

  describe("supply", () => {
    it("mints exactly 30,000,000 DG, all to the treasury, once at deployment", async () => {
      const { token, treasury, holder, everyone } = await loadFixture(deployToken);
      expect(await token.TOTAL_SUPPLY()).to.equal(TOTAL_SUPPLY);
      expect(await token.totalSupply()).to.equal(TOTAL_SUPPLY);
      // The fixture moved 1000 DG to the holder after deployment.
      expect(await token.balanceOf(treasury.address)).to.equal(TOTAL_SUPPLY - 1_000n * DG);
      expect(await token.balanceOf(holder.address)).to.equal(1_000n * DG);
      await expectConserved(token, everyone, 0n);
    });

    it("emits a single mint Transfer from the zero address to the treasury", async () => {
      const [, , treasury, owner] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("DataGen");
      const token = await factory.deploy(treasury.address, owner.address);
      await expect(token.deploymentTransaction())
        .to.emit(token, "Transfer")
        .withArgs(ethers.ZeroAddress, treasury.address, TOTAL_SUPPLY);
      expect(await token.balanceOf(treasury.address)).to.equal(TOTAL_SUPPLY);
    });

    it("the production deployment splits the supply between the treasury and the reservation", async () => {
      const { token, reservation, inflationVote, deployer, beneficiary } = await loadFixture(deployCore);
      expect(await token.totalSupply()).to.equal(TOTAL_SUPPLY);
      expect(await token.balanceOf(deployer.address)).to.equal(TOTAL_SUPPLY - RESERVE);
      expect(await token.balanceOf(await reservation.getAddress())).to.equal(RESERVE);
      await expectConserved(token, [deployer, beneficiary, reservation, inflationVote], 0n);
    });

    it("has no mint function in its ABI", async () => {
      const { token } = await loadFixture(deployToken);
      const names = functionFragments(token).map((f) => f.name);
      expect(names.length).to.be.greaterThan(0);
      expect(names.filter((n) => /mint/i.test(n))).to.deep.equal([]);
      const untyped: Interface = token.interface; // the typed interface only accepts known names
      expect(untyped.getFunction("mint")).to.equal(null);
    });
  });

  describe("owner (BEP-20 getOwner)", () => {
    it("getOwner() returns the owner given at deployment", async () => {
      const { token, owner } = await loadFixture(deployToken);
      expect(await token.getOwner()).to.equal(owner.address);
      expect(await token.owner()).to.equal(owner.address);
    });

    it("the state-changing functions are the ERC-20/burn/permit ones plus only the ownership ones", async () => {
      const { token } = await loadFixture(deployToken);
      const stateChanging = functionFragments(token)
        .filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure")
        .map((f) => f.name)
        .sort();
      expect(stateChanging).to.deep.equal([
        "acceptOwnership",
        "approve",
        "burn",
        "burnFrom",
        "permit",
        "renounceOwnership",
        "transfer",
        "transferFrom",
        "transferOwnership",
      ]);
    });

    it("only the ownership functions are owner-only", async () => {
      const { token, stranger, owner } = await loadFixture(deployToken);
      await expect(token.connect(stranger).transferOwnership(stranger.address))
        .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await expect(token.connect(stranger).renounceOwnership())
        .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await expect(token.connect(stranger).acceptOwnership())
        .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      expect(await token.getOwner()).to.equal(owner.address);
      expect(await token.pendingOwner()).to.equal(ethers.ZeroAddress);
    });

    it("the owner cannot move or burn anyone else's tokens", async () => {
      const { token, owner, treasury, everyone } = await loadFixture(deployToken);
      const treasuryBalance = await token.balanceOf(treasury.address);
      await expect(token.connect(owner).transferFrom(treasury.address, owner.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(owner.address, 0n, 1n);
      await expect(token.connect(owner).burnFrom(treasury.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(owner.address, 0n, 1n);
      expect(await token.balanceOf(treasury.address)).to.equal(treasuryBalance);
      expect(await token.balanceOf(owner.address)).to.equal(0n);
      expect(await token.totalSupply()).to.equal(TOTAL_SUPPLY);
      await expectConserved(token, everyone, 0n);
    });

    it("ownership moves in two steps and getOwner() follows", async () => {
      const { token, owner, stranger } = await loadFixture(deployToken);
      await expect(token.connect(owner).transferOwnership(stranger.address))
        .to.emit(token, "OwnershipTransferStarted")
        .withArgs(owner.address, stranger.address);
      expect(await token.getOwner()).to.equal(owner.address);
      await expect(token.connect(stranger).acceptOwnership())
        .to.emit(token, "OwnershipTransferred")
        .withArgs(owner.address, stranger.address);
      expect(await token.getOwner()).to.equal(stranger.address);
    });

    it("renouncing ownership leaves the token fully usable", async () => {
      const { token, owner, holder, spender, everyone } = await loadFixture(deployToken);
      await token.connect(owner).renounceOwnership();
      expect(await token.getOwner()).to.equal(ethers.ZeroAddress);
      await token.connect(holder).transfer(spender.address, 10n * DG);
      expect(await token.balanceOf(spender.address)).to.equal(10n * DG);
      await expectConserved(token, everyone, 0n);
    });
  });

  describe("burn", () => {
    it("burn lowers the holder's balance and totalSupply by exactly the amount", async () => {
      const { token, holder, everyone } = await loadFixture(deployToken);
      await expect(token.connect(holder).burn(250n * DG))
        .to.emit(token, "Transfer")
        .withArgs(holder.address, ethers.ZeroAddress, 250n * DG);
      expect(await token.balanceOf(holder.address)).to.equal(750n * DG);
      expect(await token.totalSupply()).to.equal(TOTAL_SUPPLY - 250n * DG);
      await expectConserved(token, everyone, 250n * DG);
    });

    it("burning more than the balance reverts and changes nothing", async () => {
      const { token, holder, everyone } = await loadFixture(deployToken);
      await expect(token.connect(holder).burn(1_000n * DG + 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(holder.address, 1_000n * DG, 1_000n * DG + 1n);
      expect(await token.balanceOf(holder.address)).to.equal(1_000n * DG);
      expect(await token.totalSupply()).to.equal(TOTAL_SUPPLY);
      await expectConserved(token, everyone, 0n);
    });

    it("burnFrom without allowance reverts with ERC20InsufficientAllowance and changes nothing", async () => {
      const { token, holder, spender, everyone } = await loadFixture(deployToken);
      await expect(token.connect(spender).burnFrom(holder.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(spender.address, 0n, 1n);
      await token.connect(holder).approve(spender.address, 100n * DG);
      await expect(token.connect(spender).burnFrom(holder.address, 100n * DG + 1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(spender.address, 100n * DG, 100n * DG + 1n);
      expect(await token.allowance(holder.address, spender.address)).to.equal(100n * DG);
      expect(await token.balanceOf(holder.address)).to.equal(1_000n * DG);
      expect(await token.totalSupply()).to.equal(TOTAL_SUPPLY);
      await expectConserved(token, everyone, 0n);
    });

    it("burnFrom within the allowance burns and spends the allowance", async () => {
      const { token, holder, spender, everyone } = await loadFixture(deployToken);
      await token.connect(holder).approve(spender.address, 100n * DG);
      await token.connect(spender).burnFrom(holder.address, 60n * DG);
      expect(await token.allowance(holder.address, spender.address)).to.equal(40n * DG);
      expect(await token.balanceOf(holder.address)).to.equal(940n * DG);
      expect(await token.balanceOf(spender.address)).to.equal(0n);
      expect(await token.totalSupply()).to.equal(TOTAL_SUPPLY - 60n * DG);
      await expectConserved(token, everyone, 60n * DG);
    });
  });

  describe("permit (EIP-2612)", () => {
    it("exposes the EIP-712 domain DataGen / version 1", async () => {
      const { token } = await loadFixture(deployToken);
      const domain = await token.eip712Domain();
      const { chainId } = await ethers.provider.getNetwork();
      expect(domain.name).to.equal("DataGen");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal(chainId);
      expect(domain.verifyingContract).to.equal(await token.getAddress());
    });

    it("a signed permit sets the allowance (submitted by a relayer) and bumps the nonce", async () => {
      const { token, holder, spender, relayer, everyone } = await loadFixture(deployToken);
      const value = 123n * DG;
      const deadline = BigInt(await time.latest()) + 3_600n;
      const nonce = await token.nonces(holder.address);
      expect(nonce).to.equal(0n);
      const sig = await signPermit(token, holder, {
        owner: holder.address,
        spender: spender.address,
        value,
        nonce,
        deadline,
      });
      await expect(token.connect(relayer).permit(holder.address, spender.address, value, deadline, sig.v, sig.r, sig.s))
        .to.emit(token, "Approval")
        .withArgs(holder.address, spender.address, value);
      expect(await token.allowance(holder.address, spender.address)).to.equal(value);
      expect(await token.nonces(holder.address)).to.equal(1n);
      // The spender can now pull the tokens, as a staking contract would.
      await token.connect(spender).transferFrom(holder.address, spender.address, value);
      expect(await token.balanceOf(spender.address)).to.equal(value);
      expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      await expectConserved(token, everyone, 0n);
    });

    it("an expired permit reverts with ERC2612ExpiredSignature and changes nothing", async () => {
      const { token, holder, spender, relayer } = await loadFixture(deployToken);
      const deadline = BigInt(await time.latest()) - 1n;
      const sig = await signPermit(token, holder, {
        owner: holder.address,
        spender: spender.address,
        value: 1n,
        nonce: 0n,
        deadline,
      });
      await expect(token.connect(relayer).permit(holder.address, spender.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612ExpiredSignature")
        .withArgs(deadline);
      expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      expect(await token.nonces(holder.address)).to.equal(0n);
    });

    it("a permit signed by someone else reverts with ERC2612InvalidSigner and changes nothing", async () => {
      const { token, holder, spender, stranger, relayer } = await loadFixture(deployToken);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const sig = await signPermit(token, stranger, {
        owner: holder.address,
        spender: spender.address,
        value: 5n * DG,
        nonce: 0n,
        deadline,
      });
      await expect(
        token.connect(relayer).permit(holder.address, spender.address, 5n * DG, deadline, sig.v, sig.r, sig.s),
      )
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(stranger.address, holder.address);
      expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      expect(await token.nonces(holder.address)).to.equal(0n);
    });

    it("a permit whose value was tampered with reverts with ERC2612InvalidSigner", async () => {
      const { token, holder, spender, relayer } = await loadFixture(deployToken);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const sig = await signPermit(token, holder, {
        owner: holder.address,
        spender: spender.address,
        value: 5n * DG,
        nonce: 0n,
        deadline,
      });
      await expect(
        token.connect(relayer).permit(holder.address, spender.address, 6n * DG, deadline, sig.v, sig.r, sig.s),
      )
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(anyValue, holder.address);
      expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      expect(await token.nonces(holder.address)).to.equal(0n);
    });

    it("a used permit cannot be replayed", async () => {
      const { token, holder, spender, relayer } = await loadFixture(deployToken);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const sig = await signPermit(token, holder, {
        owner: holder.address,
        spender: spender.address,
        value: 7n * DG,
        nonce: 0n,
        deadline,
      });
      await token.connect(relayer).permit(holder.address, spender.address, 7n * DG, deadline, sig.v, sig.r, sig.s);
      await token.connect(spender).transferFrom(holder.address, spender.address, 7n * DG);
      await expect(
        token.connect(relayer).permit(holder.address, spender.address, 7n * DG, deadline, sig.v, sig.r, sig.s),
      )
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(anyValue, holder.address);
      expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      expect(await token.nonces(holder.address)).to.equal(1n);
    });
  });

  describe("constructor bad input", () => {
    it("a zero treasury reverts with ERC20InvalidReceiver and deploys nothing", async () => {
      const [deployer, , , owner] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("DataGen");
      const nonce = await ethers.provider.getTransactionCount(deployer.address);
      const predicted = ethers.getCreateAddress({ from: deployer.address, nonce });
      await expect(factory.deploy(ethers.ZeroAddress, owner.address))
        .to.be.revertedWithCustomError(factory, "ERC20InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      expect(await ethers.provider.getCode(predicted)).to.equal("0x");
    });

    it("a zero owner reverts with OwnableInvalidOwner and deploys nothing", async () => {
      const [deployer, , treasury] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("DataGen");
      const nonce = await ethers.provider.getTransactionCount(deployer.address);
      const predicted = ethers.getCreateAddress({ from: deployer.address, nonce });
      await expect(factory.deploy(treasury.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ethers.ZeroAddress);
      expect(await ethers.provider.getCode(predicted)).to.equal("0x");
    });
  });
});
