// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @title ContractValidator
 * @notice TEST ONLY, never deployed by the modules: a validator that is a contract (a multisig or a
 * smart account, say). It signs delivery receipts through ERC-1271: a digest is valid when its
 * owner's key signed it. The owner drives it through {execute} (approve, stake, unbond, withdraw,
 * commit, reveal).
 */
contract ContractValidator is IERC1271 {
    /// @notice The key whose ECDSA signatures this contract accepts, and the only caller of {execute}.
    address public immutable owner;

    /// @notice Only the owner may call.
    error ContractValidatorNotOwner(address caller);

    /// @param owner_ the owner.
    constructor(address owner_) {
        owner = owner_;
    }

    /**
     * @notice Calls `target` with `data` as this contract; bubbles a revert up.
     * @param target the contract to call.
     * @param data the calldata.
     * @return the call's return data.
     */
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert ContractValidatorNotOwner(msg.sender);
        return Address.functionCall(target, data); // bubbles the revert up
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0);
    }
}
