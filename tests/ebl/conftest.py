"""Fixtures for the title registry: one registry per session, a factory that issues fresh bills."""

import itertools
from collections.abc import Callable

import pytest
from eth_utils import keccak

from tradefin.ebl import ConsignmentForm, DocumentKind, TitleRegistry

_serial = itertools.count()


@pytest.fixture(scope="session")
def registry(ctx, carrier) -> TitleRegistry:
    return TitleRegistry.deploy(ctx, carrier)


@pytest.fixture
def issue_bill(registry, carrier, shipper) -> Callable[..., int]:
    """Issue a new bill (a fresh document hash) and return its id."""

    def issue(
        beneficiary=None,
        holder=None,
        *,
        kind: DocumentKind = DocumentKind.NEGOTIABLE_BILL_OF_LADING,
        form: ConsignmentForm = ConsignmentForm.TO_ORDER,
        remark: bytes = b"",
    ) -> int:
        beneficiary = beneficiary or shipper
        holder = holder or beneficiary
        digest = keccak(text=f"bill {next(_serial)}")
        return registry.issue(
            digest,
            beneficiary=beneficiary.address,
            holder=holder.address,
            sender=carrier,
            kind=kind,
            form=form,
            remark=remark,
        ).id

    return issue
