"""One exception tree: every error golkepar raises on purpose is a `GolkeparError`.

The CLI turns each into one line and the exit code named on its class; anything else is a bug.
"""

from __future__ import annotations


def one_line(error: BaseException) -> str:
    """An error's first line, for a message that must stay on one line.

    A DuckDB or Polars error goes on with a drawing of the query under it.
    """
    text = str(error).strip()
    return text.splitlines()[0] if text else repr(error)


class GolkeparError(Exception):
    """Root of golkepar's errors. `exit_code` is what the CLI exits with."""

    exit_code = 1


class ConfigError(GolkeparError):
    """Missing or invalid configuration (`.env`, environment or flags)."""

    exit_code = 2


class LockedError(GolkeparError):
    """Another golkepar process holds the lock for this stage and folder."""

    exit_code = 3


class HTTPError(GolkeparError):
    """A remote server answered with an error status, or could not be reached."""

    exit_code = 4

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class AuthError(HTTPError):
    """The server refused our credentials (401/403)."""

    exit_code = 5


class GeoipError(GolkeparError):
    """A GeoIP database could not be downloaded, read or validated."""

    exit_code = 6


class FetchError(GolkeparError):
    """Logs could not be downloaded from the OVH logs server."""

    exit_code = 7


class IngestError(GolkeparError):
    """Logs could not be parsed into the lake (unknown format, unreadable file...)."""

    exit_code = 8


class SomeFilesFailedError(IngestError):
    """Some log files could not be ingested; the others were (the lake holds what was read).

    Its own exit code tells a partly done run from one where nothing could be done.
    """

    exit_code = 12


class UnplacedFileError(IngestError):
    """A file golkepar cannot place (no site, an impossible date, not a log): skipped, reported."""


class LogFormatError(IngestError):
    """An Apache `LogFormat` string that golkepar cannot turn into a parser."""


class BuildError(GolkeparError):
    """The DuckDB warehouse could not be built from the lake."""

    exit_code = 9


class ReportError(GolkeparError):
    """The HTML or terminal report could not be produced."""

    exit_code = 10


class SupersetError(GolkeparError):
    """The Apache Superset bundle could not be written."""

    exit_code = 11
