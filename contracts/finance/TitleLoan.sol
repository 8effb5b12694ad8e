// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IFinancingLedger} from "../interfaces/IFinancingLedger.sol";
import {ITitleLoan} from "../interfaces/ITitleLoan.sol";
import {ITitleLocker} from "../interfaces/ITitleLocker.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";

/// @title TitleLoan
/// @notice Loans against a pledged electronic bill of lading, for any ERC-20 that reverts on failure and takes no
/// fee. Needs LOCKER_ROLE on each title registry it lends against and FINANCE_ROLE on the financing ledger.
/// @dev Invariants:
///  - Offered -> Active -> (Repaid | Foreclosed), Offered -> Withdrawn; nothing leaves a final state;
///  - a loan is Active exactly while its bill is encumbered to this contract and its bill key and invoice key (the
///    invoice hash scoped by the loan's registry) are claimed in the ledger under `bytes32(loanId)`: the pledge,
///    both claims and the disbursement happen in one transaction, as do repayment, release and clearing (or
///    foreclosure, transfer and clearing);
///  - the financier is paid principal + interest once at most, and the borrower receives the principal once;
///  - this contract never holds tokens: every payment goes straight from payer to payee.
/// Every state change happens before the external calls of its transaction (checks-effects-interactions), and
/// every entry point is `nonReentrant`.
contract TitleLoan is ReentrancyGuard, ITitleLoan {
    using SafeERC20 for IERC20;

    IFinancingLedger private immutable _LEDGER;

    uint256 private _loanCount;
    mapping(uint256 loanId => Loan loan) private _loans;

    /// @notice Loans against pledged bills, claimed in `ledger_`.
    /// @param ledger_ The financing ledger (this contract needs its FINANCE_ROLE before the first pledge).
    constructor(IFinancingLedger ledger_) {
        if (address(ledger_) == address(0)) revert LoanZeroAddress();
        _LEDGER = ledger_;
    }

    // ------------------------------------------------------------------------------------------------- financier

    /// @inheritdoc ITitleLoan
    function offer(LoanTerms calldata terms) external nonReentrant returns (uint256 loanId) {
        if (
            terms.borrower == address(0) ||
            address(terms.registry) == address(0) ||
            address(terms.token) == address(0)
        ) revert LoanZeroAddress();
        if (terms.principal == 0) revert LoanZeroPrincipal();
        if (terms.invoiceHash == bytes32(0)) revert LoanZeroInvoiceHash();
        if (terms.borrower == msg.sender) revert LoanSelfFinancing(msg.sender);
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // An offer's expiry and maturity are dates: a producer's few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > terms.offerExpiry || terms.offerExpiry >= terms.maturity) { // solhint-disable-line gas-strict-inequalities
            revert LoanInvalidSchedule(terms.offerExpiry, terms.maturity, block.timestamp);
        }
        if (terms.interest > type(uint256).max - terms.principal) {
            revert LoanAmountOverflow(terms.principal, terms.interest);
        }
        // unchecked: one id per offer transaction; 2**256 transactions cannot happen.
        unchecked {
            loanId = ++_loanCount;
        }
        _loans[loanId] = Loan({financier: msg.sender, status: LoanStatus.Offered, startedAt: 0, terms: terms});
        emit LoanOffered(loanId, msg.sender, terms.borrower, terms);
    }

    /// @inheritdoc ITitleLoan
    function withdrawOffer(uint256 loanId) external nonReentrant {
        Loan storage ln = _existing(loanId);
        if (msg.sender != ln.financier) revert LoanNotFinancier(loanId, msg.sender);
        if (ln.status != LoanStatus.Offered) revert LoanNotOffered(loanId, ln.status);
        ln.status = LoanStatus.Withdrawn;
        emit LoanOfferWithdrawn(loanId, msg.sender);
    }

    /// @inheritdoc ITitleLoan
    function foreclose(uint256 loanId, bytes calldata remark) external nonReentrant {
        Loan storage ln = _active(loanId);
        address financier = ln.financier;
        if (msg.sender != financier) revert LoanNotFinancier(loanId, msg.sender);
        LoanTerms storage t = ln.terms;
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        // Maturity is a date: foreclosing a few seconds early or late changes nothing material.
        // slither-disable-next-line timestamp
        if (block.timestamp <= t.maturity) revert LoanNotMatured(loanId, t.maturity); // solhint-disable-line gas-strict-inequalities
        ln.status = LoanStatus.Foreclosed;
        emit LoanForeclosed(loanId, financier, t.borrower, t.billId);
        _clearClaims(loanId, t);
        t.registry.transferEncumbered(t.billId, financier, financier, false, remark);
    }

    // ------------------------------------------------------------------------------------------------- borrower

    /// @inheritdoc ITitleLocker
    /// @dev The borrower's acceptance of offer `abi.decode(data, (uint256))`: checks that the pledge fits the offer,
    /// activates the loan, claims bill and invoice (the invoice under the loan's registry) in the ledger (a live claim
    /// reverts with `LedgerAlreadyFinanced`, undoing the pledge) and pays the principal from the financier to the
    /// borrower.
    function onTitleEncumbered(address operator, uint256 id, bytes calldata data) external nonReentrant returns (bytes4) {
        if (data.length != 32) revert LoanMalformedData(data.length);
        uint256 loanId = abi.decode(data, (uint256));
        Loan storage ln = _existing(loanId);
        if (ln.status != LoanStatus.Offered) revert LoanNotOffered(loanId, ln.status);
        LoanTerms storage t = ln.terms;
        if (msg.sender != address(t.registry)) revert LoanWrongRegistry(loanId, msg.sender);
        if (id != t.billId) revert LoanWrongBill(loanId, id);
        if (operator != t.borrower) revert LoanNotBorrower(loanId, operator);
        // The offer's expiry is a date: a few seconds of timestamp leeway do not matter.
        // slither-disable-next-line timestamp
        if (block.timestamp > t.offerExpiry) revert LoanOfferExpired(loanId, t.offerExpiry);
        ITitleRegistry.Title memory bill = t.registry.title(id);
        if (
            bill.kind != ITitleRegistry.DocumentKind.NegotiableBillOfLading ||
            bill.form == ITitleRegistry.ConsignmentForm.Straight
        ) revert LoanBillNotNegotiable(id, bill.kind, bill.form);
        ln.status = LoanStatus.Active;
        ln.startedAt = uint64(block.timestamp);
        address financier = ln.financier;
        emit LoanDisbursed(loanId, operator, financier, id, t.principal);
        _LEDGER.claim(IFinancingLedger.ClaimKind.Bill, _billKey(t), bytes32(loanId));
        _LEDGER.claim(IFinancingLedger.ClaimKind.Invoice, _invoiceKey(t), bytes32(loanId));
        // `financier` made this offer and approved the principal for it; only the borrower's pledge through the
        // offer's own registry (both checked above) disburses it, once: the loan is Active from here on.
        // slither-disable-next-line arbitrary-send-erc20
        t.token.safeTransferFrom(financier, operator, t.principal);
        return ITitleLocker.onTitleEncumbered.selector;
    }

    /// @inheritdoc ITitleLoan
    function repay(uint256 loanId) external nonReentrant {
        Loan storage ln = _active(loanId);
        LoanTerms storage t = ln.terms;
        address borrower = t.borrower;
        if (msg.sender != borrower) revert LoanNotBorrower(loanId, msg.sender);
        uint256 due = t.principal + t.interest;
        address financier = ln.financier;
        ln.status = LoanStatus.Repaid;
        emit LoanRepaid(loanId, borrower, financier, due);
        _clearClaims(loanId, t);
        t.registry.release(t.billId, "");
        // `borrower` is msg.sender (checked above): the borrower repays from its own allowance.
        // slither-disable-next-line arbitrary-send-erc20
        t.token.safeTransferFrom(borrower, financier, due);
    }

    // ------------------------------------------------------------------------------------------------- views

    /// @inheritdoc ITitleLoan
    function loan(uint256 loanId) external view returns (Loan memory) {
        return _loans[loanId];
    }

    /// @inheritdoc ITitleLoan
    function amountDue(uint256 loanId) external view returns (uint256) {
        LoanTerms storage t = _existing(loanId).terms;
        return t.principal + t.interest;
    }

    /// @inheritdoc ITitleLoan
    function loanCount() external view returns (uint256) {
        return _loanCount;
    }

    /// @inheritdoc ITitleLoan
    function ledger() external view returns (IFinancingLedger) {
        return _LEDGER;
    }

    // ------------------------------------------------------------------------------------------------- private

    function _existing(uint256 loanId) private view returns (Loan storage ln) {
        ln = _loans[loanId];
        if (ln.status == LoanStatus.None) revert LoanNotFound(loanId);
    }

    function _active(uint256 loanId) private view returns (Loan storage ln) {
        ln = _existing(loanId);
        if (ln.status != LoanStatus.Active) revert LoanNotActive(loanId, ln.status);
    }

    /// @dev Ends both ledger claims of an active loan.
    function _clearClaims(uint256 loanId, LoanTerms storage t) private {
        _LEDGER.clear(IFinancingLedger.ClaimKind.Bill, _billKey(t), bytes32(loanId));
        _LEDGER.clear(IFinancingLedger.ClaimKind.Invoice, _invoiceKey(t), bytes32(loanId));
    }

    /// @dev The ledger's key of the loan's bill (the formula of `IFinancingLedger.billKey`).
    function _billKey(LoanTerms storage t) private view returns (bytes32) {
        return keccak256(abi.encode(address(t.registry), t.billId));
    }

    /// @dev The ledger's key of the loan's invoice, scoped by the loan's registry (the formula of
    /// `IFinancingLedger.invoiceKey`): an offer naming a fake registry claims only that registry's keys.
    function _invoiceKey(LoanTerms storage t) private view returns (bytes32) {
        return keccak256(abi.encode(address(t.registry), t.invoiceHash));
    }
}
