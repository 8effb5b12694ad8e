"""Every custom error the title registry declares is raised by name somewhere in these tests."""

import re
from pathlib import Path

HERE = Path(__file__).parent


def test_every_registry_error_has_a_test(build):
    declared = {e["name"] for e in build["TitleRegistry"].abi if e["type"] == "error"}
    ours = {name for name in declared if name.startswith("Title")}
    text = "\n".join(p.read_text() for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)
    raised = set(re.findall(r"errors\.(\w+)", text)) | set(re.findall(r'"(Title\w+)"', text))
    assert ours - raised == set(), f"untested errors: {sorted(ours - raised)}"
    assert len(ours) >= 30
