// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Makes Hardhat compile OpenZeppelin's audited TimelockController, unchanged, so that the mainnet
// Ignition module (deploy/modules/Mainnet.ts) can deploy it by name (`TimelockController`) and
// BscScan verification finds its build info. Nothing here is deployed by itself.
// solhint-disable-next-line no-unused-import
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
