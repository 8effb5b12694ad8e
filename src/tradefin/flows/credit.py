"""Letters of credit (UCP 600) between a Hong Kong importer and a Shanghai exporter, settled in the issuing
bank's tokenized HKD: the shipper presents the eBL with the document hashes, the issuing bank examines within five
Hong Kong banking days and honours (payment and title in one transaction), then endorses the bill to the buyer,
whose cover paid for it; the buyer takes delivery."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import ClassVar

from eth_utils import keccak

from tradefin.calendars import HONG_KONG, day_number
from tradefin.ebl.types import ZERO_ADDRESS
from tradefin.finance.credit import (
    COMMERCIAL_INVOICE,
    PACKING_LIST,
    CreditTerms,
    Discrepancy,
    Disposal,
    Tolerance,
    presentation_data,
)
from tradefin.finance.ledger import FINANCE_ROLE
from tradefin.flows.common import (
    approve,
    as_setup,
    authorise_locker,
    bill_document,
    bill_id,
    delivery_steps,
    deposit_token_steps,
    issue_step,
    not_financed,
    on_board_time,
    registry,
    registry_address,
    registry_steps,
)
from tradefin.flows.model import Call, Flow, FlowState, Step

AMOUNT = 48_600_000  # HKD 486,000.00
COVER = AMOUNT  # no tolerance: the cover is the amount
DEPOSIT_STEP = "deploy issuing_bank HKD"
CALENDAR = "deploy calendar"
CREDITS = "deploy credits"
DAY = 86_400


@lru_cache(maxsize=16)
def _closed_days(year: int) -> tuple[int, ...]:
    """Hong Kong's non-banking weekdays of ``year`` and the next, as day numbers (the same for every credit shipped
    that year: computed once)."""
    return tuple(day_number(d) for d in HONG_KONG.non_banking_weekdays([year, year + 1]))


def credit_id(state: FlowState) -> int:
    return int(state.results["request credit"].event("CreditRequested")["creditId"])


def presentation_id(state: FlowState) -> int:
    return int(state.results["present documents"].event("CreditPresented")["presentationId"])


LEDGER = "deploy ledger"


def _financing_ledger(state: FlowState) -> str:
    """The ledger the credit contract claims presentations in: the ``financing_ledger`` parameter, else the one the
    issuing bank deploys (``financing_ledger="none"``: no ledger). With a ledger, a bill or invoice another
    financing holds fails the presentation on chain too, at gas estimation, before anything is sent."""
    named = state.params.get("financing_ledger")
    if named == "none":
        return ZERO_ADDRESS
    return str(named) if named else state.address(LEDGER)


class LetterOfCreditFlow(Flow):
    """A clean presentation, honoured. Subclasses add the examination they need."""

    name = "lc-clean"
    parties = ("carrier", "shipper", "buyer", "issuing_bank", "advising_bank")
    description = "letter of credit, clean presentation: honoured, title to the bank, endorsed to the buyer"
    default_reference: ClassVar[str] = "OTCLSHA250314004"

    def _own_ledger(self) -> tuple[str, ...]:
        named = self.params.get("financing_ledger")
        if named == "none":
            return ()
        return (str(named),) if named else (LEDGER,)

    def _ledger_steps(self) -> list[Step]:
        if self.params.get("financing_ledger"):
            return []
        return [
            Step(
                LEDGER,
                "issuing bank deploys its financing ledger (one live financing per bill and invoice)",
                lambda s: Call("issuing_bank", "FinancingLedger", None, (s.party("issuing_bank"), 0)),
            )
        ]

    def _ledger_role_steps(self) -> list[Step]:
        if self.params.get("financing_ledger"):
            return []
        return [
            Step(
                "authorise credits in ledger",
                "issuing bank lets the credit contract claim the bills and invoices presented under it",
                lambda s: Call(
                    "issuing_bank", "FinancingLedger", "grantRole", (FINANCE_ROLE, s.address(CREDITS)), "@" + LEDGER
                ),
            )
        ]

    def examination(self) -> list[Step]:
        return [
            Step(
                "honour",
                "issuing bank honours: HKD to the shipper and the eBL to the bank, one transaction",
                lambda s: Call(
                    "issuing_bank", "DocumentaryCredit", "honour", (credit_id(s), presentation_id(s)), "@" + CREDITS
                ),
            )
        ]

    def steps(self) -> Sequence[Step]:
        document = bill_document(self.params | {"reference": self.params.get("reference", self.default_reference)})
        shipped = on_board_time(document)
        year = document.shipped_on_board_date.year if document.shipped_on_board_date else 2025
        closed_days = _closed_days(year)
        documents = {
            COMMERCIAL_INVOICE: keccak(text=f"invoice {document.transport_document_reference}"),
            PACKING_LIST: keccak(text=f"packing list {document.transport_document_reference}"),
        }

        def terms(s: FlowState) -> tuple[object, ...]:
            return CreditTerms(
                issuing_bank=s.party("issuing_bank"),
                beneficiary=s.party("shipper"),
                token=s.address(DEPOSIT_STEP),
                registry=registry_address(s),
                amount=AMOUNT,
                expiry=shipped + 45 * DAY,
                latest_shipment=shipped + 6 * DAY,
                tolerance=Tolerance.NONE,
                presentation_days=21,
                partial_drawings=False,
                advising_bank=s.party("advising_bank"),
                document_types=(COMMERCIAL_INVOICE, PACKING_LIST),
            ).as_abi()

        return [
            *registry_steps(self.params),
            *deposit_token_steps("issuing_bank", "HKD", {"buyer": COVER}),
            *as_setup(
                Step(
                    CALENDAR,
                    "issuing bank deploys the banking calendar",
                    lambda s: Call("issuing_bank", "BankingCalendar", None, ()),
                ),
                Step(
                    "calendar offset",
                    "issuing bank registers Hong Kong time (UTC+8)",
                    lambda s: Call(
                        "issuing_bank", "BankingCalendar", "setUtcOffset", (HONG_KONG.utc_offset,), "@" + CALENDAR
                    ),
                ),
                Step(
                    "calendar holidays",
                    f"issuing bank uploads {len(closed_days)} Hong Kong holidays ({year}-{year + 1})",
                    lambda s: Call(
                        "issuing_bank",
                        "BankingCalendar",
                        "setNonBankingDays",
                        (list(closed_days), True),
                        "@" + CALENDAR,
                    ),
                ),
                *self._ledger_steps(),
                Step(
                    CREDITS,
                    "issuing bank deploys the documentary credit contract",
                    lambda s: Call(
                        "issuing_bank", "DocumentaryCredit", None, (s.address(CALENDAR), _financing_ledger(s))
                    ),
                ),
                *self._ledger_role_steps(),
            ),
            authorise_locker(CREDITS),
            # With shared contracts the buyer holds a standing authorisation instead (see bench/throughput.py).
            *as_setup(approve("buyer", DEPOSIT_STEP, CREDITS, COVER, "buyer authorises the cover of HKD 486,000.00")),
            Step(
                "request credit",
                "buyer applies for a credit of HKD 486,000.00 in favour of the shipper",
                lambda s: Call("buyer", "DocumentaryCredit", "request", (terms(s),), "@" + CREDITS),
            ),
            Step(
                "issue credit",
                "issuing bank issues the credit; the cover is locked in the contract",
                lambda s: Call("issuing_bank", "DocumentaryCredit", "issue", (credit_id(s),), "@" + CREDITS),
            ),
            Step(
                "advise credit",
                "advising bank in Shanghai advises the credit to the shipper",
                lambda s: Call("advising_bank", "DocumentaryCredit", "advise", (credit_id(s),), "@" + CREDITS),
            ),
            issue_step(document, "shipper"),
            Step(
                "present documents",
                "shipper presents the eBL, invoice and packing list",
                precheck=not_financed(documents[COMMERCIAL_INVOICE], *self._own_ledger()),
                build=lambda s: Call(
                    "shipper",
                    "TitleRegistry",
                    "encumber",
                    (bill_id(s), s.address(CREDITS), presentation_data(credit_id(s), AMOUNT, documents)),
                    registry(s),
                ),
            ),
            *self.examination(),
            Step(
                "endorse to buyer",
                "issuing bank endorses the bill to the buyer against the cover",
                lambda s: Call(
                    "issuing_bank",
                    "TitleRegistry",
                    "transferOwners",
                    (bill_id(s), s.party("buyer"), s.party("buyer"), b"released against cover"),
                    registry(s),
                ),
            ),
            *delivery_steps("buyer"),
        ]


class LetterOfCreditWaiverFlow(LetterOfCreditFlow):
    name = "lc-discrepant"
    description = "letter of credit with discrepancies: refused and held, the buyer waives, then honoured"
    default_reference = "OTCLSHA250314005"

    def examination(self) -> list[Step]:
        codes = [int(Discrepancy.DATA_CONFLICT), int(Discrepancy.GOODS_DESCRIPTION)]
        return [
            Step(
                "refuse",
                "issuing bank refuses: data conflict, goods description; documents held pending waiver",
                lambda s: Call(
                    "issuing_bank",
                    "DocumentaryCredit",
                    "refuse",
                    (credit_id(s), presentation_id(s), codes, int(Disposal.HOLD_PENDING_WAIVER)),
                    "@" + CREDITS,
                ),
            ),
            Step(
                "waive",
                "buyer (the applicant) waives the discrepancies",
                lambda s: Call(
                    "buyer", "DocumentaryCredit", "waive", (credit_id(s), presentation_id(s)), "@" + CREDITS
                ),
            ),
            *super().examination(),
        ]
