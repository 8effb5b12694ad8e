"""``tradefin demo``: the main job. Until the settlement flows land it deploys the contracts and runs a smoke
round on an auto-started local chain, printing a timeline."""

from __future__ import annotations

import click

from tradefin.cli.options import ChainOptions, chain_options, open_context


@click.command("demo")
@chain_options
def demo_command(chain_opts: ChainOptions) -> None:
    """Run the settlement demo on a local chain (or --rpc-url)."""
    from tradefin.demo import DEMO_START, run_demo

    fresh = chain_opts.rpc_url is None and chain_opts.state_file is None
    with open_context(chain_opts, genesis_timestamp=DEMO_START if fresh else None) as ctx:
        run_demo(ctx)
