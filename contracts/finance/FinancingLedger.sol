// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IFinancingLedger} from "../interfaces/IFinancingLedger.sol";

/// @title FinancingLedger
/// @notice Register of what is financed right now: bills of lading (by {billKey}) and invoices (by hash).
/// @dev Invariants:
///  - a key has at most one live claim; a claim names its claimant contract, kind and financing id;
///  - only an account with FINANCE_ROLE opens a claim; only the claimant closes it (role or not);
///  - a cleared key may be claimed again (a bill financed, repaid, then financed anew).
/// Roles (OZ AccessControlDefaultAdminRules, two-step admin handover): the default admin grants FINANCE_ROLE to
/// finance contracts.
contract FinancingLedger is AccessControlDefaultAdminRules, IFinancingLedger {
    bytes32 public constant FINANCE_ROLE = keccak256("FINANCE_ROLE");

    mapping(bytes32 key => Claim claim) private _claims;

    /// @param admin The first default admin (grants FINANCE_ROLE).
    /// @param adminDelay Delay of a default admin handover, in seconds (may be 0).
    constructor(address admin, uint48 adminDelay) AccessControlDefaultAdminRules(adminDelay, admin) {}

    /// @inheritdoc IFinancingLedger
    function claim(ClaimKind kind, bytes32 key, bytes32 financingId) external onlyRole(FINANCE_ROLE) {
        if (key == bytes32(0)) revert LedgerZeroKey();
        Claim storage live = _claims[key];
        if (live.claimant != address(0)) {
            revert LedgerAlreadyFinanced(key, live.kind, live.claimant, live.financingId);
        }
        _claims[key] = Claim({
            claimant: msg.sender,
            kind: kind,
            since: uint64(block.timestamp),
            financingId: financingId
        });
        emit FinancingClaimed(kind, key, msg.sender, financingId);
    }

    /// @inheritdoc IFinancingLedger
    function clear(ClaimKind kind, bytes32 key, bytes32 financingId) external {
        Claim storage live = _claims[key];
        address claimant = live.claimant;
        if (claimant == address(0)) revert LedgerNotFinanced(key);
        if (claimant != msg.sender || live.kind != kind || live.financingId != financingId) {
            revert LedgerNotClaimant(key, msg.sender, claimant, live.kind, live.financingId);
        }
        delete _claims[key];
        emit FinancingCleared(kind, key, msg.sender, financingId);
    }

    /// @inheritdoc IFinancingLedger
    function financedBy(bytes32 key) external view returns (Claim memory) {
        return _claims[key];
    }

    /// @inheritdoc IFinancingLedger
    function isFinanced(bytes32 key) external view returns (bool) {
        return _claims[key].claimant != address(0);
    }

    /// @inheritdoc IFinancingLedger
    function billKey(address registry, uint256 id) external pure returns (bytes32) {
        return keccak256(abi.encode(registry, id));
    }
}
