// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title ReentrantToken
/// @notice Test-only hostile ERC-20: on its next balance change it calls back into a target (e.g. the documentary
/// credit) with armed calldata, and it can skim a fee from every transfer. Never deployed by the toolkit.
contract ReentrantToken is ERC20Permit {
    // A test probe's log: nothing filters by these fields.
    /// @notice The re-entrant call was made; `ok` tells whether it succeeded, `result` is its return or revert data.
    event ReentryAttempted(address target, bool ok, bytes result); // solhint-disable-line gas-indexed-events

    /// @notice The contract the next balance change calls back into.
    address public target;
    /// @notice The calldata of that call.
    bytes public payload;
    /// @notice Whether a failed re-entrant call makes the outer transfer revert with the same data.
    bool public bubble;
    /// @notice Whether the last re-entrant call succeeded.
    bool public lastReentrySucceeded;
    /// @notice Revert data of the last failed re-entrant call.
    bytes public lastReentryError;
    /// @notice Fee, in basis points, burnt from every transfer between two accounts.
    uint256 public feeBasisPoints;

    bool private _attacking;

    constructor() ERC20("Reentrant Token", "RNT") ERC20Permit("Reentrant Token") {}

    /// @notice Anyone mints: a test token.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice On the next transfer, call `target_` with `payload_` once.
    function arm(address target_, bytes calldata payload_, bool bubble_) external {
        target = target_;
        payload = payload_;
        bubble = bubble_;
    }

    /// @notice Burn `basisPoints` / 10000 of every transfer between two accounts.
    function setFee(uint256 basisPoints) external {
        feeBasisPoints = basisPoints;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (feeBasisPoints != 0 && from != address(0) && to != address(0)) {
            uint256 fee = (value * feeBasisPoints) / 10_000;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
        if (target != address(0) && !_attacking) {
            address victim = target;
            target = address(0);
            _attacking = true;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory result) = victim.call(payload);
            _attacking = false;
            lastReentrySucceeded = ok;
            if (!ok) lastReentryError = result;
            emit ReentryAttempted(victim, ok, result);
            if (!ok && bubble) {
                // Re-raises the failed call's revert data unchanged: Solidity has no syntax for that.
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    revert(add(result, 32), mload(result))
                }
            }
        }
    }
}
