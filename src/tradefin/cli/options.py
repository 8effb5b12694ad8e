"""Options shared by every command that touches a chain, and the context they open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from tradefin.context import Context

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class ChainOptions:
    rpc_url: str | None
    chain_id: int
    state_file: Path | None


def chain_options(command: F) -> F:
    """``--rpc-url`` to attach to a node; otherwise a local Anvil with ``--chain-id`` and ``--state-file``."""
    command = click.option(
        "--state-file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Local chain only: load and save the chain's state here, so it survives restarts.",
    )(command)
    command = click.option(
        "--chain-id", type=int, default=31337, show_default=True, help="Chain id of the auto-started local chain."
    )(command)
    command = click.option(
        "--rpc-url",
        envvar="TRADEFIN_RPC_URL",
        default=None,
        metavar="URL",
        help="Use this JSON-RPC node instead of starting a local Anvil.",
    )(command)
    return command


@contextmanager
def open_context(rpc_url: str | None, chain_id: int, state_file: Path | None) -> Iterator[Context]:
    """The context for a command; web3 and friends are imported only by commands that need a chain."""
    from tradefin.context import Context
    from tradefin.project import Project

    with Context.create(Project.find(), rpc_url=rpc_url, chain_id=chain_id, state_file=state_file) as ctx:
        yield ctx
