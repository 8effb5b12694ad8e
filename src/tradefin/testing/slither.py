"""Slither over every contract as one compilation unit, with our solc launcher: ``python -m tradefin.testing.slither``.

``slither contracts`` is not recursive, so this gives crytic-compile one standard-json input with every ``.sol``
under ``contracts/`` (test contracts compile too; ``filter_paths`` in ``slither.config.json`` keeps their findings
out). Exit status 1 on any finding left: High and Medium must be fixed; a Low either fixed or annotated where it
is (``// slither-disable-next-line <detector>`` with why it is safe); an Informational or Optimization detector
may be excluded in ``slither.config.json``, each with its reason under ``exclude_reasons``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from tradefin.compiler.launcher import ensure_compiler
from tradefin.project import REMAPPINGS, Project

CONFIG_FILE = "slither.config.json"
IMPACTS = ("High", "Medium", "Low", "Informational", "Optimization")
EXCLUDABLE = {"Informational", "Optimization"}


def run(project: Project, config: dict[str, Any]) -> list[dict[str, Any]]:
    """Slither's findings over ``contracts/``, after ``filter_paths``, excluded detectors and in-code annotations."""
    from crytic_compile.platform.solc_standard_json import SolcStandardJson
    from slither import Slither
    from slither.__main__ import get_detectors_and_printers

    solc = ensure_compiler(project)
    sources = sorted(p for p in project.contracts_dir.rglob("*.sol") if ".cache" not in p.parts)
    unit = SolcStandardJson()
    unit.add_source_files([p.relative_to(project.root).as_posix() for p in sources])
    detectors, _ = get_detectors_and_printers()
    excluded = _excluded(config, detectors)
    slither = Slither(
        unit,
        solc=str(solc),
        solc_remaps=list(REMAPPINGS),
        solc_working_dir=str(project.root),
        filter_paths=config.get("filter_paths", "").split("|"),
    )
    for detector in detectors:
        if detector.ARGUMENT not in excluded:
            slither.register_detector(detector)
    return [finding for findings in slither.run_detectors() for finding in findings]


def _excluded(config: dict[str, Any], detectors: list[Any]) -> set[str]:
    names = {name.strip() for name in config.get("detectors_to_exclude", "").split(",") if name.strip()}
    reasons = config.get("exclude_reasons", {})
    impacts = {d.ARGUMENT: d.IMPACT.name.capitalize() for d in detectors}
    for name in sorted(names):
        if name not in impacts:
            raise SystemExit(f"{CONFIG_FILE}: no Slither detector named {name!r}")
        if impacts[name] not in EXCLUDABLE:
            raise SystemExit(f"{CONFIG_FILE}: {name} is a {impacts[name]} detector; fix or annotate its findings")
        if not str(reasons.get(name, "")).strip():
            raise SystemExit(f"{CONFIG_FILE}: excluding {name} needs a reason in exclude_reasons")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the findings to this file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("CryticCompile").setLevel(logging.ERROR)  # solc's warnings (code size, tstore) are not findings
    project = Project.find()
    config_path = project.root / CONFIG_FILE
    config = json.loads(config_path.read_text()) if config_path.is_file() else {}
    findings = run(project, config)
    findings.sort(key=lambda f: (IMPACTS.index(f["impact"]), f["check"], f["description"]))
    for finding in findings:
        print(f"[{finding['impact']}] {finding['check']}: {finding['description'].strip()}\n")
    if args.json:
        args.json.write_text(json.dumps(findings, indent=1, default=str))
    counts = Counter(f["impact"] for f in findings)
    summary = ", ".join(f"{counts.get(impact, 0)} {impact.lower()}" for impact in IMPACTS)
    print(f"slither: {summary} ({len(findings)} findings not fixed, annotated or excluded)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
