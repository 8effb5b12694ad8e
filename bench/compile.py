"""Cold compile of every contract vs a no-op rebuild, in one process, and the CLI's no-op wall time.

Prints times and ratios; the target is a no-op rebuild under 0.2 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from tradefin.compiler import compile_project
from tradefin.project import Project


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    project = Project.find(Path(__file__))
    cold = timed(lambda: compile_project(project, force=True), 2)
    noop = timed(lambda: compile_project(project), 20)
    cli = Path(sys.executable).with_name("tradefin")
    cli_noop = timed(
        lambda: subprocess.run([str(cli), "compile"], cwd=project.root, check=True, capture_output=True), 5
    )
    sources = len(list(project.contracts_dir.rglob("*.sol")))
    cold_t, noop_t, cli_t = min(cold), statistics.median(noop), statistics.median(cli_noop)
    print(f"contracts: {sources} sources under {project.contracts_dir.name}/")
    print(f"{'case':<28}{'seconds':>10}{'vs cold':>10}")
    print(f"{'cold compile (in process)':<28}{cold_t:>10.3f}{1.0:>10.3f}")
    print(f"{'no-op rebuild (in process)':<28}{noop_t:>10.4f}{noop_t / cold_t:>10.4f}")
    print(f"{'no-op `tradefin compile`':<28}{cli_t:>10.3f}{cli_t / cold_t:>10.3f}")
    verdict = "meets" if noop_t < 0.2 else "MISSES"
    print(f"no-op rebuild {noop_t * 1000:.1f} ms {verdict} the 200 ms target; cold/no-op = {cold_t / noop_t:.0f}x")


if __name__ == "__main__":
    main()
