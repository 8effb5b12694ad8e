// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IDocumentaryCollection} from "../interfaces/IDocumentaryCollection.sol";
import {ITitleLocker} from "../interfaces/ITitleLocker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";

/// @title DocumentaryCollection
/// @notice Documentary collections (ICC URC 522) with an electronic bill of lading, settled in any ERC-20 that
/// reverts on failure and takes no fee. Needs LOCKER_ROLE on each title registry whose bills it collects.
/// @dev Invariants:
///  - Presented -> Paid (D/P) | Accepted (D/A) | Refused | Returned; Refused -> Returned;
///    Accepted -> Honoured | Dishonoured; Paid, Honoured, Dishonoured and Returned are final;
///  - the bill is encumbered to this contract exactly while the collection is Presented or Refused, and leaves it
///    once: to the drawee (paid or accepted) or back to the remitter (returned);
///  - D/P: the title passes only in the transaction in which the full amount goes from drawee to drawer;
///  - the amount of a collection is paid at most once, to the drawer (D/P) or the draft holder (D/A);
///  - D/A: the drawee can honour an accepted draft from maturity until it is dishonoured, and it cannot be dishonoured
///    until after maturity + DISHONOUR_GRACE: for that long, paying at maturity cannot be overtaken by a protest;
///  - this contract never holds tokens: every payment goes straight from payer to payee.
/// Every state change happens before the external calls of its transaction (checks-effects-interactions), and
/// every entry point is `nonReentrant`.
contract DocumentaryCollection is ReentrancyGuard, IDocumentaryCollection {
    using SafeERC20 for IERC20;

    /// @notice Longest D/A tenor, in seconds (ten years of 365 days).
    uint64 public constant MAX_TENOR = 3650 days;
    /// @notice D/A: seconds after maturity during which the accepted draft can be honoured but not yet dishonoured
    /// (one day). A drawee who pays at maturity is not outrun by a protest mined first: protest for non-payment
    /// follows the day of payment (Geneva Uniform Law on Bills of Exchange, art. 44: on one of the two business days
    /// after it). URC 522 art. 24 leaves protest to the collection instruction and sets no time for it.
    uint64 public constant DISHONOUR_GRACE = 1 days;
    /// @notice Longest refusal reason or protest, in bytes.
    uint256 public constant MAX_REMARK_LENGTH = 256;

    /// @dev `abi.encode(Instruction)`: ten static words.
    uint256 private constant _INSTRUCTION_LENGTH = 10 * 32;

    uint256 private _collectionCount;
    mapping(uint256 collectionId => Collection collection) private _collections;

    // ------------------------------------------------------------------------------------------------- lodging

    /// @inheritdoc ITitleLocker
    /// @dev Lodging: `data` is `abi.encode(Instruction)`; `operator`, the bill's owner, becomes the remitter. Emits
    /// {CollectionLodged} with the new collection id.
    function onTitleEncumbered(address operator, uint256 id, bytes calldata data) external nonReentrant returns (bytes4) {
        if (data.length != _INSTRUCTION_LENGTH) revert CollectionMalformedInstruction(data.length);
        Instruction memory ins = abi.decode(data, (Instruction));
        _checkInstruction(ins, operator);
        ITitleRegistry registry = ITitleRegistry(msg.sender);
        ITitleRegistry.Title memory bill = registry.title(id);
        if (
            bill.kind != ITitleRegistry.DocumentKind.NegotiableBillOfLading ||
            bill.form == ITitleRegistry.ConsignmentForm.Straight
        ) revert CollectionBillNotNegotiable(id, bill.kind, bill.form);
        uint256 collectionId;
        // unchecked: one id per lodging transaction; 2**256 transactions cannot happen.
        unchecked {
            collectionId = ++_collectionCount;
        }
        bool acceptance = ins.terms == CollectionTerms.DocumentsAgainstAcceptance;
        _collections[collectionId] = Collection({
            remitter: operator,
            status: CollectionStatus.Presented,
            lodgedAt: uint64(block.timestamp),
            maturity: 0,
            draftHolder: acceptance ? ins.drawer : address(0),
            registry: registry,
            billId: id,
            instruction: ins
        });
        emit CollectionLodged(collectionId, operator, ins.drawee, registry, id, ins);
        return ITitleLocker.onTitleEncumbered.selector;
    }

    // ------------------------------------------------------------------------------------------------- drawee

    /// @inheritdoc IDocumentaryCollection
    function pay(uint256 collectionId) external nonReentrant {
        Collection storage c = _presentedToCaller(collectionId, CollectionTerms.DocumentsAgainstPayment);
        Instruction storage ins = c.instruction;
        address drawee = ins.drawee;
        c.status = CollectionStatus.Paid;
        emit CollectionPaid(collectionId, drawee, ins.drawer, ins.amount);
        c.registry.transferEncumbered(c.billId, drawee, drawee, false, "");
        ins.token.safeTransferFrom(msg.sender, ins.drawer, ins.amount); // msg.sender is the drawee (checked)
    }

    /// @inheritdoc IDocumentaryCollection
    function accept(uint256 collectionId) external nonReentrant {
        Collection storage c = _presentedToCaller(collectionId, CollectionTerms.DocumentsAgainstAcceptance);
        Instruction storage ins = c.instruction;
        address drawee = ins.drawee;
        // No overflow: the tenor is at most MAX_TENOR (checked at lodging), so now + tenor fits in uint64 for
        // billions of years; checked arithmetic would revert anyway.
        uint64 maturity = ins.maturity != 0 ? ins.maturity : uint64(block.timestamp) + ins.tenor;
        c.status = CollectionStatus.Accepted;
        c.maturity = maturity;
        emit CollectionAccepted(collectionId, drawee, c.draftHolder, ins.amount, maturity);
        c.registry.transferEncumbered(c.billId, drawee, drawee, false, "");
    }

    /// @inheritdoc IDocumentaryCollection
    function refuse(uint256 collectionId, bytes calldata reason) external nonReentrant {
        _checkRemark(reason);
        Collection storage c = _existing(collectionId);
        if (c.status != CollectionStatus.Presented) revert CollectionNotPresented(collectionId, c.status);
        if (msg.sender != c.instruction.drawee) revert CollectionNotDrawee(collectionId, msg.sender);
        c.status = CollectionStatus.Refused;
        emit CollectionRefused(collectionId, msg.sender, reason);
    }

    /// @inheritdoc IDocumentaryCollection
    function honour(uint256 collectionId) external nonReentrant {
        Collection storage c = _accepted(collectionId);
        Instruction storage ins = c.instruction;
        address drawee = ins.drawee;
        if (msg.sender != drawee) revert CollectionNotDrawee(collectionId, msg.sender);
        // Maturity is a date: honouring a few seconds early or late changes nothing material.
        // slither-disable-next-line timestamp
        if (block.timestamp < c.maturity) revert CollectionNotMatured(collectionId, c.maturity);
        address holder = c.draftHolder;
        c.status = CollectionStatus.Honoured;
        emit CollectionHonoured(collectionId, drawee, holder, ins.amount);
        ins.token.safeTransferFrom(msg.sender, holder, ins.amount); // msg.sender is the drawee (checked)
    }

    // ------------------------------------------------------------------------------------------------- remitting side

    /// @inheritdoc IDocumentaryCollection
    function transferDraft(uint256 collectionId, address newHolder) external nonReentrant {
        Collection storage c = _accepted(collectionId);
        address holder = c.draftHolder;
        if (msg.sender != holder) revert CollectionNotDraftHolder(collectionId, msg.sender);
        if (newHolder == address(0)) revert CollectionZeroAddress();
        if (newHolder == holder) revert CollectionAlreadyDraftHolder(collectionId, newHolder);
        c.draftHolder = newHolder;
        emit CollectionDraftTransferred(collectionId, holder, newHolder);
    }

    /// @inheritdoc IDocumentaryCollection
    function dishonour(uint256 collectionId, bytes calldata protest) external nonReentrant {
        _checkRemark(protest);
        Collection storage c = _accepted(collectionId);
        Instruction storage ins = c.instruction;
        address holder = c.draftHolder;
        address bank = ins.collectingBank;
        if (msg.sender != holder && (bank == address(0) || msg.sender != bank)) {
            revert CollectionNotDraftHolder(collectionId, msg.sender);
        }
        // In uint256: a fixed maturity may be near the top of uint64 (that draft is then never overdue).
        uint256 graceEnd = uint256(c.maturity) + DISHONOUR_GRACE;
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // The grace is a day: protesting a few seconds early or late changes nothing material.
        // slither-disable-next-line timestamp
        if (block.timestamp <= graceEnd) revert CollectionDishonourTooEarly(collectionId, graceEnd); // solhint-disable-line gas-strict-inequalities
        c.status = CollectionStatus.Dishonoured;
        emit CollectionDishonoured(collectionId, ins.drawee, holder, msg.sender, ins.amount, c.maturity, protest);
    }

    /// @inheritdoc IDocumentaryCollection
    function returnDocuments(uint256 collectionId, bytes calldata remark) external nonReentrant {
        Collection storage c = _existing(collectionId);
        address remitter = c.remitter;
        address bank = c.instruction.collectingBank;
        if (msg.sender != remitter && (bank == address(0) || msg.sender != bank)) {
            revert CollectionNotRemitter(collectionId, msg.sender);
        }
        CollectionStatus status = c.status;
        uint64 deadline = c.instruction.presentationDeadline;
        // The presentation deadline is a date: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        bool lapsed = status == CollectionStatus.Presented && block.timestamp > deadline;
        if (status != CollectionStatus.Refused && !lapsed) {
            revert CollectionNotReturnable(collectionId, status, deadline);
        }
        c.status = CollectionStatus.Returned;
        emit CollectionReturned(collectionId, remitter, msg.sender, remark);
        c.registry.release(c.billId, remark);
    }

    // ------------------------------------------------------------------------------------------------- views

    /// @inheritdoc IDocumentaryCollection
    function collection(uint256 collectionId) external view returns (Collection memory) {
        return _collections[collectionId];
    }

    /// @inheritdoc IDocumentaryCollection
    function collectionCount() external view returns (uint256) {
        return _collectionCount;
    }

    // ------------------------------------------------------------------------------------------------- private

    /// @dev URC 522 art. 4 and 7: a complete instruction, D/P at sight, D/A with one tenor or maturity.
    function _checkInstruction(Instruction memory ins, address remitter) private view {
        if (ins.drawer == address(0) || ins.drawee == address(0) || address(ins.token) == address(0)) {
            revert CollectionZeroAddress();
        }
        if (ins.amount == 0) revert CollectionZeroAmount();
        if (ins.drawee == ins.drawer || ins.drawee == remitter) revert CollectionInvalidDrawee(ins.drawee);
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // Only rejects deadlines already past; a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (ins.presentationDeadline <= block.timestamp) { // solhint-disable-line gas-strict-inequalities
            revert CollectionInvalidDeadline(ins.presentationDeadline, block.timestamp);
        }
        if (ins.terms == CollectionTerms.DocumentsAgainstPayment) {
            if (ins.tenor != 0 || ins.maturity != 0) revert CollectionInvalidTenor(ins.terms, ins.tenor, ins.maturity);
        } else {
            if ((ins.tenor == 0) == (ins.maturity == 0) || ins.tenor > MAX_TENOR) {
                revert CollectionInvalidTenor(ins.terms, ins.tenor, ins.maturity);
            }
            // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
            if (ins.maturity != 0 && ins.maturity <= ins.presentationDeadline) { // solhint-disable-line gas-strict-inequalities
                revert CollectionInvalidMaturity(ins.maturity, ins.presentationDeadline);
            }
        }
    }

    function _existing(uint256 collectionId) private view returns (Collection storage c) {
        c = _collections[collectionId];
        if (c.status == CollectionStatus.None) revert CollectionNotFound(collectionId);
    }

    /// @dev A presented collection on `terms`, called by its drawee before the presentation deadline.
    function _presentedToCaller(
        uint256 collectionId,
        CollectionTerms terms
    ) private view returns (Collection storage c) {
        c = _existing(collectionId);
        if (c.status != CollectionStatus.Presented) revert CollectionNotPresented(collectionId, c.status);
        Instruction storage ins = c.instruction;
        if (msg.sender != ins.drawee) revert CollectionNotDrawee(collectionId, msg.sender);
        if (ins.terms != terms) revert CollectionWrongTerms(collectionId, ins.terms);
        // The presentation deadline is a date: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > ins.presentationDeadline) {
            revert CollectionPresentationExpired(collectionId, ins.presentationDeadline);
        }
    }

    function _accepted(uint256 collectionId) private view returns (Collection storage c) {
        c = _existing(collectionId);
        if (c.status != CollectionStatus.Accepted) revert CollectionNotAccepted(collectionId, c.status);
    }

    function _checkRemark(bytes calldata remark) private pure {
        if (remark.length > MAX_REMARK_LENGTH) revert CollectionRemarkTooLong(remark.length, MAX_REMARK_LENGTH);
    }
}
