// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ITitleLocker} from "./ITitleLocker.sol";
import {ITitleRegistry} from "./ITitleRegistry.sol";

/// @title IDocumentaryCollection
/// @notice Documentary collections after ICC URC 522 with an electronic bill of lading as the commercial document.
/// The remitting side (the drawer, or a remitting bank holding the bill) lodges the documents by encumbering the
/// bill to this contract with `abi.encode(Instruction)` as data. Documents against payment (D/P): the drawee pays
/// and receives the title in one transaction. Documents against acceptance (D/A): the drawee accepts the draft,
/// receives the title, and owes the amount at maturity to the holder of the accepted draft, who records dishonour
/// if it is still unpaid when a day's grace after maturity has passed (the drawee can pay until then, and after
/// as long as no dishonour is recorded). Documents neither paid nor accepted go back to the remitting side after
/// the drawee refuses or the presentation deadline passes.
interface IDocumentaryCollection is ITitleLocker {
    /// @notice URC 522 art. 7: against what the documents are released.
    enum CollectionTerms {
        DocumentsAgainstPayment,
        DocumentsAgainstAcceptance
    }

    /// @notice Lifecycle of a collection. Paid, Honoured, Dishonoured and Returned are final.
    enum CollectionStatus {
        None,
        Presented, // documents lodged and presented to the drawee
        Refused, // the drawee refused to pay or accept; documents await return
        Paid, // D/P: paid, title passed to the drawee
        Accepted, // D/A: draft accepted, title passed to the drawee, payment due at maturity
        Honoured, // D/A: accepted draft paid
        Dishonoured, // D/A: accepted draft unpaid after maturity and the grace period (protest recorded)
        Returned // documents released back to the remitting side
    }

    /// @notice The collection instruction (URC 522 art. 4), passed as `abi.encode(instruction)` to
    /// `ITitleRegistry.encumber`.
    struct Instruction {
        address drawer; // the principal, paid the proceeds
        address drawee; // to whom the documents are presented
        address collectingBank; // the collecting (presenting) bank, zero for a direct collection
        IERC20 token; // currency of the collection
        uint256 amount; // amount to be collected, in full (art. 19)
        CollectionTerms terms;
        uint64 tenor; // D/A: seconds from acceptance to maturity, or zero with a fixed maturity; D/P: zero
        uint64 maturity; // D/A: fixed maturity date, or zero with a tenor; D/P: zero
        uint64 presentationDeadline; // the drawee pays or accepts at or before this time
        bytes32 remitterRef; // the remitting side's reference (e.g. the invoice hash), echoed in events
    }

    /// @notice A collection, as returned by {collection}.
    struct Collection {
        address remitter; // who lodged the documents (the bill's owner then); they return to it
        CollectionStatus status;
        uint64 lodgedAt;
        uint64 maturity; // D/A: fixed at acceptance
        address draftHolder; // D/A: holder of the accepted draft, paid at maturity (starts as the drawer)
        ITitleRegistry registry;
        uint256 billId;
        Instruction instruction;
    }

    // ------------------------------------------------------------------------------------------------- events

    /// @notice `remitter` lodged bill `billId` of `registry` for collection from `drawee` on `instruction`.
    event CollectionLodged(
        uint256 indexed collectionId,
        address indexed remitter,
        address indexed drawee,
        ITitleRegistry registry,
        uint256 billId,
        Instruction instruction
    );
    /// @notice D/P: `drawee` paid `amount` to `drawer` and received the title.
    event CollectionPaid(uint256 indexed collectionId, address indexed drawee, address indexed drawer, uint256 amount);
    /// @notice D/A: `drawee` accepted the draft for `amount` due at `maturity` to `draftHolder`, and received the
    /// title.
    event CollectionAccepted(
        uint256 indexed collectionId,
        address indexed drawee,
        address indexed draftHolder,
        uint256 amount,
        uint64 maturity
    );
    /// @notice `drawee` refused to pay or accept, for `reason`.
    event CollectionRefused(uint256 indexed collectionId, address indexed drawee, bytes reason);
    /// @notice The accepted draft passed from `from` to `to`, who will be paid at maturity.
    event CollectionDraftTransferred(uint256 indexed collectionId, address indexed from, address indexed to);
    /// @notice D/A: `drawee` paid the accepted draft, `amount` to `draftHolder`.
    event CollectionHonoured(
        uint256 indexed collectionId,
        address indexed drawee,
        address indexed draftHolder,
        uint256 amount
    );
    /// @notice D/A: the accepted draft for `amount` due at `maturity` was not paid; `recorder` recorded the protest.
    event CollectionDishonoured(
        uint256 indexed collectionId,
        address indexed drawee,
        address indexed draftHolder,
        address recorder,
        uint256 amount,
        uint64 maturity,
        bytes protest
    );
    /// @notice `by` returned the documents to `remitter`: the bill is released to it.
    event CollectionReturned(uint256 indexed collectionId, address indexed remitter, address indexed by, bytes remark);

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice The drawer, drawee or token of the instruction (or a new draft holder) is zero.
    error CollectionZeroAddress();
    /// @notice The amount is zero.
    error CollectionZeroAmount();
    /// @notice The encumbrance data must be `abi.encode(Instruction)`; it was `length` bytes long.
    error CollectionMalformedInstruction(uint256 length);
    /// @notice The drawee is the drawer or the remitter.
    error CollectionInvalidDrawee(address drawee);
    /// @notice The presentation deadline is not after the lodging time `timestamp`.
    error CollectionInvalidDeadline(uint64 presentationDeadline, uint256 timestamp);
    /// @notice D/P takes neither tenor nor maturity; D/A takes exactly one, the tenor at most MAX_TENOR.
    error CollectionInvalidTenor(CollectionTerms terms, uint64 tenor, uint64 maturity);
    /// @notice A fixed D/A maturity must be after the presentation deadline.
    error CollectionInvalidMaturity(uint64 maturity, uint64 presentationDeadline);
    /// @notice Only a negotiable to-order or blank-endorsed bill can be collected (its title passes to the drawee).
    error CollectionBillNotNegotiable(
        uint256 billId,
        ITitleRegistry.DocumentKind kind,
        ITitleRegistry.ConsignmentForm form
    );
    /// @notice No collection `collectionId` exists.
    error CollectionNotFound(uint256 collectionId);
    /// @notice Collection `collectionId` is not presented (awaiting the drawee); `status` is its status.
    error CollectionNotPresented(uint256 collectionId, CollectionStatus status);
    /// @notice The operation does not apply to collection `collectionId`, which is on `terms`.
    error CollectionWrongTerms(uint256 collectionId, CollectionTerms terms);
    /// @notice The presentation of `collectionId` ended at `presentationDeadline`.
    error CollectionPresentationExpired(uint256 collectionId, uint64 presentationDeadline);
    /// @notice `caller` is not the drawee of `collectionId`.
    error CollectionNotDrawee(uint256 collectionId, address caller);
    /// @notice Collection `collectionId` has no accepted, unpaid draft; `status` is its status.
    error CollectionNotAccepted(uint256 collectionId, CollectionStatus status);
    /// @notice The accepted draft of `collectionId` is payable only from `maturity`.
    error CollectionNotMatured(uint256 collectionId, uint64 maturity);
    /// @notice Dishonour of `collectionId` is recorded only after `graceEnd`, its maturity + DISHONOUR_GRACE; until
    /// then the drawee can still pay.
    error CollectionDishonourTooEarly(uint256 collectionId, uint256 graceEnd);
    /// @notice `caller` is not the holder of the accepted draft of `collectionId` (nor, for a protest, the
    /// collecting bank).
    error CollectionNotDraftHolder(uint256 collectionId, address caller);
    /// @notice `holder` already holds the accepted draft of `collectionId`.
    error CollectionAlreadyDraftHolder(uint256 collectionId, address holder);
    /// @notice `caller` is neither the remitter nor the collecting bank of `collectionId`.
    error CollectionNotRemitter(uint256 collectionId, address caller);
    /// @notice The documents of `collectionId` (status `status`, presentation deadline `presentationDeadline`) are
    /// returned only after a refusal, or while unpaid and unaccepted after the deadline.
    error CollectionNotReturnable(uint256 collectionId, CollectionStatus status, uint64 presentationDeadline);
    /// @notice A reason or protest of `length` bytes exceeds `max`.
    error CollectionRemarkTooLong(uint256 length, uint256 max);

    // ------------------------------------------------------------------------------------------------- drawee

    /// @notice D/P: the drawee pays the full amount to the drawer (from its allowance to this contract) and receives
    /// the title (beneficiary and holder), unlocked, in the same transaction.
    function pay(uint256 collectionId) external;

    /// @notice D/A: the drawee accepts the draft; the title passes to it, unlocked, and the amount falls due at the
    /// maturity fixed now (the instruction's date, or now + tenor).
    function accept(uint256 collectionId) external;

    /// @notice The drawee refuses to pay (D/P) or accept (D/A); the documents can then be returned.
    function refuse(uint256 collectionId, bytes calldata reason) external;

    /// @notice D/A: from maturity on, the drawee pays the accepted draft to its holder (from its allowance to this
    /// contract): at maturity, during the DISHONOUR_GRACE that follows, and after it until dishonour is recorded.
    /// Not before maturity: the holder cannot be made to take payment early. Final.
    function honour(uint256 collectionId) external;

    // ------------------------------------------------------------------------------------------------- remitting side

    /// @notice D/A: the holder of the accepted draft passes it to `newHolder` (discounting, forfaiting).
    function transferDraft(uint256 collectionId, address newHolder) external;

    /// @notice D/A: once maturity + DISHONOUR_GRACE has passed (strictly after it), the draft holder or the
    /// collecting bank records that the accepted draft was not paid, with the protest. Final: the drawee can no
    /// longer pay through this contract.
    function dishonour(uint256 collectionId, bytes calldata protest) external;

    /// @notice The remitter or the collecting bank returns unpaid, unaccepted documents after a refusal or the
    /// presentation deadline: the bill is released, unlocked, to its owner (the remitter).
    function returnDocuments(uint256 collectionId, bytes calldata remark) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice Collection `collectionId` (all zero if it does not exist).
    function collection(uint256 collectionId) external view returns (Collection memory);

    /// @notice How many collections were lodged (the last collection id).
    function collectionCount() external view returns (uint256);
}
