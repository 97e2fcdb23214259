// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IMiningReservation
 * @notice The halving release of the 15,000,000 DG mining reserve to the network's validators.
 */
interface IMiningReservation {
    /// @notice The beneficiary (the compute-rewards distributor) was set.
    event BeneficiarySet(address indexed beneficiary);
    /// @notice The inflation-vote contract, the only one allowed to change `burnBps`, was set.
    event InflationVoteSet(address indexed inflationVote);
    /// @notice The reserve received its 15,000,000 DG from `funder`.
    event Funded(address indexed funder, uint256 amount);
    /// @notice Due emission was settled: `toBeneficiary` sent, `burned` destroyed, at `burnBps`.
    event Released(uint256 toBeneficiary, uint256 burned, uint256 burnBps, uint256 emittedTotal);
    /// @notice The burn rate changed (after settling the release due so far at the old rate).
    event BurnBpsChanged(uint256 oldBurnBps, uint256 newBurnBps);
    /// @notice DG sent to this contract by mistake (beyond the reserve) were sent to `to`.
    event StrayTokensRecovered(address indexed to, uint256 amount);

    /// @notice A zero address was given where an account or contract is required.
    error MiningReservationZeroAddress();
    /// @notice `burnBps` is above 10,000 basis points.
    error MiningReservationBurnBpsOutOfRange(uint256 burnBps, uint256 maxBps);
    /// @notice The beneficiary was already set; it can be set only once.
    error MiningReservationBeneficiaryAlreadySet(address beneficiary);
    /// @notice The inflation-vote contract was already set; it can be set only once.
    error MiningReservationInflationVoteAlreadySet(address inflationVote);
    /// @notice The reserve was already funded; it is funded only once.
    error MiningReservationAlreadyFunded();
    /// @notice `release` needs the reserve funded and the beneficiary set.
    error MiningReservationNotReady(bool funded, address beneficiary);
    /// @notice Only the inflation-vote contract may change the burn rate.
    error MiningReservationUnauthorized(address caller);
    /// @notice There are no DG held beyond the reserve to recover.
    error MiningReservationNothingToRecover();

    /**
     * @notice Settles all emission due since the last call, in O(1) gas: sends `(1 - burnBps/10000)`
     * of it to the beneficiary and burns the rest. Permissionless; releasing nothing does not revert.
     * Requirements: the reserve is funded and the beneficiary is set.
     * @return toBeneficiary DG sent to the beneficiary.
     * @return burned DG burned.
     */
    function release() external returns (uint256 toBeneficiary, uint256 burned);

    /**
     * @notice Sets the burn rate. Settles the release due so far at the old rate first.
     * Requirements: caller is the inflation-vote contract; `newBurnBps` <= 10,000.
     * @param newBurnBps the share of each future release that is burned, in basis points.
     */
    function setBurnBps(uint256 newBurnBps) external;

    /**
     * @notice Moves exactly 15,000,000 DG from the caller into the reserve (after `approve`). Once.
     */
    function fund() external;

    /**
     * @notice Sets the beneficiary (the compute-rewards distributor). Owner only, once.
     * @param beneficiary the receiver of every release.
     */
    function setBeneficiary(address beneficiary) external;

    /**
     * @notice Sets the only contract allowed to change `burnBps`. Owner only, once.
     * @param inflationVote the InflationVote contract.
     */
    function setInflationVote(address inflationVote) external;

    /**
     * @notice Sends DG held by this contract beyond the unreleased reserve (sent by mistake) to `to`.
     * Owner only. The reserve itself can never be taken this way.
     * @param to the receiver.
     */
    function recoverStrayTokens(address to) external;

    /// @notice Cumulative scheduled emission up to and including the day containing `timestamp`.
    /// @param timestamp a unix time in seconds.
    /// @return emitted DG in wei (0 before `start`, never above 15,000,000 DG).
    function emittedBy(uint256 timestamp) external view returns (uint256 emitted);

    /// @notice The emission scheduled for day `day` (day 0 starts at `start`).
    /// @param day the day index `(t - start) / 86400`.
    /// @return rate DG in wei for that day; the remainder 22.5 DG on day 79126 and 0 afterwards.
    function dailyRate(uint256 day) external view returns (uint256 rate);

    /// @notice Total DG sent to the beneficiary so far (settled emission minus burned).
    /// @return released DG in wei.
    function totalReleased() external view returns (uint256 released);

    /// @notice The share of each release that is burned, in basis points (0..10,000).
    /// @return the current burn rate.
    function burnBps() external view returns (uint16);

    /// @notice DG due now and not yet released (the next `release` settles exactly this).
    /// @return due DG in wei.
    function releasable() external view returns (uint256 due);
}
