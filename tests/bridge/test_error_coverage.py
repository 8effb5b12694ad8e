"""Every custom error the bridge declares is raised by name, with its arguments checked, in these tests."""

import re
from pathlib import Path

HERE = Path(__file__).parent


def test_every_bridge_error_has_a_test(build):
    declared = {e["name"] for e in build["TitleBridge"].abi if e["type"] == "error"}
    ours = {name for name in declared if name.startswith("Bridge")}
    text = "\n".join(p.read_text() for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)
    raised = set(re.findall(r"errors\.(\w+)", text))
    assert ours - raised == set(), f"untested errors: {sorted(ours - raised)}"
    assert len(ours) == 18


def test_every_htlc_error_has_a_test(build):
    declared = {e["name"] for e in build["HashTimeLock"].abi if e["type"] == "error"}
    ours = {name for name in declared if name.startswith("Htlc")}
    raised = set(re.findall(r"errors\.(\w+)", (HERE / "test_htlc.py").read_text()))
    assert ours - raised == set(), f"untested errors: {sorted(ours - raised)}"
    assert len(ours) == 16
