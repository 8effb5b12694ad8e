"""The bridge committee's keys and the relayer, set up over named ledgers.

Members sign with their own keys: encrypted keystores (``--member-keystore``, ``$TRADEFIN_KEYSTORE_MEMBER_<n>`` or
``keystores/member-<n>.json``), or, on dev chains only, dev accounts 16-19 of Anvil's mnemonic (after the roles).
Each member reads both chains through connections of its own and checks what it signs
(:class:`tradefin.bridge.member.CommitteeMember`); the relayer only carries signatures.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from tradefin.bridge.client import TitleBridge
from tradefin.bridge.member import CommitteeMember
from tradefin.bridge.relayer import Relayer
from tradefin.bridge.relayer_journal import DONE, FAILED, RelayerJournal
from tradefin.chain.accounts import dev_account, guard_dev_key, load_keystore
from tradefin.chain.connection import connect
from tradefin.context import Context
from tradefin.errors import AccountError, TradefinError
from tradefin.transactions.sender import Receipt

DEV_MEMBER_INDICES = (16, 17, 18, 19)
"""Dev accounts of the committee on dev chains (the roles use 0-10)."""
DEFAULT_THRESHOLD = 3
MAX_PASSES = 4
"""Relayer passes an external bridge step waits for its transaction before giving up."""


def dev_members() -> list[LocalAccount]:
    return [dev_account(i) for i in DEV_MEMBER_INDICES]


def member_accounts(ledgers: Mapping[str, Context], keystores: Sequence[Path] = ()) -> list[LocalAccount]:
    """The committee members' accounts, sorted by address: from ``keystores``, else the configured member keystores,
    else (every ledger a dev chain) the dev members. Dev keys are refused on any ledger that is not a dev chain."""
    paths = list(keystores) or _configured_keystores(ledgers)
    if paths:
        accounts = [load_keystore(path) for path in paths]
    elif all(ctx.chain.is_dev for ctx in ledgers.values()):
        accounts = dev_members()
    else:
        raise AccountError(
            "no committee member keys: give --member-keystore FILE per member (or TRADEFIN_KEYSTORE_MEMBER_1, ...); "
            "dev member keys are only for dev chains"
        )
    for ctx in ledgers.values():
        for account in accounts:
            guard_dev_key(account.address, ctx.chain.chain_id, ctx.chain.dev_chain_ids)
    if len({a.address for a in accounts}) != len(accounts):
        raise AccountError("the same member key was given twice")
    return sorted(accounts, key=lambda a: int(a.address, 16))


def _configured_keystores(ledgers: Mapping[str, Context]) -> list[Path]:
    paths: list[Path] = []
    for n in range(1, 257):
        configured = os.environ.get(f"TRADEFIN_KEYSTORE_MEMBER_{n}")
        if configured:
            paths.append(Path(configured).expanduser())
            continue
        ctx = next(iter(ledgers.values()))
        local = ctx.project.root / "keystores" / f"member-{n}.json"
        if not local.is_file():
            break
        paths.append(local)
    return paths


def own_view(ctx: Context, bridge: str) -> TitleBridge:
    """``bridge`` on ``ctx``'s chain through a connection of its own (as a separate process would read it)."""
    chain = connect(ctx.chain.rpc_url, dev_chain_ids=ctx.chain.dev_chain_ids, name=ctx.chain.name)
    own = Context.on(ctx.project, chain, ctx.build, deployments_dir=ctx.deployments.path.parent)
    return TitleBridge.at(own, bridge)


def committee_members(
    ledgers: Mapping[str, Context], bridges: Mapping[str, str], accounts: Sequence[LocalAccount]
) -> list[CommitteeMember]:
    """One :class:`CommitteeMember` per account, each reading every ledger's bridge (``bridges``: {ledger: address})
    through its own connections."""
    return [
        CommitteeMember(account, [own_view(ledgers[name], address) for name, address in bridges.items()])
        for account in accounts
    ]


def make_relayer(
    ledgers: Mapping[str, Context],
    bridges: Mapping[str, str],
    accounts: Sequence[LocalAccount],
    journal: Path,
    *,
    relayer_role: str = "relayer",
) -> Relayer:
    """A relayer over every ledger's bridge, asking ``accounts`` (each an independent member) to sign; it sends
    from the ``relayer`` role's account of the home ledger."""
    clients = [TitleBridge.at(ledgers[name], address) for name, address in bridges.items()]
    account = next(iter(ledgers.values())).accounts[relayer_role]
    for ctx in ledgers.values():
        guard_dev_key(account.address, ctx.chain.chain_id, ctx.chain.dev_chain_ids)
    return Relayer(clients, committee_members(ledgers, bridges, accounts), account, RelayerJournal(journal))


def relay_until(relayer: Relayer, pledge_id: bytes, action: str, *, max_passes: int = MAX_PASSES) -> Receipt:
    """Run relayer passes until its ``action`` (claim, confirm, reclaim) of ``pledge_id`` has landed; its receipt."""
    for _ in range(max_passes):
        relayer.poll_once()
        sub = relayer.submission(pledge_id, action)
        if sub is not None and sub.status == FAILED:
            raise TradefinError(f"the relayer's {action} of pledge 0x{pledge_id.hex()} failed: {sub.error}")
        if sub is not None and sub.status == DONE:
            bridge = relayer.bridges[sub.chain_id]
            receipt = bridge.contract.transactor.receipt(sub.tx_hash)
            if receipt is None:
                raise TradefinError(f"the relayer's {action} {sub.tx_hash} took effect through another transaction")
            return receipt
    tracked = relayer.status(pledge_id)
    why = (tracked.note or tracked.status) if tracked is not None else "it never saw the pledge"
    raise TradefinError(f"the relayer did not {action} pledge 0x{pledge_id.hex()} in {max_passes} passes: {why}")


def checksum(address: str) -> str:
    return str(to_checksum_address(address))
