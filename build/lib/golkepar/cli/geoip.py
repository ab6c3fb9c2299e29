"""`golkepar geoip update|status|lookup`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated

import typer

from golkepar.cli._app import clear_errors, err, geoip_app, out, settings_with

if TYPE_CHECKING:
    from golkepar.geoip.update import UpdateReport


@geoip_app.command("update")
def geoip_update(
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="maxmind, dbip or ip-location-db [default: GEOIP_SOURCE, else maxmind when a "
            "licence key is configured, else dbip]",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Check every file, even one checked recently.")
    ] = False,
    max_age_days: Annotated[
        int | None,
        typer.Option("--max-age-days", help="Skip files checked fewer days ago [default: 7]."),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Download from this mirror instead.")
    ] = None,
    crawler_ranges: Annotated[
        bool,
        typer.Option(
            "--crawler-ranges/--no-crawler-ranges",
            help="Also keep Googlebot's and Bingbot's published IP ranges.",
        ),
    ] = True,
    wait: Annotated[
        float,
        typer.Option("--wait", help="Seconds to wait for another running update to finish."),
    ] = 0.0,
) -> None:
    """Download or refresh the GeoIP and ASN databases in IP_PATH_BASE.

    Each file is checked, then renamed over the old one; a failure keeps the old file.
    Example: golkepar geoip update --source dbip
    """
    from golkepar.geoip.update import update_geoip

    with clear_errors():
        settings = settings_with(
            geoip_source=source, geoip_max_age_days=max_age_days, geoip_base_url=base_url
        )
        report = update_geoip(
            settings, force=force, crawler_ranges=crawler_ranges, lock_timeout_s=wait
        )
    print_geoip_report(report)
    failures = report.failures
    if failures:
        first = failures[0].error
        raise typer.Exit(first.exit_code if first else 1)


def print_geoip_report(report: UpdateReport) -> None:
    for outcome in report.outcomes:
        if outcome.action == "failed":
            err.print(f"error: {outcome.name}: {outcome.detail}", markup=False, soft_wrap=True)
        else:
            line = f"{outcome.action:<9} {outcome.name}  {outcome.detail}".rstrip()
            out.print(line, markup=False, soft_wrap=True)
    if report.attribution:
        out.print(f"source: {report.source}: {report.attribution}", markup=False, soft_wrap=True)


def _age(built_at: dt.datetime | None, now: dt.datetime) -> str:
    if built_at is None:
        return ""
    days = (now - built_at).days
    return f"built {built_at:%Y-%m-%d} ({days} day{'' if days == 1 else 's'} old)"


@geoip_app.command("status")
def geoip_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Show each GeoIP database in IP_PATH_BASE with its type, build date and age.

    Also shows its record layout, IP version and the source it came from, and the crawler
    ranges. Example: golkepar geoip status
    """
    from golkepar.geoip.status import folder_status

    with clear_errors():
        status = folder_status(settings_with().ip_path_base)
    if as_json:
        files = [
            {**dataclasses.asdict(f), "built_at": f.built_at.isoformat() if f.built_at else None}
            for f in status.files
        ]
        body = {"folder": str(status.folder), "files": files, "warnings": list(status.warnings)}
        out.print_json(json.dumps(body))
        return
    now = dt.datetime.now(dt.UTC)
    out.print(f"IP_PATH_BASE {status.folder}", markup=False, soft_wrap=True)
    for f in status.files:
        if f.problem:
            continue
        if f.prefixes is not None:
            what = f"{f.kind}, {f.prefixes} prefixes"
        else:
            what = f"{f.kind}, {f.layout} layout, {f.database_type}, IPv{f.ip_version}"
        source = f"from {f.source}" if f.source else "not downloaded by golkepar"
        line = f"{f.name:<24} {what}  {_age(f.built_at, now)}  {source}"
        out.print(line, markup=False, soft_wrap=True)
    for warning in status.warnings:
        err.print(f"warning: {warning}", markup=False, soft_wrap=True)


@geoip_app.command("lookup")
def geoip_lookup(
    ips: Annotated[list[str], typer.Argument(help="IP addresses to look up.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Show what enrichment gives for IP addresses, from the databases in IP_PATH_BASE.

    Also says when an address lies in Googlebot's or Bingbot's published ranges.
    Example: golkepar geoip lookup 66.249.66.1 2a01:cb00::1
    """
    from golkepar.geoip.status import lookup_addresses

    with clear_errors():
        answers = lookup_addresses(settings_with().ip_path_base, ips)
    if as_json:
        rows = [{"ip": a.ip, **dataclasses.asdict(a.facts), "crawler": a.crawler} for a in answers]
        out.print_json(json.dumps(rows))
        return
    for answer in answers:
        facts = answer.facts
        out.print(answer.ip, markup=False)
        location = None
        if facts.latitude is not None and facts.longitude is not None:
            location = f"{facts.latitude:.4f}, {facts.longitude:.4f}"
        asn = f"AS{facts.asn} {facts.as_org or ''}".rstrip() if facts.asn is not None else None
        for label, value in (
            ("country", facts.country_code),
            ("region", facts.region),
            ("city", facts.city),
            ("location", location),
            ("asn", asn),
            ("crawler", f"{answer.crawler} (published range)" if answer.crawler else None),
        ):
            out.print(f"  {label:<9}{value if value is not None else '-'}", markup=False)
