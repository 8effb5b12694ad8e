"""Where things live in a tradefin project, and the compiler settings pinned for all of them."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tradefin.errors import ConfigError

SOLC_VERSION = "0.8.28"
"""The one solc version every contract is compiled with (native solc or the solc-js build of it)."""

EVM_VERSION = "cancun"
"""Pinned so the same bytecode runs on Anvil, Hardhat and py-evm."""

OPTIMIZER_RUNS = 200

REMAPPINGS = ("@openzeppelin/contracts/=node_modules/@openzeppelin/contracts/",)
"""Import prefixes resolved from the npm packages in ``node_modules``."""


@dataclass(frozen=True)
class Project:
    """A tradefin project directory: ``contracts/``, ``node_modules/``, ``build/``, ``deployments/``."""

    root: Path
    contracts_folder: Path = field(default=Path("contracts"))

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project containing ``start`` (default: ``$TRADEFIN_PROJECT`` or the working directory)."""
        env_root = os.environ.get("TRADEFIN_PROJECT")
        here = Path(start or env_root or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if (candidate / "contracts").is_dir() and (candidate / "package.json").is_file():
                return cls(candidate)
        packaged = Path(__file__).resolve().parents[2]
        if (packaged / "contracts").is_dir() and (packaged / "package.json").is_file():
            return cls(packaged)
        raise ConfigError(f"no tradefin project (a folder with contracts/ and package.json) at or above {here}")

    @property
    def contracts_dir(self) -> Path:
        return self.root / self.contracts_folder

    @property
    def node_modules(self) -> Path:
        return self.root / "node_modules"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def deployments_dir(self) -> Path:
        return self.root / "deployments"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @cached_property
    def anvil_binary(self) -> Path:
        """Anvil as shipped by the npm package ``@foundry-rs/anvil``."""
        for binary in sorted((self.node_modules / "@foundry-rs").glob("anvil-*/bin/anvil")):
            if os.access(binary, os.X_OK):
                return binary
        on_path = shutil.which("anvil")
        if on_path:
            return Path(on_path)
        raise ConfigError(f"Anvil not found in {self.node_modules}/@foundry-rs; run `npm ci` in {self.root}")

    def node_package(self, name: str) -> Path:
        """The folder of an installed npm package, or a ConfigError saying to run ``npm ci``."""
        folder = self.node_modules / name
        if not (folder / "package.json").is_file():
            raise ConfigError(f"npm package {name} is not installed; run `npm ci` in {self.root}")
        return folder
