"""Compile the project's Solidity with the pinned solc (native or solc-js), cached by content hash."""

from tradefin.compiler.artifacts import Artifact, Build
from tradefin.compiler.build import compile_project, compiler_settings, load_build
from tradefin.compiler.launcher import ensure_compiler

__all__ = ["Artifact", "Build", "compile_project", "compiler_settings", "ensure_compiler", "load_build"]
