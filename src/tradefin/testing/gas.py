"""A committed gas snapshot (``gas-snapshot.json``) and the check that fails when an operation costs more.

Sections group operations (``ebl``, ``credit``, ...). Run with ``UPDATE_GAS_SNAPSHOT=1`` to record new figures
after an intended change; a figure that went down is reported so the snapshot can be tightened.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

SNAPSHOT_FILE = "gas-snapshot.json"


class GasRegression(AssertionError):
    """An operation costs more gas than the committed snapshot says."""


def check_gas(root: Path, section: str, measured: dict[str, int]) -> list[str]:
    """Compare ``measured`` with the snapshot; returns notes on improvements, raises on regressions or gaps."""
    path = root / SNAPSHOT_FILE
    if os.environ.get("UPDATE_GAS_SNAPSHOT"):
        _update(path, section, measured)
        return [f"{section}: snapshot updated ({len(measured)} operations)"]
    recorded = json.loads(path.read_text()).get(section, {}) if path.is_file() else {}
    missing = sorted(set(measured) - set(recorded))
    worse = {op: (recorded[op], gas) for op, gas in measured.items() if op in recorded and gas > recorded[op]}
    if missing or worse:
        lines = [f"{op}: {old:,} -> {new:,} (+{new - old:,})" for op, (old, new) in sorted(worse.items())]
        lines += [f"{op}: not in the snapshot" for op in missing]
        raise GasRegression(
            f"gas snapshot section {section!r} ({path.name}); run with UPDATE_GAS_SNAPSHOT=1 if intended:\n  "
            + "\n  ".join(lines)
        )
    return [f"{op}: {recorded[op]:,} -> {gas:,}" for op, gas in sorted(measured.items()) if gas < recorded[op]]


def _update(path: Path, section: str, measured: dict[str, int]) -> None:
    with path.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(path.read_text()) if path.is_file() else {}
        data[section] = dict(sorted(measured.items()))
        path.write_text(json.dumps(dict(sorted(data.items())), indent=2) + "\n")
