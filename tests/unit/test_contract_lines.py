"""Contract line and branch coverage: a mined RevertProbe transaction mapped pc -> source line, and JUMPI outcomes."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tradefin.chain.connection import Chain
from tradefin.chain.local import start_local_chain
from tradefin.compiler.artifacts import Build
from tradefin.context import Context
from tradefin.project import Project
from tradefin.testing.contract_lines import (
    ANVIL_ARGS,
    CodeMap,
    LineRecorder,
    LineReport,
    below_floor,
    decompress,
    instruction_offsets,
    parse_floor,
    report_one,
    totals,
    write_lcov,
)
from tradefin.testing.coverage import code_key

PROBE = "contracts/test/RevertProbe.sol"


def test_instruction_offsets_skip_push_immediates():
    # PUSH1 0x80, PUSH2 0x0102, PUSH0, JUMPI, PUSH32 <32 bytes>, STOP
    code = "0x6080" + "610102" + "5f" + "57" + "7f" + "00" * 32 + "00"
    assert instruction_offsets(code) == [0, 2, 5, 6, 7, 40]


def test_source_map_fields_carry_over_when_empty():
    assert decompress("1:2:0:-;:5;;3::1:i;:::o") == [
        (1, 2, 0, "-"),
        (1, 5, 0, "-"),
        (1, 5, 0, "-"),
        (3, 5, 1, "i"),
        (3, 5, 1, "o"),
    ]


def _line_of(text: str, needle: str) -> int:
    [number] = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return number


@pytest.fixture(scope="module")
def traced_chain(project: Project) -> Iterator[Chain]:
    chain = start_local_chain(project, anvil_args=ANVIL_ARGS)
    yield chain
    chain.close()


@pytest.fixture(scope="module")
def probe_report(project: Project, build: Build, traced_chain: Chain, tmp_path_factory) -> LineReport:
    ctx = Context.on(project, traced_chain, build, deployments_dir=tmp_path_factory.mktemp("deployments"))
    deployer = ctx.accounts["deployer"]
    probe = ctx.deployments.deploy(deployer, "RevertProbe")
    first = traced_chain.rpc("eth_blockNumber")
    probe.transact(deployer, "count", 5)  # 0 -> 1: `next > limit` is false, the revert never runs
    probe.transact(deployer, "count", 5)
    frames = traced_chain.rpc(
        "trace_filter", [{"fromBlock": hex(int(first, 16) + 1), "toBlock": traced_chain.rpc("eth_blockNumber")}]
    )
    recorder = LineRecorder()

    def key_of(address: str) -> str:
        return code_key(traced_chain.rpc("eth_getCode", [address, "latest"]))

    recorder.record_frames(traced_chain, frames, key_of)
    assert recorder.transactions == 2 and recorder.steps > 100
    artifact = build["RevertProbe"]
    return report_one(artifact, recorder, project.root, code_key(artifact.deployed_bytecode), lambda p: p == PROBE)


def test_lines_hit_and_not_hit(project: Project, probe_report: LineReport):
    text = (project.root / PROBE).read_text()
    lines = {number: hit for (path, number), hit in probe_report.lines.items() if path == PROBE}
    for ran in ("uint256 next = _count + 1;", "_count = next;", "emit ProbeCounted(msg.sender, next);"):
        assert lines[_line_of(text, ran)] is True, ran
    for never in ("revert ProbeRejected(code, msg.sender, tag);", "return a / b;", "revert ProbeEmpty();"):
        assert lines[_line_of(text, never)] is False, never
    assert not any(number < _line_of(text, "contract RevertProbe") for number in lines)  # comments carry no code
    assert 0 < probe_report.lines_hit < len(probe_report.lines)


def test_branch_taken_one_way_only(project: Project, probe_report: LineReport):
    text = (project.root / PROBE).read_text()
    line = _line_of(text, "if (next > limit) revert")
    outcomes = [seen for location, seen in probe_report.branches.items() if probe_report.locations[location] == line]
    assert outcomes, "the `if` compiles to a JUMPI on its line"
    assert any(sum(seen) == 1 for seen in outcomes)  # always the same way: 1 <= 5 and 2 <= 5
    assert all(sum(seen) < 2 for seen in outcomes)
    never_run = _line_of(text, "return a / b;")
    assert all(not any(seen) for loc, seen in probe_report.branches.items() if probe_report.locations[loc] == never_run)


def test_lcov_names_the_file_and_its_lines(project: Project, probe_report: LineReport, tmp_path: Path):
    out = tmp_path / "contracts.lcov"
    write_lcov(out, [probe_report])
    text = out.read_text()
    source = (project.root / PROBE).read_text()
    assert text.startswith("TN:\nSF:contracts/test/RevertProbe.sol\n") and text.endswith("end_of_record\n")
    assert f"DA:{_line_of(source, '_count = next;')},1" in text
    assert f"DA:{_line_of(source, 'return a / b;')},0" in text
    assert f"LH:{probe_report.lines_hit}" in text and f"BRF:{probe_report.branches_total}" in text


def test_code_map_counts_only_the_chosen_files(project: Project, build: Build):
    artifact = build["RevertProbe"]
    assert artifact.deployed_source_map and PROBE in artifact.source_ids
    assert CodeMap.of(artifact, project.root).lines == {}  # contracts/test is not counted by default
    mapped = CodeMap.of(artifact, project.root, lambda p: p == PROBE)
    assert mapped.jumpis and {path for path, _ in mapped.lines.values()} == {PROBE}


def _rows(lines: list[bool], branches: list[tuple[bool, bool]]) -> list[LineReport]:
    return [
        LineReport(
            name="Made",
            source="contracts/Made.sol",
            lines={("contracts/Made.sol", n): hit for n, hit in enumerate(lines)},
            branches={("contracts/Made.sol", n, 1): seen for n, seen in enumerate(branches)},  # type: ignore[misc]
            locations={},
        )
    ]


def test_totals_and_the_floor():
    rows = _rows([True, True, True, False], [(True, False), (True, True)])  # lines 75%, branches 3 of 4
    assert totals(rows) == (75.0, 75.0)
    assert below_floor(rows, (75, 75)) is None
    assert below_floor(rows, (80, 50)) == "lines 75.0% < 80%"
    assert below_floor(rows, (90, 90)) == "lines 75.0% < 90%, branches 75.0% < 90%"
    assert totals([]) == (100.0, 100.0)  # nothing to cover is nothing missed


def test_the_floor_is_two_percentages():
    assert parse_floor("85,53.5") == (85.0, 53.5)
    for text in ("85", "85;53", "a,b", "1,2,3"):
        with pytest.raises(ValueError, match="LINES,BRANCHES"):
            parse_floor(text)
