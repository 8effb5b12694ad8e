// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {PackedHolder, PackedTitle, TitlePacking} from "./TitlePacking.sol";
import {TitleCore} from "./TitleCore.sol";

/// @title TitleERC721
/// @notice The read-only ERC-721 face of the title registry and the title views.
/// @dev The ERC-721 owner of a title is its beneficiary, for as long as the title is live (Active or surrendered
/// pending the issuer's decision). Transfers and approvals are disabled: title moves only through the registry's
/// title operations, which emit the ERC-721 `Transfer` event on every change of beneficiary, issue and burn.
abstract contract TitleERC721 is TitleCore {
    using TitlePacking for PackedTitle;
    using TitlePacking for PackedHolder;

    string private _name;
    string private _symbol;

    constructor(string memory name_, string memory symbol_) {
        _name = name_;
        _symbol = symbol_;
    }

    // ----------------------------------------------------------------------------------------- ERC-721 reads

    /// @inheritdoc IERC721Metadata
    function name() external view returns (string memory) {
        return _name;
    }

    /// @inheritdoc IERC721Metadata
    function symbol() external view returns (string memory) {
        return _symbol;
    }

    /// @inheritdoc IERC721Metadata
    /// @dev Empty: the transport document lives off-chain and is bound by its hash, the token id.
    function tokenURI(uint256 id) external view returns (string memory) {
        _liveTitle(id);
        return "";
    }

    /// @inheritdoc IERC721
    /// @dev The beneficiary of live title `id`.
    function ownerOf(uint256 id) external view returns (address) {
        return _liveTitle(id).beneficiary();
    }

    /// @inheritdoc IERC721
    /// @dev The number of live titles of which `owner` is the beneficiary; reverts {TitleBalancesNotTracked}
    /// unless the registry was deployed to track balances.
    function balanceOf(address owner) external view returns (uint256) {
        if (!_tracksBalances()) revert TitleBalancesNotTracked();
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _balanceOf(owner);
    }

    /// @inheritdoc IERC721
    /// @dev Zero for a live title (there are no approvals); reverts {ERC721NonexistentToken} otherwise, as
    /// {ownerOf} does (EIP-721: throws for an invalid id).
    function getApproved(uint256 id) external view returns (address) {
        _liveTitle(id);
        return address(0);
    }

    /// @inheritdoc IERC721
    /// @dev Always false: there are no operators.
    function isApprovedForAll(address, address) external pure returns (bool) {
        return false;
    }

    // ------------------------------------------------------------------------------- ERC-721 writes (disabled)

    /// @inheritdoc IERC721
    /// @dev Disabled: reverts {TitleDirectTransferDisabled}.
    function approve(address, uint256) external pure {
        revert TitleDirectTransferDisabled();
    }

    /// @inheritdoc IERC721
    /// @dev Disabled: reverts {TitleDirectTransferDisabled}.
    function setApprovalForAll(address, bool) external pure {
        revert TitleDirectTransferDisabled();
    }

    /// @inheritdoc IERC721
    /// @dev Disabled: reverts {TitleDirectTransferDisabled}.
    function transferFrom(address, address, uint256) external pure {
        revert TitleDirectTransferDisabled();
    }

    /// @inheritdoc IERC721
    /// @dev Disabled: reverts {TitleDirectTransferDisabled}.
    function safeTransferFrom(address, address, uint256) external pure {
        revert TitleDirectTransferDisabled();
    }

    /// @inheritdoc IERC721
    /// @dev Disabled: reverts {TitleDirectTransferDisabled}.
    function safeTransferFrom(address, address, uint256, bytes calldata) external pure {
        revert TitleDirectTransferDisabled();
    }

    // ------------------------------------------------------------------------------------------- title views

    /// @inheritdoc ITitleRegistry
    function title(uint256 id) external view returns (Title memory) {
        PackedTitle t = _titleOf(id);
        bool encumbered = t.has(TitlePacking.ENCUMBERED);
        return
            Title({
                beneficiary: t.beneficiary(),
                holder: _holderOf(id).holder(),
                kind: t.kind(),
                form: t.form(),
                status: t.status(),
                nominated: t.has(TitlePacking.NOMINATED),
                beneficiaryRejectable: t.has(TitlePacking.BENEFICIARY_REJECTABLE),
                holderRejectable: t.has(TitlePacking.HOLDER_REJECTABLE),
                encumbered: encumbered,
                locker: encumbered ? _lockerOf(id) : address(0)
            });
    }

    /// @inheritdoc ITitleRegistry
    function documentHash(uint256 id) external view returns (bytes32) {
        if (_titleOf(id).status() == Status.None) revert TitleNotIssued(id);
        return bytes32(id);
    }

    /// @inheritdoc ITitleRegistry
    function shippedOnBoardDate(uint256 id) external view returns (uint64) {
        return _holderOf(id).shippedOnBoard();
    }

    /// @inheritdoc ITitleRegistry
    function supersededBy(uint256 id) external view returns (uint256) {
        return _supersededByOf(id);
    }

    /// @inheritdoc ITitleRegistry
    function isNominee(uint256 id, address account) external view returns (bool) {
        PackedTitle t = _titleOf(id);
        return t.status() == Status.Active && t.has(TitlePacking.NOMINATED) && t.tagIs(account, id);
    }

    /// @inheritdoc ITitleRegistry
    function lockerOf(uint256 id) external view returns (address) {
        return _lockerOf(id);
    }

    /// @inheritdoc ITitleRegistry
    function tracksBalances() external view returns (bool) {
        return _tracksBalances();
    }

    /// @dev Slot A of live title `id`; reverts like ERC-721 for a title never issued, accomplished or voided.
    function _liveTitle(uint256 id) private view returns (PackedTitle t) {
        t = _titleOf(id);
        Status status = t.status();
        if (status == Status.None || status == Status.Accomplished || status == Status.Voided) {
            revert ERC721NonexistentToken(id);
        }
    }
}
