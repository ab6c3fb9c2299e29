"""The one crawler-ranges reader: what the vendors publish, and nothing else, for every stage."""

from __future__ import annotations

import ipaddress
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golkepar.errors import BuildError, GeoipError
from golkepar.geoip.crawler_ranges import (
    CRAWLERS,
    published_ranges,
    read_crawler_ranges,
    validate_crawler_ranges,
)
from golkepar.geoip.status import lookup_addresses
from golkepar.geoip.writer import NetworkRecord, write_mmdb
from golkepar.warehouse.searchbots import load_search_bot_ranges

networks = st.one_of(
    st.builds(
        ipaddress.IPv4Network, st.tuples(st.ip_addresses(v=4), st.integers(0, 32)), st.just(False)
    ),
    st.builds(
        ipaddress.IPv6Network, st.tuples(st.ip_addresses(v=6), st.integers(0, 128)), st.just(False)
    ),
)


def _validate(document: object) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "googlebot.json"
        path.write_text(json.dumps(document))
        return validate_crawler_ranges(path)


@given(st.lists(networks, min_size=1, max_size=20))
def test_every_published_shape_is_accepted(
    prefixes: list[ipaddress.IPv4Network | ipaddress.IPv6Network],
) -> None:
    entries = [{f"ipv{n.version}Prefix": str(n)} for n in prefixes]
    document = {"creationTime": "2026-11-27T15:46:03.000000", "prefixes": entries}
    assert _validate(document) == len(prefixes)


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"prefixes": "66.249.64.0/27"},
        {"prefixes": [{"ipv4Prefix": "66.249.64.0/27", "ipv6Prefix": "2001:db8::/32"}]},
        {"prefixes": [{"prefix": "66.249.64.0/27"}]},
        {"prefixes": [{"ipv6Prefix": "66.249.64.0/27"}]},
        {"prefixes": [{"ipv4Prefix": 42}]},
    ],
)
def test_anything_else_is_refused(document: object) -> None:
    with pytest.raises(GeoipError, match="crawler range"):
        _validate(document)


@given(st.lists(networks, min_size=1, max_size=20))
def test_the_reader_gives_back_the_networks_published(
    prefixes: list[ipaddress.IPv4Network | ipaddress.IPv6Network],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bingbot.json"
        path.write_text(
            json.dumps({"prefixes": [{f"ipv{n.version}Prefix": str(n)} for n in prefixes]})
        )
        assert read_crawler_ranges(path) == tuple(prefixes)


def _publish(folder: Path, file_name: str, *cidrs: str) -> None:
    prefixes = [{"ipv6Prefix" if ":" in c else "ipv4Prefix": c} for c in cidrs]
    (folder / file_name).write_text(json.dumps({"prefixes": prefixes}))


def test_geoip_lookup_and_build_read_the_same_files(tmp_path: Path) -> None:
    google, bing = CRAWLERS
    _publish(tmp_path, google.file_name, "66.249.64.0/27", "2001:4860:4801:10::/64")
    _publish(tmp_path, bing.file_name, "157.55.39.0/24")
    record = NetworkRecord("66.249.64.0/19", "US", None, None, None, None, 15169, "Google LLC")
    write_mmdb(tmp_path / "asn.mmdb", [record], "asn", database_type="GeoLite2-ASN")

    published = published_ranges(tmp_path)
    answers = lookup_addresses(tmp_path, ["66.249.64.5", "157.55.39.9", "66.249.65.1"])
    ranges = {r.bot: r for r in load_search_bot_ranges(tmp_path)}

    assert {c.name: len(n) for c, n in published.items()} == {"Googlebot": 2, "Bingbot": 1}
    assert [a.crawler for a in answers] == ["Googlebot", "Bingbot", None]
    assert ranges["Googlebot"].networks == published[google]
    assert ranges["Bingbot"].contains("157.55.39.9") and not ranges["Bingbot"].contains("x")


def test_no_ranges_file_is_fine_and_a_damaged_one_is_named(tmp_path: Path) -> None:
    assert published_ranges(tmp_path) == {}
    assert load_search_bot_ranges(tmp_path) == ()
    (tmp_path / CRAWLERS[1].file_name).write_text('{"prefixes": [{"ipv4Prefix": "nonsense"}]}')

    with pytest.raises(
        BuildError, match=r"bingbot\.json.*'nonsense' is not a network.*geoip update"
    ):
        load_search_bot_ranges(tmp_path)
