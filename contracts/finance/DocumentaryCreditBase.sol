// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IBankingCalendar} from "../interfaces/IBankingCalendar.sol";
import {IDocumentaryCredit} from "../interfaces/IDocumentaryCredit.sol";
import {CreditRules} from "./CreditRules.sol";

/// @title DocumentaryCreditBase
/// @notice Storage, views and the money movements of {DocumentaryCredit}.
/// @dev Every token movement goes through {_pullCover} or {_payOut}, which keep `Ledger.cover` equal to the tokens
/// held for each credit; callers update the ledger before calling them (checks-effects-interactions).
abstract contract DocumentaryCreditBase is IDocumentaryCredit, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Presentation period when a request gives none: 21 days after shipment (UCP 600 art. 14c).
    uint16 public constant DEFAULT_PRESENTATION_DAYS = 21;
    /// @notice The longest presentation period a credit may set.
    uint16 public constant MAX_PRESENTATION_DAYS = 365;
    /// @notice Banking days the examining bank has after the day of presentation (UCP 600 art. 14b).
    uint256 public constant EXAMINATION_BANKING_DAYS = 5;
    /// @notice The most document types a credit requires besides the eBL.
    uint256 public constant MAX_DOCUMENT_TYPES = 16;
    /// @notice The most documents one presentation lists.
    uint256 public constant MAX_PRESENTED_DOCUMENTS = 32;
    /// @notice The largest credit amount (keeps every sum of amounts far from overflow).
    uint256 public constant MAX_AMOUNT = 2 ** 128;

    IBankingCalendar private immutable _CALENDAR;

    uint256 private _creditCount;
    mapping(uint256 creditId => Terms credit) internal _terms;
    mapping(uint256 creditId => Ledger book) internal _ledgers;
    mapping(uint256 creditId => Confirmation covered) internal _confirmations;
    mapping(uint256 creditId => Amendment latest) internal _amendments;
    mapping(uint256 creditId => mapping(uint256 presentationId => Presentation record)) internal _presentations;

    constructor(IBankingCalendar calendar_) {
        if (address(calendar_) == address(0)) revert CreditZeroAddress();
        _CALENDAR = calendar_;
    }

    // ---------------------------------------------------------------------------------------------------- views

    /// @inheritdoc IDocumentaryCredit
    function terms(uint256 creditId) external view returns (Terms memory) {
        return _terms[creditId];
    }

    /// @inheritdoc IDocumentaryCredit
    function ledger(uint256 creditId) external view returns (Ledger memory) {
        return _ledgers[creditId];
    }

    /// @inheritdoc IDocumentaryCredit
    function confirmation(uint256 creditId) external view returns (Confirmation memory) {
        return _confirmations[creditId];
    }

    /// @inheritdoc IDocumentaryCredit
    function amendment(uint256 creditId) external view returns (Amendment memory) {
        return _amendments[creditId];
    }

    /// @inheritdoc IDocumentaryCredit
    function presentation(uint256 creditId, uint256 presentationId) external view returns (Presentation memory) {
        return _presentations[creditId][presentationId];
    }

    /// @inheritdoc IDocumentaryCredit
    function available(uint256 creditId) external view returns (uint256) {
        Terms storage t = _terms[creditId];
        Ledger storage book = _ledgers[creditId];
        return _headroom(CreditRules.maximum(t.amount, t.tolerance), book.drawn + book.reserved);
    }

    /// @inheritdoc IDocumentaryCredit
    function creditCount() external view returns (uint256) {
        return _creditCount;
    }

    /// @inheritdoc IDocumentaryCredit
    function calendar() external view returns (address) {
        return address(_CALENDAR);
    }

    // ------------------------------------------------------------------------------------------------ internal

    /// @dev The next credit id.
    function _nextCreditId() internal returns (uint256 creditId) {
        creditId = ++_creditCount;
    }

    function _calendar() internal view returns (IBankingCalendar) {
        return _CALENDAR;
    }

    /// @dev Reverts unless `bank` registered a banking calendar.
    function _requireCalendar(address bank) internal view {
        if (!_CALENDAR.isRegistered(bank)) revert CreditBankWithoutCalendar(bank);
    }

    /// @dev The ledger of `creditId`, which must be Issued.
    function _issuedLedger(uint256 creditId) internal view returns (Ledger storage book) {
        book = _ledgers[creditId];
        if (book.status != CreditStatus.Issued) revert CreditNotIssued(creditId, book.status);
    }

    /// @dev Presentation `presentationId` of `creditId`, which must exist.
    function _presentationOf(
        uint256 creditId,
        uint256 presentationId
    ) internal view returns (Presentation storage p) {
        p = _presentations[creditId][presentationId];
        if (p.state == PresentationState.None) revert CreditPresentationNotFound(creditId, presentationId);
    }

    /// @dev `maximum - committed`, or zero when nothing is left.
    function _headroom(uint256 maximum, uint256 committed) internal pure returns (uint256) {
        return maximum > committed ? maximum - committed : 0;
    }

    /// @dev Pulls exactly `amount` of `token` from `from`; the caller already added it to the credit's cover.
    function _pullCover(address token, address from, uint256 amount) internal {
        IERC20 currency = IERC20(token);
        uint256 before = currency.balanceOf(address(this));
        currency.safeTransferFrom(from, address(this), amount);
        uint256 received = currency.balanceOf(address(this)) - before;
        if (received != amount) revert CreditCoverShort(amount, received);
    }

    /// @dev Pays `amount` of `token` held here to `to`; the caller already took it off the credit's cover.
    function _payOut(address token, address to, uint256 amount) internal {
        if (amount != 0) IERC20(token).safeTransfer(to, amount);
    }
}
        // `from` is always the credit's applicant, whose allowance to this contract is its instruction to fund the
        // cover: pulled at issue and by an increasing amendment (the callers), and paid to no one but this contract.
        // slither-disable-next-line arbitrary-send-erc20
