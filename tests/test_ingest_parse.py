"""Parsing batches of lines: every line is a hit or a reject with a reason."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from golkepar.ingest.errorlog import parse_error_lines
from golkepar.ingest.logformat import compile_format
from golkepar.ingest.parse import (
    REQUEST_LINE,
    parse_access_lines,
    request_parts,
    split_request_lines,
)

UTC = dt.UTC
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def ovh(
    request: str = "GET / HTTP/1.1",
    status: str = "200",
    size: str = "512",
    when: str = "27/Nov/2026:10:14:29 +0100",
    ip: str = "203.0.113.9",
    referer: str = "-",
    agent: str = BROWSER,
) -> str:
    return f'{ip} www.example.com - [{when}] "{request}" {status} {size} "{referer}" "{agent}"'


def parse(lines: list[str], log_format: str = "ovh") -> tuple[pl.DataFrame, pl.DataFrame]:
    hits, rejects = parse_access_lines(
        pl.DataFrame({"raw": lines}, schema={"raw": pl.String}),
        1,
        compile_format(log_format),
        "example.com",
        "example.com-27-11-2026.log.gz",
    )
    assert hits.height + rejects.height == len(lines)
    return hits.sort("source_line"), rejects.sort("source_line")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            ovh(),
            {"method": "GET", "path": "/", "query": None, "protocol": "HTTP/1.1", "status": 200},
        ),
        (ovh("GET /a?b=1&c=2?d HTTP/1.1"), {"path": "/a", "query": "b=1&c=2?d"}),
        (ovh("-", "408", "-"), {"request": "-", "method": None, "path": None, "bytes": None}),
        (
            ovh("\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03", "400", "-"),
            {
                "method": None,
                "path": None,
                "request": "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03",
            },
        ),
        (
            ovh(agent='Mozilla \\"quoted\\" back\\\\slash'),
            {"user_agent": 'Mozilla "quoted" back\\slash'},
        ),
        (ovh(ip="2001:db8::42"), {"ip": "2001:db8::42"}),
        (ovh(referer="-", agent="-"), {"referer": None, "user_agent": None}),
        (ovh("GET /" + "a" * 20000 + " HTTP/1.1"), {"path": "/" + "a" * 20000}),
        (
            ovh("GET /x HTTP/1.0", when="01/Jan/2026:00:30:00 -0500"),
            {"utc_offset_min": -300, "local_date": dt.date(2026, 1, 1)},
        ),
        (ovh("get /lower HTTP/1.1"), {"method": "get", "path": "/lower"}),
        (ovh("GET /x"), {"method": "GET", "path": "/x", "protocol": None}),
        (
            ovh("GET /?id=1' AND SLEEP(5)-- - HTTP/1.1"),
            {
                "method": "GET",
                "path": "/",
                "query": "id=1' AND SLEEP(5)-- -",
                "protocol": "HTTP/1.1",
                "request": None,
            },
        ),
    ],
)
def test_odd_but_valid_lines_are_hits(line: str, expected: dict[str, object]) -> None:
    hits, rejects = parse([line])
    assert rejects.is_empty()
    row = hits.row(0, named=True)
    for column, value in expected.items():
        assert row[column] == value, column


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("garbage", "does not match the log format"),
        (ovh()[:60], "does not match the log format"),
        ("", "empty line"),
        (ovh(when="31/Feb/2026:10:14:29 +0100"), "invalid timestamp"),
        (ovh(when="27/Nov/2026:25:14:29 +0100"), "invalid timestamp"),
        (ovh(status="abc"), "non-numeric status"),
        (ovh(size="12kB"), "non-numeric byte count"),
    ],
)
def test_unreadable_lines_are_rejects_with_a_reason(line: str, reason: str) -> None:
    hits, rejects = parse([ovh(), line, ovh()])
    assert hits["source_line"].to_list() == [1, 3]
    assert rejects.to_dicts() == [
        {
            "site": "example.com",
            "log_kind": "access",
            "source_file": "example.com-27-11-2026.log.gz",
            "source_line": 2,
            "reason": reason,
            "raw_line": line,
        }
    ]


def test_rejected_lines_are_capped() -> None:
    _, rejects = parse(["x" * 100_000])
    assert len(rejects["raw_line"][0]) == 8192


def test_timestamps_are_utc_instants_and_keep_their_offset() -> None:
    hits, _ = parse(
        [ovh(when="27/Nov/2026:10:14:29 +0100"), ovh(when="27/Jun/2026:10:14:29 +0200")]
    )
    assert hits["ts"].to_list() == [
        dt.datetime(2026, 11, 27, 9, 14, 29, tzinfo=UTC),
        dt.datetime(2026, 6, 27, 8, 14, 29, tzinfo=UTC),
    ]
    assert hits["utc_offset_min"].to_list() == [60, 120]


def test_the_repeated_hour_of_a_dst_change_sorts_in_real_order() -> None:
    # Europe/Paris, 25 October 2026: 02:00-02:59 happens at +0200, then again at +0100.
    written = [
        ovh("GET /1 HTTP/1.1", when="25/Oct/2026:02:40:00 +0200"),
        ovh("GET /2 HTTP/1.1", when="25/Oct/2026:02:10:00 +0100"),
        ovh("GET /3 HTTP/1.1", when="25/Oct/2026:02:50:00 +0100"),
    ]
    hits, _ = parse(written)
    assert hits.sort("ts")["path"].to_list() == ["/1", "/2", "/3"]
    assert set(hits["local_date"].to_list()) == {dt.date(2026, 10, 25)}


def test_local_date_is_the_date_in_the_logged_offset() -> None:
    hits, _ = parse(
        [ovh(when="27/Nov/2026:23:59:59 -0330"), ovh(when="28/Nov/2026:00:30:00 +0100")]
    )
    assert hits["local_date"].to_list() == [dt.date(2026, 11, 27), dt.date(2026, 11, 28)]


def test_seed_format_with_separate_request_fields() -> None:
    seed = '%h %l %u %t \\"%m %U%q %H\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"'
    line = '198.51.100.7 - alice [27/Nov/2026:10:14:29 +0100] "POST /wp-login.php?x=1 HTTP/1.1" 302 0 "-" "curl/8.1"'
    hits, rejects = parse([line], seed)
    assert rejects.is_empty()
    row = hits.row(0, named=True)
    assert (row["method"], row["path"], row["query"], row["remote_user"]) == (
        "POST",
        "/wp-login.php",
        "x=1",
        "alice",
    )
    assert row["request"] is None  # it is exactly method path?query protocol: not stored again
    assert row["vhost"] is None


def test_extra_fields_are_kept_as_json() -> None:
    line = (
        '198.51.100.7 "10.0.0.1, 10.0.0.2" 1500 [27/Nov/2026:10:14:29 +0100] "GET / HTTP/1.1" 200 5'
    )
    hits, _ = parse([line], '%h "%{X-Forwarded-For}i" %D %t "%r" %>s %b')
    row = hits.row(0, named=True)
    assert row["extra"] == '{"X-Forwarded-For":"10.0.0.1, 10.0.0.2"}'
    assert row["response_time_us"] == 1500


def test_error_log_lines_of_both_apache_versions() -> None:
    lines = [
        "[Fri Nov 27 10:14:29.123456 2026] [proxy_fcgi:error] [pid 1234:tid 5] [client 203.0.113.9:51234] "
        "AH01071: Got error 'PHP message: PHP Fatal error:  Uncaught Error in /home/x.php:3'",
        "[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration",
        "[Sun Oct 25 02:30:00 2026] [core:notice] [pid 1] AH00094: Command line: 'apache2'",
        "not an error line",
    ]
    errors, rejects = parse_error_lines(
        pl.DataFrame({"raw": lines}), 1, "example.com", "error.log", "Europe/Paris"
    )
    rows = errors.sort("source_line").to_dicts()
    assert [r["level"] for r in rows] == ["error", "error", "notice"]
    assert [r["module"] for r in rows] == ["proxy_fcgi", None, "core"]
    assert [r["client_ip"] for r in rows] == ["203.0.113.9", "127.0.0.1", None]
    assert rows[0]["php_level"] == "Fatal error"
    assert rows[0]["ts"] == dt.datetime(2026, 11, 27, 9, 14, 29, tzinfo=UTC)
    # The repeated hour: read as the first (summer-time) 02:30.
    assert rows[2]["ts"] == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert rejects["reason"].to_list() == ["does not match the Apache error log format"]


# Pieces of request lines: methods, targets and protocols, and what breaks their shape
# (several spaces, tabs and Unicode spaces, escapes, a TLS handshake, non-ASCII letters).
_REQUEST_PIECES = st.sampled_from(
    [
        *("GET", "get", "POST", "M-SEARCH", "A" * 33, "1GET", "HTTP/1.1", "HTTP/2", "HTTP/", "/"),
        *(" ", "  ", "?", "??", "a", "é", ".", "-", "_", "\t", "\xa0", "\u3000", "\x85", "\x0b"),
        *("\\x16\\x03\\x01", '\\"', "\\\\", "%20", "' AND 1=1-- -"),
    ]
)


def _split_both_ways(requests: list[str | None]) -> tuple[pl.DataFrame, pl.DataFrame]:
    frame = pl.DataFrame({"request": requests}, schema={"request": pl.String})
    columns = ["request", "method", "path", "query", "protocol"]
    by_expression = frame.select(request_parts(pl.col("request"), REQUEST_LINE))
    by_splitting = split_request_lines(frame.lazy()).collect()
    return by_expression.select(columns), by_splitting.select(columns)


@pytest.mark.parametrize(
    ("request_line", "expected"),
    [
        ("GET / HTTP/1.1", (None, "GET", "/", None, "HTTP/1.1")),
        ("GET /a?b=1?c HTTP/1.1", (None, "GET", "/a", "b=1?c", "HTTP/1.1")),
        ("GET /x", (None, "GET", "/x", None, None)),
        ("GET", ("GET", None, None, None, None)),
        ("GET ", ("GET ", None, None, None, None)),
        ("GET /x ", ("GET /x ", None, None, None, None)),
        ("GET  /x HTTP/1.1", ("GET  /x HTTP/1.1", None, None, None, None)),
        ("GET /x HTTP/1.1 extra", ("GET /x HTTP/1.1 extra", None, None, None, None)),
        ("GET /x\tHTTP/1.1", ("GET /x\tHTTP/1.1", None, None, None, None)),
        ("GET /\xa0x HTTP/1.1", ("GET /\xa0x HTTP/1.1", None, None, None, None)),
        ("GET /x HTTPS", ("GET /x HTTPS", None, None, None, None)),
        ("-", ("-", None, None, None, None)),
        ("", ("", None, None, None, None)),
        (None, (None, None, None, None, None)),
        ("\\x16\\x03\\x01\\x02\\x00", ("\\x16\\x03\\x01\\x02\\x00", None, None, None, None)),
        ("A" * 33 + " / HTTP/1.1", ("A" * 33 + " / HTTP/1.1", None, None, None, None)),
        ("M-SEARCH * HTTP/1.1", (None, "M-SEARCH", "*", None, "HTTP/1.1")),
        ("GET /" + "a" * 6000 + " HTTP/1.1", (None, "GET", "/" + "a" * 6000, None, "HTTP/1.1")),
        ('GET /\\"q\\" HTTP/1.0', (None, "GET", '/\\"q\\"', None, "HTTP/1.0")),
    ],
)
def test_request_lines_split_as_the_expression_reads_them(
    request_line: str | None, expected: tuple[str | None, ...]
) -> None:
    by_expression, by_splitting = _split_both_ways([request_line])
    assert by_splitting.row(0) == expected
    assert by_expression.row(0) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.lists(_REQUEST_PIECES, max_size=8).map("".join), st.text(), st.none()),
        min_size=1,
        max_size=30,
    )
)
def test_splitting_request_lines_gives_what_the_expression_gives(
    requests: list[str | None],
) -> None:
    by_expression, by_splitting = _split_both_ways(requests)
    assert by_splitting.rows() == by_expression.rows()
