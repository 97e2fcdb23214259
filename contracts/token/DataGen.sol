// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/**
 * @title DataGen (DG)
 * @notice The BEP-20 token of the Datagen network: a fixed supply of 30,000,000 DG, minted once
 * to the treasury at deployment. Holders may burn their own tokens and approve by EIP-2612 permit.
 *
 * Invariant: `totalSupply() + burned == TOTAL_SUPPLY` where `burned` is everything destroyed
 * through {burn}/{burnFrom}; no code path mints after the constructor.
 *
 * The owner exists only for the BEP-20 `getOwner()` shape (explorers and bridges read it); it has
 * no power over balances or supply: this contract has no owner-only function besides the
 * two-step ownership transfer itself.
 */
contract DataGen is ERC20, ERC20Burnable, ERC20Permit, Ownable2Step {
    /// @notice The fixed supply, 30,000,000 DG with 18 decimals, minted once at deployment.
    uint256 public constant TOTAL_SUPPLY = 30_000_000 ether;

    /**
     * @param treasury receives the whole supply (reverts with `ERC20InvalidReceiver` if zero).
     * @param initialOwner the BEP-20 owner reported by {getOwner} (reverts with `OwnableInvalidOwner` if zero).
     */
    constructor(
        address treasury,
        address initialOwner
    ) ERC20("DataGen", "DG") ERC20Permit("DataGen") Ownable(initialOwner) {
        _mint(treasury, TOTAL_SUPPLY);
    }

    /// @notice BEP-20: the token owner. It has no power over balances or supply.
    /// @return the current owner.
    function getOwner() external view returns (address) {
        return owner();
    }
}
