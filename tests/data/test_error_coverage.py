"""Every custom error the data contracts declare is raised by name somewhere in these tests."""

import re
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.mark.parametrize(
    ("contract", "prefix", "at_least"), [("ConsentRegistry", "Consent", 9), ("DocumentAnchors", "Anchor", 6)]
)
def test_every_data_error_has_a_test(build, contract, prefix, at_least):
    declared = {e["name"] for e in build[contract].abi if e["type"] == "error"}
    ours = {name for name in declared if name.startswith(prefix)}
    text = "\n".join(p.read_text() for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)
    raised = set(re.findall(r"errors\.(\w+)", text)) | set(re.findall(rf"error: ({prefix}\w+)\(", text))
    assert ours - raised == set(), f"untested errors: {sorted(ours - raised)}"
    assert len(ours) >= at_least
