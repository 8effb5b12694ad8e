// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {ITitleBridge} from "../interfaces/ITitleBridge.sol";
import {ITitleLocker} from "../interfaces/ITitleLocker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";

/// @title TitleBridge
/// @notice One side of a committee-attested bridge for electronic bills of lading between two ledgers. Needs
/// LOCKER_ROLE (pledges) and ISSUER_ROLE (claims) on its registry.
/// @dev Invariants:
///  - a bill is live on at most one chain: a pledged bill stays encumbered to this bridge (so it cannot move,
///    surrender or be pledged again) until it is either reclaimed, which needs the committee's attestation that
///    the pledge was not claimed and that its expiry passed, or confirmed, after which only the claim of a later
///    attested pledge of the same bill from another chain (a return trip) releases it; the destination issues or
///    returns a pledge's bill only before the expiry, so an honest committee never attests both;
///  - `departureOf(id)` is non-zero exactly while bill `id` is encumbered here under a Confirmed pledge (it left
///    this chain); a claim of bill `id` moves it to the recipient and lifts that lock instead of issuing it anew;
///  - a pledge id (keccak of source chain id, registry, bill id, nonce) is claimed at most once per destination;
///  - Pending -> Confirmed | Reclaimed; nothing leaves a final state (a returned bill's old pledge stays Confirmed:
///    it records that the bill left, `departureOf` and the lock tell whether it is still away);
///  - every attestation needs `threshold` distinct members of the current committee (EIP-712 over this bridge's
///    domain), and the committee changes only by such an attestation with a nonce used once.
/// Confirmed bills stay encumbered rather than surrendered away: the registry's issuer keeps control of
/// surrenders, and `pledgeOf` plus the lock tell any reader that the title now lives on another chain.
/// Every state change happens before the external calls of its transaction (checks-effects-interactions), and
/// every entry point is `nonReentrant`.
contract TitleBridge is EIP712, ReentrancyGuard, ITitleBridge {
    /// @notice The largest committee (signers are tracked in a 256-bit set).
    uint256 public constant MAX_MEMBERS = 256;

    // EIP-712 type strings are longer than 32 bytes by nature; each is hashed at compile time into a constant.
    // solhint-disable gas-small-strings
    bytes32 private constant _PLEDGE_TYPEHASH =
        keccak256(
            "Pledge(bytes32 pledgeId,uint256 sourceChainId,address sourceRegistry,uint256 destinationChainId,"
            "address destinationRegistry,uint256 billId,bytes32 documentHash,bytes32 historyHash,address recipient,"
            "uint64 expiry,uint8 kind,uint8 form,uint64 shippedOnBoardDate)"
        );
    bytes32 private constant _CLAIMED_TYPEHASH = keccak256("Claimed(bytes32 pledgeId)");
    bytes32 private constant _NOT_CLAIMED_TYPEHASH = keccak256("NotClaimed(bytes32 pledgeId)");
    bytes32 private constant _COMMITTEE_CHANGE_TYPEHASH =
        keccak256("CommitteeChange(address[] members,uint256 threshold,uint256 nonce)");
    // solhint-enable gas-small-strings
    uint256 private constant _PLEDGE_DATA_LENGTH = 128;

    ITitleRegistry private immutable _REGISTRY;

    address[] private _members;
    uint256 private _threshold;
    uint256 private _epoch;
    uint256 private _pledgeNonce;
    mapping(uint256 epoch => mapping(address member => uint256 position)) private _positions;
    mapping(bytes32 pledgeId => PledgeRecord record) private _pledges;
    mapping(bytes32 pledgeId => bool claimed) private _claimed;
    mapping(uint256 id => Provenance provenance) private _provenance;
    mapping(uint256 id => bytes32 pledgeId) private _departures;

    /// @notice A bridge for `registry_`, attested by `members`.
    /// @param registry_ This chain's title registry.
    /// @param members The first committee.
    /// @param threshold How many members must sign an attestation.
    constructor(ITitleRegistry registry_, address[] memory members, uint256 threshold) EIP712("TitleBridge", "1") {
        if (address(registry_) == address(0)) revert BridgeZeroAddress();
        _REGISTRY = registry_;
        _setCommittee(members, threshold);
    }

    // ------------------------------------------------------------------------------------------------- source

    /// @inheritdoc ITitleLocker
    /// @dev `data` is an ABI-encoded {PledgeRequest}. Records a Pending pledge of `id` by `operator`.
    function onTitleEncumbered(address operator, uint256 id, bytes calldata data) external nonReentrant returns (bytes4) {
        if (msg.sender != address(_REGISTRY)) revert BridgeNotRegistry(msg.sender);
        if (data.length != _PLEDGE_DATA_LENGTH) revert BridgeMalformedPledgeData(data.length);
        PledgeRequest memory req = abi.decode(data, (PledgeRequest));
        if (req.destinationChainId == block.chainid || req.destinationRegistry == address(0)) {
            revert BridgeInvalidDestination(req.destinationChainId, req.destinationRegistry);
        }
        if (req.recipient == address(0)) revert BridgeZeroAddress();
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // Only rejects expiries already past; a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (req.expiry <= block.timestamp) revert BridgeInvalidExpiry(req.expiry, block.timestamp); // solhint-disable-line gas-strict-inequalities
        uint256 nonce = _pledgeNonce;
        // unchecked: one increment per pledge transaction; 2**256 transactions cannot happen.
        unchecked {
            _pledgeNonce = nonce + 1;
        }
        bytes32 pledgeId = keccak256(abi.encode(block.chainid, address(_REGISTRY), id, nonce));
        _pledges[pledgeId] = PledgeRecord({
            billId: id,
            owner: operator,
            status: PledgeStatus.Pending,
            expiry: req.expiry,
            destinationChainId: req.destinationChainId,
            destinationRegistry: req.destinationRegistry,
            recipient: req.recipient
        });
        emit BillPledged(
            pledgeId,
            id,
            operator,
            req.destinationChainId,
            req.destinationRegistry,
            req.recipient,
            req.expiry
        );
        return ITitleLocker.onTitleEncumbered.selector;
    }

    /// @inheritdoc ITitleBridge
    function confirm(bytes32 pledgeId, bytes[] calldata signatures) external nonReentrant {
        PledgeRecord storage record = _pendingPledge(pledgeId);
        _verify(_hashTypedDataV4(keccak256(abi.encode(_CLAIMED_TYPEHASH, pledgeId))), signatures);
        record.status = PledgeStatus.Confirmed;
        uint256 billId = record.billId;
        _departures[billId] = pledgeId;
        emit PledgeConfirmed(pledgeId, billId);
    }

    /// @inheritdoc ITitleBridge
    function reclaim(bytes32 pledgeId, bytes[] calldata signatures) external nonReentrant {
        PledgeRecord storage record = _pendingPledge(pledgeId);
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // A pledge's expiry is hours to days away: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp <= record.expiry) revert BridgePledgeNotExpired(pledgeId, record.expiry, block.timestamp); // solhint-disable-line gas-strict-inequalities
        _verify(_hashTypedDataV4(keccak256(abi.encode(_NOT_CLAIMED_TYPEHASH, pledgeId))), signatures);
        record.status = PledgeStatus.Reclaimed;
        uint256 billId = record.billId;
        emit PledgeReclaimed(pledgeId, billId, record.owner);
        _REGISTRY.release(billId, "");
    }

    // ------------------------------------------------------------------------------------------------- destination

    /// @inheritdoc ITitleBridge
    function claim(Pledge calldata pledge, bytes[] calldata signatures) external nonReentrant returns (uint256 id) {
        bytes32 pledgeId = pledge.pledgeId;
        if (pledge.destinationChainId != block.chainid || pledge.destinationRegistry != address(_REGISTRY)) {
            revert BridgeWrongDestination(pledge.destinationChainId, pledge.destinationRegistry);
        }
        _verify(_pledgeDigest(pledge), signatures);
        // A pledge's expiry is hours to days away: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > pledge.expiry) revert BridgePledgeExpired(pledgeId, pledge.expiry, block.timestamp);
        if (_claimed[pledgeId]) revert BridgePledgeAlreadyClaimed(pledgeId);
        id = uint256(pledge.documentHash);
        bool returning = _departures[id] != bytes32(0);
        if (returning) _checkReturnTerms(id, pledge);
        _claimed[pledgeId] = true;
        if (returning) delete _departures[id];
        _provenance[id] = Provenance({
            pledgeId: pledgeId,
            sourceChainId: pledge.sourceChainId,
            sourceRegistry: pledge.sourceRegistry,
            sourceId: pledge.billId,
            historyHash: pledge.historyHash
        });
        emit BillClaimed(
            pledgeId,
            id,
            pledge.recipient,
            pledge.sourceChainId,
            pledge.sourceRegistry,
            pledge.historyHash
        );
        if (returning) {
            // The bill left from here and was confirmed away: it comes back to the recipient, lock lifted.
            _REGISTRY.transferEncumbered(id, pledge.recipient, pledge.recipient, false, "");
        } else {
            // issue returns uint256(pledge.documentHash), which is `id` already.
            // slither-disable-next-line unused-return
            _REGISTRY.issue(
                pledge.documentHash,
                pledge.recipient,
                pledge.recipient,
                pledge.kind,
                pledge.form,
                pledge.shippedOnBoardDate,
                ""
            );
        }
    }

    // ------------------------------------------------------------------------------------------------- committee

    /// @inheritdoc ITitleBridge
    function changeCommittee(
        address[] calldata members,
        uint256 threshold,
        bytes[] calldata signatures
    ) external nonReentrant {
        bytes32 structHash = keccak256(
            abi.encode(_COMMITTEE_CHANGE_TYPEHASH, keccak256(abi.encodePacked(members)), threshold, _epoch)
        );
        _verify(_hashTypedDataV4(structHash), signatures);
        _setCommittee(members, threshold);
    }

    // ------------------------------------------------------------------------------------------------- views

    /// @inheritdoc ITitleBridge
    function registry() external view returns (ITitleRegistry) {
        return _REGISTRY;
    }

    /// @inheritdoc ITitleBridge
    function committee() external view returns (address[] memory members, uint256 threshold) {
        return (_members, _threshold);
    }

    /// @inheritdoc ITitleBridge
    function committeeNonce() external view returns (uint256) {
        return _epoch;
    }

    /// @inheritdoc ITitleBridge
    function pledgeOf(bytes32 pledgeId) external view returns (PledgeRecord memory) {
        return _pledges[pledgeId];
    }

    /// @inheritdoc ITitleBridge
    function isClaimed(bytes32 pledgeId) external view returns (bool) {
        return _claimed[pledgeId];
    }

    /// @inheritdoc ITitleBridge
    function provenanceOf(uint256 id) external view returns (Provenance memory) {
        return _provenance[id];
    }

    /// @inheritdoc ITitleBridge
    function departureOf(uint256 id) external view returns (bytes32) {
        return _departures[id];
    }

    /// @inheritdoc ITitleBridge
    function pledgeDigest(Pledge calldata pledge) external view returns (bytes32) {
        return _pledgeDigest(pledge);
    }

    /// @inheritdoc ITitleBridge
    function DOMAIN_SEPARATOR() external view returns (bytes32) { // solhint-disable-line func-name-mixedcase
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------------------------------------- internal

    function _pendingPledge(bytes32 pledgeId) private view returns (PledgeRecord storage record) {
        record = _pledges[pledgeId];
        if (record.status == PledgeStatus.None) revert BridgeUnknownPledge(pledgeId);
        if (record.status != PledgeStatus.Pending) revert BridgePledgeNotPending(pledgeId, record.status);
    }

    /// @dev A returning bill keeps the kind and form it has here (the registry cannot change them), and a straight
    /// bill or sea waybill keeps its beneficiary.
    function _checkReturnTerms(uint256 id, Pledge calldata pledge) private view {
        ITitleRegistry.Title memory here = _REGISTRY.title(id);
        if (
            here.kind != pledge.kind ||
            here.form != pledge.form ||
            (here.form == ITitleRegistry.ConsignmentForm.Straight && here.beneficiary != pledge.recipient)
        ) {
            revert BridgeReturnTermsChanged(id, here.kind, here.form, here.beneficiary);
        }
    }

    /// @dev Two abi.encode halves (all static fields, so their concatenation is the full encoding) keep the stack
    /// shallow without via-IR.
    function _pledgeDigest(Pledge calldata p) private view returns (bytes32) {
        bytes memory head = abi.encode(
            _PLEDGE_TYPEHASH,
            p.pledgeId,
            p.sourceChainId,
            p.sourceRegistry,
            p.destinationChainId,
            p.destinationRegistry,
            p.billId
        );
        bytes memory tail = abi.encode(
            p.documentHash,
            p.historyHash,
            p.recipient,
            p.expiry,
            uint8(p.kind),
            uint8(p.form),
            p.shippedOnBoardDate
        );
        return _hashTypedDataV4(keccak256(bytes.concat(head, tail)));
    }

    /// @dev Reverts unless `signatures` are by at least `threshold` distinct members of the current committee.
    function _verify(bytes32 digest, bytes[] calldata signatures) private view {
        uint256 threshold = _threshold;
        if (signatures.length < threshold) revert BridgeTooFewSignatures(signatures.length, threshold);
        uint256 epoch = _epoch;
        uint256 seen = 0;
        for (uint256 i = 0; i < signatures.length; ++i) {
            // The omitted third value only details a recovery error, and any error is rejected on the next line.
            // slither-disable-next-line unused-return
            (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError) revert BridgeInvalidSignature(i);
            uint256 position = _positions[epoch][signer];
            if (position == 0) revert BridgeUnknownSigner(signer);
            uint256 bit = 1 << (position - 1);
            if (seen & bit != 0) revert BridgeDuplicateSigner(signer);
            seen |= bit;
        }
    }

    function _setCommittee(address[] memory members, uint256 threshold) private {
        uint256 size = members.length;
        if (threshold == 0 || threshold > size || size > MAX_MEMBERS) revert BridgeInvalidCommittee(size, threshold);
        uint256 epoch = _epoch + 1;
        for (uint256 i = 0; i < size; ++i) {
            address member = members[i];
            if (member == address(0)) revert BridgeZeroAddress();
            if (_positions[epoch][member] != 0) revert BridgeDuplicateMember(member);
            _positions[epoch][member] = i + 1;
        }
        _epoch = epoch;
        _members = members;
        _threshold = threshold;
        emit CommitteeChanged(epoch, members, threshold);
    }
}
