// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title IDepositToken
/// @notice A bank's tokenized deposit in one currency: an ERC-20 with EIP-2612 permit whose supply only the issuing
/// bank changes. One token per bank and currency; one token unit is one minor unit of the currency (cents for HKD).
interface IDepositToken is IERC20Metadata, IERC20Permit {
    // ------------------------------------------------------------------------------------------------- events

    // Events index the ids and parties clients filter by; amounts, dates, numbers and flags stay in the data
    // (indexing them would only cost gas and hide their values from the log data).
    // solhint-disable gas-indexed-events
    /// @notice The bank credited `amount` to `to` (a deposit).
    event DepositMinted(address indexed to, uint256 amount);
    /// @notice The bank debited `amount` from `from` (a withdrawal or redemption).
    event DepositBurned(address indexed from, uint256 amount);
    // solhint-enable gas-indexed-events

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice `code` is not an ISO 4217 alphabetic code (three letters A-Z).
    error DepositInvalidCurrency(bytes3 code);
    /// @notice The issuing bank is the zero address.
    error DepositZeroBank();
    /// @notice `decimals_` exceeds the supported maximum `max`.
    error DepositInvalidDecimals(uint8 decimals_, uint8 max);
    /// @notice The issuing bank cannot renounce: a deposit token always has an issuer.
    error DepositRenounceDisabled();

    // ------------------------------------------------------------------------------------------------- bank

    /// @notice Credits `amount` new tokens to `to` (the bank's owner only).
    function mint(address to, uint256 amount) external;

    /// @notice Destroys `amount` of the bank's own tokens (the bank's owner only).
    function burn(uint256 amount) external;

    /// @notice Destroys `amount` of `account`'s tokens within the allowance `account` gave the bank (the bank's
    /// owner only): a withdrawal the customer authorised.
    function burnFrom(address account, uint256 amount) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice The ISO 4217 alphabetic code of the currency, e.g. "HKD".
    function currency() external view returns (bytes3);

    /// @notice The issuing bank (the owner), which alone mints and burns.
    function bank() external view returns (address);
}
