"""``tradefin deploy NAME [ARGS...]``: deploy by contract name and record it per chain id."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console

from tradefin.cli.options import ChainOptions, chain_options, open_context
from tradefin.errors import ConfigError


def parse_arg(text: str) -> Any:
    """Constructor arguments: JSON where it parses (numbers, true, lists), else the text itself (addresses)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


@click.command("deploy")
@click.argument("contract")
@click.argument("args", nargs=-1)
@click.option("--as", "role", default="deployer", show_default=True, help="Role whose key deploys.")
@click.option("--name", default=None, help="Record under this name (default: the contract name).")
@click.option("--fresh", is_flag=True, help="Deploy again even if an identical deployment is live.")
@chain_options
def deploy_command(
    contract: str,
    args: tuple[str, ...],
    role: str,
    name: str | None,
    fresh: bool,
    chain_opts: ChainOptions,
) -> None:
    """Deploy CONTRACT with constructor ARGS (JSON values or plain text)."""
    with open_context(chain_opts) as ctx:
        artifact = ctx.build[contract]
        if not artifact.is_deployable:
            raise ConfigError(f"{contract} is an interface or abstract contract and cannot be deployed")
        account = ctx.accounts[role]
        handle = ctx.deployments.deploy(account, contract, *[parse_arg(a) for a in args], name=name, reuse=not fresh)
        record = ctx.deployments.record(name or contract)
        assert record is not None
        Console(highlight=False).print(
            f"{name or contract} at {handle.address} on chain {ctx.chain.chain_id} "
            f"(tx {record.tx_hash}, block {record.block}, gas {record.gas_used})"
        )
