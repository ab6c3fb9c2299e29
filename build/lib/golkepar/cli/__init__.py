"""The `golkepar` command line: one module per stage, all on one typer application."""

from __future__ import annotations

from golkepar.cli._app import app

# Importing the command modules registers their commands, in the order `--help` lists them.
# isort: off
from golkepar.cli import geoip, fetch, ingest, build, report, pipeline  # noqa: F401
# isort: on

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `golkepar` script."""
    app(args=argv, prog_name="golkepar")
