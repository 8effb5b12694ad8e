"""``tradefin demo``: the main job. On an auto-started local chain (or ``--rpc-url``) it deploys the contracts and
runs the settlement flows, printing a timeline, then writes ``reports/settlement.html``; ``--cross-border`` runs the
two-ledger demo instead."""

from __future__ import annotations

from pathlib import Path

import click

from tradefin.cli.ledger_options import LedgerOptions, ledger_url_option, open_ledgers, state_dir_option
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
    help="Finish the latest demo on this chain (--state-file or --rpc-url; with --cross-border, its --state-dir or "
    "--ledger-url nodes) from its journal: the run it was in and the flows it had not started, nothing sent twice; "
    "then write the report.",
)
@ledger_url_option("--ledger-url")
@state_dir_option
@chain_options
def demo_command(
    chain_opts: ChainOptions, cross_border: bool, resume: bool, rpc_urls: tuple[str, ...], state_dir: Path | None
) -> None:
    """Run the settlement demo on a local chain (or --rpc-url); --cross-border: on two (or --ledger-url)."""
    from tradefin.errors import ConfigError

    if cross_border or rpc_urls or state_dir is not None:
        _cross_border(chain_opts, cross_border, LedgerOptions(rpc_urls, state_dir), resume)
        return
    from tradefin.demo import DEMO_START, run_demo

    fresh = chain_opts.rpc_url is None and (chain_opts.state_file is None or not chain_opts.state_file.exists())
    if resume and chain_opts.rpc_url is None and chain_opts.state_file is None:
        raise ConfigError(
            "--resume needs the chain the demo ran on: --state-file FILE (a local chain kept there) or --rpc-url URL"
        )
    with open_context(chain_opts, genesis_timestamp=DEMO_START if fresh else None) as ctx:
        run_demo(ctx, resume=resume)


def _cross_border(chain_opts: ChainOptions, cross_border: bool, ledger_opts: LedgerOptions, resume: bool) -> None:
    from tradefin.chain.ledgers import kept_chains
    from tradefin.crossborder.demo import DEMO_START, run_cross_border_demo
    from tradefin.errors import ConfigError

    if not cross_border:
        raise ConfigError("--ledger-url and --state-dir are for the two-ledger demo: add --cross-border")
    if chain_opts.rpc_url or chain_opts.state_file:
        raise ConfigError(
            "with --cross-border, give each ledger's node as --ledger-url LEDGER=URL, or --state-dir DIR "
            "(not --rpc-url or --state-file)"
        )
    state_dir = ledger_opts.state_dir
    if resume and not ledger_opts.rpc_urls and state_dir is None:
        raise ConfigError(
            "--cross-border --resume needs the ledgers the demo ran on: --state-dir DIR (local chains kept there) or "
            "--ledger-url shanghai=URL --ledger-url hong-kong=URL"
        )
    new_chains = not ledger_opts.rpc_urls and not kept_chains(state_dir)
    with open_ledgers(ledger_opts, genesis_timestamp=DEMO_START if new_chains else None) as ledgers:
        run_cross_border_demo(ledgers, resume=resume)
