"""The addresses that attacked a site, as `.htaccess` rules or CSV.

OVH web hosting has no fail2ban and no firewall of its own: `Require not ip` lines in the site's
`.htaccess` are what a customer can deploy. Addresses come from the built warehouse's
`security_events`.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

import duckdb

from golkepar.errors import BuildError, ConfigError, one_line

FORMATS = ("htaccess", "csv")
_RELATIVE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class OffendingAddress:
    """One IP address and what it did."""

    ip: str
    events: int
    kinds: tuple[str, ...]
    sites: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A start instant from `2026-11-01`, `2026-11-01T08:00:00+01:00`, or `7d`, `24h`, `2w` ago."""
    now = now or datetime.now(UTC)
    relative = _RELATIVE.match(text.strip().lower())
    if relative:
        amount, unit = relative.groups()
        try:
            return now - timedelta(**{_UNITS[unit]: int(amount)})
        except (OverflowError, ValueError):
            raise ConfigError(
                f"--since {text!r} reaches back before year 1: give a shorter duration or a date"
            ) from None
    try:
        if len(text.strip()) == 10:
            day = date.fromisoformat(text.strip())
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            f"--since {text!r} is not a date (2026-11-01), an instant (2026-11-01T08:00:00+01:00) "
            "or a duration (24h, 7d, 2w)"
        ) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def offending_addresses(
    duckdb_file: Path, since: datetime | None = None, site: str | None = None
) -> tuple[OffendingAddress, ...]:
    """The addresses with security events (since `since`, on `site`), most events first."""
    if not duckdb_file.is_file():
        raise BuildError(
            f"no warehouse at {str(duckdb_file)!r}: run `golkepar build` first, "
            "or set DUCKDB_FILE to the database it wrote"
        )
    query = resources.files("golkepar.warehouse").joinpath("sql", "queries", "blocklist.sql")
    try:
        con = duckdb.connect(str(duckdb_file), read_only=True)
        try:
            rows = con.execute(
                query.read_text(encoding="utf-8"), {"since": since, "site": site}
            ).fetchall()
        finally:
            con.close()
    except duckdb.Error as e:
        raise BuildError(
            f"cannot read security events from {str(duckdb_file)!r} ({one_line(e)}): "
            "run `golkepar build` again"
        ) from e
    return tuple(
        OffendingAddress(ip, int(events), tuple(kinds), tuple(sites), first, last)
        for ip, events, kinds, sites, first, last in rows
    )


def _valid_ip(ip: str) -> bool:
    """An address Apache accepts in `Require not ip`: no zone (`fe80::1%eth0`), no host name."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return address.version == 4 or address.scope_id is None


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    """`value`, with a leading apostrophe when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and value != "-":
        return "'" + value
    return value


def render_htaccess(addresses: tuple[OffendingAddress, ...], since: datetime | None = None) -> str:
    """Apache 2.4 rules refusing each address, with its reasons as comments.

    Lines that are not IP addresses (a log's `-`) are left out: a bad `Require` line would make
    Apache answer 500 for the whole site.
    """
    valid = [a for a in addresses if _valid_ip(a.ip)]
    scope = f"since {since.isoformat()}" if since else "in the whole warehouse"
    lines = [
        f"# golkepar blocklist: {len(valid)} addresses with security events {scope}.",
        "# Paste into the site's .htaccess (Apache 2.4).",
    ]
    if not valid:
        lines.append("# No address to block.")
        return "\n".join(lines) + "\n"
    lines += ["<RequireAll>", "    Require all granted"]
    for a in valid:
        reasons = ", ".join(a.kinds)
        events = "1 event" if a.events == 1 else f"{a.events} events"
        last = a.last_seen.astimezone(UTC)
        lines.append(f"    # {events}: {reasons}; last {last:%Y-%m-%d %H:%M} UTC")
        lines.append(f"    Require not ip {a.ip}")
    lines.append("</RequireAll>")
    return "\n".join(lines) + "\n"


def render_csv(addresses: tuple[OffendingAddress, ...]) -> str:
    """One row per address: ip, events, kinds and sites (space-separated), first and last seen."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["ip", "events", "kinds", "sites", "first_seen", "last_seen"])
    for a in addresses:
        row = [
            a.ip,
            a.events,
            " ".join(a.kinds),
            " ".join(a.sites),
            a.first_seen.astimezone(UTC).isoformat(),
            a.last_seen.astimezone(UTC).isoformat(),
        ]
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue()
