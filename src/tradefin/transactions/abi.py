"""ABI encoding and decoding with eth-abi: function calls, constructor args, events, custom errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi import decode, encode
from eth_abi.exceptions import EncodingError
from eth_utils import function_signature_to_4byte_selector, keccak
from eth_utils.abi import collapse_if_tuple

from tradefin.errors import ArgumentError, TradefinError
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


def _word(abi_type: str, value: Any) -> bytes | None:
    """One static elementary value as its 32-byte word, or None when this fast path does not handle it (or
    the value is not plainly valid: eth-abi then encodes it, or says what is wrong with it)."""
    if abi_type == "address":
        if isinstance(value, str) and len(value) == 42 and value[:2] == "0x":
            body = value[2:]
            if body.islower() or body.isupper() or body.isdigit() or checksum(value) == value:
                try:
                    return bytes(12) + bytes.fromhex(body)
                except ValueError:
                    return None
        return None
    if abi_type == "bool":
        return (b"\0" * 31 + (b"\1" if value else b"\0")) if isinstance(value, bool) else None
    if not isinstance(value, int) or isinstance(value, bool):
        return _fixed_bytes(abi_type, value)
    if abi_type.startswith("uint"):
        bits = int(abi_type[4:] or 256)
        return value.to_bytes(32, "big") if 0 <= value < 1 << bits else None
    if abi_type.startswith("int"):
        bits = int(abi_type[3:] or 256)
        inside = -(1 << (bits - 1)) <= value < 1 << (bits - 1)
        return (value % (1 << 256)).to_bytes(32, "big") if inside else None
    return None


def _fixed_bytes(abi_type: str, value: Any) -> bytes | None:
    if abi_type.startswith("bytes") and abi_type[5:].isdigit() and isinstance(value, bytes):
        return value + bytes(32 - len(value)) if len(value) == int(abi_type[5:]) else None
    return None


def _tail(abi_type: str, value: Any) -> bytes | None:
    """The tail of a dynamic value this fast path handles: bytes, string, or an array of static words."""
    if abi_type in ("bytes", "string"):
        raw = value.encode() if abi_type == "string" and isinstance(value, str) else value
        if not isinstance(raw, bytes) or (abi_type == "string") != isinstance(value, str):
            return None
        return len(raw).to_bytes(32, "big") + raw + bytes(-len(raw) % 32)
    if abi_type.endswith("[]") and "(" not in abi_type and "[" not in abi_type[:-2]:
        words = [_word(abi_type[:-2], v) for v in value]
        if any(w is None for w in words):
            return None
        return len(words).to_bytes(32, "big") + b"".join(w for w in words if w is not None)
    return None


def encode_arguments(types: Sequence[str], values: Sequence[Any]) -> bytes:
    """ABI-encode ``values``: a fast path for the usual argument types (static words, bytes, strings and
    arrays of words; the same bytes, a property test checks it), eth-abi for everything else."""
    heads: list[bytes] = []
    tails: list[bytes] = []
    offset = 32 * len(types)
    for abi_type, value in zip(types, values, strict=True):
        word = _word(abi_type, value)
        if word is None:
            tail = _tail(abi_type, value)
            if tail is None:
                return encode(list(types), list(values))
            word = offset.to_bytes(32, "big")
            tails.append(tail)
            offset += len(tail)
        heads.append(word)
    return b"".join(heads) + b"".join(tails)


def _encode_checked(item: ABIItem, what: str, args: Sequence[Any]) -> bytes:
    """ABI-encode ``args`` for ``item``'s inputs; a value that does not fit its parameter raises
    :class:`ArgumentError` naming the parameter (eth-abi's own errors never reach the caller)."""
    inputs = item.get("inputs", [])
    if len(args) != len(inputs):
        raise TradefinError(f"{what} takes {len(inputs)} arguments, got {len(args)}")
    types = input_types(item)
    try:
        return encode_arguments(types, _normalise_all(args, item))
    except (EncodingError, ValueError, TypeError, AttributeError, KeyError) as exc:
        for n, (spec, abi_type, value) in enumerate(zip(inputs, types, args, strict=True), start=1):
            try:
                encode([abi_type], _normalise_all([value], {"inputs": [spec]}))
            except (EncodingError, ValueError, TypeError, AttributeError, KeyError):
                name = f" ({spec['name']}: {abi_type})" if spec.get("name") else f" ({abi_type})"
                raise ArgumentError(f"{what}: argument {n}{name} cannot be {value!r}") from None
        raise ArgumentError(f"{what}: {exc}") from None


def encode_call(item: ABIItem, args: Sequence[Any]) -> bytes:
    return selector(item) + _encode_checked(item, signature(item), args)


def encode_constructor(item: ABIItem | None, args: Sequence[Any]) -> bytes:
    if item is None:
        if args:
            raise TradefinError("this contract's constructor takes no arguments")
        return b""
    return _encode_checked(item, "constructor", args)


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
        self._plans: dict[tuple[bytes, int], _EventPlan] = {}
        for item in abi:
            if item.get("type") == "event" and not item.get("anonymous"):
                indexed = sum(1 for i in item.get("inputs", []) if i.get("indexed"))
                key = (keccak(text=signature(item)), indexed + 1)
                self._events[key] = item
                self._plans[key] = _EventPlan.of(item)

    def topic(self, name: str) -> str:
        for (topic, _), item in self._events.items():
            if item["name"] == name:
                return "0x" + topic.hex()
        raise TradefinError(f"no event named {name}")

    def decode(self, log: Mapping[str, Any]) -> DecodedEvent | None:
        topics = [bytes.fromhex(t[2:]) for t in log.get("topics", [])]
        plan = self._plans.get((topics[0], len(topics))) if topics else None
        if plan is None:
            return None
        return DecodedEvent(
            name=plan.name,
            args=plan.decode(topics[1:], bytes.fromhex(log.get("data", "0x")[2:])),
            address=log["address"],
            block_number=int(log["blockNumber"], 16),
            transaction_hash=log["transactionHash"],
            log_index=int(log["logIndex"], 16),
        )


def _word_decoder(kind: str) -> Any:
    """A decoder of one 32-byte word for a static elementary type, or None (eth-abi decodes the rest)."""
    if kind == "address":
        return lambda word: checksum("0x" + word[12:].hex())
    if kind == "bool":
        return lambda word: word[31] != 0
    if kind.startswith("uint") and kind[4:].isdigit():
        return lambda word: int.from_bytes(word, "big")
    if kind.startswith("int") and kind[3:].isdigit():
        return lambda word: int.from_bytes(word, "big", signed=True)
    if kind.startswith("bytes") and kind[5:].isdigit():
        size = int(kind[5:])
        return lambda word: word[:size]
    return None


@dataclass(frozen=True)
class _EventPlan:
    """How to decode one event: word decoders for static values (most events: a fast path that skips eth-abi's
    generic machinery), eth-abi for dynamic and tuple ones."""

    name: str
    indexed: list[tuple[str, Any]]
    """(name, word decoder or None: a dynamic indexed value is kept as its topic, the hash)."""
    plain: list[tuple[str, Any]]
    plain_types: list[str]
    static: bool
    """Every non-indexed value is one static word."""

    @classmethod
    def of(cls, item: ABIItem) -> _EventPlan:
        inputs = item.get("inputs", [])
        indexed = [(i["name"], _word_decoder(collapse_if_tuple(dict(i)))) for i in inputs if i.get("indexed")]
        plain_specs = [i for i in inputs if not i.get("indexed")]
        plain_types = [collapse_if_tuple(dict(p)) for p in plain_specs]
        plain = [(p["name"], _word_decoder(t)) for p, t in zip(plain_specs, plain_types, strict=True)]
        return cls(item["name"], indexed, plain, plain_types, all(d is not None for _, d in plain))

    def decode(self, topics: Sequence[bytes], data: bytes) -> dict[str, Any]:
        args: dict[str, Any] = {}
        for (name, word), topic in zip(self.indexed, topics, strict=False):
            args[name] = topic if word is None else word(topic)
        if self.static and len(data) >= 32 * len(self.plain):
            for n, (name, word) in enumerate(self.plain):
                args[name] = word(data[32 * n : 32 * n + 32])
        else:
            for (name, _), value in zip(self.plain, decode_values(self.plain_types, data), strict=True):
                args[name] = value
        return args
