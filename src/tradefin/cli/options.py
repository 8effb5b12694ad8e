"""Options shared by every command that touches a chain, and the context they open."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
from click.core import ParameterSource

from tradefin.errors import ConfigError

if TYPE_CHECKING:
    from tradefin.context import Context

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ChainOptions:
    """Where a command's chain comes from."""

    rpc_url: str | None
    chain_id: int
    state_file: Path | None
    node_kind: str = "anvil"
    chain_id_given: bool = False
    """``--chain-id`` was given: with ``--rpc-url`` the node must be that chain."""


def chain_options(command: F) -> F:
    """``--rpc-url`` to attach to a node; otherwise a local node (``--node``, ``--chain-id``, ``--state-file``).

    The decorated command receives them as one ``chain_opts: ChainOptions`` argument."""

    @functools.wraps(command)
    def wrapper(
        *args: Any, rpc_url: str | None, chain_id: int, state_file: Path | None, node_kind: str, **kwargs: Any
    ) -> Any:
        click_ctx = click.get_current_context(silent=True)
        given = click_ctx is not None and click_ctx.get_parameter_source("chain_id") not in (
            None,
            ParameterSource.DEFAULT,
        )
        options = ChainOptions(rpc_url, chain_id, state_file, node_kind, chain_id_given=given)
        return command(*args, chain_opts=options, **kwargs)

    decorated: Any = wrapper
    decorated = click.option(
        "--state-file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Local Anvil only: load and save the chain's state here, so it survives restarts.",
    )(decorated)
    decorated = click.option(
        "--node",
        "node_kind",
        type=click.Choice(["anvil", "hardhat"]),
        default="anvil",
        show_default=True,
        envvar="TRADEFIN_NODE",
        help="Which local node to start (ignored with --rpc-url).",
    )(decorated)
    decorated = click.option(
        "--chain-id",
        type=int,
        default=31337,
        show_default=True,
        help="Chain id of the auto-started local chain; with --rpc-url, the chain id the node must have.",
    )(decorated)
    decorated = click.option(
        "--rpc-url",
        envvar="TRADEFIN_RPC_URL",
        default=None,
        metavar="URL",
        help="Use this JSON-RPC node instead of starting a local one.",
    )(decorated)
    return cast(F, decorated)


@contextmanager
def open_context(options: ChainOptions, genesis_timestamp: int | None = None) -> Iterator[Context]:
    """The context for a command; web3 and friends are imported only by commands that need a chain."""
    from tradefin.context import Context
    from tradefin.project import Project

    if options.rpc_url and options.state_file:
        raise ConfigError(
            f"--state-file is for a local Anvil tradefin starts; the node at {options.rpc_url} keeps its own "
            "state (give one of --rpc-url and --state-file)"
        )
    with Context.create(
        Project.find(),
        rpc_url=options.rpc_url,
        chain_id=options.chain_id,
        state_file=options.state_file,
        node=options.node_kind,
        genesis_timestamp=genesis_timestamp,
    ) as ctx:
        if options.rpc_url and options.chain_id_given and ctx.chain.chain_id != options.chain_id:
            raise ConfigError(
                f"--chain-id {options.chain_id} does not match the node at {options.rpc_url} "
                f"(chain {ctx.chain.chain_id}); nothing was sent"
            )
        yield ctx


def require_contract(ctx: Context, address: str, what: str = "contract") -> str:
    """``address`` if code is deployed there on this chain; else one clear error (a call to an address without
    code answers nothing, and a transaction to it would land doing nothing)."""
    if not ctx.chain.code(address):
        raise ConfigError(
            f"no contract at {address} on chain {ctx.chain.chain_id} (the {what} of another chain, or a typo?)"
        )
    return address
