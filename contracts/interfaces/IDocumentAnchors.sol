// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IDocumentAnchors
/// @notice Anchors of commercial trade documents (invoices, packing lists, certificates of origin): the issuer, the
/// document type, the document's hash and the time it was anchored; the issuer may revoke its anchor (a document
/// withdrawn or superseded). A document store proves a document it serves is the anchored one by its hash.
/// @dev A hash anchors once, ever: a revoked anchor stays revoked and its hash cannot be anchored again. The
/// issuer is whoever anchored the hash (anyone may anchor; verifiers check the issuer they expect).
interface IDocumentAnchors {
    /// @notice The kinds of document anchored.
    enum DocumentType {
        CommercialInvoice,
        PackingList,
        CertificateOfOrigin
    }

    /// @notice An anchor, as returned by {anchorOf}; all zero when the hash was never anchored.
    struct Anchor {
        address issuer; // who anchored the hash
        DocumentType documentType;
        uint64 anchoredAt; // block timestamp of the anchoring
        uint64 revokedAt; // block timestamp of the revocation, 0 while valid
    }

    // ------------------------------------------------------------------------------------------------- events

    /// @notice `issuer` anchored `documentHash`, a `documentType`.
    event DocumentAnchored(bytes32 indexed documentHash, address indexed issuer, DocumentType indexed documentType);
    /// @notice `issuer` revoked its anchor of `documentHash`, for `reason` (a code of its own, may be zero).
    event AnchorRevoked(bytes32 indexed documentHash, address indexed issuer, bytes32 reason);

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice The document hash is zero.
    error AnchorZeroHash();
    /// @notice `documentHash` is already anchored, by `issuer` at `anchoredAt` (a hash anchors once, even revoked).
    error AnchorAlreadyExists(bytes32 documentHash, address issuer, uint64 anchoredAt);
    /// @notice `documentHash` is not anchored.
    error AnchorNotFound(bytes32 documentHash);
    /// @notice `caller` may not revoke the anchor of `documentHash`: only its `issuer` may.
    error AnchorNotIssuer(bytes32 documentHash, address caller, address issuer);
    /// @notice The anchor of `documentHash` was already revoked at `revokedAt`.
    error AnchorAlreadyRevoked(bytes32 documentHash, uint64 revokedAt);
    /// @notice The batch is empty or longer than `max` (`count` hashes).
    error AnchorBadBatch(uint256 count, uint256 max);
    /// @notice The batch has `hashes` hashes but `types` document types.
    error AnchorLengthMismatch(uint256 hashes, uint256 types);

    // ------------------------------------------------------------------------------------------------- issuer

    /// @notice The caller anchors `documentHash` as a `documentType` it issued.
    function anchor(bytes32 documentHash, DocumentType documentType) external;

    /// @notice The caller anchors several documents in one transaction (all or none).
    function anchorBatch(bytes32[] calldata documentHashes, DocumentType[] calldata documentTypes) external;

    /// @notice The issuer revokes its anchor of `documentHash`, with a `reason` code of its own.
    function revoke(bytes32 documentHash, bytes32 reason) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice The anchor of `documentHash` (all zero when never anchored).
    function anchorOf(bytes32 documentHash) external view returns (Anchor memory);

    /// @notice Whether `documentHash` is anchored and not revoked.
    function isValid(bytes32 documentHash) external view returns (bool);

    /// @notice Whether `documentHash` is anchored by `issuer` as a `documentType`, and not revoked.
    function isValidFrom(bytes32 documentHash, address issuer, DocumentType documentType) external view returns (bool);

    /// @notice The most hashes one {anchorBatch} may anchor.
    function maxBatch() external pure returns (uint256);
}
