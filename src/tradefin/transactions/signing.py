"""EIP-1559 transaction signing straight on coincurve: the same bytes eth-account produces, about five times
faster (eth-account validates and re-encodes each dictionary through several layers)."""

from __future__ import annotations

from functools import lru_cache

from coincurve import PrivateKey
from Crypto.Hash import keccak as _keccak
from eth_utils import to_checksum_address

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def _rlp(item: int | bytes | list[object]) -> bytes:
    """Recursive-length prefix encoding of the few shapes a transaction has: integers, byte strings, lists."""
    if isinstance(item, list):
        body = b"".join(_rlp(x) for x in item)  # type: ignore[arg-type]
        return _length(len(body), 0xC0) + body
    if isinstance(item, int):
        item = item.to_bytes((item.bit_length() + 7) // 8, "big") if item else b""
    if len(item) == 1 and item[0] < 0x80:
        return item
    return _length(len(item), 0x80) + item


def _length(length: int, offset: int) -> bytes:
    if length < 56:
        return bytes([offset + length])
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(encoded)]) + encoded


def keccak(data: bytes) -> bytes:
    """Keccak-256, straight from pycryptodome (eth-utils' wrapper doubles the cost of a short input)."""
    return _keccak.new(data=data, digest_bits=256).digest()


@lru_cache(maxsize=64)
def _key(secret: bytes) -> PrivateKey:
    return PrivateKey(secret)


def sign_dynamic_fee(
    secret: bytes,
    *,
    chain_id: int,
    nonce: int,
    max_priority_fee: int,
    max_fee: int,
    gas: int,
    to: str | None,
    value: int,
    data: bytes,
) -> tuple[bytes, str]:
    """Sign an EIP-1559 (type 2) transaction with no access list; ``(raw bytes, 0x-hash)``."""
    target = bytes.fromhex(to[2:]) if to else b""
    fields: list[object] = [chain_id, nonce, max_priority_fee, max_fee, gas, target, value, data, []]
    digest = keccak(b"\x02" + _rlp(fields))
    signature = _key(secret).sign_recoverable(digest, hasher=None)
    r, s, v = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:64], "big"), signature[64]
    if s > SECP256K1_N // 2:  # EIP-2: canonical low-s (coincurve already signs low-s; kept as a guard)
        s, v = SECP256K1_N - s, v ^ 1
    raw = b"\x02" + _rlp([*fields, v, r, s])
    return raw, "0x" + keccak(raw).hex()


@lru_cache(maxsize=4096)
def checksum(address: str) -> str:
    """EIP-55 form of an address, cached: decoding events checksums the same few addresses over and over."""
    return str(to_checksum_address(address))
