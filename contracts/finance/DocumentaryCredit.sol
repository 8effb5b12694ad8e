// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IBankingCalendar} from "../interfaces/IBankingCalendar.sol";
import {IDocumentaryCredit} from "../interfaces/IDocumentaryCredit.sol";
import {IFinancingLedger} from "../interfaces/IFinancingLedger.sol";
import {CreditRules} from "./CreditRules.sol";
import {CreditPresentations} from "./CreditPresentations.sol";
import {DocumentaryCreditBase} from "./DocumentaryCreditBase.sol";

/// @title DocumentaryCredit
/// @notice Irrevocable documentary credits under UCP 600, escrowed in ERC-20 tokens, presented with eBLs.
/// @dev Invariants (per token, summed over its credits; tests check them after every step):
///  - conservation: this contract's balance of a token == the sum of `Ledger.cover` of the credits in it, and
///    `cover` == tokens pulled from the applicant - paid to the beneficiary - reimbursed - refunded;
///  - solvency: while a credit is Issued and unexpired, `cover` == maximum(amount, or the pending amendment's if
///    larger) - drawn + owedToConfirmingBank, so every reservation and every reimbursement claim is covered;
///  - nobody is paid twice: a presentation is paid at most once (Presented/Waived -> Honoured is the only paying
///    edge) and a reimbursement claim at most once; `drawn + reserved` never exceeds the maximum of the terms in
///    force when the drawing was presented;
///  - a presented eBL stays locked here until it is paid for (to the issuing or confirming bank) or returned to the
///    beneficiary, and nothing else moves it;
///  - with a financing ledger, an open presentation's bill (and invoice, if presented) is claimed there under the
///    presentation's financing id, exactly until its eBL leaves this contract;
///  - the issuing bank issues an amendment only on the applicant's instruction of exactly its terms, each instruction
///    once (so no allowance the applicant left here is pulled, nor its cover kept longer, without its word); it is
///    bound by the amendment from its issue; the beneficiary by acceptance only; the confirming bank only if it
///    extended its confirmation.
/// Every function that moves tokens or titles is `nonReentrant` and updates state before calling out.
contract DocumentaryCredit is CreditPresentations {
    /// @notice Credits examined on `calendar_`, claimed in `financingLedger_` if any.
    /// @param calendar_ The banking calendar of the banks (examination deadlines).
    /// @param financingLedger_ The financing ledger that presentations claim their bill and invoice in (this
    /// contract needs its FINANCE_ROLE), or zero for none.
    constructor(
        IBankingCalendar calendar_,
        IFinancingLedger financingLedger_
    ) DocumentaryCreditBase(calendar_, financingLedger_) {}

    // ------------------------------------------------------------------------------------------------ applicant

    /// @inheritdoc IDocumentaryCredit
    function request(Terms calldata terms_) external nonReentrant returns (uint256 creditId) {
        if (
            terms_.issuingBank == address(0) ||
            terms_.beneficiary == address(0) ||
            terms_.token == address(0) ||
            terms_.registry == address(0)
        ) revert CreditZeroAddress();
        _checkAmounts(terms_.amount, terms_.expiry, terms_.latestShipment);
        if (terms_.presentationDays > MAX_PRESENTATION_DAYS) {
            revert CreditPresentationPeriodTooLong(terms_.presentationDays, MAX_PRESENTATION_DAYS);
        }
        if (terms_.documentTypes.length > MAX_DOCUMENT_TYPES) {
            revert CreditTooManyDocuments(terms_.documentTypes.length, MAX_DOCUMENT_TYPES);
        }
        _requireCalendar(terms_.issuingBank);
        if (terms_.nominatedBank != address(0)) _requireCalendar(terms_.nominatedBank);

        creditId = _nextCreditId();
        Terms storage t = _terms[creditId];
        t.issuingBank = terms_.issuingBank;
        t.beneficiary = terms_.beneficiary;
        t.token = terms_.token;
        t.registry = terms_.registry;
        t.advisingBank = terms_.advisingBank;
        t.nominatedBank = terms_.nominatedBank;
        t.confirmingBank = terms_.confirmingBank;
        t.amount = terms_.amount;
        t.tolerance = terms_.tolerance;
        t.expiry = terms_.expiry;
        t.latestShipment = terms_.latestShipment;
        t.presentationDays = terms_.presentationDays == 0 ? DEFAULT_PRESENTATION_DAYS : terms_.presentationDays;
        t.partialDrawings = terms_.partialDrawings;
        t.documentTypes = terms_.documentTypes;
        Ledger storage book = _ledgers[creditId];
        book.applicant = msg.sender;
        book.status = CreditStatus.Requested;
        emit CreditRequested(
            creditId,
            msg.sender,
            terms_.issuingBank,
            terms_.beneficiary,
            terms_.token,
            terms_.amount
        );
    }

    /// @inheritdoc IDocumentaryCredit
    function cancelRequest(uint256 creditId) external nonReentrant {
        Ledger storage book = _requestedLedger(creditId);
        if (msg.sender != book.applicant && msg.sender != _terms[creditId].issuingBank) {
            revert CreditNotApplicant(creditId, msg.sender);
        }
        book.status = CreditStatus.Cancelled;
        emit CreditRequestCancelled(creditId, msg.sender);
    }

    /// @inheritdoc IDocumentaryCredit
    function instructAmendment(
        uint256 creditId,
        uint256 amount,
        uint64 expiry,
        uint64 latestShipment
    ) external nonReentrant {
        Ledger storage book = _issuedLedger(creditId);
        if (msg.sender != book.applicant) revert CreditNotApplicant(creditId, msg.sender);
        Terms storage t = _terms[creditId];
        // Expiries are dates: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > t.expiry) revert CreditExpired(creditId, t.expiry);
        _checkAmendment(creditId, t, amount, expiry, latestShipment);
        _amendmentInstructions[creditId] = _amendmentHash(amount, expiry, latestShipment);
        emit CreditAmendmentInstructed(creditId, msg.sender, amount, expiry, latestShipment);
    }

    /// @inheritdoc IDocumentaryCredit
    function withdrawAmendmentInstruction(uint256 creditId) external nonReentrant {
        if (msg.sender != _ledgers[creditId].applicant) revert CreditNotApplicant(creditId, msg.sender);
        if (_amendmentInstructions[creditId] == bytes32(0)) revert CreditAmendmentNotInstructed(creditId);
        delete _amendmentInstructions[creditId];
        emit CreditAmendmentInstructionWithdrawn(creditId);
    }

    // --------------------------------------------------------------------------------------------- issuing bank

    /// @inheritdoc IDocumentaryCredit
    function issue(uint256 creditId) external nonReentrant {
        _issue(creditId);
    }

    /// @inheritdoc IDocumentaryCredit
    function issueWithPermit(
        uint256 creditId,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant {
        Terms storage t = _terms[creditId];
        address applicant = _ledgers[creditId].applicant;
        uint256 cover = CreditRules.maximum(t.amount, t.tolerance);
        // Only when the allowance is short: a permit that was front-run (and so already set the allowance) or that
        // is not needed is skipped instead of failing the issue.
        if (IERC20(t.token).allowance(applicant, address(this)) < cover) {
            // The credit's own token, called before any state change; every state-changing function is nonReentrant,
            // so a reentering token could only read views, and nothing is half-written yet.
            // slither-disable-next-line reentrancy-no-eth
            IERC20Permit(t.token).permit(applicant, address(this), cover, deadline, v, r, s);
        }
        _issue(creditId);
    }

    /// @inheritdoc IDocumentaryCredit
    function amend(uint256 creditId, uint256 amount, uint64 expiry, uint64 latestShipment) external nonReentrant {
        Ledger storage book = _issuedLedger(creditId);
        Terms storage t = _terms[creditId];
        if (msg.sender != t.issuingBank) revert CreditNotIssuingBank(creditId, msg.sender);
        // Expiries are dates: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > t.expiry) revert CreditExpired(creditId, t.expiry);
        Amendment storage a = _amendments[creditId];
        if (a.status == AmendmentStatus.Pending) revert CreditAmendmentPending(creditId, a.number);
        _checkAmendment(creditId, t, amount, expiry, latestShipment);
        uint256 oldMaximum = CreditRules.maximum(t.amount, t.tolerance);
        uint256 newMaximum = CreditRules.maximum(amount, t.tolerance);
        uint256 committed = book.drawn + book.reserved;
        if (newMaximum < committed) revert CreditAmendmentBelowDrawn(creditId, newMaximum, committed);
        // The applicant's word last, so that terms that are wrong anyway revert with their own error.
        if (_amendmentInstructions[creditId] != _amendmentHash(amount, expiry, latestShipment)) {
            revert CreditAmendmentNotInstructed(creditId);
        }
        uint256 extra = _headroom(newMaximum, oldMaximum);
        uint32 number = a.number + 1;
        delete _amendmentInstructions[creditId];
        _amendments[creditId] = Amendment({
            status: AmendmentStatus.Pending,
            confirmation: ConfirmationChoice.Undecided,
            number: number,
            expiry: expiry,
            latestShipment: latestShipment,
            amount: amount
        });
        book.cover += extra;
        emit CreditAmendmentProposed(creditId, number, amount, expiry, latestShipment, extra);
        if (extra != 0) _pullCover(t.token, book.applicant, extra);
    }

    // -------------------------------------------------------------------------------- advising and confirming

    /// @inheritdoc IDocumentaryCredit
    function advise(uint256 creditId) external nonReentrant {
        Ledger storage book = _issuedLedger(creditId);
        address advisingBank = _terms[creditId].advisingBank;
        if (advisingBank == address(0) || msg.sender != advisingBank) {
            revert CreditNotAdvisingBank(creditId, msg.sender);
        }
        if (book.advised) revert CreditAlreadyAdvised(creditId);
        book.advised = true;
        emit CreditAdvised(creditId, msg.sender);
    }

    /// @inheritdoc IDocumentaryCredit
    function confirm(uint256 creditId) external nonReentrant {
        Ledger storage book = _issuedLedger(creditId);
        Terms storage t = _terms[creditId];
        if (t.confirmingBank == address(0)) revert CreditConfirmationNotRequested(creditId);
        if (msg.sender != t.confirmingBank) revert CreditNotConfirmingBank(creditId, msg.sender);
        if (book.confirmed) revert CreditAlreadyConfirmed(creditId);
        // Expiries are dates: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > t.expiry) revert CreditExpired(creditId, t.expiry);
        _requireCalendar(msg.sender);
        book.confirmed = true;
        _confirmations[creditId] = Confirmation(t.amount, t.expiry, t.latestShipment);
        emit CreditConfirmed(creditId, msg.sender);
    }

    /// @inheritdoc IDocumentaryCredit
    function confirmAmendment(uint256 creditId) external nonReentrant {
        _decideAmendment(creditId, ConfirmationChoice.Extended);
    }

    /// @inheritdoc IDocumentaryCredit
    function declineAmendment(uint256 creditId) external nonReentrant {
        _decideAmendment(creditId, ConfirmationChoice.Declined);
    }

    // ------------------------------------------------------------------------------------------- beneficiary

    /// @inheritdoc IDocumentaryCredit
    function acceptAmendment(uint256 creditId) external nonReentrant {
        (Ledger storage book, Terms storage t, Amendment storage a) = _beneficiarysAmendment(creditId);
        // Expiries are dates: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > a.expiry) revert CreditExpired(creditId, a.expiry);
        uint256 oldMaximum = CreditRules.maximum(t.amount, t.tolerance);
        uint256 newMaximum = CreditRules.maximum(a.amount, t.tolerance);
        uint256 committed = book.drawn + book.reserved;
        if (newMaximum < committed) revert CreditAmendmentBelowDrawn(creditId, newMaximum, committed);
        uint256 refund = _headroom(oldMaximum, newMaximum);
        a.status = AmendmentStatus.Accepted;
        t.amount = a.amount;
        t.expiry = a.expiry;
        t.latestShipment = a.latestShipment;
        if (book.confirmed && a.confirmation == ConfirmationChoice.Extended) {
            _confirmations[creditId] = Confirmation(a.amount, a.expiry, a.latestShipment);
        }
        book.cover -= refund;
        book.refunded += refund;
        emit CreditAmendmentAccepted(creditId, a.number, refund);
        _payOut(t.token, book.applicant, refund);
    }

    /// @inheritdoc IDocumentaryCredit
    function rejectAmendment(uint256 creditId) external nonReentrant {
        (Ledger storage book, Terms storage t, Amendment storage a) = _beneficiarysAmendment(creditId);
        uint256 refund = _headroom(
            CreditRules.maximum(a.amount, t.tolerance),
            CreditRules.maximum(t.amount, t.tolerance)
        );
        a.status = AmendmentStatus.Rejected;
        book.cover -= refund;
        book.refunded += refund;
        emit CreditAmendmentRejected(creditId, a.number, refund);
        _payOut(t.token, book.applicant, refund);
    }

    // ------------------------------------------------------------------------------------------------- anyone

    /// @inheritdoc IDocumentaryCredit
    function closeExpired(uint256 creditId) external nonReentrant {
        Ledger storage book = _ledgers[creditId];
        if (book.status != CreditStatus.Issued && book.status != CreditStatus.Expired) {
            revert CreditNotIssued(creditId, book.status);
        }
        Terms storage t = _terms[creditId];
        Amendment storage a = _amendments[creditId];
        bool pending = a.status == AmendmentStatus.Pending;
        uint64 end = pending && a.expiry > t.expiry ? a.expiry : t.expiry;
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // The end of a credit is a date: closing a few seconds early or late changes nothing material.
        // slither-disable-next-line timestamp
        if (block.timestamp <= end) revert CreditNotExpired(creditId, end); // solhint-disable-line gas-strict-inequalities
        uint256 refund = book.cover - book.reserved - book.owedToConfirmingBank;
        if (refund == 0) revert CreditNothingToRefund(creditId);
        book.status = CreditStatus.Expired;
        if (pending) {
            a.status = AmendmentStatus.Lapsed;
            emit CreditAmendmentLapsed(creditId, a.number);
        }
        book.cover -= refund;
        book.refunded += refund;
        emit CreditCoverRefunded(creditId, book.applicant, refund);
        _payOut(t.token, book.applicant, refund);
    }

    // -------------------------------------------------------------------------------------------------- private

    function _issue(uint256 creditId) private {
        Ledger storage book = _requestedLedger(creditId);
        Terms storage t = _terms[creditId];
        if (msg.sender != t.issuingBank) revert CreditNotIssuingBank(creditId, msg.sender);
        // Expiries are dates: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > t.expiry) revert CreditExpired(creditId, t.expiry);
        uint256 cover = CreditRules.maximum(t.amount, t.tolerance);
        book.status = CreditStatus.Issued;
        book.cover = cover;
        emit CreditIssued(creditId, msg.sender, cover);
        _pullCover(t.token, book.applicant, cover);
    }

    function _decideAmendment(uint256 creditId, ConfirmationChoice choice) private {
        (Ledger storage book, Terms storage t, Amendment storage a) = _pendingAmendment(creditId);
        if (msg.sender != t.confirmingBank) revert CreditNotConfirmingBank(creditId, msg.sender);
        if (!book.confirmed) revert CreditNotConfirmed(creditId);
        if (a.confirmation != ConfirmationChoice.Undecided) {
            revert CreditAmendmentAlreadyDecided(creditId, a.number, a.confirmation);
        }
        a.confirmation = choice;
        emit CreditAmendmentConfirmationDecided(creditId, a.number, choice == ConfirmationChoice.Extended);
    }

    /// @dev The issued credit, its terms and its pending amendment.
    function _pendingAmendment(
        uint256 creditId
    ) private view returns (Ledger storage book, Terms storage t, Amendment storage a) {
        book = _issuedLedger(creditId);
        t = _terms[creditId];
        a = _amendments[creditId];
        if (a.status != AmendmentStatus.Pending) revert CreditNoAmendmentPending(creditId);
    }

    /// @dev The beneficiary's pending amendment of `creditId`.
    function _beneficiarysAmendment(
        uint256 creditId
    ) private view returns (Ledger storage book, Terms storage t, Amendment storage a) {
        (book, t, a) = _pendingAmendment(creditId);
        if (msg.sender != t.beneficiary) revert CreditNotBeneficiary(creditId, msg.sender);
    }

    function _requestedLedger(uint256 creditId) private view returns (Ledger storage book) {
        book = _ledgers[creditId];
        if (book.status != CreditStatus.Requested) revert CreditNotRequested(creditId, book.status);
    }

    /// @dev Reverts unless `amount`, `expiry` and `latestShipment` are valid terms that change those of `t`.
    function _checkAmendment(
        uint256 creditId,
        Terms storage t,
        uint256 amount,
        uint64 expiry,
        uint64 latestShipment
    ) private view {
        _checkAmounts(amount, expiry, latestShipment);
        if (amount == t.amount && expiry == t.expiry && latestShipment == t.latestShipment) {
            revert CreditAmendmentUnchanged(creditId);
        }
    }

    /// @dev What an amendment instruction stores (never zero): the hash of the terms as they are to stand.
    function _amendmentHash(uint256 amount, uint64 expiry, uint64 latestShipment) private pure returns (bytes32) {
        return keccak256(abi.encode(amount, expiry, latestShipment));
    }

    function _checkAmounts(uint256 amount, uint64 expiry, uint64 latestShipment) private view {
        if (amount == 0 || amount > MAX_AMOUNT) revert CreditInvalidAmount(amount);
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // Only rejects expiries already past; a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (expiry <= block.timestamp) revert CreditExpiryInPast(expiry, block.timestamp); // solhint-disable-line gas-strict-inequalities
        if (latestShipment > expiry) revert CreditShipmentAfterExpiry(latestShipment, expiry);
    }
}
