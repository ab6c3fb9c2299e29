"""Lines to hits and rejects: pure functions over Polars frames, one batch at a time.

Parsing is vectorised: one regular expression per batch (compiled from the LogFormat), then
casts, all in one lazy query. A line the expression does not match, or whose date, status or
size cannot be read, becomes a reject with a reason; every other line becomes a hit, however
odd its request.
"""

from __future__ import annotations

import socket

import polars as pl

from golkepar.ingest.logformat import CompiledFormat
from golkepar.lake.schemas import HIT_SCHEMA, REJECT_SCHEMA

# Rejected lines are kept up to this many characters: enough to see what went wrong.
REJECT_LINE_MAX_CHARS = 8192
APACHE_TIME_FORMAT = "%d/%b/%Y:%H:%M:%S %z"
UTC_TIMESTAMP = pl.Datetime("us", "UTC")

REASON_NO_MATCH = "does not match the log format"
REASON_BAD_TIME = "invalid timestamp"
REASON_BAD_STATUS = "non-numeric status"
REASON_BAD_BYTES = "non-numeric byte count"
REASON_EMPTY = "empty line"
REASON_BAD_ADDRESS = "client address is not an IP address"
# A plain IPv4 address, checked in Polars' engine: only the other values go through Python.
_IPV4 = r"^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$"

# METHOD TARGET [PROTOCOL]; anything else (TLS handshakes, "-", garbage) keeps only `request`.
_METHOD_WORD = r"[A-Za-z][A-Za-z0-9_-]{0,31}"
_TARGET_WORD = r"\S+"
_PROTOCOL_WORD = r"[A-Za-z]+/[0-9.]+"
_METHOD = rf"^(?P<method>{_METHOD_WORD}) "
_PROTOCOL = rf"(?: (?P<protocol>{_PROTOCOL_WORD}))?$"
# As one expression: what `split_request_lines` reads by splitting, 10 % faster than with
# captures (kept as the reference its tests compare with).
REQUEST_LINE = _METHOD + rf"(?P<target>{_TARGET_WORD})" + _PROTOCOL
# The same with raw spaces in the target (attackers send `?id=1' AND SLEEP(5)-- -` unencoded),
# so the attack still reaches the path and query the warehouse checks. Twice as slow: it runs
# only on the few lines the first one leaves whole.
_REQUEST_LINE_WITH_SPACES = _METHOD + r"(?P<target>\S.*?)" + _PROTOCOL


def unescape_apache(expr: pl.Expr) -> pl.Expr:
    """Undo Apache's escaping of quoted fields: `\\\\` is a backslash, `\\"` a quote.

    Two literal passes are exact here because Apache never writes a bare quote inside a quoted
    field, and they are much faster than one regex pass. `\\xhh` escapes stay as text.
    """
    return expr.str.replace_all("\\\\", "\\", literal=True).str.replace_all(
        '\\"', '"', literal=True
    )


# Quoted fields that may hold Apache escapes once parsed.
_ESCAPED_COLUMNS = ("request", "path", "query", "referer", "user_agent")


def _whole(word: str) -> str:
    return f"^(?:{word})$"


def _parts_of(
    request: pl.Expr, method: pl.Expr, target: pl.Expr, protocol: pl.Expr
) -> list[pl.Expr]:
    """The columns of a request line split into method, target and protocol (null: unsplit)."""
    path_and_query = target.str.splitn("?", 2)
    return [
        pl.when(method.is_null()).then(request).alias("request"),
        method.alias("method"),
        path_and_query.struct.field("field_0").alias("path"),
        path_and_query.struct.field("field_1").alias("query"),
        protocol.alias("protocol"),
    ]


def request_parts(request: pl.Expr, pattern: str) -> list[pl.Expr]:
    """method, path, query and protocol of a request line, and the line itself when unsplit."""
    parts = request.str.extract_groups(pattern)
    return _parts_of(
        request,
        parts.struct.field("method"),
        parts.struct.field("target"),
        parts.struct.field("protocol"),
    )


_PIECES = ("_method", "_target", "_protocol")


def split_request_lines(frame: pl.LazyFrame) -> pl.LazyFrame:
    """`frame` with its `request` column split as `request_parts(request, REQUEST_LINE)` does,
    by splitting at the first two spaces.

    The method has no space and the target none, so the first space ends the method, the next
    the target, and what is left must be the protocol: each piece is checked whole against its
    part of `REQUEST_LINE`, without captures. Each step is a column of its own: an expression
    used twice in one step is computed twice.
    """
    method, target, protocol = (pl.col(name) for name in _PIECES)
    split = (
        method.str.contains(_whole(_METHOD_WORD))
        & target.str.contains(_whole(_TARGET_WORD))
        & (protocol.is_null() | protocol.str.contains(_whole(_PROTOCOL_WORD)))
    )
    return (
        frame.with_columns(
            pl.col("request")
            .str.splitn(" ", 3)
            .struct.rename_fields(list(_PIECES))
            .alias("_pieces")
        )
        .unnest("_pieces")
        .with_columns(split.alias("_split"))
        .with_columns(
            pl.when(pl.col("_split"))
            .then(target)
            .str.splitn("?", 2)
            .struct.rename_fields(["path", "query"])
            .alias("_target_parts"),
            pl.when(pl.col("_split").not_().fill_null(True))
            .then(pl.col("request"))
            .alias("request"),
            pl.when(pl.col("_split")).then(method).alias("method"),
            pl.when(pl.col("_split")).then(protocol).alias("protocol"),
        )
        .unnest("_target_parts")
        .drop(*_PIECES, "_split")
    )


def _rewrite_rows(
    frame: pl.DataFrame, where: pl.Series, source: str, columns: list[pl.Expr]
) -> pl.DataFrame:
    """`columns`, computed from the column `source` on the rows where `where` is true only,
    written back into those rows: for corrections few rows need, the rest not even looked at.
    """
    if not where.fill_null(False).any():
        return frame
    rows = where.fill_null(False).arg_true()
    fixed = frame.select(pl.col(source).gather(rows)).select(columns)
    return frame.with_columns(
        frame.get_column(name).scatter(rows, fixed.get_column(name)) for name in fixed.columns
    )


def split_requests_with_spaces(frame: pl.DataFrame) -> pl.DataFrame:
    """Split again, allowing raw spaces in the target, the lines left whole that have spaces."""
    unsplit = frame.get_column("request").str.contains(" ", literal=True)
    return _rewrite_rows(
        frame, unsplit, "request", request_parts(pl.col("request"), _REQUEST_LINE_WITH_SPACES)
    )


def unescape_escaped_rows(frame: pl.DataFrame, escaped: pl.Series) -> pl.DataFrame:
    """`unescape_apache` applied only to the rows where `escaped` is true: those whose line
    holds a backslash (few, in real logs)."""
    if not escaped.any():
        return frame
    rows = escaped.arg_true()
    fixed = frame.select(pl.col(_ESCAPED_COLUMNS).gather(rows)).select(
        unescape_apache(pl.col(name)).alias(name) for name in _ESCAPED_COLUMNS
    )
    return frame.with_columns(
        frame.get_column(name).scatter(rows, fixed.get_column(name)) for name in _ESCAPED_COLUMNS
    )


def _dash_is_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr != "-").then(expr)


def _number(column: str) -> pl.Expr:
    """A numeric text column; `-` (Apache's "none") is null."""
    return _dash_is_null(pl.col(column)).cast(pl.Int64, strict=False)


def numbered_lines(lines: pl.DataFrame, first_line: int) -> pl.LazyFrame:
    return (
        lines.lazy()
        .with_row_index("source_line", offset=first_line)
        .with_columns(pl.col("source_line").cast(pl.Int64))
    )


def rejects_lazy(
    lines: pl.LazyFrame, reason: pl.Expr, site: str, log_kind: str, source_file: str
) -> pl.LazyFrame:
    """Reject rows for `lines` (columns `source_line`, `raw`), each with its reason."""
    return lines.select(
        pl.lit(site).alias("site"),
        pl.lit(log_kind).alias("log_kind"),
        pl.lit(source_file).alias("source_file"),
        pl.col("source_line"),
        reason.alias("reason"),
        pl.col("raw").str.slice(0, REJECT_LINE_MAX_CHARS).alias("raw_line"),
    ).cast(pl.Schema(REJECT_SCHEMA))


def parse_access_lines(
    lines: pl.DataFrame, first_line: int, log_format: CompiledFormat, site: str, source_file: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split a batch of access-log lines into parsed hits and rejects.

    Hits have the lake's own columns (ip, vhost, ts, utc_offset_min, local_date, request,
    method, path, query, protocol, status, bytes...), not yet enriched.
    """
    columns = log_format.columns
    status = "status" if "status" in columns else "status_original"
    has_time, has_status, has_bytes = "ts_text" in columns, status in columns, "bytes" in columns
    fields = (
        numbered_lines(lines, first_line)
        .with_columns(pl.col("raw").str.extract_groups(log_format.pattern).alias("_fields"))
        .unnest("_fields")
        .with_columns(
            (
                pl.col("ts_text").str.strptime(UTC_TIMESTAMP, APACHE_TIME_FORMAT, strict=False)
                if has_time
                else pl.lit(None, UTC_TIMESTAMP)
            ).alias("ts"),
            (
                pl.col(status).cast(pl.Int16, strict=False)
                if has_status
                else pl.lit(None, pl.Int16)
            ).alias("_status"),
            (_number("bytes") if has_bytes else pl.lit(None, pl.Int64)).alias("_bytes"),
        )
    )
    reason = (
        pl.when(pl.col("raw") == "")
        .then(pl.lit(REASON_EMPTY))
        .when(pl.col("_m").is_null())
        .then(pl.lit(REASON_NO_MATCH))
        .when(pl.col("ts").is_null() & pl.lit(has_time))
        .then(pl.lit(REASON_BAD_TIME))
        .when(pl.col("_status").is_null() & pl.lit(has_status))
        .then(pl.lit(REASON_BAD_STATUS))
    )
    if has_bytes:
        reason = reason.when(pl.col("_bytes").is_null() & (pl.col("bytes") != "-")).then(
            pl.lit(REASON_BAD_BYTES)
        )
    checked = fields.with_columns(reason.alias("_reason"))
    rejects = rejects_lazy(
        checked.filter(pl.col("_reason").is_not_null()),
        pl.col("_reason"),
        site,
        "access",
        source_file,
    )
    hits = _shape_hits(checked.filter(pl.col("_reason").is_null()), log_format, site, source_file)
    hits_frame, rejects_frame = pl.collect_all([hits, rejects])
    if "ip" in columns:
        hits_frame, rejects_frame = _reject_bad_addresses(
            hits_frame, rejects_frame, numbered_lines(lines, first_line), site, source_file
        )
    if "request" in log_format.columns:
        hits_frame = split_requests_with_spaces(hits_frame)
    escaped = hits_frame.get_column("_escaped")
    return unescape_escaped_rows(hits_frame.drop("_escaped"), escaped), rejects_frame


def is_client_address(text: str) -> bool:
    """An IPv4 or IPv6 address in standard form, without a zone: `fe80::1%eth0` is no client on
    the Internet, and Apache refuses it in a `Require ip` line. (inet_pton, in C: ten times
    faster than the ipaddress module on a batch of IPv6 addresses.)
    """
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, text)
        except (OSError, ValueError):  # ValueError: a NUL byte in the text
            continue
        return True
    return False


def _reject_bad_addresses(
    hits: pl.DataFrame, rejects: pl.DataFrame, lines: pl.LazyFrame, site: str, source_file: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Hits whose client address is not an IP address become rejects: every later stage
    (GeoIP, visitor keys, blocklists) can then trust `ip`. `-` (none logged) is a null `ip`.

    Plain IPv4 addresses are recognised in Polars' engine; only the other distinct values go
    through Python, and the rare bad ones are taken back from the batch's lines.
    """
    ip = hits.get_column("ip").unique()
    unusual = ip.filter(ip.is_not_null() & ~ip.str.contains(_IPV4))
    bad = [text for text in unusual.to_list() if not is_client_address(text)]
    if not bad:
        return hits, rejects
    is_bad = pl.col("ip").is_in(bad)
    bad_lines = hits.filter(is_bad).get_column("source_line")
    more = rejects_lazy(
        lines.filter(pl.col("source_line").is_in(bad_lines.implode())),
        pl.lit(REASON_BAD_ADDRESS),
        site,
        "access",
        source_file,
    ).collect()
    return hits.filter(~is_bad), pl.concat([rejects, more])


def _text(columns: frozenset[str], name: str) -> pl.Expr:
    if name not in columns:
        return pl.lit(None, pl.String).alias(name)
    return _dash_is_null(pl.col(name)).alias(name)


def _utc_offset_minutes(columns: frozenset[str]) -> pl.Expr:
    """From the +HHMM or -HHMM that ends the time text (strptime has checked it)."""
    if "ts_text" not in columns:
        return pl.lit(None, pl.Int16)
    text = pl.col("ts_text")
    magnitude = text.str.slice(-4, 2).cast(pl.Int16) * 60 + text.str.slice(-2, 2).cast(pl.Int16)
    return pl.when(text.str.slice(-5, 1) == "-").then(-magnitude).otherwise(magnitude)


def _response_time(columns: frozenset[str]) -> pl.Expr:
    if "response_time_us" in columns:
        return _number("response_time_us")
    if "response_time_s" in columns:
        return _number("response_time_s") * 1_000_000
    if "response_time_ms" in columns:
        return _number("response_time_ms") * 1_000
    return pl.lit(None, pl.Int64)


def _shape_hits(
    good: pl.LazyFrame, log_format: CompiledFormat, site: str, source_file: str
) -> pl.LazyFrame:
    columns = log_format.columns
    shaped = good.with_columns(
        pl.lit(site).alias("site"),
        _text(columns, "vhost"),
        _utc_offset_minutes(columns).cast(pl.Int16).alias("utc_offset_min"),
        _text(columns, "ip"),
        _text(columns, "remote_user"),
        _text(columns, "referer"),
        _text(columns, "user_agent"),
        pl.col("_status").alias("status"),
        pl.col("_bytes").alias("bytes"),
        (_number("bytes_in") if "bytes_in" in columns else pl.lit(None, pl.Int64)).alias(
            "bytes_in"
        ),
        _response_time(columns).alias("response_time_us"),
        pl.lit(source_file).alias("source_file"),
        _extra(log_format).alias("extra"),
        pl.col("raw").str.contains("\\", literal=True).alias("_escaped"),
    ).with_columns(
        (pl.col("ts") + pl.duration(minutes=pl.col("utc_offset_min")))
        .dt.replace_time_zone(None)
        .dt.date()
        .alias("local_date"),
    )
    # Only the lake's columns go on: each other one would be copied by every later step.
    fields = [f.group for f in log_format.fields if f.group not in HIT_SCHEMA]
    return _with_request_parts(shaped, columns).drop(
        "raw", "_m", "_status", "_bytes", "_reason", "trailing", *fields, strict=False
    )


def _with_request_parts(frame: pl.LazyFrame, columns: frozenset[str]) -> pl.LazyFrame:
    """method, path, query, protocol: from %r when logged, else from %m %U %q %H.

    `request` is kept only when it is not METHOD TARGET [PROTOCOL]: otherwise it is exactly
    `method path[?query] protocol`, and storing it again would cost a third of the writing.
    """
    if "request" in columns:
        return split_request_lines(frame)
    method = pl.col("method") if "method" in columns else pl.lit(None, pl.String)
    path = pl.col("path") if "path" in columns else pl.lit(None, pl.String)
    query = (
        pl.col("query").str.strip_prefix("?").replace("", None)
        if "query" in columns
        else pl.lit(None, pl.String)
    )
    protocol = pl.col("protocol") if "protocol" in columns else pl.lit(None, pl.String)
    request = pl.concat_str(
        [method, path + pl.when(query.is_null()).then(pl.lit("")).otherwise("?" + query), protocol],
        separator=" ",
        ignore_nulls=True,
    )
    return frame.with_columns(
        method.alias("method"),
        path.alias("path"),
        query.alias("query"),
        protocol.alias("protocol"),
        pl.when(method.is_null()).then(request).alias("request"),
    )


def _extra(log_format: CompiledFormat) -> pl.Expr:
    """The fields without a column of their own, as a JSON object (null when there are none)."""
    extras = [
        unescape_apache(pl.col(f.group)).alias(f.column)
        for f in log_format.extra_fields
        if f.column != "identd"
    ]
    if log_format.name == "ovh":
        extras.append(pl.col("trailing").str.strip_chars().replace("", None).alias("trailing"))
    if not extras:
        return pl.lit(None, pl.String)
    any_value = pl.any_horizontal([e.is_not_null() for e in extras])
    return pl.when(any_value).then(pl.struct(extras).struct.json_encode())
