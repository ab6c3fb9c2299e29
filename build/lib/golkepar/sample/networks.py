"""The networks every sample IP is drawn from, as the records a GeoIP database is built from.

The demo builds its GeoIP/ASN `.mmdb` from `SAMPLE_NETWORKS`, so each generated hit can be
enriched, and tests can check an address's country and ASN without any outside database.
"""

# Tables of records and User-Agents read best one per line, however long.
# ruff: noqa: E501

from __future__ import annotations

import ipaddress
import random
from functools import cache

from golkepar.geoip.writer import NetworkRecord

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


# Real allocations of the named operators, so the traffic looks like what a site owner sees;
# the crawler ranges are the ones Google and Microsoft publish for their bots.
SAMPLE_NETWORKS: tuple[NetworkRecord, ...] = (
    # France: home connections, mobile, and OVH's own data centres.
    NetworkRecord("90.12.0.0/16", "FR", "Île-de-France", "Paris", 48.8566, 2.3522, 3215, "Orange S.A."),
    NetworkRecord("82.64.0.0/16", "FR", "Auvergne-Rhône-Alpes", "Lyon", 45.764, 4.8357, 12322, "Free SAS"),
    NetworkRecord("109.208.0.0/16", "FR", "Nouvelle-Aquitaine", "Bordeaux", 44.8378, -0.5792, 15557, "Societe Francaise Du Radiotelephone - SFR SA"),
    NetworkRecord("37.164.0.0/16", "FR", "Occitanie", "Toulouse", 43.6047, 1.4442, 51207, "Free Mobile SAS"),
    NetworkRecord("51.68.0.0/16", "FR", "Hauts-de-France", "Roubaix", 50.6942, 3.1746, 16276, "OVH SAS"),
    NetworkRecord("54.36.148.0/24", "FR", "Hauts-de-France", "Roubaix", 50.6942, 3.1746, 16276, "OVH SAS"),
    NetworkRecord("2a01:e0a::/32", "FR", "Île-de-France", "Paris", 48.8566, 2.3522, 12322, "Free SAS"),
    NetworkRecord("2a01:cb00::/32", "FR", "Bretagne", "Rennes", 48.1173, -1.6778, 3215, "Orange S.A."),
    # Germany, United Kingdom, the Netherlands.
    NetworkRecord("79.192.0.0/16", "DE", "Berlin", "Berlin", 52.52, 13.405, 3320, "Deutsche Telekom AG"),
    NetworkRecord("2003:e0::/32", "DE", "Bavaria", "Munich", 48.1351, 11.582, 3320, "Deutsche Telekom AG"),
    NetworkRecord("88.198.0.0/16", "DE", "Saxony", "Falkenstein", 50.4779, 12.3713, 24940, "Hetzner Online GmbH"),
    NetworkRecord("86.128.0.0/16", "GB", "England", "London", 51.5074, -0.1278, 2856, "British Telecommunications PLC"),
    NetworkRecord("77.160.0.0/16", "NL", "North Holland", "Amsterdam", 52.3676, 4.9041, 1136, "KPN B.V."),
    # United States: homes, clouds, and the published crawler ranges.
    NetworkRecord("73.15.0.0/16", "US", "California", "San Jose", 37.3382, -121.8863, 7922, "Comcast Cable Communications, LLC"),
    NetworkRecord("66.249.64.0/19", "US", "California", "Mountain View", 37.386, -122.0838, 15169, "Google LLC"),
    NetworkRecord("2001:4860:4801::/48", "US", "California", "Mountain View", 37.386, -122.0838, 15169, "Google LLC"),
    NetworkRecord("157.55.39.0/24", "US", "Washington", "Redmond", 47.674, -122.1215, 8075, "Microsoft Corporation"),
    NetworkRecord("40.77.167.0/24", "US", "Washington", "Redmond", 47.674, -122.1215, 8075, "Microsoft Corporation"),
    NetworkRecord("20.171.206.0/23", "US", "Iowa", "Des Moines", 41.5868, -93.625, 8075, "Microsoft Corporation"),
    NetworkRecord("3.80.0.0/16", "US", "Virginia", "Ashburn", 39.0438, -77.4874, 14618, "Amazon.com, Inc."),
    NetworkRecord("167.99.0.0/16", "US", "New Jersey", "Clifton", 40.8584, -74.1638, 14061, "DigitalOcean, LLC"),
    NetworkRecord("185.191.171.0/24", "US", "Virginia", "Ashburn", 39.0438, -77.4874, 209366, "SEMrush CY LTD"),
    # Further away: the sources of much unwanted traffic, and growing audiences.
    NetworkRecord("218.92.0.0/16", "CN", "Jiangsu", "Nanjing", 32.0603, 118.7969, 4134, "Chinanet"),
    NetworkRecord("61.135.0.0/16", "CN", "Beijing", "Beijing", 39.9042, 116.4074, 4808, "China Unicom Beijing Province Network"),
    NetworkRecord("95.24.0.0/16", "RU", "Moscow", "Moscow", 55.7558, 37.6173, 8402, "PJSC Vimpelcom"),
    NetworkRecord("189.6.0.0/16", "BR", "São Paulo", "São Paulo", -23.5505, -46.6333, 28573, "Claro NXT Telecomunicacoes Ltda"),
    NetworkRecord("49.36.0.0/16", "IN", "Maharashtra", "Mumbai", 19.076, 72.8777, 55836, "Reliance Jio Infocomm Limited"),
)  # fmt: skip


@cache
def _parsed(cidr: str) -> IPNetwork:
    return ipaddress.ip_network(cidr)


def sample_network(cidr: str) -> NetworkRecord:
    """The sample network written as `cidr`."""
    for network in SAMPLE_NETWORKS:
        if network.cidr == cidr:
            return network
    raise KeyError(f"no sample network {cidr!r}: pick one of SAMPLE_NETWORKS")


def random_ip(network: NetworkRecord, rng: random.Random) -> str:
    """A host address inside `network` (never its network or broadcast address)."""
    parsed = _parsed(network.cidr)
    # IPv6 networks are huge and any host in them will do: the first 2**32 addresses suffice.
    span = min(parsed.num_addresses - 2, 2**32)
    return str(parsed.network_address + 1 + rng.randrange(span))


def network_of(ip: str) -> NetworkRecord | None:
    """The sample network that holds `ip`, or None."""
    address = ipaddress.ip_address(ip)
    for network in SAMPLE_NETWORKS:
        parsed = _parsed(network.cidr)
        if address.version == parsed.version and address in parsed:
            return network
    return None
