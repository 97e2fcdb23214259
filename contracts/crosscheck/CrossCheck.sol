// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {BoundedDefaultAdminRules} from "../access/BoundedDefaultAdminRules.sol";
import {ICrossCheck} from "../interfaces/ICrossCheck.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";

/**
 * @title CrossCheck
 * @notice The whitepaper's random cross-check (SPEC 6), the slasher of the ValidatorStaking escrow.
 * See {ICrossCheck} for the receipt and the verdict table.
 *
 * Who can change what:
 * - the paired validator's answer is its signed delivery receipt, fixed before it knows of any
 *   check; it takes no part in commit-reveal, so it cannot change its answer once checked;
 * - a receipt is bound to this chain and this contract (EIP-712 domain) and a task is checked once;
 * - the checkers are drawn from the escrow's history: the Active set at the end of the block before
 *   the one that opened the check (before the one that declared the tie, for the fifth). Staking,
 *   unbonding or withdrawing in or after that block changes nothing; who calls {draw} changes nothing;
 * - the seed is the hash of the block after the opening (after the tie) — unknown when the set is
 *   fixed — mixed with the chain, this contract, the check id and the round in {_seed}, the one place
 *   a VRF would replace it. A BSC block producer can bias it a little (by withholding its block),
 *   which the README discusses.
 * The draw is O(log n): the history lookups are binary searches; `CHECKERS` (or one) uniform
 * positions among the snapshot's Active validators minus at most `MAX_EXCLUDED` excluded ones are
 * mapped to set indices by skipping the excluded indices (a sorted fixed-size memory array).
 *
 * Invariants:
 * - every (check, validator) exposure recorded here is closed when the check is finalized;
 * - this contract holds no DG between transactions: slash rewards are paid out or burned in the
 *   transaction that receives them;
 * - a validator is slashed at most once per check, by `slashBps` of the stake it had when it entered
 *   the check (the escrow caps it there).
 */
contract CrossCheck is ICrossCheck, BoundedDefaultAdminRules, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice The role allowed to open checks (the network's coordinator, the "Heavy Chain" bridge).
    bytes32 public constant COORDINATOR_ROLE = keccak256("COORDINATOR_ROLE");
    /// @notice The EIP-712 type of a delivery receipt.
    // The string is hashed at compile time: it is never stored, so its length costs nothing.
    // solhint-disable-next-line gas-small-strings
    bytes32 public constant RECEIPT_TYPEHASH = keccak256(
        "Receipt(bytes32 taskId,address user,bytes32 inputHash,bytes32 resultHash,uint64 deliveredAt)"
    );
    /// @notice What a checker reveals when the input it was given does not hash to the receipt's inputHash.
    // solhint-disable-next-line gas-small-strings
    bytes32 public constant INPUT_MISMATCH = keccak256("DATAGEN_CROSSCHECK_INPUT_MISMATCH");
    /// @notice Checkers drawn per check (SPEC 6: three cross-checkers).
    uint256 public constant CHECKERS = 3;
    /// @notice Most validators excluded from a draw: the paired one, the user, the three checkers.
    uint256 public constant MAX_EXCLUDED = 5;
    /// @notice Blocks between the block that asks for a draw and the block whose hash seeds it.
    uint256 public constant SEED_BLOCK_DELAY = 1;
    /// @notice Basis-point denominator: 10,000 = 100%.
    uint256 public constant BPS_DENOMINATOR = 10_000;
    /// @notice Shortest commit or reveal window the constructor accepts, in seconds.
    uint256 public constant WINDOW_LOWER_BOUND = 5 minutes;
    /// @notice Longest commit or reveal window the constructor accepts, in seconds.
    uint256 public constant WINDOW_UPPER_BOUND = 7 days;
    /// @notice Shortest maximum receipt age the constructor accepts, in seconds.
    uint256 public constant RECEIPT_AGE_LOWER_BOUND = 1 hours;
    /// @notice Longest maximum receipt age the constructor accepts, in seconds.
    uint256 public constant RECEIPT_AGE_UPPER_BOUND = 30 days;
    /// @notice Smallest slash share the constructor accepts, in basis points.
    uint256 public constant SLASH_BPS_LOWER_BOUND = 1;
    /// @notice Commit-reveal rounds a check can take at most (the checkers', then the fifth's).
    uint256 public constant MAX_ROUNDS = 2;

    /// @dev Bit of the paired validator in a party mask; checker `i` is bit `i + 1`, the fifth bit 4.
    uint256 private constant _PAIRED_BIT = 1;
    /// @dev Party index of the fifth validator in a vote array.
    uint256 private constant _FIFTH = 4;

    /// @notice The ValidatorStaking escrow (this contract must be its slasher).
    IValidatorStaking public immutable staking;
    /// @notice The DG token (the escrow's).
    ERC20Burnable public immutable token;
    /// @notice Seconds from a draw to the end of its round's commit window.
    uint256 public immutable commitWindow;
    /// @notice Seconds from the end of the commit window to the end of the reveal window.
    uint256 public immutable revealWindow;
    /// @inheritdoc ICrossCheck
    uint256 public immutable maxReceiptAge;
    /// @notice Share of a validator's stake at entry that one proven fault slashes, in basis points.
    uint256 public immutable slashBps;

    /// @inheritdoc ICrossCheck
    uint256 public checkCount;
    /// @inheritdoc ICrossCheck
    mapping(bytes32 taskId => uint256 checkId) public checkOfTask;

    mapping(uint256 checkId => Check) private _checks;
    mapping(uint256 checkId => mapping(address party => bytes32 commitment)) private _commitments;
    mapping(uint256 checkId => mapping(address party => bytes32 resultHash)) private _reveals;

    /**
     * @param staking_ the ValidatorStaking escrow.
     * @param commitWindow_ commit window, in [WINDOW_LOWER_BOUND, WINDOW_UPPER_BOUND] seconds.
     * @param revealWindow_ reveal window, in [WINDOW_LOWER_BOUND, WINDOW_UPPER_BOUND] seconds.
     * @param maxReceiptAge_ longest a receipt may wait for its check, in [RECEIPT_AGE_LOWER_BOUND,
     * RECEIPT_AGE_UPPER_BOUND] seconds; with MAX_ROUNDS rounds it must stay below the escrow's cooldown.
     * @param slashBps_ share of the stake at entry slashed per proven fault, in [SLASH_BPS_LOWER_BOUND, 10,000].
     * @param admin the default admin (grants COORDINATOR_ROLE).
     * @param adminDelay delay of a default-admin transfer, at most ADMIN_DELAY_UPPER_BOUND seconds.
     */
    constructor(
        address staking_,
        uint256 commitWindow_,
        uint256 revealWindow_,
        uint256 maxReceiptAge_,
        uint256 slashBps_,
        address admin,
        uint48 adminDelay
    ) BoundedDefaultAdminRules(adminDelay, _nonZero(admin)) EIP712("CrossCheck", "1") {
        if (staking_ == address(0)) revert CrossCheckZeroAddress();
        _checkWindow(commitWindow_);
        _checkWindow(revealWindow_);
        if (maxReceiptAge_ < RECEIPT_AGE_LOWER_BOUND || maxReceiptAge_ > RECEIPT_AGE_UPPER_BOUND) {
            revert CrossCheckReceiptAgeOutOfRange(maxReceiptAge_, RECEIPT_AGE_LOWER_BOUND, RECEIPT_AGE_UPPER_BOUND);
        }
        if (slashBps_ < SLASH_BPS_LOWER_BOUND || slashBps_ > BPS_DENOMINATOR) {
            revert CrossCheckSlashBpsOutOfRange(slashBps_, SLASH_BPS_LOWER_BOUND, BPS_DENOMINATOR);
        }
        uint256 cooldown = IValidatorStaking(staking_).cooldown();
        uint256 required = maxReceiptAge_ + MAX_ROUNDS * (commitWindow_ + revealWindow_);
        if (cooldown <= required) revert CrossCheckCooldownTooShort(cooldown, required + 1);
        staking = IValidatorStaking(staking_);
        token = IValidatorStaking(staking_).token();
        commitWindow = commitWindow_;
        revealWindow = revealWindow_;
        maxReceiptAge = maxReceiptAge_;
        slashBps = slashBps_;
    }

    /* ===================== COORDINATOR ===================== */

    /// @inheritdoc ICrossCheck
    function open(
        Receipt calldata receipt,
        address paired,
        bytes calldata signature
    ) external onlyRole(COORDINATOR_ROLE) returns (uint256 checkId) {
        _checkReceipt(receipt, paired, signature);
        // The set the checkers come from: the end of the previous block, final before this transaction.
        uint256 snapshot = block.number - 1;
        _checkEnoughValidators(paired, receipt.user, snapshot);

        checkId = ++checkCount;
        checkOfTask[receipt.taskId] = checkId;
        Check storage c = _checks[checkId];
        uint256 seedBlock = block.number + SEED_BLOCK_DELAY;
        c.taskId = receipt.taskId;
        c.resultHash = receipt.resultHash;
        c.inputHash = receipt.inputHash;
        c.user = receipt.user;
        c.seedBlock = uint48(seedBlock); // block numbers < 2^48
        c.snapshotBlock = uint48(snapshot);
        c.paired = paired;
        c.phase = Phase.AwaitingDraw;
        emit CheckOpened(checkId, receipt.taskId, paired, receipt, snapshot, seedBlock);
        staking.recordExposure(checkId, paired);
    }

    /* ===================== ANYONE ===================== */

    /// @inheritdoc ICrossCheck
    function draw(uint256 checkId) external {
        Check storage c = _existing(checkId);
        Phase phase = c.phase;
        if (phase != Phase.AwaitingDraw && phase != Phase.AwaitingFifthDraw)
            revert CrossCheckWrongPhase(checkId, phase);
        uint256 seedBlock = c.seedBlock;
        if (block.number <= seedBlock) revert CrossCheckSeedNotReady(block.number, seedBlock);
        bytes32 seed = _seed(checkId, seedBlock, phase);
        if (seed == bytes32(0)) {
            // The seed block is more than 256 blocks old and its hash is gone: wait for a new one.
            // The snapshot stays: the set drawn from does not change, only the (still unknown) seed.
            uint256 newSeedBlock = block.number + SEED_BLOCK_DELAY;
            c.seedBlock = uint48(newSeedBlock);
            emit SeedRearmed(checkId, newSeedBlock);
            return;
        }

        if (phase == Phase.AwaitingDraw) _drawCheckers(checkId, c, seed);
        else _drawFifth(checkId, c, seed);
    }

    /// @inheritdoc ICrossCheck
    function finalize(uint256 checkId) external {
        Check storage c = _existing(checkId);
        Phase phase = c.phase;
        if (phase != Phase.Drawn && phase != Phase.FifthDrawn) revert CrossCheckWrongPhase(checkId, phase);
        uint256 deadline = c.revealDeadline;
        if (block.timestamp <= deadline) revert CrossCheckRevealNotOver(block.timestamp, deadline);

        // votes[0] = the receipt's hash (the paired validator's answer), votes[1..3] = checkers,
        // votes[4] = fifth; zero = did not reveal.
        bytes32 h = c.resultHash;
        bytes32[5] memory votes;
        votes[0] = h;
        for (uint256 i; i < 4; ++i) {
            votes[i + 1] = _reveals[checkId][c.drawn[i]];
        }
        if (phase == Phase.FifthDrawn) return _judgeTie(checkId, c, votes);

        if (_popCount(_matching(votes, INPUT_MISMATCH)) >= 2) return _settle(checkId, c, Verdict.Invalid, 0, 0, 0);
        uint256 matching = _matching(votes, h);
        uint256 agreeing = _popCount(matching);
        if (agreeing == CHECKERS) return _settle(checkId, c, Verdict.Pass, h, 0, matching);
        if (agreeing == 2) return _settle(checkId, c, Verdict.CheckerSlashed, h, _against(votes, h), matching);
        if (agreeing == 1) {
            uint256 snapshot = block.number - 1;
            uint256 seedBlock = block.number + SEED_BLOCK_DELAY;
            c.snapshotBlock = uint48(snapshot);
            c.seedBlock = uint48(seedBlock);
            c.phase = Phase.AwaitingFifthDraw;
            emit TieDeclared(checkId, snapshot, seedBlock);
            return;
        }
        // No checker gave H: the paired validator is slashed if two or three checkers agree on
        // another hash (at most one reported INPUT_MISMATCH here, so it is a computed hash).
        bytes32 other = _pairAgreement(votes[1], votes[2], votes[3]);
        if (other == bytes32(0)) return _settle(checkId, c, Verdict.Inconclusive, 0, 0, 0);
        _settle(checkId, c, Verdict.PairedSlashed, other, _PAIRED_BIT, _matching(votes, other));
    }

    /* ===================== PARTIES ===================== */

    /// @inheritdoc ICrossCheck
    function commit(uint256 checkId, bytes32 commitment) external {
        if (commitment == bytes32(0)) revert CrossCheckZeroCommitment();
        Check storage c = _existing(checkId);
        _requireParty(checkId, c);
        uint256 deadline = c.commitDeadline;
        if (block.timestamp > deadline) revert CrossCheckCommitClosed(block.timestamp, deadline);
        if (_commitments[checkId][msg.sender] != bytes32(0)) revert CrossCheckAlreadyCommitted(checkId, msg.sender);
        _commitments[checkId][msg.sender] = commitment;
        emit Committed(checkId, msg.sender, commitment);
    }

    /// @inheritdoc ICrossCheck
    function reveal(uint256 checkId, bytes32 resultHash, bytes32 salt) external {
        if (resultHash == bytes32(0)) revert CrossCheckZeroHash();
        Check storage c = _existing(checkId);
        _requireParty(checkId, c);
        uint256 commitDeadline = c.commitDeadline;
        if (block.timestamp <= commitDeadline) revert CrossCheckRevealNotOpen(block.timestamp, commitDeadline);
        uint256 revealDeadline = c.revealDeadline;
        if (block.timestamp > revealDeadline) revert CrossCheckRevealClosed(block.timestamp, revealDeadline);
        bytes32 commitment = _commitments[checkId][msg.sender];
        if (commitment == bytes32(0)) revert CrossCheckNotCommitted(checkId, msg.sender);
        if (_reveals[checkId][msg.sender] != bytes32(0)) revert CrossCheckAlreadyRevealed(checkId, msg.sender);
        if (commitmentOf(checkId, msg.sender, resultHash, salt) != commitment) {
            revert CrossCheckCommitmentMismatch(checkId, msg.sender);
        }
        _reveals[checkId][msg.sender] = resultHash;
        emit Revealed(checkId, msg.sender, resultHash);
    }

    /* ===================== VIEWS ===================== */

    /// @inheritdoc ICrossCheck
    function checkInfo(uint256 checkId) external view returns (Check memory) {
        return _checks[checkId];
    }

    /// @inheritdoc ICrossCheck
    function submission(uint256 checkId, address party) external view returns (bytes32 commitment, bytes32 resultHash) {
        return (_commitments[checkId][party], _reveals[checkId][party]);
    }

    /// @inheritdoc ICrossCheck
    function commitmentOf(
        uint256 checkId,
        address party,
        bytes32 resultHash,
        bytes32 salt
    ) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), checkId, party, resultHash, salt));
    }

    /// @inheritdoc ICrossCheck
    function receiptDigest(Receipt calldata receipt) public view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        RECEIPT_TYPEHASH,
                        receipt.taskId,
                        receipt.user,
                        receipt.inputHash,
                        receipt.resultHash,
                        receipt.deliveredAt
                    )
                )
            );
    }

    /* ===================== INTERNAL ===================== */

    /**
     * @dev First round: draws three distinct checkers from the Active set of the snapshot block,
     * never the paired validator or the user, records their exposures and opens the commit window.
     */
    function _drawCheckers(uint256 checkId, Check storage c, bytes32 seed) private {
        uint256 snapshot = c.snapshotBlock;
        (uint256 count, uint256[MAX_EXCLUDED] memory excluded, uint256 excludedCount) = _snapshotSet(c, snapshot);
        // count - excludedCount >= CHECKERS: `open` checked it on this very snapshot, with the same
        // exclusions (the paired validator and the user, if they were Active), and history is final.
        address[3] memory checkers;
        for (uint256 i; i < CHECKERS; ++i) {
            uint256 index = _pick(uint256(keccak256(abi.encode(seed, i))), count, excluded, excludedCount);
            _insertSorted(excluded, excludedCount, index);
            ++excludedCount;
            checkers[i] = staking.activeValidatorAtBlock(index, snapshot);
            c.drawn[i] = checkers[i];
        }
        (uint256 commitDeadline, uint256 revealDeadline) = _openRound(c, Phase.Drawn);
        emit CheckersDrawn(checkId, checkers, commitDeadline, revealDeadline);
        for (uint256 i; i < CHECKERS; ++i) {
            staking.recordExposure(checkId, checkers[i]);
        }
    }

    /**
     * @dev Tie: draws the fifth from the Active set of the tie's snapshot block, never one of the four
     * parties or the user; with nobody left the check ends Inconclusive.
     */
    function _drawFifth(uint256 checkId, Check storage c, bytes32 seed) private {
        uint256 snapshot = c.snapshotBlock;
        (uint256 count, uint256[MAX_EXCLUDED] memory excluded, uint256 excludedCount) = _snapshotSet(c, snapshot);
        for (uint256 i; i < CHECKERS; ++i) {
            excludedCount = _exclude(excluded, excludedCount, c.drawn[i], snapshot);
        }
        if (count == excludedCount) return _settle(checkId, c, Verdict.Inconclusive, 0, 0, 0);
        // The pick is not inserted: nothing is drawn after the fifth (the list may be full).
        address fifth = staking.activeValidatorAtBlock(_pick(uint256(seed), count, excluded, excludedCount), snapshot);
        c.drawn[_FIFTH - 1] = fifth;
        (uint256 commitDeadline, uint256 revealDeadline) = _openRound(c, Phase.FifthDrawn);
        emit FifthDrawn(checkId, fifth, commitDeadline, revealDeadline);
        staking.recordExposure(checkId, fifth);
    }

    /// @dev Starts a commit-reveal round now; returns its deadlines.
    function _openRound(Check storage c, Phase phase) private returns (uint256 commitDeadline, uint256 revealDeadline) {
        commitDeadline = block.timestamp + commitWindow;
        revealDeadline = commitDeadline + revealWindow;
        c.phase = phase;
        c.commitDeadline = uint40(commitDeadline); // unix seconds < 2^40 until year 36812
        c.revealDeadline = uint40(revealDeadline);
    }

    /**
     * @dev Second round of a tie: the fifth's hash wins if it has 3 of the 5 votes (the paired
     * validator and the one checker that gave H, or the two checkers that agree on another hash, plus
     * the fifth); the four first-round parties who did not give it are slashed.
     */
    function _judgeTie(uint256 checkId, Check storage c, bytes32[5] memory votes) private {
        bytes32 fifthHash = votes[_FIFTH];
        if (fifthHash == bytes32(0)) return _settle(checkId, c, Verdict.Inconclusive, 0, 0, 0);
        uint256 matching = _matching(votes, fifthHash);
        // The fifth itself plus the first-round votes for its hash (paired included).
        uint256 support = _popCount(matching) + (votes[0] == fifthHash ? 1 : 0);
        if (support < 3) return _settle(checkId, c, Verdict.Inconclusive, 0, 0, 0);
        _settle(checkId, c, Verdict.TieDecided, fifthHash, _against(votes, fifthHash), matching);
    }

    /**
     * @dev Ends the check: records the verdict, slashes the `losers` (party mask), splits the reward
     * share equally among the `honest` checkers (party mask), burns the remainder, closes every
     * exposure the check recorded.
     */
    function _settle(
        uint256 checkId,
        Check storage c,
        Verdict verdict,
        bytes32 winningHash,
        uint256 losers,
        uint256 honest
    ) private {
        c.phase = Phase.Finalized;
        c.verdict = verdict;
        emit VerdictReached(checkId, verdict, winningHash);

        address[5] memory parties = [c.paired, c.drawn[0], c.drawn[1], c.drawn[2], c.drawn[3]];
        uint256 rewards;
        for (uint256 i; i < 5; ++i) {
            if (losers & (1 << i) != 0) rewards += _slash(checkId, parties[i]);
        }
        if (rewards != 0) _payHonest(checkId, parties, honest, rewards);
        for (uint256 i; i < 5; ++i) {
            if (parties[i] != address(0)) staking.closeExposure(checkId, parties[i]);
        }
    }

    /// @dev Slashes `validator` by `slashBps` of its cap under the check; returns the reward share received.
    function _slash(uint256 checkId, address validator) private returns (uint256 rewarded) {
        (, uint256 cap) = staking.exposure(checkId, validator);
        uint256 amount = Math.mulDiv(cap, slashBps, BPS_DENOMINATOR);
        // Zero only for a drawn checker that had withdrawn everything before the draw (possible only
        // if the draw came more than a cooldown after the snapshot): nothing to take.
        if (amount == 0) return 0;
        uint256 slashed;
        uint256 burned;
        (slashed, rewarded, burned) = staking.slash(checkId, validator, amount, address(this));
        emit ValidatorSlashed(checkId, validator, slashed, rewarded, burned);
    }

    /// @dev Pays `rewards` in equal shares to the `honest` parties (at least one); burns what cannot be split.
    function _payHonest(uint256 checkId, address[5] memory parties, uint256 honest, uint256 rewards) private {
        // honestCount >= 1: every slashing verdict has a checker on the winning side (n3: two; n2: two
        // or three agreeing on the hash; a decided tie: the fifth, at least).
        uint256 honestCount = _popCount(honest);
        uint256 share = rewards / honestCount;
        for (uint256 i = 1; i < 5; ++i) {
            if (honest & (1 << i) != 0) {
                emit CheckerRewarded(checkId, parties[i], share);
                IERC20(address(token)).safeTransfer(parties[i], share);
            }
        }
        uint256 dust = rewards - share * honestCount; // share * honestCount <= rewards
        if (dust != 0) {
            emit RewardDustBurned(checkId, dust);
            token.burn(dust);
        }
    }

    /**
     * @dev Reverts unless `receipt` can open a check: well-formed, delivered within {maxReceiptAge}
     * up to now, its task not checked yet, signed by `paired` (ECDSA or ERC-1271), and `paired` has
     * stake left in the escrow (whatever its status).
     */
    function _checkReceipt(Receipt calldata receipt, address paired, bytes calldata signature) private view {
        bytes32 taskId = receipt.taskId;
        address user = receipt.user;
        if (taskId == bytes32(0)) revert CrossCheckZeroTaskId();
        if (user == address(0) || paired == address(0)) revert CrossCheckZeroAddress();
        if (user == paired) revert CrossCheckUserIsPaired(user);
        bytes32 resultHash = receipt.resultHash;
        if (resultHash == bytes32(0) || resultHash == INPUT_MISMATCH || receipt.inputHash == bytes32(0)) {
            revert CrossCheckBadReceiptHash();
        }
        uint256 deliveredAt = receipt.deliveredAt;
        if (deliveredAt > block.timestamp) revert CrossCheckReceiptFromFuture(deliveredAt, block.timestamp);
        // Cannot underflow: deliveredAt <= block.timestamp.
        if (block.timestamp - deliveredAt > maxReceiptAge) {
            revert CrossCheckReceiptExpired(deliveredAt, block.timestamp, maxReceiptAge);
        }
        uint256 existing = checkOfTask[taskId];
        if (existing != 0) revert CrossCheckTaskAlreadyChecked(taskId, existing);
        if (!SignatureChecker.isValidSignatureNowCalldata(paired, receiptDigest(receipt), signature)) {
            revert CrossCheckBadSignature(paired);
        }
        IValidatorStaking.Validator memory info = staking.validatorInfo(paired);
        if (info.active == 0 && info.unbonding == 0) revert CrossCheckPairedNoStake(paired);
    }

    /// @dev Reverts unless the set of block `snapshot` holds CHECKERS validators besides `paired` and `user`.
    function _checkEnoughValidators(address paired, address user, uint256 snapshot) private view {
        uint256 available = staking.activeValidatorCountAt(snapshot);
        (bool pairedActive, ) = staking.activeIndexAt(paired, snapshot);
        (bool userActive, ) = staking.activeIndexAt(user, snapshot);
        // Cannot underflow: an Active paired validator or user is counted in `available`.
        if (pairedActive) --available;
        if (userActive) --available;
        if (available < CHECKERS) revert CrossCheckNotEnoughValidators(available, CHECKERS);
    }

    /**
     * @dev The seed of a pending draw: the seed block's hash mixed with the chain, this contract, the
     * check and the round; zero when the hash is unavailable (more than 256 blocks old).
     * THIS is the one place to plug a VRF (e.g. Chainlink VRF on BSC): request randomness in {open}
     * and on a tie, store the fulfilled word, and return it here instead of the block hash.
     */
    function _seed(uint256 checkId, uint256 seedBlock, Phase round) private view returns (bytes32) {
        bytes32 entropy = blockhash(seedBlock);
        if (entropy == bytes32(0)) return bytes32(0);
        return keccak256(abi.encode(entropy, block.chainid, address(this), checkId, round));
    }

    /// @dev The size of the snapshot's Active set and the sorted set indices there of the paired
    /// validator and the user (those that were Active).
    function _snapshotSet(
        Check storage c,
        uint256 snapshot
    ) private view returns (uint256 count, uint256[MAX_EXCLUDED] memory excluded, uint256 excludedCount) {
        count = staking.activeValidatorCountAt(snapshot);
        excludedCount = _exclude(excluded, 0, c.paired, snapshot);
        excludedCount = _exclude(excluded, excludedCount, c.user, snapshot);
    }

    /// @dev Adds `account`'s set index to the sorted exclusion list if it was Active at the end of
    /// block `snapshot`; returns the new length.
    function _exclude(
        uint256[MAX_EXCLUDED] memory excluded,
        uint256 length,
        address account,
        uint256 snapshot
    ) private view returns (uint256) {
        (bool active, uint256 index) = staking.activeIndexAt(account, snapshot);
        if (!active) return length;
        _insertSorted(excluded, length, index);
        return length + 1;
    }

    /// @dev The caller must be a checker of the check's current round.
    function _requireParty(uint256 checkId, Check storage c) private view {
        Phase phase = c.phase;
        bool party;
        if (phase == Phase.Drawn) {
            party = msg.sender == c.drawn[0] || msg.sender == c.drawn[1] || msg.sender == c.drawn[2];
        } else if (phase == Phase.FifthDrawn) {
            party = msg.sender == c.drawn[_FIFTH - 1];
        } else {
            revert CrossCheckWrongPhase(checkId, phase);
        }
        if (!party) revert CrossCheckNotAParty(checkId, msg.sender);
    }

    /// @dev The check `checkId`, or reverts if it does not exist.
    function _existing(uint256 checkId) private view returns (Check storage c) {
        c = _checks[checkId];
        if (c.phase == Phase.None) revert CrossCheckUnknownCheck(checkId);
    }

    /// @dev Mask of the checkers (bits 1..4, fifth included) whose vote is `hash` (a non-zero hash).
    function _matching(bytes32[5] memory votes, bytes32 hash) private pure returns (uint256 mask) {
        for (uint256 i = 1; i < 5; ++i) {
            if (votes[i] == hash) mask |= 1 << i;
        }
    }

    /// @dev Mask of the paired validator and the three checkers (bits 0..3) whose vote is not `hash`.
    function _against(bytes32[5] memory votes, bytes32 hash) private pure returns (uint256 mask) {
        for (uint256 i; i < 4; ++i) {
            if (votes[i] != hash) mask |= 1 << i;
        }
    }

    /// @dev A non-zero hash given by at least two of the three checkers, or zero.
    function _pairAgreement(bytes32 a, bytes32 b, bytes32 d) private pure returns (bytes32) {
        if (a != bytes32(0) && (a == b || a == d)) return a;
        if (b != bytes32(0) && b == d) return b;
        return bytes32(0);
    }

    /// @dev Number of set bits of a party mask (at most 5 bits).
    function _popCount(uint256 mask) private pure returns (uint256 count) {
        for (; mask != 0; mask &= mask - 1) ++count;
    }

    /**
     * @dev A uniform set index among the `count - length` indices not in `excluded[0..length)`
     * (`length < count`). The `rand % (count - length)`-th free index is found by walking the
     * sorted exclusions once: each excluded index at or below the candidate pushes it up by one.
     */
    function _pick(
        uint256 rand,
        uint256 count,
        uint256[MAX_EXCLUDED] memory excluded,
        uint256 length
    ) private pure returns (uint256 index) {
        index = rand % (count - length);
        for (uint256 i; i < length && excluded[i] <= index; ++i) ++index;
    }

    /// @dev Inserts `value` into the sorted `list[0..length)` (length < MAX_EXCLUDED).
    function _insertSorted(uint256[MAX_EXCLUDED] memory list, uint256 length, uint256 value) private pure {
        uint256 i = length;
        for (; i != 0 && list[i - 1] > value; --i) list[i] = list[i - 1];
        list[i] = value;
    }

    /// @dev Reverts unless `window` is within the bounds.
    function _checkWindow(uint256 window) private pure {
        if (window < WINDOW_LOWER_BOUND || window > WINDOW_UPPER_BOUND) {
            revert CrossCheckWindowOutOfRange(window, WINDOW_LOWER_BOUND, WINDOW_UPPER_BOUND);
        }
    }

    /// @dev Rejects a zero default admin with this contract's error (runs before the base constructor).
    function _nonZero(address account) private pure returns (address) {
        if (account == address(0)) revert CrossCheckZeroAddress();
        return account;
    }
}
