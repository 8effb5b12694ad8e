// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ITitleLocker} from "./ITitleLocker.sol";
import {ITitleRegistry} from "./ITitleRegistry.sol";
import {IFinancingLedger} from "./IFinancingLedger.sol";

/// @title ITitleLoan
/// @notice Loans secured by a pledged electronic bill of lading. A financier offers; the borrower accepts by
/// encumbering the bill to this contract with `abi.encode(loanId)` as data, which in the same transaction records
/// the pledge, claims the bill and the invoice in the {IFinancingLedger} and pays the principal from the financier
/// to the borrower. Repayment of principal + interest releases the bill; after maturity without repayment the
/// financier forecloses and takes the title.
interface ITitleLoan is ITitleLocker {
    /// @notice Lifecycle of a loan. Repaid, Foreclosed and Withdrawn are final.
    enum LoanStatus {
        None,
        Offered, // offer open, waiting for the borrower's pledge
        Active, // bill pledged, principal disbursed
        Repaid, // principal + interest paid, bill released to the borrower
        Foreclosed, // not repaid by maturity, title taken by the financier
        Withdrawn // offer withdrawn (or never taken) by the financier
    }

    /// @notice What the financier offers.
    struct LoanTerms {
        address borrower; // the bill's owner (beneficiary and holder), who pledges it
        ITitleRegistry registry; // the title registry of the bill
        uint256 billId; // the bill (its document hash as a number)
        bytes32 invoiceHash; // the commercial invoice financed with the bill (nonzero)
        IERC20 token; // currency of principal and interest
        uint256 principal; // paid to the borrower at the pledge
        uint256 interest; // owed on top of the principal (an amount, not a rate)
        uint64 maturity; // repayment due; foreclosure possible strictly after
        uint64 offerExpiry; // the pledge must happen at or before this time
    }

    /// @notice A loan, as returned by {loan}.
    // Field order is part of the ABI (views return this struct, clients decode it by position); the packing
    // the rule suggests would save at most one storage slot per record.
    // solhint-disable-next-line gas-struct-packing
    struct Loan {
        address financier;
        LoanStatus status;
        uint64 startedAt; // time of the pledge and disbursement, zero before
        LoanTerms terms;
    }

    // ------------------------------------------------------------------------------------------------- events

    /// @notice `financier` offered loan `loanId` on `terms`.
    event LoanOffered(uint256 indexed loanId, address indexed financier, address indexed borrower, LoanTerms terms);
    /// @notice `financier` withdrew the open offer `loanId`.
    event LoanOfferWithdrawn(uint256 indexed loanId, address indexed financier);
    /// @notice `borrower` pledged bill `billId` and received `principal` from `financier`.
    event LoanDisbursed(
        uint256 indexed loanId,
        address indexed borrower,
        address indexed financier,
        uint256 billId,
        uint256 principal
    );
    /// @notice `borrower` repaid `amount` (principal + interest) to `financier`; the bill is free again.
    event LoanRepaid(uint256 indexed loanId, address indexed borrower, address indexed financier, uint256 amount);
    /// @notice `financier` foreclosed loan `loanId`: title to bill `billId` passed to it.
    event LoanForeclosed(uint256 indexed loanId, address indexed financier, address indexed borrower, uint256 billId);

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice An address in the terms (borrower, registry or token) is zero.
    error LoanZeroAddress();
    /// @notice The principal is zero.
    error LoanZeroPrincipal();
    /// @notice Principal + interest does not fit in a uint256.
    error LoanAmountOverflow(uint256 principal, uint256 interest);
    /// @notice The invoice hash is zero.
    error LoanZeroInvoiceHash();
    /// @notice The financier named itself as the borrower.
    error LoanSelfFinancing(address financier);
    /// @notice The schedule must be `now <= offerExpiry < maturity`.
    error LoanInvalidSchedule(uint64 offerExpiry, uint64 maturity, uint256 timestamp);
    /// @notice No loan `loanId` exists.
    error LoanNotFound(uint256 loanId);
    /// @notice Loan `loanId` is not an open offer; `status` is its status.
    error LoanNotOffered(uint256 loanId, LoanStatus status);
    /// @notice Loan `loanId` is not active; `status` is its status.
    error LoanNotActive(uint256 loanId, LoanStatus status);
    /// @notice `caller` is not the financier of `loanId`.
    error LoanNotFinancier(uint256 loanId, address caller);
    /// @notice `caller` is not the borrower of `loanId`.
    error LoanNotBorrower(uint256 loanId, address caller);
    /// @notice The offer `loanId` expired at `offerExpiry`.
    error LoanOfferExpired(uint256 loanId, uint64 offerExpiry);
    /// @notice `caller` is not the registry named in offer `loanId`.
    error LoanWrongRegistry(uint256 loanId, address caller);
    /// @notice Bill `billId` was pledged for offer `loanId`, which is for another bill.
    error LoanWrongBill(uint256 loanId, uint256 billId);
    /// @notice Only a negotiable to-order or blank-endorsed bill can be pledged (a straight bill cannot pass to the
    /// financier on foreclosure).
    error LoanBillNotNegotiable(
        uint256 billId,
        ITitleRegistry.DocumentKind kind,
        ITitleRegistry.ConsignmentForm form
    );
    /// @notice The encumbrance data must be `abi.encode(uint256 loanId)`; it was `length` bytes long.
    error LoanMalformedData(uint256 length);
    /// @notice Loan `loanId` matures at `maturity`: no foreclosure until after then.
    error LoanNotMatured(uint256 loanId, uint64 maturity);

    // ------------------------------------------------------------------------------------------------- financier

    /// @notice The caller (financier) offers a loan on `terms`; the principal is drawn from the caller's allowance
    /// to this contract at the pledge.
    /// @return loanId The new loan's id (counting from 1).
    function offer(LoanTerms calldata terms) external returns (uint256 loanId);

    /// @notice The financier withdraws its open offer `loanId` (expired or not).
    function withdrawOffer(uint256 loanId) external;

    /// @notice After maturity without repayment, the financier takes the title (beneficiary and holder) of the
    /// pledged bill, unlocked; the ledger claims are cleared.
    function foreclose(uint256 loanId, bytes calldata remark) external;

    // ------------------------------------------------------------------------------------------------- borrower

    /// @notice The borrower pays principal + interest to the financier (from its allowance to this contract) and
    /// gets the bill back, unlocked; the ledger claims are cleared. Possible until the financier forecloses.
    function repay(uint256 loanId) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice Loan `loanId` (all zero if it does not exist).
    function loan(uint256 loanId) external view returns (Loan memory);

    /// @notice Principal + interest of `loanId`.
    function amountDue(uint256 loanId) external view returns (uint256);

    /// @notice How many loans were offered (the last loan id).
    function loanCount() external view returns (uint256);

    /// @notice The financing ledger this contract claims bills and invoices in.
    function ledger() external view returns (IFinancingLedger);
}
