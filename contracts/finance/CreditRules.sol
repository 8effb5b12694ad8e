// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDocumentaryCredit} from "../interfaces/IDocumentaryCredit.sol";

/// @title CreditRules
/// @notice The arithmetic of UCP 600 that a documentary credit applies: tolerance, presentation period, required
/// documents. Pure functions; the tradefin Python client mirrors them.
library CreditRules {
    /// @notice "About" allows 10% more or less than the amount (UCP 600 art. 30a).
    uint256 internal constant ABOUT_PERCENT = 10;

    /// @notice The most a credit of `amount` pays in total: the amount plus its tolerance (rounded down).
    function maximum(uint256 amount, IDocumentaryCredit.Tolerance tolerance) internal pure returns (uint256) {
        if (tolerance == IDocumentaryCredit.Tolerance.None) return amount;
        return (amount * (100 + ABOUT_PERCENT)) / 100;
    }

    /// @notice The least a single drawing of a credit of `amount` must be when partial drawings are prohibited:
    /// the amount less its tolerance (rounded up).
    function minimum(uint256 amount, IDocumentaryCredit.Tolerance tolerance) internal pure returns (uint256) {
        if (tolerance == IDocumentaryCredit.Tolerance.None) return amount;
        return (amount * (100 - ABOUT_PERCENT) + 99) / 100;
    }

    /// @notice The end of the presentation period: `days_` days after the shipped-on-board time, never after the
    /// expiry (UCP 600 art. 14c).
    function presentationDeadline(uint64 shippedOnBoard, uint16 days_, uint64 expiry) internal pure returns (uint256) {
        uint256 end = uint256(shippedOnBoard) + uint256(days_) * 1 days;
        return end < expiry ? end : expiry;
    }

    /// @notice Reverts unless every type in `required` was presented with a nonzero document hash, and each type at
    /// most once (a second commercial invoice would escape the financing ledger's claim on the first).
    function checkDocuments(
        uint256 creditId,
        bytes32[] storage required,
        bytes32[] memory types,
        bytes32[] memory hashes
    ) internal view {
        if (types.length != hashes.length) revert IDocumentaryCredit.CreditDocumentsMismatch(types.length, hashes.length);
        for (uint256 j = 1; j < types.length; ++j) {
            for (uint256 k = 0; k < j; ++k) {
                if (types[j] == types[k]) revert IDocumentaryCredit.CreditDocumentRepeated(creditId, types[j]);
            }
        }
        uint256 count = required.length;
        for (uint256 i = 0; i < count; ++i) {
            bytes32 wanted = required[i];
            bool found = false;
            for (uint256 j = 0; j < types.length && !found; ++j) {
                found = types[j] == wanted && hashes[j] != bytes32(0);
            }
            if (!found) revert IDocumentaryCredit.CreditDocumentMissing(creditId, wanted);
        }
    }
}
