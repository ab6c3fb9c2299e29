"""The crawler-range check accepts what the vendors publish and nothing else."""

from __future__ import annotations

import ipaddress
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golkepar.errors import GeoipError
from golkepar.geoip.crawler_ranges import validate_crawler_ranges

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
