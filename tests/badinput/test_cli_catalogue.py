"""Every ``tradefin`` command, given bad input: a non-zero exit, one readable ``error:`` line on stderr naming the
problem, never a traceback, and nothing sent (no block mined, every role's nonce unchanged).

The commands are enumerated from the click groups: a command without an entry in
:data:`tests.badinput.cli_catalogue.CATALOGUE` fails :func:`test_every_command_is_catalogued`.

Catalogue size when written: 273 bad inputs over all 83 commands (malformed documents, ids, amounts, dates and
addresses; wrong and unknown roles; zero and unknown addresses; unknown bills, credits, collections, loans, pledges;
amounts out of range; past deadlines; wrong chain: ``--chain-id`` against the node, a deployment book of another
chain, a journal run of another chain, two ledgers on one chain, contracts of another chain), plus 4 through a real
``tradefin`` process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import click
import pytest

from tradefin.cli.main import _register_optional, cli, main

from .cli_catalogue import CATALOGUE, Bad


def leaf_commands(group: click.Group, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for name, command in group.commands.items():
        path = f"{prefix} {name}".strip()
        if isinstance(command, click.Group):
            found |= leaf_commands(command, path)
        else:
            found.add(path)
    return found


def test_every_command_is_catalogued():
    _register_optional()
    commands = leaf_commands(cli)
    assert len(commands) > 60
    missing = sorted(c for c in commands if not CATALOGUE.get(c))
    assert not missing, f"commands without bad-input entries: {missing}"
    stale = sorted(set(CATALOGUE) - commands)
    assert not stale, f"catalogue entries for commands that do not exist: {stale}"


def test_entries_are_well_formed():
    for command, entries in CATALOGUE.items():
        assert len({e.id for e in entries}) == len(entries), command
        for entry in entries:
            assert " ".join(entry.argv).startswith(command), (command, entry.argv)


CASES = [pytest.param(e, id=f"{command}: {e.id}") for command, entries in CATALOGUE.items() for e in entries]


@pytest.mark.parametrize("entry", CASES)
def test_bad_input(entry: Bad, world, deployments, chain_state, capsys, session_chain):
    if entry.book == "fresh":
        shutil.rmtree(deployments)
    elif entry.book == "foreign":
        book = deployments / f"{session_chain.chain_id}.json"
        book.write_text(json.dumps(dict(json.loads(book.read_text()), chain_id=1)))
    argv = world.fill(entry.argv)
    if entry.ledgers:
        argv += world.ledger_urls
    elif not entry.offline and "--rpc-url" not in argv:
        argv += ["--rpc-url", world.values["rpc"]]
    before = chain_state()
    try:
        code = main(argv)
    except BaseException as exc:  # what a user would see as a traceback
        pytest.fail(f"{' '.join(argv)} raised {type(exc).__name__}: {exc}")
    out, err = capsys.readouterr()
    if os.environ.get("BADINPUT_SHOW"):  # BADINPUT_SHOW=1 pytest -s: read every error line the catalogue gets
        sys.__stderr__.write(f"\n[{entry.id}] {err}")
    assert code != 0, f"{argv} succeeded: {out}"
    assert err.startswith("error: ") and err.count("\n") == 1, f"not one error line: {err!r}"
    assert "Traceback" not in err + out
    assert entry.message in err, f"{err!r} does not name the problem ({entry.message!r})"
    assert chain_state() == before, "a transaction was sent"


# Through a real process: what reaches the terminal has no traceback, whatever the layer that refused. (A process
# reads the project's own deployment book, so these name their contracts by address.)
PROCESS_CASES = [
    ("bl", "issue", "{files}/malformed.json", "--to", "shipper"),
    ("bl", "transfer", "{unknown_bill}", "buyer", "--registry", "{registry}"),
    ("deploy", "TitleRegistry", "eBL", "EBL", "0x1234", "0", "false"),
    ("money", "balance", "buyer", "--token", "{token}", "--chain-id", "1"),
]


@pytest.mark.parametrize("argv", PROCESS_CASES, ids=lambda argv: " ".join(argv[:2]))
def test_bad_input_in_a_process(argv, world, deployments, project):
    tradefin = os.path.join(os.path.dirname(sys.executable), "tradefin")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEFIN_")}
    env["TRADEFIN_RPC_URL"] = world.values["rpc"]
    result = subprocess.run(
        [tradefin, *world.fill(argv)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project.root,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
