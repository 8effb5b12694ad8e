"""Options of the commands that span ledgers (``bridge``, ``dvp``, ``demo --cross-border``): each ledger's node
by name, or local chains started per ledger."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

if TYPE_CHECKING:
    from tradefin.crossborder.ledgers import Ledgers

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class LedgerOptions:
    """Where each ledger's chain comes from."""

    rpc_urls: tuple[str, ...]
    """``LEDGER=URL`` pairs; empty: start a local chain per ledger."""
    state_dir: Path | None


def ledger_url_option(*names: str) -> Callable[[F], F]:
    def decorate(command: F) -> F:
        return click.option(
            *names,
            "rpc_urls",
            multiple=True,
            metavar="LEDGER=URL",
            envvar="TRADEFIN_LEDGER_URLS",
            help="A ledger's JSON-RPC node, e.g. shanghai=http://127.0.0.1:8545 (once per ledger: shanghai, "
            "hong-kong); without it, a local chain per ledger.",
        )(command)

    return decorate


def state_dir_option(command: F) -> F:
    return click.option(
        "--state-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Local chains only: keep each ledger's chain in DIR/<ledger>.json across commands.",
    )(command)


def ledger_options(command: F) -> F:
    """``--rpc-url LEDGER=URL`` (repeatable; also ``--ledger-url``) and ``--state-dir``; the command receives them
    as one ``ledger_opts: LedgerOptions`` argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, rpc_urls: tuple[str, ...], state_dir: Path | None, **kwargs: Any) -> Any:
        return command(*args, ledger_opts=LedgerOptions(tuple(rpc_urls), state_dir), **kwargs)

    decorated: Any = state_dir_option(wrapper)
    decorated = ledger_url_option("--rpc-url", "--ledger-url")(decorated)
    return cast(F, decorated)


@contextmanager
def open_ledgers(options: LedgerOptions, genesis_timestamp: int | None = None) -> Iterator[Ledgers]:
    """A context per ledger for a command (nodes tradefin started stop at the end)."""
    from tradefin.chain.ledgers import parse_rpc_urls
    from tradefin.crossborder.ledgers import Ledgers

    urls = parse_rpc_urls(options.rpc_urls)
    if urls and options.state_dir is not None:
        from tradefin.errors import ConfigError

        raise ConfigError("--state-dir is for local chains; it cannot go with --rpc-url")
    with Ledgers.open(rpc_urls=urls, state_dir=options.state_dir, genesis_timestamp=genesis_timestamp) as ledgers:
        yield ledgers
