// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IShipmentDates
/// @notice The shipment date a title registry records for a bill of lading.
interface IShipmentDates {
    /// @notice When the goods of bill `id` were shipped on board (unix seconds); 0 while the bill is only
    /// "received for shipment" and not yet on board.
    function shippedOnBoardDate(uint256 id) external view returns (uint64);
}
