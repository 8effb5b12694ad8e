"""Canonical JSON (RFC 8785, JCS) of transport documents and their Keccak-256 identity.

The canonical form of a document is the JCS serialisation of :meth:`TransportDocument.to_dcsa_dict`:

* DCSA camelCase keys, sorted by UTF-16 code units; members whose value is None are left out;
* dates as ``"YYYY-MM-DD"``; enums as their DCSA codes; counts as JSON integers;
* decimal quantities (weights, volumes, declared value) as *strings* in plain, normalised notation
  (``"12000"``, ``"1231.1"``), so no value ever goes through IEEE-754 doubles;
* strings exactly as given: there is no Unicode normalisation, so NFC and NFD spellings differ.

``document_hash`` is Keccak-256 of those UTF-8 bytes (the hash the contracts see), ``document_id`` the same
32 bytes read as a big-endian unsigned integer (the ERC-721 token id).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import rfc8785
from eth_hash.auto import keccak

from tradefin.documents.transport import TransportDocument
from tradefin.errors import TradefinError

__all__ = [
    "CanonicalJSONError",
    "canonical_document",
    "canonical_json",
    "document_hash",
    "document_id",
    "keccak256",
]

_Json = None | bool | int | float | str | list["_Json"] | dict[str, "_Json"]


class CanonicalJSONError(TradefinError, ValueError):
    """The value cannot be written as canonical JSON (unsupported type, non-string key, huge integer, ...)."""


def _plain(value: object, path: str) -> _Json:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        result: dict[str, _Json] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalJSONError(f"{path}: object key {key!r} is not a string")
            result[key] = _plain(item, f"{path}.{key}")
        return result
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise CanonicalJSONError(f"{path}: {type(value).__name__} is not a JSON value")


_SAFE_INTEGER = 2**53 - 1
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain_json_suffices(value: _Json) -> bool:
    """True when Python's own sorted, compact JSON is already the RFC 8785 form: no floats (JCS writes them the
    ECMAScript way), no integers beyond 2**53 (JCS refuses them) and no object key outside the Basic Multilingual
    Plane (JCS sorts keys by UTF-16 code units, Python by code points; the two orders agree inside the BMP).
    String escaping is the same in both: the short escapes, ``\\u00xx`` for other controls, nothing else."""
    if isinstance(value, float):
        return False
    if isinstance(value, int) and not isinstance(value, bool):
        return -_SAFE_INTEGER <= value <= _SAFE_INTEGER
    if isinstance(value, dict):
        return all(max(key, default="\0") <= "\uffff" for key in value) and all(
            _plain_json_suffices(v) for v in value.values()
        )
    if isinstance(value, list):
        return all(_plain_json_suffices(v) for v in value)
    return True


def _simple(value: object) -> bool:
    """True when ``value`` is already plain JSON that Python serialises the RFC 8785 way, so it needs neither a
    plain copy nor the general serialiser: only exact dicts (string keys inside the BMP), lists and tuples around
    None, booleans, strings and integers within 2**53. False for anything else (floats, other mappings or
    sequences, bad keys or values): the general path then converts it, or says what is wrong with it."""
    if type(value) is dict:
        try:
            keys = "".join(value)  # TypeError for a non-string key
        except TypeError:
            return False
        if not (keys.isascii() or max(keys) <= "\uffff"):
            return False
        items: Iterable[object] = value.values()
    elif type(value) is list or type(value) is tuple:
        items = value
    else:
        return _simple_scalar(value)
    for item in items:  # scalars inline: most items are strings
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if not (_simple_scalar(item) if kind is int else _simple(item)):
            return False
    return True


def _simple_scalar(value: object) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, int):
        return -_SAFE_INTEGER <= value <= _SAFE_INTEGER
    return value is None or isinstance(value, str)


def canonical_json(obj: Mapping[str, object]) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of a JSON object (mappings, sequences, str, int, float, bool, None)."""
    if _simple(obj):  # one walk, no copy: ten times faster than the general serialiser, byte for byte the same
        try:
            return _ENCODER.encode(obj).encode()
        except UnicodeEncodeError:
            pass  # a lone surrogate: the general serialiser says why it is not allowed
    plain = _plain(obj, "$")
    if _plain_json_suffices(plain):
        try:  # a property test checks this against the general serialiser
            return _ENCODER.encode(plain).encode()
        except UnicodeEncodeError:
            pass
    try:
        return rfc8785.dumps(plain)
    except rfc8785.CanonicalizationError as exc:
        raise CanonicalJSONError(str(exc)) from exc


def canonical_document(doc: TransportDocument) -> bytes:
    """Canonical JSON bytes of a transport document."""
    return canonical_json(doc.to_dcsa_dict())


def keccak256(data: bytes) -> bytes:
    """Keccak-256 digest (Ethereum's, not NIST SHA3-256) of ``data``."""
    return keccak(data)


def document_hash(doc: TransportDocument) -> bytes:
    """Keccak-256 of the document's canonical JSON: 32 bytes."""
    return keccak256(canonical_document(doc))


def document_id(doc: TransportDocument) -> int:
    """The document hash as a big-endian unsigned integer: the token id on chain."""
    return int.from_bytes(document_hash(doc), "big")
