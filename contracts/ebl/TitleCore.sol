// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {PackedHolder, PackedTitle, TitlePacking} from "./TitlePacking.sol";

/// @title TitleCore
/// @notice Storage of the title registry and the operations that both direct and EIP-712 signed calls reach.
/// @dev Storage per title: slot A (`_titles`) and slot B (`_holders`), see {TitlePacking}; the locker address only
/// while encumbered; `supersededBy` only after an amendment; per-owner balances only if tracked. Functions that
/// take a `caller` act for that party; the external entry points decide who it is (msg.sender or a signer).
abstract contract TitleCore is Pausable, ITitleRegistry {
    using TitlePacking for PackedTitle;
    using TitlePacking for PackedHolder;

    /// @notice Longest remark, in bytes.
    uint256 public constant MAX_REMARK_LENGTH = 256;

    /// @dev Whether `_balances` is maintained (the gas of a balance on every change of beneficiary is optional).
    bool private immutable _TRACK_BALANCES;

    mapping(uint256 id => PackedTitle record) private _titles;
    mapping(uint256 id => PackedHolder record) private _holders;
    mapping(uint256 id => address locker) private _lockers;
    mapping(uint256 oldId => uint256 newId) private _supersededBy;
    mapping(address owner => uint256 liveTitles) private _balances;

    constructor(bool trackBalances) {
        _TRACK_BALANCES = trackBalances;
    }

    // ------------------------------------------------------------------------------ operations for a given party

    /// @dev Issues title `id`; the caller checked the issuer role.
    function _issue(
        uint256 id,
        address beneficiary,
        address holder,
        DocumentKind kind,
        ConsignmentForm form,
        uint64 shippedOnBoard,
        bytes calldata remark
    ) internal {
        _checkRemark(remark);
        if (id == 0) revert TitleZeroDocumentHash();
        // Only rejects on-board dates in the future; a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (shippedOnBoard > block.timestamp) revert TitleInvalidShipmentDate(shippedOnBoard);
        if (beneficiary == address(0) || holder == address(0)) revert TitleZeroAddress();
        if (kind == DocumentKind.SeaWaybill && form != ConsignmentForm.Straight) {
            revert TitleInvalidConsignment(kind, form);
        }
        if (form == ConsignmentForm.BlankEndorsed && beneficiary != holder) {
            revert TitleBlankEndorsedPartiesDiffer(beneficiary, holder);
        }
        if (_titles[id].status() != Status.None) revert TitleAlreadyIssued(id);
        _titles[id] = TitlePacking.create(beneficiary, holder, kind, form);
        // The date fits: it is at most block.timestamp, far below 2**32 until the year 2106.
        _holders[id] = TitlePacking.createHolder(holder, uint32(shippedOnBoard));
        _moveBalance(address(0), beneficiary);
        emit Transfer(address(0), beneficiary, id);
        emit TitleIssued(id, beneficiary, holder, kind, form, remark);
    }

    /// @dev `caller` (the holder) passes possession; on a blank-endorsed bill the title goes with it.
    function _transferHolder(uint256 id, address caller, address newHolder, bytes calldata remark) internal {
        _checkRemark(remark);
        if (newHolder == address(0)) revert TitleZeroAddress();
        PackedTitle t = _activeTitle(id);
        PackedHolder h = _holders[id];
        address holder = h.holder();
        if (caller != holder) revert TitleNotHolder(id, caller);
        if (newHolder == holder) revert TitleAlreadyHolder(id, newHolder);
        address beneficiary = t.beneficiary();
        address newBeneficiary = t.isBlankEndorsed() ? newHolder : beneficiary;
        // The holder acts: its own window ends and the receiver's opens. If it is the beneficiary as well, its
        // window to reject the last endorsement ends too.
        if (t.has(TitlePacking.DUAL_ROLE)) t = t.clear(TitlePacking.BENEFICIARY_REJECTABLE);
        _titles[id] = t.withParties(newBeneficiary, newHolder).set(TitlePacking.HOLDER_REJECTABLE);
        _holders[id] = h.withHolder(newHolder, holder, id);
        if (newBeneficiary != beneficiary) _beneficiaryChanged(id, beneficiary, newBeneficiary, remark);
        emit HolderTransferred(id, holder, newHolder, remark);
    }

    /// @dev `caller` (the beneficiary) nominates `nominee`, or cancels the nomination with zero.
    function _nominate(uint256 id, address caller, address nominee, bytes calldata remark) internal {
        _checkRemark(remark);
        PackedTitle t = _activeTitle(id);
        _requireToOrder(id, t);
        address beneficiary = t.beneficiary();
        if (caller != beneficiary) revert TitleNotBeneficiary(id, caller);
        if (nominee == beneficiary) revert TitleAlreadyBeneficiary(id, nominee);
        bool nominated = t.has(TitlePacking.NOMINATED);
        if (nominee == address(0) ? !nominated : nominated && t.tagIs(nominee, id)) {
            revert TitleNomineeUnchanged(id, nominee);
        }
        // The beneficiary acts: its window to reject the last endorsement ends (withNominee clears it as well).
        _titles[id] = nominee == address(0)
            ? t.clear(TitlePacking.NOMINATED | TitlePacking.BENEFICIARY_REJECTABLE)
            : t.withNominee(nominee, id);
        emit NomineeChanged(id, beneficiary, nominee, remark);
    }

    /// @dev `caller` (the holder) endorses to `newBeneficiary`, the nominee unless the holder is the beneficiary.
    function _transferBeneficiary(
        uint256 id,
        address caller,
        address newBeneficiary,
        bytes calldata remark
    ) internal {
        _checkRemark(remark);
        PackedTitle t = _activeTitle(id);
        address holder = _holders[id].holder();
        if (caller != holder) revert TitleNotHolder(id, caller);
        address beneficiary = _checkEndorsement(id, t, newBeneficiary);
        _titles[id] = _endorsed(t, newBeneficiary, holder, holder, beneficiary, id);
        _beneficiaryChanged(id, beneficiary, newBeneficiary, remark);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /// @dev Checks that the holder may endorse `t` to `newBeneficiary`; returns the current beneficiary.
    function _checkEndorsement(
        uint256 id,
        PackedTitle t,
        address newBeneficiary
    ) internal pure returns (address beneficiary) {
        _requireToOrder(id, t);
        if (newBeneficiary == address(0)) revert TitleZeroAddress();
        beneficiary = t.beneficiary();
        if (newBeneficiary == beneficiary) revert TitleAlreadyBeneficiary(id, newBeneficiary);
        bool isNominee_ = t.has(TitlePacking.NOMINATED) && t.tagIs(newBeneficiary, id);
        if (!isNominee_ && !t.has(TitlePacking.DUAL_ROLE)) revert TitleNotNominee(id, newBeneficiary);
    }

    /// @dev Slot A after an endorsement by `endorser` (the old holder) from `beneficiary` to `newBeneficiary`,
    /// with `newHolder` holding: the endorser acted (its windows end, the nomination is consumed) and the endorsee
    /// may reject, unless the endorsee is the endorser itself.
    function _endorsed(
        PackedTitle t,
        address newBeneficiary,
        address newHolder,
        address endorser,
        address beneficiary,
        uint256 id
    ) internal pure returns (PackedTitle) {
        t = t.withParties(newBeneficiary, newHolder).clear(TitlePacking.WINDOWS);
        return newBeneficiary == endorser ? t : t.withPreviousBeneficiary(beneficiary, id);
    }

    /// @dev Slot A of `id`, which must be Active and not encumbered.
    function _activeTitle(uint256 id) internal view returns (PackedTitle t) {
        t = _titles[id];
        if (t.status() != Status.Active) _revertNotActive(id, t.status());
        if (t.has(TitlePacking.ENCUMBERED)) revert TitleEncumbered(id, _lockers[id]);
    }

    /// @dev Reverts for title `id`, whose `status` is not Active: {TitleNotIssued} if it was never issued (a typo'd
    /// id), {TitleNotActive} otherwise. Only reached on the failing branch, so the happy path pays nothing for it.
    function _revertNotActive(uint256 id, Status status) internal pure {
        _requireIssued(id, status);
        revert TitleNotActive(id, status);
    }

    /// @dev Reverts {TitleNotIssued} if `status` is None: title `id` was never issued. Called only on the failing
    /// branch of a state check, so that an operation on a typo'd id blames the id rather than its state.
    function _requireIssued(uint256 id, Status status) internal pure {
        if (status == Status.None) revert TitleNotIssued(id);
    }

    function _requireToOrder(uint256 id, PackedTitle t) internal pure {
        if (!t.isToOrder()) revert TitleNotEndorsable(id, t.kind(), t.form());
    }

    function _checkRemark(bytes calldata remark) internal pure {
        if (remark.length > MAX_REMARK_LENGTH) revert TitleRemarkTooLong(remark.length, MAX_REMARK_LENGTH);
    }

    /// @dev Bookkeeping and events of a change of beneficiary (ERC-721 owner) made by the caller.
    function _beneficiaryChanged(uint256 id, address from, address to, bytes calldata remark) internal {
        _moveBalance(from, to);
        emit Transfer(from, to, id);
        emit BeneficiaryTransferred(id, from, to, remark);
    }

    /// @dev Moves one live title from `from` to `to` in the balances (zero = issue or burn), if tracked.
    function _moveBalance(address from, address to) internal {
        if (!_TRACK_BALANCES) return;
        // unchecked: `from` owns the title being moved, so its count is at least 1; a count cannot reach 2**256
        // because each one counts distinct live titles.
        unchecked {
            if (from != address(0)) --_balances[from];
            if (to != address(0)) ++_balances[to];
        }
    }

    // ------------------------------------------------------------------------------------------ storage access

    function _titleOf(uint256 id) internal view returns (PackedTitle) {
        return _titles[id];
    }

    function _setTitle(uint256 id, PackedTitle t) internal {
        _titles[id] = t;
    }

    function _holderOf(uint256 id) internal view returns (PackedHolder) {
        return _holders[id];
    }

    function _setHolder(uint256 id, PackedHolder h) internal {
        _holders[id] = h;
    }

    function _lockerOf(uint256 id) internal view returns (address) {
        return _lockers[id];
    }

    function _setLocker(uint256 id, address locker) internal {
        _lockers[id] = locker;
    }

    function _supersededByOf(uint256 id) internal view returns (uint256) {
        return _supersededBy[id];
    }

    function _setSupersededBy(uint256 oldId, uint256 newId) internal {
        _supersededBy[oldId] = newId;
    }

    function _balanceOf(address owner) internal view returns (uint256) {
        return _balances[owner];
    }

    function _tracksBalances() internal view returns (bool) {
        return _TRACK_BALANCES;
    }
}
