// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITitleLocker} from "../interfaces/ITitleLocker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";

/// @title LockerProbe
/// @notice Test-only encumbrance holder: accepts, refuses, or re-enters the registry from the callback, and forwards
/// the locker's own operations. Never deployed by the toolkit.
contract LockerProbe is ITitleLocker {
    /// @notice What the callback does.
    enum Mode {
        Accept,
        WrongSelector,
        Revert,
        ReenterTransfer
    }

    /// @notice The probe refused on purpose.
    error LockerProbeRefused(uint256 id);

    // A test probe's log: nothing filters by these fields.
    /// @notice Recorded from the last callback.
    event LockerProbeCalled(address operator, uint256 id, bytes data); // solhint-disable-line gas-indexed-events

    /// @notice What the next callback does.
    Mode public mode;
    /// @notice The registry this probe locks titles of.
    ITitleRegistry public immutable REGISTRY;

    constructor(ITitleRegistry registry_) {
        REGISTRY = registry_;
    }

    /// @notice Choose the callback's behaviour.
    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @inheritdoc ITitleLocker
    function onTitleEncumbered(address operator, uint256 id, bytes calldata data) external returns (bytes4) {
        emit LockerProbeCalled(operator, id, data);
        if (mode == Mode.WrongSelector) return bytes4(0xdeadbeef);
        if (mode == Mode.Revert) revert LockerProbeRefused(id);
        if (mode == Mode.ReenterTransfer) REGISTRY.transferHolder(id, address(this), "");
        return ITitleLocker.onTitleEncumbered.selector;
    }

    /// @notice Forward `release`.
    function release(uint256 id) external {
        REGISTRY.release(id, "");
    }

    /// @notice Forward `transferEncumbered`.
    function moveTitle(uint256 id, address newBeneficiary, address newHolder, bool keepLocked) external {
        REGISTRY.transferEncumbered(id, newBeneficiary, newHolder, keepLocked, "");
    }
}
