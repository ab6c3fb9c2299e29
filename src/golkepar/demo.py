"""`golkepar demo`: the whole pipeline, offline, on generated logs of a realistic site.

Writes sample logs (humans, bots, scanners, a daylight-saving day, odd lines), a GeoIP database
and crawler ranges built on the fly from the sample's networks, then runs ingest and build
into one folder, and writes the report. Nothing is fetched; nothing outside the folder is touched.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from golkepar._files import atomic_write_text
from golkepar.config import Settings
from golkepar.geoip.crawler_ranges import CRAWLERS
from golkepar.geoip.writer import write_mmdb
from golkepar.ingest.pipeline import IngestSummary, ingest_logs
from golkepar.report.write import ReportResult, write_report
from golkepar.sample import SAMPLE_NETWORKS, SampleLogs, write_site_logs
from golkepar.warehouse.build import BuildResult, build_warehouse

DEMO_SITE = "example.com"
# The week that holds the end of summer time in Europe (25 October 2026): the repeated hour
# of that night must come out in the right order.
DEMO_START = dt.date(2026, 10, 23)
DEMO_DAYS = 5
DEMO_HUMANS = 40
# Networks whose owners publish their crawler ranges: AS15169 (Googlebot), AS8075 (Bingbot).
_CRAWLER_RANGES = {"Googlebot": ("66.249.64.0/19", "2001:4860:4801::/48"),
                   "Bingbot": ("157.55.39.0/24", "40.77.167.0/24")}  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    """Where the demo wrote things, and what each stage said."""

    folder: Path
    settings: Settings
    sample: SampleLogs
    ingest: IngestSummary
    build: BuildResult
    report: ReportResult


def demo_settings(folder: Path) -> Settings:
    return Settings(
        ip_path_base=folder / "geoip",
        log_path_base=folder / "logs",
        parquet_path_base=folder / "lake",
        duckdb_file=folder / "golkepar.duckdb",
        ovh_stats_account_name=DEMO_SITE,
    )


def write_sample_geoip(folder: Path) -> None:
    """A City and an ASN database of the sample networks, and Google's and Bing's ranges."""
    city, asn = folder / "golkepar-sample-City.mmdb", folder / "golkepar-sample-ASN.mmdb"
    write_mmdb(city, SAMPLE_NETWORKS, "city", database_type="GeoLite2-City")
    write_mmdb(asn, SAMPLE_NETWORKS, "asn", database_type="GeoLite2-ASN")
    for crawler in CRAWLERS:
        cidrs = _CRAWLER_RANGES[crawler.name]
        prefixes = [{"ipv6Prefix" if ":" in cidr else "ipv4Prefix": cidr} for cidr in cidrs]
        document = {"creationTime": f"{DEMO_START}T00:00:00.000000", "prefixes": prefixes}
        atomic_write_text(folder / crawler.file_name, json.dumps(document, indent=2) + "\n")


def write_demo_inputs(settings: Settings) -> SampleLogs:
    """The sample site's logs and GeoIP data, where `settings` reads them."""
    sample = write_site_logs(
        settings.log_path_base,
        site=DEMO_SITE,
        start_date=DEMO_START,
        days=DEMO_DAYS,
        humans=DEMO_HUMANS,
        live=True,
    )
    write_sample_geoip(settings.ip_path_base)
    return sample


def run_demo(folder: Path) -> DemoResult:
    """Generate the sample site's logs and GeoIP data in `folder`, then ingest and build."""
    settings = demo_settings(folder.resolve())
    sample = write_demo_inputs(settings)
    ingested = ingest_logs(settings)
    built = build_warehouse(settings)
    reported = write_report(settings.duckdb_file)
    return DemoResult(folder.resolve(), settings, sample, ingested, built, reported)
