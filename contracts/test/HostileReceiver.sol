// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITokensRecipient} from "./HostileToken.sol";

/// @title HostileReceiver
/// @notice Test-only contract party (borrower, drawee, drawer) that acts through {execute} and, armed, strikes back
/// when tokens reach it through {HostileToken}'s recipient hook: it calls a chosen target with chosen calldata
/// (re-entering an escrow, or moving a title mid-payment). Failures bubble up. Never deployed by the toolkit.
contract HostileReceiver is ITokensRecipient {
    /// @notice Only the deployer drives the receiver.
    error HostileReceiverNotOwner(address caller);

    /// @notice The armed call succeeded and returned `result`.
    event HostileCallMade(address indexed target, bytes result);

    address private immutable _OWNER;
    address private _target;
    bytes private _payload;

    constructor() {
        _OWNER = msg.sender;
    }

    /// @notice Calls `target` with `payload` as this contract.
    function execute(address target, bytes calldata payload) external returns (bytes memory) {
        if (msg.sender != _OWNER) revert HostileReceiverNotOwner(msg.sender);
        return _bubble(target, payload);
    }

    /// @notice When tokens next arrive, call `target` with `payload` (once).
    function arm(address target, bytes calldata payload) external {
        if (msg.sender != _OWNER) revert HostileReceiverNotOwner(msg.sender);
        _target = target;
        _payload = payload;
    }

    /// @inheritdoc ITokensRecipient
    function onTokensReceived(address, uint256) external {
        address target = _target;
        if (target == address(0)) return;
        bytes memory payload = _payload;
        delete _target;
        delete _payload;
        emit HostileCallMade(target, _bubble(target, payload));
    }

    function _bubble(address target, bytes memory payload) private returns (bytes memory result) {
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call(payload);
        if (!ok) {
            // Re-raises the failed call's revert data unchanged: Solidity has no syntax for that.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }
}
