// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IConsentRegistry} from "../interfaces/IConsentRegistry.sol";

/// @title ConsentRegistry
/// @notice Data owners' consents to share named trade documents with a named financier, for a purpose, until a time.
/// @dev Invariants:
///  - a consent is keyed by (owner, financier, purpose); only the owner (msg.sender) grants or revokes under its key;
///  - access is allowed iff the key's consent is granted, not revoked, not expired (`now <= expiresAt`) and its
///    current version names the document; a new grant starts a new version, so earlier document sets stop counting;
///  - a grant names between 1 and {maxDocuments} non-zero document hashes and expires strictly in the future.
/// No roles, no admin: the registry only records what owners say.
contract ConsentRegistry is IConsentRegistry {
    uint256 private constant _MAX_DOCUMENTS = 64;

    mapping(bytes32 key => Consent consent) private _consents;
    mapping(bytes32 key => mapping(uint32 version => mapping(bytes32 documentHash => bool named))) private _documents;

    /// @inheritdoc IConsentRegistry
    function grant(
        address financier,
        bytes32 purpose,
        uint64 expiresAt,
        bytes32[] calldata documentHashes
    ) external returns (uint32 version) {
        if (financier == address(0)) revert ConsentZeroFinancier();
        if (financier == msg.sender) revert ConsentSelfGrant(msg.sender);
        if (purpose == bytes32(0)) revert ConsentZeroPurpose();
        uint256 count = documentHashes.length;
        if (count == 0) revert ConsentNoDocuments();
        if (count > _MAX_DOCUMENTS) revert ConsentTooManyDocuments(count, _MAX_DOCUMENTS);
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // Only rejects expiries already past; a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (expiresAt <= block.timestamp) revert ConsentExpiryNotInFuture(expiresAt, uint64(block.timestamp)); // solhint-disable-line gas-strict-inequalities

        bytes32 key = _key(msg.sender, financier, purpose);
        Consent storage consent = _consents[key];
        version = consent.version + 1;
        mapping(bytes32 documentHash => bool named) storage named = _documents[key][version];
        uint32 distinct = 0;
        for (uint256 i = 0; i < count; ++i) {
            bytes32 documentHash = documentHashes[i];
            if (documentHash == bytes32(0)) revert ConsentZeroDocument(i);
            if (!named[documentHash]) {
                named[documentHash] = true;
                // cannot overflow: at most _MAX_DOCUMENTS (64) increments
                unchecked {
                    ++distinct;
                }
            }
        }
        _consents[key] = Consent({
            grantedAt: uint64(block.timestamp),
            expiresAt: expiresAt,
            revokedAt: 0,
            version: version,
            documentCount: distinct
        });
        emit ConsentGranted(msg.sender, financier, purpose, version, expiresAt, documentHashes);
    }

    /// @inheritdoc IConsentRegistry
    function revoke(address financier, bytes32 purpose) external {
        bytes32 key = _key(msg.sender, financier, purpose);
        Consent storage consent = _consents[key];
        AccessStatus status = _consentStatus(consent);
        if (status != AccessStatus.Allowed) revert ConsentNotLive(msg.sender, financier, purpose, status);
        consent.revokedAt = uint64(block.timestamp);
        emit ConsentRevoked(msg.sender, financier, purpose, consent.version);
    }

    /// @inheritdoc IConsentRegistry
    function accessStatus(
        address owner,
        address financier,
        bytes32 documentHash,
        bytes32 purpose
    ) external view returns (AccessStatus) {
        return _accessStatus(owner, financier, documentHash, purpose);
    }

    /// @inheritdoc IConsentRegistry
    function isAllowed(
        address owner,
        address financier,
        bytes32 documentHash,
        bytes32 purpose
    ) external view returns (bool) {
        return _accessStatus(owner, financier, documentHash, purpose) == AccessStatus.Allowed;
    }

    /// @inheritdoc IConsentRegistry
    function requireAllowed(address owner, address financier, bytes32 documentHash, bytes32 purpose) external view {
        AccessStatus status = _accessStatus(owner, financier, documentHash, purpose);
        if (status != AccessStatus.Allowed) {
            revert ConsentAccessDenied(owner, financier, documentHash, purpose, status);
        }
    }

    /// @inheritdoc IConsentRegistry
    function consentOf(address owner, address financier, bytes32 purpose) external view returns (Consent memory) {
        return _consents[_key(owner, financier, purpose)];
    }

    /// @inheritdoc IConsentRegistry
    function covers(
        address owner,
        address financier,
        bytes32 purpose,
        bytes32 documentHash
    ) external view returns (bool) {
        bytes32 key = _key(owner, financier, purpose);
        return _documents[key][_consents[key].version][documentHash];
    }

    /// @inheritdoc IConsentRegistry
    function maxDocuments() external pure returns (uint256) {
        return _MAX_DOCUMENTS;
    }

    function _accessStatus(
        address owner,
        address financier,
        bytes32 documentHash,
        bytes32 purpose
    ) private view returns (AccessStatus) {
        bytes32 key = _key(owner, financier, purpose);
        Consent storage consent = _consents[key];
        AccessStatus status = _consentStatus(consent);
        if (status != AccessStatus.Allowed) return status;
        if (!_documents[key][consent.version][documentHash]) return AccessStatus.DocumentNotCovered;
        return AccessStatus.Allowed;
    }

    function _consentStatus(Consent storage consent) private view returns (AccessStatus) {
        if (consent.version == 0) return AccessStatus.NotGranted;
        if (consent.revokedAt != 0) return AccessStatus.Revoked;
        // A consent's expiry is a date: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > consent.expiresAt) return AccessStatus.Expired;
        return AccessStatus.Allowed;
    }

    function _key(address owner, address financier, bytes32 purpose) private pure returns (bytes32) {
        return keccak256(abi.encode(owner, financier, purpose));
    }
}
