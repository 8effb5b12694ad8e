"""ABI encoding and decoding with eth-abi: function calls, constructor args, events, custom errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector, keccak
from eth_utils.abi import collapse_if_tuple

from tradefin.errors import TradefinError
from tradefin.transactions.signing import checksum

ABIItem = Mapping[str, Any]


_MEMO: dict[tuple[str, int], tuple[ABIItem, Any]] = {}


def _memo(kind: str, item: ABIItem, compute: Any) -> Any:
    """Per-ABI-item memo (keyed by identity, checked against the item itself): ABI items live as long as their
    artifact, and the same few are encoded thousands of times in a pipelined run."""
    found = _MEMO.get((kind, id(item)))
    if found is not None and found[0] is item:
        return found[1]
    value = compute(item)
    _MEMO[(kind, id(item))] = (item, value)
    return value


def input_types(item: ABIItem) -> list[str]:
    types: list[str] = _memo("in", item, lambda i: [collapse_if_tuple(dict(x)) for x in i.get("inputs", [])])
    return types


def output_types(item: ABIItem) -> list[str]:
    return [collapse_if_tuple(dict(o)) for o in item.get("outputs", [])]


def signature(item: ABIItem) -> str:
    text: str = _memo("sig", item, lambda i: f"{i['name']}({','.join(input_types(i))})")
    return text


def selector(item: ABIItem) -> bytes:
    value: bytes = _memo("sel", item, lambda i: function_signature_to_4byte_selector(signature(i)))
    return value


def _normalise(value: Any, abi_type: str) -> Any:
    """Accept the friendly Python forms: hex strings for bytes, enums for integers, objects for tuples."""
    if abi_type.endswith("]"):
        inner = abi_type[: abi_type.rindex("[")]
        return [_normalise(v, inner) for v in value]
    if abi_type.startswith("bytes") and isinstance(value, str):
        return bytes.fromhex(value.removeprefix("0x"))
    if abi_type.startswith(("uint", "int")) and not isinstance(value, int):
        return int(value)
    return value


def _normalise_all(values: Sequence[Any], item: ABIItem) -> list[Any]:
    out = []
    for value, spec in zip(values, item.get("inputs", []), strict=True):
        if spec["type"].startswith("tuple"):
            out.append(_normalise_tuple(value, spec))
        else:
            out.append(_normalise(value, spec["type"]))
    return out


def _normalise_tuple(value: Any, spec: Mapping[str, Any]) -> Any:
    if spec["type"] != "tuple":
        return [_normalise_tuple(v, {**spec, "type": spec["type"][: spec["type"].rindex("[")]}) for v in value]
    components = spec["components"]
    if isinstance(value, Mapping):
        value = [value[c["name"]] for c in components]
    elif hasattr(value, "_fields") or not isinstance(value, (list, tuple)):
        value = [getattr(value, c["name"]) for c in components] if not isinstance(value, tuple) else list(value)
    return tuple(_normalise_all(list(value), {"inputs": components}))


def encode_call(item: ABIItem, args: Sequence[Any]) -> bytes:
    if len(args) != len(item.get("inputs", [])):
        raise TradefinError(f"{signature(item)} takes {len(item.get('inputs', []))} arguments, got {len(args)}")
    return selector(item) + encode(input_types(item), _normalise_all(args, item))


def encode_constructor(item: ABIItem | None, args: Sequence[Any]) -> bytes:
    if item is None:
        if args:
            raise TradefinError("this contract's constructor takes no arguments")
        return b""
    if len(args) != len(item.get("inputs", [])):
        raise TradefinError(f"constructor takes {len(item.get('inputs', []))} arguments, got {len(args)}")
    return encode(input_types(item), _normalise_all(args, item))


def checksummed(values: Sequence[Any], types: Sequence[str]) -> tuple[Any, ...]:
    """Decoded values with addresses (also inside arrays and tuples) in checksum form."""
    return tuple(_checksum_one(v, t) for v, t in zip(values, types, strict=True))


def _checksum_one(value: Any, abi_type: str) -> Any:
    if abi_type == "address":
        return checksum(value)
    if abi_type.endswith("]"):
        inner = abi_type[: abi_type.rindex("[")]
        return tuple(_checksum_one(v, inner) for v in value)
    if abi_type.startswith("("):
        return checksummed(value, _split_tuple(abi_type[1:-1]))
    return value


def _split_tuple(inner: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in inner:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "("
        depth -= char == ")"
        current += char
    return [*parts, current] if current else parts


def decode_values(types: Sequence[str], data: bytes) -> tuple[Any, ...]:
    return checksummed(decode(list(types), data), types)


def decode_output(item: ABIItem, data: bytes) -> Any:
    """A single return value as itself, several as a tuple, none as None."""
    values = decode_values(output_types(item), data)
    if not values:
        return None
    return values[0] if len(values) == 1 else values


@dataclass(frozen=True)
class DecodedEvent:
    """A log decoded against its event ABI."""

    name: str
    args: dict[str, Any]
    address: str
    block_number: int
    transaction_hash: str
    log_index: int

    def __getitem__(self, key: str) -> Any:
        return self.args[key]


class EventDecoder:
    """Decodes logs by topic0 for a set of event ABIs."""

    def __init__(self, abi: Sequence[ABIItem]) -> None:
        # Keyed by topic0 and topic count: ERC-20 and ERC-721 `Transfer` share a signature, not their indexing.
        self._events: dict[tuple[bytes, int], ABIItem] = {}
        for item in abi:
            if item.get("type") == "event" and not item.get("anonymous"):
                indexed = sum(1 for i in item.get("inputs", []) if i.get("indexed"))
                self._events[(keccak(text=signature(item)), indexed + 1)] = item

    def topic(self, name: str) -> str:
        for (topic, _), item in self._events.items():
            if item["name"] == name:
                return "0x" + topic.hex()
        raise TradefinError(f"no event named {name}")

    def decode(self, log: Mapping[str, Any]) -> DecodedEvent | None:
        topics = [bytes.fromhex(t[2:]) for t in log.get("topics", [])]
        item = self._events.get((topics[0], len(topics))) if topics else None
        if item is None:
            return None
        indexed = [i for i in item["inputs"] if i.get("indexed")]
        plain = [i for i in item["inputs"] if not i.get("indexed")]
        args: dict[str, Any] = {}
        for spec, topic in zip(indexed, topics[1:], strict=False):
            kind = collapse_if_tuple(dict(spec))
            dynamic = kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("(")
            args[spec["name"]] = topic if dynamic else decode_values([kind], topic)[0]
        data = bytes.fromhex(log.get("data", "0x")[2:])
        plain_types = [collapse_if_tuple(dict(p)) for p in plain]
        for spec, value in zip(plain, decode_values(plain_types, data), strict=True):
            args[spec["name"]] = value
        return DecodedEvent(
            name=item["name"],
            args=args,
            address=log["address"],
            block_number=int(log["blockNumber"], 16),
            transaction_hash=log["transactionHash"],
            log_index=int(log["logIndex"], 16),
        )
