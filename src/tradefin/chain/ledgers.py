"""Several ledgers by name (Shanghai, Hong Kong): local chains started with distinct chain ids, or nodes given by URL.

A ledger is a name for one chain. Started locally, each ledger gets its own Anvil with its own chain id (a dev chain:
tradefin started it); attached, each name maps to a JSON-RPC URL (``shanghai=http://...``), and the usual dev-key
rule applies (declare other dev ids with ``TRADEFIN_DEV_CHAIN_IDS``). Two ledgers on one chain id are refused: the
bridge and the hash-time locks tell the chains apart by their ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from tradefin.chain.connection import Chain, connect
from tradefin.chain.local import start_local_chain
from tradefin.errors import ConfigError
from tradefin.project import Project

SHANGHAI = "shanghai"
HONG_KONG = "hong-kong"
LEDGER_CHAIN_IDS: dict[str, int] = {SHANGHAI: 31337, HONG_KONG: 31338}
"""The platform's ledgers and the chain ids their local chains get (both count as dev chains when started here)."""

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def ledger_names() -> list[str]:
    return list(LEDGER_CHAIN_IDS)


def check_ledger(name: str, known: Iterable[str] | None = None) -> str:
    """``name`` normalised (``Hong_Kong`` -> ``hong-kong``), or :class:`ConfigError` if it is not a known ledger."""
    names = list(known if known is not None else LEDGER_CHAIN_IDS)
    norm = name.strip().lower().replace("_", "-").replace(" ", "-")
    if norm not in names:
        raise ConfigError(f"unknown ledger {name!r}; ledgers: {', '.join(names)}")
    return norm


def parse_rpc_urls(values: Iterable[str], names: Sequence[str] | None = None) -> dict[str, str]:
    """``NAME=URL`` pairs as {ledger: url}, in ledger order; every ledger once, or none at all."""
    wanted = list(names or LEDGER_CHAIN_IDS)
    urls: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise ConfigError(f"--rpc-url takes LEDGER=URL (e.g. {wanted[0]}=http://127.0.0.1:8545), got {value!r}")
        ledger = check_ledger(name, wanted)
        if ledger in urls:
            raise ConfigError(f"--rpc-url names ledger {ledger} twice")
        urls[ledger] = url.strip()
    if urls and set(urls) != set(wanted):
        missing = [n for n in wanted if n not in urls]
        raise ConfigError(f"give --rpc-url for every ledger or none: missing {', '.join(missing)}")
    return {name: urls[name] for name in wanted if name in urls}


def open_chains(
    project: Project,
    *,
    rpc_urls: Mapping[str, str] | None = None,
    chain_ids: Mapping[str, int] | None = None,
    state_dir: Path | None = None,
    genesis_timestamp: int | None = None,
) -> dict[str, Chain]:
    """One :class:`Chain` per ledger, in ledger order: attached to ``rpc_urls`` when given, else a local Anvil per
    ledger (chain ids from ``chain_ids``, default :data:`LEDGER_CHAIN_IDS`; ``state_dir/<ledger>.json`` keeps each
    chain across runs). Closing a started chain stops its node."""
    ids = dict(chain_ids or LEDGER_CHAIN_IDS)
    for name in ids:
        if not _NAME.match(name):
            raise ConfigError(f"a ledger name is lower-case letters, digits and dashes, got {name!r}")
    chains: dict[str, Chain] = {}
    try:
        if rpc_urls:
            for name, url in rpc_urls.items():
                chains[name] = connect(url, name=name)
        else:
            if state_dir is not None:
                state_dir.mkdir(parents=True, exist_ok=True)
            for name, chain_id in ids.items():
                state = state_file(state_dir, name) if state_dir is not None else None
                chains[name] = start_local_chain(
                    project, chain_id=chain_id, name=name, state_file=state, genesis_timestamp=genesis_timestamp
                )
        _check_distinct(chains)
    except BaseException:
        for chain in chains.values():
            chain.close()
        raise
    return chains


def state_file(state_dir: Path, ledger: str) -> Path:
    """Where a local chain of ``ledger`` is kept in ``state_dir``."""
    return state_dir / f"{ledger}.json"


def kept_chains(state_dir: Path | None, ledgers: Iterable[str] = LEDGER_CHAIN_IDS) -> bool:
    """Some local chain of ``ledgers`` was left in ``state_dir`` by an earlier command (it restarts from there)."""
    return state_dir is not None and any(state_file(state_dir, name).exists() for name in ledgers)


def _check_distinct(chains: Mapping[str, Chain]) -> None:
    seen: dict[int, str] = {}
    for name, chain in chains.items():
        if chain.chain_id in seen:
            raise ConfigError(
                f"ledgers {seen[chain.chain_id]} and {name} are both chain {chain.chain_id}: each ledger needs its own "
                "chain id"
            )
        seen[chain.chain_id] = name
