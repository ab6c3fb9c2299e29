"""Apache `LogFormat` strings and named presets, compiled to one regular expression.

The expression uses named groups that are the lake's column names (`ip`, `ts_text`, `request`,
`status`...), so the parser never needs to know which format a file was written in. It runs in
Polars' regex engine (Rust `regex`: no look-around, no back-references).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from golkepar.errors import LogFormatError

PRESETS: dict[str, str] = {
    # OVH web hosting writes the virtual host where Apache writes the identd field, and may add
    # fields at the end of the line.
    "ovh": '%h %V %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    "vhost_combined": '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
    "combined": '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    "common": '%h %l %u %t "%r" %>s %b',
}
# Detection tries presets in this order; the first with the most matching lines wins.
DETECTION_ORDER = ("ovh", "vhost_combined", "combined", "common")
# Presets whose lines may carry extra fields after the last known one.
_TRAILING_FIELDS_ALLOWED = frozenset({"ovh"})

# One directive: %[conditions][<|>][{argument}]letter (see Apache's mod_log_config).
_DIRECTIVE = re.compile(r"%(?:!?\d{3}(?:,\d{3})*)?([<>])?(?:\{([^}]*)\})?([a-zA-Z%])")

_QUOTED_TEXT = r'(?:[^"\\]|\\.)*'
_TOKEN = r"\S*"
_TOKEN_IN_QUOTES = r'(?:[^\s"\\]|\\.)*'

# Header names with a column of their own; other %{...}i headers go to `extra`.
_HEADER_COLUMNS = {"referer": "referer", "user-agent": "user_agent"}


@dataclass(frozen=True)
class Field:
    """One capture group of the compiled expression."""

    group: str  # regex group name (a lake column, or x0, x1... for `extra` fields)
    column: str  # column it feeds, or the name it gets inside `extra`
    directive: str  # the directive as written, for messages


@dataclass(frozen=True)
class CompiledFormat:
    """A LogFormat turned into a Polars-compatible regex plus what each group means."""

    name: str  # preset name, or the format string itself
    format_string: str
    pattern: str
    fields: tuple[Field, ...]

    @property
    def columns(self) -> frozenset[str]:
        return frozenset(f.column for f in self.fields if not f.group.startswith("x"))

    @property
    def extra_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.group.startswith("x"))


def _column_for(code: str, modifier: str | None, argument: str | None) -> str | None:
    """The lake column a directive feeds, or None for `extra`."""
    if code == "i" and argument is not None:
        return _HEADER_COLUMNS.get(argument.lower())
    return {
        "h": "ip",
        "a": "ip" if argument is None else None,
        "u": "remote_user",
        "t": "ts_text",
        "r": "request",
        "m": "method",
        "U": "path",
        "q": "query",
        "H": "protocol",
        "s": "status" if modifier == ">" else "status_original",
        "b": "bytes",
        "B": "bytes",
        "O": "bytes",
        "I": "bytes_in",
        "D": "response_time_us",
        "T": "response_time_s" if argument in (None, "s") else f"response_time_{argument}",
        "v": "vhost",
        "V": "vhost",
    }.get(code)


_EXTRA_NAMES = {
    "l": "identd",
    "p": "port",
    "P": "pid",
    "A": "local_ip",
    "f": "filename",
    "k": "keepalive",
    "L": "log_id",
    "R": "handler",
    "X": "connection_status",
    "S": "bytes_transferred",
    "h": "remote_host",
    "a": "client_ip",
    "v": "server_name",
    "V": "server_name",
}
_SUPPORTED = set("hauDtrmUqHsbBOITvVlpPAfkLRXSie") | {"o", "n", "C"}


def _group_pattern(code: str, in_quotes: bool, alone_in_quotes: bool) -> str:
    if code == "q":
        return r'(?:\?[^\s"]*)?'
    if code == "U":
        return r'[^\s"?]*' if in_quotes else r"[^\s?]*"
    if in_quotes:
        return _QUOTED_TEXT if alone_in_quotes else _TOKEN_IN_QUOTES
    if code == "r":
        return r".*?"
    return _TOKEN


def _check_literal(literal: str, format_string: str) -> None:
    """Text between directives holds no `%`: one there starts a directive that is cut short
    or unknown (`%{Foo`), which would make every line a reject."""
    if "%" in literal:
        start = literal.index("%")
        raise LogFormatError(
            f"log format {format_string!r} has an incomplete or unknown directive at "
            f"{literal[start : start + 12]!r}: write it as %x, %>s or %{{Header}}i, and a "
            "literal percent sign as %%"
        )


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`... when it is taken already; the result is taken."""
    unique, number = name, 1
    while unique in taken:
        number += 1
        unique = f"{name}_{number}"
    taken.add(unique)
    return unique


def compile_format(format_or_preset: str) -> CompiledFormat:
    """Compile a preset name or an Apache LogFormat string; unsupported directives are errors."""
    name = format_or_preset.strip()
    format_string = PRESETS.get(name.lower(), name)
    # Formats copied from an Apache config or a .env keep their escaped quotes: \" is ".
    format_string = format_string.replace('\\"', '"')
    if "%" not in format_string:
        raise LogFormatError(
            f"unknown log format {format_or_preset!r}: use a preset "
            f"({', '.join(PRESETS)}) or an Apache LogFormat string such as {PRESETS['combined']!r}"
        )
    parts: list[str] = []
    fields: list[Field] = []
    used_columns: set[str] = set()
    position = 0
    in_quotes = False
    extra_names: set[str] = set()
    for match in _DIRECTIVE.finditer(format_string):
        literal = format_string[position : match.start()]
        _check_literal(literal, format_string)
        in_quotes ^= literal.count('"') % 2 == 1
        parts.append(re.escape(literal).replace(r"\ ", " "))
        position = match.end()
        modifier, argument, code = match.groups()
        directive = match.group(0)
        if code == "%":
            parts.append("%")
            continue
        if code not in _SUPPORTED or (code == "t" and argument is not None):
            raise LogFormatError(
                f"log format directive {directive!r} is not supported "
                f"(in {format_string!r}); supported: %h %a %l %u %t %r %m %U %q %H %>s %s %b "
                "%B %O %I %D %T %v %V %p %{NAME}i %{NAME}o %{NAME}e"
            )
        column = _column_for(code, modifier, argument)
        if column in used_columns:
            column = None  # a second source of the same column (%h and %a): keep it in extra
        before = format_string[match.start() - 1 : match.start()]
        after = format_string[match.end() : match.end() + 1]
        alone = in_quotes and before == '"' and after == '"'
        group_pattern = _group_pattern(code, in_quotes, alone)
        if column is None:
            group = f"x{len(fields)}"
            column = argument if argument and code in "ioenC" else _EXTRA_NAMES.get(code, code)
            # A field logged twice (`%h %h`, `%{X}i %{X}i`) needs two names in `extra`.
            column = _unique(column, extra_names)
        else:
            group = column
            used_columns.add(column)
        fields.append(Field(group=group, column=column, directive=directive))
        if code == "t":  # %t writes its own brackets: [10/Oct/2000:13:55:36 -0700]
            parts.append(rf"\[(?P<{group}>[^\]]*)\]")
        else:
            parts.append(f"(?P<{group}>{group_pattern})")
    tail = format_string[position:]
    _check_literal(tail, format_string)
    parts.append(re.escape(tail).replace(r"\ ", " "))
    # (?: .*)? rather than an optional group around .*: the same lines, three times faster.
    trailing = r"(?P<trailing>(?: .*)?)$" if name.lower() in _TRAILING_FIELDS_ALLOWED else r"\s*$"
    # `_m` is an empty group that is "" on every matching line and null on the others.
    pattern = "^(?P<_m>)" + "".join(parts) + trailing
    if not fields:
        raise LogFormatError(f"log format {format_string!r} has no fields")
    return CompiledFormat(
        name=name.lower() if name.lower() in PRESETS else format_string,
        format_string=format_string,
        pattern=pattern,
        fields=tuple(fields),
    )


def share_matching(compiled: CompiledFormat, lines: Sequence[str]) -> float:
    """The share of `lines` that `compiled` matches (0 for no lines)."""
    if not lines:
        return 0.0
    regex = re.compile(compiled.pattern)
    return sum(1 for line in lines if regex.match(line)) / len(lines)


def detect_preset(sample_lines: Sequence[str]) -> CompiledFormat | None:
    """The preset that matches most of the sample lines, or None when none matches any.

    An OVH line and a combined line have the same shape; OVH writes a virtual host where
    Apache writes the identd `-`. So `ovh` counts only when most of the lines it matches name
    a virtual host: a few odd lines (a `-` vhost) do not make a whole OVH file `combined`.
    """
    best: tuple[int, CompiledFormat] | None = None
    for preset in DETECTION_ORDER:
        compiled = compile_format(preset)
        regex = re.compile(compiled.pattern)
        matches = [found for line in sample_lines if (found := regex.match(line))]
        score = len(matches)
        if preset == "ovh":
            named = sum(1 for found in matches if found.group("vhost") not in ("-", ""))
            score = score if named * 2 > score else 0
        if score and (best is None or score > best[0]):
            best = (score, compiled)
    return best[1] if best else None
