from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golkepar.errors import LogFormatError
from golkepar.ingest.logformat import PRESETS, compile_format, detect_preset

OVH_LINE = (
    '203.0.113.9 www.example.com - [27/Nov/2026:10:14:29 +0100] "GET /blog/?p=1 HTTP/1.1" '
    '200 5123 "https://www.google.com/" "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"'
)
COMBINED_LINE = OVH_LINE.replace("www.example.com", "-", 1)
COMMON_LINE = COMBINED_LINE.split(' "https')[0]
VHOST_LINE = "www.example.com:443 " + COMBINED_LINE


def _groups(format_string: str, line: str) -> dict[str, str | None]:
    compiled = compile_format(format_string)
    match = re.match(compiled.pattern, line)
    assert match, f"{format_string!r} did not match {line!r}"
    named = {f.group: f.column for f in compiled.fields}
    return {named.get(k, k): v for k, v in match.groupdict().items() if k != "_m"}


@pytest.mark.parametrize(
    ("preset", "line", "expected"),
    [
        ("ovh", OVH_LINE, {"vhost": "www.example.com", "status": "200", "bytes": "5123"}),
        ("combined", COMBINED_LINE, {"referer": "https://www.google.com/", "ip": "203.0.113.9"}),
        ("common", COMMON_LINE, {"request": "GET /blog/?p=1 HTTP/1.1", "remote_user": "-"}),
        ("vhost_combined", VHOST_LINE, {"vhost": "www.example.com", "port": "443"}),
    ],
)
def test_presets_capture_their_fields(preset: str, line: str, expected: dict[str, str]) -> None:
    groups = _groups(preset, line)
    for column, value in expected.items():
        assert groups[column] == value


def test_seed_log_format_works_as_given() -> None:
    seed = '%h %l %u %t \\"%m %U%q %H\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"'
    groups = _groups(seed, COMBINED_LINE)
    assert groups["method"] == "GET"
    assert groups["path"] == "/blog/"
    assert groups["query"] == "?p=1"
    assert groups["protocol"] == "HTTP/1.1"
    assert groups["user_agent"] == "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"


def test_every_listed_directive_compiles() -> None:
    everything = (
        '%h %a %l %u %t "%r" %m %U%q %H %>s %s %b %B %O %I %D %T %v %V %p '
        '"%{Referer}i" "%{X-Forwarded-For}i" "%{Content-Type}o" "%{UNIQUE_ID}e" %%'
    )
    compiled = compile_format(everything)
    assert {
        "ip",
        "remote_user",
        "ts_text",
        "request",
        "status",
        "bytes",
        "vhost",
    } <= compiled.columns
    assert {f.column for f in compiled.extra_fields} >= {"X-Forwarded-For", "Content-Type"}


def test_ovh_lines_may_carry_extra_fields_at_the_end() -> None:
    groups = _groups("ovh", OVH_LINE + " 0.123 upstream=1")
    assert groups["trailing"] == " 0.123 upstream=1"


def test_quoted_fields_keep_escaped_quotes() -> None:
    line = OVH_LINE.replace("Mozilla/5.0", 'Mozilla/5.0 \\"quoted\\" \\\\ end')
    assert (
        _groups("ovh", line)["user_agent"]
        == 'Mozilla/5.0 \\"quoted\\" \\\\ end (X11; Linux x86_64) Firefox/120.0'
    )


@pytest.mark.parametrize(
    ("format_string", "message"),
    [
        ("%h %Z", "directive '%Z' is not supported"),
        ("%h %{%Y-%m-%d}t", "is not supported"),
        ("apache-default", "unknown log format 'apache-default'"),
        ("%h %{Foo", "has an incomplete or unknown directive at '%{Foo'"),
        ('%h "%{User-Agent"', "incomplete or unknown directive at '%{User-Agent'"),
        ("%h 100%", "incomplete or unknown directive at '%'"),
    ],
)
def test_unsupported_formats_are_named(format_string: str, message: str) -> None:
    with pytest.raises(LogFormatError, match=re.escape(message)):
        compile_format(format_string)


@pytest.mark.parametrize(
    ("lines", "preset"),
    [
        ([OVH_LINE] * 3, "ovh"),
        ([COMBINED_LINE] * 3, "combined"),
        ([COMMON_LINE] * 3, "common"),
        ([VHOST_LINE] * 3, "vhost_combined"),
        ([OVH_LINE, "garbage", OVH_LINE], "ovh"),
        # A few lines with a `-` vhost (a request with no Host header) among OVH lines.
        ([COMBINED_LINE, *[OVH_LINE] * 49], "ovh"),
        ([*[OVH_LINE] * 40, *[COMBINED_LINE] * 10], "ovh"),
        ([*[COMBINED_LINE] * 40, *[OVH_LINE] * 2], "combined"),
    ],
)
def test_detects_the_preset(lines: list[str], preset: str) -> None:
    detected = detect_preset(lines)
    assert detected is not None
    assert detected.name == preset


def test_detection_gives_up_on_garbage() -> None:
    assert detect_preset(["hello world", "<html>"]) is None


_field_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\'),
    max_size=40,
)


@given(
    user_agent=_field_text,
    referer=_field_text,
    path=st.from_regex(r"/[a-z0-9/._-]{0,30}", fullmatch=True),
)
def test_any_quoted_content_round_trips(user_agent: str, referer: str, path: str) -> None:
    line = (
        f'198.51.100.7 example.com - [01/Jan/2026:00:00:00 +0000] "GET {path} HTTP/1.1" 200 1 '
        f'"{referer}" "{user_agent}"'
    )
    groups = _groups(PRESETS["ovh"], line)
    assert groups["user_agent"] == user_agent
    assert groups["referer"] == referer
    assert groups["request"] == f"GET {path} HTTP/1.1"


@pytest.mark.parametrize("format_string", ["%h %h %h", "%h %l %l %u %t", '%h "%{X}i" "%{X}i"'])
def test_a_field_logged_twice_keeps_both_values(format_string: str) -> None:
    compiled = compile_format(format_string)
    extra = [f.column for f in compiled.extra_fields]
    assert len(extra) == len(set(extra))


@given(st.text(alphabet='%hlut{}<>!,0123456789 "iaXbs', max_size=30))
def test_any_format_string_compiles_or_is_refused_with_a_clear_error(text: str) -> None:
    try:
        compiled = compile_format(text)
    except LogFormatError as e:
        assert "\n" not in str(e)
        return
    re.compile(compiled.pattern)
    names = [f.column for f in compiled.extra_fields]
    assert len(names) == len(set(names))
