// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IConsentRegistry
/// @notice A data owner's consents to share trade documents with a financier (HKMA Commercial Data Interchange
/// style): the owner names the financier, the documents (by hash), the purpose (a bytes32 code) and the last second
/// of the consent; the owner revokes it at any time. Data holders (document stores) ask {accessStatus} before they
/// serve a document.
/// @dev A consent is keyed by (owner, financier, purpose): at most one per key. Granting again replaces the key's
/// document set and expiry (a new version; the documents of older versions no longer count). Access is allowed
/// while the consent is granted, not revoked, `block.timestamp <= expiresAt` (the last second is inclusive) and the
/// document is in the consent's current set.
interface IConsentRegistry {
    /// @notice Why an access is allowed or not, as returned by {accessStatus}.
    enum AccessStatus {
        Allowed,
        NotGranted, // no consent for this owner, financier and purpose (ever)
        Revoked, // the owner revoked it
        Expired, // past its expiry
        DocumentNotCovered // the consent is live but does not name this document
    }

    /// @notice A consent, as returned by {consentOf}; all zero when never granted.
    struct Consent {
        uint64 grantedAt; // block timestamp of the latest grant
        uint64 expiresAt; // last second (inclusive) access is allowed
        uint64 revokedAt; // block timestamp of the revocation, 0 while not revoked
        uint32 version; // 1 for the first grant, +1 for each later grant under the same key
        uint32 documentCount; // documents named by the current version (duplicates counted once)
    }

    // ------------------------------------------------------------------------------------------------- events

    /// @notice `owner` granted `financier` access to `documentHashes` for `purpose` until `expiresAt` (inclusive),
    /// as version `version` of the consent.
    event ConsentGranted(
        address indexed owner,
        address indexed financier,
        bytes32 indexed purpose,
        uint32 version,
        uint64 expiresAt,
        bytes32[] documentHashes
    );
    /// @notice `owner` revoked version `version` of its consent to `financier` for `purpose`.
    event ConsentRevoked(address indexed owner, address indexed financier, bytes32 indexed purpose, uint32 version);

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice The financier is the zero address.
    error ConsentZeroFinancier();
    /// @notice `owner` named itself as the financier.
    error ConsentSelfGrant(address owner);
    /// @notice The purpose code is zero.
    error ConsentZeroPurpose();
    /// @notice The consent names no document.
    error ConsentNoDocuments();
    /// @notice The consent names `count` documents, more than `max`.
    error ConsentTooManyDocuments(uint256 count, uint256 max);
    /// @notice Document number `index` of the list is the zero hash.
    error ConsentZeroDocument(uint256 index);
    /// @notice `expiresAt` is not after the current block time `nowAt`.
    error ConsentExpiryNotInFuture(uint64 expiresAt, uint64 nowAt);
    /// @notice `owner` has no live consent to `financier` for `purpose` to revoke (never granted, revoked or
    /// expired: `status` says which).
    error ConsentNotLive(address owner, address financier, bytes32 purpose, AccessStatus status);
    /// @notice `financier` may not access `documentHash` of `owner` for `purpose`: `status` says why.
    error ConsentAccessDenied(
        address owner,
        address financier,
        bytes32 documentHash,
        bytes32 purpose,
        AccessStatus status
    );

    // ------------------------------------------------------------------------------------------------- owner

    /// @notice The caller (the data owner) grants `financier` access to `documentHashes` for `purpose` until
    /// `expiresAt` (inclusive); replaces any earlier consent under the same (owner, financier, purpose).
    /// @return version The consent's new version.
    function grant(
        address financier,
        bytes32 purpose,
        uint64 expiresAt,
        bytes32[] calldata documentHashes
    ) external returns (uint32 version);

    /// @notice The caller (the data owner) revokes its consent to `financier` for `purpose`.
    /// @dev Reverts {ConsentNotLive} unless that consent is granted, not revoked and not expired.
    function revoke(address financier, bytes32 purpose) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice Whether `financier` may access `documentHash` of `owner` for `purpose` now, and if not, why.
    function accessStatus(
        address owner,
        address financier,
        bytes32 documentHash,
        bytes32 purpose
    ) external view returns (AccessStatus);

    /// @notice Whether `financier` may access `documentHash` of `owner` for `purpose` now.
    function isAllowed(
        address owner,
        address financier,
        bytes32 documentHash,
        bytes32 purpose
    ) external view returns (bool);

    /// @notice Reverts {ConsentAccessDenied} unless `financier` may access `documentHash` of `owner` for `purpose`
    /// now: for contracts that gate on a consent.
    function requireAllowed(address owner, address financier, bytes32 documentHash, bytes32 purpose) external view;

    /// @notice The consent of `owner` to `financier` for `purpose` (all zero when never granted).
    function consentOf(address owner, address financier, bytes32 purpose) external view returns (Consent memory);

    /// @notice Whether the current version of the consent names `documentHash` (whatever its expiry or
    /// revocation).
    function covers(
        address owner,
        address financier,
        bytes32 purpose,
        bytes32 documentHash
    ) external view returns (bool);

    /// @notice The most documents one grant may name.
    function maxDocuments() external pure returns (uint256);
}
