"""Apache error-log lines (2.2 and 2.4 formats, PHP messages) to rows of the `errors` dataset."""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from golkepar.ingest.parse import REASON_BAD_TIME, REASON_EMPTY, numbered_lines, rejects_lazy

# [Fri Nov 27 10:14:29.123456 2026] [module:level] [pid N(:tid N)] [client IP(:port)] message
# Apache 2.2 writes [level] without module, pid or port.
_ERROR_LINE = (
    r"^(?P<_m>)\[(?P<time>[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\d "
    r"\d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4})\] "
    r"\[(?:(?P<module>[^:\]\s]+):)?(?P<level>[a-z0-9]+)\]"
    r"(?: \[pid (?P<pid>\d+)(?::tid \d+)?\])?"
    r"(?: \[client (?P<client>[^\]]+)\])?"
    r" ?(?P<message>.*)$"
)
_PHP_LEVEL = (
    r"PHP (Fatal error|Parse error|Warning|Notice|Deprecated|Strict Standards|"
    r"Catchable fatal error|Recoverable fatal error)"
)
REASON_NOT_ERROR_FORMAT = "does not match the Apache error log format"
_ERROR_LINE_MATCH = re.compile(_ERROR_LINE)


def share_of_error_lines(lines: Sequence[str]) -> float:
    """The share of `lines` written in the Apache error-log format (0 for no lines)."""
    if not lines:
        return 0.0
    return sum(1 for line in lines if _ERROR_LINE_MATCH.match(line)) / len(lines)


def parse_error_lines(
    lines: pl.DataFrame, first_line: int, site: str, source_file: str, timezone: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split a batch of error-log lines into error rows and rejects.

    Error logs carry local times without an offset: they are read in `timezone`; in the hour
    repeated when clocks go back, the earlier instant is taken.
    """
    local = pl.col("time").str.replace(r"\.\d+", "").str.replace("  ", " ")
    checked = (
        numbered_lines(lines, first_line)
        .with_columns(pl.col("raw").str.extract_groups(_ERROR_LINE).alias("_f"))
        .unnest("_f")
        .with_columns(
            local.str.strptime(pl.Datetime("us"), "%a %b %d %H:%M:%S %Y", strict=False).alias(
                "_local"
            )
        )
        .with_columns(
            pl.when(pl.col("raw") == "")
            .then(pl.lit(REASON_EMPTY))
            .when(pl.col("_m").is_null())
            .then(pl.lit(REASON_NOT_ERROR_FORMAT))
            .when(pl.col("_local").is_null())
            .then(pl.lit(REASON_BAD_TIME))
            .alias("_reason")
        )
    )
    rejects = rejects_lazy(
        checked.filter(pl.col("_reason").is_not_null()),
        pl.col("_reason"),
        site,
        "error",
        source_file,
    )
    good = checked.filter(pl.col("_reason").is_null())
    # Apache 2.4 adds the client's port: 203.0.113.9:51234, 2001:db8::1:51234.
    client = (
        pl.when(pl.col("module").is_not_null() | pl.col("pid").is_not_null())
        .then(pl.col("client").str.replace(r":\d+$", ""))
        .otherwise(pl.col("client"))
    )
    errors = good.select(
        pl.lit(site).alias("site"),
        pl.col("_local")
        .dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
        .alias("ts"),
        pl.col("_local").dt.date().alias("local_date"),
        pl.col("level"),
        pl.col("module"),
        pl.col("pid").cast(pl.Int64),
        client.alias("client_ip"),
        pl.col("message"),
        pl.col("message").str.extract(_PHP_LEVEL, 1).alias("php_level"),
        pl.lit(source_file).alias("source_file"),
        pl.col("source_line"),
    )
    errors_frame, rejects_frame = pl.collect_all([errors, rejects])
    return errors_frame, rejects_frame
