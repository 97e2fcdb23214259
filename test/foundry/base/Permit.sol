// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title PermitDigest
/// @notice The EIP-2612 digest a holder signs to let `spender` move `value` of `token` until
/// `deadline`, at the holder's current nonce: what the handlers sign with `vm.sign`.
library PermitDigest {
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    /// @notice The digest of a permit of `owner` for (spender, value, current nonce, deadline).
    /// @param token the EIP-2612 token.
    /// @param owner the holder who signs.
    /// @param spender the account allowed to spend.
    /// @param value the allowance.
    /// @param deadline the permit's deadline (unix seconds).
    /// @return the EIP-712 digest to sign.
    function hash(
        IERC20Permit token,
        address owner,
        address spender,
        uint256 value,
        uint256 deadline
    ) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, owner, spender, value, token.nonces(owner), deadline)
        );
        return keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
    }
}
