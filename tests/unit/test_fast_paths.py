"""Fast paths must give exactly what the general implementations give: canonical JSON against the rfc8785
library, event decoding against eth-abi."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from eth_abi import encode
from eth_abi.exceptions import EncodingError
from eth_utils import keccak, to_checksum_address
from hypothesis import given
from hypothesis import strategies as st

from tradefin.documents.canonical import canonical_json
from tradefin.transactions.abi import EventDecoder, decode_values, encode_arguments

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
