// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IBankingCalendar} from "../interfaces/IBankingCalendar.sol";
import {IDocumentaryCredit} from "../interfaces/IDocumentaryCredit.sol";
import {IFinancingLedger} from "../interfaces/IFinancingLedger.sol";
import {CreditRules} from "./CreditRules.sol";

/// @title DocumentaryCreditBase
/// @notice Storage, views and the money movements of {DocumentaryCredit}.
/// @dev Every token movement goes through {_pullCover} or {_payOut}, which keep `Ledger.cover` equal to the tokens
/// held for each credit; callers update the ledger before calling them (checks-effects-interactions). With a
/// financing ledger, an open presentation (Presented, Refused or Waived) holds its bill, and its invoice if it has
/// one, claimed there: {_claimFinancing} at presentation, {_clearFinancing} at each of its exits.
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
    /// @notice The document type whose hash a presentation claims in the financing ledger as its invoice.
    bytes32 public constant COMMERCIAL_INVOICE = "COMMERCIAL_INVOICE";

    IBankingCalendar private immutable _CALENDAR;
    IFinancingLedger private immutable _FINANCING_LEDGER;

    uint256 private _creditCount;
    mapping(uint256 creditId => Terms credit) internal _terms;
    mapping(uint256 creditId => Ledger book) internal _ledgers;
    mapping(uint256 creditId => Confirmation covered) internal _confirmations;
    mapping(uint256 creditId => Amendment latest) internal _amendments;
    mapping(uint256 creditId => bytes32 termsHash) internal _amendmentInstructions;
    mapping(uint256 creditId => mapping(uint256 presentationId => Presentation record)) internal _presentations;
    mapping(uint256 creditId => mapping(uint256 presentationId => bytes32 invoiceHash)) private _claimedInvoices;

    /// @notice Credits examined on `calendar_`, claimed in `financingLedger_` if any.
    /// @param calendar_ The banking calendar of the banks.
    /// @param financingLedger_ The financing ledger presentations are claimed in (this contract needs its
    /// FINANCE_ROLE before the first presentation), or zero for none.
    constructor(IBankingCalendar calendar_, IFinancingLedger financingLedger_) {
        if (address(calendar_) == address(0)) revert CreditZeroAddress();
        _CALENDAR = calendar_;
        _FINANCING_LEDGER = financingLedger_;
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
    function amendmentInstruction(uint256 creditId) external view returns (bytes32) {
        return _amendmentInstructions[creditId];
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

    /// @inheritdoc IDocumentaryCredit
    function financingLedger() external view returns (address) {
        return address(_FINANCING_LEDGER);
    }

    /// @inheritdoc IDocumentaryCredit
    function claimedInvoice(uint256 creditId, uint256 presentationId) external view returns (bytes32) {
        return _claimedInvoices[creditId][presentationId];
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
        // `from` is always the credit's applicant, whose allowance to this contract funds the cover: pulled at the
        // issue of the credit it requested and by an increasing amendment it instructed (the callers), and paid to no
        // one but this contract.
        // slither-disable-next-line arbitrary-send-erc20
        currency.safeTransferFrom(from, address(this), amount);
        uint256 received = currency.balanceOf(address(this)) - before;
        if (received != amount) revert CreditCoverShort(amount, received);
    }

    /// @dev Pays `amount` of `token` held here to `to`; the caller already took it off the credit's cover.
    function _payOut(address token, address to, uint256 amount) internal {
        if (amount != 0) IERC20(token).safeTransfer(to, amount);
    }

    /// @dev Whether presentations are claimed in a financing ledger (callers test it first, so that a contract
    /// without a ledger pays almost nothing for the feature).
    function _financed() internal view returns (bool) {
        return address(_FINANCING_LEDGER) != address(0);
    }

    /// @dev Claims bill `billId` of `registry` and the first nonzero commercial invoice among `types`/`hashes` (under
    /// its key scoped by `registry`, `IFinancingLedger.invoiceKey`, so a credit naming a fake registry claims only
    /// that registry's keys; the raw hash is kept for {claimedInvoice}) in the financing ledger for presentation
    /// `presentationId` (callers check {_financed}). The ledger reverts
    /// `LedgerAlreadyFinanced` when another financing holds either, which undoes the presentation. Called after the
    /// presentation is recorded; the invoice is stored before the calls.
    function _claimFinancing(
        uint256 creditId,
        uint256 presentationId,
        address registry,
        uint256 billId,
        bytes32[] memory types,
        bytes32[] memory hashes
    ) internal {
        IFinancingLedger book = _FINANCING_LEDGER;
        bytes32 invoice = bytes32(0);
        uint256 count = types.length;
        for (uint256 i = 0; i < count && invoice == bytes32(0); ++i) {
            if (types[i] == COMMERCIAL_INVOICE) invoice = hashes[i];
        }
        if (invoice != bytes32(0)) _claimedInvoices[creditId][presentationId] = invoice;
        bytes32 ref = _financingId(creditId, presentationId);
        book.claim(IFinancingLedger.ClaimKind.Bill, _ledgerKey(registry, bytes32(billId)), ref);
        if (invoice != bytes32(0)) {
            book.claim(IFinancingLedger.ClaimKind.Invoice, _ledgerKey(registry, invoice), ref);
        }
    }

    /// @dev Clears the claims of presentation `presentationId` (bill `billId` of `registry`) in the financing ledger:
    /// its eBL is leaving this contract. The caller has already moved the presentation to its final state and
    /// checked {_financed}.
    function _clearFinancing(uint256 creditId, uint256 presentationId, address registry, uint256 billId) internal {
        IFinancingLedger book = _FINANCING_LEDGER;
        bytes32 invoice = _claimedInvoices[creditId][presentationId];
        if (invoice != bytes32(0)) delete _claimedInvoices[creditId][presentationId];
        bytes32 ref = _financingId(creditId, presentationId);
        book.clear(IFinancingLedger.ClaimKind.Bill, _ledgerKey(registry, bytes32(billId)), ref);
        if (invoice != bytes32(0)) {
            book.clear(IFinancingLedger.ClaimKind.Invoice, _ledgerKey(registry, invoice), ref);
        }
    }

    /// @dev A ledger key scoped by title registry: `keccak256(abi.encode(registry, value))`, which is
    /// `IFinancingLedger.billKey(registry, uint256(value))` for a bill id and `invoiceKey(registry, value)` for an
    /// invoice hash (the ledger keeps bills and invoices in separate namespaces).
    function _ledgerKey(address registry, bytes32 value) private pure returns (bytes32) {
        return keccak256(abi.encode(registry, value));
    }

    /// @dev A presentation's reference in the financing ledger: `creditId << 32 | presentationId`. Presentation ids
    /// are uint32 and credit ids count requests (one per transaction), far below 2**224: no two collide.
    function _financingId(uint256 creditId, uint256 presentationId) private pure returns (bytes32) {
        return bytes32((creditId << 32) | presentationId);
    }
}
