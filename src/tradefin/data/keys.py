"""The document store's encryption key: 32 bytes for AES-256-GCM, from the environment or a key file.

``TRADEFIN_DATA_KEY`` holds 64 hex digits; otherwise ``TRADEFIN_DATA_KEY_FILE`` (or an explicit path) names a file
holding 64 hex digits or the 32 raw bytes. The key is never logged, printed or shown by ``repr``; only its
fingerprint (a hash of it) is, so a store can tell that it was opened with the wrong key.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from eth_utils import keccak

from tradefin.data.errors import KeyUnavailable

KEY_ENV = "TRADEFIN_DATA_KEY"
KEY_FILE_ENV = "TRADEFIN_DATA_KEY_FILE"
KEY_BYTES = 32

log = logging.getLogger("tradefin.data")


class StoreKey:
    """An AES-256 key. ``repr`` and ``str`` show the fingerprint only."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) != KEY_BYTES:
            raise KeyUnavailable(f"a document store key is {KEY_BYTES} bytes, got {len(secret)}")
        self._secret = bytes(secret)

    @classmethod
    def generate(cls) -> StoreKey:
        """A fresh random key."""
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def from_hex(cls, text: str) -> StoreKey:
        digits = text.strip().removeprefix("0x")
        if len(digits) != 2 * KEY_BYTES:
            raise KeyUnavailable(f"a document store key is {2 * KEY_BYTES} hex digits, got {len(digits)} characters")
        try:
            return cls(bytes.fromhex(digits))
        except ValueError:
            raise KeyUnavailable("the document store key is not hexadecimal") from None

    @classmethod
    def from_file(cls, path: Path) -> StoreKey:
        """A key file: 64 hex digits (a trailing newline is fine) or the 32 raw bytes."""
        try:
            raw = path.read_bytes()
            mode = path.stat().st_mode
        except OSError as exc:
            raise KeyUnavailable(f"cannot read the key file {path}: {exc.strerror}") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("key file %s is readable by others than its owner (chmod 600 it)", path)
        if len(raw) == KEY_BYTES:
            return cls(raw)
        try:
            return cls.from_hex(raw.decode("ascii"))
        except UnicodeDecodeError:
            raise KeyUnavailable(f"the key file {path} holds neither 64 hex digits nor 32 raw bytes") from None

    @classmethod
    def load(cls, key_file: Path | None = None, *, env: Mapping[str, str] | None = None) -> StoreKey:
        """``key_file`` if given, else ``$TRADEFIN_DATA_KEY`` (hex), else the file ``$TRADEFIN_DATA_KEY_FILE``."""
        env = os.environ if env is None else env
        if key_file is not None:
            return cls.from_file(key_file)
        if env.get(KEY_ENV):
            return cls.from_hex(env[KEY_ENV])
        if env.get(KEY_FILE_ENV):
            return cls.from_file(Path(env[KEY_FILE_ENV]))
        raise KeyUnavailable(
            f"no document store key: set {KEY_ENV} (64 hex digits) or {KEY_FILE_ENV} (a key file), or pass a key file"
        )

    def write(self, path: Path) -> None:
        """Save as 64 hex digits in a new file only its owner can read; refuses to overwrite."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise KeyUnavailable(f"{path} exists; not overwriting a key") from None
        with os.fdopen(fd, "w") as handle:
            handle.write(self._secret.hex() + "\n")

    @property
    def fingerprint(self) -> str:
        """16 hex digits naming the key without revealing it."""
        return bytes(keccak(b"tradefin.data.key-fingerprint" + self._secret))[:8].hex()

    def secret(self) -> bytes:
        """The raw key, for the cipher only."""
        return self._secret

    def __repr__(self) -> str:
        return f"StoreKey(fingerprint={self.fingerprint})"

    __str__ = __repr__
