// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ITokensRecipient
/// @notice What {HostileToken} calls on a contract that receives tokens, when the hook is on.
interface ITokensRecipient {
    /// @notice `amount` tokens arrived from `from`.
    function onTokensReceived(address from, uint256 amount) external;
}

/// @title HostileToken
/// @notice Test-only ERC-20 that attacks the contract moving it: armed, its next transfer calls a chosen target with
/// chosen calldata (re-entering the escrow that is in the middle of paying); with the recipient hook on, every
/// transfer to a contract calls its {ITokensRecipient-onTokensReceived}; with `failSilently`, transfers return
/// false instead of reverting. Failures of the calls it makes bubble up. Never deployed by the toolkit.
contract HostileToken is ERC20 {
    address private _target;
    bytes private _payload;
    bool private _recipientHook;
    bool private _failSilently;

    /// @notice The armed call succeeded and returned `result`.
    event HostileCallMade(address indexed target, bytes result);

    constructor() ERC20("Hostile Token", "HST") {}

    /// @notice Mints `amount` to `to` (no hooks).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice On the next transfer, call `target` with `payload` (once).
    function arm(address target, bytes calldata payload) external {
        _target = target;
        _payload = payload;
    }

    /// @notice Whether transfers to contracts call their `onTokensReceived`.
    function setRecipientHook(bool on) external {
        _recipientHook = on;
    }

    /// @notice Whether `transfer` and `transferFrom` return false (moving nothing) instead of working.
    function setFailSilently(bool on) external {
        _failSilently = on;
    }

    /// @notice Like ERC-20 `transfer`, but returns false when failing silently.
    function transfer(address to, uint256 value) public override returns (bool) {
        if (_failSilently) return false;
        return super.transfer(to, value);
    }

    /// @notice Like ERC-20 `transferFrom`, but returns false when failing silently.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (_failSilently) return false;
        return super.transferFrom(from, to, value);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(0)) return;
        address target = _target;
        if (target != address(0)) {
            bytes memory payload = _payload;
            delete _target;
            delete _payload;
            emit HostileCallMade(target, _bubble(target, payload));
        }
        if (_recipientHook && to.code.length != 0) {
            _bubble(to, abi.encodeCall(ITokensRecipient.onTokensReceived, (from, value)));
        }
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
