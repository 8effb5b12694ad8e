"""Transport-document model, validation rules, canonical JSON and document hashing."""

from __future__ import annotations

import copy
import doctest
import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import tradefin.documents
from tradefin.documents import (
    CanonicalJSONError,
    ConsignmentForm,
    DocumentKind,
    TransportDocument,
    canonical_document,
    canonical_json,
    document_hash,
    document_id,
    keccak256,
)
from tradefin.documents.base import DcsaModel
from tradefin.documents.examples import shanghai_hong_kong_bill, shanghai_hong_kong_waybill
from tradefin.errors import TradefinError

Json = dict[str, Any]
Path_ = tuple[str | int, ...]

SRC = Path(tradefin.documents.__file__).resolve().parents[2]


def sample(form: ConsignmentForm = ConsignmentForm.TO_ORDER) -> Json:
    """Fresh DCSA JSON of the sample bill, safe to mutate."""
    return shanghai_hong_kong_bill(form).to_dcsa_dict()


def get(data: Any, path: Path_) -> Any:
    for key in path:
        data = data[key]
    return data


def put(data: Json, path: Path_, value: Any) -> Json:
    get(data, path[:-1])[path[-1]] = value
    return data


def drop(data: Json, path: Path_) -> Json:
    del get(data, path[:-1])[path[-1]]
    return data


def locs(data: Json) -> list[Path_]:
    with pytest.raises(ValidationError) as info:
        TransportDocument.model_validate(data)
    return [error["loc"] for error in info.value.errors()]


def all_models() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    pending: list[type[BaseModel]] = [TransportDocument]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.add(model)
        pending.extend(sub for sub in DcsaModel.__subclasses__() if sub not in found)
        pending.extend(sub for sub in model.__subclasses__() if sub not in found)
    return found


# --------------------------------------------------------------------------- model shape and round trips

SAMPLES: dict[str, Callable[[], TransportDocument]] = {
    "to-order bill": lambda: shanghai_hong_kong_bill(ConsignmentForm.TO_ORDER),
    "blank-endorsed bill": lambda: shanghai_hong_kong_bill(ConsignmentForm.BLANK_ENDORSED),
    "straight bill": lambda: shanghai_hong_kong_bill(ConsignmentForm.STRAIGHT),
    "sea waybill": shanghai_hong_kong_waybill,
}


@pytest.mark.parametrize("build", SAMPLES.values(), ids=SAMPLES.keys())
def test_json_round_trip(build: Callable[[], TransportDocument]) -> None:
    doc = build()
    text = doc.to_dcsa_json(indent=2)
    again = TransportDocument.from_dcsa(text)
    assert again == doc
    assert again.to_dcsa_dict() == doc.to_dcsa_dict() == json.loads(text)
    assert TransportDocument.from_dcsa(json.loads(text)) == doc
    assert TransportDocument.model_validate(doc.model_dump()) == doc  # populate by Python name
    assert document_hash(again) == document_hash(doc)


@pytest.mark.parametrize(
    ("build", "kind", "form"),
    [
        (SAMPLES["to-order bill"], DocumentKind.NEGOTIABLE_BILL_OF_LADING, ConsignmentForm.TO_ORDER),
        (
            SAMPLES["blank-endorsed bill"],
            DocumentKind.NEGOTIABLE_BILL_OF_LADING,
            ConsignmentForm.BLANK_ENDORSED,
        ),
        (SAMPLES["straight bill"], DocumentKind.NEGOTIABLE_BILL_OF_LADING, ConsignmentForm.STRAIGHT),
        (SAMPLES["sea waybill"], DocumentKind.SEA_WAYBILL, ConsignmentForm.STRAIGHT),
    ],
    ids=SAMPLES.keys(),
)
def test_kind_and_consignment_form(
    build: Callable[[], TransportDocument], kind: DocumentKind, form: ConsignmentForm
) -> None:
    doc = build()
    assert doc.kind is kind
    assert doc.consignment_form is form
    assert doc.is_negotiable == (kind is DocumentKind.NEGOTIABLE_BILL_OF_LADING and form is not form.STRAIGHT)


def test_endorsee_makes_a_to_order_bill() -> None:
    data = sample(ConsignmentForm.BLANK_ENDORSED)
    data["documentParties"]["endorsee"] = {"partyName": "Harbour Commercial Bank Ltd."}
    assert TransportDocument.model_validate(data).consignment_form is ConsignmentForm.TO_ORDER


def test_enum_values_match_solidity() -> None:
    assert [(m.name, int(m)) for m in DocumentKind] == [("NEGOTIABLE_BILL_OF_LADING", 0), ("SEA_WAYBILL", 1)]
    assert [(m.name, int(m)) for m in ConsignmentForm] == [
        ("STRAIGHT", 0),
        ("TO_ORDER", 1),
        ("BLANK_ENDORSED", 2),
    ]


def test_dcsa_keys_and_value_encodings() -> None:
    data = sample()
    assert data["transportDocumentReference"] == "OTCLSHA250314001"
    assert data["transportDocumentTypeCode"] == "BOL"
    assert data["isToOrder"] is True
    assert data["shippedOnBoardDate"] == "2025-03-14"
    assert "receivedForShipmentDate" not in data  # None members are left out
    assert data["transports"]["portOfLoading"]["UNLocationCode"] == "CNSHA"
    assert data["transports"]["portOfDischarge"]["UNLocationCode"] == "HKHKG"
    item = data["consignmentItems"][0]
    assert item["HSCodes"] == ["852852"]
    assert item["cargoItems"][0]["cargoGrossWeight"] == {"value": "7800.5", "unit": "KGM"}
    assert item["cargoItems"][0]["outerPackaging"]["numberOfPackages"] == 600
    assert data["utilizedTransportEquipments"][0]["equipment"]["ISOEquipmentCode"] == "45G1"
    assert data["declaredValue"] == "486000"  # decimals are normalised strings, never floats
    assert data["documentParties"]["issuingParty"]["partyName"].startswith("Orient")


def test_decimal_spellings_normalise() -> None:
    data = sample()
    weight = ("consignmentItems", 0, "cargoItems", 0, "cargoGrossWeight", "value")
    spellings = ["7800.5", "7800.50", 7800.5, "7.8005E+3"]
    docs = [TransportDocument.model_validate(put(copy.deepcopy(data), weight, s)) for s in spellings]
    assert {get(doc.to_dcsa_dict(), weight) for doc in docs} == {"7800.5"}
    assert len({document_hash(doc) for doc in docs}) == 1
    assert get(docs[0].model_dump(), ("consignment_items", 0, "cargo_items", 0, "cargo_gross_weight", "value")) == (
        Decimal("7800.5")
    )


def test_every_field_is_documented() -> None:
    models = all_models()
    assert len(models) > 15
    undocumented = [
        f"{model.__name__}.{name}"
        for model in models
        for name, field in model.model_fields.items()
        if not field.description
    ]
    assert undocumented == []
    schema = TransportDocument.model_json_schema(by_alias=True)
    assert "transportDocumentReference" in schema["properties"]
    assert schema["properties"]["isToOrder"]["description"]


def test_models_are_frozen_and_hashable() -> None:
    doc = shanghai_hong_kong_bill()
    with pytest.raises(ValidationError):
        doc.transport_document_reference = "OTHER"  # type: ignore[misc]
    assert hash(doc) == hash(shanghai_hong_kong_bill())


def test_unknown_keys_are_rejected() -> None:
    data = sample()
    data["transportDocumentStatus"] = "ISSUED"
    data["transports"]["portOfLoading"]["city"] = "Shanghai"
    assert set(locs(data)) == {("transportDocumentStatus",), ("transports", "portOfLoading", "city")}


def test_package_doctest() -> None:
    assert doctest.testmod(tradefin.documents, raise_on_error=True).attempted > 0


# --------------------------------------------------------------------------- validation rules

CARGO = ("consignmentItems", 0, "cargoItems", 0)
BLANK = ConsignmentForm.BLANK_ENDORSED
STRAIGHT = ConsignmentForm.STRAIGHT


def _received_type(data: Json) -> Json:
    data["isShippedOnBoardType"] = False
    return data


def _waybill(data: Json) -> Json:
    data["transportDocumentTypeCode"] = "SWB"
    del data["numberOfOriginalsWithoutCharges"]
    return data


def _straight(data: Json) -> Json:
    data["isToOrder"] = False
    return data


# (form of the sample, mutation, location of the expected error)
RULES: dict[str, tuple[ConsignmentForm, Callable[[Json], Json], Path_]] = {
    "both on-board and received dates": (
        BLANK,
        lambda d: put(d, ("receivedForShipmentDate",), "2025-03-13"),
        ("receivedForShipmentDate",),
    ),
    "neither on-board nor received date": (
        BLANK,
        lambda d: drop(d, ("shippedOnBoardDate",)),
        ("shippedOnBoardDate",),
    ),
    "received-for-shipment type lacks its date": (BLANK, _received_type, ("receivedForShipmentDate",)),
    "received-for-shipment type with on-board date": (BLANK, _received_type, ("shippedOnBoardDate",)),
    "sea waybill made out to order": (BLANK, _waybill, ("isToOrder",)),
    "straight bill without consignee": (BLANK, _straight, ("documentParties", "consignee")),
    "straight bill with endorsee": (
        STRAIGHT,
        lambda d: put(d, ("documentParties", "endorsee"), {"partyName": "Someone Ltd."}),
        ("documentParties", "endorsee"),
    ),
    "to-order bill with consignee and endorsee": (
        ConsignmentForm.TO_ORDER,
        lambda d: put(d, ("documentParties", "endorsee"), {"partyName": "Someone Ltd."}),
        ("documentParties", "endorsee"),
    ),
    "to-order bill without notify party": (
        BLANK,
        lambda d: drop(d, ("documentParties", "notifyParties")),
        ("documentParties", "notifyParties"),
    ),
    "more than three notify parties": (
        BLANK,
        lambda d: put(d, ("documentParties", "notifyParties"), [{"partyName": f"N{i}"} for i in range(4)]),
        ("documentParties", "notifyParties"),
    ),
    "UN/LOCODE too short": (
        BLANK,
        lambda d: put(d, ("transports", "portOfLoading", "UNLocationCode"), "CNSH"),
        ("transports", "portOfLoading", "UNLocationCode"),
    ),
    "UN/LOCODE lower case": (
        BLANK,
        lambda d: put(d, ("transports", "portOfDischarge", "UNLocationCode"), "hkhkg"),
        ("transports", "portOfDischarge", "UNLocationCode"),
    ),
    "UN/LOCODE with digit in country": (
        BLANK,
        lambda d: put(d, ("placeOfIssue", "UNLocationCode"), "C1SHA"),
        ("placeOfIssue", "UNLocationCode"),
    ),
    "UN/LOCODE with 0 or 1": (
        BLANK,
        lambda d: put(d, ("documentParties", "shipper", "address", "UNLocationCode"), "CNSH1"),
        ("documentParties", "shipper", "address", "UNLocationCode"),
    ),
    "same port of loading and discharge": (
        BLANK,
        lambda d: put(d, ("transports", "portOfDischarge", "UNLocationCode"), "CNSHA"),
        ("transports", "portOfDischarge", "UNLocationCode"),
    ),
    "HS code of five digits": (
        BLANK,
        lambda d: put(d, ("consignmentItems", 0, "HSCodes", 0), "85285"),
        ("consignmentItems", 0, "HSCodes", 0),
    ),
    "HS code of eleven digits": (
        BLANK,
        lambda d: put(d, ("consignmentItems", 0, "HSCodes", 0), "85285200001"),
        ("consignmentItems", 0, "HSCodes", 0),
    ),
    "HS code with a letter": (
        BLANK,
        lambda d: put(d, ("consignmentItems", 0, "HSCodes", 0), "8528A2"),
        ("consignmentItems", 0, "HSCodes", 0),
    ),
    "no HS code": (
        BLANK,
        lambda d: put(d, ("consignmentItems", 0, "HSCodes"), []),
        ("consignmentItems", 0, "HSCodes"),
    ),
    "zero gross weight": (
        BLANK,
        lambda d: put(d, (*CARGO, "cargoGrossWeight", "value"), "0"),
        (*CARGO, "cargoGrossWeight", "value"),
    ),
    "negative gross weight": (
        BLANK,
        lambda d: put(d, (*CARGO, "cargoGrossWeight", "value"), -5),
        (*CARGO, "cargoGrossWeight", "value"),
    ),
    "NaN gross weight": (
        BLANK,
        lambda d: put(d, (*CARGO, "cargoGrossWeight", "value"), "NaN"),
        (*CARGO, "cargoGrossWeight", "value"),
    ),
    "weight with five decimals": (
        BLANK,
        lambda d: put(d, (*CARGO, "cargoGrossWeight", "value"), "1.00001"),
        (*CARGO, "cargoGrossWeight", "value"),
    ),
    "unknown weight unit": (
        BLANK,
        lambda d: put(d, (*CARGO, "cargoGrossWeight", "unit"), "TNE"),
        (*CARGO, "cargoGrossWeight", "unit"),
    ),
    "net weight above gross": (
        BLANK,
        lambda d: put(d, (*CARGO, "cargoNetWeight", "value"), "7800.6"),
        (*CARGO, "cargoNetWeight", "value"),
    ),
    "zero packages": (
        BLANK,
        lambda d: put(d, (*CARGO, "outerPackaging", "numberOfPackages"), 0),
        (*CARGO, "outerPackaging", "numberOfPackages"),
    ),
    "no consignment items": (BLANK, lambda d: put(d, ("consignmentItems",), []), ("consignmentItems",)),
    "missing consignment items": (BLANK, lambda d: drop(d, ("consignmentItems",)), ("consignmentItems",)),
    "no cargo items": (
        BLANK,
        lambda d: put(d, ("consignmentItems", 0, "cargoItems"), []),
        ("consignmentItems", 0, "cargoItems"),
    ),
    "empty description of goods": (
        BLANK,
        lambda d: put(d, ("consignmentItems", 0, "descriptionOfGoods"), []),
        ("consignmentItems", 0, "descriptionOfGoods"),
    ),
    "goods line over 35 characters": (
        BLANK,
        lambda d: put(d, ("consignmentItems", 0, "descriptionOfGoods", 1), "x" * 36),
        ("consignmentItems", 0, "descriptionOfGoods", 1),
    ),
    "cargo in an undeclared container": (
        BLANK,
        lambda d: put(d, (*CARGO, "equipmentReference"), "TFNU0000000"),
        (*CARGO, "equipmentReference"),
    ),
    "container listed twice": (
        BLANK,
        lambda d: put(d, ("utilizedTransportEquipments", 1, "equipment", "equipmentReference"), "TFNU4827317"),
        ("utilizedTransportEquipments", 1, "equipment", "equipmentReference"),
    ),
    "lower-case currency": (
        BLANK,
        lambda d: put(d, ("declaredValueCurrency",), "usd"),
        ("declaredValueCurrency",),
    ),
    "two-letter currency": (
        BLANK,
        lambda d: put(d, ("declaredValueCurrency",), "US"),
        ("declaredValueCurrency",),
    ),
    "declared value without currency": (
        BLANK,
        lambda d: drop(d, ("declaredValueCurrency",)),
        ("declaredValueCurrency",),
    ),
    "currency without declared value": (BLANK, lambda d: drop(d, ("declaredValue",)), ("declaredValue",)),
    "zero declared value": (BLANK, lambda d: put(d, ("declaredValue",), 0), ("declaredValue",)),
    "issue date in the 19th century": (BLANK, lambda d: put(d, ("issueDate",), "1899-12-31"), ("issueDate",)),
    "issue date in the 22nd century": (BLANK, lambda d: put(d, ("issueDate",), "2150-01-01"), ("issueDate",)),
    "on-board date in 1970": (
        BLANK,
        lambda d: put(d, ("shippedOnBoardDate",), "1970-01-01"),
        ("shippedOnBoardDate",),
    ),
    "issue date with a time": (
        BLANK,
        lambda d: put(d, ("issueDate",), "2025-03-14T10:30:00"),
        ("issueDate",),
    ),
    "issue date before on-board date": (
        BLANK,
        lambda d: put(d, ("issueDate",), "2025-03-13"),
        ("issueDate",),
    ),
    "arrival before departure": (
        BLANK,
        lambda d: put(d, ("transports", "plannedArrivalDate"), "2025-03-13"),
        ("transports", "plannedArrivalDate"),
    ),
    "pre-carriage without place of receipt": (
        BLANK,
        lambda d: put(d, ("transports", "preCarriageBy"), "TRUCK"),
        ("transports", "placeOfReceipt"),
    ),
    "on-carriage without place of delivery": (
        BLANK,
        lambda d: put(d, ("transports", "onCarriageBy"), "BARGE"),
        ("transports", "placeOfDelivery"),
    ),
    "no vessel": (
        BLANK,
        lambda d: put(d, ("transports", "vesselVoyages"), []),
        ("transports", "vesselVoyages"),
    ),
    "bad universal voyage reference": (
        BLANK,
        lambda d: put(d, ("transports", "vesselVoyages", 0, "universalExportVoyageReference"), "2503X"),
        ("transports", "vesselVoyages", 0, "universalExportVoyageReference"),
    ),
    "three originals of an eBL": (
        BLANK,
        lambda d: put(d, ("numberOfOriginalsWithoutCharges",), 3),
        ("numberOfOriginalsWithoutCharges",),
    ),
    "originals on a sea waybill": (
        STRAIGHT,
        lambda d: put(d, ("transportDocumentTypeCode",), "SWB"),
        ("numberOfOriginalsWithoutCharges",),
    ),
    "unknown document type": (
        BLANK,
        lambda d: put(d, ("transportDocumentTypeCode",), "HBL"),
        ("transportDocumentTypeCode",),
    ),
    "reference with leading space": (
        BLANK,
        lambda d: put(d, ("transportDocumentReference",), " OTCL1"),
        ("transportDocumentReference",),
    ),
    "reference over 20 characters": (
        BLANK,
        lambda d: put(d, ("transportDocumentReference",), "X" * 21),
        ("transportDocumentReference",),
    ),
    "party name with a line break": (
        BLANK,
        lambda d: put(d, ("documentParties", "shipper", "partyName"), "Huaxin\nElectronics"),
        ("documentParties", "shipper", "partyName"),
    ),
    "party name with a control character": (
        BLANK,
        lambda d: put(d, ("documentParties", "shipper", "partyName"), "Huaxin\x07Electronics"),
        ("documentParties", "shipper", "partyName"),
    ),
    "voyage reference with non-ASCII digits": (
        BLANK,
        lambda d: put(d, ("transports", "vesselVoyages", 0, "universalExportVoyageReference"), "\u0662\u066025S"),
        ("transports", "vesselVoyages", 0, "universalExportVoyageReference"),
    ),
    "contact without phone or email": (
        BLANK,
        lambda d: put(d, ("documentParties", "shipper", "partyContactDetails"), [{"name": "Li Wei"}]),
        ("documentParties", "shipper", "partyContactDetails", 0, "email"),
    ),
    "issuing party without address": (
        BLANK,
        lambda d: drop(d, ("documentParties", "issuingParty", "address")),
        ("documentParties", "issuingParty", "address"),
    ),
    "invoice payable at code and free text": (
        BLANK,
        lambda d: put(d, ("invoicePayableAt", "freeText"), "Shanghai office"),
        ("invoicePayableAt", "freeText"),
    ),
    "invoice payable at nowhere": (
        BLANK,
        lambda d: put(d, ("invoicePayableAt",), {}),
        ("invoicePayableAt", "UNLocationCode"),
    ),
    "bad country code": (
        BLANK,
        lambda d: put(d, ("documentParties", "shipper", "address", "countryCode"), "CHN"),
        ("documentParties", "shipper", "address", "countryCode"),
    ),
}


@pytest.mark.parametrize(("form", "mutate", "loc"), RULES.values(), ids=RULES.keys())
def test_rule_violation_names_the_field(form: ConsignmentForm, mutate: Callable[[Json], Json], loc: Path_) -> None:
    data = sample(form)
    TransportDocument.model_validate(copy.deepcopy(data))  # the unmutated sample is valid
    assert loc in locs(mutate(data))


def test_cross_field_errors_are_reported_together() -> None:
    data = sample(BLANK)
    data["transportDocumentTypeCode"] = "SWB"
    data["isShippedOnBoardType"] = False
    data["declaredValueCurrency"] = "EUR"
    del data["declaredValue"]
    found = locs(data)
    for loc in [
        ("isToOrder",),
        ("receivedForShipmentDate",),
        ("shippedOnBoardDate",),
        ("numberOfOriginalsWithoutCharges",),
        ("declaredValue",),
    ]:
        assert loc in found


def test_python_construction_enforces_rules() -> None:
    doc = shanghai_hong_kong_bill(STRAIGHT)
    parties = doc.document_parties.model_copy(update={"consignee": None})
    with pytest.raises(ValidationError) as info:
        TransportDocument(**{**dict(doc), "document_parties": parties})
    assert [e["loc"] for e in info.value.errors()] == [("documentParties", "consignee")]


# --------------------------------------------------------------------------- canonical JSON

RFC8785_INPUT = r"""{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"""
# RFC 8785 section 3.2.4: the UTF-8 bytes of the canonical form of the input above.
RFC8785_OUTPUT_HEX = """
7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
"""


def test_rfc8785_published_example() -> None:
    assert canonical_json(json.loads(RFC8785_INPUT)) == bytes.fromhex(RFC8785_OUTPUT_HEX)


def test_rfc8785_property_sorting_example() -> None:
    # RFC 8785 section 3.2.3: keys sort by UTF-16 code units: U+1F600 (a surrogate pair) precedes U+FB33.
    source = r"""{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis"}"""
    ordered = list(json.loads(canonical_json(json.loads(source))).values())
    assert ordered == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]


def test_canonical_json_is_key_order_independent() -> None:
    data = sample()

    def reverse_keys(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: reverse_keys(value[key]) for key in reversed(list(value))}
        if isinstance(value, list):
            return [reverse_keys(item) for item in value]
        return value

    reordered = reverse_keys(data)
    assert list(reordered) != list(data)
    assert canonical_json(reordered) == canonical_json(data)
    assert document_hash(TransportDocument.from_dcsa(reordered)) == document_hash(shanghai_hong_kong_bill())


def test_canonical_json_accepts_any_mapping_and_sequence() -> None:
    assert canonical_json(MappingProxyType({"b": (1, 2), "a": [True, None]})) == b'{"a":[true,null],"b":[1,2]}'


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": Decimal("1.5")},
        {"raw": b"bytes"},
        {"nested": {1: "non-string key"}},
        {"huge": 2**53},
        {"nan": float("nan")},
        {"set": {1, 2}},
    ],
    ids=["decimal", "bytes", "int-key", "huge-int", "nan", "set"],
)
def test_canonical_json_rejects_non_json(bad: Json) -> None:
    with pytest.raises(CanonicalJSONError) as info:
        canonical_json(bad)
    assert isinstance(info.value, TradefinError)
    assert isinstance(info.value, ValueError)


JSON_LEAVES = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text()
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(obj=st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6), rnd=st.randoms(use_true_random=False))
def test_canonical_json_ignores_key_order_and_round_trips(obj: Json, rnd: random.Random) -> None:
    def shuffled(value: Any) -> Any:
        if isinstance(value, dict):
            items = list(value.items())
            rnd.shuffle(items)
            return {key: shuffled(item) for key, item in items}
        if isinstance(value, list):
            return [shuffled(item) for item in value]
        return value

    encoded = canonical_json(obj)
    assert canonical_json(shuffled(obj)) == encoded
    assert json.loads(encoded) == obj
    assert canonical_json(json.loads(encoded)) == encoded  # idempotent


# --------------------------------------------------------------------------- hashing


def test_keccak_known_answers() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    assert keccak256(b"abc") != hashlib.sha3_256(b"abc").digest()  # Keccak padding, not NIST SHA3


def test_hash_of_fixed_json_known_answer() -> None:
    obj = {"transportDocumentReference": "HHL71800000", "numberOfOriginals": 1, "isToOrder": True}
    canonical = canonical_json(obj)
    assert canonical == b'{"isToOrder":true,"numberOfOriginals":1,"transportDocumentReference":"HHL71800000"}'
    # Computed independently with pycryptodome's and pysha3's Keccak-256 over the bytes above.
    expected = "06ca34a586eb13fa9f43bb50efd968a6b001490266e9dc4e0c5575c95feea4bb"
    assert keccak256(canonical).hex() == expected
    crypto_keccak: Any = pytest.importorskip("Crypto.Hash.keccak")
    assert crypto_keccak.new(digest_bits=256, data=canonical).hexdigest() == expected


def test_document_hash_and_id() -> None:
    doc = shanghai_hong_kong_bill()
    digest = document_hash(doc)
    assert len(digest) == 32
    assert digest == keccak256(canonical_document(doc))
    assert canonical_document(doc) == canonical_json(doc.to_dcsa_dict())
    assert document_id(doc) == int.from_bytes(digest, "big")
    assert 0 <= document_id(doc) < 2**256


def test_distinct_documents_have_distinct_hashes() -> None:
    docs = [build() for build in SAMPLES.values()]
    docs.append(shanghai_hong_kong_bill(reference="OTCLSHA250314999"))
    assert len({document_hash(doc) for doc in docs}) == len(docs)


def test_hash_is_stable_across_processes() -> None:
    script = (
        "from tradefin.documents import document_hash\n"
        "from tradefin.documents.examples import shanghai_hong_kong_bill\n"
        "print(document_hash(shanghai_hong_kong_bill()).hex())\n"
    )
    expected = document_hash(shanghai_hong_kong_bill()).hex()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(SRC)}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == expected


def _text(max_size: int) -> st.SearchStrategy[str]:
    """Valid DCSA text: non-blank, no leading/trailing whitespace, no line breaks."""
    word = st.text(
        st.characters(exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), exclude_characters="\x85\u180e\ufeff"),
        min_size=1,
        max_size=max(1, max_size // 3),
    )
    return st.lists(word, min_size=1, max_size=3).map(" ".join).filter(lambda s: len(s) <= max_size)


STRING_FIELDS: list[tuple[Path_, st.SearchStrategy[str]]] = [
    (("transportDocumentReference",), _text(20)),
    (("termsAndConditions",), _text(200)),
    (("documentParties", "shipper", "partyName"), _text(70)),
    (("documentParties", "shipper", "address", "street"), _text(70)),
    (("documentParties", "notifyParties", 0, "partyName"), _text(70)),
    (("documentParties", "consignee", "reference"), _text(35)),
    (("documentParties", "issuingParty", "partyContactDetails", 0, "name"), _text(35)),
    (("transports", "vesselVoyages", 0, "vesselName"), _text(50)),
    (("transports", "vesselVoyages", 0, "carrierExportVoyageNumber"), _text(50)),
    (("transports", "portOfDischarge", "locationName"), _text(100)),
    (
        ("transports", "portOfDischarge", "UNLocationCode"),
        st.from_regex(r"[A-Z]{2}[A-Z2-9]{3}", fullmatch=True),
    ),
    (("consignmentItems", 0, "carrierBookingReference"), _text(35)),
    (("consignmentItems", 0, "descriptionOfGoods", 1), _text(35)),
    (("consignmentItems", 0, "HSCodes", 0), st.from_regex(r"[0-9]{6,10}", fullmatch=True)),
    (("consignmentItems", 0, "shippingMarks", 2), _text(35)),
    ((*CARGO, "outerPackaging", "description"), _text(100)),
    (("utilizedTransportEquipments", 0, "seals", 0, "number"), _text(15)),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_string_change_changes_the_hash(data: st.DataObject) -> None:
    path, strategy = data.draw(st.sampled_from(STRING_FIELDS), label="field")
    original = sample()
    new_value = data.draw(strategy, label="value")
    assume(new_value != get(original, path))
    assume(path[-1] != "UNLocationCode" or new_value != "CNSHA")
    changed = TransportDocument.model_validate(put(copy.deepcopy(original), path, new_value))
    assert get(changed.to_dcsa_dict(), path) == new_value
    assert document_hash(changed) != document_hash(TransportDocument.model_validate(original))


@settings(max_examples=50, deadline=None)
@given(grams=st.integers(min_value=6_960_000, max_value=10**10))
def test_weight_change_changes_the_hash_unless_equal(grams: int) -> None:
    path = (*CARGO, "cargoGrossWeight", "value")
    kilograms = Decimal(grams) / 1000
    doc = TransportDocument.model_validate(put(sample(), path, str(kilograms)))
    same = TransportDocument.model_validate(put(sample(), path, f"{kilograms:.4f}"))
    assert document_hash(doc) == document_hash(same)
    if kilograms != Decimal("7800.5"):
        assert document_hash(doc) != document_hash(shanghai_hong_kong_bill())
