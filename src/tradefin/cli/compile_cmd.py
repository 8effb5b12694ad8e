"""``tradefin compile``: build every contract, or report that nothing changed."""

from __future__ import annotations

import time

import click

from tradefin.compiler import compile_project
from tradefin.project import Project


@click.command("compile")
@click.option("--force", is_flag=True, help="Compile even if the cache says nothing changed.")
def compile_command(force: bool) -> None:
    """Compile contracts/ with the pinned solc into build/."""
    started = time.perf_counter()
    project = Project.find()
    build = compile_project(project, force=force)
    elapsed = time.perf_counter() - started
    ours = [name for name in build.artifacts if ":" not in name]
    status = "compiled" if build.compiled else "up to date"
    click.echo(
        f"{status}: {len(ours)} contracts and interfaces in {elapsed:.2f} s -> {build.folder.relative_to(project.root)}"
    )
