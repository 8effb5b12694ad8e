"""Electronic bills of lading: the title registry client, chain-of-title history, document verification."""

from tradefin.ebl.history import TitleEntry, TitleHistory, histories
from tradefin.ebl.registry import ISSUER_ROLE, LOCKER_ROLE, PAUSER_ROLE, TitleRegistry, title_id
from tradefin.ebl.types import ConsignmentForm, DocumentKind, Status, SurrenderReason, Title
from tradefin.ebl.verify import Verification, verify

__all__ = [
    "ISSUER_ROLE",
    "LOCKER_ROLE",
    "PAUSER_ROLE",
    "ConsignmentForm",
    "DocumentKind",
    "Status",
    "SurrenderReason",
    "Title",
    "TitleEntry",
    "TitleHistory",
    "TitleRegistry",
    "Verification",
    "histories",
    "title_id",
    "verify",
]
