// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IFinancingLedger} from "../interfaces/IFinancingLedger.sol";

/// @title FinancingLedger
/// @notice Register of what is financed right now: bills of lading (by {billKey}) and invoices (by {invoiceKey}, the
/// invoice hash scoped by the title registry of the bill financed with it).
/// @dev Invariants:
///  - a key has at most one live claim; a claim names its claimant contract, kind and financing id;
///  - an invoice claimed under one registry's key says nothing of the same invoice under another registry: the
///    duplicate-invoice guarantee is per registry, so a fake registry can only ever claim keys of its own;
///  - only an account with FINANCE_ROLE opens a claim; only the claimant closes it (role or not);
///  - a cleared key may be claimed again (a bill financed, repaid, then financed anew).
/// Roles (OZ AccessControlDefaultAdminRules, two-step admin handover): the default admin grants FINANCE_ROLE to
/// finance contracts.
contract FinancingLedger is AccessControlDefaultAdminRules, IFinancingLedger {
    /// @notice The role of the finance contracts that claim and clear bills and invoices.
    bytes32 public constant FINANCE_ROLE = keccak256("FINANCE_ROLE");

    /// @dev Claims by slot = keccak256(abi.encode(kind, key)): bills and invoices are separate namespaces, so an
    /// "invoice hash" equal to some bill's public key claims nothing of that bill.
    mapping(bytes32 slot => Claim claim) private _claims;

    /// @notice An empty ledger administered by `admin`.
    /// @param admin The first default admin (grants FINANCE_ROLE).
    /// @param adminDelay Delay of a default admin handover, in seconds (may be 0).
    constructor(address admin, uint48 adminDelay) AccessControlDefaultAdminRules(adminDelay, admin) {}

    /// @inheritdoc IFinancingLedger
    function claim(ClaimKind kind, bytes32 key, bytes32 financingId) external onlyRole(FINANCE_ROLE) {
        if (key == bytes32(0)) revert LedgerZeroKey();
        bytes32 slot = _slot(kind, key);
        Claim storage live = _claims[slot];
        if (live.claimant != address(0)) {
            revert LedgerAlreadyFinanced(key, live.kind, live.claimant, live.financingId);
        }
        _claims[slot] = Claim({
            claimant: msg.sender,
            kind: kind,
            since: uint64(block.timestamp),
            financingId: financingId
        });
        emit FinancingClaimed(kind, key, msg.sender, financingId);
    }

    /// @inheritdoc IFinancingLedger
    function clear(ClaimKind kind, bytes32 key, bytes32 financingId) external {
        bytes32 slot = _slot(kind, key);
        Claim storage live = _claims[slot];
        address claimant = live.claimant;
        if (claimant == address(0)) revert LedgerNotFinanced(key);
        if (claimant != msg.sender || live.kind != kind || live.financingId != financingId) {
            revert LedgerNotClaimant(key, msg.sender, claimant, live.kind, live.financingId);
        }
        delete _claims[slot];
        emit FinancingCleared(kind, key, msg.sender, financingId);
    }

    /// @inheritdoc IFinancingLedger
    function financedBy(bytes32 key) external view returns (Claim memory claim_) {
        claim_ = _claims[_slot(ClaimKind.Bill, key)];
        if (claim_.claimant == address(0)) claim_ = _claims[_slot(ClaimKind.Invoice, key)];
    }

    /// @inheritdoc IFinancingLedger
    function claimOf(ClaimKind kind, bytes32 key) external view returns (Claim memory) {
        return _claims[_slot(kind, key)];
    }

    /// @inheritdoc IFinancingLedger
    function isFinanced(bytes32 key) external view returns (bool) {
        return
            _claims[_slot(ClaimKind.Bill, key)].claimant != address(0) ||
            _claims[_slot(ClaimKind.Invoice, key)].claimant != address(0);
    }

    /// @inheritdoc IFinancingLedger
    function billKey(address registry, uint256 id) external pure returns (bytes32) {
        return keccak256(abi.encode(registry, id));
    }

    /// @inheritdoc IFinancingLedger
    function invoiceKey(address registry, bytes32 invoiceHash) external pure returns (bytes32) {
        return keccak256(abi.encode(registry, invoiceHash));
    }

    function _slot(ClaimKind kind, bytes32 key) private pure returns (bytes32) {
        return keccak256(abi.encode(kind, key));
    }
}
