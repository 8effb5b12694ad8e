// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IDocumentAnchors
/// @notice Anchors of commercial trade documents (invoices, packing lists, certificates of origin): the issuer, the
/// document type, the document's hash and the time it was anchored; the issuer may revoke its anchor (a document
/// withdrawn or superseded). A document store proves a document it serves is the anchored one by its hash.
/// @dev Anchors are keyed by (issuer, hash): each issuer anchors a hash once, ever (a revoked anchor stays revoked
/// and that issuer cannot anchor the hash again), and revokes only its own anchor. Another issuer may anchor the same
/// hash: it neither blocks nor revokes the first one's. Verifiers ask about the issuer they expect.
interface IDocumentAnchors {
    /// @notice The kinds of document anchored.
    enum DocumentType {
        CommercialInvoice,
        PackingList,
        CertificateOfOrigin
    }

    /// @notice An issuer's anchor of a hash, as returned by {anchorOf}; all zero when that issuer never anchored it.
    struct Anchor {
        DocumentType documentType;
        uint64 anchoredAt; // block timestamp of the anchoring, 0 when never anchored
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
    /// @notice `issuer` (the caller) already anchored `documentHash` at `anchoredAt` (once per issuer, even revoked).
    error AnchorAlreadyExists(bytes32 documentHash, address issuer, uint64 anchoredAt);
    /// @notice The caller has no anchor of `documentHash` (anchors of other issuers are not the caller's to revoke).
    error AnchorNotFound(bytes32 documentHash);
    /// @notice The caller's anchor of `documentHash` was already revoked at `revokedAt`.
    error AnchorAlreadyRevoked(bytes32 documentHash, uint64 revokedAt);
    /// @notice The batch is empty or longer than `max` (`count` hashes).
    error AnchorBadBatch(uint256 count, uint256 max);
    /// @notice The batch has `hashes` hashes but `types` document types.
    error AnchorLengthMismatch(uint256 hashes, uint256 types);

    // ------------------------------------------------------------------------------------------------- issuer

    /// @notice The caller anchors `documentHash` as a `documentType` it issued (once per issuer, ever).
    function anchor(bytes32 documentHash, DocumentType documentType) external;

    /// @notice The caller anchors several documents in one transaction (all or none).
    function anchorBatch(bytes32[] calldata documentHashes, DocumentType[] calldata documentTypes) external;

    /// @notice The caller revokes its own anchor of `documentHash`, with a `reason` code of its own.
    function revoke(bytes32 documentHash, bytes32 reason) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice `issuer`'s anchor of `documentHash` (all zero when `issuer` never anchored it).
    function anchorOf(address issuer, bytes32 documentHash) external view returns (Anchor memory);

    /// @notice Whether `issuer` anchored `documentHash` and has not revoked that anchor.
    function isValid(address issuer, bytes32 documentHash) external view returns (bool);

    /// @notice Whether `documentHash` is anchored by `issuer` as a `documentType`, and not revoked.
    function isValidFrom(bytes32 documentHash, address issuer, DocumentType documentType) external view returns (bool);

    /// @notice The most hashes one {anchorBatch} may anchor.
    function maxBatch() external pure returns (uint256);
}
