"""Contract line and branch coverage: which source lines and which ``JUMPI`` outcomes the tests executed.

``pytest --contract-lines`` (with or without ``--contract-coverage``) starts the session's Anvil with
``--steps-tracing`` and, each time :mod:`tradefin.testing.coverage` reads the call frames of the blocks mined since
its last look (before every ``evm_revert`` and when a chain closes), fetches every one of those transactions'
``debug_traceTransaction`` (struct logger without stack, memory and storage: pc, op and depth). Each executed
program counter is attributed to the code running in its call frame (each rise in depth enters the next
``trace_filter`` frame that runs code, depth-first; the code is known by the metadata hash at its end, as for
function coverage) and, after the session,
mapped through that contract's deployed bytecode (instruction offsets) and deployed source map (``s:l:f:j:m``)
to a file and line.

Counted: a *line* is one that carries code, i.e. starts a source-map range of the contract's deployed code in a
file of ``contracts/`` (not ``contracts/test/``, not ``node_modules``, not compiler-generated Yul); it is hit when
one of its instructions ran. A *branch* is one outcome (jump taken, or fall-through) of the ``JUMPI``
instructions of one source range; each range with a ``JUMPI`` has two. Only mined transactions count:
``eth_call``/``eth_estimateGas`` traffic (views read by tests, estimations that revert) is not traced, and nor
are chains other than the session's (CLI subprocesses, tests that start their own node). Constructors are not
counted (their code is the creation bytecode, not the deployed one).
"""

from __future__ import annotations

import bisect
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tradefin.chain.connection import Chain
from tradefin.compiler.artifacts import Artifact

log = logging.getLogger("tradefin.testing")

TRACE_OPTIONS = {"disableMemory": True, "disableStorage": True, "disableStack": True, "enableReturnData": False}
ANVIL_ARGS = ("--steps-tracing",)
_JUMPI = 0x57

Location = tuple[str, int, int]
"""(source path, start byte, length) of a source-map range."""


def instruction_offsets(code: str) -> list[int]:
    """The byte offset of every instruction of ``code`` (hex), skipping ``PUSH`` immediates."""
    data = _code_bytes(code)
    offsets, pc = [], 0
    while pc < len(data):
        offsets.append(pc)
        op = data[pc]
        pc += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)
    return offsets


def _code_bytes(code: str) -> bytes:
    text = code.lower().removeprefix("0x")
    # unlinked library placeholders (__$...$__) are 20 bytes of address: any hex digit keeps the offsets
    return bytes.fromhex("".join(c if c in "0123456789abcdef" else "0" for c in text))


def decompress(source_map: str) -> list[tuple[int, int, int, str]]:
    """solc's compressed source map as one ``(start, length, file index, jump)`` per instruction."""
    entries: list[tuple[int, int, int, str]] = []
    start, length, index, jump = -1, -1, -1, "-"
    if not source_map:
        return entries
    for item in source_map.split(";"):
        fields = item.split(":")
        if len(fields) > 0 and fields[0]:
            start = int(fields[0])
        if len(fields) > 1 and fields[1]:
            length = int(fields[1])
        if len(fields) > 2 and fields[2]:
            index = int(fields[2])
        if len(fields) > 3 and fields[3]:
            jump = fields[3]
        entries.append((start, length, index, jump))
    return entries


def ours(path: str) -> bool:
    """The files whose lines are counted in the report: ``contracts/``, not ``contracts/test/``."""
    return path.startswith("contracts/") and not path.startswith("contracts/test/")


@dataclass(frozen=True)
class CodeMap:
    """One contract's deployed code as source: pc -> line, and the ``JUMPI`` pcs by source range."""

    lines: dict[int, tuple[str, int]]
    """pc -> (source path, 1-based line) for instructions of counted files."""
    jumpis: dict[int, Location]
    """pc of each ``JUMPI`` of counted files -> its source range."""
    locations: dict[Location, int] = field(default_factory=dict)
    """source range -> its 1-based line (for every range with a ``JUMPI``)."""

    @property
    def code_lines(self) -> set[tuple[str, int]]:
        return set(self.lines.values())

    @classmethod
    def of(cls, artifact: Artifact, root: Path, counted: Callable[[str], bool] = ours) -> CodeMap:
        paths = {index: path for path, index in artifact.source_ids.items() if counted(path)}
        starts: dict[str, list[int]] = {}
        for path in paths.values():
            try:
                text = (root / path).read_bytes()
            except OSError:
                continue
            starts[path] = [0] + [i + 1 for i, b in enumerate(text) if b == 0x0A]
        code = _code_bytes(artifact.deployed_bytecode)
        lines: dict[int, tuple[str, int]] = {}
        jumpis: dict[int, Location] = {}
        locations: dict[Location, int] = {}
        for pc, (start, _length, index, _jump) in zip(
            instruction_offsets(artifact.deployed_bytecode), decompress(artifact.deployed_source_map), strict=False
        ):
            path = paths.get(index, "")
            if path not in starts or start < 0:
                continue
            line = bisect.bisect_right(starts[path], start)
            lines[pc] = (path, line)
            if code[pc] == _JUMPI:
                location = (path, start, _length)
                jumpis[pc] = location
                locations[location] = line
        return cls(lines, jumpis, locations)


class LineRecorder:
    """Executed pcs and ``JUMPI`` outcomes per code key (the metadata hash of the running code)."""

    def __init__(self) -> None:
        self.pcs: dict[str, set[int]] = defaultdict(set)
        self.jumps: dict[str, dict[int, set[bool]]] = defaultdict(lambda: defaultdict(set))
        """code key -> JUMPI pc -> outcomes seen (True: jumped, False: fell through)."""
        self.transactions = 0
        self.steps = 0
        self.seconds = 0.0
        """Time spent fetching and walking step traces."""

    def record_frames(self, chain: Chain, frames: Sequence[Mapping[str, Any]], key_of: Callable[[str], str]) -> None:
        """Trace every transaction of ``frames`` (``trace_filter`` output): its call frames say what code runs in
        each frame the struct logs enter."""
        by_tx: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for frame in frames:
            if frame.get("transactionHash"):
                by_tx[str(frame["transactionHash"])].append(frame)
        for tx, tx_frames in by_tx.items():
            tx_frames.sort(key=lambda frame: list(frame.get("traceAddress") or []))  # depth-first, as executed
            keys = [_frame_key(frame, key_of) for frame in tx_frames]
            if not keys or keys[0] is None:
                continue
            started = time.perf_counter()
            reply = chain.rpc_raw("debug_traceTransaction", [tx, TRACE_OPTIONS])
            logs = (reply.get("result") or {}).get("structLogs") or []
            self.transactions += 1
            self.steps += len(logs)
            self.record_steps(logs, [key for key in keys if key is not None])
            self.seconds += time.perf_counter() - started

    def record_steps(self, logs: Sequence[Mapping[str, Any]], frames: Sequence[str]) -> None:
        """One transaction's struct logs; ``frames`` the code key of each frame that runs code, depth-first ("" for
        a creation's init code)."""
        entered = iter(frames)
        keys: list[str] = []
        pcs, jumps = self.pcs, self.jumps
        previous_depth = 0
        count = len(logs)
        for i, step in enumerate(logs):
            depth = step["depth"]
            if depth != previous_depth:
                if depth > previous_depth:
                    keys.append(next(entered, ""))
                else:
                    del keys[depth:]
                previous_depth = depth
            key = keys[-1]
            if key:
                pc = step["pc"]
                pcs[key].add(pc)
                if step["op"] == "JUMPI" and i + 1 < count and logs[i + 1]["depth"] == depth:
                    jumps[key][pc].add(logs[i + 1]["pc"] != pc + 1)


def _frame_key(frame: Mapping[str, Any], key_of: Callable[[str], str]) -> str | None:
    """The code key of what a ``trace_filter`` frame runs: "" for init code, None when it runs no code (an
    account without code, a precompile)."""
    if frame.get("type") != "call":
        return "" if frame.get("type") == "create" else None
    action = frame.get("action") or {}
    return key_of(str(action["to"])) or None if action.get("to") else None


@dataclass(frozen=True)
class LineReport:
    name: str
    source: str
    lines: dict[tuple[str, int], bool]
    """(path, line) -> hit"""
    branches: dict[Location, tuple[bool, bool]]
    """source range -> (jump taken seen, fall-through seen)"""
    locations: dict[Location, int]

    @property
    def lines_hit(self) -> int:
        return sum(self.lines.values())

    @property
    def branches_total(self) -> int:
        return 2 * len(self.branches)

    @property
    def branches_hit(self) -> int:
        return sum(int(a) + int(b) for a, b in self.branches.values())


def line_report(
    artifacts: Iterable[Artifact], recorder: LineRecorder, root: Path, *, code_key: Callable[[str], str]
) -> list[LineReport]:
    """Per deployable contract of ``contracts/`` (not ``contracts/test/``), its lines and branches hit."""
    rows, seen = [], set()
    for artifact in artifacts:
        if not ours(artifact.source) or (artifact.name, artifact.source) in seen:
            continue
        seen.add((artifact.name, artifact.source))
        if not artifact.is_deployable or not artifact.method_identifiers:  # as function coverage: no libraries
            continue
        rows.append(report_one(artifact, recorder, root, code_key(artifact.deployed_bytecode)))
    return sorted(rows, key=lambda r: r.source + ":" + r.name)


def report_one(
    artifact: Artifact, recorder: LineRecorder, root: Path, key: str, counted: Callable[[str], bool] = ours
) -> LineReport:
    """One contract's lines and branches, from what ``recorder`` saw of code key ``key``."""
    code = CodeMap.of(artifact, root, counted)
    pcs = recorder.pcs.get(key, set())
    lines = dict.fromkeys(code.code_lines, False)
    for pc in pcs:
        where = code.lines.get(pc)
        if where is not None:
            lines[where] = True
    outcomes: dict[Location, set[bool]] = {location: set() for location in code.locations}
    for pc, seen in recorder.jumps.get(key, {}).items():
        location = code.jumpis.get(pc)
        if location is not None:
            outcomes[location] |= seen
    branches = {location: (True in seen, False in seen) for location, seen in outcomes.items()}
    return LineReport(artifact.name, artifact.source, lines, branches, code.locations)


def _percent(hit: int, total: int) -> str:
    return f"{100.0 * hit / total:5.1f}%" if total else "    -"


def format_lines_table(rows: Sequence[LineReport]) -> list[str]:
    width = max((len(r.name) for r in rows), default=8)
    out = [f"{'contract':<{width}}  {'lines':>9}  {'%':>6}  {'branches':>9}  {'%':>6}"]
    lh = lt = bh = bt = 0
    for r in rows:
        lh, lt, bh, bt = lh + r.lines_hit, lt + len(r.lines), bh + r.branches_hit, bt + r.branches_total
        lines = f"{r.lines_hit:>4}/{len(r.lines):<4}  {_percent(r.lines_hit, len(r.lines))}"
        branches = f"{r.branches_hit:>4}/{r.branches_total:<4}  {_percent(r.branches_hit, r.branches_total)}"
        out.append(f"{r.name:<{width}}  {lines}  {branches}")
    out.append(f"{'TOTAL':<{width}}  {lh:>4}/{lt:<4}  {_percent(lh, lt)}  {bh:>4}/{bt:<4}  {_percent(bh, bt)}")
    return out


def totals(rows: Sequence[LineReport]) -> tuple[float, float]:
    """Line and branch coverage of all ``rows`` together, in percent (100 where there is nothing to cover)."""
    lines, lines_total = sum(r.lines_hit for r in rows), sum(len(r.lines) for r in rows)
    branches, branches_total = sum(r.branches_hit for r in rows), sum(r.branches_total for r in rows)
    return (
        100.0 * lines / lines_total if lines_total else 100.0,
        100.0 * branches / branches_total if branches_total else 100.0,
    )


def parse_floor(text: str) -> tuple[float, float]:
    """``LINES,BRANCHES`` percentages, e.g. ``85,50``."""
    try:
        lines, branches = (float(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"expected LINES,BRANCHES percentages such as 85,50, got {text!r}") from None
    return lines, branches


def below_floor(rows: Sequence[LineReport], floor: tuple[float, float]) -> str | None:
    """What falls below ``floor`` (line and branch percentages), or None."""
    (lines, branches), (least_lines, least_branches) = totals(rows), floor
    short = [
        f"{what} {got:.1f}% < {least:g}%"
        for what, got, least in (("lines", lines, least_lines), ("branches", branches, least_branches))
        if got < least
    ]
    return ", ".join(short) or None


def lines_json(rows: Sequence[LineReport]) -> dict[str, Any]:
    """Per contract: counts, and the lines and branch ranges never hit (``path:line``)."""
    return {
        f"{r.source}:{r.name}": {
            "lines_hit": r.lines_hit,
            "lines_total": len(r.lines),
            "branches_hit": r.branches_hit,
            "branches_total": r.branches_total,
            "lines_missed": [f"{p}:{n}" for (p, n), hit in sorted(r.lines.items()) if not hit],
            "branches_missed": sorted(
                f"{loc[0]}:{r.locations[loc]}@{loc[1]} never " + " nor ".join(_missing(seen))
                for loc, seen in r.branches.items()
                if not all(seen)
            ),
        }
        for r in rows
    }


def _missing(seen: tuple[bool, bool]) -> list[str]:
    return [name for name, hit in zip(("jumped", "fell through"), seen, strict=True) if not hit]


def write_lcov(path: Path, rows: Sequence[LineReport]) -> None:
    """The union over contracts, per source file, as lcov (``DA`` lines, ``BRDA`` per ``JUMPI`` source range)."""
    lines: dict[str, dict[int, bool]] = defaultdict(dict)
    branches: dict[str, dict[Location, tuple[bool, bool]]] = defaultdict(dict)
    line_of: dict[Location, int] = {}
    for r in rows:
        for (file, number), hit in r.lines.items():
            lines[file][number] = lines[file].get(number, False) or hit
        for location, (a, b) in r.branches.items():
            before = branches[location[0]].get(location, (False, False))
            branches[location[0]][location] = (before[0] or a, before[1] or b)
            line_of[location] = r.locations[location]
    out: list[str] = []
    for file in sorted(lines):
        out += ["TN:", f"SF:{file}"]
        blocks: dict[int, int] = defaultdict(int)
        found = hit_branches = 0
        for location in sorted(branches[file], key=lambda loc: (line_of[loc], loc[1], loc[2])):
            number = line_of[location]
            block = blocks[number]
            blocks[number] += 1
            executed = lines[file].get(number, False)
            for branch, taken in enumerate(branches[file][location]):
                out.append(f"BRDA:{number},{block},{branch},{(1 if taken else 0) if executed else '-'}")
                found, hit_branches = found + 1, hit_branches + int(taken)
        out += [f"BRF:{found}", f"BRH:{hit_branches}"]
        out += [f"DA:{n},{int(h)}" for n, h in sorted(lines[file].items())]
        out += [f"LF:{len(lines[file])}", f"LH:{sum(lines[file].values())}", "end_of_record"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n")


def extend_json(path: Path, rows: Sequence[LineReport]) -> None:
    """Add ``lines_and_branches`` to the function coverage already written to ``path``."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data["lines_and_branches"] = lines_json(rows)
    path.write_text(json.dumps(data, indent=1) + "\n")
