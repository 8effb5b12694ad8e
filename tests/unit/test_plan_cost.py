"""A flow's plan is built cheaply and exactly as before: the expected values below were computed with the code as
it was before the plan was made cheaper (documents built from cached parts, one walk for canonical JSON, Hong Kong
closed days cached per year), so any change to a step, a label, a call argument or a document hash shows here."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from tradefin.documents import (
    CanonicalJSONError,
    ConsignmentForm,
    TransportDocument,
    canonical_document,
    canonical_json,
    document_hash,
)
from tradefin.documents.examples import shanghai_hong_kong_bill, shanghai_hong_kong_waybill
from tradefin.flows import FLOWS, FlowState, StepResult

EVENTS = [
    {"name": "CreditRequested", "args": {"creditId": 5}},
    {"name": "CreditPresented", "args": {"presentationId": 2}},
    {"name": "TitleIssued", "args": {"id": "0x" + "ab" * 32}},
    {"name": "CollectionLodged", "args": {"collectionId": 4}},
    {"name": "LoanOffered", "args": {"loanId": 9}},
]


class _Results(dict[str, StepResult]):
    """Every step has landed: a contract address derived from its name and every event a later step reads."""

    def __missing__(self, name: str) -> StepResult:
        address = "0x" + hashlib.sha256(name.encode()).hexdigest()[:40]
        return StepResult(name, name, "p", "0x0", "0x0", 1, 1_741_910_400, 0, address, EVENTS)


def describe(flow_name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Each planned step with the call it builds for a fake state."""
    flow = FLOWS[flow_name](params)
    parties = {role: "0x" + hashlib.sha256(role.encode()).hexdigest()[-40:] for role in flow.parties}
    state = FlowState(dict(flow.params), parties, _Results())
    return [
        {
            "name": step.name,
            "label": step.label,
            "setup": step.setup,
            "chain": step.chain,
            "precheck": step.precheck is not None,
            "call": step.build(state).describe(),
        }
        for step in flow.plan()
    ]


SHARED = {
    name: f"0x{index + 1:040x}"
    for index, name in enumerate(
        ("deploy registry", "deploy issuing_bank HKD", "deploy calendar", "deploy ledger", "deploy credits")
    )
}
CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    "lc-clean": ("lc-clean", {}),
    "lc-clean shared": ("lc-clean", {"reference": "BENCH-0001", "contracts": SHARED, "on_board": "2025-06-30"}),
    "lc-clean new year": ("lc-clean", {"reference": "LC-2026", "on_board": "2026-12-31", "financing_ledger": "none"}),
    "lc-clean named": (
        "lc-clean",
        {"on_board": "2025-01-02", "financing_ledger": "0x" + "cd" * 20, "registry": "0x" + "ef" * 20},
    ),
    "lc-discrepant": ("lc-discrepant", {"on_board": "2024-02-29"}),
    "collection-dp": ("collection-dp", {"on_board": "2025-03-14"}),
    "ebl-financing": ("ebl-financing", {"reference": "FIN-1", "invoice": "0x" + "22" * 32}),
    "ebl-delivery": ("ebl-delivery", {"reference": "DLV-7", "on_board": "2030-07-01"}),
}
PLAN_SHA256 = {
    "lc-clean": "5b3e7a4f3b620b8cd213d274c08f37e907e126881782c449070725787b725301",
    "lc-clean shared": "a5d5d8064a1047394c05b8865f19b98dae065fccf4111dc81d15dc4594343aa6",
    "lc-clean new year": "f1e12ab92b3da2a001e9d9a8dd5a77c081bdba3c4c09bc950e9f6260416c7d65",
    "lc-clean named": "d3f445a4416b7953c97cfebf678bc772fd9dc860f6973aa5a1cab674794edb47",
    "lc-discrepant": "f92a3fa1e5fe0529fcb85b77dcdf41c1314f85b4af67c24b9f91539b0b3362ba",
    "collection-dp": "dcfeb449760d744cc9e9d3b4066b62be2da0cce87ecf649b1cd12f50a2e9d121",
    "ebl-financing": "edb99e400fb2b96b15d3d27e1c48058f8c9e04f37fc27fe97ce0627a0de58bd8",
    "ebl-delivery": "159287eb2dba73bca650dfd33b1e855efc018fa4bb1c296d63f76c9d2726448a",
}
"""SHA-256 of each plan's description (:func:`describe`) as compact sorted JSON."""

LC_CLEAN_STEPS = [
    ("deploy registry", "carrier deploys its eBL title registry", True),
    ("grant issuer", "carrier authorises its issuing desk", True),
    ("deploy issuing_bank HKD", "issuing bank issues its tokenized HKD deposit", True),
    ("credit buyer HKD", "issuing bank credits buyer 486,000.00 HKD", False),
    ("deploy calendar", "issuing bank deploys the banking calendar", True),
    ("calendar offset", "issuing bank registers Hong Kong time (UTC+8)", True),
    ("calendar holidays", "issuing bank uploads 29 Hong Kong holidays (2025-2026)", True),
    ("deploy ledger", "issuing bank deploys its financing ledger (one live financing per bill and invoice)", True),
    ("deploy credits", "issuing bank deploys the documentary credit contract", True),
    (
        "authorise credits in ledger",
        "issuing bank lets the credit contract claim the bills and invoices presented under it",
        True,
    ),
    ("authorise credits", "carrier lets the credits contract hold bills in escrow", True),
    ("buyer approves credits", "buyer authorises the cover of HKD 486,000.00", True),
    ("request credit", "buyer applies for a credit of HKD 486,000.00 in favour of the shipper", False),
    ("issue credit", "issuing bank issues the credit; the cover is locked in the contract", False),
    ("advise credit", "advising bank in Shanghai advises the credit to the shipper", False),
    ("issue bill", "carrier issues bill OTCLSHA250314004 to the shipper", False),
    ("present documents", "shipper presents the eBL, invoice and packing list", False),
    ("honour", "issuing bank honours: HKD to the shipper and the eBL to the bank, one transaction", False),
    ("endorse to buyer", "issuing bank endorses the bill to the buyer against the cover", False),
    ("surrender", "buyer surrenders the bill to the carrier for delivery of the goods", False),
    ("accept surrender", "carrier releases the goods: bill accomplished", False),
]
HONG_KONG_CLOSED_2025_2026 = [
    20089, 20117, 20118, 20119, 20182, 20196, 20199, 20209, 20213, 20270, 20362, 20368, 20390, 20447, 20448,
    20454, 20501, 20502, 20503, 20546, 20549, 20550, 20574, 20598, 20623, 20635, 20727, 20745, 20812,
]  # fmt: skip

DOCUMENTS: dict[str, Callable[[], TransportDocument]] = {
    "bill": shanghai_hong_kong_bill,
    "bill straight": lambda: shanghai_hong_kong_bill(ConsignmentForm.STRAIGHT),
    "bill blank": lambda: shanghai_hong_kong_bill(ConsignmentForm.BLANK_ENDORSED, reference="BLANK-1"),
    "bill BENCH-0000": lambda: shanghai_hong_kong_bill(reference="BENCH-0000"),
    "bill BENCH-0099 2026-12-31": lambda: shanghai_hong_kong_bill(
        reference="BENCH-0099", on_board=dt.date(2026, 12, 31)
    ),
    "bill 2024-02-29": lambda: shanghai_hong_kong_bill(reference="OTCLSHA240229001", on_board=dt.date(2024, 2, 29)),
    "bill unicode": lambda: shanghai_hong_kong_bill(reference="R\u00e9-\u53f7-\U0001f6a2"),
    "waybill": shanghai_hong_kong_waybill,
}
DOCUMENT_HASHES = {  # (document hash, SHA-256 of the canonical JSON)
    "bill": (
        "1274698ff60d25af230e8b00a3531b12a8e4b91c76c6a8c895998caee832fd7e",
        "5e069f6677c39ad540f235081bd8432c3dad79b4fcf0ecdbc5935c48d4761a8e",
    ),
    "bill straight": (
        "59ff68f99cef14ab93bcbff51399a78945770d829172e402be610cd6b5fd62f6",
        "2c9264bb57ca1e811c07443a3fe649d81d18faaf4e82b55e6dea3931815ab31a",
    ),
    "bill blank": (
        "709f6b107af0c5a8ce8a418b938dd9d971456d0b2e4ba1ea044380320b79b421",
        "7fc2a0114a326175c4cfa4f6827abd3cb862f45855018992eaf4a664bcb1ae33",
    ),
    "bill BENCH-0000": (
        "fea67e10fa89c76c62748664aa1d29f3ef9a51ba6873585a3ae436483343c4c7",
        "72c74dc60135d14dde8941ee12ada1a76aa160fe43d947fd98143d85a3862aa4",
    ),
    "bill BENCH-0099 2026-12-31": (
        "084fe06496e604b29b038815488ab79deb3088126aa44603b1f6b2994154595d",
        "3d010ececaa92be76730c1c1b5ce5e626944af39c9553817965a4c83c96b93ed",
    ),
    "bill 2024-02-29": (
        "dcfb744e8650bb13f46e57d98cc976966d707c4a83956bd6b11d943cdc242e91",
        "06751eacc27819ff0b7afc1aa7196fc3417ecc2e6cd1f3e05a029ccd73e688a8",
    ),
    "bill unicode": (
        "3fde0d1762314e269ec5a9597dc01bdb0212ca8aa05544008a536dee1e5ef7b7",
        "56e4220fb45f9c19363788f0b81a2234a249030fd708ac6147175a464a183aa9",
    ),
    "waybill": (
        "2d813c1b7c66601e1e7cbf7ef78883d38f72c8f48ff72c5e4b535281ca79b74e",
        "1fe0c0dab153e922f8146c2c0c126593fe3f5bcf9123eda5a5590562f6595379",
    ),
}


@pytest.mark.parametrize("config", CONFIGS)
def test_plan_is_unchanged(config: str) -> None:
    blob = json.dumps(describe(*CONFIGS[config]), sort_keys=True, separators=(",", ":")).encode()
    assert hashlib.sha256(blob).hexdigest() == PLAN_SHA256[config]


def test_lc_clean_steps_labels_and_holidays() -> None:
    plan = describe(*CONFIGS["lc-clean"])
    assert [(step["name"], step["label"], step["setup"]) for step in plan] == LC_CLEAN_STEPS
    holidays = next(step for step in plan if step["name"] == "calendar holidays")["call"]
    assert holidays["args"] == [HONG_KONG_CLOSED_2025_2026, True]


def test_shared_contracts_skip_the_setup_steps() -> None:
    names = [step["name"] for step in describe(*CONFIGS["lc-clean shared"])]
    assert names == [name for name, _, setup in LC_CLEAN_STEPS if not setup]


def test_calls_get_fresh_closed_day_lists() -> None:
    """The closed days are computed once per year but never shared: mutating one call's list changes no other."""

    def holidays_call_days() -> list[int]:
        step = next(step for step in FLOWS["lc-clean"]({}).plan() if step.name == "calendar holidays")
        days: list[int] = step.build(FlowState({}, {}, _Results())).args[0]
        return days

    holidays_call_days().clear()
    assert holidays_call_days() == HONG_KONG_CLOSED_2025_2026


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_hashes_are_unchanged(name: str) -> None:
    document = DOCUMENTS[name]()
    assert (document_hash(document).hex(), hashlib.sha256(canonical_document(document)).hexdigest()) == (
        DOCUMENT_HASHES[name]
    )


def test_documents_are_still_validated() -> None:
    with pytest.raises(ValueError, match="transport_document_reference"):
        shanghai_hong_kong_bill(reference="X" * 21)
    with pytest.raises(ValueError, match="date must lie between"):
        shanghai_hong_kong_bill(on_board=dt.date(1999, 12, 31))


# -- canonical JSON: the single walk against the former two (plain copy, then the fast-path test) ------------------


def _plain(value: Any) -> Any:
    """The plain JSON copy the former implementation made before serialising."""
    if isinstance(value, (dict, MappingProxyType)):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


class Colour(enum.StrEnum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 7


text_chars = st.characters(exclude_categories=["Cs"])  # no lone surrogates: not UTF-8
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(text_chars, max_size=6)
    | st.sampled_from([Colour.RED, Size.BIG])
)
keys = st.text(text_chars, max_size=4) | st.sampled_from(["\U0001f600", "\uffff", "a"])
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(keys, inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=4).map(MappingProxyType)
    ),
    max_leaves=20,
)


@given(st.dictionaries(keys, values, max_size=6))
def test_canonical_json_matches_rfc8785_of_the_plain_copy(value: dict[str, Any]) -> None:
    try:
        expected = rfc8785.dumps(_plain(value))
    except rfc8785.CanonicalizationError:
        with pytest.raises(CanonicalJSONError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": {1: 2}}, r"\$.a: object key 1 is not a string"),
        ({"a": [1, b"x"]}, r"\$.a\[1\]: bytes is not a JSON value"),
        ({"a": {"b": {1, 2}}}, r"\$.a.b: set is not a JSON value"),
        ({"a": 2**64}, "exceeds safe integer domain"),
    ],
)
def test_canonical_json_errors_are_unchanged(value: dict[str, Any], message: str) -> None:
    with pytest.raises(CanonicalJSONError, match=message):
        canonical_json(value)
