// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITitleLocker} from "./ITitleLocker.sol";
import {ITitleRegistry} from "./ITitleRegistry.sol";

/// @title ITitleBridge
/// @notice Moves the title to an electronic bill of lading between two ledgers (e.g. Shanghai and Hong Kong). One
/// bridge runs on each chain beside that chain's title registry, holding its LOCKER_ROLE (to take pledges) and its
/// ISSUER_ROLE (to issue claimed bills). A committee of N members attests, M of N (EIP-712 signatures over this
/// bridge's domain: name "TitleBridge", version "1", chain id, bridge address), what happened on the other chain.
/// @dev Lifecycle of a pledge on the source chain: Pending (bill encumbered to the bridge) -> Confirmed (the
/// destination issued the bill: the source bill stays encumbered to the bridge until it returns, see below) or ->
/// Reclaimed (after expiry, the committee attests that the pledge was not claimed: the lock is lifted). On the
/// destination chain a pledge id is claimed at most once and only until its expiry.
/// Return trips: a bill that left a chain under a Confirmed pledge ({departureOf}) and comes back by a claim there is
/// not issued again (a registry issues a document once): the bridge moves its stale copy to the recipient and
/// lifts the lock, and records the new provenance.
interface ITitleBridge is ITitleLocker {
    /// @notice Where a pledge stands on its source chain.
    enum PledgeStatus {
        None,
        Pending,
        Confirmed,
        Reclaimed
    }

    /// @notice What the owner asks for, ABI-encoded as the `data` of `ITitleRegistry.encumber`.
    struct PledgeRequest {
        uint256 destinationChainId;
        address destinationRegistry;
        address recipient;
        uint64 expiry;
    }

    /// @notice A pledge as recorded on its source chain.
    // Field order is part of the ABI (views return this struct, clients decode it by position); the packing
    // the rule suggests would save at most one storage slot per record.
    // solhint-disable-next-line gas-struct-packing
    struct PledgeRecord {
        uint256 billId;
        address owner;
        PledgeStatus status;
        uint64 expiry;
        uint256 destinationChainId;
        address destinationRegistry;
        address recipient;
    }

    /// @notice The committee's attestation of a pledge, signed over the destination bridge's domain as
    /// `Pledge(bytes32 pledgeId,uint256 sourceChainId,address sourceRegistry,uint256 destinationChainId,
    /// address destinationRegistry,uint256 billId,bytes32 documentHash,bytes32 historyHash,address recipient,
    /// uint64 expiry,uint8 kind,uint8 form,uint64 shippedOnBoardDate)`.
    /// @dev `historyHash` is whatever the committee computed from the source chain of title (tradefin:
    /// `tradefin.bridge.history_hash`); kind, form and shipped-on-board date carry the bill's terms across.
    struct Pledge {
        bytes32 pledgeId;
        uint256 sourceChainId;
        address sourceRegistry;
        uint256 destinationChainId;
        address destinationRegistry;
        uint256 billId;
        bytes32 documentHash;
        bytes32 historyHash;
        address recipient;
        uint64 expiry;
        ITitleRegistry.DocumentKind kind;
        ITitleRegistry.ConsignmentForm form;
        uint64 shippedOnBoardDate;
    }

    /// @notice Where a bill issued by this bridge came from.
    struct Provenance {
        bytes32 pledgeId;
        uint256 sourceChainId;
        address sourceRegistry;
        uint256 sourceId;
        bytes32 historyHash;
    }

    // ------------------------------------------------------------------------------------------------- events

    /// @notice `owner` pledged bill `billId` for `recipient` on (`destinationChainId`, `destinationRegistry`).
    event BillPledged(
        bytes32 indexed pledgeId,
        uint256 indexed billId,
        address indexed owner,
        uint256 destinationChainId,
        address destinationRegistry,
        address recipient,
        uint64 expiry
    );
    /// @notice Pledge `pledgeId` was claimed here: bill `billId` was issued to `recipient`.
    event BillClaimed(
        bytes32 indexed pledgeId,
        uint256 indexed billId,
        address indexed recipient,
        uint256 sourceChainId,
        address sourceRegistry,
        bytes32 historyHash
    );
    /// @notice The claim of `pledgeId` was attested: the source bill `billId` is final (locked forever).
    event PledgeConfirmed(bytes32 indexed pledgeId, uint256 indexed billId);
    /// @notice Expired, unclaimed pledge `pledgeId` was undone: bill `billId` is free again with `owner`.
    event PledgeReclaimed(bytes32 indexed pledgeId, uint256 indexed billId, address indexed owner);
    /// @notice The committee became `members` with `threshold`, as committee number `epoch`.
    event CommitteeChanged(uint256 indexed epoch, address[] members, uint256 threshold);

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice An address argument is zero.
    error BridgeZeroAddress();
    /// @notice A committee needs 1 <= threshold <= size <= 256 members.
    error BridgeInvalidCommittee(uint256 size, uint256 threshold);
    /// @notice `member` appears twice in a committee.
    error BridgeDuplicateMember(address member);
    /// @notice Only this bridge's registry calls {onTitleEncumbered}; `caller` is not it.
    error BridgeNotRegistry(address caller);
    /// @notice The pledge data is not one ABI-encoded {PledgeRequest} (`length` bytes).
    error BridgeMalformedPledgeData(uint256 length);
    /// @notice A pledge goes to another chain; `chainId` (or a zero registry) is not a destination.
    error BridgeInvalidDestination(uint256 chainId, address registry);
    /// @notice A pledge's expiry must lie in the future (`timestamp` is now).
    error BridgeInvalidExpiry(uint64 expiry, uint256 timestamp);
    /// @notice No pledge `pledgeId` on this chain.
    error BridgeUnknownPledge(bytes32 pledgeId);
    /// @notice Pledge `pledgeId` is `status`, not Pending.
    error BridgePledgeNotPending(bytes32 pledgeId, PledgeStatus status);
    /// @notice Pledge `pledgeId` expired at `expiry` (`timestamp` is now): it can no longer be claimed.
    error BridgePledgeExpired(bytes32 pledgeId, uint64 expiry, uint256 timestamp);
    /// @notice Pledge `pledgeId` expires at `expiry` (`timestamp` is now): it cannot be reclaimed yet.
    error BridgePledgeNotExpired(bytes32 pledgeId, uint64 expiry, uint256 timestamp);
    /// @notice Pledge `pledgeId` was already claimed on this chain.
    error BridgePledgeAlreadyClaimed(bytes32 pledgeId);
    /// @notice The attested pledge is for (`chainId`, `registry`), not this chain and registry.
    error BridgeWrongDestination(uint256 chainId, address registry);
    /// @notice `count` signatures, `threshold` needed.
    error BridgeTooFewSignatures(uint256 count, uint256 threshold);
    /// @notice Signature number `index` is malformed.
    error BridgeInvalidSignature(uint256 index);
    /// @notice `signer` is not a member of the current committee.
    error BridgeUnknownSigner(address signer);
    /// @notice `signer` signed more than once.
    error BridgeDuplicateSigner(address signer);
    /// @notice Bill `id` returns here with other terms than its copy here has (`kind`, `form`; a straight bill keeps
    /// its `beneficiary`), which the registry cannot change.
    error BridgeReturnTermsChanged(
        uint256 id,
        ITitleRegistry.DocumentKind kind,
        ITitleRegistry.ConsignmentForm form,
        address beneficiary
    );

    // ------------------------------------------------------------------------------------------------- destination

    /// @notice Issues the attested bill here to `pledge.recipient` (beneficiary and holder) and records its
    /// provenance, given M of N committee signatures over `pledge`. Anyone may relay. A bill that left this chain
    /// ({departureOf}) returns instead: its copy here moves to the recipient and its lock is lifted.
    /// @return id The bill's id here, `uint256(pledge.documentHash)`.
    function claim(Pledge calldata pledge, bytes[] calldata signatures) external returns (uint256 id);

    // ------------------------------------------------------------------------------------------------- source

    /// @notice Makes pledge `pledgeId` final, given M of N signatures over `Claimed(bytes32 pledgeId)`: the bill
    /// stays encumbered to this bridge, so nothing moves, surrenders or releases it, until it returns by a claim
    /// here of a later pledge from another chain.
    function confirm(bytes32 pledgeId, bytes[] calldata signatures) external;

    /// @notice After the expiry, lifts the lock of pledge `pledgeId` back to its owner, given M of N signatures over
    /// `NotClaimed(bytes32 pledgeId)`.
    function reclaim(bytes32 pledgeId, bytes[] calldata signatures) external;

    // ------------------------------------------------------------------------------------------------- committee

    /// @notice Replaces the committee, given M of N signatures of the current one over
    /// `CommitteeChange(address[] members,uint256 threshold,uint256 nonce)` with `nonce` = {committeeNonce}.
    function changeCommittee(address[] calldata members, uint256 threshold, bytes[] calldata signatures) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice The registry this bridge pledges from and issues to.
    function registry() external view returns (ITitleRegistry);

    /// @notice The current committee and its threshold.
    /// @return members The members, in order.
    /// @return threshold How many of them must sign.
    function committee() external view returns (address[] memory members, uint256 threshold);

    /// @notice The nonce the next {changeCommittee} signs: the current committee's number (1 for the first).
    function committeeNonce() external view returns (uint256);

    /// @notice Pledge `pledgeId` as recorded here (all zero if it did not start on this chain).
    function pledgeOf(bytes32 pledgeId) external view returns (PledgeRecord memory);

    /// @notice Whether pledge `pledgeId` was claimed on this chain.
    function isClaimed(bytes32 pledgeId) external view returns (bool);

    /// @notice Where bill `id`, issued here by this bridge, came from (all zero otherwise).
    function provenanceOf(uint256 id) external view returns (Provenance memory);

    /// @notice The Confirmed pledge under which bill `id` left this chain and has not returned (zero otherwise).
    /// @return pledgeId That pledge's id.
    function departureOf(uint256 id) external view returns (bytes32 pledgeId);

    /// @notice The EIP-712 digest the committee signs for `pledge` (over this bridge's domain).
    function pledgeDigest(Pledge calldata pledge) external view returns (bytes32);

    /// @notice The EIP-712 domain separator (name "TitleBridge", version "1", chain id, this bridge).
    function DOMAIN_SEPARATOR() external view returns (bytes32); // solhint-disable-line func-name-mixedcase
}
