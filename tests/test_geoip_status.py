"""`folder_status` and `lookup_addresses` on real files in a folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geoip_helpers import BINGBOT, GOOGLEBOT, mmdb
from golkepar.errors import ConfigError, GeoipError
from golkepar.geoip.state import FileState, save_state
from golkepar.geoip.status import folder_status, lookup_addresses

NOW = "2026-11-28T09:30:00+00:00"


def _record(source: str) -> FileState:
    return FileState(source, "https://example.invalid/x", None, None, None, NOW, NOW)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "geoip"
    built = tmp_path / "built"
    folder.mkdir()
    (folder / "dbip-city-lite.mmdb").write_bytes(mmdb(built, "city", "DBIP-City-Lite"))
    (folder / "asn-ipv4.mmdb").write_bytes(mmdb(built, "asn", "asn ipv4", "flat", 4))
    (folder / "googlebot.json").write_text(json.dumps(GOOGLEBOT))
    (folder / "bingbot.json").write_text(json.dumps(BINGBOT))
    save_state(folder, {"dbip-city-lite.mmdb": _record("dbip")})
    return folder


def test_status_describes_each_file_and_its_source(folder: Path) -> None:
    status = folder_status(folder)
    by_name = {f.name: f for f in status.files}
    assert list(by_name) == [
        "asn-ipv4.mmdb",
        "dbip-city-lite.mmdb",
        "googlebot.json",
        "bingbot.json",
    ]
    city = by_name["dbip-city-lite.mmdb"]
    assert (city.kind, city.layout, city.database_type, city.ip_version, city.source) == (
        "city", "nested", "DBIP-City-Lite", 6, "dbip",
    )  # fmt: skip
    assert city.built_at is not None and city.built_at.tzinfo is not None
    asn = by_name["asn-ipv4.mmdb"]
    assert (asn.kind, asn.layout, asn.ip_version, asn.source) == ("asn", "flat", 4, None)
    google = by_name["googlebot.json"]
    assert (google.kind, google.prefixes) == ("crawler ranges", 2)
    assert google.built_at == dt.datetime(2026, 11, 27, 15, 46, 3, tzinfo=dt.UTC)
    assert status.warnings == ()


def test_status_warns_about_two_city_sources_and_broken_files(folder: Path, tmp_path: Path) -> None:
    (folder / "GeoLite2-City.mmdb").write_bytes(mmdb(tmp_path / "b", "city", "GeoLite2-City"))
    (folder / "broken.mmdb").write_bytes(b"not a database at all" * 10)
    (folder / "bingbot.json").write_text("{}")
    warnings = folder_status(folder).warnings
    assert any(
        "city databases from different sources" in w and "GeoLite2-City.mmdb answers first" in w
        for w in warnings
    )
    assert any(w.startswith("broken.mmdb: ") for w in warnings)
    assert any(w.startswith("bingbot.json: ") and "'prefixes'" in w for w in warnings)


def test_status_of_a_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    status = folder_status(tmp_path / "nowhere")
    assert status.files == ()
    assert status.warnings == (
        "no location database: run `golkepar geoip update`",
        "no ASN database: run `golkepar geoip update`",
    )


def test_lookup_gives_enrichment_and_verified_crawlers(folder: Path) -> None:
    googlebot, bingbot, london, paris = lookup_addresses(
        folder, ["66.249.64.10", "157.55.39.1", "81.2.69.142", "2a01:cb00::1"]
    )
    assert googlebot.crawler == "Googlebot"
    assert (googlebot.facts.city, googlebot.facts.asn) == ("Mountain View", 15169)
    assert bingbot.crawler == "Bingbot"
    assert london.crawler is None
    assert (london.facts.country_code, london.facts.as_org) == ("GB", "Andrews & Arnold")
    assert paris.facts.city == "Paris"
    assert paris.facts.asn is None  # the only ASN database is IPv4-only


def test_lookup_refuses_a_host_name_and_an_empty_folder(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'www\.example\.com' is not an IP address"):
        lookup_addresses(folder, ["8.8.8.8", "www.example.com"])
    with pytest.raises(GeoipError, match="no GeoIP database"):
        lookup_addresses(tmp_path / "empty", ["8.8.8.8"])


def test_status_finds_a_corrupt_data_section(tmp_path: Path) -> None:
    import maxminddb
    import mmdb_writer
    import netaddr

    folder = tmp_path / "geoip"
    folder.mkdir()
    path = folder / "GeoLite2-City.mmdb"
    writer = mmdb_writer.MMDBWriter(
        ip_version=6, database_type="GeoLite2-City", ipv4_compatible=True
    )
    # What a quick probe reads (8.8.8.8) first, then a hundred records no probe reaches.
    for n, network in enumerate(["8.8.8.0/24", *(f"10.0.{i}.0/24" for i in range(100))]):
        record = {"country": {"iso_code": "US"}, "city": {"names": {"en": f"Town {n:03d}"}}}
        writer.insert_network(netaddr.IPSet([netaddr.IPNetwork(network)]), record)
    writer.to_db_file(str(path))
    good = path.read_bytes()
    with maxminddb.open_database(str(path)) as reader:
        meta = reader.metadata()
    data_start = meta.node_count * meta.record_size // 4 + 16
    data_end = good.rindex(b"\xab\xcd\xefMaxMind.com")
    # Metadata, search tree and the first records intact; the last records' bytes garbage.
    cut = data_end - (data_end - data_start) // 3
    path.write_bytes(good[:cut] + b"\xff" * (data_end - cut) + good[data_end:])
    status = folder_status(folder)
    (city,) = status.files
    assert city.problem is not None and "corrupt data section" in city.problem
    assert any(w.startswith("GeoLite2-City.mmdb: ") for w in status.warnings)
