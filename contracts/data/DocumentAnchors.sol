// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDocumentAnchors} from "../interfaces/IDocumentAnchors.sol";

/// @title DocumentAnchors
/// @notice Anchors of invoices, packing lists and certificates of origin: (issuer, type, hash, time), revocable by
/// the issuer.
/// @dev Invariants:
///  - a hash is anchored at most once, ever (revoked anchors keep their hash);
///  - an anchor's issuer, type and time never change; only its issuer sets its revocation time, once;
///  - the zero hash is never anchored.
/// No roles, no admin: whoever anchors is the issuer, and verifiers decide which issuers they trust.
contract DocumentAnchors is IDocumentAnchors {
    uint256 private constant _MAX_BATCH = 64;

    mapping(bytes32 documentHash => Anchor anchor) private _anchors;

    /// @inheritdoc IDocumentAnchors
    function anchor(bytes32 documentHash, DocumentType documentType) external {
        _anchor(documentHash, documentType);
    }

    /// @inheritdoc IDocumentAnchors
    function anchorBatch(bytes32[] calldata documentHashes, DocumentType[] calldata documentTypes) external {
        uint256 count = documentHashes.length;
        if (count == 0 || count > _MAX_BATCH) revert AnchorBadBatch(count, _MAX_BATCH);
        if (documentTypes.length != count) revert AnchorLengthMismatch(count, documentTypes.length);
        for (uint256 i = 0; i < count; ++i) {
            _anchor(documentHashes[i], documentTypes[i]);
        }
    }

    /// @inheritdoc IDocumentAnchors
    function revoke(bytes32 documentHash, bytes32 reason) external {
        Anchor storage anchored = _anchors[documentHash];
        address issuer = anchored.issuer;
        if (issuer == address(0)) revert AnchorNotFound(documentHash);
        if (issuer != msg.sender) revert AnchorNotIssuer(documentHash, msg.sender, issuer);
        if (anchored.revokedAt != 0) revert AnchorAlreadyRevoked(documentHash, anchored.revokedAt);
        anchored.revokedAt = uint64(block.timestamp);
        emit AnchorRevoked(documentHash, msg.sender, reason);
    }

    /// @inheritdoc IDocumentAnchors
    function anchorOf(bytes32 documentHash) external view returns (Anchor memory) {
        return _anchors[documentHash];
    }

    /// @inheritdoc IDocumentAnchors
    function isValid(bytes32 documentHash) external view returns (bool) {
        Anchor storage anchored = _anchors[documentHash];
        return anchored.issuer != address(0) && anchored.revokedAt == 0;
    }

    /// @inheritdoc IDocumentAnchors
    function isValidFrom(bytes32 documentHash, address issuer, DocumentType documentType) external view returns (bool) {
        Anchor storage anchored = _anchors[documentHash];
        return
            issuer != address(0) &&
            anchored.issuer == issuer &&
            anchored.documentType == documentType &&
            anchored.revokedAt == 0;
    }

    /// @inheritdoc IDocumentAnchors
    function maxBatch() external pure returns (uint256) {
        return _MAX_BATCH;
    }

    function _anchor(bytes32 documentHash, DocumentType documentType) private {
        if (documentHash == bytes32(0)) revert AnchorZeroHash();
        Anchor storage existing = _anchors[documentHash];
        if (existing.issuer != address(0)) {
            revert AnchorAlreadyExists(documentHash, existing.issuer, existing.anchoredAt);
        }
        _anchors[documentHash] = Anchor({
            issuer: msg.sender,
            documentType: documentType,
            anchoredAt: uint64(block.timestamp),
            revokedAt: 0
        });
        emit DocumentAnchored(documentHash, msg.sender, documentType);
    }
}
