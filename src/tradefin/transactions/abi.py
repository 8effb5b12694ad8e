"""ABI encoding and decoding: function calls, constructor args, events, custom errors.

Types are compiled once into small encoders and decoders (elementary values, bytes, strings, and tuples and arrays
of them, nested): the same bytes and values as eth-abi (property tests check it) without its generic machinery.
Whatever a fast path does not plainly accept (a value in another form, data not strictly well-formed, a type it
does not know) goes to eth-abi, so eth-abi's results and errors stay the contract."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from eth_abi import decode, encode
from eth_abi.exceptions import EncodingError
from eth_utils import function_signature_to_4byte_selector, keccak
from eth_utils.abi import collapse_if_tuple

from tradefin.errors import ArgumentError, TradefinError
from tradefin.transactions.signing import checksum

ABIItem = Mapping[str, Any]
Encoder = Callable[[Any], bytes | None]
Decoder = Callable[[bytes, int], Any]
Normaliser = Callable[[Any], Any]


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
    types: list[str] = _memo("out", item, lambda i: [collapse_if_tuple(dict(o)) for o in i.get("outputs", [])])
    return types


def signature(item: ABIItem) -> str:
    text: str = _memo("sig", item, lambda i: f"{i['name']}({','.join(input_types(i))})")
    return text


def selector(item: ABIItem) -> bytes:
    value: bytes = _memo("sel", item, lambda i: function_signature_to_4byte_selector(signature(i)))
    return value


# Friendly Python forms (hex strings for bytes, enums for integers, mappings and objects for tuples), compiled
# per parameter.


def _normaliser(spec: Mapping[str, Any]) -> Normaliser:
    if spec["type"].startswith("tuple"):
        return _tuple_normaliser(spec["type"], spec["components"])
    return _plain_normaliser(spec["type"])


def _plain_normaliser(abi_type: str) -> Normaliser:
    if abi_type.endswith("]"):
        inner = _plain_normaliser(abi_type[: abi_type.rindex("[")])
        return lambda value: [inner(v) for v in value]
    if abi_type.startswith("bytes"):
        return _hex_bytes
    if abi_type.startswith(("uint", "int")):
        return _integer
    return _same


def _hex_bytes(value: Any) -> Any:
    return bytes.fromhex(value.removeprefix("0x")) if isinstance(value, str) else value


def _integer(value: Any) -> Any:
    return value if isinstance(value, int) else int(value)


def _same(value: Any) -> Any:
    return value


def _tuple_normaliser(abi_type: str, components: Sequence[Mapping[str, Any]]) -> Normaliser:
    if abi_type != "tuple":
        inner = _tuple_normaliser(abi_type[: abi_type.rindex("[")], components)
        return lambda value: [inner(v) for v in value]
    names = [c.get("name", "") for c in components]
    parts = [_normaliser(c) for c in components]

    def normalise(value: Any) -> tuple[Any, ...]:
        return tuple([f(v) for f, v in zip(parts, _fields(value, names), strict=True)])

    return normalise


def _fields(value: Any, names: Sequence[str]) -> Sequence[Any]:
    """A struct's values in order: a tuple or list as it is, a mapping by key, any other object by attribute."""
    if type(value) is tuple or type(value) is list:  # the usual form, first
        return value
    if isinstance(value, Mapping):
        return [value[n] for n in names]
    if isinstance(value, tuple) or (isinstance(value, list) and not hasattr(value, "_fields")):
        return value
    return [getattr(value, n) for n in names]


def _normalise_all(values: Sequence[Any], item: ABIItem) -> list[Any]:
    parts = [_normaliser(spec) for spec in item.get("inputs", [])]
    return [f(v) for f, v in zip(parts, values, strict=True)]


# Compiled ABI types. A dynamic value sits in its container's tail, a 32-byte offset to it in the head; a static
# one sits in the head itself (a static tuple or T[k] inline).


class _Malformed(Exception):
    """Data the fast decoder does not vouch for: eth-abi decodes it, or says what is wrong with it."""


@dataclass(frozen=True, slots=True)
class _Codec:
    dynamic: bool
    size: int
    """Bytes in a container's head: the whole value when static, the offset when dynamic."""
    encode: Encoder
    """The value's encoding, or None when the value is not plainly valid in its usual form."""
    decode: Decoder
    """The value at a position of the data. A static value's container has checked its bounds; a dynamic one
    checks its own. Raises _Malformed on anything eth-abi might reject."""


_ZERO = bytes(32)
_FALSE = bytes(32)
_TRUE = bytes(31) + b"\1"


def _uint(bits: int) -> _Codec:
    limit = 1 << bits

    def encode_uint(value: Any) -> bytes | None:
        if isinstance(value, int) and value.__class__ is not bool and 0 <= value < limit:
            return value.to_bytes(32, "big")
        return None

    def decode_uint(data: bytes, at: int) -> int:
        value = int.from_bytes(data[at : at + 32], "big")
        if value >= limit:  # non-zero padding
            raise _Malformed
        return value

    return _Codec(False, 32, encode_uint, decode_uint)


def _int(bits: int) -> _Codec:
    low, high = -(1 << (bits - 1)), 1 << (bits - 1)

    def encode_int(value: Any) -> bytes | None:
        if isinstance(value, int) and value.__class__ is not bool and low <= value < high:
            return value.to_bytes(32, "big", signed=True)
        return None

    def decode_int(data: bytes, at: int) -> int:
        value = int.from_bytes(data[at : at + 32], "big", signed=True)
        if not low <= value < high:  # padding is not the sign extension
            raise _Malformed
        return value

    return _Codec(False, 32, encode_int, decode_int)


def _fixed_bytes(size: int) -> _Codec:
    padding = bytes(32 - size)

    def encode_fixed(value: Any) -> bytes | None:
        if isinstance(value, bytes) and len(value) <= size:  # shorter: right-padded, as eth-abi does
            return value + _ZERO[len(value) :]
        return None

    def decode_fixed(data: bytes, at: int) -> bytes:
        word = data[at : at + 32]
        if word[size:] != padding:
            raise _Malformed
        return word[:size]

    return _Codec(False, 32, encode_fixed, decode_fixed if size < 32 else _decode_word)


def _decode_word(data: bytes, at: int) -> bytes:
    return data[at : at + 32]


def _encode_address(value: Any) -> bytes | None:
    return _address_word(value) if isinstance(value, str) else None


@lru_cache(maxsize=4096)
def _address_word(value: str) -> bytes | None:
    """A 0x-hex address in one case or in checksum form; eth-abi takes the other forms (or refuses them)."""
    if not (len(value) == 42 and value[:2] == "0x"):
        return None
    body = value[2:]
    try:
        raw = bytes.fromhex(body)
    except ValueError:
        return None
    if len(raw) != 20:  # fromhex skips whitespace
        return None
    if body.islower() or body.isupper() or body.isdigit() or checksum(value) == value:
        return _ZERO[:12] + raw
    return None


@lru_cache(maxsize=4096)
def _address_of(raw: bytes) -> str:
    return checksum("0x" + raw.hex())


def _decode_address(data: bytes, at: int) -> str:
    if data[at : at + 12] != _ZERO[:12]:
        raise _Malformed
    return _address_of(data[at + 12 : at + 32])


def _encode_bool(value: Any) -> bytes | None:
    return _TRUE if value is True else _FALSE if value is False else None


def _decode_bool(data: bytes, at: int) -> bool:
    value = int.from_bytes(data[at : at + 32], "big")
    if value > 1:
        raise _Malformed
    return value == 1


def _with_length(raw: bytes) -> bytes:
    return len(raw).to_bytes(32, "big") + raw + _ZERO[: -len(raw) % 32]


def _encode_bytes(value: Any) -> bytes | None:
    return _with_length(value) if isinstance(value, bytes) else None


def _encode_string(value: Any) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return _with_length(value.encode())
    except UnicodeEncodeError:
        return None


def _decode_bytes(data: bytes, at: int) -> bytes:
    start = at + 32
    if start > len(data):
        raise _Malformed
    length = int.from_bytes(data[at:start], "big")
    stop = start + length
    end = stop + -length % 32
    if end > len(data) or data[stop:end] != _ZERO[: end - stop]:
        raise _Malformed
    return data[start:stop]


def _decode_string(data: bytes, at: int) -> str:
    return _decode_bytes(data, at).decode()  # not UTF-8: UnicodeDecodeError, eth-abi's to report


_ELEMENTARY: dict[str, _Codec] = {
    "address": _Codec(False, 32, _encode_address, _decode_address),
    "bool": _Codec(False, 32, _encode_bool, _decode_bool),
    "bytes": _Codec(True, 32, _encode_bytes, _decode_bytes),
    "string": _Codec(True, 32, _encode_string, _decode_string),
    **{f"uint{bits}": _uint(bits) for bits in range(8, 257, 8)},
    **{f"int{bits}": _int(bits) for bits in range(8, 257, 8)},
    **{f"bytes{size}": _fixed_bytes(size) for size in range(1, 33)},
}


def _assemble(encoded: list[bytes], dynamic: Iterable[int], head: int) -> bytes:
    """Heads, then tails: each dynamic value's encoding moves to the tail, and an offset to it (counted from the
    start of the heads) takes its place."""
    tails = []
    offset = head
    for n in dynamic:
        tail = encoded[n]
        encoded[n] = offset.to_bytes(32, "big")
        tails.append(tail)
        offset += len(tail)
    encoded += tails
    return b"".join(encoded)


Layout = Sequence[tuple[int, bool, Decoder]]
"""(offset in the head, dynamic, decoder) per value of a tuple."""


def _decode_frame(data: bytes, base: int, layout: Layout, head: int) -> tuple[Any, ...]:
    """The values of a tuple whose heads start at ``base``; every offset must land in the tail, inside the data."""
    end = len(data)
    if base + head > end:
        raise _Malformed
    values = []
    for offset, dynamic, decode_part in layout:
        at = base + offset
        if dynamic:
            at = base + int.from_bytes(data[at : at + 32], "big")
            if at < base + head or at >= end:
                raise _Malformed
        values.append(decode_part(data, at))
    return tuple(values)


def _tuple(parts: Sequence[_Codec]) -> _Codec:
    count = len(parts)
    head = sum(p.size for p in parts)
    offsets = [sum(p.size for p in parts[:n]) for n in range(count)]
    encoders = [p.encode for p in parts]
    dynamic = [n for n, p in enumerate(parts) if p.dynamic]

    def encode_tuple(value: Any) -> bytes | None:
        if not _is_sequence(value) or len(value) != count:
            return None
        encoded = [e(v) for e, v in zip(encoders, value, strict=True)]
        if None in encoded:
            return None
        return _assemble(encoded, dynamic, head) if dynamic else b"".join(encoded)  # type: ignore[arg-type]

    if not dynamic:
        decoders = list(zip(offsets, [p.decode for p in parts], strict=True))

        def decode_static(data: bytes, at: int) -> tuple[Any, ...]:
            return tuple([d(data, at + offset) for offset, d in decoders])

        return _Codec(False, head, encode_tuple, decode_static)
    layout = [(offset, p.dynamic, p.decode) for offset, p in zip(offsets, parts, strict=True)]

    def decode_dynamic(data: bytes, at: int) -> tuple[Any, ...]:
        return _decode_frame(data, at, layout, head)

    return _Codec(True, 32, encode_tuple, decode_dynamic)


def _is_sequence(value: Any) -> bool:
    """A tuple's or an array's value as the fast path takes it: a list or a tuple (a namedtuple too)."""
    return isinstance(value, tuple) or type(value) is list


def _elements(item: _Codec, values: Sequence[Any]) -> bytes | None:
    encode_item = item.encode
    encoded = [encode_item(v) for v in values]
    if None in encoded:
        return None
    if item.dynamic:
        return _assemble(encoded, range(len(encoded)), 32 * len(encoded))  # type: ignore[arg-type]
    return b"".join(encoded)  # type: ignore[arg-type]


def _decode_elements(data: bytes, base: int, item: _Codec, count: int) -> tuple[Any, ...]:
    """``count`` values of one type from ``base``: a T[]'s elements, or a T[k]'s with T dynamic."""
    size, decode_item = item.size, item.decode
    if count * size > len(data) - base:  # also keeps a huge count from allocating anything
        raise _Malformed
    if not item.dynamic:
        return tuple([decode_item(data, at) for at in range(base, base + size * count, size)])
    return _decode_frame(data, base, [(32 * n, True, decode_item) for n in range(count)], 32 * count)


def _array(item: _Codec, length: int | None) -> _Codec:
    """``T[]`` (length None) or ``T[length]``."""

    def encode_array(value: Any) -> bytes | None:
        if not _is_sequence(value) or (length is not None and len(value) != length):
            return None
        body = _elements(item, value)
        if body is None or length is not None:
            return body
        return len(value).to_bytes(32, "big") + body

    if length is None:

        def decode_array(data: bytes, at: int) -> tuple[Any, ...]:
            if at + 32 > len(data):
                raise _Malformed
            return _decode_elements(data, at + 32, item, int.from_bytes(data[at : at + 32], "big"))

        return _Codec(True, 32, encode_array, decode_array)
    if item.dynamic:
        return _Codec(True, 32, encode_array, lambda data, at: _decode_elements(data, at, item, length))
    size, decode_item = item.size, item.decode

    def decode_inline(data: bytes, at: int) -> tuple[Any, ...]:
        return tuple([decode_item(data, pos) for pos in range(at, at + size * length, size)])

    return _Codec(False, size * length, encode_array, decode_inline)


@cache
def _codec(abi_type: str) -> _Codec | None:
    """One canonical type string compiled, or None for a type the fast paths leave to eth-abi."""
    if not isinstance(abi_type, str):
        return None
    if abi_type.endswith("]"):
        cut = abi_type.rfind("[")
        item = _codec(abi_type[:cut]) if cut > 0 else None
        length = abi_type[cut + 1 : -1]
        if item is None or not (length == "" or (length.isascii() and length.isdigit() and length[0] != "0")):
            return None
        return _array(item, int(length) if length else None)
    if abi_type.startswith("(") and abi_type.endswith(")"):
        names = _split_tuple(abi_type[1:-1])
        parts = _codecs(names)
        if not names or ",".join(names) != abi_type[1:-1] or parts is None:
            return None
        return _tuple(parts)
    return _ELEMENTARY.get(abi_type)


def _codecs(types: Iterable[str]) -> list[_Codec] | None:
    parts = []
    for abi_type in types:
        part = _codec(abi_type)
        if part is None:
            return None
        parts.append(part)
    return parts


_ARGUMENTS: dict[tuple[str, ...], _Codec | None] = {}


def _arguments(types: Sequence[str]) -> _Codec | None:
    """An argument list (or a log's data, or a call's result) compiled as one tuple, possibly empty."""
    key = tuple(types)
    try:
        return _ARGUMENTS[key]
    except KeyError:
        parts = _codecs(key)
        _ARGUMENTS[key] = codec = None if parts is None else _tuple(parts)
        return codec
    except TypeError:  # an unhashable "type": eth-abi says what is wrong with it
        return None


def _decode_fast(codec: _Codec, data: bytes) -> tuple[Any, ...] | None:
    """What eth-abi (with addresses checksummed) decodes from well-formed data, or None: eth-abi's turn."""
    try:
        if not codec.dynamic and codec.size > len(data):
            return None
        values: tuple[Any, ...] = codec.decode(data, 0)
    except (_Malformed, UnicodeDecodeError):
        return None
    return values


def encode_arguments(types: Sequence[str], values: Sequence[Any]) -> bytes:
    """ABI-encode ``values``: the compiled fast path when it knows the types and plainly accepts the values (the
    same bytes; a property test checks it), eth-abi for everything else."""
    codec = _arguments(types)
    encoded = None if codec is None else codec.encode(values)
    return encode(list(types), list(values)) if encoded is None else encoded


def _encode_checked(item: ABIItem, what: str, args: Sequence[Any]) -> bytes:
    """ABI-encode ``args`` for ``item``'s inputs; a value that does not fit its parameter raises
    :class:`ArgumentError` naming the parameter (eth-abi's own errors never reach the caller)."""
    inputs = item.get("inputs", [])
    if len(args) != len(inputs):
        raise TradefinError(f"{what} takes {len(inputs)} arguments, got {len(args)}")
    types = input_types(item)
    try:
        # The compiled encoders take only the canonical forms, which normalising leaves as they are: try the
        # arguments as given first.
        codec = _arguments(types)
        encoded = None if codec is None else codec.encode(args)
        if encoded is not None:
            return encoded
        normalise = _memo("norm", item, lambda i: [_normaliser(spec) for spec in i.get("inputs", [])])
        return encode_arguments(types, [f(v) for f, v in zip(normalise, args, strict=True)])
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
    """eth-abi's values with addresses checksummed; the compiled decoder gives them when it can."""
    codec = _arguments(types)
    if codec is not None and isinstance(data, (bytes, bytearray)):
        values = _decode_fast(codec, bytes(data))
        if values is not None:
            return values
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
        self._by_hex: dict[tuple[str, int], _EventPlan] = {}
        """The same plans by topic0 as a node writes it (0x, lower case): no hex decoding to find one."""
        for item in abi:
            if item.get("type") == "event" and not item.get("anonymous"):
                indexed = sum(1 for i in item.get("inputs", []) if i.get("indexed"))
                topic = keccak(text=signature(item))
                self._events[(topic, indexed + 1)] = item
                self._plans[(topic, indexed + 1)] = plan = _EventPlan.of(item)
                self._by_hex[("0x" + topic.hex(), indexed + 1)] = plan

    def topic(self, name: str) -> str:
        for (topic, _), item in self._events.items():
            if item["name"] == name:
                return "0x" + topic.hex()
        raise TradefinError(f"no event named {name}")

    def decode(self, log: Mapping[str, Any]) -> DecodedEvent | None:
        topics = log.get("topics")
        if not topics:
            return None
        plan = self._by_hex.get((topics[0], len(topics)))
        if plan is None:  # not ours, or topic0 in another spelling
            plan = self._plans.get((bytes.fromhex(topics[0][2:]), len(topics)))
            if plan is None:
                return None
        args = plan.decode(topics, bytes.fromhex(log.get("data", "0x")[2:]))
        # The same object DecodedEvent(...) builds, for well under half the cost: the frozen dataclass __init__
        # makes one object.__setattr__ call per field, for every log of every receipt.
        event = object.__new__(DecodedEvent)
        vars(event).update(
            name=plan.name,
            args=args,
            address=log["address"],
            block_number=int(log["blockNumber"], 16),
            transaction_hash=log["transactionHash"],
            log_index=int(log["logIndex"], 16),
        )
        return event


def _topic_decoder(kind: str) -> Callable[[str], Any]:
    """An indexed value from its 0x-hex topic: static elementary types decoded (leniently, as ever: no padding
    checks), anything else kept as the topic's 32 bytes (for bytes, strings, arrays and tuples it is a hash)."""
    if kind == "address":
        return lambda topic: checksum("0x" + topic[26:])
    if kind == "bool":
        return lambda topic: topic[-2:] != "00"
    if kind.startswith("uint") and kind[4:].isdigit():
        return lambda topic: int(topic, 16)
    if kind.startswith("int") and kind[3:].isdigit():
        return _signed_topic
    if kind.startswith("bytes") and kind[5:].isdigit():
        size = int(kind[5:])
        return lambda topic: bytes.fromhex(topic[2 : 2 + 2 * size])
    return lambda topic: bytes.fromhex(topic[2:])


def _signed_topic(topic: str) -> int:
    value = int(topic, 16)
    return value - (1 << 256) if value >> 255 else value


@dataclass(frozen=True, slots=True)
class _EventPlan:
    """How to decode one event: topic decoders for the indexed values, the compiled decoder of the log's data
    (None when a type is left to eth-abi; eth-abi also decodes data the compiled one does not vouch for)."""

    name: str
    indexed: list[tuple[str, Callable[[str], Any]]]
    plain: list[str]
    plain_types: list[str]
    codec: _Codec | None

    @classmethod
    def of(cls, item: ABIItem) -> _EventPlan:
        inputs = item.get("inputs", [])
        indexed = [(i["name"], _topic_decoder(collapse_if_tuple(dict(i)))) for i in inputs if i.get("indexed")]
        plain_specs = [i for i in inputs if not i.get("indexed")]
        plain_types = [collapse_if_tuple(dict(p)) for p in plain_specs]
        return cls(item["name"], indexed, [p["name"] for p in plain_specs], plain_types, _arguments(plain_types))

    def decode(self, topics: Sequence[str], data: bytes) -> dict[str, Any]:
        """``topics`` with topic0; the indexed values first, then the data's."""
        args = {name: word(topic) for (name, word), topic in zip(self.indexed, topics[1:], strict=True)}
        values = None if self.codec is None else _decode_fast(self.codec, data)
        if values is None:
            values = checksummed(decode(self.plain_types, data), self.plain_types)
        args.update(zip(self.plain, values, strict=True))
        return args
