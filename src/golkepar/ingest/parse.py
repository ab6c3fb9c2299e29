"""Lines to hits and rejects: pure functions over Polars frames, one batch at a time.

Parsing is vectorised: one regular expression per batch (compiled from the LogFormat), then
casts. A line the expression does not match, or whose date or status cannot be read, becomes a
reject with a reason; every other line becomes a hit, however odd its request.
"""

from __future__ import annotations

import polars as pl

from golkepar.ingest.logformat import CompiledFormat

# Rejected lines are kept up to this many characters: enough to see what went wrong.
REJECT_LINE_MAX_CHARS = 8192
APACHE_TIME_FORMAT = "%d/%b/%Y:%H:%M:%S %z"

REASON_NO_MATCH = "does not match the log format"
REASON_BAD_TIME = "invalid timestamp"
REASON_BAD_STATUS = "non-numeric status"
REASON_BAD_BYTES = "non-numeric byte count"
REASON_EMPTY = "empty line"

# METHOD TARGET [PROTOCOL]; anything else (TLS handshakes, "-", garbage) keeps only `request`.
_REQUEST_LINE = (
    r"^(?P<method>[A-Za-z][A-Za-z0-9_-]{0,31}) (?P<target>\S+)"
    r"(?: (?P<protocol>[A-Za-z]+/[0-9.]+))?$"
)
# Apache writes " as \" and \ as \\ inside quoted fields.
_APACHE_ESCAPE = r"\\([\"\\])"

REJECT_SCHEMA = {
    "site": pl.String,
    "log_kind": pl.String,
    "source_file": pl.String,
    "source_line": pl.Int64,
    "reason": pl.String,
    "raw_line": pl.String,
}


def _unescape(column: str) -> pl.Expr:
    return pl.col(column).str.replace_all(_APACHE_ESCAPE, "${1}")


def _dash_is_null(column: str) -> pl.Expr:
    return pl.when(pl.col(column) == "-").then(None).otherwise(pl.col(column)).alias(column)


def _number(column: str) -> pl.Expr:
    """A numeric text column; `-` (Apache's "none") is null."""
    return pl.col(column).replace("-", None).cast(pl.Int64, strict=False)


def rejects_frame(
    lines: pl.DataFrame, reasons: pl.Expr | str, site: str, log_kind: str, source_file: str
) -> pl.DataFrame:
    """Reject rows for `lines` (columns `source_line`, `raw`), each with its reason."""
    reason = pl.lit(reasons) if isinstance(reasons, str) else reasons
    return lines.select(
        pl.lit(site).alias("site"),
        pl.lit(log_kind).alias("log_kind"),
        pl.lit(source_file).alias("source_file"),
        pl.col("source_line"),
        reason.alias("reason"),
        pl.col("raw").str.slice(0, REJECT_LINE_MAX_CHARS).alias("raw_line"),
    ).cast(REJECT_SCHEMA)  # type: ignore[arg-type]


def parse_access_lines(
    lines: pl.DataFrame, first_line: int, log_format: CompiledFormat, site: str, source_file: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split a batch of access-log lines into parsed hits and rejects.

    Hits have the raw columns of the lake (ip, vhost, ts, utc_offset_min, local_date, request,
    method, path, query, protocol, status, bytes...), not yet enriched.
    """
    numbered = lines.with_row_index("source_line", offset=first_line).with_columns(
        pl.col("source_line").cast(pl.Int64)
    )
    matched = numbered.with_columns(
        pl.col("raw").str.extract_groups(log_format.pattern).alias("_fields")
    ).unnest("_fields")
    columns = log_format.columns
    status_col = "status" if "status" in columns else "status_original"
    checks = matched.with_columns(
        pl.col("ts_text")
        .str.strptime(pl.Datetime("us", "UTC"), APACHE_TIME_FORMAT, strict=False)
        .alias("ts")
        if "ts_text" in columns
        else pl.lit(None, pl.Datetime("us", "UTC")).alias("ts"),
        pl.col(status_col).cast(pl.Int16, strict=False).alias("_status")
        if status_col in columns
        else pl.lit(None, pl.Int16).alias("_status"),
        (_number("bytes") if "bytes" in columns else pl.lit(None, pl.Int64)).alias("_bytes"),
    )
    reason = (
        pl.when(pl.col("raw") == "")
        .then(pl.lit(REASON_EMPTY))
        .when(pl.col("_m").is_null())
        .then(pl.lit(REASON_NO_MATCH))
        .when(pl.col("ts").is_null() & pl.lit("ts_text" in columns))
        .then(pl.lit(REASON_BAD_TIME))
        .when(pl.col("_status").is_null() & pl.lit(status_col in columns))
        .then(pl.lit(REASON_BAD_STATUS))
        .when(
            pl.col("_bytes").is_null()
            & pl.lit("bytes" in columns)
            & (pl.col("bytes") if "bytes" in columns else pl.lit("-")).ne("-")
        )
        .then(pl.lit(REASON_BAD_BYTES))
    )
    checked = checks.with_columns(reason.alias("_reason"))
    rejects = rejects_frame(
        checked.filter(pl.col("_reason").is_not_null()),
        pl.col("_reason"),
        site,
        "access",
        source_file,
    )
    good = checked.filter(pl.col("_reason").is_null())
    return _shape_hits(good, log_format, site, source_file), rejects


def _text(columns: frozenset[str], name: str, quoted: bool = True) -> pl.Expr:
    if name not in columns:
        return pl.lit(None, pl.String).alias(name)
    expr = pl.col(name).replace("-", None)
    return (expr.str.replace_all(_APACHE_ESCAPE, "${1}") if quoted else expr).alias(name)


def _shape_hits(
    good: pl.DataFrame, log_format: CompiledFormat, site: str, source_file: str
) -> pl.DataFrame:
    columns = log_format.columns
    # The text ends in +HHMM or -HHMM (strptime checked it): keep it as minutes.
    magnitude = pl.col("ts_text").str.slice(-4, 2).cast(pl.Int16) * 60 + pl.col(
        "ts_text"
    ).str.slice(-2, 2).cast(pl.Int16)
    offset = (
        pl.when(pl.col("ts_text").str.slice(-5, 1) == "-").then(-magnitude).otherwise(magnitude)
        if "ts_text" in columns
        else pl.lit(None, pl.Int16)
    )
    frame = good.with_columns(
        pl.lit(site).alias("site"),
        _text(columns, "vhost", quoted=False),
        offset.cast(pl.Int16).alias("utc_offset_min"),
        _text(columns, "ip", quoted=False),
        _text(columns, "remote_user", quoted=False),
        _text(columns, "referer"),
        _text(columns, "user_agent"),
        pl.col("_status").alias("status"),
        pl.col("_bytes").alias("bytes"),
        (_number("bytes_in") if "bytes_in" in columns else pl.lit(None, pl.Int64)).alias(
            "bytes_in"
        ),
        _response_time(columns).alias("response_time_us"),
        pl.lit(source_file).alias("source_file"),
    )
    frame = frame.with_columns(
        (pl.col("ts") + pl.duration(minutes=pl.col("utc_offset_min")))
        .dt.replace_time_zone(None)
        .dt.date()
        .alias("local_date")
    )
    frame = _with_request_parts(frame, columns)
    return frame.with_columns(_extra(log_format).alias("extra"))


def _response_time(columns: frozenset[str]) -> pl.Expr:
    if "response_time_us" in columns:
        return _number("response_time_us")
    if "response_time_s" in columns:
        return _number("response_time_s") * 1_000_000
    if "response_time_ms" in columns:
        return _number("response_time_ms") * 1_000
    return pl.lit(None, pl.Int64)


def _with_request_parts(frame: pl.DataFrame, columns: frozenset[str]) -> pl.DataFrame:
    """method, path, query, protocol: from %r when logged, else from %m %U %q %H."""
    if "request" in columns:
        frame = frame.with_columns(_unescape("request").alias("request"))
        parts = frame.select(
            pl.col("request").str.extract_groups(_REQUEST_LINE).alias("_request")
        ).unnest("_request")
        target = parts["target"]
        return frame.with_columns(
            parts["method"].alias("method"),
            target.str.extract(r"^([^?]*)", 1).alias("path"),
            target.str.extract(r"\?(.*)$", 1).alias("query"),
            parts["protocol"].alias("protocol"),
        )
    method = pl.col("method") if "method" in columns else pl.lit(None, pl.String)
    path = pl.col("path") if "path" in columns else pl.lit(None, pl.String)
    query = (
        pl.col("query").str.strip_prefix("?").replace("", None)
        if "query" in columns
        else pl.lit(None, pl.String)
    )
    protocol = pl.col("protocol") if "protocol" in columns else pl.lit(None, pl.String)
    request = pl.concat_str(
        [
            method,
            pl.lit(" "),
            path,
            pl.when(query.is_null()).then(pl.lit("")).otherwise(pl.lit("?") + query),
            pl.lit(" "),
            protocol,
        ]
    )
    return frame.with_columns(
        method.alias("method"),
        path.alias("path"),
        query.alias("query"),
        protocol.alias("protocol"),
        request.alias("request"),
    )


def _extra(log_format: CompiledFormat) -> pl.Expr:
    """The fields without a column of their own, as a JSON object (null when there are none)."""
    extras = [
        pl.col(f.group).str.replace_all(_APACHE_ESCAPE, "${1}").alias(f.column)
        for f in log_format.extra_fields
        if f.column not in ("identd",)
    ]
    if log_format.name == "ovh":
        extras.append(pl.col("trailing").str.strip_chars().replace("", None).alias("trailing"))
    if not extras:
        return pl.lit(None, pl.String)
    any_value = pl.any_horizontal([e.is_not_null() for e in extras])
    return pl.when(any_value).then(pl.struct(extras).struct.json_encode())
