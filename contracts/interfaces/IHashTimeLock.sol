// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITitleLocker} from "./ITitleLocker.sol";
import {ITitleRegistry} from "./ITitleRegistry.sol";

/// @title IHashTimeLock
/// @notice Hash-time-locked exchange of a bill of lading against money across two ledgers (delivery versus
/// payment). One contract per chain locks both kinds of asset: titles (an electronic bill of lading encumbered to
/// this contract through its registry) and ERC-20 tokens (a tokenized deposit). A lock names a recipient, a
/// hashlock and a timelock: before the timelock anyone who knows the preimage may claim it, and the asset goes to
/// the recipient; from the timelock on anyone may refund it, and the asset goes back to the sender.
/// @dev The hashlock is the SHA-256 of a 32-byte secret (`sha256(abi.encodePacked(preimage))`), the convention of
/// Bitcoin/Lightning HTLCs and most cross-chain swap contracts, so the same secret unlocks a counterpart lock on a
/// chain without keccak. Claims emit the preimage, so the other side learns it from the event.
///
/// The safe order for a delivery versus payment: the seller picks the secret and locks the bill for the buyer under
/// `sha256(secret)` with the LONGER timelock; the buyer, having checked that lock (registry, bill, recipient,
/// hashlock, timelock), locks the money for the seller under the same hashlock with a SHORTER timelock; the
/// seller claims the money (revealing the secret), then the buyer claims the bill with it before the bill's
/// timelock. If the seller never reveals, both refund after their timelocks.
///
/// Lock ids are the keccak-256 of `abi.encode(chainid, this, kind, asset, value, sender, recipient, hashlock,
/// timelock)` (`value`: the bill id or the token amount): anyone can recompute them from the terms, and the same
/// sender cannot lock the same terms twice (a retried lock is rejected, never doubled), not even after a refund.
///
/// A title registry's pause blocks both the claim and the refund of its bills (each moves the title), so a bill
/// locked here is only as available as its registry; the parties rely on its carrier as they do for any transfer.
interface IHashTimeLock is ITitleLocker {
    /// @notice What a lock holds.
    enum LockKind {
        Title,
        Token
    }

    /// @notice Where a lock stands. Claimed and Refunded are final.
    enum LockStatus {
        None,
        Locked,
        Claimed,
        Refunded
    }

    /// @notice What the seller asks for, ABI-encoded as the `data` of `ITitleRegistry.encumber`.
    // Field order is the encoding sellers produce (abi.encode of this struct); it is never stored as is.
    // solhint-disable-next-line gas-struct-packing
    struct TitleLockRequest {
        address recipient;
        bytes32 hashlock;
        uint64 timelock;
    }

    /// @notice A lock as stored (four slots for tokens, five for titles).
    /// @dev `asset` is the title registry (Title) or the ERC-20 (Token); `amount` is zero for a title and
    /// `billId` zero for tokens.
    struct Lock {
        address sender;
        uint64 timelock;
        LockKind kind;
        LockStatus status;
        address recipient;
        address asset;
        uint96 amount;
        bytes32 hashlock;
        uint256 billId;
    }

    // ------------------------------------------------------------------------------------------------- events

    /// @notice `sender` locked bill `billId` of `registry` for `recipient` under `hashlock` until `timelock`.
    event TitleHashLocked(
        bytes32 indexed lockId,
        bytes32 indexed hashlock,
        address indexed sender,
        address registry,
        uint256 billId,
        address recipient,
        uint64 timelock
    );
    /// @notice `sender` locked `amount` of `token` for `recipient` under `hashlock` until `timelock`.
    event TokensHashLocked(
        bytes32 indexed lockId,
        bytes32 indexed hashlock,
        address indexed sender,
        address token,
        uint256 amount,
        address recipient,
        uint64 timelock
    );
    /// @notice Lock `lockId` was claimed with `preimage` (`sha256(preimage) == hashlock`): its asset went to
    /// `recipient`. Counterpart locks under the same hashlock can now be claimed with `preimage`.
    event LockClaimed(bytes32 indexed lockId, bytes32 indexed hashlock, address indexed recipient, bytes32 preimage);
    /// @notice Lock `lockId` timed out and its asset went back to `sender`.
    event LockRefunded(bytes32 indexed lockId, bytes32 indexed hashlock, address indexed sender);

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice A lock needs a nonzero recipient.
    error HtlcZeroRecipient();
    /// @notice A token lock needs a nonzero token address.
    error HtlcZeroToken();
    /// @notice A token lock needs a nonzero amount.
    error HtlcZeroAmount();
    /// @notice `amount` exceeds the largest lockable amount `max` (2**96 - 1 token units).
    error HtlcAmountTooLarge(uint256 amount, uint256 max);
    /// @notice A zero hashlock is refused (nobody knows a preimage of it; likely an unset value).
    error HtlcZeroHashlock();
    /// @notice The timelock `timelock` does not lie in the future (`timestamp` is now).
    error HtlcTimelockInPast(uint64 timelock, uint256 timestamp);
    /// @notice The title lock data is not one ABI-encoded {TitleLockRequest} (`length` bytes).
    error HtlcMalformedLockData(uint256 length);
    /// @notice `registry` called back without bill `billId` being encumbered to this contract.
    error HtlcTitleNotEncumbered(address registry, uint256 billId);
    /// @notice Bill `billId` cannot pass to another beneficiary (a straight bill or a sea waybill), so a claim
    /// could never deliver it.
    error HtlcBillNotTransferable(
        uint256 billId,
        ITitleRegistry.DocumentKind kind,
        ITitleRegistry.ConsignmentForm form
    );
    /// @notice A lock with id `lockId` (the same sender and terms) was made before.
    error HtlcLockExists(bytes32 lockId);
    /// @notice No lock `lockId` on this contract.
    error HtlcUnknownLock(bytes32 lockId);
    /// @notice Lock `lockId` was already claimed.
    error HtlcAlreadyClaimed(bytes32 lockId);
    /// @notice Lock `lockId` was already refunded.
    error HtlcAlreadyRefunded(bytes32 lockId);
    /// @notice `sha256(preimage)` is not the hashlock of lock `lockId`.
    error HtlcWrongPreimage(bytes32 lockId, bytes32 preimage);
    /// @notice Lock `lockId` timed out at `timelock` (`timestamp` is now): it can only be refunded.
    error HtlcExpired(bytes32 lockId, uint64 timelock, uint256 timestamp);
    /// @notice Lock `lockId` runs until `timelock` (`timestamp` is now): it cannot be refunded yet.
    error HtlcNotExpired(bytes32 lockId, uint64 timelock, uint256 timestamp);

    // ------------------------------------------------------------------------------------------------- locking

    // Titles are locked by their owner through `ITitleRegistry.encumber(billId, this, abi.encode(TitleLockRequest))`;
    // the registry then calls {onTitleEncumbered}, which records the lock (this contract needs LOCKER_ROLE). Only
    // to-order and blank-endorsed negotiable bills are accepted: a claim must be able to pass title.

    /// @notice Locks `amount` of `token` from the caller (who approved this contract) for `recipient`, under
    /// `hashlock` until `timelock`. For tokens that revert on failure and take no fee on transfer.
    /// @return lockId The new lock's id.
    function lockTokens(
        address token,
        uint256 amount,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) external returns (bytes32 lockId);

    /// @notice {lockTokens} after applying the caller's EIP-2612 permit (`deadline`, `v`, `r`, `s`) for `amount`.
    /// A permit already used (e.g. front-run) is ignored as long as the allowance suffices.
    /// @return lockId The lock's id, as {lockTokens} returns it.
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
    ) external returns (bytes32 lockId);

    // ------------------------------------------------------------------------------------------------- settling

    /// @notice Before the timelock, with `preimage` such that `sha256(preimage)` is the hashlock: gives the asset of
    /// lock `lockId` to its recipient (a bill passes to it as beneficiary and holder, unencumbered). Anyone may call.
    function claim(bytes32 lockId, bytes32 preimage) external;

    /// @notice From the timelock on: gives the asset of lock `lockId` back to its sender (a bill is released).
    /// Anyone may call.
    function refund(bytes32 lockId) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice Lock `lockId` (all zero if unknown).
    function lockOf(bytes32 lockId) external view returns (Lock memory);

    /// @notice The id a lock of `kind` over (`asset`, `value`) by `sender` with these terms gets on this contract.
    function lockIdOf(
        LockKind kind,
        address asset,
        uint256 value,
        address sender,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) external view returns (bytes32);
}
