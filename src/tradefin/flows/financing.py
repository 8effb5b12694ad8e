"""Financing against the eBL: a financier lends to the shipper on the pledged bill (pledge and disbursal in one
transaction, invoice and bill claimed in the financing ledger), the shipper repays principal and interest
(release in the same transaction), then endorses the bill to the buyer, who takes delivery."""

from __future__ import annotations

from collections.abc import Sequence

from eth_abi import encode

from tradefin.finance.loan import LoanTerms
from tradefin.flows.common import (
    approve,
    authorise_locker,
    bill_document,
    bill_id,
    delivery_steps,
    deposit_token_steps,
    issue_step,
    not_financed,
    registry,
    registry_address,
    registry_steps,
)
from tradefin.flows.model import Call, Flow, FlowState, Step

PRINCIPAL = 38_880_000  # CNH 388,800.00: 80% of the invoice
INTEREST = 291_600  # CNH 2,916.00 for 30 days
DEPOSIT_STEP = "deploy financier CNH"
LEDGER = "deploy ledger"
LOANS = "deploy loans"
TENOR = 30 * 86_400


def loan_id(state: FlowState) -> int:
    return int(state.results["offer loan"].event("LoanOffered")["loanId"])


class EblFinancingFlow(Flow):
    name = "ebl-financing"
    parties = ("carrier", "shipper", "buyer", "financier")
    description = "financier lends CNH against the pledged bill; shipper repays; bill endorsed to the buyer"

    def steps(self) -> Sequence[Step]:
        document = bill_document(self.params | {"reference": self.params.get("reference", "OTCLSHA250314003")})
        invoice = (
            bytes.fromhex("11" * 32)
            if not self.params.get("invoice")
            else bytes.fromhex(str(self.params["invoice"]).removeprefix("0x"))
        )

        def terms(s: FlowState) -> tuple[object, ...]:
            start = s.results["issue bill"].timestamp
            return LoanTerms(
                borrower=s.party("shipper"),
                registry=registry_address(s),
                bill_id=bill_id(s),
                invoice_hash=invoice,
                token=s.address(DEPOSIT_STEP),
                principal=PRINCIPAL,
                interest=INTEREST,
                maturity=start + TENOR,
                offer_expiry=start + 7 * 86_400,
            ).as_abi()

        return [
            *registry_steps(self.params),
            *deposit_token_steps("financier", "CNH", {"financier": PRINCIPAL, "shipper": INTEREST}),
            Step(
                LEDGER,
                "financier deploys the financing ledger (one claim per bill and invoice)",
                lambda s: Call("financier", "FinancingLedger", None, (s.party("financier"), 0)),
            ),
            Step(
                LOANS,
                "financier deploys the eBL loan contract",
                lambda s: Call("financier", "TitleLoan", None, (s.address(LEDGER),)),
            ),
            Step(
                "authorise loans",
                "ledger admin lets the loan contract claim bills and invoices",
                lambda s: Call(
                    "financier", "FinancingLedger", "grantRole", (_finance_role(), s.address(LOANS)), "@" + LEDGER
                ),
            ),
            authorise_locker(LOANS),
            issue_step(document, "shipper"),
            approve(
                "financier", DEPOSIT_STEP, LOANS, PRINCIPAL, "financier authorises the disbursal of CNH 388,800.00"
            ),
            Step(
                "offer loan",
                "financier offers CNH 388,800.00 for 30 days against the bill",
                lambda s: Call("financier", "TitleLoan", "offer", (terms(s),), "@" + LOANS),
            ),
            Step(
                "pledge and draw",
                "shipper pledges the bill; the loan is paid out in the same transaction",
                precheck=not_financed(invoice, LEDGER),
                build=lambda s: Call(
                    "shipper",
                    "TitleRegistry",
                    "encumber",
                    (bill_id(s), s.address(LOANS), encode(["uint256"], [loan_id(s)])),
                    registry(s),
                ),
            ),
            approve(
                "shipper", DEPOSIT_STEP, LOANS, PRINCIPAL + INTEREST, "shipper authorises repayment, CNH 391,716.00"
            ),
            Step(
                "repay",
                "shipper repays principal and interest; the bill is released at once",
                lambda s: Call("shipper", "TitleLoan", "repay", (loan_id(s),), "@" + LOANS),
            ),
            Step(
                "endorse to buyer",
                "shipper endorses the bill to the buyer and delivers it",
                lambda s: Call(
                    "shipper",
                    "TitleRegistry",
                    "transferOwners",
                    (bill_id(s), s.party("buyer"), s.party("buyer"), b""),
                    registry(s),
                ),
            ),
            *delivery_steps("buyer"),
        ]


def _finance_role() -> bytes:
    from tradefin.finance.ledger import FINANCE_ROLE

    return FINANCE_ROLE
