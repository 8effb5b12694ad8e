"""Is this exact document the issued, live title on this registry, and who holds it?"""

from __future__ import annotations

from dataclasses import dataclass

from tradefin.documents.canonical import document_hash
from tradefin.documents.transport import TransportDocument
from tradefin.ebl.registry import TitleRegistry, title_id
from tradefin.ebl.types import Status, Title


@dataclass(frozen=True)
class Verification:
    """The answer of :func:`verify`: ``valid`` only for a live title whose document hash matches."""

    valid: bool
    reason: str
    title: Title | None

    @property
    def holder(self) -> str | None:
        return self.title.holder if self.title else None

    @property
    def beneficiary(self) -> str | None:
        return self.title.beneficiary if self.title else None


def verify(document: TransportDocument, registry: TitleRegistry, bill_id: int | None = None) -> Verification:
    """Check ``document`` against ``registry`` (and against ``bill_id``, when the id was given separately)."""
    digest = document_hash(document)
    expected = title_id(digest)
    if bill_id is not None and bill_id != expected:
        return Verification(False, f"the document hashes to {expected:#x}, not to bill {bill_id:#x}", None)
    found = registry.title(expected)
    if found.status is Status.NONE:
        return Verification(False, "no bill was issued for this document on this registry", found)
    if found.status is Status.ACCOMPLISHED:
        return Verification(False, "the bill was surrendered and accomplished: it no longer gives title", found)
    if found.status is Status.VOIDED:
        successor = registry.superseded_by(expected)
        where = f"; replaced by {successor:#x}" if successor else ""
        return Verification(False, f"the bill was voided{where}", found)
    if found.status is not Status.ACTIVE:
        return Verification(True, f"live title, surrender pending ({found.status.name.lower()})", found)
    return Verification(True, "live title", found)
