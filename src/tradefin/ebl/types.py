"""Plain-Python mirrors of the title registry's enums and views."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from tradefin.documents.transport import ConsignmentForm, DocumentKind

__all__ = ["ConsignmentForm", "DocumentKind", "Status", "SurrenderReason", "Title"]

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


class Status(enum.IntEnum):
    """Lifecycle of a title (``ITitleRegistry.Status``); ACCOMPLISHED and VOIDED are final."""

    NONE = 0
    ACTIVE = 1
    SURRENDER_PENDING_DELIVERY = 2
    SURRENDER_PENDING_AMENDMENT = 3
    ACCOMPLISHED = 4
    VOIDED = 5

    @property
    def is_live(self) -> bool:
        return self in (Status.ACTIVE, Status.SURRENDER_PENDING_DELIVERY, Status.SURRENDER_PENDING_AMENDMENT)


class SurrenderReason(enum.IntEnum):
    DELIVERY = 0
    AMENDMENT = 1


@dataclass(frozen=True)
class Title:
    """The on-chain state of one bill (``ITitleRegistry.title``)."""

    id: int
    beneficiary: str
    holder: str
    kind: DocumentKind
    form: ConsignmentForm
    status: Status
    nominated: bool
    beneficiary_rejectable: bool
    holder_rejectable: bool
    encumbered: bool
    locker: str

    @classmethod
    def from_view(cls, title_id: int, raw: Any) -> Title:
        (beneficiary, holder, kind, form, status, nominated, ben_rej, hold_rej, encumbered, locker) = raw
        return cls(
            id=title_id,
            beneficiary=beneficiary,
            holder=holder,
            kind=DocumentKind(kind),
            form=ConsignmentForm(form),
            status=Status(status),
            nominated=nominated,
            beneficiary_rejectable=ben_rej,
            holder_rejectable=hold_rej,
            encumbered=encumbered,
            locker=locker,
        )

    @property
    def exists(self) -> bool:
        return self.status is not Status.NONE

    @property
    def document_hash(self) -> bytes:
        return self.id.to_bytes(32, "big")
