"""Compile every contract of a project in one standard-json call, cached by content hash.

The cache key covers the sources, every imported file from ``node_modules``, the settings and the compiler, so a
rebuild with nothing changed reads ``build/`` and runs no compiler at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tradefin.compiler.artifacts import Artifact, Build, LazyArtifacts
from tradefin.compiler.launcher import ensure_compiler
from tradefin.errors import CompileFailed, CompilerError
from tradefin.project import EVM_VERSION, OPTIMIZER_RUNS, REMAPPINGS, SOLC_VERSION, Project

log = logging.getLogger("tradefin.compiler")

OUTPUTS = [
    "abi",
    "evm.bytecode.object",
    "evm.deployedBytecode.object",
    "evm.deployedBytecode.sourceMap",
    "evm.methodIdentifiers",
    "storageLayout",
    "metadata",
]
_IMPORT = re.compile(r"""^\s*import\s+(?:[^'"]*\sfrom\s+)?["']([^"']+)["']""", re.MULTILINE)
MANIFEST = "manifest.json"


def compiler_settings() -> dict[str, Any]:
    """The standard-json settings every build uses (also what ape-config.yaml pins for ape)."""
    return {
        "evmVersion": EVM_VERSION,
        "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
        "remappings": list(REMAPPINGS),
        "outputSelection": {"*": {"*": OUTPUTS}},
    }


def compile_project(project: Project, *, force: bool = False, include_tests: bool = True) -> Build:
    """Compile ``contracts/`` (including ``contracts/test``), or return the cached build if nothing changed."""
    sources = _collect_sources(project, include_tests)
    if not sources:
        raise CompilerError(f"no .sol files under {project.contracts_dir}")
    settings = compiler_settings()
    folder = project.build_dir / "contracts"
    if not force:
        unchanged = _unchanged_since_last_build(project, folder, sources, settings)
        if unchanged is not None:
            return unchanged
    key = _cache_key(project, sources, settings)
    if not force:
        cached = _load_cached(folder, key)
        if cached is not None:
            log.debug("build cache hit %s", key[:12])
            return cached
    with _build_lock(project):
        cached = None if force else _load_cached(folder, key)  # another process may have just built it
        if cached is not None:
            return cached
        solc = ensure_compiler(project)
        output = _run_solc(project, solc, sources, settings)
        artifacts = _artifacts_from_output(output, settings)
        inputs = [*sources, *_imported_files(project, sources)]
        _write_build(folder, artifacts, key, _stat_signature(project, inputs, settings), inputs)
    return Build(folder, artifacts, key, compiled=True)


@contextlib.contextmanager
def _build_lock(project: Project) -> Iterator[None]:
    """One compile at a time per project (parallel test runs and CLI calls share build/)."""
    project.build_dir.mkdir(parents=True, exist_ok=True)
    with (project.build_dir / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_build(project: Project) -> Build:
    """The current build, compiling first if the sources changed."""
    return compile_project(project)


def _collect_sources(project: Project, include_tests: bool) -> dict[str, str]:
    root = project.root
    files = sorted(project.contracts_dir.rglob("*.sol"))
    if not include_tests:
        files = [f for f in files if "test" not in f.relative_to(project.contracts_dir).parts[:1]]
    return {f.relative_to(root).as_posix(): f.read_text() for f in files if ".cache" not in f.parts}


def _resolve_import(project: Project, importer: str, target: str) -> Path | None:
    for remap in REMAPPINGS:
        prefix, _, replacement = remap.partition("=")
        if target.startswith(prefix):
            return project.root / (replacement + target[len(prefix) :])
    base = project.root / Path(importer).parent if target.startswith(".") else project.root
    return Path(os.path.normpath(base / target))


def _imported_files(project: Project, sources: dict[str, str]) -> dict[str, bytes]:
    """Every file reachable through imports outside the project's sources, for the cache key."""
    seen: dict[str, bytes] = {}
    pending = [(name, text) for name, text in sources.items()]
    while pending:
        importer, text = pending.pop()
        for target in _IMPORT.findall(text):
            path = _resolve_import(project, importer, target)
            if path is None or not path.is_file():
                continue
            rel = path.relative_to(project.root).as_posix()
            if rel in seen or rel in sources:
                continue
            data = path.read_bytes()
            seen[rel] = data
            pending.append((rel, data.decode()))
    return seen


def _cache_key(project: Project, sources: dict[str, str], settings: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update(SOLC_VERSION.encode())
    solc_package = project.node_modules / "solc" / "package.json"
    if solc_package.is_file():
        digest.update(solc_package.read_bytes())
    for name, text in sorted(sources.items()):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    for name, data in sorted(_imported_files(project, sources).items()):
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def _load_cached(folder: Path, key: str) -> Build | None:
    manifest = folder / MANIFEST
    try:
        recorded = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return None
    if recorded.get("cache_key") != key:
        return None
    names = recorded.get("contracts")
    if not isinstance(names, list) or not all((folder / _file_name(n)).is_file() for n in names):
        return None
    return Build(folder, LazyArtifacts(folder, names), key, compiled=False)


def _stat_signature(project: Project, inputs: list[str], settings: dict[str, Any]) -> str:
    """Size and modification time of every input, with the settings: equal means nothing was touched."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for name in sorted(inputs):
        try:
            stat = (project.root / name).stat()
        except OSError:
            return ""
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _unchanged_since_last_build(
    project: Project, folder: Path, sources: dict[str, str], settings: dict[str, Any]
) -> Build | None:
    """The last build, when the same sources exist and no input's size or mtime moved (no content hashing)."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    inputs = recorded.get("inputs")
    if not isinstance(inputs, list) or set(sources) - set(inputs) or not recorded.get("stat_signature"):
        return None
    recorded_sources = {name for name in inputs if name.startswith(project.contracts_folder.as_posix() + "/")}
    if recorded_sources != set(sources):
        return None
    if _stat_signature(project, inputs, settings) != recorded["stat_signature"]:
        return None
    return _load_cached(folder, recorded["cache_key"])


def _run_solc(project: Project, solc: Path, sources: dict[str, str], settings: dict[str, Any]) -> dict[str, Any]:
    import solcx  # deferred: importing py-solc-x costs ~0.3 s, which a cache hit never pays
    from solcx.exceptions import SolcError

    standard_input = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": settings,
    }
    log.info("compiling %d sources with %s", len(sources), solc)
    try:
        output: dict[str, Any] = solcx.compile_standard(
            standard_input, solc_binary=solc, base_path=project.root, allow_paths=[project.root]
        )
    except SolcError as exc:
        errors = getattr(exc, "error_dict", None)
        if errors:
            raise CompileFailed(_diagnostics(project, errors, sources)) from None
        raise CompilerError(f"solc failed: {str(exc).strip() or exc.__class__.__name__}") from None
    except OSError as exc:
        raise CompilerError(f"could not run {solc}: {exc}") from None
    return output


def _diagnostics(project: Project, errors: list[dict[str, Any]], sources: dict[str, str]) -> list[str]:
    lines = []
    for error in errors:
        if error.get("severity") != "error":
            continue
        location = error.get("sourceLocation") or {}
        file = location.get("file", "")
        message = f"{error.get('type', 'Error')}: {error.get('message', '').strip()}"
        text = sources.get(file)
        if text is None and file:
            path = _resolve_import(project, "", file)
            text = path.read_text() if path is not None and path.is_file() else None
        if file and text is not None and location.get("start", -1) >= 0:
            before = text[: location["start"]]
            line = before.count("\n") + 1
            col = len(before) - (before.rfind("\n") + 1) + 1
            lines.append(f"{file}:{line}:{col}: {message}")
        else:
            lines.append(f"{file or '<solc>'}: {message}")
    return lines or ["solc reported errors without locations"]


def _artifacts_from_output(output: dict[str, Any], settings: dict[str, Any]) -> dict[str, Artifact]:
    version = _compiler_version(output)
    source_ids = {name: int(data["id"]) for name, data in output.get("sources", {}).items() if "id" in data}
    by_name: dict[str, list[Artifact]] = {}
    for source, contracts in output.get("contracts", {}).items():
        for name, data in contracts.items():
            evm = data.get("evm", {})
            artifact = Artifact(
                name=name,
                source=source,
                abi=data.get("abi", []),
                bytecode="0x" + evm.get("bytecode", {}).get("object", ""),
                deployed_bytecode="0x" + evm.get("deployedBytecode", {}).get("object", ""),
                method_identifiers=evm.get("methodIdentifiers", {}),
                storage_layout=data.get("storageLayout", {}),
                metadata=data.get("metadata", ""),
                compiler_version=version,
                settings={k: v for k, v in settings.items() if k != "outputSelection"},
                deployed_source_map=evm.get("deployedBytecode", {}).get("sourceMap", ""),
                source_ids=source_ids,
            )
            by_name.setdefault(name, []).append(artifact)
    artifacts: dict[str, Artifact] = {}
    for name, found in by_name.items():
        ours = [a for a in found if a.source.startswith("contracts/")]
        if len(found) == 1:
            artifacts[name] = found[0]
        elif len(ours) == 1:
            artifacts[name] = ours[0]
        for artifact in found:
            artifacts[f"{artifact.source}:{name}"] = artifact
    return artifacts


def _compiler_version(output: dict[str, Any]) -> str:
    for contracts in output.get("contracts", {}).values():
        for data in contracts.values():
            try:
                return str(json.loads(data["metadata"])["compiler"]["version"])
            except (KeyError, ValueError, TypeError):
                continue
    return SOLC_VERSION


def _write_build(
    folder: Path, artifacts: dict[str, Artifact], key: str, stat_signature: str, inputs: list[str]
) -> None:
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, artifact in artifacts.items():
        (staging / _file_name(name)).write_text(artifact.to_json())
    manifest = {
        "cache_key": key,
        "contracts": sorted(artifacts),
        "stat_signature": stat_signature,
        "inputs": sorted(inputs),
        "deployable": sorted(n for n, a in artifacts.items() if a.is_deployable and ":" not in n),
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1))
    shutil.rmtree(folder, ignore_errors=True)
    staging.replace(folder)


def _file_name(contract: str) -> str:
    return contract.replace(":", "__").replace("/", ".") + ".json"
