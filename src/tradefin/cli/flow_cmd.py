"""``tradefin flow ...`` and ``tradefin resume``: run journaled flows, continue interrupted ones."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tradefin.cli.ledger_options import ledger_url_option, state_dir_option
from tradefin.cli.options import ChainOptions, chain_options, open_context, require_contract
from tradefin.errors import TradefinError

if TYPE_CHECKING:
    from tradefin.flows import Flow, Journal, StepResult

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_JOURNAL = Path(".tradefin") / "journal.sqlite"


def journal_option(command: F) -> F:
    return click.option(
        "--journal",
        "journal_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"SQLite journal (default: <project>/{DEFAULT_JOURNAL}).",
    )(command)


def _journal(path: Path | None) -> Journal:
    from tradefin.flows import Journal
    from tradefin.project import Project

    return Journal(path or Project.find().root / DEFAULT_JOURNAL)


def _print_step(result: StepResult) -> None:
    click.echo(
        f"  {result.party:<14} {result.label:<70} block {result.block:>5}  gas {result.gas_used:>9,}  {result.tx_hash}"
    )


ADDRESS_PARAMS = ("registry", "financing_ledger")
"""Flow parameters naming an existing contract: checked to be live before anything is sent."""


def _address(key: str, value: str) -> str:
    from eth_utils import is_address, to_checksum_address

    if not is_address(value):
        raise click.BadParameter(f"{key}={value}: not an address", param_hint="--param")
    return str(to_checksum_address(value))


def _planned(name: str, params: dict[str, Any]) -> Flow:
    """The flow with ``params``, its steps planned (a malformed parameter fails here, before the journal or the
    chain is touched); the error names the parameter."""
    from tradefin.flows import FLOWS

    if "contracts" in params:
        raise click.BadParameter("contracts cannot be given on the command line", param_hint="--param")
    try:
        flow = FLOWS[name](params)
        flow.plan()
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        culprit = next((f"{k}={v}: " for k, v in params.items() if not _plans(name, {k: v})), "")
        raise click.BadParameter(f"{culprit}{exc}", param_hint="--param") from None
    return flow


def _plans(name: str, params: dict[str, Any]) -> bool:
    from tradefin.flows import FLOWS

    try:
        FLOWS[name](params).plan()
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    return True


@click.group("flow")
def flow_group() -> None:
    """Journaled cross-party flows."""


@flow_group.command("list")
def list_flows() -> None:
    """The flows this version knows."""
    from tradefin.flows import FLOWS

    for name, flow in sorted(FLOWS.items()):
        click.echo(f"{name:<24} {flow.description}")


@flow_group.command("run")
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Flow parameter (repeatable).")
@journal_option
@chain_options
def run_flow(
    name: str,
    params: tuple[str, ...],
    journal_path: Path | None,
    chain_opts: ChainOptions,
) -> None:
    """Run flow NAME, journaling every step."""
    from tradefin.flows import FLOWS, FlowRunner

    if name not in FLOWS:
        raise TradefinError(f"unknown flow {name!r}; known: {', '.join(sorted(FLOWS))}")
    parsed: dict[str, Any] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        parsed[key] = value
    flow = _planned(name, parsed)
    journal = _journal(journal_path)
    with open_context(chain_opts) as ctx:
        for key in ADDRESS_PARAMS:
            if parsed.get(key):
                require_contract(ctx, _address(key, str(parsed[key])), key.replace("_", " "))
        runner = FlowRunner(ctx, journal, FLOWS, on_step=_print_step)
        outcome = runner.start(flow)
        click.echo(f"run {outcome.run_id} done: {len(outcome.results)} steps")


@click.command("resume")
@click.argument("run_id", type=int, required=False)
@click.option(
    "--cross-border",
    is_flag=True,
    help="Runs of the two-ledger flows (the cross-border demo's; journal default: <project>/.tradefin/cross-border/"
    "flows.sqlite): each ledger's node by --ledger-url, or its local chain from --state-dir.",
)
@ledger_url_option("--ledger-url")
@state_dir_option
@journal_option
@chain_options
def resume(
    run_id: int | None,
    journal_path: Path | None,
    chain_opts: ChainOptions,
    cross_border: bool,
    rpc_urls: tuple[str, ...],
    state_dir: Path | None,
) -> None:
    """Continue interrupted runs (RUN_ID, or every unfinished run) from the journal; nothing is sent twice."""
    from tradefin.errors import ConfigError
    from tradefin.flows import FLOWS, FlowRunner
    from tradefin.flows.crossborder import CROSS_BORDER_FLOWS

    if cross_border:
        _resume_cross_border(run_id, journal_path, chain_opts, rpc_urls, state_dir)
        return
    if _given("rpc_urls") or state_dir is not None:
        raise ConfigError("--ledger-url and --state-dir are for cross-border runs: add --cross-border")
    journal = _journal(journal_path)
    pending = [journal.run(run_id)] if run_id is not None else [run for run in journal.runs() if run.status != "done"]
    for run in pending:
        if run.flow in CROSS_BORDER_FLOWS:
            raise ConfigError(
                f"run {run.id} is a cross-border run ({run.flow}): resume it with tradefin resume --cross-border "
                "--ledger-url shanghai=URL --ledger-url hong-kong=URL"
            )
    if not pending:
        click.echo("nothing to resume")
        return
    with open_context(chain_opts) as ctx:
        runner = FlowRunner(ctx, journal, FLOWS, on_step=_print_step)
        for run in pending:
            click.echo(f"resuming run {run.id} ({run.flow})")
            outcome = runner.resume(run.id)
            click.echo(f"run {outcome.run_id} done: {len(outcome.results)} steps")


def _given(param: str) -> bool:
    """``param`` was given on the command line (not taken from the environment)."""
    from click.core import ParameterSource

    return click.get_current_context().get_parameter_source(param) is ParameterSource.COMMANDLINE


def _resume_cross_border(
    run_id: int | None,
    journal_path: Path | None,
    chain_opts: ChainOptions,
    rpc_urls: tuple[str, ...],
    state_dir: Path | None,
) -> None:
    from rich.console import Console

    from tradefin.chain.ledgers import parse_rpc_urls
    from tradefin.cli.ledger_options import LedgerOptions, open_ledgers
    from tradefin.crossborder.demo import timeline_line
    from tradefin.crossborder.resume import default_journal, pending_runs, resume_runs
    from tradefin.errors import ConfigError
    from tradefin.flows.journal import RunRecord
    from tradefin.flows.runner import FlowOutcome
    from tradefin.project import Project

    if _given("rpc_url") or _given("state_file"):
        raise ConfigError(
            "with --cross-border, give each ledger's node as --ledger-url LEDGER=URL, or --state-dir DIR "
            "(not --rpc-url or --state-file)"
        )
    if not parse_rpc_urls(rpc_urls) and state_dir is None:
        raise ConfigError(
            "--cross-border needs the ledgers the runs were on: --ledger-url shanghai=URL --ledger-url hong-kong=URL, "
            "or --state-dir DIR of their local chains"
        )
    path = journal_path or default_journal(Project.find())
    pending = pending_runs(path, run_id)
    if not pending:
        click.echo("nothing to resume")
        return
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)

    def show(step: StepResult) -> None:
        console.print(timeline_line(step), no_wrap=True, overflow="ellipsis")

    def starting(run: RunRecord) -> None:
        console.print(f"resuming run {run.id} ([bold cyan]{run.flow}[/])")

    def done(outcome: FlowOutcome) -> None:
        click.echo(f"run {outcome.run_id} done: {len(outcome.results)} steps")

    with open_ledgers(LedgerOptions(rpc_urls, state_dir)) as ledgers:
        resume_runs(ledgers, path, pending, on_step=show, on_run=starting, on_done=done)
