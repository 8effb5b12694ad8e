// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ITitleLocker
/// @notice A contract (escrow, loan, bridge) that holds an encumbrance over an electronic bill of lading.
/// @dev A locker needs the registry's LOCKER_ROLE. The registry sets the lock first and then calls
/// {onTitleEncumbered} on the locker; anything other than the function's selector undoes the lock. While the lock
/// lasts only the locker moves the title (`ITitleRegistry.transferEncumbered`) or lifts the lock
/// (`ITitleRegistry.release`).
interface ITitleLocker {
    /// @notice Called by the registry right after `operator` encumbered title `id` in favour of this locker.
    /// @param operator The title owner (holder and beneficiary) who asked for the lock.
    /// @param id The title id (the transport document's hash).
    /// @param data Opaque data passed through from `ITitleRegistry.encumber`.
    /// @return The selector `ITitleLocker.onTitleEncumbered.selector` to accept the lock.
    function onTitleEncumbered(address operator, uint256 id, bytes calldata data) external returns (bytes4);
}
