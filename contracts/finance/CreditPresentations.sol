// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ITitleLocker} from "../interfaces/ITitleLocker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {IShipmentDates} from "../interfaces/IShipmentDates.sol";
import {IDocumentaryCredit} from "../interfaces/IDocumentaryCredit.sol";
import {CreditRules} from "./CreditRules.sol";
import {DocumentaryCreditBase} from "./DocumentaryCreditBase.sol";

/// @title CreditPresentations
/// @notice Presentation and examination of documents under a credit (UCP 600 art. 14, 15, 16).
/// @dev The eBL stays locked in favour of this contract from presentation until it is paid for (then it goes to the
/// issuing or the confirming bank, unlocked) or returned (released to the beneficiary): a locked bill never moves
/// except by these two exits, and each presentation takes exactly one of them once. With a financing ledger the
/// presentation claims its bill and invoice there in the same transaction, and each exit clears them.
abstract contract CreditPresentations is DocumentaryCreditBase {
    using SafeERC20 for IERC20;

    /// @notice The longest examination period, from the presentation's block time, whatever the examining bank's
    /// calendar says: the deadline is the end of its fifth banking day (UCP 600 art. 14b) or this, whichever comes
    /// first. The examiner writes its own calendar, so without a bound it could close every day (its presentations
    /// would revert, the credit expire unused) or push the deadline months out (the eBL locked, no precluded
    /// claim). 21 days: five banking days across the longest real closures, with weekends, take up to 17 days
    /// (Japan's 10-day Golden Week 2019: presented Friday 26 April, deadline Monday 13 May; Bangladesh's 10-day
    /// Eid al-Adha 2025: 15 days; China's Spring Festival without its weekend working days: 14), and 21 leaves
    /// room for an ad hoc closure (typhoon signal No. 8) on top.
    uint256 public constant MAX_EXAMINATION_PERIOD = 21 days;

    /// @dev What the registry passes through `encumber`: the credit, the drawing and the documents.
    struct PresentationData {
        uint256 creditId;
        uint256 amount;
        bytes32[] documentTypes;
        bytes32[] documentHashes;
    }

    // ------------------------------------------------------------------------------------------- presentation

    /// @inheritdoc ITitleLocker
    /// @dev The presentation: `data` is `abi.encode(creditId, amount, documentTypes, documentHashes)`. Every check
    /// of UCP 600 art. 14 that the chain can make reverts with its own error, which undoes the lock; so does the
    /// financing ledger's `LedgerAlreadyFinanced` when another financing holds the bill or the invoice.
    function onTitleEncumbered(
        address operator,
        uint256 id,
        bytes calldata data
    ) external nonReentrant returns (bytes4) {
        // Every field of `d` is assigned by the abi.decode right below.
        // slither-disable-next-line uninitialized-local
        PresentationData memory d;
        (d.creditId, d.amount, d.documentTypes, d.documentHashes) = abi.decode(
            data,
            (uint256, uint256, bytes32[], bytes32[])
        );
        Ledger storage book = _issuedLedger(d.creditId);
        Terms storage t = _terms[d.creditId];
        if (msg.sender != t.registry) revert CreditWrongRegistry(d.creditId, msg.sender);
        if (operator != t.beneficiary) revert CreditNotBeneficiary(d.creditId, operator);
        if (t.advisingBank != address(0) && !book.advised) revert CreditNotAdvised(d.creditId);
        // A credit's expiry is a date: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > t.expiry) revert CreditExpired(d.creditId, t.expiry);
        uint64 onBoard = _checkBill(d.creditId, t, id);
        if (d.documentTypes.length > MAX_PRESENTED_DOCUMENTS) {
            revert CreditTooManyDocuments(d.documentTypes.length, MAX_PRESENTED_DOCUMENTS);
        }
        CreditRules.checkDocuments(d.creditId, t.documentTypes, d.documentTypes, d.documentHashes);
        _checkDrawing(d.creditId, t, book, d.amount);
        uint256 presentationId = _record(d, book, id, _examinerFor(d.creditId, t, book, d.amount, onBoard));
        if (_financed()) {
            _claimFinancing(d.creditId, presentationId, t.registry, id, d.documentTypes, d.documentHashes);
        }
        return ITitleLocker.onTitleEncumbered.selector;
    }

    // ------------------------------------------------------------------------------------------- examination

    /// @inheritdoc IDocumentaryCredit
    function honour(uint256 creditId, uint256 presentationId) external nonReentrant {
        Terms storage t = _terms[creditId];
        Ledger storage book = _ledgers[creditId];
        Presentation storage p = _presentationOf(creditId, presentationId);
        if (p.state == PresentationState.Presented) {
            if (msg.sender != p.examiner) revert CreditNotExaminingBank(creditId, presentationId, msg.sender);
            // Examination deadlines are banking days away: a few seconds of timestamp leeway do not matter.
            // slither-disable-next-line timestamp
            if (block.timestamp > p.examinationDeadline) {
                revert CreditExaminationClosed(creditId, presentationId, p.examinationDeadline);
            }
        } else if (p.state == PresentationState.Waived) {
            if (msg.sender != p.examiner && msg.sender != t.issuingBank) {
                revert CreditNotExaminingBank(creditId, presentationId, msg.sender);
            }
        } else {
            revert CreditPresentationNotPending(creditId, presentationId, p.state);
        }
        bool byConfirmingBank = book.confirmed && msg.sender == t.confirmingBank;
        uint256 amount = p.amount;
        address titleTo = byConfirmingBank ? msg.sender : t.issuingBank;
        p.state = PresentationState.Honoured;
        book.reserved -= amount;
        book.drawn += amount;
        if (byConfirmingBank) {
            p.reimbursementDue = true;
            book.owedToConfirmingBank += amount;
        } else {
            book.cover -= amount;
        }
        emit CreditHonoured(creditId, presentationId, msg.sender, amount, titleTo);
        if (_financed()) _clearFinancing(creditId, presentationId, t.registry, p.billId);
        ITitleRegistry(t.registry).transferEncumbered(p.billId, titleTo, titleTo, false, "");
        if (byConfirmingBank) {
            IERC20(t.token).safeTransferFrom(msg.sender, t.beneficiary, amount);
        } else {
            _payOut(t.token, t.beneficiary, amount);
        }
    }

    /// @inheritdoc IDocumentaryCredit
    function refuse(
        uint256 creditId,
        uint256 presentationId,
        uint16[] calldata discrepancies,
        Disposal disposal
    ) external nonReentrant {
        Presentation storage p = _presentationOf(creditId, presentationId);
        if (p.refused) revert CreditNoticeAlreadyGiven(creditId, presentationId);
        if (p.state != PresentationState.Presented) {
            revert CreditPresentationNotPending(creditId, presentationId, p.state);
        }
        if (msg.sender != p.examiner) revert CreditNotExaminingBank(creditId, presentationId, msg.sender);
        // Examination deadlines are banking days away: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > p.examinationDeadline) {
            revert CreditExaminationClosed(creditId, presentationId, p.examinationDeadline);
        }
        if (discrepancies.length == 0) revert CreditNoDiscrepancies(creditId, presentationId);
        p.refused = true;
        p.state = PresentationState.Refused;
        emit CreditRefused(creditId, presentationId, msg.sender, discrepancies, disposal);
        if (disposal == Disposal.Return) _return(creditId, presentationId, p);
    }

    /// @inheritdoc IDocumentaryCredit
    function waive(uint256 creditId, uint256 presentationId) external nonReentrant {
        Presentation storage p = _presentationOf(creditId, presentationId);
        address applicant = _ledgers[creditId].applicant;
        if (msg.sender != applicant) revert CreditNotApplicant(creditId, msg.sender);
        if (p.state != PresentationState.Refused) {
            revert CreditNotHeldPendingWaiver(creditId, presentationId, p.state);
        }
        p.state = PresentationState.Waived;
        emit CreditDiscrepanciesWaived(creditId, presentationId, applicant);
    }

    /// @inheritdoc IDocumentaryCredit
    function returnDocuments(uint256 creditId, uint256 presentationId) external nonReentrant {
        Presentation storage p = _presentationOf(creditId, presentationId);
        if (p.state != PresentationState.Refused && p.state != PresentationState.Waived) {
            revert CreditNotHeldPendingWaiver(creditId, presentationId, p.state);
        }
        if (msg.sender != _terms[creditId].beneficiary && msg.sender != p.examiner) {
            revert CreditNotBeneficiary(creditId, msg.sender);
        }
        _return(creditId, presentationId, p);
    }

    /// @inheritdoc IDocumentaryCredit
    function claimPrecluded(uint256 creditId, uint256 presentationId) external nonReentrant {
        Terms storage t = _terms[creditId];
        Ledger storage book = _ledgers[creditId];
        Presentation storage p = _presentationOf(creditId, presentationId);
        if (msg.sender != t.beneficiary) revert CreditNotBeneficiary(creditId, msg.sender);
        if (p.state != PresentationState.Presented) {
            revert CreditPresentationNotPending(creditId, presentationId, p.state);
        }
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // Examination deadlines are banking days away: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp <= p.examinationDeadline) { // solhint-disable-line gas-strict-inequalities
            revert CreditExaminationNotOver(creditId, presentationId, p.examinationDeadline);
        }
        uint256 amount = p.amount;
        p.state = PresentationState.Honoured;
        p.precluded = true;
        book.reserved -= amount;
        book.drawn += amount;
        book.cover -= amount;
        emit CreditPrecludedClaimPaid(creditId, presentationId, amount);
        if (_financed()) _clearFinancing(creditId, presentationId, t.registry, p.billId);
        ITitleRegistry(t.registry).transferEncumbered(p.billId, t.issuingBank, t.issuingBank, false, "");
        _payOut(t.token, t.beneficiary, amount);
    }

    /// @inheritdoc IDocumentaryCredit
    function reimburse(uint256 creditId, uint256 presentationId) external nonReentrant {
        Terms storage t = _terms[creditId];
        Ledger storage book = _ledgers[creditId];
        Presentation storage p = _presentationOf(creditId, presentationId);
        if (!p.reimbursementDue) revert CreditNoReimbursementDue(creditId, presentationId);
        uint256 amount = p.amount;
        p.reimbursementDue = false;
        book.owedToConfirmingBank -= amount;
        book.cover -= amount;
        emit CreditReimbursed(creditId, presentationId, t.confirmingBank, amount);
        _payOut(t.token, t.confirmingBank, amount);
    }

    // -------------------------------------------------------------------------------------------------- private

    /// @dev The bill must be a to-order negotiable bill locked in favour of this contract, shipped on board by the
    /// latest shipment date, and presented within the presentation period. Returns the shipped-on-board time.
    function _checkBill(uint256 creditId, Terms storage t, uint256 id) private view returns (uint64 onBoard) {
        ITitleRegistry.Title memory title = ITitleRegistry(t.registry).title(id);
        if (
            title.kind != ITitleRegistry.DocumentKind.NegotiableBillOfLading ||
            title.form != ITitleRegistry.ConsignmentForm.ToOrder
        ) revert CreditBillNotNegotiable(id, title.kind, title.form);
        if (!title.encumbered || title.locker != address(this)) revert CreditBillNotLocked(id);
        onBoard = IShipmentDates(t.registry).shippedOnBoardDate(id);
        if (onBoard == 0) revert CreditNotShippedOnBoard(id);
        if (onBoard > t.latestShipment) revert CreditShipmentLate(creditId, onBoard, t.latestShipment);
        uint256 deadline = CreditRules.presentationDeadline(onBoard, t.presentationDays, t.expiry);
        // The presentation period is days long: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > deadline) revert CreditPresentationLate(creditId, block.timestamp, deadline);
    }

    /// @dev The drawing must be nonzero and within what is left (UCP 600 art. 30); when partial drawings are
    /// prohibited, the only drawing is the full amount within tolerance (art. 31).
    function _checkDrawing(uint256 creditId, Terms storage t, Ledger storage book, uint256 amount) private view {
        if (amount == 0) revert CreditZeroDrawing(creditId);
        uint256 maximum = CreditRules.maximum(t.amount, t.tolerance);
        uint256 committed = book.drawn + book.reserved;
        if (!t.partialDrawings) {
            uint256 minimum = CreditRules.minimum(t.amount, t.tolerance);
            if (committed != 0 || amount < minimum || amount > maximum) {
                revert CreditPartialDrawingProhibited(creditId, amount, minimum, maximum);
            }
        }
        uint256 left = _headroom(maximum, committed);
        if (amount > left) revert CreditOverdrawn(creditId, amount, left);
    }

    /// @dev The confirming bank examines what its confirmation covers; otherwise the nominated bank, if any, else
    /// the issuing bank.
    function _examinerFor(
        uint256 creditId,
        Terms storage t,
        Ledger storage book,
        uint256 amount,
        uint64 onBoard
    ) private view returns (address) {
        if (book.confirmed) {
            Confirmation storage c = _confirmations[creditId];
            uint256 confirmedMaximum = CreditRules.maximum(c.amount, t.tolerance);
            // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
            if (
                // The confirmation's expiry is a date: a few seconds of timestamp leeway do not matter.
                // slither-disable-next-line timestamp
                block.timestamp <= c.expiry && // solhint-disable-line gas-strict-inequalities
                onBoard <= c.latestShipment && // solhint-disable-line gas-strict-inequalities
                book.drawn + book.reserved + amount <= confirmedMaximum // solhint-disable-line gas-strict-inequalities
            ) return t.confirmingBank;
        }
        return t.nominatedBank != address(0) ? t.nominatedBank : t.issuingBank;
    }

    /// @dev Records a complying presentation of bill `id` to `examiner` and reserves its amount; its id.
    function _record(
        PresentationData memory d,
        Ledger storage book,
        uint256 id,
        address examiner
    ) private returns (uint256 presentationId) {
        uint64 deadline = _examinationDeadline(examiner);
        presentationId = ++book.presentations;
        book.reserved += d.amount;
        _presentations[d.creditId][presentationId] = Presentation({
            billId: id,
            amount: d.amount,
            examiner: examiner,
            state: PresentationState.Presented,
            refused: false,
            precluded: false,
            reimbursementDue: false,
            presentedAt: uint64(block.timestamp),
            examinationDeadline: deadline,
            documentsDigest: keccak256(abi.encode(d.documentTypes, d.documentHashes))
        });
        emit CreditPresented(
            d.creditId,
            presentationId,
            id,
            d.amount,
            examiner,
            deadline,
            d.documentTypes,
            d.documentHashes
        );
    }

    /// @dev The end of `examiner`'s fifth banking day after today, or MAX_EXAMINATION_PERIOD from now if that comes
    /// first. The calendar looks no further than the cap (its last day may end after it), so its scan is bounded and
    /// a calendar without banking days gives the cap instead of reverting the presentation.
    function _examinationDeadline(address examiner) private view returns (uint64) {
        uint256 cap = block.timestamp + MAX_EXAMINATION_PERIOD;
        (bool found, uint256 deadline) = _calendar().addBankingDaysWithin(
            examiner,
            block.timestamp,
            EXAMINATION_BANKING_DAYS,
            MAX_EXAMINATION_PERIOD / 1 days
        );
        // Both are block times and days away: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        return uint64(found && deadline < cap ? deadline : cap);
    }

    /// @dev Gives the eBL of presentation `p` back to the beneficiary and frees its reservation.
    function _return(uint256 creditId, uint256 presentationId, Presentation storage p) private {
        Terms storage t = _terms[creditId];
        p.state = PresentationState.Returned;
        _ledgers[creditId].reserved -= p.amount;
        emit CreditDocumentsReturned(creditId, presentationId, msg.sender);
        if (_financed()) _clearFinancing(creditId, presentationId, t.registry, p.billId);
        ITitleRegistry(t.registry).release(p.billId, "");
    }
}
