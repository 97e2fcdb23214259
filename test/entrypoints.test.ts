/**
 * Pins the set of state-changing functions of every contract of the suite and who may call each,
 * so that a new entry point cannot appear unreviewed: adding, removing or renaming one fails the
 * first test; a restricted function that an outsider can call fails the second.
 */
import { expect } from "chai";
import { artifacts } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash, type BaseContract, type ContractTransactionResponse } from "ethers";
import { deployCrossCheck, type CrossSuite as Suite } from "./helpers/crosscheck";

/** Who may call a function. */
type Caller =
  | "anyone"
  | "owner" // Ownable2Step owner
  | "pending owner"
  | "inflation vote" // the InflationVote contract
  | "default admin" // AccessControlDefaultAdminRules DEFAULT_ADMIN_ROLE
  | "pending default admin"
  | "role admin" // the admin role of the role given
  | "role holder itself" // renounceRole: only for the caller's own account
  | "ORACLE_ROLE"
  | "GUARDIAN_ROLE"
  | "slasher" // ValidatorStaking.slasher(): the CrossCheck contract, set once at wiring
  | "COORDINATOR_ROLE";

const OWNABLE_2STEP: Record<string, Caller> = {
  "acceptOwnership()": "pending owner",
  "renounceOwnership()": "owner",
  "transferOwnership(address)": "owner",
};

const DEFAULT_ADMIN_RULES: Record<string, Caller> = {
  "acceptDefaultAdminTransfer()": "pending default admin",
  "beginDefaultAdminTransfer(address)": "default admin",
  "cancelDefaultAdminTransfer()": "default admin",
  "changeDefaultAdminDelay(uint48)": "default admin",
  "rollbackDefaultAdminDelay()": "default admin",
  "grantRole(bytes32,address)": "role admin",
  "revokeRole(bytes32,address)": "role admin",
  "renounceRole(bytes32,address)": "role holder itself",
};

/** Every non-view function of each contract, with who may call it. */
const ENTRY_POINTS: Record<string, Record<string, Caller>> = {
  DataGen: {
    ...OWNABLE_2STEP,
    "approve(address,uint256)": "anyone",
    "burn(uint256)": "anyone",
    "burnFrom(address,uint256)": "anyone", // within the allowance the holder gave
    "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)": "anyone", // with the holder's signature
    "transfer(address,uint256)": "anyone",
    "transferFrom(address,address,uint256)": "anyone", // within the allowance
  },
  MiningReservation: {
    ...OWNABLE_2STEP,
    "fund()": "anyone", // once, pulling exactly the reserve from the caller
    "release()": "anyone",
    "recoverStrayTokens(address)": "owner",
    "setBeneficiary(address)": "owner", // once
    "setInflationVote(address)": "owner", // once
    "setBurnBps(uint256)": "inflation vote",
  },
  InflationVote: {
    "back(uint256,uint256)": "anyone",
    "propose(uint256,uint256)": "anyone",
    "settle(uint256)": "anyone",
    "vote(uint256,bool,uint256)": "anyone",
    "withdraw(uint256)": "anyone", // its own pooled and locked DG
    "withdrawBacking(uint256,uint256)": "anyone", // its own backing
  },
  ValidatorStaking: {
    ...DEFAULT_ADMIN_RULES,
    "stake(uint256)": "anyone",
    "stakeWithPermit(uint256,uint256,uint8,bytes32,bytes32)": "anyone",
    "requestUnbond(uint256)": "anyone", // its own stake
    "withdraw()": "anyone", // its own stake
    "recordExposure(uint256,address)": "slasher",
    "slash(uint256,address,uint256,address)": "slasher",
    "closeExposure(uint256,address)": "slasher",
    "setSlasher(address)": "default admin", // once, at wiring
    "scheduleSlasher(address)": "default admin", // in force ruleChangeDelay (> cooldown) later
    "scheduleSlashRewardBps(uint256)": "default admin", // <= 50%, in force ruleChangeDelay later
    "cancelRuleChanges()": "default admin", // only changes not in force yet
  },
  ComputeRewards: {
    ...DEFAULT_ADMIN_RULES,
    "claim((uint256,uint256,bytes32[])[])": "anyone", // its own leaves
    "claimEpoch(uint256,uint256,bytes32[])": "anyone", // its own leaf
    "claimFor(address,(uint256,uint256,bytes32[])[])": "anyone", // pays the validator, never the caller
    "forfeit(uint256,address,uint256,bytes32[])": "anyone", // only leaves that can never be claimed
    "postRoot(uint256,bytes32,uint256)": "ORACLE_ROLE",
    "revokeRoot(uint256)": "GUARDIAN_ROLE",
  },
  CrossCheck: {
    ...DEFAULT_ADMIN_RULES,
    // with a delivery receipt signed by the paired validator (EIP-712 or ERC-1271)
    "open((bytes32,address,bytes32,bytes32,uint64),address,bytes)": "COORDINATOR_ROLE",
    "draw(uint256)": "anyone", // from the seed block's hash only
    "commit(uint256,bytes32)": "anyone", // only the parties of the check's current round
    "reveal(uint256,bytes32,bytes32)": "anyone", // only the parties, their own commitment
    "finalize(uint256)": "anyone", // after the reveal deadline
  },
};

interface AbiParam {
  type: string;
  components?: AbiParam[];
}
interface AbiEntry {
  type: string;
  name?: string;
  stateMutability?: string;
  inputs?: AbiParam[];
}

function paramType(param: AbiParam): string {
  if (param.type.startsWith("tuple")) {
    return `(${(param.components ?? []).map(paramType).join(",")})${param.type.slice("tuple".length)}`;
  }
  return param.type;
}

async function stateChangingFunctions(contractName: string): Promise<string[]> {
  const { abi } = await artifacts.readArtifact(contractName);
  return (abi as AbiEntry[])
    .filter((f) => f.type === "function" && f.stateMutability !== "view" && f.stateMutability !== "pure")
    .map((f) => `${f.name}(${(f.inputs ?? []).map(paramType).join(",")})`)
    .sort();
}

describe("entry points: the set of state-changing functions and who may call each", function () {
  for (const [contractName, pinned] of Object.entries(ENTRY_POINTS)) {
    it(`${contractName}: exactly the reviewed functions`, async function () {
      expect(await stateChangingFunctions(contractName)).to.deep.equal(Object.keys(pinned).sort());
    });
  }

  it("the escrow's slasher (the only caller of its slasher functions) is the CrossCheck contract, nothing pending", async function () {
    const s = await loadFixture(deployCrossCheck);
    expect(await s.staking.slasher()).to.equal(await s.crossCheck.getAddress());
    expect(await s.staking.pendingSlasher()).to.deep.equal([ZeroAddress, 0n]);
    expect(await s.staking.pendingSlashRewardBps()).to.deep.equal([0n, 0n]);
    // Set once at wiring: the default admin cannot replace it at once.
    await expect(s.staking.connect(s.deployer).setSlasher(s.deployer.address))
      .to.be.revertedWithCustomError(s.staking, "ValidatorStakingSlasherAlreadySet")
      .withArgs(await s.crossCheck.getAddress());
  });

  describe("an outsider is refused every restricted function", function () {
    type Refusal = [BaseContract, string, Promise<ContractTransactionResponse>, unknown[]];
    type Call = (s: Suite) => Refusal | Promise<Refusal>;
    /** One call per restricted function, made by `outsider`; [contract, error, tx, error args]. */
    const calls: Record<string, Record<string, Call>> = {
      DataGen: {
        "acceptOwnership()": (s) => [
          s.token,
          "OwnableUnauthorizedAccount",
          s.token.connect(s.outsider).acceptOwnership(),
          [s.outsider.address],
        ],
        "renounceOwnership()": (s) => [
          s.token,
          "OwnableUnauthorizedAccount",
          s.token.connect(s.outsider).renounceOwnership(),
          [s.outsider.address],
        ],
        "transferOwnership(address)": (s) => [
          s.token,
          "OwnableUnauthorizedAccount",
          s.token.connect(s.outsider).transferOwnership(s.outsider.address),
          [s.outsider.address],
        ],
      },
      MiningReservation: {
        "acceptOwnership()": (s) => [
          s.reservation,
          "OwnableUnauthorizedAccount",
          s.reservation.connect(s.outsider).acceptOwnership(),
          [s.outsider.address],
        ],
        "renounceOwnership()": (s) => [
          s.reservation,
          "OwnableUnauthorizedAccount",
          s.reservation.connect(s.outsider).renounceOwnership(),
          [s.outsider.address],
        ],
        "transferOwnership(address)": (s) => [
          s.reservation,
          "OwnableUnauthorizedAccount",
          s.reservation.connect(s.outsider).transferOwnership(s.outsider.address),
          [s.outsider.address],
        ],
        "recoverStrayTokens(address)": (s) => [
          s.reservation,
          "OwnableUnauthorizedAccount",
          s.reservation.connect(s.outsider).recoverStrayTokens(s.outsider.address),
          [s.outsider.address],
        ],
        "setBeneficiary(address)": (s) => [
          s.reservation,
          "OwnableUnauthorizedAccount",
          s.reservation.connect(s.outsider).setBeneficiary(s.outsider.address),
          [s.outsider.address],
        ],
        "setInflationVote(address)": (s) => [
          s.reservation,
          "OwnableUnauthorizedAccount",
          s.reservation.connect(s.outsider).setInflationVote(s.outsider.address),
          [s.outsider.address],
        ],
        "setBurnBps(uint256)": (s) => [
          s.reservation,
          "MiningReservationUnauthorized",
          s.reservation.connect(s.outsider).setBurnBps(2_000n),
          [s.outsider.address],
        ],
      },
      ValidatorStaking: {
        ...adminRulesCalls((s) => s.staking),
        "recordExposure(uint256,address)": (s) =>
          slasherRefusal(s, s.staking.connect(s.outsider).recordExposure(1n, s.validators[0].address)),
        "slash(uint256,address,uint256,address)": (s) =>
          slasherRefusal(s, s.staking.connect(s.outsider).slash(1n, s.validators[0].address, 1n, s.outsider.address)),
        "closeExposure(uint256,address)": (s) =>
          slasherRefusal(s, s.staking.connect(s.outsider).closeExposure(1n, s.validators[0].address)),
        "setSlasher(address)": (s) =>
          roleRefusal(s.staking, ZeroHash, s.outsider.address, s.staking.connect(s.outsider).setSlasher(s.outsider)),
        "scheduleSlasher(address)": (s) =>
          roleRefusal(
            s.staking,
            ZeroHash,
            s.outsider.address,
            s.staking.connect(s.outsider).scheduleSlasher(s.outsider),
          ),
        "scheduleSlashRewardBps(uint256)": (s) =>
          roleRefusal(
            s.staking,
            ZeroHash,
            s.outsider.address,
            s.staking.connect(s.outsider).scheduleSlashRewardBps(1n),
          ),
        "cancelRuleChanges()": (s) =>
          roleRefusal(s.staking, ZeroHash, s.outsider.address, s.staking.connect(s.outsider).cancelRuleChanges()),
      },
      ComputeRewards: {
        ...adminRulesCalls((s) => s.rewards),
        "postRoot(uint256,bytes32,uint256)": async (s) =>
          roleRefusal(
            s.rewards,
            await s.rewards.ORACLE_ROLE(),
            s.outsider.address,
            s.rewards.connect(s.outsider).postRoot(0n, ZeroHash, 1n),
          ),
        "revokeRoot(uint256)": async (s) =>
          roleRefusal(
            s.rewards,
            await s.rewards.GUARDIAN_ROLE(),
            s.outsider.address,
            s.rewards.connect(s.outsider).revokeRoot(0n),
          ),
      },
      CrossCheck: {
        ...adminRulesCalls((s) => s.crossCheck),
        "open((bytes32,address,bytes32,bytes32,uint64),address,bytes)": async (s) =>
          roleRefusal(
            s.crossCheck,
            await s.crossCheck.COORDINATOR_ROLE(),
            s.outsider.address,
            s.crossCheck.connect(s.outsider).open(
              {
                taskId: ZeroHash,
                user: s.outsider.address,
                inputHash: ZeroHash,
                resultHash: ZeroHash,
                deliveredAt: 0n,
              },
              s.validators[0].address,
              "0x",
            ),
          ),
      },
    };

    for (const [contractName, pinned] of Object.entries(ENTRY_POINTS)) {
      const restricted = Object.entries(pinned).filter(([, who]) => who !== "anyone");
      if (restricted.length === 0) continue;
      it(`${contractName}: ${restricted.length} restricted functions`, async function () {
        const s = await loadFixture(deployCrossCheck);
        const table = calls[contractName] ?? {};
        expect(Object.keys(table).sort(), "one refusal case per restricted function").to.deep.equal(
          restricted.map(([sig]) => sig).sort(),
        );
        for (const [signature, make] of Object.entries(table)) {
          const [contract, error, tx, args] = await make(s);
          await expect(tx, signature)
            .to.be.revertedWithCustomError(contract, error)
            .withArgs(...args);
        }
      });
    }
  });
});

function roleRefusal(
  contract: BaseContract,
  role: string,
  account: string,
  tx: Promise<ContractTransactionResponse>,
): [BaseContract, string, Promise<ContractTransactionResponse>, unknown[]] {
  return [contract, "AccessControlUnauthorizedAccount", tx, [account, role]];
}

/** The escrow's slasher-only functions refuse any caller but the slasher in force. */
function slasherRefusal(
  s: Suite,
  tx: Promise<ContractTransactionResponse>,
): [BaseContract, string, Promise<ContractTransactionResponse>, unknown[]] {
  return [s.staking, "ValidatorStakingNotSlasher", tx, [s.outsider.address]];
}

/** A role other than the default admin's (whose renouncement has its own delayed path). */
const ANY_ROLE = `0x${"00".repeat(31)}01`;

type AdminRulesContract = Suite["staking"] | Suite["rewards"] | Suite["crossCheck"];

/** Refusal cases for the AccessControlDefaultAdminRules functions of `pick(s)`. */
function adminRulesCalls(pick: (s: Suite) => AdminRulesContract) {
  type Result = [BaseContract, string, Promise<ContractTransactionResponse>, unknown[]];
  return {
    "acceptDefaultAdminTransfer()": (s: Suite): Result => [
      pick(s),
      "AccessControlInvalidDefaultAdmin",
      pick(s).connect(s.outsider).acceptDefaultAdminTransfer(),
      [s.outsider.address],
    ],
    "beginDefaultAdminTransfer(address)": (s: Suite): Result =>
      roleRefusal(
        pick(s),
        ZeroHash,
        s.outsider.address,
        pick(s).connect(s.outsider).beginDefaultAdminTransfer(s.outsider.address),
      ),
    "cancelDefaultAdminTransfer()": (s: Suite): Result =>
      roleRefusal(pick(s), ZeroHash, s.outsider.address, pick(s).connect(s.outsider).cancelDefaultAdminTransfer()),
    "changeDefaultAdminDelay(uint48)": (s: Suite): Result =>
      roleRefusal(pick(s), ZeroHash, s.outsider.address, pick(s).connect(s.outsider).changeDefaultAdminDelay(1n)),
    "rollbackDefaultAdminDelay()": (s: Suite): Result =>
      roleRefusal(pick(s), ZeroHash, s.outsider.address, pick(s).connect(s.outsider).rollbackDefaultAdminDelay()),
    "grantRole(bytes32,address)": (s: Suite): Result =>
      roleRefusal(
        pick(s),
        ZeroHash,
        s.outsider.address,
        pick(s).connect(s.outsider).grantRole(ANY_ROLE, s.outsider.address),
      ),
    "revokeRole(bytes32,address)": (s: Suite): Result =>
      roleRefusal(
        pick(s),
        ZeroHash,
        s.outsider.address,
        pick(s).connect(s.outsider).revokeRole(ANY_ROLE, s.deployer.address),
      ),
    "renounceRole(bytes32,address)": (s: Suite): Result => [
      pick(s),
      "AccessControlBadConfirmation",
      pick(s).connect(s.outsider).renounceRole(ANY_ROLE, s.deployer.address),
      [],
    ],
  };
}
