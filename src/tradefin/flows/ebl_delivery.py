"""A bill of lading's own life with no bank in between: issued to the shipper, endorsed and delivered to the
buyer against payment made elsewhere, surrendered to the carrier, accomplished."""

from __future__ import annotations

from collections.abc import Sequence

from tradefin.documents.canonical import document_hash
from tradefin.documents.examples import shanghai_hong_kong_bill
from tradefin.ebl.registry import ISSUER_ROLE
from tradefin.flows.model import Call, Flow, FlowState, Step


def bill_id(state: FlowState) -> int:
    return int(state.results["issue bill"].event("TitleIssued")["id"], 16)


class EblDeliveryFlow(Flow):
    """Params: ``reference`` (transport document reference), ``registry`` (an existing registry address, or
    deploy a new one when absent)."""

    name = "ebl-delivery"
    parties = ("carrier", "shipper", "buyer")
    description = "carrier issues a to-order bill; shipper endorses it to the buyer; buyer surrenders; accomplished"

    def steps(self) -> Sequence[Step]:
        reference = str(self.params.get("reference", "OTCLSHA250314001"))
        document = shanghai_hong_kong_bill(reference=reference)
        digest = document_hash(document)
        day = document.shipped_on_board_date
        on_board = 0 if day is None else _midnight(day.isoformat())

        def registry(state: FlowState) -> str:
            return str(state.params["registry"]) if state.params.get("registry") else "@deploy registry"

        steps: list[Step] = []
        if not self.params.get("registry"):
            steps += [
                Step(
                    "deploy registry",
                    "carrier deploys its eBL title registry",
                    lambda s: Call("carrier", "TitleRegistry", None, ("Carrier eBL", "EBL", _carrier(s), 0, False)),
                ),
                Step(
                    "grant issuer",
                    "carrier authorises its own issuing desk",
                    lambda s: Call("carrier", "TitleRegistry", "grantRole", (ISSUER_ROLE, _carrier(s)), registry(s)),
                ),
            ]
        steps += [
            Step(
                "issue bill",
                f"carrier issues bill {reference} to the shipper (to order)",
                lambda s: Call(
                    "carrier",
                    "TitleRegistry",
                    "issue",
                    (
                        digest,
                        s.party("shipper"),
                        s.party("shipper"),
                        int(document.kind),
                        int(document.consignment_form),
                        on_board,
                        b"shipped on board",
                    ),
                    registry(s),
                ),
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
            Step(
                "surrender",
                "buyer surrenders the bill to the carrier for delivery of the goods",
                lambda s: Call("buyer", "TitleRegistry", "surrender", (bill_id(s), 0, b""), registry(s)),
            ),
            Step(
                "accept surrender",
                "carrier releases the goods: bill accomplished",
                lambda s: Call("carrier", "TitleRegistry", "acceptSurrender", (bill_id(s), b""), registry(s)),
            ),
        ]
        return steps


def _carrier(state: FlowState) -> str:
    return state.party("carrier")


def _midnight(iso_day: str) -> int:
    from datetime import UTC, datetime

    return int(datetime.fromisoformat(iso_day).replace(tzinfo=UTC).timestamp())
