"""The report for a terminal (a quick look over SSH): headline figures and the top tables.

Returns rich renderables; the CLI prints them. Log text is given to rich as `Text`, never as
markup, so a `[bold]` in a path is printed as it is.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from golkepar.report import format as fmt
from golkepar.report import labels
from golkepar.report.model import ReportData, Row

TERMINAL_ROWS = 10
_TONES = {"good": "green", "bad": "red", "neutral": "default"}
# Control characters of a log line would move the cursor or recolour the terminal.
_CONTROL = dict.fromkeys([*range(32), 127], "?")


def _plain(text: object, width: int = 60) -> Text:
    shown = str(text if text is not None else "").translate(_CONTROL)
    return Text(shown if len(shown) <= width else shown[: width - 1] + "\N{HORIZONTAL ELLIPSIS}")


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", expand=False)
    for column in columns:
        numeric = column in {"Views", "Visitors", "Visits", "Hits", "Requests", "Bandwidth"}
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    return table


def _human(rows: tuple[Row, ...]) -> list[Row]:
    return [r for r in rows if r["visitor_class"] == "human"][:TERMINAL_ROWS]


def terminal_report(data: ReportData) -> RenderableType:
    """Headline with changes, then top pages, referrers, countries, crawlers and attackers."""
    title = Text(f"{', '.join(data.sites)} · {data.period.label()}", style="bold")
    compared = (
        f"compared with {data.previous.label()}"
        if data.previous.until >= data.first_day
        else "nothing earlier to compare with"
    )
    subtitle = Text(
        f"{data.period.days} days, {compared}; data built {fmt.instant(data.built_at)}",
        style="dim",
    )
    parts: list[RenderableType] = [title, subtitle]
    if data.incomplete_days:
        days = ", ".join(fmt.day(d) for d in data.incomplete_days)
        parts.append(Text(f"incomplete day: {days} (still being logged)", style="yellow"))
    headline = _table("Headline", "Figure", "This period", "Change", "Before")
    for column in headline.columns[1:]:
        column.justify = "right"
    for figure in data.headline:
        change, tone = fmt.change(figure)
        headline.add_row(
            figure.label,
            fmt.figure_value(figure),
            Text(change, style=_TONES[tone]),
            fmt.figure_previous(figure),
        )
    parts.append(headline)

    pages = _table("Top pages (humans)", "Page", "Views", "Visitors")
    for r in _human(data.top_pages):
        pages.add_row(_plain(r["path"]), fmt.count(r["views"]), fmt.count(r["visitors"]))
    parts.append(pages)

    channels = _table("Channels (human visits)", "Channel", "Visits")
    for r in _human(data.channels):
        channels.add_row(labels.channel_name(r["channel"]), fmt.count(r["visits"]))
    parts.append(channels)

    referrers = _table("Referring sites (humans)", "Site", "Visits")
    for r in _human(data.referrers):
        referrers.add_row(_plain(r["host"]), fmt.count(r["visits"]))
    parts.append(referrers)

    countries = _table("Countries (humans)", "Country", "Visitors", "Visits")
    for r in _human(data.countries):
        countries.add_row(
            labels.country_name(r["country_code"]), fmt.count(r["visitors"]), fmt.count(r["visits"])
        )
    parts.append(countries)

    crawlers = _table("Crawlers", "Crawler", "Kind", "Hits", "Bandwidth")
    for r in data.crawlers[:TERMINAL_ROWS]:
        crawlers.add_row(
            _plain(r["bot_name"], 40),
            labels.bot_category(r["bot_category"]),
            fmt.count(r["hits"]),
            fmt.size(r["bytes"]),
        )
    parts.append(crawlers)

    attackers = _table("Addresses that attacked most", "Address", "Where", "What", "Requests")
    for r in data.attackers[:TERMINAL_ROWS]:
        attackers.add_row(
            _plain(r["ip"], 40),
            labels.country_name(r["country_code"]),
            ", ".join(labels.attack_kind_short(k) for k in r["kinds"]),
            fmt.count(r["events"]),
        )
    parts.append(attackers)
    return Group(*parts)
