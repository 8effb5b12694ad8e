"""``tradefin demo``: the main job. On an auto-started local chain (or ``--rpc-url``) it deploys the contracts and
runs the settlement flows, printing a timeline, then writes ``reports/settlement.html``; ``--cross-border`` runs the
two-ledger demo instead."""

from __future__ import annotations

import click

from tradefin.cli.ledger_options import LedgerOptions, ledger_url_option, open_ledgers
from tradefin.cli.options import ChainOptions, chain_options, open_context


@click.command("demo")
@click.option(
    "--cross-border",
    is_flag=True,
    help="The two-ledger demo instead: a Shanghai bill bridged to Hong Kong and settled there, and delivery versus "
    "payment across the chains (reports/cross-border.html).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Finish the latest demo on this chain (--state-file or --rpc-url; with --cross-border, its --ledger-url "
    "nodes) from its journal: the run it was in and the flows it had not started, nothing sent twice; then write "
    "the report.",
)
@ledger_url_option("--ledger-url")
@chain_options
def demo_command(chain_opts: ChainOptions, cross_border: bool, resume: bool, rpc_urls: tuple[str, ...]) -> None:
    """Run the settlement demo on a local chain (or --rpc-url); --cross-border: on two (or --ledger-url)."""
    from tradefin.errors import ConfigError

    if cross_border or rpc_urls:
        _cross_border(chain_opts, cross_border, rpc_urls, resume)
        return
    from tradefin.demo import DEMO_START, run_demo

    fresh = chain_opts.rpc_url is None and (chain_opts.state_file is None or not chain_opts.state_file.exists())
    if resume and chain_opts.rpc_url is None and chain_opts.state_file is None:
        raise ConfigError(
            "--resume needs the chain the demo ran on: --state-file FILE (a local chain kept there) or --rpc-url URL"
        )
    with open_context(chain_opts, genesis_timestamp=DEMO_START if fresh else None) as ctx:
        run_demo(ctx, resume=resume)


def _cross_border(chain_opts: ChainOptions, cross_border: bool, rpc_urls: tuple[str, ...], resume: bool) -> None:
    from tradefin.crossborder.demo import DEMO_START, run_cross_border_demo
    from tradefin.errors import ConfigError

    if not cross_border:
        raise ConfigError("--ledger-url is for the two-ledger demo: add --cross-border")
    if chain_opts.rpc_url or chain_opts.state_file:
        raise ConfigError("with --cross-border, give each ledger's node as --ledger-url LEDGER=URL (not --rpc-url)")
    if resume and not rpc_urls:
        raise ConfigError(
            "--cross-border --resume needs the ledgers the demo ran on: --ledger-url shanghai=URL --ledger-url "
            "hong-kong=URL"
        )
    with open_ledgers(LedgerOptions(rpc_urls, None), genesis_timestamp=None if rpc_urls else DEMO_START) as ledgers:
        run_cross_border_demo(ledgers, resume=resume)
