"""Cross-party flows: a trade as a sequence of party actions, each journaled before and after it is sent."""

from tradefin.flows.collection import CollectionDPFlow
from tradefin.flows.credit import LetterOfCreditFlow, LetterOfCreditWaiverFlow
from tradefin.flows.ebl_delivery import EblDeliveryFlow
from tradefin.flows.financing import EblFinancingFlow
from tradefin.flows.journal import Journal, JournalError
from tradefin.flows.model import Call, Flow, FlowState, Step, StepResult
from tradefin.flows.runner import FlowOutcome, FlowRunner, FlowStepFailed, TransactionLost

FLOWS: dict[str, type[Flow]] = {
    flow.name: flow
    for flow in (EblDeliveryFlow, LetterOfCreditFlow, LetterOfCreditWaiverFlow, CollectionDPFlow, EblFinancingFlow)
}
"""Every flow by name (what ``tradefin resume`` looks runs up in)."""

__all__ = [
    "FLOWS",
    "Call",
    "CollectionDPFlow",
    "EblDeliveryFlow",
    "EblFinancingFlow",
    "Flow",
    "FlowOutcome",
    "FlowRunner",
    "FlowState",
    "FlowStepFailed",
    "Journal",
    "JournalError",
    "LetterOfCreditFlow",
    "LetterOfCreditWaiverFlow",
    "Step",
    "StepResult",
    "TransactionLost",
]
