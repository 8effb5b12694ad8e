"""A bill of lading's own life with no bank in between: issued to the shipper, endorsed and delivered to the
buyer against payment made elsewhere, surrendered to the carrier, accomplished."""

from __future__ import annotations

from collections.abc import Sequence

from tradefin.flows.common import bill_document, bill_id, delivery_steps, issue_step, registry, registry_steps
from tradefin.flows.model import Call, Flow, Step


class EblDeliveryFlow(Flow):
    """Params: ``reference`` (transport document reference); ``registry`` (an existing registry address; a new
    one is deployed when absent)."""

    name = "ebl-delivery"
    parties = ("carrier", "shipper", "buyer")
    description = "carrier issues a to-order bill; shipper endorses it to the buyer; buyer surrenders; accomplished"

    def steps(self) -> Sequence[Step]:
        return [
            *registry_steps(self.params),
            issue_step(bill_document(self.params), "shipper"),
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
