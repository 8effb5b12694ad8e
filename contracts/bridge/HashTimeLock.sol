// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IHashTimeLock} from "../interfaces/IHashTimeLock.sol";
import {ITitleLocker} from "../interfaces/ITitleLocker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";

/// @title HashTimeLock
/// @notice Hash-time-locked contract for bills of lading (through any title registry that grants it LOCKER_ROLE)
/// and ERC-20 tokens: one half of a cross-chain delivery versus payment.
/// @dev Invariants:
///  - None -> Locked -> (Claimed | Refunded); nothing leaves a final state, so each lock pays out once at most;
///  - claim and refund never overlap in time: a claim needs `block.timestamp < timelock`, a refund
///    `block.timestamp >= timelock`;
///  - a claim pays only the recipient and only against `sha256(preimage) == hashlock`; a refund pays only the
///    sender;
///  - a title lock exists only while its bill is encumbered to this contract (the registry's lock is checked when
///    the lock is recorded, and only this contract lifts it, by the claim or the refund);
///  - a lock id is used once: ids derive from the sender and every term, and a recorded id is never overwritten;
///  - the tokens held equal the sum of the amounts of Locked token locks (for tokens without transfer fees).
/// Every state change happens before the external calls of its transaction (checks-effects-interactions), and
/// every entry point is `nonReentrant` (a transient-storage guard, EIP-1153). Anyone may trigger a claim (with the
/// preimage) or a refund (after the timelock): where the asset goes is fixed by the lock, not by the caller.
contract HashTimeLock is ReentrancyGuardTransient, IHashTimeLock {
    using SafeERC20 for IERC20;

    /// @notice The largest amount one token lock holds (amounts are packed into 96 bits).
    uint256 public constant MAX_AMOUNT = type(uint96).max;

    uint256 private constant _TITLE_LOCK_DATA_LENGTH = 96;

    mapping(bytes32 lockId => Lock lock) private _locks;

    // ------------------------------------------------------------------------------------------------- locking

    /// @inheritdoc ITitleLocker
    /// @dev `data` is an ABI-encoded {TitleLockRequest}; the caller is the bill's registry. Checks that the bill
    /// really is encumbered to this contract and can change beneficiary, then records the lock.
    function onTitleEncumbered(address operator, uint256 id, bytes calldata data) external nonReentrant returns (bytes4) {
        if (data.length != _TITLE_LOCK_DATA_LENGTH) revert HtlcMalformedLockData(data.length);
        TitleLockRequest memory req = abi.decode(data, (TitleLockRequest));
        ITitleRegistry.Title memory bill = ITitleRegistry(msg.sender).title(id);
        if (!bill.encumbered || bill.locker != address(this)) revert HtlcTitleNotEncumbered(msg.sender, id);
        if (
            bill.kind != ITitleRegistry.DocumentKind.NegotiableBillOfLading ||
            bill.form == ITitleRegistry.ConsignmentForm.Straight
        ) revert HtlcBillNotTransferable(id, bill.kind, bill.form);
        bytes32 lockId = _record(LockKind.Title, msg.sender, id, operator, req.recipient, req.hashlock, req.timelock);
        emit TitleHashLocked(lockId, req.hashlock, operator, msg.sender, id, req.recipient, req.timelock);
        return ITitleLocker.onTitleEncumbered.selector;
    }

    /// @inheritdoc IHashTimeLock
    function lockTokens(
        address token,
        uint256 amount,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) external nonReentrant returns (bytes32 lockId) {
        lockId = _lockTokens(token, amount, recipient, hashlock, timelock);
    }

    /// @inheritdoc IHashTimeLock
    function lockTokensWithPermit(
        address token,
        uint256 amount,
        address recipient,
        bytes32 hashlock,
        uint64 timelock,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (bytes32 lockId) {
        if (token == address(0)) revert HtlcZeroToken();
        // A failing permit (already used, e.g. front-run from the mempool) is ignored: transferFrom decides. The
        // token is the one being locked, called before any state change; every state-changing function is
        // nonReentrant, so a reentering token could only read views.
        // solhint-disable no-empty-blocks
        // slither-disable-next-line reentrancy-benign
        try IERC20Permit(token).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        // solhint-enable no-empty-blocks
        lockId = _lockTokens(token, amount, recipient, hashlock, timelock);
    }

    // ------------------------------------------------------------------------------------------------- settling

    /// @inheritdoc IHashTimeLock
    function claim(bytes32 lockId, bytes32 preimage) external nonReentrant {
        Lock storage lock = _live(lockId);
        uint64 timelock = lock.timelock;
        // Inclusive bound on purpose: refund starts at `timelock` exactly, so claim and refund never overlap.
        // Timelocks are what an HTLC is: the parties' margins (hours) dwarf a block producer's leeway (seconds).
        // slither-disable-next-line timestamp
        if (block.timestamp >= timelock) revert HtlcExpired(lockId, timelock, block.timestamp); // solhint-disable-line gas-strict-inequalities
        bytes32 hashlock = lock.hashlock;
        if (sha256(abi.encodePacked(preimage)) != hashlock) revert HtlcWrongPreimage(lockId, preimage);
        lock.status = LockStatus.Claimed;
        address recipient = lock.recipient;
        emit LockClaimed(lockId, hashlock, recipient, preimage);
        if (lock.kind == LockKind.Title) {
            ITitleRegistry(lock.asset).transferEncumbered(lock.billId, recipient, recipient, false, "");
        } else {
            IERC20(lock.asset).safeTransfer(recipient, lock.amount);
        }
    }

    /// @inheritdoc IHashTimeLock
    function refund(bytes32 lockId) external nonReentrant {
        Lock storage lock = _live(lockId);
        uint64 timelock = lock.timelock;
        // As in {claim}: the same instant splits claim from refund, and the margins dwarf a producer's leeway.
        // slither-disable-next-line timestamp
        if (block.timestamp < timelock) revert HtlcNotExpired(lockId, timelock, block.timestamp);
        lock.status = LockStatus.Refunded;
        address sender = lock.sender;
        emit LockRefunded(lockId, lock.hashlock, sender);
        if (lock.kind == LockKind.Title) {
            ITitleRegistry(lock.asset).release(lock.billId, "");
        } else {
            IERC20(lock.asset).safeTransfer(sender, lock.amount);
        }
    }

    // ------------------------------------------------------------------------------------------------- views

    /// @inheritdoc IHashTimeLock
    function lockOf(bytes32 lockId) external view returns (Lock memory) {
        return _locks[lockId];
    }

    /// @inheritdoc IHashTimeLock
    function lockIdOf(
        LockKind kind,
        address asset,
        uint256 value,
        address sender,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) external view returns (bytes32) {
        return _lockId(kind, asset, value, sender, recipient, hashlock, timelock);
    }

    // ------------------------------------------------------------------------------------------------- private

    function _lockTokens(
        address token,
        uint256 amount,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) private returns (bytes32 lockId) {
        if (token == address(0)) revert HtlcZeroToken();
        if (amount == 0) revert HtlcZeroAmount();
        if (amount > MAX_AMOUNT) revert HtlcAmountTooLarge(amount, MAX_AMOUNT);
        lockId = _record(LockKind.Token, token, amount, msg.sender, recipient, hashlock, timelock);
        emit TokensHashLocked(lockId, hashlock, msg.sender, token, amount, recipient, timelock);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Checks the common terms and stores a new Locked lock; `value` is the bill id or the token amount
    /// (already checked to fit 96 bits).
    function _record(
        LockKind kind,
        address asset,
        uint256 value,
        address sender,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) private returns (bytes32 lockId) {
        if (recipient == address(0)) revert HtlcZeroRecipient();
        if (hashlock == bytes32(0)) revert HtlcZeroHashlock();
        // Inclusive bound on purpose: a timelock of now would be refundable at once.
        // A timelock at least a block ahead; the parties choose it hours ahead (see {claim}).
        // slither-disable-next-line timestamp
        if (timelock <= block.timestamp) revert HtlcTimelockInPast(timelock, block.timestamp); // solhint-disable-line gas-strict-inequalities
        lockId = _lockId(kind, asset, value, sender, recipient, hashlock, timelock);
        Lock storage lock = _locks[lockId];
        if (lock.status != LockStatus.None) revert HtlcLockExists(lockId);
        lock.sender = sender;
        lock.timelock = timelock;
        lock.kind = kind;
        lock.status = LockStatus.Locked;
        lock.recipient = recipient;
        lock.asset = asset;
        lock.hashlock = hashlock;
        if (kind == LockKind.Title) {
            lock.billId = value;
        } else {
            lock.amount = uint96(value);
        }
    }

    function _lockId(
        LockKind kind,
        address asset,
        uint256 value,
        address sender,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) private view returns (bytes32) {
        return
            keccak256(
                abi.encode(block.chainid, address(this), kind, asset, value, sender, recipient, hashlock, timelock)
            );
    }

    /// @dev Lock `lockId`, which must be Locked.
    function _live(bytes32 lockId) private view returns (Lock storage lock) {
        lock = _locks[lockId];
        LockStatus status = lock.status;
        if (status == LockStatus.Locked) return lock;
        if (status == LockStatus.None) revert HtlcUnknownLock(lockId);
        if (status == LockStatus.Claimed) revert HtlcAlreadyClaimed(lockId);
        revert HtlcAlreadyRefunded(lockId);
    }
}
