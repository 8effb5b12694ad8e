// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITitleLocker} from "./ITitleLocker.sol";
import {ITitleRegistry} from "./ITitleRegistry.sol";

/// @title IDocumentaryCredit
/// @notice Irrevocable documentary credits under UCP 600, many in one contract, paid in ERC-20 tokens (e.g. bank
/// deposit tokens) against an electronic bill of lading and other documents.
/// @dev Life of a credit: the applicant requests it; the issuing bank issues it, which locks the cover (amount plus
/// tolerance) pulled from the applicant; the advising bank advises it; a confirming bank may confirm it. The
/// beneficiary presents by encumbering a to-order eBL in favour of this contract with
/// `abi.encode(creditId, amount, documentTypes, documentHashes)` as data; the examining bank honours or refuses
/// within five banking days of its own calendar, and never more than `MAX_EXAMINATION_PERIOD` (21 calendar days)
/// after presentation, however few banking days its calendar has; a silent bank is precluded and the beneficiary
/// claims payment. Unused cover returns to the applicant after expiry. Amounts are in the credit's token units.
/// Duplicate financing: a contract deployed with a financing ledger ({financingLedger}, zero = none) claims there,
/// in the transaction of each presentation, the bill (`billKey(registry, id)`) and the presentation's commercial
/// invoice (`invoiceKey(registry, hash)` of the first document of type "COMMERCIAL_INVOICE", if any; the same
/// invoice under another registry is another key) under the financing id
/// `bytes32(creditId << 32 | presentationId)`, so the ledger's `LedgerAlreadyFinanced` refuses a presentation of a
/// bill or invoice another financing holds (and a loan against them while presented); it clears both when the eBL
/// leaves the contract (honoured, precluded claim paid, or returned).
interface IDocumentaryCredit is ITitleLocker {
    // ------------------------------------------------------------------------------------------------- types

    /// @notice Tolerance on the credit amount: None, or "about" = plus or minus 10% (UCP 600 art. 30a).
    enum Tolerance {
        None,
        About
    }

    /// @notice Lifecycle of a credit. Cancelled is final; Expired once the cover was (partly) refunded after expiry.
    enum CreditStatus {
        None,
        Requested,
        Issued,
        Cancelled,
        Expired
    }

    /// @notice Lifecycle of a presentation. Honoured and Returned are final.
    enum PresentationState {
        None,
        Presented, // under examination
        Refused, // refused, documents held pending the applicant's waiver
        Waived, // the applicant waived the discrepancies: a bank may honour
        Honoured, // paid (by a bank, or to the beneficiary as a precluded bank's claim)
        Returned // the eBL went back to the beneficiary
    }

    /// @notice What the refusing bank does with the documents (UCP 600 art. 16c iii).
    enum Disposal {
        HoldPendingWaiver,
        Return
    }

    /// @notice Lifecycle of an amendment (UCP 600 art. 10).
    enum AmendmentStatus {
        None,
        Pending, // issued by the issuing bank on the applicant's instruction, binding on it, awaiting the beneficiary
        Accepted,
        Rejected,
        Lapsed // the credit expired while it was pending
    }

    /// @notice The confirming bank's choice on an amendment (UCP 600 art. 10b).
    enum ConfirmationChoice {
        Undecided,
        Extended,
        Declined
    }

    /// @notice The terms of a credit, as requested and (after amendments) as they stand.
    struct Terms {
        address issuingBank;
        address beneficiary;
        address token; // the currency: an ERC-20, e.g. a bank's deposit token
        address registry; // the eBL title registry the bill must come from
        address advisingBank; // zero: the beneficiary needs no advice before presenting
        address nominatedBank; // zero: available with the issuing bank only
        address confirmingBank; // zero: no confirmation requested
        uint256 amount;
        Tolerance tolerance;
        uint64 expiry; // last second for presentation (unix time)
        uint64 latestShipment; // last second for the shipped-on-board date (unix time)
        uint16 presentationDays; // days after shipment to present; 0 in a request means 21 (UCP 600 art. 14c)
        bool partialDrawings; // allowed (UCP 600 art. 31a) or prohibited
        bytes32[] documentTypes; // documents required besides the eBL
    }

    /// @notice The money and the parties' acts on a credit.
    // Field order is part of the ABI (views return this struct, clients decode it by position); the packing
    // the rule suggests would save at most one storage slot per record.
    // solhint-disable-next-line gas-struct-packing
    struct Ledger {
        address applicant;
        CreditStatus status;
        bool advised;
        bool confirmed;
        uint32 presentations; // presentation ids run from 1 to this
        uint256 cover; // tokens this contract holds for the credit
        uint256 drawn; // drawings honoured, whoever paid them
        uint256 reserved; // amounts of presentations not yet paid or returned
        uint256 owedToConfirmingBank; // the confirming bank's reimbursement claims not yet paid
        uint256 refunded; // cover returned to the applicant
    }

    /// @notice The terms a confirmation covers (UCP 600 art. 8, 10b).
    struct Confirmation {
        uint256 amount;
        uint64 expiry;
        uint64 latestShipment;
    }

    /// @notice The latest amendment of a credit.
    struct Amendment {
        AmendmentStatus status;
        ConfirmationChoice confirmation;
        uint32 number; // amendments are numbered from 1
        uint64 expiry;
        uint64 latestShipment;
        uint256 amount;
    }

    /// @notice One presentation of documents under a credit.
    struct Presentation {
        uint256 billId;
        uint256 amount;
        address examiner; // the bank that examines: confirming, else nominated, else issuing bank
        PresentationState state;
        bool refused; // the one notice of refusal was given (UCP 600 art. 16d)
        bool precluded; // paid as a precluded bank's claim (UCP 600 art. 16f)
        bool reimbursementDue; // the confirming bank paid and is owed reimbursement from the cover
        uint64 presentedAt;
        // end of the examiner's fifth banking day following presentation (UCP 600 art. 14b), or presentedAt +
        // MAX_EXAMINATION_PERIOD if that is earlier
        uint64 examinationDeadline;
        bytes32 documentsDigest; // keccak256(abi.encode(documentTypes, documentHashes))
    }

    // ------------------------------------------------------------------------------------------------- events

    // Events index the ids and parties clients filter by; amounts, dates, numbers and flags stay in the data
    // (indexing them would only cost gas and hide their values from the log data).
    // solhint-disable gas-indexed-events
    /// @notice `applicant` asked `issuingBank` to issue credit `creditId` for `beneficiary`.
    event CreditRequested(
        uint256 indexed creditId,
        address indexed applicant,
        address indexed issuingBank,
        address beneficiary,
        address token,
        uint256 amount
    );
    /// @notice The request `creditId` was withdrawn by the applicant or declined by the issuing bank (`by`).
    event CreditRequestCancelled(uint256 indexed creditId, address indexed by);
    /// @notice The issuing bank issued credit `creditId`; `cover` tokens were locked.
    event CreditIssued(uint256 indexed creditId, address indexed issuingBank, uint256 cover);
    /// @notice `advisingBank` advised credit `creditId` to the beneficiary.
    event CreditAdvised(uint256 indexed creditId, address indexed advisingBank);
    /// @notice `confirmingBank` added its confirmation to credit `creditId`.
    event CreditConfirmed(uint256 indexed creditId, address indexed confirmingBank);
    /// @notice `applicant` instructed the issuing bank to amend credit `creditId` to these terms (replacing any
    /// earlier instruction not yet used).
    event CreditAmendmentInstructed(
        uint256 indexed creditId,
        address indexed applicant,
        uint256 amount,
        uint64 expiry,
        uint64 latestShipment
    );
    /// @notice The applicant withdrew its unused amendment instruction for credit `creditId`.
    event CreditAmendmentInstructionWithdrawn(uint256 indexed creditId);
    /// @notice The issuing bank issued amendment `number`; `extraCover` tokens were locked.
    event CreditAmendmentProposed(
        uint256 indexed creditId,
        uint32 number,
        uint256 amount,
        uint64 expiry,
        uint64 latestShipment,
        uint256 extraCover
    );
    /// @notice The confirming bank extended (`extended`) or declined to extend its confirmation to amendment `number`.
    event CreditAmendmentConfirmationDecided(uint256 indexed creditId, uint32 number, bool extended);
    /// @notice The beneficiary accepted amendment `number`; `refund` tokens of cover went back to the applicant.
    event CreditAmendmentAccepted(uint256 indexed creditId, uint32 number, uint256 refund);
    /// @notice The beneficiary rejected amendment `number`; `refund` tokens of cover went back to the applicant.
    event CreditAmendmentRejected(uint256 indexed creditId, uint32 number, uint256 refund);
    /// @notice Amendment `number` lapsed unanswered when the credit expired.
    event CreditAmendmentLapsed(uint256 indexed creditId, uint32 number);
    /// @notice The beneficiary presented bill `billId` and documents for `amount` to `examiner`.
    event CreditPresented(
        uint256 indexed creditId,
        uint256 indexed presentationId,
        uint256 indexed billId,
        uint256 amount,
        address examiner,
        uint64 examinationDeadline,
        bytes32[] documentTypes,
        bytes32[] documentHashes
    );
    /// @notice `bank` honoured the presentation: the beneficiary got `amount`, the eBL went to `titleTo`.
    event CreditHonoured(
        uint256 indexed creditId,
        uint256 indexed presentationId,
        address indexed bank,
        uint256 amount,
        address titleTo
    );
    /// @notice `bank` refused the presentation with one notice listing `discrepancies`.
    event CreditRefused(
        uint256 indexed creditId,
        uint256 indexed presentationId,
        address indexed bank,
        uint16[] discrepancies,
        Disposal disposal
    );
    /// @notice The eBL of the presentation went back to the beneficiary, at the request of `by`.
    event CreditDocumentsReturned(uint256 indexed creditId, uint256 indexed presentationId, address indexed by);
    /// @notice The applicant waived the discrepancies of a refused presentation.
    event CreditDiscrepanciesWaived(uint256 indexed creditId, uint256 indexed presentationId, address applicant);
    /// @notice The examining bank let the deadline pass: the beneficiary was paid `amount` from the cover.
    event CreditPrecludedClaimPaid(uint256 indexed creditId, uint256 indexed presentationId, uint256 amount);
    /// @notice The confirming bank was reimbursed `amount` from the cover.
    event CreditReimbursed(
        uint256 indexed creditId,
        uint256 indexed presentationId,
        address indexed confirmingBank,
        uint256 amount
    );
    /// @notice `amount` of unused cover went back to the applicant after expiry.
    event CreditCoverRefunded(uint256 indexed creditId, address indexed applicant, uint256 amount);
    // solhint-enable gas-indexed-events

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice A required party, token or registry address is zero.
    error CreditZeroAddress();
    /// @notice `amount` is zero or above the supported maximum.
    error CreditInvalidAmount(uint256 amount);
    /// @notice `expiry` is not after the current time `currentTime`.
    error CreditExpiryInPast(uint64 expiry, uint256 currentTime);
    /// @notice The latest shipment date `latestShipment` is after the expiry `expiry`.
    error CreditShipmentAfterExpiry(uint64 latestShipment, uint64 expiry);
    /// @notice A presentation period of `days_` days exceeds the maximum `max`.
    error CreditPresentationPeriodTooLong(uint16 days_, uint16 max);
    /// @notice `count` document types (required or presented) exceed the maximum `max`.
    error CreditTooManyDocuments(uint256 count, uint256 max);
    /// @notice `bank` has no banking calendar, so its deadlines cannot be counted.
    error CreditBankWithoutCalendar(address bank);
    /// @notice Credit `creditId` is `status`, not Requested.
    error CreditNotRequested(uint256 creditId, CreditStatus status);
    /// @notice Credit `creditId` is `status`, not Issued.
    error CreditNotIssued(uint256 creditId, CreditStatus status);
    /// @notice `caller` is not the applicant of credit `creditId`.
    error CreditNotApplicant(uint256 creditId, address caller);
    /// @notice `caller` is not the issuing bank of credit `creditId`.
    error CreditNotIssuingBank(uint256 creditId, address caller);
    /// @notice `caller` is not the advising bank of credit `creditId`.
    error CreditNotAdvisingBank(uint256 creditId, address caller);
    /// @notice `caller` is not the confirming bank of credit `creditId`.
    error CreditNotConfirmingBank(uint256 creditId, address caller);
    /// @notice `caller` is not the beneficiary of credit `creditId`.
    error CreditNotBeneficiary(uint256 creditId, address caller);
    /// @notice `caller` is not a bank that may act on presentation `presentationId` now.
    error CreditNotExaminingBank(uint256 creditId, uint256 presentationId, address caller);
    /// @notice Credit `creditId` was already advised.
    error CreditAlreadyAdvised(uint256 creditId);
    /// @notice Credit `creditId` must be advised before the beneficiary presents.
    error CreditNotAdvised(uint256 creditId);
    /// @notice Credit `creditId` was already confirmed.
    error CreditAlreadyConfirmed(uint256 creditId);
    /// @notice Credit `creditId` names no confirming bank.
    error CreditConfirmationNotRequested(uint256 creditId);
    /// @notice Credit `creditId` is not confirmed.
    error CreditNotConfirmed(uint256 creditId);
    /// @notice Credit `creditId` expired at `expiry`.
    error CreditExpired(uint256 creditId, uint64 expiry);
    /// @notice Credit `creditId` is in force until `expiry`.
    error CreditNotExpired(uint256 creditId, uint64 expiry);
    /// @notice Amendment `number` of credit `creditId` awaits the beneficiary: one amendment at a time.
    error CreditAmendmentPending(uint256 creditId, uint32 number);
    /// @notice Credit `creditId` has no pending amendment.
    error CreditNoAmendmentPending(uint256 creditId);
    /// @notice The amendment changes nothing.
    error CreditAmendmentUnchanged(uint256 creditId);
    /// @notice The applicant has not instructed an amendment of credit `creditId` to these terms (or none at all).
    error CreditAmendmentNotInstructed(uint256 creditId);
    /// @notice The amended maximum `maximum` is below what was drawn or is under examination, `committed`.
    error CreditAmendmentBelowDrawn(uint256 creditId, uint256 maximum, uint256 committed);
    /// @notice The confirming bank already decided on amendment `number`.
    error CreditAmendmentAlreadyDecided(uint256 creditId, uint32 number, ConfirmationChoice choice);
    /// @notice `caller` (the registry calling back) is not the registry of credit `creditId`.
    error CreditWrongRegistry(uint256 creditId, address caller);
    /// @notice Bill `billId` is not a to-order negotiable bill of lading.
    error CreditBillNotNegotiable(
        uint256 billId,
        ITitleRegistry.DocumentKind kind,
        ITitleRegistry.ConsignmentForm form
    );
    /// @notice Bill `billId` is not locked in favour of this contract.
    error CreditBillNotLocked(uint256 billId);
    /// @notice Bill `billId` is received for shipment only, not shipped on board.
    error CreditNotShippedOnBoard(uint256 billId);
    /// @notice The goods were shipped on board at `shippedOnBoard`, after the latest shipment date `latestShipment`.
    error CreditShipmentLate(uint256 creditId, uint64 shippedOnBoard, uint64 latestShipment);
    /// @notice Presented at `presentedAt`, after the end of the presentation period `deadline` (UCP 600 art. 14c).
    error CreditPresentationLate(uint256 creditId, uint256 presentedAt, uint256 deadline);
    /// @notice `typesLength` document types came with `hashesLength` document hashes.
    error CreditDocumentsMismatch(uint256 typesLength, uint256 hashesLength);
    /// @notice The required document `documentType` was not presented.
    error CreditDocumentMissing(uint256 creditId, bytes32 documentType);
    /// @notice Document type `documentType` was presented more than once.
    error CreditDocumentRepeated(uint256 creditId, bytes32 documentType);
    /// @notice A drawing of zero.
    error CreditZeroDrawing(uint256 creditId);
    /// @notice A drawing of `amount` exceeds the `available` balance of the credit.
    error CreditOverdrawn(uint256 creditId, uint256 amount, uint256 available);
    /// @notice Partial drawings are prohibited: one drawing between `minimum` and `maximum` (UCP 600 art. 30, 31).
    error CreditPartialDrawingProhibited(uint256 creditId, uint256 amount, uint256 minimum, uint256 maximum);
    /// @notice Credit `creditId` has no presentation `presentationId`.
    error CreditPresentationNotFound(uint256 creditId, uint256 presentationId);
    /// @notice Presentation `presentationId` is `state`, which does not allow this act.
    error CreditPresentationNotPending(uint256 creditId, uint256 presentationId, PresentationState state);
    /// @notice The examination deadline `deadline` of the presentation passed: the bank is precluded.
    error CreditExaminationClosed(uint256 creditId, uint256 presentationId, uint64 deadline);
    /// @notice The examining bank has until `deadline` to decide.
    error CreditExaminationNotOver(uint256 creditId, uint256 presentationId, uint64 deadline);
    /// @notice A notice of refusal was already given for the presentation: there is only one (UCP 600 art. 16d).
    error CreditNoticeAlreadyGiven(uint256 creditId, uint256 presentationId);
    /// @notice A notice of refusal must state at least one discrepancy (UCP 600 art. 16c ii).
    error CreditNoDiscrepancies(uint256 creditId, uint256 presentationId);
    /// @notice The presentation is `state`, not refused and held pending waiver.
    error CreditNotHeldPendingWaiver(uint256 creditId, uint256 presentationId, PresentationState state);
    /// @notice No reimbursement is due to the confirming bank for the presentation.
    error CreditNoReimbursementDue(uint256 creditId, uint256 presentationId);
    /// @notice No cover of credit `creditId` is free to refund.
    error CreditNothingToRefund(uint256 creditId);
    /// @notice The token delivered `received` instead of `expected` (fee-on-transfer tokens are not supported).
    error CreditCoverShort(uint256 expected, uint256 received);

    // --------------------------------------------------------------------------------------------- applicant

    /// @notice The caller (applicant) asks `terms_.issuingBank` to issue a credit on `terms_`.
    /// @return creditId The new credit's id (ids count from 1).
    function request(Terms calldata terms_) external returns (uint256 creditId);

    /// @notice The applicant withdraws, or the issuing bank declines, a request not yet issued.
    function cancelRequest(uint256 creditId) external;

    /// @notice The applicant instructs the issuing bank to amend its issued, unexpired credit to `amount`, `expiry`
    /// and `latestShipment` (all three as they are to stand; at least one must differ from the current terms). The
    /// issuing bank may then issue exactly this amendment once ({amend}); a new instruction replaces an unused one.
    /// An increase lets {amend} pull the extra cover from the applicant's allowance.
    function instructAmendment(uint256 creditId, uint256 amount, uint64 expiry, uint64 latestShipment) external;

    /// @notice The applicant withdraws its amendment instruction before the issuing bank uses it.
    function withdrawAmendmentInstruction(uint256 creditId) external;

    /// @notice The applicant waives the discrepancies of a refused presentation held pending waiver (UCP 600 art.
    /// 16b); a bank may then honour it.
    function waive(uint256 creditId, uint256 presentationId) external;

    // ----------------------------------------------------------------------------------------- issuing bank

    /// @notice Issues a requested credit: pulls the cover (amount plus tolerance) from the applicant's allowance.
    function issue(uint256 creditId) external;

    /// @notice {issue}, with the applicant's EIP-2612 permit for the cover (skipped if already used).
    function issueWithPermit(uint256 creditId, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Issues an amendment (UCP 600 art. 10) on the applicant's instruction of exactly these terms
    /// ({instructAmendment}), which it uses up: binding on the issuing bank at once, on the beneficiary once
    /// accepted; an increase pulls the extra cover from the applicant.
    function amend(uint256 creditId, uint256 amount, uint64 expiry, uint64 latestShipment) external;

    // ---------------------------------------------------------------------------- advising and confirming bank

    /// @notice The advising bank advises the credit to the beneficiary (UCP 600 art. 9).
    function advise(uint256 creditId) external;

    /// @notice The confirming bank adds its confirmation (UCP 600 art. 8) to the terms as they stand.
    function confirm(uint256 creditId) external;

    /// @notice The confirming bank extends its confirmation to the pending amendment (UCP 600 art. 10b).
    function confirmAmendment(uint256 creditId) external;

    /// @notice The confirming bank declines to extend its confirmation to the pending amendment: its confirmation
    /// keeps covering the terms it confirmed.
    function declineAmendment(uint256 creditId) external;

    // ------------------------------------------------------------------------------------------- beneficiary

    /// @notice The beneficiary accepts the whole pending amendment (partial acceptance is impossible).
    function acceptAmendment(uint256 creditId) external;

    /// @notice The beneficiary rejects the pending amendment: the terms stay as they were.
    function rejectAmendment(uint256 creditId) external;

    /// @notice The beneficiary claims payment of a presentation its examining bank neither honoured nor refused
    /// in time (UCP 600 art. 16f); paid from the cover, the eBL goes to the issuing bank.
    function claimPrecluded(uint256 creditId, uint256 presentationId) external;

    // ------------------------------------------------------------------------------------------ examining bank

    /// @notice Honours a presentation in one transaction: the beneficiary is paid and the eBL leaves the lock. The
    /// examining bank honours before its deadline; after a waiver, the examining or the issuing bank. Paid from the
    /// cover with the eBL to the issuing bank, except that a confirming bank pays from its own funds (allowance),
    /// takes the eBL and is owed reimbursement from the cover.
    function honour(uint256 creditId, uint256 presentationId) external;

    /// @notice The examining bank refuses, before its deadline, with its single notice (UCP 600 art. 16c, 16d).
    function refuse(
        uint256 creditId,
        uint256 presentationId,
        uint16[] calldata discrepancies,
        Disposal disposal
    ) external;

    /// @notice Returns the eBL of a refused (held or waived, unpaid) presentation to the beneficiary; the
    /// beneficiary or the examining bank asks.
    function returnDocuments(uint256 creditId, uint256 presentationId) external;

    // ------------------------------------------------------------------------------------------------- anyone

    /// @notice Pays the confirming bank's reimbursement claim for a presentation it honoured, from the cover.
    function reimburse(uint256 creditId, uint256 presentationId) external;

    /// @notice After expiry (and after the expiry of a pending amendment, which lapses), returns the cover that is
    /// neither drawn, nor reserved for presentations, nor owed to the confirming bank, to the applicant.
    function closeExpired(uint256 creditId) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice The terms of credit `creditId` as they stand (amendments accepted).
    function terms(uint256 creditId) external view returns (Terms memory);

    /// @notice The money and status of credit `creditId`.
    function ledger(uint256 creditId) external view returns (Ledger memory);

    /// @notice The terms the confirmation of credit `creditId` covers (zero if unconfirmed).
    function confirmation(uint256 creditId) external view returns (Confirmation memory);

    /// @notice The latest amendment of credit `creditId`.
    function amendment(uint256 creditId) external view returns (Amendment memory);

    /// @notice The applicant's unused amendment instruction for credit `creditId`:
    /// `keccak256(abi.encode(amount, expiry, latestShipment))` of the instructed terms, zero if none.
    function amendmentInstruction(uint256 creditId) external view returns (bytes32);

    /// @notice Presentation `presentationId` of credit `creditId`.
    function presentation(uint256 creditId, uint256 presentationId) external view returns (Presentation memory);

    /// @notice What may still be drawn under the current terms: maximum (with tolerance) less drawn and reserved.
    function available(uint256 creditId) external view returns (uint256);

    /// @notice The number of credits requested so far.
    function creditCount() external view returns (uint256);

    /// @notice The banking calendar examination deadlines are counted on.
    function calendar() external view returns (address);

    /// @notice The financing ledger presentations are claimed in (zero: none).
    function financingLedger() external view returns (address);

    /// @notice The invoice hash presentation `presentationId` of credit `creditId` holds claimed in the financing
    /// ledger while it is open; zero when it claimed none or once the claim was cleared.
    function claimedInvoice(uint256 creditId, uint256 presentationId) external view returns (bytes32);
}
