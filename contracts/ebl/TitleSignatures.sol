// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {TitleCore} from "./TitleCore.sol";

/// @title TitleSignatures
/// @notice Holder transfers, endorsements and nominations signed off-chain (EIP-712) and relayed by anyone.
/// @dev A signature is bound to the chain and this registry (domain separator), to the signer's next nonce and to a
/// deadline. Signers may be EOAs or ERC-1271 contracts (OZ {SignatureChecker}). The signed action then runs exactly
/// as if the signer had called it.
/// Invariant: a signer's next nonce only grows, by one per relayed signature or by a jump of {invalidateNonces};
/// a signature whose nonce lies below it never verifies again.
abstract contract TitleSignatures is TitleCore, EIP712 {
    // EIP-712 type strings are longer than 32 bytes by nature; each is hashed at compile time into a constant.
    // solhint-disable gas-small-strings
    bytes32 private constant _TRANSFER_HOLDER_TYPEHASH =
        keccak256(
            "TransferHolder(uint256 id,address holder,address newHolder,bytes remark,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant _TRANSFER_BENEFICIARY_TYPEHASH =
        keccak256(
            "TransferBeneficiary(uint256 id,address holder,address newBeneficiary,bytes remark,uint256 nonce,"
            "uint256 deadline)"
        );
    bytes32 private constant _NOMINATE_TYPEHASH =
        keccak256(
            "Nominate(uint256 id,address beneficiary,address nominee,bytes remark,uint256 nonce,uint256 deadline)"
        );

    // solhint-enable gas-small-strings

    mapping(address signer => uint256 nextNonce) private _nonces;

    constructor() EIP712("TitleRegistry", "1") {}

    /// @inheritdoc ITitleRegistry
    function transferHolderWithSig(
        uint256 id,
        address holder,
        address newHolder,
        bytes calldata remark,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 structHash = _structHash(_TRANSFER_HOLDER_TYPEHASH, id, holder, newHolder, remark, nonce, deadline);
        _useSignature(holder, structHash, nonce, deadline, signature);
        _transferHolder(id, holder, newHolder, remark);
    }

    /// @inheritdoc ITitleRegistry
    function transferBeneficiaryWithSig(
        uint256 id,
        address holder,
        address newBeneficiary,
        bytes calldata remark,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 structHash = _structHash(
            _TRANSFER_BENEFICIARY_TYPEHASH,
            id,
            holder,
            newBeneficiary,
            remark,
            nonce,
            deadline
        );
        _useSignature(holder, structHash, nonce, deadline, signature);
        _transferBeneficiary(id, holder, newBeneficiary, remark);
    }

    /// @inheritdoc ITitleRegistry
    function nominateWithSig(
        uint256 id,
        address beneficiary,
        address nominee,
        bytes calldata remark,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 structHash = _structHash(_NOMINATE_TYPEHASH, id, beneficiary, nominee, remark, nonce, deadline);
        _useSignature(beneficiary, structHash, nonce, deadline, signature);
        _nominate(id, beneficiary, nominee, remark);
    }

    /// @inheritdoc ITitleRegistry
    /// @dev Not paused: cancelling one's own signatures moves no title and harms no one.
    function invalidateNonces(uint256 newNonce) external {
        uint256 current = _nonces[msg.sender];
        // Inclusive bound on purpose: an equal nonce cancels nothing (gas-strict-inequalities disabled on this line).
        if (newNonce <= current) revert TitleNonceNotIncreased(msg.sender, newNonce, current); // solhint-disable-line gas-strict-inequalities
        _nonces[msg.sender] = newNonce;
        emit NoncesInvalidated(msg.sender, current, newNonce);
    }

    /// @inheritdoc ITitleRegistry
    function nonces(address signer) external view returns (uint256) {
        return _nonces[signer];
    }

    /// @inheritdoc ITitleRegistry
    function DOMAIN_SEPARATOR() external view returns (bytes32) { // solhint-disable-line func-name-mixedcase
        return _domainSeparatorV4();
    }

    /// @dev Consumes `signer`'s nonce `nonce` if `signature` is its signature of `structHash` before `deadline`.
    /// A replay finds the nonce used; a signature for another chain or registry does not verify.
    function _useSignature(
        address signer,
        bytes32 structHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) private {
        // A signature's deadline is minutes to days away: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > deadline) revert TitleSignatureExpired(deadline);
        uint256 expected = _nonces[signer];
        if (nonce != expected) {
            if (nonce < expected) revert TitleNonceUsed(signer, nonce);
            revert TitleInvalidNonce(signer, nonce, expected);
        }
        // Checked arithmetic: {invalidateNonces} may move a nonce anywhere, so the last one, type(uint256).max, is
        // never usable (the increment reverts) rather than wrapping to 0 and reviving used signatures.
        _nonces[signer] = nonce + 1;
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, _hashTypedDataV4(structHash), signature)) {
            revert TitleInvalidSignature(signer);
        }
    }

    /// @dev The EIP-712 struct hash shared by the three signed actions: (id, signer, counterparty, remark, nonce,
    /// deadline); `bytes remark` is encoded as its keccak256, as EIP-712 prescribes.
    function _structHash(
        bytes32 typeHash,
        uint256 id,
        address signer,
        address counterparty,
        bytes calldata remark,
        uint256 nonce,
        uint256 deadline
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(typeHash, id, signer, counterparty, keccak256(remark), nonce, deadline));
    }
}
