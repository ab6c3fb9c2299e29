"""The report as one self-contained HTML page: no request at all, hostile log text kept inert.

Tables are rendered by Jinja with autoescaping; chart figures travel as JSON in a
`<script type="application/json">` block written by Jinja's `tojson` (which escapes `<`, `>`,
`&` and `'`), read by the page's own script with `JSON.parse`. The chart library and the world
map are inlined from `vendor/`. A Content-Security-Policy allows only the page's own scripts and
styles, by their SHA-256 hashes, and no origin at all: a log string can neither run nor load.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from golkepar import __version__
from golkepar.report import format as fmt
from golkepar.report import labels
from golkepar.report.model import SWITCHABLE_CLASSES, ReportData, Row
from golkepar.report.period import Period
from golkepar.visitor_classes import CLASS_COLOURS, CLASS_LABELS, VISITOR_CLASSES

# Weekday names of the heat map, ISO order (1 = Monday).
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Paths and referers longer than this are cut in tables (the full text is in the title).
SHOWN_CHARS = 90


@dataclass(frozen=True)
class MonthLink:
    """A row of the monthly index: a month's page and its headline."""

    period: Period
    file_name: str
    data: ReportData


@cache
def _asset(name: str) -> str:
    return resources.files("golkepar.report").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("golkepar.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        count=fmt.count,
        size=fmt.size,
        percent=fmt.percent,
        duration=fmt.duration,
        day=fmt.day,
        country=labels.country_name,
        attack_kind=labels.attack_kind,
        bot_category=labels.bot_category,
        attack_kind_short=labels.attack_kind_short,
        device=labels.device_name,
        channel=labels.channel_name,
        cut=_cut,
    )
    return env


def _cut(text: str | None, chars: int = SHOWN_CHARS) -> str:
    if text is None:
        return ""
    return text if len(text) <= chars else text[: chars - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _by_class(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {name: [] for name in SWITCHABLE_CLASSES}
    for row in rows:
        grouped.setdefault(row["visitor_class"], []).append(row)
    return grouped


def _with_shares(rows: list[Row]) -> list[Row]:
    total = sum(r["visits"] for r in rows)
    return [{**r, "share": r["visits"] / total if total else None} for r in rows]


def _chart_data(data: ReportData) -> dict[str, Any]:
    """Everything the charts draw, as plain JSON values (log strings stay strings)."""
    days = [row["local_date"].isoformat() for row in data.daily]
    kinds = sorted({r["kind"] for r in data.security_daily})
    security = {kind: [0] * len(days) for kind in kinds}
    index = {d: i for i, d in enumerate(days)}
    for r in data.security_daily:
        security[r["kind"]][index[r["local_date"].isoformat()]] = r["events"]
    levels = sorted({r["level"] for r in data.error_log_daily})
    error_lines = {level: [0] * len(days) for level in levels}
    for r in data.error_log_daily:
        error_lines[r["level"]][index[r["local_date"].isoformat()]] = r["lines"]
    heat: dict[str, list[list[int]]] = defaultdict(list)
    for r in data.hour_weekday:
        heat[r["visitor_class"]].append([r["local_hour"], r["weekday"] - 1, r["hits"]])
    countries: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in data.countries:
        if r["country_code"]:
            countries[r["visitor_class"]].append(
                {
                    "name": r["country_code"],
                    "value": r["visitors"],
                    "label": labels.country_name(r["country_code"]),
                }
            )
    technology: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in data.technology:
        name = labels.device_name(r["value"]) if r["dimension"] == "device" else r["value"]
        technology[r["dimension"]][r["visitor_class"]].append(
            {"name": name, "value": r["visitors"]}
        )
    return {
        "colours": CLASS_COLOURS,
        "classLabels": CLASS_LABELS,
        "weekdays": WEEKDAYS,
        "days": days,
        "incompleteDays": [d.isoformat() for d in data.incomplete_days],
        "traffic": {
            "human": [r["human_hits"] for r in data.daily],
            "bot": [r["bot_hits"] for r in data.daily],
            "attacker": [r["attacker_hits"] for r in data.daily],
            "unknown": [r["other_hits"] for r in data.daily],
            "visits": [r["human_visits"] for r in data.daily],
        },
        "security": [
            {"kind": labels.attack_kind_short(kind), "events": security[kind]} for kind in kinds
        ],
        "status": {
            "4xx": [r["status_4xx"] for r in data.daily],
            "5xx": [r["status_5xx"] for r in data.daily],
        },
        "errorLines": [{"level": level, "lines": error_lines[level]} for level in levels],
        "heat": heat,
        "countries": countries,
        "technology": technology,
        "crawlers": [
            {"name": r["bot_name"], "hits": r["hits"], "bytes": r["bytes"]} for r in data.crawlers
        ],
    }


def _not_found_groups(rows: Iterable[Row]) -> list[dict[str, Any]]:
    by_origin: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_origin[row["origin"]].append(row)
    return [
        {
            "origin": origin,
            "label": label,
            "rows": by_origin[origin],
            "hits": by_origin[origin][0]["origin_hits"] if by_origin[origin] else 0,
            "links": by_origin[origin][0]["origin_links"] if by_origin[origin] else 0,
        }
        for origin, label in labels.NOT_FOUND_ORIGINS.items()
    ]


def _offsets_label(offsets: tuple[int, ...]) -> str:
    if not offsets:
        return "the logs' own time"
    return "the logs' local time (" + ", ".join(fmt.utc_offset(o) for o in offsets) + ")"


def _context(data: ReportData, *, index_link: str | None = None) -> dict[str, Any]:
    headline = [
        {
            "figure": f,
            "value": fmt.figure_value(f),
            "previous": fmt.figure_previous(f),
            "change": fmt.change(f)[0],
            "tone": fmt.change(f)[1],
        }
        for f in data.headline
    ]
    technology: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for r in data.technology:
        technology[r["dimension"]][r["visitor_class"]].append(r)
    blocklist_since = data.period.since.isoformat()
    site_flag = f" --site {data.site_filter}" if data.site_filter else ""
    return {
        "data": data,
        "title": ", ".join(data.sites) or "golkepar",
        "period_label": data.period.label(),
        "previous_label": data.previous.label(),
        "compared": data.previous.until >= data.first_day,
        "time_zone": _offsets_label(data.utc_offsets_min),
        "built_at": fmt.instant(data.built_at),
        "generated_by": f"golkepar {__version__}",
        "incomplete_days": [fmt.day(d) for d in data.incomplete_days],
        "headline": headline,
        "classes": [c for c in VISITOR_CLASSES if c.name in SWITCHABLE_CLASSES],
        "all_classes": VISITOR_CLASSES,
        "top_pages": _by_class(data.top_pages),
        "entry_pages": _by_class(r for r in data.entry_exit_pages if r["kind"] == "entry"),
        "exit_pages": _by_class(r for r in data.entry_exit_pages if r["kind"] == "exit"),
        "referrers": _by_class(data.referrers),
        "channels": {k: _with_shares(v) for k, v in _by_class(data.channels).items()},
        "search_engines": {k: _with_shares(v) for k, v in _by_class(data.search_engines).items()},
        "campaigns": _by_class(data.campaigns),
        "returning": {r["visitor_class"]: r for r in data.returning},
        "countries": {k: v[:15] for k, v in _by_class(data.countries).items()},
        "technology": technology,
        "not_found": _not_found_groups(data.not_found),
        "crawlers": data.crawlers,
        "attackers": data.attackers,
        "error_messages": data.error_messages,
        "security_total": sum(r["events"] for r in data.security_daily),
        "error_total": sum(r["lines"] for r in data.error_log_daily),
        "blocklist_command": f"golkepar blocklist --since {blocklist_since}{site_flag}"
        " > blocklist.htaccess",
        "index_link": index_link,
    }


def _class_colours_css() -> str:
    variables = "; ".join(f"--{name}: {colour}" for name, colour in CLASS_COLOURS.items())
    return f":root {{ {variables}; }}\n"


def _page(template: str, context: dict[str, Any], chart_data: dict[str, Any] | None) -> str:
    env = _environment()
    style = _class_colours_css() + _asset("templates/report.css")
    scripts = [_asset("vendor/echarts.min.js"), _asset("templates/report.js")]
    if chart_data is None:
        scripts = []
    world = json.loads(_asset("vendor/world.json")) if chart_data is not None else None
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + (" ".join(_csp_hash(s) for s in scripts) or "'none'"),
            f"style-src {_csp_hash(style)}",
            # Charts are canvas drawings; nothing else is loaded, from anywhere.
            "img-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return env.get_template(template).render(
        **context,
        csp=csp,
        style=style,
        scripts=scripts,
        chart_data=chart_data,
        world=world,
    )


def render_report(data: ReportData, *, index_link: str | None = None) -> str:
    """The report page of one period."""
    return _page("report.html", _context(data, index_link=index_link), _chart_data(data))


def render_index(months: list[MonthLink], sites: tuple[str, ...], built: dt.datetime | None) -> str:
    """The page that lists every month's report, newest first, with its headline figures."""
    rows = []
    for month in reversed(months):
        figures = {f.key: f for f in month.data.headline}
        rows.append(
            {
                "label": month.period.since.strftime("%B %Y"),
                "file_name": month.file_name,
                "visitors": fmt.figure_value(figures["visitors"]),
                "visits": fmt.figure_value(figures["visits"]),
                "pageviews": fmt.figure_value(figures["pageviews"]),
                "bytes": fmt.figure_value(figures["bytes"]),
                "attacker_share": fmt.figure_value(figures["attacker_share"]),
            }
        )
    context = {
        "title": ", ".join(sites) or "golkepar",
        "months": rows,
        "built_at": fmt.instant(built),
        "generated_by": f"golkepar {__version__}",
    }
    return _page("index.html", context, None)
