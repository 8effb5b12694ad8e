// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RevertProbe
/// @notice Test-only contract that fails in every way a node can report: custom errors with arguments, panics,
/// string reasons and bare reverts. Never deployed by the toolkit.
contract RevertProbe {
    /// @notice A custom error carrying several argument kinds.
    error ProbeRejected(uint256 code, address who, bytes32 tag);
    /// @notice A custom error without arguments.
    error ProbeEmpty();

    // A test probe's log: nothing filters by these fields.
    /// @notice Emitted when the counter moves.
    event ProbeCounted(address indexed by, uint256 value); // solhint-disable-line gas-indexed-events

    uint256 private _count;

    /// @notice Raise `ProbeRejected(code, msg.sender, tag)`.
    function rejectWith(uint256 code, bytes32 tag) external view {
        revert ProbeRejected(code, msg.sender, tag);
    }

    /// @notice Raise `ProbeEmpty()`.
    function rejectEmpty() external pure {
        revert ProbeEmpty();
    }

    /// @notice Divide, panicking with code 0x12 on zero.
    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    /// @notice Revert with a string reason (what our own contracts never do).
    function rejectWithReason(string calldata reason) external pure {
        // solhint-disable-next-line gas-custom-errors, reason-string
        require(false, reason);
    }

    /// @notice Revert with no data at all.
    function rejectBare() external pure {
        // A revert with empty data straight from the EVM, the case this probe exists for.
        // solhint-disable-next-line no-inline-assembly
        assembly {
            revert(0, 0)
        }
    }

    /// @notice Add one to the counter; fails with `ProbeRejected` once it reaches `limit`.
    function count(uint256 limit) external returns (uint256) {
        uint256 next = _count + 1;
        if (next > limit) revert ProbeRejected(next, msg.sender, bytes32(0));
        _count = next;
        emit ProbeCounted(msg.sender, next);
        return next;
    }

    /// @notice The counter.
    function counted() external view returns (uint256) {
        return _count;
    }
}
