// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IFinancingLedger
/// @notice The one register that says whether a bill of lading (registry + id) or a commercial invoice (registry +
/// hash) is financed right now, and by which finance contract. Finance contracts (loans, discounting, letters of
/// credit) claim a key before they pay out and clear it when the financing ends, so the same bill, or the same
/// invoice financed with bills of the same title registry, cannot be financed twice at the same time, even across
/// contracts and financiers.
/// @dev Keys are 32-byte values: {billKey} for a bill, {invoiceKey} for an invoice. An invoice is keyed under the
/// title registry of the bill financed with it, so a claim made through one registry (possibly a fake one named
/// in an offer or a credit's terms) never blocks the invoice under another: the duplicate-invoice guarantee holds
/// per registry. A key is claimed by at most one (claimant contract, financing id) at a time; only that claimant
/// clears it.
interface IFinancingLedger {
    /// @notice What a key names.
    enum ClaimKind {
        Bill,
        Invoice
    }

    /// @notice A live claim, as returned by {financedBy}; all zero when the key is not financed.
    // Field order is part of the ABI (views return this struct, clients decode it by position); the packing
    // the rule suggests would save at most one storage slot per record.
    // solhint-disable-next-line gas-struct-packing
    struct Claim {
        address claimant; // the finance contract holding the claim
        ClaimKind kind;
        uint64 since; // block timestamp of the claim
        bytes32 financingId; // the claimant's own reference (e.g. its loan id)
    }

    // ------------------------------------------------------------------------------------------------- events

    /// @notice `claimant` claimed `key` (a `kind`) for its financing `financingId`.
    event FinancingClaimed(
        ClaimKind indexed kind,
        bytes32 indexed key,
        address indexed claimant,
        bytes32 financingId
    );
    /// @notice `claimant` cleared its claim on `key` (a `kind`) for its financing `financingId`.
    event FinancingCleared(
        ClaimKind indexed kind,
        bytes32 indexed key,
        address indexed claimant,
        bytes32 financingId
    );

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice The key is zero.
    error LedgerZeroKey();
    /// @notice `key` is already financed by `claimant` (financing `financingId`, claimed as `kind`): duplicate
    /// financing.
    error LedgerAlreadyFinanced(bytes32 key, ClaimKind kind, address claimant, bytes32 financingId);
    /// @notice `key` is not financed: there is nothing to clear.
    error LedgerNotFinanced(bytes32 key);
    /// @notice `caller` may not clear `key` with these arguments: the live claim is `claimant`'s, as `kind`, for
    /// `financingId`.
    error LedgerNotClaimant(
        bytes32 key,
        address caller,
        address claimant,
        ClaimKind kind,
        bytes32 financingId
    );

    // ------------------------------------------------------------------------------------------------- claims

    /// @notice Claims `key` as financed by the caller (FINANCE_ROLE) under its reference `financingId`.
    /// @dev Reverts {LedgerAlreadyFinanced} naming the current claim if `key` is claimed by anyone, the caller
    /// included.
    function claim(ClaimKind kind, bytes32 key, bytes32 financingId) external;

    /// @notice Ends the caller's claim on `key`. Needs no role, so a finance contract whose role was revoked still
    /// winds down the financings it holds.
    /// @dev Reverts {LedgerNotClaimant} unless the caller, `kind` and `financingId` are those of the live claim.
    function clear(ClaimKind kind, bytes32 key, bytes32 financingId) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice The live claim on `key` (as a bill, else as an invoice), all zero when `key` is not financed.
    function financedBy(bytes32 key) external view returns (Claim memory);

    /// @notice The live claim on `key` of `kind`, all zero when there is none.
    function claimOf(ClaimKind kind, bytes32 key) external view returns (Claim memory);

    /// @notice Whether `key` is financed right now.
    function isFinanced(bytes32 key) external view returns (bool);

    /// @notice The key of bill `id` of title registry `registry`: `keccak256(abi.encode(registry, id))`.
    function billKey(address registry, uint256 id) external pure returns (bytes32);

    /// @notice The key of the invoice `invoiceHash` financed with a bill of title registry `registry`:
    /// `keccak256(abi.encode(registry, invoiceHash))`. Scoping by registry keeps a claim made through a registry
    /// (real or fake) from blocking the same invoice financed through another one.
    function invoiceKey(address registry, bytes32 invoiceHash) external pure returns (bytes32);
}
