// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title ICrossCheck
 * @notice The whitepaper's random cross-check (SPEC 6, steps k–v). With each result the paired
 * validator signs an EIP-712 delivery receipt (taskId, user, inputHash, resultHash, deliveredAt)
 * under this contract's domain and hands it to the user: its answer is fixed before anyone knows
 * whether the task will be checked. The coordinator opens a check with that receipt; three
 * cross-checkers are drawn from the validators that were Active when the check was opened (the
 * escrow's history), never the paired validator or the user, from a seed nobody knows at opening;
 * they commit then reveal the hash they computed (or INPUT_MISMATCH when the input they were given
 * does not hash to the receipt's inputHash); anyone finalizes after the reveal deadline.
 *
 * Verdict (H = the receipt's resultHash; a checker that does not reveal counts as dissenting):
 * - two or more checkers report INPUT_MISMATCH → Invalid (v): nobody slashed;
 * - three checkers give H → Pass (n1);
 * - two give H → CheckerSlashed (n3): the third checker is slashed;
 * - one gives H → tie (n3'): a fifth validator is drawn (from the set when the tie was declared),
 *   commits and reveals; a hash with 3 of the 5 votes (the receipt is the paired validator's vote)
 *   wins → TieDecided and every one of the four who did not give it is slashed; else Inconclusive;
 * - none gives H and two or three checkers agree on another hash → PairedSlashed (n2);
 * - otherwise → Inconclusive: nobody slashed.
 * Each slash takes `slashBps` of the validator's stake when it entered the check; the escrow pays
 * its reward share to this contract, which splits it equally among the checkers (fifth included)
 * who gave the winning hash (there is always one), and burns the division's remainder.
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
        Invalid, // (v) two or more checkers reported INPUT_MISMATCH: the user's data was unreliable
        Pass, // (n1)
        CheckerSlashed, // (n3)
        TieDecided, // (n3') the fifth validator formed a 3-of-5 majority
        PairedSlashed, // (n2)
        Inconclusive // no majority (or nobody left to draw as the fifth)
    }

    /// @notice A delivery receipt, signed by the paired validator (EIP-712, this contract's domain).
    /// @dev The field order is the EIP-712 type's; the struct travels in calldata and events, never in
    /// storage, so slot packing does not apply.
    // solhint-disable-next-line gas-struct-packing
    struct Receipt {
        bytes32 taskId; // non-zero id of the task, chosen off-chain
        address user; // who bought the computation
        bytes32 inputHash; // hash of the task's input
        bytes32 resultHash; // hash of the result the paired validator delivered
        uint64 deliveredAt; // unix seconds
    }

    /// @notice One check. Times in unix seconds.
    struct Check {
        bytes32 taskId;
        bytes32 resultHash; // H: the receipt's, the paired validator's answer
        bytes32 inputHash; // the receipt's
        address user;
        uint48 seedBlock; // the block whose hash seeds the pending draw
        uint48 snapshotBlock; // the active set of this block is drawn from (of the tie, for the fifth)
        address paired;
        uint40 commitDeadline; // of the current round
        uint40 revealDeadline; // of the current round
        Phase phase;
        Verdict verdict;
        address[4] drawn; // the three checkers, then the fifth (zero until drawn)
    }

    /* ===================== EVENTS ===================== */

    /// @notice Check `checkId` of task `taskId` opened from the paired validator's receipt; the
    /// checkers are drawn from the Active set of `snapshotBlock` with the hash of `seedBlock`.
    event CheckOpened(
        uint256 indexed checkId,
        bytes32 indexed taskId,
        address indexed paired,
        Receipt receipt,
        uint256 snapshotBlock,
        uint256 seedBlock
    );
    /// @notice Nobody drew within 256 blocks of the seed block (its hash is gone): the draw waits for `seedBlock`.
    event SeedRearmed(uint256 indexed checkId, uint256 seedBlock);
    /// @notice The three checkers were drawn; commits until `commitDeadline`, reveals until `revealDeadline`.
    event CheckersDrawn(uint256 indexed checkId, address[3] checkers, uint256 commitDeadline, uint256 revealDeadline);
    /// @notice The first round tied; the fifth validator is drawn from the Active set of
    /// `snapshotBlock` with the hash of `seedBlock`.
    event TieDeclared(uint256 indexed checkId, uint256 snapshotBlock, uint256 seedBlock);
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
    /// @notice `amount` DG of slash rewards could not be split equally among the honest checkers and were burned.
    event RewardDustBurned(uint256 indexed checkId, uint256 amount);

    /* ===================== ERRORS ===================== */

    /// @notice A zero address was given where an account or contract is required.
    error CrossCheckZeroAddress();
    /// @notice The task id must not be zero.
    error CrossCheckZeroTaskId();
    /// @notice The user must not be the paired validator.
    error CrossCheckUserIsPaired(address account);
    /// @notice The receipt's result or input hash is zero, or its result hash is INPUT_MISMATCH.
    error CrossCheckBadReceiptHash();
    /// @notice The receipt says it was delivered after the current block's time.
    error CrossCheckReceiptFromFuture(uint256 deliveredAt, uint256 nowTimestamp);
    /// @notice The receipt is older than the maximum receipt age.
    error CrossCheckReceiptExpired(uint256 deliveredAt, uint256 nowTimestamp, uint256 maxReceiptAge);
    /// @notice The signature is not the paired validator's over this receipt (ECDSA or ERC-1271).
    error CrossCheckBadSignature(address paired);
    /// @notice The paired validator has no stake left in the escrow: nothing could be slashed.
    error CrossCheckPairedNoStake(address paired);
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
    /// @notice The maximum receipt age is outside [min, max] seconds.
    error CrossCheckReceiptAgeOutOfRange(uint256 maxReceiptAge, uint256 min, uint256 max);
    /// @notice The escrow's cooldown must be longer than the maximum receipt age plus the longest
    /// check (two commit-reveal rounds), so a validator that leaves can still be checked.
    error CrossCheckCooldownTooShort(uint256 cooldown, uint256 required);

    /* ===================== COORDINATOR ===================== */

    /**
     * @notice Opens a check of the task in `receipt`, delivered by `paired`. Verifies `signature`
     * (the paired validator's EIP-712 signature of the receipt, ECDSA or ERC-1271) and fixes H =
     * `receipt.resultHash`. Records the paired validator's exposure (its stake now caps what the
     * check can slash; it cannot withdraw until the check ends). The paired validator may be
     * Active, CoolingDown or Expelled, as long as it has stake left. The checkers are drawn by
     * {draw} from the Active set of the block before this one, with the hash of the next block.
     * Requirements: coordinator role; non-zero task id, user and paired; user != paired; non-zero
     * hashes and a result hash other than INPUT_MISMATCH; delivered no later than now and no more
     * than {maxReceiptAge} ago; a valid signature; the task not checked before; the paired
     * validator has stake; at least three validators other than it and the user in the snapshot.
     * @param receipt the delivery receipt the user kept.
     * @param paired the validator that signed it.
     * @param signature its signature.
     * @return checkId the new check's id (from 1).
     */
    function open(
        Receipt calldata receipt,
        address paired,
        bytes calldata signature
    ) external returns (uint256 checkId);

    /* ===================== ANYONE ===================== */

    /**
     * @notice Draws the pending checkers (three, or the fifth after a tie) from the seed block's hash:
     * distinct validators that were Active at the end of the snapshot block, never the paired
     * validator, the user or an earlier checker. Nothing done after the snapshot changes who is
     * drawn, so anyone may call it. Records
     * their exposures and opens the commit window. If the seed block is more than 256 blocks old its
     * hash is gone: the draw re-arms on the next block instead. If nobody is left to be the fifth in
     * the tie's snapshot, the check ends Inconclusive ({open} made sure the first draw has three).
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
     * @notice Commits the caller's result hash (or INPUT_MISMATCH): `commitment` =
     * {commitmentOf}(checkId, caller, hash, salt), computed locally (never sent to a node first).
     * Requirements: the caller is a checker of the current round (the three; then the fifth);
     * non-zero commitment; not committed yet; before the commit deadline.
     * @param checkId the check.
     * @param commitment the commitment.
     */
    function commit(uint256 checkId, bytes32 commitment) external;

    /**
     * @notice Reveals the caller's committed result hash.
     * Requirements: a checker of the current round; after the commit deadline and until the reveal
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

    /**
     * @notice The EIP-712 digest the paired validator signs for `receipt` (this chain, this contract).
     * @param receipt the receipt.
     * @return the digest.
     */
    function receiptDigest(Receipt calldata receipt) external view returns (bytes32);

    /// @notice The longest a receipt may wait before its check is opened, in seconds.
    /// @return the maximum receipt age.
    function maxReceiptAge() external view returns (uint256);
}
