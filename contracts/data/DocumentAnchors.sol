// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDocumentAnchors} from "../interfaces/IDocumentAnchors.sol";

/// @title DocumentAnchors
/// @notice Anchors of invoices, packing lists and certificates of origin: (issuer, type, hash, time), each revocable
/// by its issuer.
/// @dev Invariants:
///  - anchors are keyed by (issuer, hash): an issuer anchors a hash at most once, ever (a revoked anchor keeps its
///    place), and no one can anchor, revoke or block the anchor of another issuer;
///  - an anchor exists iff its `anchoredAt` is not zero (block time is never zero);
///  - an anchor's type and time never change; only its issuer sets its revocation time, once;
///  - the zero hash is never anchored.
/// No roles, no admin: whoever anchors is the issuer, and verifiers decide which issuers they trust.
contract DocumentAnchors is IDocumentAnchors {
    uint256 private constant _MAX_BATCH = 64;

    mapping(address issuer => mapping(bytes32 documentHash => Anchor anchor)) private _anchors;

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
        Anchor storage anchored = _anchors[msg.sender][documentHash];
        if (anchored.anchoredAt == 0) revert AnchorNotFound(documentHash);
        if (anchored.revokedAt != 0) revert AnchorAlreadyRevoked(documentHash, anchored.revokedAt);
        anchored.revokedAt = uint64(block.timestamp);
        emit AnchorRevoked(documentHash, msg.sender, reason);
    }

    /// @inheritdoc IDocumentAnchors
    function anchorOf(address issuer, bytes32 documentHash) external view returns (Anchor memory) {
        return _anchors[issuer][documentHash];
    }

    /// @inheritdoc IDocumentAnchors
    function isValid(address issuer, bytes32 documentHash) external view returns (bool) {
        Anchor storage anchored = _anchors[issuer][documentHash];
        return anchored.anchoredAt != 0 && anchored.revokedAt == 0;
    }

    /// @inheritdoc IDocumentAnchors
    function isValidFrom(bytes32 documentHash, address issuer, DocumentType documentType) external view returns (bool) {
        Anchor storage anchored = _anchors[issuer][documentHash];
        return anchored.anchoredAt != 0 && anchored.documentType == documentType && anchored.revokedAt == 0;
    }

    /// @inheritdoc IDocumentAnchors
    function maxBatch() external pure returns (uint256) {
        return _MAX_BATCH;
    }

    function _anchor(bytes32 documentHash, DocumentType documentType) private {
        if (documentHash == bytes32(0)) revert AnchorZeroHash();
        Anchor storage existing = _anchors[msg.sender][documentHash];
        uint64 anchoredAt = existing.anchoredAt;
        if (anchoredAt != 0) revert AnchorAlreadyExists(documentHash, msg.sender, anchoredAt);
        existing.documentType = documentType;
        existing.anchoredAt = uint64(block.timestamp);
        emit DocumentAnchored(documentHash, msg.sender, documentType);
    }
}
