// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";

/// @title ITitleRegistry
/// @notice Title registry of electronic bills of lading (eBL) for one issuer (carrier): one token per bill, token id
/// = `uint256(documentHash)`, the keccak256 of the canonical transport document.
/// @dev Every live title has exactly one beneficiary (title holder, ERC-721 owner) and one holder (possession).
/// Title moves only through the operations below; the ERC-721 transfer and approval functions revert with
/// {TitleDirectTransferDisabled}. Remarks (at most MAX_REMARK_LENGTH bytes) are emitted in events, never stored.
interface ITitleRegistry is IERC721Metadata, IERC721Errors {
    /// @notice What the document is.
    enum DocumentKind {
        NegotiableBillOfLading,
        SeaWaybill
    }

    /// @notice To whom the goods are consigned. A sea waybill is always Straight.
    enum ConsignmentForm {
        Straight, // to a named consignee: the beneficiary never changes
        ToOrder, // to order: endorsable, the holder endorses to the beneficiary's nominee
        BlankEndorsed // to bearer: the holder is the title holder (beneficiary == holder)
    }

    /// @notice Lifecycle of a title. Accomplished and Voided are final.
    enum Status {
        None,
        Active,
        SurrenderPendingDelivery,
        SurrenderPendingAmendment,
        Accomplished,
        Voided
    }

    /// @notice Why a bill is surrendered to the issuer.
    enum SurrenderReason {
        Delivery,
        Amendment
    }

    /// @notice Snapshot of a title, as returned by {title}.
    /// @dev The nominee itself is stored only as a tag: read it from the last {NomineeChanged} event, or test an
    /// address with {isNominee}.
    struct Title {
        address beneficiary;
        address holder;
        DocumentKind kind;
        ConsignmentForm form;
        Status status;
        bool nominated;
        bool beneficiaryRejectable;
        bool holderRejectable;
        bool encumbered;
        address locker;
    }

    // ------------------------------------------------------------------------------------------------- events

    /// @notice Title `id` was issued to `beneficiary` (title) and `holder` (possession).
    event TitleIssued(
        uint256 indexed id,
        address indexed beneficiary,
        address indexed holder,
        DocumentKind kind,
        ConsignmentForm form,
        bytes remark
    );
    /// @notice Possession of title `id` passed from `from` to `to`.
    event HolderTransferred(uint256 indexed id, address indexed from, address indexed to, bytes remark);
    /// @notice Title to `id` passed from `from` to `to` (endorsement); also signalled by ERC-721 `Transfer`.
    event BeneficiaryTransferred(uint256 indexed id, address indexed from, address indexed to, bytes remark);
    /// @notice `beneficiary` nominated `nominee` as the next beneficiary of `id`; a zero nominee cancels.
    event NomineeChanged(uint256 indexed id, address indexed beneficiary, address indexed nominee, bytes remark);
    /// @notice Holder `from` rejected the last holder transfer of `id` and returned possession to `to`.
    event HolderTransferRejected(uint256 indexed id, address indexed from, address indexed to, bytes remark);
    /// @notice Beneficiary `from` rejected the last endorsement of `id` and returned title to `to`.
    event BeneficiaryTransferRejected(uint256 indexed id, address indexed from, address indexed to, bytes remark);
    /// @notice Owner `endorser` endorsed to-order title `id` in blank: from now on the holder is the title holder.
    event EndorsedInBlank(uint256 indexed id, address indexed endorser, bytes remark);
    /// @notice Owner `surrenderer` surrendered title `id` to the issuer.
    event SurrenderRequested(uint256 indexed id, address indexed surrenderer, SurrenderReason reason, bytes remark);
    /// @notice The issuer accepted the surrender of `id` by `surrenderer`; `outcome` is Accomplished or Voided.
    event SurrenderAccepted(uint256 indexed id, address indexed surrenderer, Status outcome, bytes remark);
    /// @notice The issuer rejected the surrender of `id`; the title is Active again with `surrenderer`.
    event SurrenderRejected(uint256 indexed id, address indexed surrenderer, bytes remark);
    /// @notice The issuer replaced voided title `oldId` by title `newId` (amendment).
    event TitleAmended(uint256 indexed oldId, uint256 indexed newId, bytes remark);
    /// @notice Owner `owner` encumbered title `id` in favour of `locker`.
    event TitleLocked(uint256 indexed id, address indexed owner, address indexed locker);
    /// @notice `locker` released its encumbrance over title `id`.
    event TitleUnlocked(uint256 indexed id, address indexed locker, bytes remark);
    /// @notice `signer` cancelled its signatures with nonces from `oldNonce` to `newNonce - 1`: its next nonce is
    /// `newNonce`.
    event NoncesInvalidated(address indexed signer, uint256 indexed oldNonce, uint256 indexed newNonce);

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice A party address is zero.
    error TitleZeroAddress();
    /// @notice The document hash is zero.
    error TitleZeroDocumentHash();
    /// @notice A shipped-on-board date lies in the future.
    error TitleInvalidShipmentDate(uint64 date);
    /// @notice A title with this id (document hash) was issued before: a document is issued once.
    error TitleAlreadyIssued(uint256 id);
    /// @notice No title with this id was ever issued (a typo'd id). Every title operation but {issue} reverts it,
    /// whatever state it needs (Active, surrendered, voided, encumbered by the caller), once the pause, the caller's
    /// role and its own arguments (remark, zero addresses, signature) pass; so does {documentHash}. The other views
    /// read such an id as empty ({title} all zero; {lockerOf}, {supersededBy}, {shippedOnBoardDate} zero; {isNominee}
    /// false), and the ERC-721 views {ownerOf} and {tokenURI} revert the standard's `ERC721NonexistentToken`.
    error TitleNotIssued(uint256 id);
    /// @notice The operation needs an Active title; `status` is the issued title's status (never None: an id never
    /// issued reverts {TitleNotIssued}).
    error TitleNotActive(uint256 id, Status status);
    /// @notice `caller` is not the holder of `id`.
    error TitleNotHolder(uint256 id, address caller);
    /// @notice `caller` is not the beneficiary of `id`.
    error TitleNotBeneficiary(uint256 id, address caller);
    /// @notice Only a to-order negotiable bill is nominated or endorsed.
    error TitleNotEndorsable(uint256 id, DocumentKind kind, ConsignmentForm form);
    /// @notice A sea waybill is always Straight.
    error TitleInvalidConsignment(DocumentKind kind, ConsignmentForm form);
    /// @notice A blank-endorsed (bearer) title has the same beneficiary and holder.
    error TitleBlankEndorsedPartiesDiffer(address beneficiary, address holder);
    /// @notice `holder` already holds `id`.
    error TitleAlreadyHolder(uint256 id, address holder);
    /// @notice `beneficiary` already is the beneficiary of `id`.
    error TitleAlreadyBeneficiary(uint256 id, address beneficiary);
    /// @notice `nominee` already is the nominee of `id` (or, when zero, there is no nomination to cancel).
    error TitleNomineeUnchanged(uint256 id, address nominee);
    /// @notice The holder endorses only to the beneficiary's nominee unless it is the beneficiary itself.
    error TitleNotNominee(uint256 id, address endorsee);
    /// @notice No open reject window for a transfer from `previous` (wrong address, or the receiver acted since).
    error TitleNoRejectableTransfer(uint256 id, address previous);
    /// @notice The caller holds both roles of `id`: it rejects both transfers at once (rejectTransferOwners).
    error TitleDualRoleRejectionRequired(uint256 id);
    /// @notice The issuer decides only on a pending surrender; `status` is the issued title's status (never None: an
    /// id never issued reverts {TitleNotIssued}).
    error TitleNotSurrendered(uint256 id, Status status);
    /// @notice Only a title surrendered (pending or accepted) for amendment is amended; `status` is the issued title's
    /// status (never None: an id never issued reverts {TitleNotIssued}).
    error TitleNotAmendable(uint256 id, Status status);
    /// @notice `id` was already replaced by `newId`.
    error TitleAlreadySuperseded(uint256 id, uint256 newId);
    /// @notice Title `id` is encumbered by `locker`: only the locker moves or releases it.
    error TitleEncumbered(uint256 id, address locker);
    /// @notice Title `id` is already encumbered by `locker`.
    error TitleAlreadyEncumbered(uint256 id, address locker);
    /// @notice `caller` is not the locker of issued title `id` (an id never issued reverts {TitleNotIssued}).
    error TitleNotLocker(uint256 id, address caller);
    /// @notice `locker` lacks LOCKER_ROLE.
    error TitleLockerUnauthorized(address locker);
    /// @notice `locker` did not accept the encumbrance of `id`.
    error TitleLockerRejected(uint256 id, address locker);
    /// @notice The signature's deadline passed.
    error TitleSignatureExpired(uint256 deadline);
    /// @notice The signature is not `signer`'s over this registry, chain and request.
    error TitleInvalidSignature(address signer);
    /// @notice `signer`'s nonce `nonce` was already used or invalidated ({invalidateNonces}): the signed request is a
    /// replay or was cancelled.
    error TitleNonceUsed(address signer, uint256 nonce);
    /// @notice `nonce` is ahead of `signer`'s next nonce `expected`.
    error TitleInvalidNonce(address signer, uint256 nonce, uint256 expected);
    /// @notice {invalidateNonces} only moves `signer`'s next nonce forward: `newNonce` is not above `current`.
    error TitleNonceNotIncreased(address signer, uint256 newNonce, uint256 current);
    /// @notice A remark of `length` bytes exceeds `max`.
    error TitleRemarkTooLong(uint256 length, uint256 max);
    /// @notice ERC-721 transfers and approvals are disabled: title moves only through title operations.
    error TitleDirectTransferDisabled();
    /// @notice This registry was deployed without per-owner balances (see {tracksBalances}).
    error TitleBalancesNotTracked();

    // ------------------------------------------------------------------------------------------- issuer (ISSUER_ROLE)

    /// @notice Issues the bill with hash `documentHash_` to `beneficiary` and `holder`.
    /// @param shippedOnBoardDate_ The bill's shipped-on-board date (unix seconds, not in the future), or 0 for a
    /// received-for-shipment bill; letters of credit read it as the date of shipment (UCP 600 art. 20).
    /// @return id `uint256(documentHash_)`.
    function issue(
        bytes32 documentHash_,
        address beneficiary,
        address holder,
        DocumentKind kind,
        ConsignmentForm form,
        uint64 shippedOnBoardDate_,
        bytes calldata remark
    ) external returns (uint256 id);

    /// @notice Accepts a pending surrender: delivery → Accomplished, amendment → Voided. Burns the ERC-721 token.
    function acceptSurrender(uint256 id, bytes calldata remark) external;

    /// @notice Rejects a pending surrender: the title is Active again with the party that surrendered it.
    function rejectSurrender(uint256 id, bytes calldata remark) external;

    /// @notice Replaces a title surrendered for amendment (pending, which is voided now, or already Voided) by a new
    /// title for `newDocumentHash` to the same parties, kind and form; records `supersededBy(oldId)`.
    /// @return newId The new title's id, `uint256(newDocumentHash)`.
    function amend(uint256 oldId, bytes32 newDocumentHash, bytes calldata remark) external returns (uint256 newId);

    // ------------------------------------------------------------------------------------------------- parties

    /// @notice The holder passes possession to `newHolder`. On a blank-endorsed bill the title goes with it.
    function transferHolder(uint256 id, address newHolder, bytes calldata remark) external;

    /// @notice The beneficiary of a to-order bill names the next beneficiary; `address(0)` cancels the nomination.
    function nominate(uint256 id, address nominee, bytes calldata remark) external;

    /// @notice The holder endorses a to-order bill to the nominee (to anyone if the holder is the beneficiary).
    function transferBeneficiary(uint256 id, address newBeneficiary, bytes calldata remark) external;

    /// @notice The holder endorses to `newBeneficiary` (as in {transferBeneficiary}) and passes possession to
    /// `newHolder` at once.
    function transferOwners(uint256 id, address newBeneficiary, address newHolder, bytes calldata remark) external;

    /// @notice The owner (holder and beneficiary) of a to-order bill endorses it in blank (to bearer).
    function endorseInBlank(uint256 id, bytes calldata remark) external;

    /// @notice The holder returns possession to `previousHolder`, rejecting the last holder transfer before acting.
    function rejectTransferHolder(uint256 id, address previousHolder, bytes calldata remark) external;

    /// @notice The beneficiary returns title to `previousBeneficiary`, rejecting the last endorsement before acting.
    function rejectTransferBeneficiary(uint256 id, address previousBeneficiary, bytes calldata remark) external;

    /// @notice A party that received both roles rejects both transfers at once.
    function rejectTransferOwners(
        uint256 id,
        address previousBeneficiary,
        address previousHolder,
        bytes calldata remark
    ) external;

    /// @notice The owner (holder and beneficiary; for a blank-endorsed bill the holder) surrenders the bill to the
    /// issuer. Nothing moves it while the surrender is pending.
    function surrender(uint256 id, SurrenderReason reason, bytes calldata remark) external;

    // ----------------------------------------------------------------------------- EIP-712 signed, relayed by anyone

    // A signature carries its signer's next nonce ({nonces}) and is used once: nonces are consumed in order, one
    // per relayed signature. A signer cancels signatures it handed out and no longer wants relayed with
    // {invalidateNonces}.

    /// @notice {transferHolder} signed by `holder` over `TransferHolder(uint256 id,address holder,address newHolder,
    /// bytes remark,uint256 nonce,uint256 deadline)`.
    function transferHolderWithSig(
        uint256 id,
        address holder,
        address newHolder,
        bytes calldata remark,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice {transferBeneficiary} signed by `holder` over `TransferBeneficiary(uint256 id,address holder,
    /// address newBeneficiary,bytes remark,uint256 nonce,uint256 deadline)`.
    function transferBeneficiaryWithSig(
        uint256 id,
        address holder,
        address newBeneficiary,
        bytes calldata remark,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice {nominate} signed by `beneficiary` over `Nominate(uint256 id,address beneficiary,address nominee,
    /// bytes remark,uint256 nonce,uint256 deadline)`.
    function nominateWithSig(
        uint256 id,
        address beneficiary,
        address nominee,
        bytes calldata remark,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The caller (a signer) cancels every signature of its own with a nonce below `newNonce` not yet relayed:
    /// its next nonce becomes `newNonce`, and relaying such a signature reverts {TitleNonceUsed}. Sign again with
    /// the new next nonce. Works while paused (it moves no title). Reverts {TitleNonceNotIncreased} unless
    /// `newNonce` is above the caller's next nonce: nonces never go back, so a cancelled signature stays cancelled.
    /// Emits {NoncesInvalidated}.
    function invalidateNonces(uint256 newNonce) external;

    /// @notice `signer`'s next nonce: the one its next signature must carry.
    function nonces(address signer) external view returns (uint256);

    /// @notice The EIP-712 domain separator (name "TitleRegistry", version "1", chain id, this registry).
    function DOMAIN_SEPARATOR() external view returns (bytes32); // solhint-disable-line func-name-mixedcase

    // ------------------------------------------------------------------------------------------------- encumbrance

    /// @notice The owner locks title `id` in favour of `locker` (which must hold LOCKER_ROLE), then calls
    /// `ITitleLocker(locker).onTitleEncumbered(msg.sender, id, data)`.
    function encumber(uint256 id, address locker, bytes calldata data) external;

    /// @notice The locker lifts its encumbrance.
    function release(uint256 id, bytes calldata remark) external;

    /// @notice The locker moves the encumbered title to `newBeneficiary` and `newHolder` (an unchanged party stays)
    /// and keeps or lifts the lock.
    function transferEncumbered(
        uint256 id,
        address newBeneficiary,
        address newHolder,
        bool keepLocked,
        bytes calldata remark
    ) external;

    /// @notice The locker of `id`, or zero when unencumbered.
    function lockerOf(uint256 id) external view returns (address);

    // ------------------------------------------------------------------------------------------------- admin

    /// @notice Blocks every title operation (PAUSER_ROLE).
    function pause() external;

    /// @notice Lifts {pause} (PAUSER_ROLE).
    function unpause() external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice The state of title `id` (all zero if never issued).
    function title(uint256 id) external view returns (Title memory);

    /// @notice The hash of the transport document behind `id`; reverts {TitleNotIssued} if never issued.
    function documentHash(uint256 id) external view returns (bytes32);

    /// @notice The shipped-on-board date of `id` (unix seconds), 0 if received for shipment or never issued.
    function shippedOnBoardDate(uint256 id) external view returns (uint64);

    /// @notice The title that replaced `id` by amendment, or zero.
    function supersededBy(uint256 id) external view returns (uint256);

    /// @notice Whether `account` is the pending nominee of `id`.
    function isNominee(uint256 id, address account) external view returns (bool);

    /// @notice Whether {balanceOf} is maintained (a constructor choice; IERC721 is reported only then).
    function tracksBalances() external view returns (bool);
}
