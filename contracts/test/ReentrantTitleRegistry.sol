// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITitleLocker} from "../interfaces/ITitleLocker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {IShipmentDates} from "../interfaces/IShipmentDates.sol";

/// @title ReentrantTitleRegistry
/// @notice Test-only hostile title registry for the documentary credit: the same issue, encumbrance and view
/// functions (same errors) as TitleRegistry, but it calls back into the locker while it moves or releases a title,
/// and forges lock callbacks. Never deployed by the toolkit.
contract ReentrantTitleRegistry is IShipmentDates {
    /// @notice Mirrors TitleRegistry.LOCKER_ROLE.
    bytes32 public constant LOCKER_ROLE = keccak256("LOCKER_ROLE");

    // A test probe's log: nothing filters by these fields.
    /// @notice The re-entrant call was made; `ok` tells whether it succeeded, `result` is its return or revert data.
    event ReentryAttempted(address target, bool ok, bytes result); // solhint-disable-line gas-indexed-events
    /// @notice Mirrors ITitleRegistry.TitleLocked.
    event TitleLocked(uint256 indexed id, address indexed owner, address indexed locker);
    /// @notice Mirrors ITitleRegistry.TitleUnlocked.
    event TitleUnlocked(uint256 indexed id, address indexed locker, bytes remark);

    mapping(uint256 id => ITitleRegistry.Title record) private _titles;
    mapping(uint256 id => uint64 date) private _onBoard;
    mapping(address account => bool locker) private _lockers;

    /// @notice The locker called back while a title moves.
    address public target;
    /// @notice The calldata of that call.
    bytes public payload;
    /// @notice Whether the last re-entrant call succeeded.
    bool public lastReentrySucceeded;

    /// @notice Issues title `uint256(documentHash)` shipped on board at `shippedOnBoardDate_` (remark ignored).
    /// @return id `uint256(documentHash)`.
    function issue(
        bytes32 documentHash,
        address beneficiary,
        address holder,
        ITitleRegistry.DocumentKind kind,
        ITitleRegistry.ConsignmentForm form,
        uint64 shippedOnBoardDate_,
        bytes calldata
    ) external returns (uint256 id) {
        id = uint256(documentHash);
        if (_titles[id].status != ITitleRegistry.Status.None) revert ITitleRegistry.TitleAlreadyIssued(id);
        ITitleRegistry.Title storage t = _titles[id];
        t.beneficiary = beneficiary;
        t.holder = holder;
        t.kind = kind;
        t.form = form;
        t.status = ITitleRegistry.Status.Active;
        _onBoard[id] = shippedOnBoardDate_;
    }

    /// @inheritdoc IShipmentDates
    function shippedOnBoardDate(uint256 id) external view returns (uint64) {
        return _onBoard[id];
    }

    /// @notice Only LOCKER_ROLE is known; anyone grants it.
    function grantRole(bytes32 role, address account) external {
        if (role == LOCKER_ROLE) _lockers[account] = true;
    }

    /// @notice Whether `account` has LOCKER_ROLE.
    function hasRole(bytes32 role, address account) external view returns (bool) {
        return role == LOCKER_ROLE && _lockers[account];
    }

    /// @notice On the next move or release, call `target_` with `payload_` once.
    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
    }

    /// @notice As ITitleRegistry.encumber.
    function encumber(uint256 id, address locker, bytes calldata data) external {
        ITitleRegistry.Title storage t = _titles[id];
        if (t.status != ITitleRegistry.Status.Active) {
            if (t.status == ITitleRegistry.Status.None) revert ITitleRegistry.TitleNotIssued(id);
            revert ITitleRegistry.TitleNotActive(id, t.status);
        }
        if (t.encumbered) revert ITitleRegistry.TitleAlreadyEncumbered(id, t.locker);
        if (msg.sender != t.beneficiary) revert ITitleRegistry.TitleNotBeneficiary(id, msg.sender);
        if (msg.sender != t.holder) revert ITitleRegistry.TitleNotHolder(id, msg.sender);
        if (!_lockers[locker]) revert ITitleRegistry.TitleLockerUnauthorized(locker);
        t.encumbered = true;
        t.locker = locker;
        emit TitleLocked(id, msg.sender, locker);
        bytes4 accepted = ITitleLocker(locker).onTitleEncumbered(msg.sender, id, data);
        if (accepted != ITitleLocker.onTitleEncumbered.selector) revert ITitleRegistry.TitleLockerRejected(id, locker);
    }

    /// @notice Hostile: calls `locker`'s callback for `id` without locking the title first.
    function forgeCallback(address locker, address operator, uint256 id, bytes calldata data) external {
        ITitleLocker(locker).onTitleEncumbered(operator, id, data);
    }

    /// @notice As ITitleRegistry.release.
    function release(uint256 id, bytes calldata remark) external {
        ITitleRegistry.Title storage t = _lockedBy(id);
        t.encumbered = false;
        t.locker = address(0);
        emit TitleUnlocked(id, msg.sender, remark);
        _attack();
    }

    /// @notice As ITitleRegistry.transferEncumbered (no endorsement rules).
    function transferEncumbered(
        uint256 id,
        address newBeneficiary,
        address newHolder,
        bool keepLocked,
        bytes calldata remark
    ) external {
        ITitleRegistry.Title storage t = _lockedBy(id);
        t.beneficiary = newBeneficiary;
        t.holder = newHolder;
        if (!keepLocked) {
            t.encumbered = false;
            t.locker = address(0);
            emit TitleUnlocked(id, msg.sender, remark);
        }
        _attack();
    }

    /// @notice As ITitleRegistry.transferOwners by the owner (no endorsement rules).
    function transferOwners(uint256 id, address newBeneficiary, address newHolder, bytes calldata) external {
        ITitleRegistry.Title storage t = _titles[id];
        if (t.encumbered) revert ITitleRegistry.TitleEncumbered(id, t.locker);
        if (msg.sender != t.holder) revert ITitleRegistry.TitleNotHolder(id, msg.sender);
        t.beneficiary = newBeneficiary;
        t.holder = newHolder;
    }

    /// @notice As ITitleRegistry.title.
    function title(uint256 id) external view returns (ITitleRegistry.Title memory) {
        return _titles[id];
    }

    /// @notice As ITitleRegistry.lockerOf.
    function lockerOf(uint256 id) external view returns (address) {
        return _titles[id].locker;
    }

    function _lockedBy(uint256 id) private view returns (ITitleRegistry.Title storage t) {
        t = _titles[id];
        if (!t.encumbered || t.locker != msg.sender) {
            if (t.status == ITitleRegistry.Status.None) revert ITitleRegistry.TitleNotIssued(id);
            revert ITitleRegistry.TitleNotLocker(id, msg.sender);
        }
    }

    function _attack() private {
        if (target == address(0)) return;
        address victim = target;
        target = address(0);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory result) = victim.call(payload);
        lastReentrySucceeded = ok;
        emit ReentryAttempted(victim, ok, result);
        if (!ok) {
            // Re-raises the failed call's revert data unchanged: Solidity has no syntax for that.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }
}
