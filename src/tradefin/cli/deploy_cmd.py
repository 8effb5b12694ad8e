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


def check_args(contract: str, abi: list[dict[str, Any]], values: list[Any]) -> None:
    """One clear error naming the first constructor argument that does not fit its type (before any key is used)."""
    from eth_abi.exceptions import EncodingError

    from tradefin.transactions.abi import encode_constructor

    constructor = next((item for item in abi if item.get("type") == "constructor"), None)
    inputs = list(constructor.get("inputs", [])) if constructor else []
    if len(values) != len(inputs):
        encode_constructor(constructor, values)  # says how many it takes
    for n, (spec, value) in enumerate(zip(inputs, values, strict=True), 1):
        try:
            encode_constructor({"type": "constructor", "inputs": [spec]}, [value])
        except (EncodingError, ValueError, TypeError, AttributeError, KeyError):
            raise ConfigError(
                f"{contract} constructor argument {n} ({spec.get('name') or '?'}: {spec['type']}) cannot be {value!r}"
            ) from None


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
        values = [parse_arg(a) for a in args]
        check_args(contract, artifact.abi, values)
        account = ctx.accounts[role]
        handle = ctx.deployments.deploy(account, contract, *values, name=name, reuse=not fresh)
        record = ctx.deployments.record(name or contract)
        assert record is not None
        Console(highlight=False).print(
            f"{name or contract} at {handle.address} on chain {ctx.chain.chain_id} "
            f"(tx {record.tx_hash}, block {record.block}, gas {record.gas_used})"
        )
