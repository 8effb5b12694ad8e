// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ITitleLocker} from "../interfaces/ITitleLocker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {PackedHolder, PackedTitle, TitlePacking} from "./TitlePacking.sol";
import {TitleCore} from "./TitleCore.sol";
import {TitleERC721} from "./TitleERC721.sol";
import {TitleSignatures} from "./TitleSignatures.sol";

/// @title TitleRegistry
/// @notice Electronic bill of lading title registry of one issuer (carrier): one token per bill, id = the hash of
/// the transport document.
/// @dev Invariants:
///  - a live title (Active or surrender pending) has exactly one holder and one beneficiary, both nonzero; a
///    blank-endorsed title has beneficiary == holder;
///  - a document hash is issued once: an id never returns to status None;
///  - an accomplished or voided bill never moves again;
///  - a surrendered bill moves only by the issuer's decision;
///  - an encumbered bill moves only by its locker;
///  - a reject window lets the last receiver of a role return it one step, until that receiver acts.
/// Roles (OZ AccessControlDefaultAdminRules, two-step admin handover): ISSUER_ROLE issues and decides surrenders,
/// PAUSER_ROLE pauses every title operation, LOCKER_ROLE marks contracts that may take encumbrances.
contract TitleRegistry is AccessControlDefaultAdminRules, TitleERC721, TitleSignatures {
    using TitlePacking for PackedTitle;
    using TitlePacking for PackedHolder;

    /// @notice Issues titles, decides surrenders, amends.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice Pauses and unpauses every title operation.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Marks contracts (escrow, loan, bridge) that may take an encumbrance.
    bytes32 public constant LOCKER_ROLE = keccak256("LOCKER_ROLE");

    /// @notice A registry of titles whose roles start with `admin`.
    /// @param name_ ERC-721 name.
    /// @param symbol_ ERC-721 symbol.
    /// @param admin The first default admin (grants the other roles).
    /// @param adminDelay Delay of a default admin handover, in seconds (may be 0).
    /// @param trackBalances Whether to maintain ERC-721 balances (costs gas on every change of beneficiary).
    constructor(
        string memory name_,
        string memory symbol_,
        address admin,
        uint48 adminDelay,
        bool trackBalances
    ) TitleCore(trackBalances) TitleERC721(name_, symbol_) AccessControlDefaultAdminRules(adminDelay, admin) {}

    // ---------------------------------------------------------------------------------------------------- issuer

    /// @inheritdoc ITitleRegistry
    function issue(
        bytes32 documentHash_,
        address beneficiary,
        address holder,
        DocumentKind kind,
        ConsignmentForm form,
        uint64 shippedOnBoardDate_,
        bytes calldata remark
    ) external whenNotPaused onlyRole(ISSUER_ROLE) returns (uint256 id) {
        id = uint256(documentHash_);
        _issue(id, beneficiary, holder, kind, form, shippedOnBoardDate_, remark);
    }

    /// @inheritdoc ITitleRegistry
    function acceptSurrender(uint256 id, bytes calldata remark) external whenNotPaused onlyRole(ISSUER_ROLE) {
        _checkRemark(remark);
        PackedTitle t = _surrenderedTitle(id);
        Status outcome = t.status() == Status.SurrenderPendingDelivery ? Status.Accomplished : Status.Voided;
        _setTitle(id, t.withStatus(outcome));
        _burned(id, t.beneficiary(), outcome, remark);
    }

    /// @inheritdoc ITitleRegistry
    function rejectSurrender(uint256 id, bytes calldata remark) external whenNotPaused onlyRole(ISSUER_ROLE) {
        _checkRemark(remark);
        PackedTitle t = _surrenderedTitle(id);
        _setTitle(id, t.withStatus(Status.Active));
        emit SurrenderRejected(id, t.beneficiary(), remark);
    }

    /// @inheritdoc ITitleRegistry
    function amend(
        uint256 oldId,
        bytes32 newDocumentHash,
        bytes calldata remark
    ) external whenNotPaused onlyRole(ISSUER_ROLE) returns (uint256 newId) {
        _checkRemark(remark);
        PackedTitle t = _titleOf(oldId);
        Status status = t.status();
        if (status == Status.SurrenderPendingAmendment) {
            _setTitle(oldId, t.withStatus(Status.Voided));
            _burned(oldId, t.beneficiary(), Status.Voided, remark);
        } else if (status != Status.Voided) {
            _requireIssued(oldId, status);
            revert TitleNotAmendable(oldId, status);
        } else if (_supersededByOf(oldId) != 0) {
            revert TitleAlreadySuperseded(oldId, _supersededByOf(oldId));
        }
        newId = uint256(newDocumentHash);
        PackedHolder h = _holderOf(oldId);
        _issue(newId, t.beneficiary(), h.holder(), t.kind(), t.form(), h.shippedOnBoard(), remark);
        _setSupersededBy(oldId, newId);
        emit TitleAmended(oldId, newId, remark);
    }

    // --------------------------------------------------------------------------------------------------- parties

    /// @inheritdoc ITitleRegistry
    function transferHolder(uint256 id, address newHolder, bytes calldata remark) external whenNotPaused {
        _transferHolder(id, msg.sender, newHolder, remark);
    }

    /// @inheritdoc ITitleRegistry
    function nominate(uint256 id, address nominee, bytes calldata remark) external whenNotPaused {
        _nominate(id, msg.sender, nominee, remark);
    }

    /// @inheritdoc ITitleRegistry
    function transferBeneficiary(uint256 id, address newBeneficiary, bytes calldata remark) external whenNotPaused {
        _transferBeneficiary(id, msg.sender, newBeneficiary, remark);
    }

    /// @inheritdoc ITitleRegistry
    function transferOwners(
        uint256 id,
        address newBeneficiary,
        address newHolder,
        bytes calldata remark
    ) external whenNotPaused {
        _checkRemark(remark);
        if (newHolder == address(0)) revert TitleZeroAddress();
        PackedTitle t = _activeTitle(id);
        PackedHolder h = _holderOf(id);
        address holder = h.holder();
        if (msg.sender != holder) revert TitleNotHolder(id, msg.sender);
        if (newHolder == holder) revert TitleAlreadyHolder(id, newHolder);
        address beneficiary = _checkEndorsement(id, t, newBeneficiary);
        t = _endorsed(t, newBeneficiary, newHolder, holder, beneficiary, id);
        _setTitle(id, t.set(TitlePacking.HOLDER_REJECTABLE));
        _setHolder(id, h.withHolder(newHolder, holder, id));
        _beneficiaryChanged(id, beneficiary, newBeneficiary, remark);
        emit HolderTransferred(id, holder, newHolder, remark);
    }

    /// @inheritdoc ITitleRegistry
    function endorseInBlank(uint256 id, bytes calldata remark) external whenNotPaused {
        _checkRemark(remark);
        PackedTitle t = _activeTitle(id);
        _requireToOrder(id, t);
        _requireOwner(id, t, msg.sender);
        _setTitle(id, t.withForm(ConsignmentForm.BlankEndorsed).clear(TitlePacking.WINDOWS));
        emit EndorsedInBlank(id, msg.sender, remark);
    }

    /// @inheritdoc ITitleRegistry
    function rejectTransferHolder(uint256 id, address previousHolder, bytes calldata remark) external whenNotPaused {
        _checkRemark(remark);
        PackedTitle t = _activeTitle(id);
        PackedHolder h = _holderOf(id);
        if (msg.sender != h.holder()) revert TitleNotHolder(id, msg.sender);
        // On a bearer bill the title went with possession, and comes back with it.
        bool blank = t.isBlankEndorsed();
        if (t.has(TitlePacking.DUAL_ROLE) && !blank) revert TitleDualRoleRejectionRequired(id);
        _requireHolderWindow(id, t, h, previousHolder);
        address newBeneficiary = blank ? previousHolder : t.beneficiary();
        _setTitle(id, t.withParties(newBeneficiary, previousHolder).clear(TitlePacking.HOLDER_REJECTABLE));
        _setHolder(id, h.withHolder(previousHolder, address(0), id));
        if (blank) _beneficiaryRejected(id, msg.sender, previousHolder, remark);
        emit HolderTransferRejected(id, msg.sender, previousHolder, remark);
    }

    /// @inheritdoc ITitleRegistry
    function rejectTransferBeneficiary(
        uint256 id,
        address previousBeneficiary,
        bytes calldata remark
    ) external whenNotPaused {
        _checkRemark(remark);
        PackedTitle t = _activeTitle(id);
        if (msg.sender != t.beneficiary()) revert TitleNotBeneficiary(id, msg.sender);
        if (t.has(TitlePacking.DUAL_ROLE)) revert TitleDualRoleRejectionRequired(id);
        _requireBeneficiaryWindow(id, t, previousBeneficiary);
        address holder = _holderOf(id).holder();
        _setTitle(id, t.withParties(previousBeneficiary, holder).clear(TitlePacking.BENEFICIARY_REJECTABLE));
        _beneficiaryRejected(id, msg.sender, previousBeneficiary, remark);
    }

    /// @inheritdoc ITitleRegistry
    function rejectTransferOwners(
        uint256 id,
        address previousBeneficiary,
        address previousHolder,
        bytes calldata remark
    ) external whenNotPaused {
        _checkRemark(remark);
        PackedTitle t = _activeTitle(id);
        _requireOwner(id, t, msg.sender);
        _requireBeneficiaryWindow(id, t, previousBeneficiary);
        PackedHolder h = _holderOf(id);
        _requireHolderWindow(id, t, h, previousHolder);
        _setTitle(id, t.withParties(previousBeneficiary, previousHolder).clear(TitlePacking.WINDOWS));
        _setHolder(id, h.withHolder(previousHolder, address(0), id));
        _beneficiaryRejected(id, msg.sender, previousBeneficiary, remark);
        emit HolderTransferRejected(id, msg.sender, previousHolder, remark);
    }

    /// @inheritdoc ITitleRegistry
    /// @dev Straight: the named consignee holding the bill; to order: the endorsee holding it; blank-endorsed: the
    /// holder, who is the beneficiary. All three are "caller == beneficiary == holder".
    function surrender(uint256 id, SurrenderReason reason, bytes calldata remark) external whenNotPaused {
        _checkRemark(remark);
        PackedTitle t = _activeTitle(id);
        _requireOwner(id, t, msg.sender);
        Status pending = reason == SurrenderReason.Delivery
            ? Status.SurrenderPendingDelivery
            : Status.SurrenderPendingAmendment;
        // The owner acts: every window ends, and a pending nomination lapses.
        _setTitle(id, t.withStatus(pending).clear(TitlePacking.WINDOWS));
        emit SurrenderRequested(id, msg.sender, reason, remark);
    }

    // ----------------------------------------------------------------------------------------------- encumbrance

    /// @inheritdoc ITitleRegistry
    function encumber(uint256 id, address locker, bytes calldata data) external whenNotPaused {
        PackedTitle t = _titleOf(id);
        if (t.status() != Status.Active) _revertNotActive(id, t.status());
        if (t.has(TitlePacking.ENCUMBERED)) revert TitleAlreadyEncumbered(id, _lockerOf(id));
        _requireOwner(id, t, msg.sender);
        if (!hasRole(LOCKER_ROLE, locker)) revert TitleLockerUnauthorized(locker);
        if (locker.code.length == 0) revert TitleLockerRejected(id, locker);
        // Effects before the (only) external call; the owner acted, so every window ends.
        _setTitle(id, t.set(TitlePacking.ENCUMBERED).clear(TitlePacking.WINDOWS));
        _setLocker(id, locker);
        emit TitleLocked(id, msg.sender, locker);
        bytes4 accepted = ITitleLocker(locker).onTitleEncumbered(msg.sender, id, data);
        if (accepted != ITitleLocker.onTitleEncumbered.selector) revert TitleLockerRejected(id, locker);
    }

    /// @inheritdoc ITitleRegistry
    function release(uint256 id, bytes calldata remark) external whenNotPaused {
        _checkRemark(remark);
        PackedTitle t = _titleLockedBy(id, msg.sender);
        _setTitle(id, t.clear(TitlePacking.ENCUMBERED));
        _setLocker(id, address(0));
        emit TitleUnlocked(id, msg.sender, remark);
    }

    /// @inheritdoc ITitleRegistry
    /// @dev The kind and form still rule: a straight bill or sea waybill keeps its beneficiary, a blank-endorsed
    /// bill keeps beneficiary == holder. A locker's move opens no reject window.
    function transferEncumbered(
        uint256 id,
        address newBeneficiary,
        address newHolder,
        bool keepLocked,
        bytes calldata remark
    ) external whenNotPaused {
        _checkRemark(remark);
        if (newBeneficiary == address(0) || newHolder == address(0)) revert TitleZeroAddress();
        PackedTitle t = _titleLockedBy(id, msg.sender);
        address beneficiary = t.beneficiary();
        PackedHolder h = _holderOf(id);
        address holder = h.holder();
        if (t.isBlankEndorsed()) {
            if (newBeneficiary != newHolder) revert TitleBlankEndorsedPartiesDiffer(newBeneficiary, newHolder);
        } else if (newBeneficiary != beneficiary) {
            _requireToOrder(id, t);
        }
        t = t.withParties(newBeneficiary, newHolder).clear(TitlePacking.WINDOWS);
        _setTitle(id, keepLocked ? t : t.clear(TitlePacking.ENCUMBERED));
        if (newHolder != holder) _setHolder(id, h.withHolder(newHolder, address(0), id));
        if (!keepLocked) _setLocker(id, address(0));
        if (newBeneficiary != beneficiary) _beneficiaryChanged(id, beneficiary, newBeneficiary, remark);
        if (newHolder != holder) emit HolderTransferred(id, holder, newHolder, remark);
        if (!keepLocked) emit TitleUnlocked(id, msg.sender, remark);
    }

    // ----------------------------------------------------------------------------------------------------- admin

    /// @inheritdoc ITitleRegistry
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ITitleRegistry
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc IERC165
    /// @dev ERC-721 Metadata, this registry's interface and the access-control interfaces always; IERC721 only when
    /// balances are tracked (otherwise {balanceOf} reverts).
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(AccessControlDefaultAdminRules, IERC165) returns (bool) {
        if (interfaceId == type(IERC721).interfaceId) return _tracksBalances();
        return
            interfaceId == type(IERC721Metadata).interfaceId ||
            interfaceId == type(ITitleRegistry).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    // --------------------------------------------------------------------------------------------------- private

    /// @dev `caller` owns `t`: it is the beneficiary and, by DUAL_ROLE, the holder as well.
    function _requireOwner(uint256 id, PackedTitle t, address caller) private pure {
        if (caller != t.beneficiary()) revert TitleNotBeneficiary(id, caller);
        if (!t.has(TitlePacking.DUAL_ROLE)) revert TitleNotHolder(id, caller);
    }

    function _requireHolderWindow(uint256 id, PackedTitle t, PackedHolder h, address previous) private pure {
        if (!t.has(TitlePacking.HOLDER_REJECTABLE) || !h.previousHolderIs(previous, id)) {
            revert TitleNoRejectableTransfer(id, previous);
        }
    }

    function _requireBeneficiaryWindow(uint256 id, PackedTitle t, address previous) private pure {
        if (!t.has(TitlePacking.BENEFICIARY_REJECTABLE) || !t.tagIs(previous, id)) {
            revert TitleNoRejectableTransfer(id, previous);
        }
    }

    /// @dev Slot A of `id`, which must be awaiting the issuer's decision on a surrender. An id never issued reverts
    /// {TitleNotIssued}, checked only on the failing branch.
    function _surrenderedTitle(uint256 id) private view returns (PackedTitle t) {
        t = _titleOf(id);
        Status status = t.status();
        if (status != Status.SurrenderPendingDelivery && status != Status.SurrenderPendingAmendment) {
            _requireIssued(id, status);
            revert TitleNotSurrendered(id, status);
        }
    }

    /// @dev Slot A of `id`, which `caller` must hold encumbered. An id never issued (never encumbered either)
    /// reverts {TitleNotIssued}, checked only on the failing branch.
    function _titleLockedBy(uint256 id, address caller) private view returns (PackedTitle t) {
        t = _titleOf(id);
        if (!t.has(TitlePacking.ENCUMBERED) || _lockerOf(id) != caller) {
            _requireIssued(id, t.status());
            revert TitleNotLocker(id, caller);
        }
    }

    /// @dev Bookkeeping and events of a title leaving circulation after an accepted surrender.
    function _burned(uint256 id, address surrenderer, Status outcome, bytes calldata remark) private {
        _moveBalance(surrenderer, address(0));
        emit Transfer(surrenderer, address(0), id);
        emit SurrenderAccepted(id, surrenderer, outcome, remark);
    }

    /// @dev Bookkeeping and events of a beneficiary `from` returning the title to `to`.
    function _beneficiaryRejected(uint256 id, address from, address to, bytes calldata remark) private {
        _moveBalance(from, to);
        emit Transfer(from, to, id);
        emit BeneficiaryTransferRejected(id, from, to, remark);
    }
}
