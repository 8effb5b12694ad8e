"""Documentary collection, documents against payment (URC 522): the shipper lodges the bill with the
collection contract; the buyer's payment in tokenized HKD and the title move in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from eth_utils import keccak

from tradefin.finance.collection import CollectionInstruction
from tradefin.flows.common import (
    approve,
    authorise_locker,
    bill_document,
    bill_id,
    delivery_steps,
    deposit_token_steps,
    issue_step,
    registry,
    registry_steps,
)
from tradefin.flows.model import Call, Flow, FlowState, Step

AMOUNT = 48_600_000  # HKD 486,000.00 for the LED monitors
DEPOSIT_STEP = "deploy collecting_bank HKD"
COLLECTION = "deploy collection"
PRESENTATION_DAYS = 30


def collection_id(state: FlowState) -> int:
    return int(state.results["lodge documents"].event("CollectionLodged")["collectionId"])


class CollectionDPFlow(Flow):
    name = "collection-dp"
    parties = ("carrier", "shipper", "buyer", "collecting_bank")
    description = "D/P collection: the buyer pays in tokenized HKD and takes the bill in the same transaction"

    def steps(self) -> Sequence[Step]:
        document = bill_document(self.params | {"reference": self.params.get("reference", "OTCLSHA250314002")})

        def instruction(s: FlowState) -> bytes:
            deadline = s.results["issue bill"].timestamp + PRESENTATION_DAYS * 86_400
            return CollectionInstruction.documents_against_payment(
                drawer=s.party("shipper"),
                drawee=s.party("buyer"),
                token=s.address(DEPOSIT_STEP),
                amount=AMOUNT,
                presentation_deadline=deadline,
                collecting_bank=s.party("collecting_bank"),
                remitter_ref=keccak(text=document.transport_document_reference),
            ).encode()

        return [
            *registry_steps(self.params),
            *deposit_token_steps("collecting_bank", "HKD", {"buyer": AMOUNT}),
            Step(
                COLLECTION,
                "collecting bank deploys the collection escrow",
                lambda s: Call("collecting_bank", "DocumentaryCollection", None, ()),
            ),
            authorise_locker(COLLECTION),
            issue_step(document, "shipper"),
            Step(
                "lodge documents",
                "shipper lodges the bill for collection, D/P HKD 486,000.00",
                lambda s: Call(
                    "shipper",
                    "TitleRegistry",
                    "encumber",
                    (bill_id(s), s.address(COLLECTION), instruction(s)),
                    registry(s),
                ),
            ),
            approve(
                "buyer", DEPOSIT_STEP, COLLECTION, AMOUNT, "buyer authorises the collection to debit HKD 486,000.00"
            ),
            Step(
                "pay against documents",
                "buyer pays; HKD to shipper and title to buyer, one transaction",
                lambda s: Call("buyer", "DocumentaryCollection", "pay", (collection_id(s),), "@" + COLLECTION),
            ),
            *delivery_steps("buyer"),
        ]
