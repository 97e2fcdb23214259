// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IValidatorStaking} from "./IValidatorStaking.sol";

/**
 * @title ICrossCheck
 * @notice The whitepaper's random cross-check (SPEC 6, steps l–v). The coordinator opens a check of a
 * task (the user, the paired validator); three cross-checkers are drawn from the Active validators
 * other than the paired one, from a seed fixed only after the check is opened; the user, the paired
 * validator and the checkers commit then reveal their result hashes; anyone finalizes after the
 * reveal deadline and the verdict slashes through the ValidatorStaking escrow.
 *
 * Verdict (H = the paired validator's revealed hash, U = the user's; a party that does not reveal
 * counts as dissenting from every hash):
 * - U missing, or U != H → Invalid (v): nobody slashed;
 * - the paired validator did not reveal (U present) → PairedSlashed: it is slashed (a paired
 *   validator cannot escape a check by withholding its reveal);
 * - three checkers give H → Pass (n1);
 * - two give H → CheckerSlashed (n3): the dissenting checker is slashed;
 * - one gives H → tie (n3'): a fifth validator is drawn, commits and reveals; a hash with 3 of the 5
 *   votes (paired, three checkers, fifth) wins → TieDecided and every one of the four who did not
 *   give it is slashed; no such hash → Inconclusive;
 * - none gives H and two or three checkers agree on another hash → PairedSlashed (n2);
 * - otherwise → Inconclusive: nobody slashed.
 * Each slash takes `slashBps` of the validator's stake when it entered the check; the escrow pays
 * its reward share to this contract, which splits it equally among the checkers (fifth included)
 * who gave the winning hash, and burns the division's remainder (or all of it, if none did).
 */
interface ICrossCheck {
    /// @notice Life cycle of a check.
    enum Phase {
        None, // no such check
        AwaitingDraw, // opened; the checkers are drawn once the seed block is known
        Drawn, // checkers drawn; commit, then reveal
        AwaitingFifthDraw, // first round tied; the fifth is drawn once the new seed block is known
        FifthDrawn, // the fifth commits, then reveals
        Finalized // verdict reached, exposures closed
    }

    /// @notice Outcome of a check (SPEC 6).
    enum Verdict {
        None, // not finalized
        Invalid, // (v) the user's hash is missing or differs from the paired validator's
        Pass, // (n1)
        CheckerSlashed, // (n3)
        TieDecided, // (n3') the fifth validator formed a 3-of-5 majority
        PairedSlashed, // (n2), or the paired validator did not reveal
        Inconclusive, // no majority
        Cancelled // fewer than three eligible validators were Active when the draw came
    }

    /// @notice One check. Times in unix seconds.
    struct Check {
        bytes32 taskId;
        address user;
        uint64 seedBlock; // the block whose hash seeds the pending draw
        Phase phase;
        Verdict verdict;
        address paired;
        uint40 commitDeadline; // of the current round
        uint40 revealDeadline; // of the current round
        address[4] drawn; // the three checkers, then the fifth (zero until drawn)
    }

    /* ===================== EVENTS ===================== */

    /// @notice Check `checkId` of task `taskId` opened; the checkers are drawn from the hash of `seedBlock`.
    event CheckOpened(
        uint256 indexed checkId,
        bytes32 indexed taskId,
        address indexed paired,
        address user,
        uint256 seedBlock
    );
    /// @notice Nobody drew within 256 blocks of the seed block (its hash is gone): the draw waits for `seedBlock`.
    event SeedRearmed(uint256 indexed checkId, uint256 seedBlock);
    /// @notice The three checkers were drawn; commits until `commitDeadline`, reveals until `revealDeadline`.
    event CheckersDrawn(uint256 indexed checkId, address[3] checkers, uint256 commitDeadline, uint256 revealDeadline);
    /// @notice The first round tied; the fifth validator is drawn from the hash of `seedBlock`.
    event TieDeclared(uint256 indexed checkId, uint256 seedBlock);
    /// @notice The fifth validator was drawn; it commits until `commitDeadline`, reveals until `revealDeadline`.
    event FifthDrawn(uint256 indexed checkId, address indexed fifth, uint256 commitDeadline, uint256 revealDeadline);
    /// @notice `party` committed to its result hash.
    event Committed(uint256 indexed checkId, address indexed party, bytes32 commitment);
    /// @notice `party` revealed `resultHash`.
    event Revealed(uint256 indexed checkId, address indexed party, bytes32 resultHash);
    /// @notice The check was finalized with `verdict`; `winningHash` is the hash the verdict upholds (0 if none).
    event VerdictReached(uint256 indexed checkId, Verdict verdict, bytes32 winningHash);
    /// @notice `validator` was slashed under the check: `rewarded` came to this contract for the honest checkers, `burned` was burned.
    event ValidatorSlashed(
        uint256 indexed checkId,
        address indexed validator,
        uint256 slashed,
        uint256 rewarded,
        uint256 burned
    );
    /// @notice `checker` gave the winning hash and received `amount` DG of the check's slash rewards.
    event CheckerRewarded(uint256 indexed checkId, address indexed checker, uint256 amount);
    /// @notice `amount` DG of slash rewards could not be split equally (or had no honest checker) and were burned.
    event RewardDustBurned(uint256 indexed checkId, uint256 amount);

    /* ===================== ERRORS ===================== */

    /// @notice A zero address was given where an account or contract is required.
    error CrossCheckZeroAddress();
    /// @notice The task id must not be zero.
    error CrossCheckZeroTaskId();
    /// @notice The user must not be the paired validator.
    error CrossCheckUserIsPaired(address account);
    /// @notice The paired validator must be Active when the check opens.
    error CrossCheckPairedNotActive(address paired, IValidatorStaking.Status status);
    /// @notice The task was already checked by check `checkId`.
    error CrossCheckTaskAlreadyChecked(bytes32 taskId, uint256 checkId);
    /// @notice Fewer Active validators than checkers can be drawn from (the paired one and the user excluded).
    error CrossCheckNotEnoughValidators(uint256 available, uint256 needed);
    /// @notice No check has this id.
    error CrossCheckUnknownCheck(uint256 checkId);
    /// @notice The check is in a phase that does not allow the operation.
    error CrossCheckWrongPhase(uint256 checkId, Phase phase);
    /// @notice The seed block's hash is not known yet: wait until a block after `seedBlock`.
    error CrossCheckSeedNotReady(uint256 blockNumber, uint256 seedBlock);
    /// @notice `account` is not a party of the check's current round.
    error CrossCheckNotAParty(uint256 checkId, address account);
    /// @notice A commitment must not be zero.
    error CrossCheckZeroCommitment();
    /// @notice A revealed result hash must not be zero.
    error CrossCheckZeroHash();
    /// @notice `party` already committed to this check.
    error CrossCheckAlreadyCommitted(uint256 checkId, address party);
    /// @notice The commit window closed at `commitDeadline`.
    error CrossCheckCommitClosed(uint256 nowTimestamp, uint256 commitDeadline);
    /// @notice Reveals open after `commitDeadline`.
    error CrossCheckRevealNotOpen(uint256 nowTimestamp, uint256 commitDeadline);
    /// @notice The reveal window closed at `revealDeadline`.
    error CrossCheckRevealClosed(uint256 nowTimestamp, uint256 revealDeadline);
    /// @notice `party` has no commitment to reveal.
    error CrossCheckNotCommitted(uint256 checkId, address party);
    /// @notice `party` already revealed.
    error CrossCheckAlreadyRevealed(uint256 checkId, address party);
    /// @notice The hash and salt do not match `party`'s commitment.
    error CrossCheckCommitmentMismatch(uint256 checkId, address party);
    /// @notice The check can be finalized after `revealDeadline`.
    error CrossCheckRevealNotOver(uint256 nowTimestamp, uint256 revealDeadline);
    /// @notice A commit or reveal window is outside [min, max] seconds.
    error CrossCheckWindowOutOfRange(uint256 window, uint256 min, uint256 max);
    /// @notice The slash share is outside [min, max] basis points.
    error CrossCheckSlashBpsOutOfRange(uint256 slashBps, uint256 min, uint256 max);
    /// @notice The initial admin-transfer delay is above the maximum (seconds).
    error CrossCheckAdminDelayOutOfRange(uint256 adminDelay, uint256 maxDelay);

    /* ===================== COORDINATOR ===================== */

    /**
     * @notice Opens a check of task `taskId`, done by the Active validator `paired` for `user`. Records
     * the paired validator's exposure (its stake now caps what the check can slash). The checkers are
     * drawn by {draw} from the hash of the next block, which nobody knows now.
     * Requirements: coordinator role; non-zero task id, user and paired; user != paired; the task not
     * checked before; paired Active; at least three other Active validators besides the user.
     * @param taskId the task (a non-zero id chosen off-chain, e.g. the hash of the task record).
     * @param user the user who bought the computation.
     * @param paired the validator that computed it.
     * @return checkId the new check's id (from 1).
     */
    function open(bytes32 taskId, address user, address paired) external returns (uint256 checkId);

    /* ===================== ANYONE ===================== */

    /**
     * @notice Draws the pending checkers (three, or the fifth after a tie) from the seed block's hash:
     * distinct Active validators, never the paired validator, the user or an earlier checker. Records
     * their exposures and opens the commit window. If the seed block is more than 256 blocks old its
     * hash is gone: the draw re-arms on the next block instead. If too few validators are Active, the
     * check ends Cancelled (first draw) or Inconclusive (fifth draw).
     * Requirements: the check awaits a draw; a block after the seed block.
     * @param checkId the check.
     */
    function draw(uint256 checkId) external;

    /**
     * @notice Finalizes the check after the reveal deadline: applies the verdict table (see the
     * contract's notice), slashes through the escrow, pays the honest checkers and closes every
     * exposure; or, on a first-round tie, asks for a fifth validator.
     * Requirements: the check is in a commit-reveal round whose reveal deadline has passed.
     * @param checkId the check.
     */
    function finalize(uint256 checkId) external;

    /* ===================== PARTIES ===================== */

    /**
     * @notice Commits the caller's result hash: `commitment` = {commitmentOf}(checkId, caller, hash, salt).
     * Requirements: the caller is a party of the current round (user, paired, checkers; then the
     * fifth); non-zero commitment; not committed yet; before the commit deadline.
     * @param checkId the check.
     * @param commitment the commitment.
     */
    function commit(uint256 checkId, bytes32 commitment) external;

    /**
     * @notice Reveals the caller's committed result hash.
     * Requirements: a party of the current round; after the commit deadline and until the reveal
     * deadline; committed; not revealed yet; `resultHash` non-zero and matching the commitment.
     * @param checkId the check.
     * @param resultHash the result hash.
     * @param salt the secret salt of the commitment.
     */
    function reveal(uint256 checkId, bytes32 resultHash, bytes32 salt) external;

    /* ===================== VIEWS ===================== */

    /**
     * @notice The commitment a party submits: binds the chain, this contract, the check and the party,
     * so that it can be neither replayed elsewhere nor copied by another party.
     * @param checkId the check.
     * @param party the committing party.
     * @param resultHash its result hash.
     * @param salt a secret random salt.
     * @return the commitment.
     */
    function commitmentOf(
        uint256 checkId,
        address party,
        bytes32 resultHash,
        bytes32 salt
    ) external view returns (bytes32);

    /// @notice One check's record.
    /// @param checkId the check.
    /// @return the record (phase None if there is no such check).
    function checkInfo(uint256 checkId) external view returns (Check memory);

    /// @notice What `party` submitted to check `checkId`.
    /// @param checkId the check.
    /// @param party the party.
    /// @return commitment its commitment (0 if none).
    /// @return resultHash its revealed hash (0 if not revealed).
    function submission(uint256 checkId, address party) external view returns (bytes32 commitment, bytes32 resultHash);

    /// @notice The check opened for `taskId`.
    /// @param taskId the task.
    /// @return the check id (0 if none).
    function checkOfTask(bytes32 taskId) external view returns (uint256);

    /// @notice Number of checks opened so far (the last check id).
    /// @return the count.
    function checkCount() external view returns (uint256);
}
