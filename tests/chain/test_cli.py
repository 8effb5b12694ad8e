"""The CLI: commands work, and every error is one readable line with a non-zero exit."""

import shutil
from pathlib import Path

import pytest

from tradefin.chain.node import free_port
from tradefin.cli.main import main
from tradefin.project import Project


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_the_commands(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("compile", "deploy", "demo"):
        assert command in out


def test_compile_reports_up_to_date(capsys, project, monkeypatch):
    monkeypatch.chdir(project.root)
    run(capsys, "compile")
    code, out, _ = run(capsys, "compile")
    assert code == 0 and "up to date" in out


def test_compile_error_prints_file_line_col_and_exits_1(capsys, tmp_path, monkeypatch):
    here = Project.find(Path(__file__))
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "Bad.sol").write_text("pragma solidity ^0.8.28;\ncontract Bad { function f() {} }\n")
    shutil.copy(here.root / "package.json", tmp_path)
    (tmp_path / "node_modules").symlink_to(here.node_modules)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "compile")
    assert code == 1
    assert err.splitlines()[0].startswith("contracts/Bad.sol:2:")
    assert "Traceback" not in err


def test_deploy_on_the_local_chain(capsys, project, monkeypatch, tmp_path):
    monkeypatch.chdir(project.root)
    monkeypatch.setattr(Project, "deployments_dir", property(lambda self: tmp_path))
    code, out, err = run(capsys, "deploy", "RevertProbe")
    assert code == 0, err
    assert "RevertProbe at 0x" in out and "on chain 31337" in out


def test_unreachable_rpc_url_is_one_line(capsys, project, monkeypatch):
    monkeypatch.chdir(project.root)
    url = f"http://127.0.0.1:{free_port()}"
    code, _, err = run(capsys, "deploy", "RevertProbe", "--rpc-url", url)
    assert code == 1
    assert err.count("\n") == 1 and url in err and err.startswith("error:")


def test_unknown_contract_is_one_line(capsys, project, monkeypatch, session_chain):
    monkeypatch.chdir(project.root)
    code, _, err = run(capsys, "deploy", "Nope", "--rpc-url", session_chain.rpc_url)
    assert code == 1 and "no contract named 'Nope'" in err and "Traceback" not in err


def test_unknown_role_is_one_line(capsys, project, monkeypatch, session_chain):
    monkeypatch.chdir(project.root)
    code, _, err = run(capsys, "deploy", "RevertProbe", "--as", "pirate", "--rpc-url", session_chain.rpc_url)
    assert code == 1 and "unknown role 'pirate'" in err


@pytest.mark.parametrize("argv", [["deploy"], ["nosuchcommand"], ["compile", "--bogus"]])
def test_usage_errors_are_one_line(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("error:") and "Traceback" not in err
