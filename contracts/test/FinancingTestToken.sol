// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FinancingTestToken
/// @notice Test-only ERC-20 that anyone can mint: the currency of the financing tests. Never deployed by the toolkit.
contract FinancingTestToken is ERC20 {
    constructor() ERC20("Financing Test Token", "FTT") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
