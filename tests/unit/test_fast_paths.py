"""Fast paths must give exactly what the general implementations give: canonical JSON against the rfc8785
library, ABI encoding and decoding (calls, events, call results) against eth-abi, its errors included."""

from __future__ import annotations

import dataclasses
from enum import IntEnum
from typing import Any
from unittest.mock import patch

import pytest
import rfc8785
from eth_abi import decode, encode
from eth_abi.exceptions import EncodingError
from eth_utils import keccak, to_checksum_address
from hypothesis import given
from hypothesis import strategies as st

from tradefin.documents.canonical import canonical_json
from tradefin.errors import ArgumentError
from tradefin.transactions.abi import (
    DecodedEvent,
    EventDecoder,
    checksummed,
    decode_values,
    encode_arguments,
    encode_call,
    selector,
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.text(st.characters(exclude_categories=("Cs",)))
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(exclude_categories=("Cs",)), max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_json_matches_rfc8785(value: dict[str, Any]) -> None:
    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError):
        return
    assert canonical_json(value) == expected


def test_canonical_json_sorts_astral_keys_by_utf16() -> None:
    value = {"\U0001f600": 1, "\uffff": 2}  # code-point order and UTF-16 order disagree here
    assert canonical_json(value) == rfc8785.dumps(value)


def test_canonical_json_floats_go_through_rfc8785() -> None:
    assert canonical_json({"a": 1.5, "b": 1e21}) == rfc8785.dumps({"a": 1.5, "b": 1e21})


EVENT = {
    "type": "event",
    "name": "Sample",
    "anonymous": False,
    "inputs": [
        {"name": "who", "type": "address", "indexed": True},
        {"name": "ref", "type": "string", "indexed": True},
        {"name": "amount", "type": "uint256", "indexed": False},
        {"name": "delta", "type": "int64", "indexed": False},
        {"name": "ok", "type": "bool", "indexed": False},
        {"name": "tag", "type": "bytes4", "indexed": False},
        {"name": "kind", "type": "uint8", "indexed": False},
        {"name": "to", "type": "address", "indexed": False},
    ],
}
DYNAMIC = {
    "type": "event",
    "name": "Dynamic",
    "anonymous": False,
    "inputs": [
        {"name": "id", "type": "uint256", "indexed": True},
        {"name": "note", "type": "bytes", "indexed": False},
        {"name": "ids", "type": "uint256[]", "indexed": False},
    ],
}
addresses = st.binary(min_size=20, max_size=20).map(lambda b: "0x" + b.hex())


class Kind(IntEnum):
    LOW = 1
    HIGH = 2


def _log(topics: list[bytes], data: bytes) -> dict[str, Any]:
    return {
        "topics": ["0x" + t.hex() for t in topics],
        "data": "0x" + data.hex(),
        "address": "0x" + "11" * 20,
        "blockNumber": "0x1",
        "transactionHash": "0x" + "22" * 32,
        "logIndex": "0x0",
    }


@given(
    who=addresses,
    amount=st.integers(0, 2**256 - 1),
    delta=st.integers(-(2**63), 2**63 - 1),
    ok=st.booleans(),
    tag=st.binary(min_size=4, max_size=4),
    kind=st.integers(0, 255),
    to=addresses,
)
def test_static_event_fast_path_matches_eth_abi(
    who: str, amount: int, delta: int, ok: bool, tag: bytes, kind: int, to: str
) -> None:
    types = ["uint256", "int64", "bool", "bytes4", "uint8", "address"]
    values = [amount, delta, ok, tag, kind, to]
    topic0 = keccak(text="Sample(address,string,uint256,int64,bool,bytes4,uint8,address)")
    who_topic = encode(["address"], [who])
    ref_topic = keccak(text="reference")
    event = EventDecoder([EVENT]).decode(_log([topic0, who_topic, ref_topic], encode(types, values)))
    assert event is not None
    assert event.args == {
        "who": decode_values(["address"], who_topic)[0],
        "ref": ref_topic,
        **dict(
            zip(
                ["amount", "delta", "ok", "tag", "kind", "to"], decode_values(types, encode(types, values)), strict=True
            )
        ),
    }


@given(note=st.binary(max_size=80), ids=st.lists(st.integers(0, 2**256 - 1), max_size=4))
def test_dynamic_events_still_decode(note: bytes, ids: list[int]) -> None:
    topic0 = keccak(text="Dynamic(uint256,bytes,uint256[])")
    data = encode(["bytes", "uint256[]"], [note, ids])
    event = EventDecoder([DYNAMIC]).decode(_log([topic0, (7).to_bytes(32, "big")], data))
    assert event is not None
    assert event.args == {"id": 7, "note": note, "ids": tuple(ids)}


def _abi_values() -> st.SearchStrategy[tuple[str, Any]]:
    """(type, a valid value) pairs of the kinds the fast encoder handles, and a few it hands to eth-abi."""
    uint = st.sampled_from([8, 64, 256]).flatmap(lambda b: st.tuples(st.just(f"uint{b}"), st.integers(0, 2**b - 1)))
    sint = st.sampled_from([8, 64, 256]).flatmap(
        lambda b: st.tuples(st.just(f"int{b}"), st.integers(-(2 ** (b - 1)), 2 ** (b - 1) - 1))
    )
    fixed = st.sampled_from([1, 4, 32]).flatmap(
        lambda n: st.tuples(st.just(f"bytes{n}"), st.binary(min_size=n, max_size=n))
    )
    return st.one_of(
        uint,
        sint,
        fixed,
        st.tuples(st.just("bool"), st.booleans()),
        st.tuples(st.just("address"), addresses.map(to_checksum_address)),
        st.tuples(st.just("address"), addresses),
        st.tuples(st.just("bytes"), st.binary(max_size=70)),
        st.tuples(st.just("string"), st.text(max_size=40)),
        st.tuples(st.just("uint256[]"), st.lists(st.integers(0, 2**256 - 1), max_size=4)),
        st.tuples(st.just("address[]"), st.lists(addresses, max_size=3)),
        st.tuples(st.just("bytes4"), st.binary(max_size=3)),  # shorter than its size: eth-abi pads it
        st.tuples(st.just("uint256[2]"), st.lists(st.integers(0, 9), min_size=2, max_size=2)),
        st.tuples(st.just("(uint8,bytes)"), st.tuples(st.integers(0, 255), st.binary(max_size=40))),
    )


@given(st.lists(_abi_values(), max_size=6))
def test_fast_encoder_matches_eth_abi(pairs: list[tuple[str, Any]]) -> None:
    types, values = [t for t, _ in pairs], [v for _, v in pairs]
    assert encode_arguments(types, values) == encode(types, values)


@pytest.mark.parametrize(
    ("abi_type", "value"),
    [("uint8", 256), ("uint256", -1), ("int8", 128), ("bool", 1), ("address", "0x1234"), ("bytes32", b"\x01" * 33)],
)
def test_fast_encoder_leaves_bad_values_to_eth_abi(abi_type: str, value: Any) -> None:
    with pytest.raises(EncodingError):
        encode_arguments([abi_type], [value])


# Type trees: tuples, arrays and fixed-size arrays of anything, nested, against eth-abi itself.

ELEMENTARY = ["uint8", "uint64", "uint256", "int8", "int256", "bool", "address", "bytes1", "bytes32", "bytes", "string"]
abi_types = st.recursive(
    st.sampled_from(ELEMENTARY),
    lambda inner: st.one_of(
        inner.map(lambda t: f"{t}[]"),
        st.tuples(inner, st.integers(1, 3)).map(lambda p: f"{p[0]}[{p[1]}]"),
        st.lists(inner, min_size=1, max_size=4).map(lambda ts: f"({','.join(ts)})"),
    ),
    max_leaves=6,
)


def _components(tuple_type: str) -> list[str]:
    parts, depth, start = [], 0, 1
    for n, char in enumerate(tuple_type[1:-1], start=1):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(tuple_type[start:n])
            start = n + 1
    return [*parts, tuple_type[start:-1]]


def _values_of(abi_type: str) -> st.SearchStrategy[Any]:
    """Valid values of a type, in the forms the fast encoder takes (lists and tuples both for arrays and tuples)."""
    if abi_type.endswith("]"):
        cut = abi_type.rindex("[")
        items, size = _values_of(abi_type[:cut]), abi_type[cut + 1 : -1]
        values = st.lists(items, max_size=3) if not size else st.lists(items, min_size=int(size), max_size=int(size))
        return values | values.map(tuple)
    if abi_type.startswith("("):
        values = st.tuples(*[_values_of(c) for c in _components(abi_type)])
        return values | values.map(list)
    if abi_type.startswith("uint"):
        return st.integers(0, 2 ** int(abi_type[4:]) - 1)
    if abi_type.startswith("int"):
        bits = int(abi_type[3:])
        return st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    if abi_type.startswith("bytes") and abi_type != "bytes":
        return st.binary(max_size=int(abi_type[5:]))
    return {
        "bool": st.booleans(),
        "address": addresses | addresses.map(to_checksum_address),
        "bytes": st.binary(max_size=40),
        "string": st.text(max_size=12),
    }[abi_type]


typed_values = st.lists(abi_types, max_size=4).flatmap(
    lambda types: st.tuples(st.just(types), st.tuples(*[_values_of(t) for t in types]))
)


def _eth_abi_off(*_: Any) -> Any:
    raise AssertionError("the fast path handed this to eth-abi")


def _outcome(run: Any) -> Any:
    try:
        return run()
    except Exception as exc:  # which exception, with which message, is the point
        return (type(exc), str(exc))


@given(typed_values)
def test_fast_encoder_matches_eth_abi_on_type_trees(case: tuple[list[str], tuple[Any, ...]]) -> None:
    types, values = case
    with patch("tradefin.transactions.abi.encode", _eth_abi_off):
        encoded = encode_arguments(types, list(values))
    assert encoded == encode(types, list(values))


@given(typed_values)
def test_fast_decoder_matches_eth_abi_on_type_trees(case: tuple[list[str], tuple[Any, ...]]) -> None:
    types, values = case
    data = encode(types, list(values))
    with patch("tradefin.transactions.abi.decode", _eth_abi_off):
        decoded = decode_values(types, data)
    assert decoded == checksummed(decode(types, data), types)


corruptions = st.one_of(
    st.tuples(st.just("word"), st.integers(0, 40), st.integers(0, 400)),  # an offset or a length, likely
    st.tuples(st.just("byte"), st.integers(0, 2000), st.integers(0, 255)),
    st.tuples(st.just("cut"), st.integers(0, 2000), st.just(0)),
    st.tuples(st.just("grow"), st.integers(1, 40), st.integers(0, 255)),
)


def _corrupt(data: bytes, how: tuple[str, int, int]) -> bytes:
    kind, where, what = how
    if kind == "word":
        at = 32 * where
        return data[:at] + what.to_bytes(32, "big") + data[at + 32 :] if at + 32 <= len(data) else data
    if kind == "byte":
        return data[:where] + bytes([what]) + data[where + 1 :] if where < len(data) else data
    if kind == "cut":
        return data[:where]
    return data + bytes([what]) * where


@given(typed_values, st.lists(corruptions, min_size=1, max_size=3))
def test_malformed_data_decodes_or_fails_as_eth_abi_does(
    case: tuple[list[str], tuple[Any, ...]], how: list[tuple[str, int, int]]
) -> None:
    types, values = case
    data = encode(types, list(values))
    for one in how:
        data = _corrupt(data, one)
    expected = _outcome(lambda: checksummed(decode(types, data), types))
    assert _outcome(lambda: decode_values(types, data)) == expected


@pytest.mark.parametrize(
    ("abi_type", "value"),
    [
        ("(uint8,bytes)", (256, b"")),
        ("(uint8,bytes)[]", [(1,)]),  # a component short
        ("uint256[2]", [1]),
        ("bytes[]", ["0x12"]),  # hex strings are for encode_call, which normalises them
        ("string[]", [b"text"]),
        ("bytes4[]", [b"12345"]),
        ("(address,bool)", ("0x" + "zz" * 20, True)),
        ("address[]", ["0x" + "ab" * 19]),
        ("(bool,string)[2]", [(True, "\ud800"), (False, "")]),  # a lone surrogate has no UTF-8
        ("(int8,bytes32[])", (-129, [])),
        ("uint8[][]", [[1], "12"]),
    ],
)
def test_bad_nested_values_fail_as_eth_abi_fails(abi_type: str, value: Any) -> None:
    expected = _outcome(lambda: encode([abi_type], [value]))
    assert isinstance(expected, tuple) and issubclass(expected[0], Exception)
    assert _outcome(lambda: encode_arguments([abi_type], [value])) == expected


@pytest.mark.parametrize(
    ("abi_type", "value"),
    [
        ("(address,bool)", ("0x" + "aB" * 20, True)),  # mixed case, not the checksum: eth-abi's to judge
        ("address", "0X" + "ab" * 20),
        ("bytes", bytearray(b"ab")),
        ("uint256[]", range(3)),
        ("(uint8,bool)", {"a": 1, "b": True}),
        ("uint8", Kind.HIGH),
    ],
)
def test_other_forms_go_to_eth_abi(abi_type: str, value: Any) -> None:
    assert _outcome(lambda: encode_arguments([abi_type], [value])) == _outcome(lambda: encode([abi_type], [value]))


@pytest.mark.parametrize(
    ("types", "data"),
    [
        (["bytes"], (64).to_bytes(32, "big") + (1).to_bytes(32, "big") + b"a" + bytes(31)),  # offset past the end
        (["bytes"], (32).to_bytes(32, "big") + (33).to_bytes(32, "big") + bytes(32)),  # shorter than its length
        (["bytes"], (32).to_bytes(32, "big") + (1).to_bytes(32, "big") + b"a" + b"\1" * 31),  # dirty padding
        (["string"], (32).to_bytes(32, "big") + (1).to_bytes(32, "big") + b"\xff" + bytes(31)),  # not UTF-8
        (["uint256[]"], (32).to_bytes(32, "big") + (2**200).to_bytes(32, "big")),  # a huge length
        (["(uint8,bytes)"], (32).to_bytes(32, "big") + (256).to_bytes(32, "big") + (64).to_bytes(32, "big")),
        (["address"], b"\1" * 32),
        (["bool"], (2).to_bytes(32, "big")),
        (["uint256", "bytes"], bytes(40)),  # the head cut short
    ],
    ids=["offset", "short", "padding", "utf8", "length", "uint8", "address", "bool", "head"],
)
def test_malformed_data_fails_as_eth_abi_fails(types: list[str], data: bytes) -> None:
    expected = _outcome(lambda: decode(types, data))
    assert isinstance(expected, tuple) and issubclass(expected[0], Exception)
    assert _outcome(lambda: decode_values(types, data)) == expected


NESTED = {
    "type": "event",
    "name": "Nested",
    "anonymous": False,
    "inputs": [
        {"name": "id", "type": "uint256", "indexed": True},
        {"name": "who", "type": "address", "indexed": True},
        {"name": "tag", "type": "bytes", "indexed": True},
        {
            "name": "items",
            "type": "tuple[]",
            "indexed": False,
            "components": [
                {"name": "owner", "type": "address"},
                {"name": "memo", "type": "string"},
                {"name": "hashes", "type": "bytes32[2]"},
            ],
        },
        {"name": "notes", "type": "bytes[]", "indexed": False},
        {"name": "flag", "type": "bool", "indexed": False},
    ],
}
NESTED_DATA = ["(address,string,bytes32[2])[]", "bytes[]", "bool"]


@given(_values_of(NESTED_DATA[0]), _values_of(NESTED_DATA[1]), st.booleans(), addresses)
def test_dynamic_event_data_decodes_as_eth_abi_does(items: Any, notes: Any, flag: bool, who: str) -> None:
    topics = [
        keccak(text="Nested(uint256,address,bytes,(address,string,bytes32[2])[],bytes[],bool)"),
        (5).to_bytes(32, "big"),
        encode(["address"], [who]),
        keccak(b"tag"),
    ]
    data = encode(NESTED_DATA, [items, notes, flag])
    with patch("tradefin.transactions.abi.decode", _eth_abi_off):
        event = EventDecoder([NESTED]).decode(_log(topics, data))
    expected = checksummed(decode(NESTED_DATA, data), NESTED_DATA)
    assert event == DecodedEvent(
        name="Nested",
        args={
            "id": 5,
            "who": to_checksum_address(who),
            "tag": keccak(b"tag"),
            **dict(zip(["items", "notes", "flag"], expected, strict=True)),
        },
        address="0x" + "11" * 20,
        block_number=1,
        transaction_hash="0x" + "22" * 32,
        log_index=0,
    )


def test_decoded_event_is_the_frozen_dataclass() -> None:
    topic0 = keccak(text="Dynamic(uint256,bytes,uint256[])")
    log = {**_log([topic0, (7).to_bytes(32, "big")], encode(["bytes", "uint256[]"], [b"x", [1, 2]])), "logIndex": "0x2"}
    event = EventDecoder([DYNAMIC]).decode(log)
    built = DecodedEvent("Dynamic", {"id": 7, "note": b"x", "ids": (1, 2)}, "0x" + "11" * 20, 1, "0x" + "22" * 32, 2)
    assert event == built
    assert repr(event) == repr(built)
    assert event is not None and event["ids"] == (1, 2)
    assert dataclasses.replace(event, log_index=3).log_index == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.name = "other"  # type: ignore[misc]
    # topic0 as some node might spell it: still found
    upper = {**log, "topics": ["0x" + topic0.hex().upper(), log["topics"][1]]}
    assert EventDecoder([DYNAMIC]).decode(upper) == built


def test_malformed_event_data_fails_as_eth_abi_fails() -> None:
    topic0 = keccak(text="Dynamic(uint256,bytes,uint256[])")
    data = encode(["bytes", "uint256[]"], [b"x", [1]])
    bad = data[:32] + (2**64).to_bytes(32, "big") + data[64:]  # the second offset far past the end
    expected = _outcome(lambda: decode(["bytes", "uint256[]"], bad))
    assert _outcome(lambda: EventDecoder([DYNAMIC]).decode(_log([topic0, (7).to_bytes(32, "big")], bad))) == expected


REQUEST = {
    "type": "function",
    "name": "request",
    "inputs": [
        {
            "name": "terms",
            "type": "tuple",
            "components": [
                *({"name": n, "type": "address"} for n in ("bank", "beneficiary", "token", "registry")),
                {"name": "amount", "type": "uint256"},
                {"name": "expiry", "type": "uint64"},
                {"name": "shipment", "type": "uint64"},
                {"name": "kind", "type": "uint8"},
                {"name": "days", "type": "uint16"},
                {"name": "partial", "type": "bool"},
                {"name": "advising", "type": "address"},
                {"name": "documents", "type": "bytes32[]"},
            ],
        },
        {
            "name": "notes",
            "type": "tuple[]",
            "components": [{"name": "n", "type": "uint8"}, {"name": "b", "type": "bytes"}],
        },
    ],
}
REQUEST_TYPES = [
    "(address,address,address,address,uint256,uint64,uint64,uint8,uint16,bool,address,bytes32[])",
    "(uint8,bytes)[]",
]


@given(st.lists(addresses, min_size=5, max_size=5), st.lists(st.binary(min_size=32, max_size=32), max_size=3))
def test_encode_call_takes_friendly_forms(who: list[str], documents: list[bytes]) -> None:
    terms = (*who[:4], 10**21, 1_900_000_000, 1_890_000_000, 1, 21, True, who[4], documents)
    canonical = selector(REQUEST) + encode(REQUEST_TYPES, [terms, [(1, b"ab")]])
    with patch("tradefin.transactions.abi.encode", _eth_abi_off):
        assert encode_call(REQUEST, (terms, [(1, b"ab")])) == canonical
    names = [c["name"] for c in REQUEST["inputs"][0]["components"]]  # type: ignore[index]
    friendly = dict(zip(names, terms, strict=True)) | {
        "kind": Kind.LOW,
        "documents": ["0x" + d.hex() for d in documents],
    }
    assert encode_call(REQUEST, (friendly, [{"n": "1", "b": "0x6162"}])) == canonical


def test_encode_call_names_the_bad_argument() -> None:
    terms = ("0x" + "11" * 20,) * 4 + (1, 2, 3, 256, 5, True, "0x" + "11" * 20, [])
    with pytest.raises(ArgumentError, match=r"argument 1 \(terms: "):
        encode_call(REQUEST, (terms, []))
