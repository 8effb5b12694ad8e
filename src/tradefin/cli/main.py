"""Entry point: ``tradefin <command>``. Errors print as one line and exit non-zero, never a traceback."""

from __future__ import annotations

import logging
import sys

import click

from tradefin.cli.compile_cmd import compile_command
from tradefin.cli.deploy_cmd import deploy_command
from tradefin.errors import CompileFailed, TradefinError


class _Stderr:
    """One plain line per message on stderr (rich is imported only by commands that draw tables)."""

    @staticmethod
    def print(message: str, markup: bool = False) -> None:
        click.echo(message, err=True)


err = _Stderr()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
@click.version_option(package_name="tradefin")
def cli(verbose: int) -> None:
    """tradefin: electronic bills of lading and trade-finance escrow on EVM chains."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


cli.add_command(compile_command)
cli.add_command(deploy_command)


def _register_optional() -> None:
    # Commands of later layers register themselves here as they land.
    from tradefin.cli import commands

    commands.register(cli)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    _register_optional()
    try:
        cli.main(args=argv, prog_name="tradefin", standalone_mode=False)
    except click.exceptions.Abort:
        err.print("error: aborted")
        return 130
    except click.ClickException as exc:
        err.print(f"error: {' '.join(exc.format_message().split())}")  # one line, even for click's choice lists
        return exc.exit_code
    except CompileFailed as exc:
        for line in exc.diagnostics:
            err.print(line, markup=False)
        err.print(f"error: compilation failed ({len(exc.diagnostics)} error(s))")
        return 1
    except TradefinError as exc:
        err.print(f"error: {exc}", markup=False)
        return 1
    except KeyboardInterrupt:
        err.print("error: interrupted")
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
