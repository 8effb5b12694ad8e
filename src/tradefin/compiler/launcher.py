"""Find the pinned solc: a native binary py-solc-x installed, or our launcher over npm's solc-js.

py-solc-x looks for executables named ``solc-v<version>`` in its install folder (``$SOLCX_BINARY_PATH`` or
``~/.solcx``). When no native binary of the pinned version is there, we write a small shell wrapper under that
name which runs ``solcjs_launcher.js`` with Node, so py-solc-x, ape-solidity and Slither all find the same compiler.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

from tradefin.errors import CompilerError
from tradefin.project import SOLC_VERSION, Project

log = logging.getLogger("tradefin.compiler")

WRAPPER_MARKER = "# tradefin solc-js launcher"
LAUNCHER_SCRIPT = Path(__file__).with_name("solcjs_launcher.js")


def solcx_install_folder() -> Path:
    """py-solc-x's install folder, honouring ``SOLCX_BINARY_PATH`` as py-solc-x does."""
    configured = os.environ.get("SOLCX_BINARY_PATH")
    return Path(configured).expanduser() if configured else Path.home() / ".solcx"


def is_launcher(path: Path) -> bool:
    """True when ``path`` is a wrapper this module wrote (as opposed to a native solc)."""
    try:
        with path.open("rb") as handle:
            return WRAPPER_MARKER.encode() in handle.read(512)
    except OSError:
        return False


def ensure_compiler(project: Project, version: str = SOLC_VERSION) -> Path:
    """The solc executable for ``version``: native if py-solc-x has it, else our (re)written launcher."""
    target = solcx_install_folder() / f"solc-v{version}"
    if target.is_file() and not is_launcher(target) and os.access(target, os.X_OK):
        return target
    full_version = _solcjs_version(project.node_package("solc"), version)
    launcher_id = hashlib.sha256(LAUNCHER_SCRIPT.read_bytes()).hexdigest()[:10]
    solcjs = _install_solcjs(project, target.parent / f"solcjs-{full_version}-{launcher_id}")
    wrapper = _wrapper_text(solcjs, full_version)
    if not (target.is_file() and target.read_text() == wrapper):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(wrapper)
        tmp.chmod(0o755)
        tmp.replace(target)
        log.info("installed solc-js launcher for %s at %s", version, target)
    return target


def _install_solcjs(project: Project, folder: Path) -> Path:
    """Copy npm's solc and its runtime dependencies next to the wrapper, so the installed compiler outlives the
    checkout it came from (py-solc-x's folder is shared by every project of the user)."""
    marker = folder / ".complete"
    solc_dir = folder / "node_modules" / "solc"
    if marker.is_file():
        return solc_dir
    staging = folder.with_name(folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    pending, copied = ["solc"], set()
    while pending:
        name = pending.pop()
        if name in copied:
            continue
        source = project.node_package(name)
        shutil.copytree(
            source,
            staging / "node_modules" / name,
            symlinks=False,
            ignore=shutil.ignore_patterns("*.md", "test", "tests"),
        )
        copied.add(name)
        manifest = json.loads((source / "package.json").read_text())
        pending.extend(manifest.get("dependencies", {}))
    shutil.copy2(LAUNCHER_SCRIPT, staging / LAUNCHER_SCRIPT.name)
    (staging / ".complete").write_text("\n".join(sorted(copied)))
    shutil.rmtree(folder, ignore_errors=True)
    staging.replace(folder)
    prefix = folder.name.rsplit("-", 1)[0]
    for stale in folder.parent.glob(f"{prefix}-*"):  # older launchers of the same compiler: nothing points there
        if stale != folder and not stale.name.endswith(".tmp"):
            shutil.rmtree(stale, ignore_errors=True)
    return solc_dir


def _solcjs_version(solcjs: Path, wanted: str) -> str:
    """The full version string (with commit) of the npm solc package; one Node start, cached beside it."""
    node = shutil.which("node")
    if node is None:
        raise CompilerError("Node.js is needed to run solc-js; install Node 20 or later")
    stamp = solcjs / ".tradefin-version"
    package_mtime = str((solcjs / "soljson.js").stat().st_mtime_ns)
    if stamp.is_file():
        mtime, _, full = stamp.read_text().partition("\n")
        if mtime == package_mtime and full:
            return full
    result = subprocess.run(
        [node, "-e", "process.stdout.write(require(process.argv[1]).version())", str(solcjs)],
        capture_output=True,
        text=True,
        check=False,
    )
    full = result.stdout.strip()
    if result.returncode != 0 or not full.startswith(wanted + "+"):
        raise CompilerError(
            f"npm solc at {solcjs} is {full or 'unreadable'}, not {wanted}: run `npm ci` to install the pinned one"
        )
    with contextlib.suppress(OSError):  # a read-only node_modules only costs the cache
        stamp.write_text(f"{package_mtime}\n{full}")
    return full


def _wrapper_text(solcjs: Path, full_version: str) -> str:
    # `--version` is answered by the shell: py-solc-x asks before every compile, and loading soljson costs ~0.4 s.
    return (
        "#!/bin/sh\n"
        f"{WRAPPER_MARKER}\n"
        'if [ "$#" -eq 1 ] && [ "$1" = "--version" ]; then\n'
        "  printf 'solc, the solidity compiler commandline interface\\n"
        f"Version: {full_version}\\n'\n"
        "  exit 0\n"
        "fi\n"
        f"TRADEFIN_SOLCJS='{solcjs}' exec node '{solcjs.parents[1] / LAUNCHER_SCRIPT.name}' \"$@\"\n"
    )
