// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";

/// @dev Slot A of a title, one storage word:
///
///   bits   0..159  beneficiary (title holder, ERC-721 owner)
///   bits 160..167  status (ITitleRegistry.Status)
///   bit       168  kind (0 negotiable bill of lading, 1 sea waybill)
///   bits 169..170  consignment form (ITitleRegistry.ConsignmentForm)
///   bit       171  ENCUMBERED: a locker holds the title (locker address in a mapping of its own)
///   bit       172  NOMINATED: the party tag is the nominee's
///   bit       173  BENEFICIARY_REJECTABLE: the party tag is the previous beneficiary's; the beneficiary may reject
///   bit       174  HOLDER_REJECTABLE: slot B's tag is the previous holder's; the holder may reject
///   bit       175  DUAL_ROLE: holder == beneficiary (kept in step with slot B, saves reading it)
///   bits 176..255  party tag: the top 80 bits of keccak256(abi.encode(party, id))
///
/// NOMINATED and BENEFICIARY_REJECTABLE share the tag and are never both set: a nomination is the beneficiary's
/// act, which ends its reject window, and an endorsement consumes the nomination. The nominee is the beneficiary's
/// choice, so endorsing to an address other than the nominee needs an 80-bit second preimage of keccak256.
type PackedTitle is uint256;

/// @dev Slot B of a title, one storage word, written at issue and when the holder changes:
///
///   bits   0..159  holder (possession)
///   bits 160..191  shipped-on-board date (unix seconds; 0 = received for shipment), fixed at issue
///   bits 192..255  the top 64 bits of keccak256(abi.encode(previous holder, id)), meaningful only while slot A
///                  has HOLDER_REJECTABLE (the receiving holder may hand it back to that party)
type PackedHolder is uint256;

/// @title TitlePacking
/// @notice Bit layout of the two storage words of a title.
library TitlePacking {
    uint256 internal constant ENCUMBERED = 1 << 171;
    uint256 internal constant NOMINATED = 1 << 172;
    uint256 internal constant BENEFICIARY_REJECTABLE = 1 << 173;
    uint256 internal constant HOLDER_REJECTABLE = 1 << 174;
    uint256 internal constant DUAL_ROLE = 1 << 175;
    /// @dev Flags that only mean something until the next act of the party concerned.
    uint256 internal constant WINDOWS = NOMINATED | BENEFICIARY_REJECTABLE | HOLDER_REJECTABLE;

    uint256 private constant _ADDRESS_MASK = (1 << 160) - 1;
    uint256 private constant _STATUS_SHIFT = 160;
    uint256 private constant _STATUS_MASK = 0xff << _STATUS_SHIFT;
    uint256 private constant _KIND_SHIFT = 168;
    uint256 private constant _FORM_SHIFT = 169;
    uint256 private constant _FORM_MASK = 3 << _FORM_SHIFT;
    uint256 private constant _TAG_SHIFT = 176;
    uint256 private constant _TAG_MASK = type(uint256).max << _TAG_SHIFT;
    uint256 private constant _DATE_SHIFT = 160;
    uint256 private constant _DATE_MASK = uint256(type(uint32).max) << _DATE_SHIFT;
    uint256 private constant _HOLDER_TAG_SHIFT = 192;
    uint256 private constant _HOLDER_TAG_MASK = type(uint256).max << _HOLDER_TAG_SHIFT;

    // -------------------------------------------------------------------------------------------------- slot A

    /// @dev A freshly issued, Active title with no windows open.
    function create(
        address beneficiary_,
        address holder_,
        ITitleRegistry.DocumentKind kind_,
        ITitleRegistry.ConsignmentForm form_
    ) internal pure returns (PackedTitle) {
        uint256 word = (uint256(ITitleRegistry.Status.Active) << _STATUS_SHIFT) |
            (uint256(kind_) << _KIND_SHIFT) |
            (uint256(form_) << _FORM_SHIFT);
        return withParties(PackedTitle.wrap(word), beneficiary_, holder_);
    }

    function beneficiary(PackedTitle t) internal pure returns (address) {
        return address(uint160(PackedTitle.unwrap(t)));
    }

    function status(PackedTitle t) internal pure returns (ITitleRegistry.Status) {
        return ITitleRegistry.Status(uint8(PackedTitle.unwrap(t) >> _STATUS_SHIFT));
    }

    function kind(PackedTitle t) internal pure returns (ITitleRegistry.DocumentKind) {
        return ITitleRegistry.DocumentKind((PackedTitle.unwrap(t) >> _KIND_SHIFT) & 1);
    }

    function form(PackedTitle t) internal pure returns (ITitleRegistry.ConsignmentForm) {
        return ITitleRegistry.ConsignmentForm((PackedTitle.unwrap(t) & _FORM_MASK) >> _FORM_SHIFT);
    }

    /// @dev Only a to-order negotiable bill is nominated or endorsed (a sea waybill is always Straight).
    function isToOrder(PackedTitle t) internal pure returns (bool) {
        return form(t) == ITitleRegistry.ConsignmentForm.ToOrder;
    }

    function isBlankEndorsed(PackedTitle t) internal pure returns (bool) {
        return form(t) == ITitleRegistry.ConsignmentForm.BlankEndorsed;
    }

    function has(PackedTitle t, uint256 flags) internal pure returns (bool) {
        return PackedTitle.unwrap(t) & flags != 0;
    }

    function set(PackedTitle t, uint256 flags) internal pure returns (PackedTitle) {
        return PackedTitle.wrap(PackedTitle.unwrap(t) | flags);
    }

    function clear(PackedTitle t, uint256 flags) internal pure returns (PackedTitle) {
        return PackedTitle.wrap(PackedTitle.unwrap(t) & ~flags);
    }

    function withStatus(PackedTitle t, ITitleRegistry.Status status_) internal pure returns (PackedTitle) {
        return PackedTitle.wrap((PackedTitle.unwrap(t) & ~_STATUS_MASK) | (uint256(status_) << _STATUS_SHIFT));
    }

    function withForm(PackedTitle t, ITitleRegistry.ConsignmentForm form_) internal pure returns (PackedTitle) {
        return PackedTitle.wrap((PackedTitle.unwrap(t) & ~_FORM_MASK) | (uint256(form_) << _FORM_SHIFT));
    }

    /// @dev The only way to set the beneficiary: keeps DUAL_ROLE equal to (beneficiary == holder). Every change of
    /// holder goes through here as well.
    function withParties(PackedTitle t, address beneficiary_, address holder_) internal pure returns (PackedTitle) {
        uint256 word = (PackedTitle.unwrap(t) & ~(_ADDRESS_MASK | DUAL_ROLE)) | uint256(uint160(beneficiary_));
        return PackedTitle.wrap(beneficiary_ == holder_ ? word | DUAL_ROLE : word);
    }

    /// @dev Records `nominee` (a beneficiary's act: ends its reject window).
    function withNominee(PackedTitle t, address nominee, uint256 id) internal pure returns (PackedTitle) {
        return _withTag(t, BENEFICIARY_REJECTABLE, NOMINATED, nominee, id);
    }

    /// @dev Opens the new beneficiary's window to reject the endorsement from `previous` (consumes the nomination).
    function withPreviousBeneficiary(PackedTitle t, address previous, uint256 id) internal pure returns (PackedTitle) {
        return _withTag(t, NOMINATED, BENEFICIARY_REJECTABLE, previous, id);
    }

    /// @dev Whether the party tag is `party`'s (check the flag saying whose tag it is as well).
    function tagIs(PackedTitle t, address party, uint256 id) internal pure returns (bool) {
        return (PackedTitle.unwrap(t) ^ _hash(party, id)) & _TAG_MASK == 0;
    }

    // -------------------------------------------------------------------------------------------------- slot B

    /// @dev Slot B of a new title: `holder_`, no previous holder, the shipped-on-board date.
    function createHolder(address holder_, uint32 shippedOnBoard_) internal pure returns (PackedHolder) {
        return PackedHolder.wrap((uint256(shippedOnBoard_) << _DATE_SHIFT) | uint256(uint160(holder_)));
    }

    /// @dev Slot B with `holder_` holding, remembering `previous` (zero: no window) for a rejection; keeps the date.
    function withHolder(
        PackedHolder h,
        address holder_,
        address previous,
        uint256 id
    ) internal pure returns (PackedHolder) {
        uint256 tag = previous == address(0) ? 0 : _hash(previous, id) & _HOLDER_TAG_MASK;
        return PackedHolder.wrap(tag | (PackedHolder.unwrap(h) & _DATE_MASK) | uint256(uint160(holder_)));
    }

    function shippedOnBoard(PackedHolder h) internal pure returns (uint32) {
        return uint32(PackedHolder.unwrap(h) >> _DATE_SHIFT);
    }

    function holder(PackedHolder h) internal pure returns (address) {
        return address(uint160(PackedHolder.unwrap(h)));
    }

    /// @dev Whether slot B's tag is `party`'s (meaningful only while slot A has HOLDER_REJECTABLE).
    function previousHolderIs(PackedHolder h, address party, uint256 id) internal pure returns (bool) {
        return (PackedHolder.unwrap(h) ^ _hash(party, id)) & _HOLDER_TAG_MASK == 0;
    }

    // -------------------------------------------------------------------------------------------------- private

    function _withTag(
        PackedTitle t,
        uint256 clearFlag,
        uint256 setFlag,
        address party,
        uint256 id
    ) private pure returns (PackedTitle) {
        uint256 word = PackedTitle.unwrap(t) & ~(_TAG_MASK | clearFlag);
        return PackedTitle.wrap(word | setFlag | (_hash(party, id) & _TAG_MASK));
    }

    /// @dev Tags bind the party to the title id, so one precomputed collision serves no other title.
    function _hash(address party, uint256 id) private pure returns (uint256 h) {
        // Same as uint256(keccak256(abi.encode(party, id))), hashed in the scratch space (0x00..0x3f) instead of
        // newly allocated memory: this runs on every transfer and nomination. Reviewed: memory-safe (scratch space).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, and(party, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(0x20, id)
            h := keccak256(0x00, 0x40)
        }
    }
}
