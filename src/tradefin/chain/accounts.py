"""Accounts by role: Anvil's well-known dev keys on dev chains only, encrypted keystores elsewhere.

Keys never appear in logs, reprs or error messages.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tradefin.errors import AccountError, KeyRefused

log = logging.getLogger("tradefin.accounts")

DEV_MNEMONIC = "test test test test test test test test test test test junk"
"""Anvil's and Hardhat's default mnemonic: public knowledge, so its keys are only for dev chains."""

DEV_ACCOUNT_COUNT = 20

ROLES: tuple[str, ...] = (
    "deployer",
    "carrier",
    "shipper",
    "buyer",
    "issuing_bank",
    "advising_bank",
    "confirming_bank",
    "financier",
    "remitting_bank",
    "collecting_bank",
    "relayer",
)
"""Named parties of a trade; role ``i`` uses dev account ``i`` of the mnemonic on dev chains."""

ROLE_ALIASES = {
    "consignee": "buyer",
    "applicant": "buyer",
    "beneficiary": "shipper",
    "exporter": "shipper",
    "importer": "buyer",
    "drawee": "buyer",
    "drawer": "shipper",
}


def canonical_role(role: str) -> str:
    name = role.strip().lower().replace("-", "_")
    name = ROLE_ALIASES.get(name, name)
    if name not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    return name


@cache
def dev_account(index: int) -> LocalAccount:
    """Dev account ``index`` of Anvil's mnemonic (m/44'/60'/0'/0/index)."""
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return account


@lru_cache(maxsize=1)
def dev_addresses() -> frozenset[str]:
    """Checksummed addresses of the well-known dev keys (the guard checks every signer against these)."""
    return frozenset(dev_account(i).address for i in range(DEV_ACCOUNT_COUNT))


def is_dev_key(address: str) -> bool:
    return address in dev_addresses()


def guard_dev_key(address: str, chain_id: int, dev_chain_ids: Iterable[int]) -> None:
    """Refuse a well-known dev key on any chain not declared as a dev chain."""
    if chain_id not in set(dev_chain_ids) and is_dev_key(address):
        raise KeyRefused(
            f"{address} is a well-known development key and chain {chain_id} is not a dev chain; "
            "use a keystore account (or declare the chain with TRADEFIN_DEV_CHAIN_IDS if it really is one)"
        )


def load_keystore(path: Path, password: str | None = None, *, prompt: bool = True) -> LocalAccount:
    """Decrypt an eth-account keystore. The password comes from the argument, then
    ``$TRADEFIN_KEYSTORE_PASSWORD``, then an interactive prompt (never echoed)."""
    try:
        keyfile = json.loads(path.read_text())
    except OSError as exc:
        raise AccountError(f"cannot read keystore {path}: {exc.strerror}") from None
    except ValueError:
        raise AccountError(f"{path} is not a keystore (invalid JSON)") from None
    if password is None:
        password = os.environ.get("TRADEFIN_KEYSTORE_PASSWORD")
    if password is None:
        if not prompt:
            raise AccountError(f"no password for keystore {path}: set TRADEFIN_KEYSTORE_PASSWORD")
        password = getpass.getpass(f"Password for {path.name}: ")
    try:
        key = Account.decrypt(keyfile, password)
    except ValueError:
        raise AccountError(f"wrong password for keystore {path}") from None
    except (KeyError, TypeError):
        raise AccountError(f"{path} is not a valid keystore") from None
    account: LocalAccount = Account.from_key(key)
    return account


def create_keystore(path: Path, password: str, account: LocalAccount | None = None) -> LocalAccount:
    """Write a new (or the given) account as an encrypted keystore file readable only by its owner."""
    account = account or Account.create()
    encrypted = Account.encrypt(account.key, password)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(encrypted, handle)
    return account


@dataclass
class AccountBook:
    """Resolves roles to signing accounts for one chain.

    On a dev chain, role ``r`` is dev account ``ROLES.index(r)`` unless a keystore is configured for it. Elsewhere
    a keystore is required: ``$TRADEFIN_KEYSTORE_<ROLE>`` or ``<keystore_dir>/<role>.json``.
    """

    chain_id: int
    dev_chain_ids: frozenset[int]
    keystore_dir: Path | None = None
    _cache: dict[str, LocalAccount] = field(default_factory=dict, repr=False)

    @property
    def is_dev(self) -> bool:
        return self.chain_id in self.dev_chain_ids

    def __getitem__(self, role: str) -> LocalAccount:
        return self.get(role)

    def get(self, role: str) -> LocalAccount:
        name = canonical_role(role)
        account = self._cache.get(name)
        if account is None:
            account = self._load(name)
            guard_dev_key(account.address, self.chain_id, self.dev_chain_ids)
            self._cache[name] = account
        return account

    def _load(self, role: str) -> LocalAccount:
        keystore = self._keystore_path(role)
        if keystore is not None:
            return load_keystore(keystore)
        if self.is_dev:
            return dev_account(ROLES.index(role))
        raise AccountError(
            f"no key for role {role} on chain {self.chain_id}: dev keys are refused off dev chains; set "
            f"TRADEFIN_KEYSTORE_{role.upper()} to a keystore file (or put {role}.json in the keystore folder)"
        )

    def _keystore_path(self, role: str) -> Path | None:
        configured = os.environ.get(f"TRADEFIN_KEYSTORE_{role.upper()}")
        if configured:
            return Path(configured).expanduser()
        if self.keystore_dir is not None and (self.keystore_dir / f"{role}.json").is_file():
            return self.keystore_dir / f"{role}.json"
        return None

    def address(self, role: str) -> str:
        return self.get(role).address
