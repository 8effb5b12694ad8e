"""Every custom error of the credit, the calendar and the deposit token is raised by name somewhere in these tests."""

import re
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.mark.parametrize(
    ("contract", "prefix", "at_least"),
    [("DocumentaryCredit", "Credit", 45), ("BankingCalendar", "Calendar", 6), ("DepositToken", "Deposit", 4)],
)
def test_every_error_has_a_test(build, contract, prefix, at_least):
    declared = {e["name"] for e in build[contract].abi if e["type"] == "error"}
    ours = {name for name in declared if name.startswith(prefix)}
    text = "\n".join(p.read_text() for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)
    raised = set(re.findall(r"errors\.(\w+)", text)) | set(re.findall(rf'"({prefix}\w+)"', text))
    assert ours - raised == set(), f"untested errors: {sorted(ours - raised)}"
    assert len(ours) >= at_least
