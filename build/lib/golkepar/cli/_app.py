"""The `golkepar` application and what every command shares: settings, consoles, clear errors.

The CLI is the only place that prints, draws progress, or exits; each command loads the
settings, calls one library function, and turns a `GolkeparError` into one line and its code."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from golkepar import __version__
from golkepar.config import DEFAULT_ENV_FILE, Settings, load_settings
from golkepar.errors import GolkeparError

app = typer.Typer(
    name="golkepar",
    help="Turn OVHcloud web-hosting Apache logs into an analytics-ready DuckDB database.\n\n"
    "Stages, in order: geoip, fetch, ingest, build, report; `run` chains them and `demo` "
    "runs them offline on sample data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
geoip_app = typer.Typer(
    help="IP geolocation and ASN databases: update, status, lookup.",
    no_args_is_help=True,
)
app.add_typer(geoip_app, name="geoip")

# Printed text is taken literally: log lines, file and site names are hostile, and rich would
# turn `[b]` into style and `:x:` into an emoji. Lines are not wrapped, so they stay greppable.
out = Console(highlight=False, markup=False, emoji=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)

# Exit code for a stage that a later release will bring.
EXIT_NOT_AVAILABLE = 64
EXIT_INTERRUPTED = 130
# A file-system error no stage turned into a message of its own.
EXIT_OS_ERROR = 74

EnvFileOption = Annotated[
    Path,
    typer.Option("--env-file", help="The .env file to read (missing is fine).", show_default=True),
]


class _State:
    env_file: Path = DEFAULT_ENV_FILE


def settings_with(**flags: Any) -> Settings:
    """Settings from defaults < .env < environment < the flags given on the command line."""
    return load_settings(env_file=_State.env_file, overrides=flags)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn golkepar's own errors into one line on stderr and their exit code."""
    try:
        yield
    except GolkeparError as e:
        err.print(f"error: {e}", markup=False, soft_wrap=True)
        raise typer.Exit(e.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except OSError as e:
        # The file system said no (read-only, full, permissions, a name too long) somewhere a
        # stage did not expect it: still one line naming the file, never a traceback.
        where = f" {e.filename}" if e.filename else ""
        err.print(f"error: cannot use{where}: {e.strerror or e}", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_OS_ERROR) from None


def not_available(stage: str) -> None:
    err.print(f"{stage}: not available yet in golkepar {__version__}", markup=False)
    raise typer.Exit(EXIT_NOT_AVAILABLE)


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"golkepar {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    env_file: EnvFileOption = DEFAULT_ENV_FILE,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More detail: -v info, -vv debug.")
    ] = 0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """Turn OVHcloud web-hosting Apache logs into an analytics-ready DuckDB database."""
    _State.env_file = env_file
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
