"""Contract function coverage: which external functions of which contracts the tests reached.

``pytest --contract-coverage=report`` prints, per deployable contract of ``contracts/`` (``contracts/test/`` is
left out), how many of its external functions the session reached, and names the ones it did not;
``--contract-coverage=fail`` also fails the session when any was never reached (``make test`` does this on a full
run). A function counts as reached when it ran, whether it returned or reverted.

Nothing in the transaction layer knows about this. While enabled, :class:`~tradefin.chain.connection.Chain`'s RPC
methods are wrapped to see every ``eth_call`` and ``eth_estimateGas`` (a call that reverts in estimation never
reaches a block) and, before each ``evm_revert`` and when a chain closes, the call frames of every block mined
since the last look (``trace_filter``: top-level and internal calls, such as a registry calling a locker's hook).
An address is attributed to a contract by the metadata hash at the end of its runtime code, read before the chain
goes back (so an address reused after a revert is attributed anew). Chains in other processes (CLI tests) and
nodes without ``trace_filter`` (Hardhat) only contribute their ``eth_call`` traffic, or nothing.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tradefin.chain.connection import Chain
from tradefin.compiler.artifacts import Artifact
from tradefin.compiler.build import compile_project
from tradefin.project import Project
from tradefin.testing import contract_lines

log = logging.getLogger("tradefin.testing")

OK, REVERTED = "ok", "reverted"
_CALLS = frozenset({"eth_call", "eth_estimateGas"})
_GOING_BACK = frozenset({"evm_revert", "anvil_reset", "hardhat_reset"})


def code_key(code: str) -> str:
    """The CBOR metadata at the end of runtime ``code`` (hex), which names one contract of one source."""
    text = code.lower().removeprefix("0x")
    if len(text) < 4:
        return ""
    length = int(text[-4:], 16) * 2 + 4
    return text[-length:] if length <= len(text) else text


@dataclass
class _ChainState:
    traced_to: int = -1
    """The last block whose call frames were read."""
    codes: dict[str, str] = field(default_factory=dict)
    """address -> code key, valid until the chain goes back."""
    traceable: bool = True


class Recorder:
    """Selectors reached, per contract code key, with their outcomes."""

    def __init__(self) -> None:
        self.hits: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._chains: dict[int, tuple[Chain, _ChainState]] = {}
        self.lines: contract_lines.LineRecorder | None = None
        """Set by ``--contract-lines``: also trace every mined transaction, step by step."""

    def _state(self, chain: Chain) -> _ChainState:
        entry = self._chains.get(id(chain))
        if entry is None or entry[0] is not chain:
            entry = self._chains[id(chain)] = (chain, _ChainState())
        return entry[1]

    def _key(self, chain: Chain, state: _ChainState, address: str) -> str:
        address = address.lower()
        key = state.codes.get(address)
        if key is None:
            reply = Chain.rpc_raw(chain, "eth_getCode", [address, "latest"])
            key = code_key(str(reply.get("result") or ""))
            if key:
                state.codes[address] = key
        return key

    def _hit(self, key: str, data: str, outcome: str) -> None:
        data = data.lower().removeprefix("0x")
        if key and len(data) >= 8:
            self.hits[key]["0x" + data[:8]].add(outcome)

    def call(self, chain: Chain, request: Any, reply: Mapping[str, Any]) -> None:
        """An ``eth_call`` or ``eth_estimateGas`` and its reply."""
        if not isinstance(request, Mapping) or not request.get("to"):
            return
        data = str(request.get("data") or request.get("input") or "")
        state = self._state(chain)
        self._hit(self._key(chain, state, str(request["to"])), data, REVERTED if "error" in reply else OK)

    def trace(self, chain: Chain) -> None:
        """Record the call frames of the blocks mined since the last look."""
        state = self._state(chain)
        if not state.traceable:
            return
        head = int(Chain.rpc_raw(chain, "eth_blockNumber")["result"], 16)
        if head <= state.traced_to:
            return
        query = {"fromBlock": hex(state.traced_to + 1), "toBlock": hex(head)}
        reply = Chain.rpc_raw(chain, "trace_filter", [query])
        if "error" in reply:
            log.info("contract coverage: %s has no trace_filter (%s)", chain, reply["error"].get("message"))
            state.traceable = False
            return
        frames: list[dict[str, Any]] = reply.get("result") or []
        for frame in frames:  # creations first: a contract may be called in the block that creates it
            result = frame.get("result") or {}
            if frame.get("type") == "create" and result.get("address") and result.get("code"):
                state.codes[result["address"].lower()] = code_key(result["code"])
        for frame in frames:
            action = frame.get("action") or {}
            if frame.get("type") == "call" and action.get("to"):
                outcome = REVERTED if frame.get("error") else OK
                self._hit(self._key(chain, state, action["to"]), str(action.get("input") or ""), outcome)
        if self.lines is not None:
            self.lines.record_frames(chain, frames, lambda address: self._key(chain, state, address))
        state.traced_to = head

    def went_back(self, chain: Chain) -> None:
        state = self._state(chain)
        state.codes.clear()
        reply = Chain.rpc_raw(chain, "eth_blockNumber")
        if "result" in reply:
            state.traced_to = min(state.traced_to, int(reply["result"], 16))


@dataclass(frozen=True)
class ContractReport:
    name: str
    source: str
    functions: dict[str, str]
    """selector -> signature"""
    outcomes: dict[str, set[str]]
    """selector -> outcomes seen"""

    @property
    def unreached(self) -> list[str]:
        return sorted(sig for sel, sig in self.functions.items() if sel not in self.outcomes)

    @property
    def unreached_names(self) -> list[str]:
        """The unreached functions by name; by signature where the name is overloaded."""
        names = [sig.partition("(")[0] for sig in self.functions.values()]
        return [sig if names.count(sig.partition("(")[0]) > 1 else sig.partition("(")[0] for sig in self.unreached]

    @property
    def only_reverted(self) -> list[str]:
        return sorted(sig for sel, sig in self.functions.items() if self.outcomes.get(sel) == {REVERTED})


def report(
    artifacts: Iterable[Artifact],
    hits: Mapping[str, Mapping[str, set[str]]],
    earlier_keys: Mapping[tuple[str, str], str] | None = None,
) -> list[ContractReport]:
    """Per deployable contract of ``contracts/`` (not ``contracts/test/``), its functions and what reached them.

    ``earlier_keys`` (``(source, name) -> code key`` of the build the session started with) also counts code
    deployed before a source was edited mid-session."""
    rows, seen = [], set()
    for artifact in artifacts:
        source = artifact.source
        ours = source.startswith("contracts/") and not source.startswith("contracts/test/")
        if not ours or (artifact.name, source) in seen:
            continue
        seen.add((artifact.name, source))
        if not artifact.is_deployable or not artifact.method_identifiers:
            continue
        functions = {"0x" + sel: sig for sig, sel in artifact.method_identifiers.items()}
        keys = {code_key(artifact.deployed_bytecode), (earlier_keys or {}).get((source, artifact.name), "")}
        outcomes: dict[str, set[str]] = {}
        for key in keys - {""}:
            for sel, seen_outcomes in hits.get(key, {}).items():
                if sel in functions:
                    outcomes.setdefault(sel, set()).update(seen_outcomes)
        rows.append(ContractReport(artifact.name, source, functions, outcomes))
    return sorted(rows, key=lambda r: r.source + ":" + r.name)


def format_table(rows: Sequence[ContractReport]) -> list[str]:
    width = max((len(r.name) for r in rows), default=8)
    lines = [f"{'contract':<{width}}  reached  of  only reverted  not reached"]
    total = reached = 0
    for row in rows:
        total += len(row.functions)
        reached += len(row.outcomes)
        counts = f"{len(row.outcomes):>7}  {len(row.functions):>3}  {len(row.only_reverted):>13}"
        lines.append(f"{row.name:<{width}}  {counts}  {', '.join(row.unreached_names) or '-'}")
    percent = 100.0 * reached / total if total else 100.0
    lines.append(f"{'TOTAL':<{width}}  {reached:>7}  {total:>3}  ({percent:.1f}% of external functions reached)")
    return lines


# -- pytest wiring ------------------------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--contract-coverage",
        choices=("off", "report", "fail"),
        default="off",
        help="report which external functions of contracts/ the tests reached; 'fail' also fails on any never reached",
    )
    parser.addoption(
        "--contract-lines",
        action="store_true",
        help="also report line and branch coverage of contracts/ (traces every mined transaction step by step)",
    )
    parser.addoption(
        "--contract-lines-fail-under",
        metavar="LINES,BRANCHES",
        type=contract_lines.parse_floor,
        default=None,
        help="with --contract-lines: fail when contracts/' total line or branch coverage (percent) is below these",
    )


_ORIGINALS: dict[str, Callable[..., Any]] = {}
_RECORDER_KEY = pytest.StashKey[Recorder]()
_START_KEYS = pytest.StashKey[dict[tuple[str, str], str]]()


def _code_keys(config: pytest.Config) -> dict[tuple[str, str], str]:
    build = compile_project(Project.find(config.rootpath))
    return {(a.source, a.name): code_key(a.deployed_bytecode) for a in build.artifacts.values() if a.is_deployable}


def _install(recorder: Recorder) -> None:
    rpc_raw, rpc_batch, close = Chain.rpc_raw, Chain.rpc_batch, Chain.close
    _ORIGINALS.update(rpc_raw=rpc_raw, rpc_batch=rpc_batch, close=close)

    def quietly(action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as exc:  # a dead node must not fail the test that killed it
            log.debug("contract coverage: %s", exc)

    def wrapped_rpc_raw(self: Chain, method: str, params: Sequence[Any] = ()) -> dict[str, Any]:
        if method in _GOING_BACK:
            quietly(lambda: recorder.trace(self))
        reply = rpc_raw(self, method, params)
        if method in _CALLS and params:
            quietly(lambda: recorder.call(self, params[0], reply))
        elif method in _GOING_BACK:
            quietly(lambda: recorder.went_back(self))
        return reply

    def wrapped_rpc_batch(self: Chain, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[dict[str, Any]]:
        replies = rpc_batch(self, calls)
        for (method, params), reply in zip(calls, replies, strict=False):
            if method in _CALLS and params:
                quietly(lambda p=params, r=reply: recorder.call(self, p[0], r))  # type: ignore[misc]
        return replies

    def wrapped_close(self: Chain) -> None:
        quietly(lambda: recorder.trace(self))
        close(self)

    Chain.rpc_raw = wrapped_rpc_raw  # type: ignore[method-assign]
    Chain.rpc_batch = wrapped_rpc_batch  # type: ignore[method-assign]
    Chain.close = wrapped_close  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    lines = bool(config.getoption("contract_lines", False))
    if (config.getoption("contract_coverage", "off") == "off" and not lines) or _ORIGINALS:
        return
    recorder = Recorder()
    if lines:
        recorder.lines = contract_lines.LineRecorder()
    config.stash[_RECORDER_KEY] = recorder
    config.stash[_START_KEYS] = _code_keys(config)  # what the session's `build` fixture will deploy
    _install(recorder)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _RECORDER_KEY in config.stash and _ORIGINALS:
        Chain.rpc_raw = _ORIGINALS.pop("rpc_raw")  # type: ignore[method-assign]
        Chain.rpc_batch = _ORIGINALS.pop("rpc_batch")  # type: ignore[method-assign]
        Chain.close = _ORIGINALS.pop("close")  # type: ignore[method-assign]


_ROWS_KEY = pytest.StashKey[list[ContractReport]]()
_LINE_ROWS_KEY = pytest.StashKey[list[contract_lines.LineReport]]()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if _RECORDER_KEY not in config.stash:
        return
    project = Project.find(config.rootpath)
    build = compile_project(project)
    rows = report(build.artifacts.values(), config.stash[_RECORDER_KEY].hits, config.stash[_START_KEYS])
    config.stash[_ROWS_KEY] = rows
    out = project.reports_dir / "contract-coverage.json"
    _write_json(out, rows)
    line_recorder = config.stash[_RECORDER_KEY].lines
    if line_recorder is not None:
        line_rows = contract_lines.line_report(build.artifacts.values(), line_recorder, project.root, code_key=code_key)
        config.stash[_LINE_ROWS_KEY] = line_rows
        contract_lines.extend_json(out, line_rows)
        contract_lines.write_lcov(project.reports_dir / "contracts.lcov", line_rows)
        floor = config.getoption("contract_lines_fail_under", None)
        if floor is not None and contract_lines.below_floor(line_rows, floor) and exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if config.getoption("contract_coverage") == "fail" and any(r.unreached for r in rows) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rows = config.stash.get(_ROWS_KEY, None)
    if rows is None:
        return
    terminalreporter.section("contract coverage (external functions reached)")
    for line in format_table(rows):
        terminalreporter.write_line(line)
    if config.getoption("contract_coverage") == "fail" and any(r.unreached for r in rows):
        terminalreporter.write_line("FAILED: some external functions were never reached by a test", red=True)
    line_rows = config.stash.get(_LINE_ROWS_KEY, None)
    if line_rows is not None:
        recorder = config.stash[_RECORDER_KEY].lines
        traced = (
            f"{recorder.transactions} mined transactions, {recorder.steps} steps, {recorder.seconds:.0f} s"
            if recorder
            else ""
        )
        terminalreporter.section(f"contract line and branch coverage ({traced}; eth_call not traced)")
        for line in contract_lines.format_lines_table(line_rows):
            terminalreporter.write_line(line)
        floor = config.getoption("contract_lines_fail_under", None)
        short = contract_lines.below_floor(line_rows, floor) if floor is not None else None
        if short:
            terminalreporter.write_line(f"FAILED: contract coverage below its floor: {short}", red=True)


def _write_json(path: Path, rows: Sequence[ContractReport]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        f"{r.source}:{r.name}": {
            sig: sorted(r.outcomes.get(sel, ())) for sel, sig in sorted(r.functions.items(), key=lambda kv: kv[1])
        }
        for r in rows
    }
    path.write_text(json.dumps(data, indent=1) + "\n")
