// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IDepositToken} from "../interfaces/IDepositToken.sol";

/// @title DepositToken
/// @notice A bank's tokenized deposit: ERC-20 + EIP-2612 permit, one contract per bank and currency.
/// @dev Invariants:
///  - only the bank (the owner) changes the supply: `totalSupply` moves only in {mint}, {burn} and {burnFrom};
///  - the bank never destroys tokens it does not hold unless their holder allowed it ({burnFrom} spends allowance),
///    so tokens held in escrow contracts are safe from the issuer;
///  - the bank changes hands in two steps (OZ Ownable2Step) and cannot be renounced.
contract DepositToken is ERC20Permit, Ownable2Step, IDepositToken {
    /// @notice The largest supported number of decimals.
    uint8 public constant MAX_DECIMALS = 18;

    bytes3 private immutable _CURRENCY;
    uint8 private immutable _DECIMALS;

    /// @notice A deposit token of `bank_` in `currency_`.
    /// @param name_ ERC-20 name (also the EIP-712 domain name of permits), e.g. "Harbour Bank HKD Deposit".
    /// @param symbol_ ERC-20 symbol, e.g. "hbHKD".
    /// @param currency_ ISO 4217 alphabetic code, e.g. "HKD".
    /// @param decimals_ Minor units of the currency (2 for HKD and CNH).
    /// @param bank_ The issuing bank: the owner, which alone mints and burns.
    constructor(
        string memory name_,
        string memory symbol_,
        bytes3 currency_,
        uint8 decimals_,
        address bank_
    ) ERC20(name_, symbol_) ERC20Permit(name_) Ownable(_nonZero(bank_)) {
        if (!_isIsoCode(currency_)) revert DepositInvalidCurrency(currency_);
        if (decimals_ > MAX_DECIMALS) revert DepositInvalidDecimals(decimals_, MAX_DECIMALS);
        _CURRENCY = currency_;
        _DECIMALS = decimals_;
    }

    // ---------------------------------------------------------------------------------------------------- bank

    /// @inheritdoc IDepositToken
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
        emit DepositMinted(to, amount);
    }

    /// @inheritdoc IDepositToken
    function burn(uint256 amount) external onlyOwner {
        _burn(msg.sender, amount);
        emit DepositBurned(msg.sender, amount);
    }

    /// @inheritdoc IDepositToken
    function burnFrom(address account, uint256 amount) external onlyOwner {
        _spendAllowance(account, msg.sender, amount);
        _burn(account, amount);
        emit DepositBurned(account, amount);
    }

    /// @notice Disabled: a deposit token always has an issuing bank.
    function renounceOwnership() public view override onlyOwner {
        revert DepositRenounceDisabled();
    }

    // --------------------------------------------------------------------------------------------------- views

    /// @inheritdoc IDepositToken
    function currency() external view returns (bytes3) {
        return _CURRENCY;
    }

    /// @inheritdoc IDepositToken
    function bank() external view returns (address) {
        return owner();
    }

    /// @notice Minor units of the currency.
    function decimals() public view override(ERC20, IERC20Metadata) returns (uint8) {
        return _DECIMALS;
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner_) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner_);
    }

    // ------------------------------------------------------------------------------------------------- private

    function _nonZero(address bank_) private pure returns (address) {
        if (bank_ == address(0)) revert DepositZeroBank();
        return bank_;
    }

    function _isIsoCode(bytes3 code) private pure returns (bool) {
        for (uint256 i = 0; i < 3; ++i) {
            bytes1 letter = code[i];
            if (letter < "A" || letter > "Z") return false;
        }
        return true;
    }
}
