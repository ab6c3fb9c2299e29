"""A synthetic lake of a busy site, written day by day as `golkepar ingest` writes a real one.

Used by bench/scale.py and bench/warehouse_build.py, and by tests/test_bench_scale.py. Each day
is one source in `_manifest.json` (the OVH archive `<site>/access/YYYY/MM/<site>-DD-MM-YYYY.log.gz`)
with one Parquet file under `hits/site=<site>/date=<day>/`, written by ingest's own
`OutputWriter` and recorded by the lake's own `Manifest`: same encoding, same atomic rename,
same manifest entry as a real ingest.

The traffic is made in DuckDB SQL from hashes of (day, visit slot, hit number), so any day can be
written on its own, in memory bounded by one day, and the same day always comes out the same:

- humans: most are seen on one day (a pool per day) or on two (a share of each day's visits
  come from the day before's pool); a pool of loyal visitors comes back every few days; a visit
  is a page with its assets, then more pages with an image each;
- crawlers (Googlebot, bingbot, GPTBot, ClaudeBot, AhrefsBot, SemrushBot, CCBot, a monitor, a
  script) come every day from a few addresses each, at any hour;
- attackers: twenty a day drawn from a few hundred addresses, probing secret files, admin pages,
  SQL injection, path traversal or brute-forcing wp-login.php; and now and then a loyal visitor
  probes `/.env` once, which turns its whole history into an attacker's;
- visits cross midnight: a few start at 23:50 every day, and any late visit runs on; their hits
  after midnight are in the next day's file, as in OVH's daily logs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from golkepar.geoip.lookup import GeoLookup
from golkepar.ingest.enrich import NON_PAGE_PATHS, Enricher
from golkepar.ingest.lake import OutputWriter, delete_outputs, source_id_for
from golkepar.lake.contract import ASSET_EXTENSIONS
from golkepar.lake.manifest import Manifest, SourceEntry
from golkepar.sample import vocabulary as v
from golkepar.sample.classification import UPTIMEROBOT
from golkepar.sample.networks import sample_network

SITE = "example.com"
FIRST_DAY = dt.date(2026, 11, 2)
TIME_ZONE = "Europe/Paris"
# Rows handed from DuckDB to the Parquet writer at a time: the harness's memory stays flat.
BATCH_ROWS = 65_536
# What DuckDB may hold while it makes a day (it spills beyond).
GENERATOR_MEMORY = "1GB"
# Roughly 25 bytes of gzip a line: the `size` a real day's archive would have.
GZIP_BYTES_PER_LINE = 25
# Visits that start at 23:50, 23:51... every day and run past midnight.
NIGHT_OWLS = 3
# Attackers at work each day, drawn from ATTACKERS addresses.
ATTACKERS_A_DAY = 20
ATTACKERS = 300
# One loyal visit in this many ends with a probe of /.env: a visitor turned attacker.
TURNCOAT_EVERY = 400
# Articles of the blog besides the named pages: a few are read much more than the rest.
ARTICLES = 2_000

HOME_NETWORKS = (
    "90.12.0.0/16", "82.64.0.0/16", "109.208.0.0/16", "37.164.0.0/16", "79.192.0.0/16",
    "86.128.0.0/16", "77.160.0.0/16", "73.15.0.0/16", "189.6.0.0/16", "49.36.0.0/16",
)  # fmt: skip
# (User-Agent, network): each crawler comes from IPS_PER_CRAWLER addresses of its network.
CRAWLERS = (
    (v.GOOGLEBOT, "66.249.64.0/19"),
    (v.GOOGLEBOT_SMARTPHONE, "66.249.64.0/19"),
    (v.BINGBOT, "157.55.39.0/24"),
    (v.BINGBOT, "40.77.167.0/24"),
    (v.GPTBOT, "20.171.206.0/23"),
    (v.CLAUDEBOT, "3.80.0.0/16"),
    (v.AHREFSBOT, "54.36.148.0/24"),
    (v.SEMRUSHBOT, "185.191.171.0/24"),
    (v.CCBOT, "3.80.0.0/16"),
    (v.PYTHON_REQUESTS, "167.99.0.0/16"),
    (UPTIMEROBOT, "51.68.0.0/16"),
)
IPS_PER_CRAWLER = 4
ATTACK_AGENTS = (v.SQLMAP, v.NIKTO, v.ZGRAB, v.WPSCAN, v.OLD_CHROME, v.OLD_FIREFOX, v.GO_HTTP)
ATTACK_NETWORKS = ("218.92.0.0/16", "61.135.0.0/16", "95.24.0.0/16", "167.99.0.0/16",
                   "88.198.0.0/16", "3.80.0.0/16")  # fmt: skip
PROBES = (
    *v.SENSITIVE_FILES, *v.ADMIN_PROBES, *v.SQLI_PATHS, *v.TRAVERSAL_PATHS, *v.XSS_PATHS,
    *v.WP_ENUMERATION,
)  # fmt: skip

# One local day's hits, every $name bound by `_parameters`.
DAY_HITS = (Path(__file__).parent / "synthetic_lake.sql").read_text()


@dataclass(frozen=True)
class Traffic:
    """How much traffic a day holds, and where the calendar starts."""

    hits_per_day: int
    first_day: dt.date = FIRST_DAY
    site: str = SITE

    @property
    def day_visitors(self) -> int:
        """Each day's pool of new visitors: most visit once, some twice, some come back."""
        return max(10, self.hits_per_day // 20)

    @property
    def loyal_visitors(self) -> int:
        return max(10, self.hits_per_day // 16)

    def date_of(self, day: int) -> dt.date:
        return self.first_day + dt.timedelta(days=day)

    def source_key(self, day: int) -> str:
        """The day's archive, named as `golkepar fetch` stores it under LOG_PATH_BASE."""
        date = self.date_of(day)
        name = f"{self.site}-{date:%d-%m-%Y}.log.gz"
        return f"{self.site}/access/{date:%Y}/{date:%m}/{name}"


@dataclass(frozen=True)
class DayFile:
    """One day written to the lake."""

    date: dt.date
    source_key: str
    files: list[Path]
    hits: int


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the agents and networks the traffic is drawn from."""
    con = duckdb.connect(config={"memory_limit": GENERATOR_MEMORY})
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    con.execute(
        "CREATE MACRO roll(a, b) AS (hash(a, b) >> 1)::BIGINT, "
        "(a, b, c) AS (hash(a, b, c) >> 1)::BIGINT"
    )
    con.execute(
        "CREATE TABLE agents (agent_id INTEGER, user_agent VARCHAR, browser VARCHAR, "
        "browser_version VARCHAR, os VARCHAR, device VARCHAR, is_bot BOOLEAN, bot_name VARCHAR)"
    )
    con.executemany("INSERT INTO agents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _agent_rows())
    con.execute(
        "CREATE TABLE networks (network_id INTEGER, base BIGINT, span BIGINT, "
        "country_code VARCHAR, region VARCHAR, city VARCHAR, latitude DOUBLE, longitude DOUBLE, "
        "asn BIGINT, as_org VARCHAR)"
    )
    con.executemany("INSERT INTO networks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _network_rows())
    return con


def _agents() -> list[str]:
    return list(dict.fromkeys([*v.BROWSERS, *(ua for ua, _ in CRAWLERS), *ATTACK_AGENTS]))


def _networks() -> list[str]:
    return list(dict.fromkeys([*HOME_NETWORKS, *(n for _, n in CRAWLERS), *ATTACK_NETWORKS]))


def _agent_rows() -> list[tuple[object, ...]]:
    """Each User-Agent with the facts ingest's own enrichment finds in it."""
    enricher = Enricher(GeoLookup([]), salt=b"synthetic lake salt", anonymize_ips=False)
    return [(i, ua, *enricher.user_agent_facts(ua)) for i, ua in enumerate(_agents())]


def _network_rows() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for i, cidr in enumerate(_networks()):
        record = sample_network(cidr)
        network = ipaddress.IPv4Network(cidr)
        span = min(network.num_addresses - 2, 65_534)
        place = (record.country_code, record.region, record.city)
        rows.append((i, int(network.network_address), span, *place, record.latitude,
                     record.longitude, record.asn, record.as_org))  # fmt: skip
    return rows


def _parameters(traffic: Traffic, day: int) -> dict[str, object]:
    agents, networks = _agents(), _networks()
    return {
        "day": day,
        "first_day": traffic.first_day,
        "hits_per_day": traffic.hits_per_day,
        # Enough visit slots for any mix of visit lengths (a visit has 7 hits at least).
        "slots": traffic.hits_per_day // 7 + NIGHT_OWLS + 1 + len(CRAWLERS),
        "night_owls": NIGHT_OWLS,
        "day_visitors": traffic.day_visitors,
        "loyal_visitors": traffic.loyal_visitors,
        "crawlers": len(CRAWLERS),
        "crawler_visitors": len(CRAWLERS) * IPS_PER_CRAWLER,
        "ips_per_crawler": IPS_PER_CRAWLER,
        "attackers_a_day": ATTACKERS_A_DAY,
        "attackers": ATTACKERS,
        "turncoat_every": TURNCOAT_EVERY,
        "articles": ARTICLES,
        "browser_agents": [agents.index(ua) for ua in v.BROWSERS],
        "crawler_agents": [agents.index(ua) for ua, _ in CRAWLERS],
        "attack_agents": [agents.index(ua) for ua in ATTACK_AGENTS],
        "home_networks": [networks.index(n) for n in HOME_NETWORKS],
        "crawler_networks": [networks.index(n) for _, n in CRAWLERS],
        "attack_networks": [networks.index(n) for n in ATTACK_NETWORKS],
        "pages": list(v.PAGES),
        "assets": list(v.PAGE_ASSETS),
        "image_folder": v.IMAGE_FOLDER,
        "probes": list(PROBES),
        "search_referers": list(v.SEARCH_REFERERS),
        "social_referers": list(v.SOCIAL_REFERERS),
        "asset_pattern": r"(?i)\.(?:" + "|".join(ASSET_EXTENSIONS) + r")$",
        "non_page_paths": NON_PAGE_PATHS,
        "time_zone": TIME_ZONE,
        "site": traffic.site,
        "source_file": traffic.source_key(day),
    }


def day_batches(
    con: duckdb.DuckDBPyConnection, traffic: Traffic, day: int
) -> Iterator[pl.DataFrame]:
    """The hits of local day number `day` (0 is `traffic.first_day`), in log order."""
    result = con.sql(DAY_HITS, params=_parameters(traffic, day))
    for batch in result.to_arrow_reader(BATCH_ROWS):
        rows = pl.from_arrow(batch)
        assert isinstance(rows, pl.DataFrame)
        yield rows


def write_day(
    lake: Path, traffic: Traffic, day: int, con: duckdb.DuckDBPyConnection | None = None
) -> DayFile:
    """Write day number `day` into the lake as ingest would: Parquet first, then the manifest.

    Writing a day again makes a new generation of its source and deletes the old file.
    """
    own = con is None
    con = connect() if con is None else con
    try:
        manifest = Manifest.load(lake)
        key = traffic.source_key(day)
        source_id = source_id_for(key)
        previous = manifest.get(key)
        generation = previous.generation + 1 if previous else 1
        writer = OutputWriter(lake, key, source_id, generation)
        hits = 0
        try:
            for batch in day_batches(con, traffic, day):
                writer.write("hits", batch)
                hits += batch.height
            outputs = writer.commit()
        except BaseException:
            writer.abort()
            raise
    finally:
        if own:
            con.close()
    date = traffic.date_of(day)
    ingested = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(6, 15), dt.UTC)
    entry = SourceEntry(
        source_id=source_id,
        generation=generation,
        kind="access",
        site=traffic.site,
        log_date=date.isoformat(),
        live=False,
        superseded=False,
        size=hits * GZIP_BYTES_PER_LINE,
        mtime_ns=int(ingested.timestamp()) * 10**9,
        sha256=hashlib.sha256(f"{key} {traffic.hits_per_day} {generation}".encode()).hexdigest(),
        format="ovh",
        lines=hits,
        hits=hits,
        rejects=0,
        outputs=outputs,
        ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    delete_outputs(lake, manifest.record(key, entry))
    return DayFile(date, key, [lake / path for path in outputs["hits"]], hits)


def write_lake(lake: Path, traffic: Traffic, days: int) -> list[DayFile]:
    """Write days 0 to `days - 1`, one after the other, in one DuckDB session."""
    lake.mkdir(parents=True, exist_ok=True)
    with connect() as con:
        return [write_day(lake, traffic, day, con) for day in range(days)]
