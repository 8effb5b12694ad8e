"""Deploy contracts by name and remember them per chain in ``deployments/<chain-id>.json``.

A deployment is reused when the same name was deployed with the same creation code and arguments and the
recorded code is really at the recorded address; otherwise it is deployed again and the record replaced.
"""

from __future__ import annotations

import enum
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tradefin.compiler.artifacts import Build
from tradefin.errors import DeploymentError
from tradefin.transactions.abi import encode_constructor
from tradefin.transactions.contract import Contract, deploy_code
from tradefin.transactions.sender import Transactor

log = logging.getLogger("tradefin.deployments")


@dataclass(frozen=True)
class DeploymentRecord:
    """Where one named deployment lives and what it was made from."""

    contract: str
    address: str
    tx_hash: str
    block: int
    deployer: str
    args: list[Any]
    initcode_hash: str
    """keccak of creation code + encoded constructor args: same hash, same contract."""
    code_hash: str
    """keccak of the runtime code found at ``address`` right after deployment."""
    gas_used: int


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


class Deployments:
    """The deployment book of one chain."""

    def __init__(self, transactor: Transactor, build: Build, folder: Path) -> None:
        self.transactor = transactor
        self.build = build
        self.path = folder / f"{transactor.chain.chain_id}.json"
        self._records: dict[str, DeploymentRecord] = self._read()
        self._live: set[tuple[str, str]] = set()
        transactor.chain.on_revert(self._live.clear)

    def _read(self) -> dict[str, DeploymentRecord]:
        try:
            raw = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise DeploymentError(f"cannot read {self.path}: {exc}") from None
        chain_id = self.transactor.chain.chain_id
        if not isinstance(raw, dict) or raw.get("chain_id", chain_id) != chain_id:
            recorded = raw.get("chain_id") if isinstance(raw, dict) else None
            raise DeploymentError(
                f"{self.path} records deployments of chain {recorded}, not of this chain ({chain_id}): "
                "a deployment book copied from another chain?"
            )
        try:
            return {name: DeploymentRecord(**record) for name, record in raw.get("deployments", {}).items()}
        except TypeError as exc:
            raise DeploymentError(f"{self.path} has a malformed record: {exc}") from None

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "chain_id": self.transactor.chain.chain_id,
            "deployments": {name: asdict(r) for name, r in sorted(self._records.items())},
        }
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(body, indent=2) + "\n")
        tmp.replace(self.path)

    def records(self) -> dict[str, DeploymentRecord]:
        return dict(self._records)

    def record(self, name: str) -> DeploymentRecord | None:
        return self._records.get(name)

    def at(self, name: str) -> Contract:
        """The recorded deployment ``name``, checked to be on chain."""
        record = self._records.get(name)
        if record is None:
            raise DeploymentError(f"nothing named {name!r} is deployed on chain {self.transactor.chain.chain_id}")
        if not self._is_live(record):
            raise DeploymentError(f"{name} is recorded at {record.address} but that code is not on chain")
        return Contract(self.transactor, record.address, self.build[record.contract].abi, name)

    def is_live(self, address: str, code_hash: str) -> bool:
        """Whether the code hashing to ``code_hash`` is at ``address``. A yes is remembered until this chain
        handle reverts a snapshot (since Cancun the only way code leaves an address), so repeated look-ups cost no
        round trip; a no is asked again each time."""
        key = (address.lower(), code_hash)
        if key in self._live:
            return True
        code = self.transactor.chain.code(address)
        live = bool(code) and "0x" + keccak(code).hex() == code_hash
        if live:
            self._live.add(key)
        return live

    def name_of(self, address: str) -> str | None:
        """The name of the recorded deployment now at ``address``: its code and its deployment transaction are on
        this chain (a dev chain reverted to before a deployment may hold another recorded one at that address); of
        several such (the very same transaction sent again after a revert), the latest recorded."""
        chain = self.transactor.chain
        for name, record in reversed(self._records.items()):
            if record.address.lower() != address.lower() or not self._is_live(record):
                continue
            if chain.rpc("eth_getTransactionReceipt", [record.tx_hash]) is not None:
                return name
        return None

    def _is_live(self, record: DeploymentRecord) -> bool:
        return self.is_live(record.address, record.code_hash)

    def deploy(
        self,
        account: LocalAccount,
        contract: str,
        *args: Any,
        name: str | None = None,
        reuse: bool = True,
    ) -> Contract:
        """Deploy ``contract`` under ``name`` (default: the contract name), or reuse an identical live one."""
        name = name or contract
        artifact = self.build[contract]
        constructor = next((i for i in artifact.abi if i.get("type") == "constructor"), None)
        initcode = bytes.fromhex(artifact.bytecode[2:]) + encode_constructor(constructor, args)
        initcode_hash = "0x" + keccak(initcode).hex()
        existing = self._records.get(name)
        if reuse and existing and existing.initcode_hash == initcode_hash and self._is_live(existing):
            log.info("reusing %s at %s", name, existing.address)
            return Contract(self.transactor, existing.address, artifact.abi, name)
        handle, receipt = deploy_code(self.transactor, account, artifact.abi, artifact.bytecode, args, name=name)
        self.remember(
            name,
            contract,
            handle.address,
            tx_hash=receipt.tx_hash,
            block=receipt.block_number,
            deployer=account.address,
            gas_used=receipt.gas_used,
            args=_jsonable(list(args)),
            initcode_hash=initcode_hash,
        )
        log.info("deployed %s at %s (gas %d)", name, handle.address, receipt.gas_used)
        return handle

    def remember(
        self,
        name: str,
        contract: str,
        address: str,
        *,
        tx_hash: str,
        block: int,
        deployer: str,
        gas_used: int,
        args: list[Any] | None = None,
        initcode_hash: str = "",
    ) -> None:
        """Record a deployment under ``name`` with the hash of the code now at ``address``. One made elsewhere (a
        flow's step) has no known initcode, so :meth:`deploy` never reuses it; later look-ups still find it."""
        code = self.transactor.chain.code(address)
        self._records.pop(name, None)  # the latest recorded last (see name_of)
        self._records[name] = DeploymentRecord(
            contract=contract,
            address=address,
            tx_hash=tx_hash,
            block=block,
            deployer=deployer,
            args=args or [],
            initcode_hash=initcode_hash,
            code_hash="0x" + keccak(code).hex(),
            gas_used=gas_used,
        )
        self._write()

    def forget(self, names: Sequence[str] = ()) -> None:
        for name in names or list(self._records):
            self._records.pop(name, None)
        self._write()
