/**
 * SPEC 5: "every admin delay is bounded at construction and afterwards" and no role goes to the zero
 * address, on the three contracts built on BoundedDefaultAdminRules (ValidatorStaking, ComputeRewards,
 * CrossCheck), deployed together through the production CrossCheck module.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash, id, type BaseContract, type ContractTransactionResponse } from "ethers";
import { DAY } from "./helpers/fixtures";
import { SUITE_PARAMS } from "./helpers/suite";
import { CROSS_PARAMS, deployCrossCheck, type CrossSuite } from "./helpers/crosscheck";

const MAX_DELAY = 30n * DAY; // ADMIN_DELAY_UPPER_BOUND
const UINT48_MAX = 2n ** 48n - 1n;
const INCREASE_WAIT = 5n * DAY; // OpenZeppelin's defaultAdminDelayIncreaseWait()

type Bounded = CrossSuite["staking"] | CrossSuite["rewards"] | CrossSuite["crossCheck"];

/** The three contracts, with the roles each grants besides the default admin's. */
function contractsOf(s: CrossSuite): [string, Bounded, string[]][] {
  return [
    ["ValidatorStaking", s.staking, [id("SLASHER_ROLE")]],
    ["ComputeRewards", s.rewards, [id("ORACLE_ROLE"), id("GUARDIAN_ROLE")]],
    ["CrossCheck", s.crossCheck, [id("COORDINATOR_ROLE")]],
  ];
}

async function timestampOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

/** The admin state of `c`, to show that a refusal changed nothing. */
async function adminState(c: Bounded) {
  return {
    admin: await c.defaultAdmin(),
    delay: await c.defaultAdminDelay(),
    pendingDelay: [...(await c.pendingDefaultAdminDelay())],
    pendingAdmin: [...(await c.pendingDefaultAdmin())],
  };
}

async function expectRefused(
  c: Bounded,
  send: () => Promise<ContractTransactionResponse>,
  source: BaseContract,
  error: string,
  args: unknown[],
) {
  const before = await adminState(c);
  await expect(send())
    .to.be.revertedWithCustomError(source, error)
    .withArgs(...args);
  expect(await adminState(c)).to.deep.equal(before);
}

describe("bounded default-admin rules (ValidatorStaking, ComputeRewards, CrossCheck)", function () {
  describe("attack: the admin bricks admin transfers with a huge delay (audit finding 5)", function () {
    it("changeDefaultAdminDelay(2^48 - 1) and any value above 30 days are refused; state unchanged", async function () {
      const s = await loadFixture(deployCrossCheck);
      for (const [name, c] of contractsOf(s)) {
        expect(await c.ADMIN_DELAY_UPPER_BOUND(), name).to.equal(MAX_DELAY);
        for (const delay of [UINT48_MAX, MAX_DELAY + 1n, 2n ** 47n]) {
          await expectRefused(
            c,
            () => c.connect(s.deployer).changeDefaultAdminDelay(delay),
            c,
            "AdminDelayOutOfRange",
            [delay, MAX_DELAY],
          );
        }
        // A transfer can still be started and completed after the default delay.
        expect(await c.defaultAdminDelay(), name).to.equal(SUITE_PARAMS.adminDelay);
      }
    });

    it("the maximum delay (30 days) is accepted, and an admin transfer still completes after it", async function () {
      const s = await loadFixture(deployCrossCheck);
      const newAdmin = s.others[0];
      for (const [name, c] of contractsOf(s)) {
        const tx = c.connect(s.deployer).changeDefaultAdminDelay(MAX_DELAY);
        const at = await timestampOf(tx);
        // An increase takes effect after min(new delay, 5 days) (OpenZeppelin's rule).
        await expect(tx, name)
          .to.emit(c, "DefaultAdminDelayChangeScheduled")
          .withArgs(MAX_DELAY, at + INCREASE_WAIT);
      }
      await time.increase(INCREASE_WAIT);
      for (const [name, c] of contractsOf(s)) {
        expect(await c.defaultAdminDelay(), name).to.equal(MAX_DELAY);
        const begun = await timestampOf(c.connect(s.deployer).beginDefaultAdminTransfer(newAdmin));
        expect([...(await c.pendingDefaultAdmin())], name).to.deep.equal([newAdmin.address, begun + MAX_DELAY]);
      }
      await time.increase(MAX_DELAY);
      for (const [name, c] of contractsOf(s)) {
        await expect(c.connect(newAdmin).acceptDefaultAdminTransfer(), name)
          .to.emit(c, "RoleGranted")
          .withArgs(ZeroHash, newAdmin.address, newAdmin.address);
        expect(await c.defaultAdmin(), name).to.equal(newAdmin.address);
        expect(await c.hasRole(ZeroHash, s.deployer.address), name).to.equal(false);
      }
    });

    it("the constructors refuse an admin delay above 30 days and accept exactly 30 days", async function () {
      const s = await loadFixture(deployCrossCheck);
      const staking = await ethers.getContractFactory("ValidatorStaking");
      const rewards = await ethers.getContractFactory("ComputeRewards");
      const crossCheck = await ethers.getContractFactory("CrossCheck");
      const stakingArgs = (d: bigint) =>
        [
          s.token,
          SUITE_PARAMS.minStake,
          SUITE_PARAMS.cooldown,
          SUITE_PARAMS.faultLimit,
          SUITE_PARAMS.slashRewardBps,
          s.deployer.address,
          d,
        ] as const;
      const genesis = await s.rewards.genesis();
      const rewardsArgs = (d: bigint) =>
        [
          s.token,
          s.reservation,
          s.staking,
          genesis,
          SUITE_PARAMS.epochDuration,
          SUITE_PARAMS.challengeWindow,
          s.deployer.address,
          d,
        ] as const;
      const crossArgs = (d: bigint) =>
        [
          s.staking,
          CROSS_PARAMS.commitWindow,
          CROSS_PARAMS.revealWindow,
          CROSS_PARAMS.maxReceiptAge,
          CROSS_PARAMS.slashBps,
          s.deployer.address,
          d,
        ] as const;
      for (const d of [MAX_DELAY + 1n, UINT48_MAX]) {
        await expect(staking.deploy(...stakingArgs(d)))
          .to.be.revertedWithCustomError(staking, "AdminDelayOutOfRange")
          .withArgs(d, MAX_DELAY);
        await expect(rewards.deploy(...rewardsArgs(d)))
          .to.be.revertedWithCustomError(rewards, "AdminDelayOutOfRange")
          .withArgs(d, MAX_DELAY);
        await expect(crossCheck.deploy(...crossArgs(d)))
          .to.be.revertedWithCustomError(crossCheck, "AdminDelayOutOfRange")
          .withArgs(d, MAX_DELAY);
      }
      for (const deployed of [
        await staking.deploy(...stakingArgs(MAX_DELAY)),
        await rewards.deploy(...rewardsArgs(MAX_DELAY)),
        await crossCheck.deploy(...crossArgs(MAX_DELAY)),
      ]) {
        expect(await (deployed as unknown as Bounded).defaultAdminDelay()).to.equal(MAX_DELAY);
      }
    });
  });

  describe("grantRole never to the zero address", function () {
    it("refused on all three, for every role (RoleGrantToZeroAddress); state unchanged", async function () {
      const s = await loadFixture(deployCrossCheck);
      for (const [name, c, roles] of contractsOf(s)) {
        for (const role of [...roles, ZeroHash, id("ANY_ROLE")]) {
          const before = await c.hasRole(role, ZeroAddress);
          await expect(c.connect(s.deployer).grantRole(role, ZeroAddress), `${name} ${role}`)
            .to.be.revertedWithCustomError(c, "RoleGrantToZeroAddress")
            .withArgs(role);
          expect(await c.hasRole(role, ZeroAddress)).to.equal(before);
          expect(before).to.equal(false);
        }
        // A non-zero account is still granted (OpenZeppelin's rules otherwise unchanged).
        await expect(c.connect(s.deployer).grantRole(roles[0], s.others[1].address))
          .to.emit(c, "RoleGranted")
          .withArgs(roles[0], s.others[1].address, s.deployer.address);
      }
    });
  });
});
