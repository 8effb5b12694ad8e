"""Compiled contracts as stored under ``build/``: one JSON file per contract, read back by name."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tradefin.errors import ArtifactNotFound


@dataclass(frozen=True)
class Artifact:
    """Everything the compiler says about one contract."""

    name: str
    source: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    method_identifiers: dict[str, str]
    storage_layout: dict[str, Any]
    metadata: str
    compiler_version: str
    settings: dict[str, Any] = field(default_factory=dict)
    deployed_source_map: str = ""
    """solc's source map of ``deployed_bytecode`` (``s:l:f:j:m`` per instruction, compressed)."""
    source_ids: dict[str, int] = field(default_factory=dict)
    """Source path -> the file index the source map uses (the compile's every source; generated Yul has none)."""

    @property
    def is_deployable(self) -> bool:
        """False for interfaces and abstract contracts (no creation code)."""
        return len(self.bytecode) > 2

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [item for item in self.abi if item.get("type") == "error"]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Artifact:
        return cls(**json.loads(text))


class LazyArtifacts(Mapping[str, Artifact]):
    """Artifacts of a cached build, read from ``build/`` on first use (a no-op rebuild reads none)."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self._folder, self._names, self._loaded = folder, list(names), dict[str, Artifact]()

    def __getitem__(self, name: str) -> Artifact:
        artifact = self._loaded.get(name)
        if artifact is None:
            if name not in self._names:
                raise KeyError(name)
            file = self._folder / (name.replace(":", "__").replace("/", ".") + ".json")
            artifact = self._loaded[name] = Artifact.from_json(file.read_text())
        return artifact

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


@dataclass(frozen=True)
class Build:
    """The artifacts of one compile, by contract name (and by ``source:Name`` when a name repeats)."""

    folder: Path
    artifacts: Mapping[str, Artifact]
    cache_key: str
    compiled: bool
    """True when this build ran the compiler; False when it came from the cache."""

    def __getitem__(self, name: str) -> Artifact:
        try:
            return self.artifacts[name]
        except KeyError:
            known = ", ".join(sorted(self.artifacts)) or "none"
            raise ArtifactNotFound(f"no contract named {name!r} (compiled: {known})") from None

    def __contains__(self, name: object) -> bool:
        return name in self.artifacts

    def all_errors(self) -> list[dict[str, Any]]:
        """Every custom error ABI entry across all contracts (for revert decoding)."""
        return [error for artifact in self.artifacts.values() for error in artifact.errors]
