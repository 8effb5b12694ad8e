"""The compiler: launcher install, one standard-json call, content-hash cache, readable errors."""

import json
import shutil
from pathlib import Path

import pytest

from tradefin.compiler import compile_project, ensure_compiler
from tradefin.compiler.launcher import is_launcher
from tradefin.errors import CompileFailed, ConfigError
from tradefin.project import Project

GOOD = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
contract Box is Ownable {
    error BoxEmpty(uint256 slot);
    uint256 private _value;
    constructor() Ownable(msg.sender) {}
    function put(uint256 v) external onlyOwner { _value = v; }
}
"""


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Project:
    """A throwaway project sharing this repository's node_modules, with its own solcx folder."""
    here = Project.find(Path(__file__))
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "Box.sol").write_text(GOOD)
    shutil.copy(here.root / "package.json", tmp_path / "package.json")
    (tmp_path / "node_modules").symlink_to(here.node_modules)
    monkeypatch.setenv("SOLCX_BINARY_PATH", str(tmp_path / "solcx"))
    return Project(tmp_path)


def test_launcher_is_installed_where_py_solc_x_looks(mini):
    path = ensure_compiler(mini)
    assert path == mini.root / "solcx" / "solc-v0.8.28"
    assert is_launcher(path)
    from solcx.wrapper import get_solc_version

    assert str(get_solc_version(path, with_commit_hash=True)).startswith("0.8.28+commit.7893614a")


def test_native_solc_is_preferred_when_installed(mini, tmp_path):
    native = tmp_path / "solcx" / "solc-v0.8.28"
    native.parent.mkdir()
    native.write_text("#!/bin/sh\necho native\n")
    native.chmod(0o755)
    assert ensure_compiler(mini) == native
    assert native.read_text() == "#!/bin/sh\necho native\n"


def test_compile_writes_artifacts_then_hits_the_cache(mini):
    first = compile_project(mini)
    assert first.compiled
    box = first["Box"]
    assert box.is_deployable and box.bytecode.startswith("0x60")
    assert "put(uint256)" in box.method_identifiers
    assert box.storage_layout["storage"][-1]["label"] == "_value"
    assert box.compiler_version.startswith("0.8.28")
    assert box.settings["evmVersion"] == "cancun"
    assert json.loads(box.metadata)["settings"]["optimizer"]["enabled"] is True
    assert (mini.build_dir / "contracts" / "Box.json").is_file()
    assert {e["name"] for e in first.all_errors()} >= {"BoxEmpty", "OwnableUnauthorizedAccount"}

    second = compile_project(mini)
    assert not second.compiled
    assert second["Box"] == box


def test_any_source_change_invalidates_the_cache(mini):
    compile_project(mini)
    (mini.contracts_dir / "Box.sol").write_text(
        GOOD.replace("uint256 v", "uint256 value_").replace("= v;", "= value_;")
    )
    assert compile_project(mini).compiled


def test_compile_error_is_file_line_col(mini):
    (mini.contracts_dir / "Broken.sol").write_text("pragma solidity ^0.8.28;\ncontract B {\n  uint x = ;\n}\n")
    with pytest.raises(CompileFailed) as caught:
        compile_project(mini)
    assert caught.value.diagnostics[0].startswith("contracts/Broken.sol:3:")
    assert "ParserError" in caught.value.diagnostics[0]


def test_unknown_artifact_names_what_exists(mini):
    build = compile_project(mini)
    with pytest.raises(Exception, match=r"no contract named 'Nope'.*Box"):
        build["Nope"]


def test_missing_npm_packages_say_run_npm_ci(tmp_path, monkeypatch):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "A.sol").write_text("pragma solidity ^0.8.28; contract A {}")
    (tmp_path / "package.json").write_text("{}")
    monkeypatch.setenv("SOLCX_BINARY_PATH", str(tmp_path / "solcx"))
    with pytest.raises(ConfigError, match="npm ci"):
        compile_project(Project(tmp_path))
