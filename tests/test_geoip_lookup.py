from __future__ import annotations

from pathlib import Path

import pytest

from golkepar.errors import GeoipError
from golkepar.geoip.lookup import GeoFacts, GeoLookup, describe_database
from golkepar.geoip.writer import NetworkRecord, write_mmdb

RECORDS = [
    NetworkRecord(
        "81.2.69.0/24", "GB", "England", "London", 51.5, -0.12, 20712, "Andrews & Arnold"
    ),
    NetworkRecord("2a01:cb00::/32", "FR", "Île-de-France", "Paris", 48.86, 2.35, 3215, "Orange"),
    NetworkRecord("8.8.8.0/24", "US", asn=15169, as_org="GOOGLE"),
]


@pytest.mark.parametrize("layout", ["nested", "flat"])
@pytest.mark.parametrize("ip_version", [4, 6])
def test_city_and_asn_from_either_layout(tmp_path: Path, layout: str, ip_version: int) -> None:
    write_mmdb(tmp_path / "a.mmdb", RECORDS, "city", layout, "anything", ip_version)  # type: ignore[arg-type]
    write_mmdb(tmp_path / "b.mmdb", RECORDS, "asn", layout, "anything", ip_version)  # type: ignore[arg-type]
    with GeoLookup.from_folder(tmp_path) as geo:
        london = geo.lookup("81.2.69.142")
        paris = geo.lookup("2a01:cb00:1234::1")
    assert london.country_code == "GB"
    assert london.city == "London"
    assert london.region == "England"
    assert london.latitude == pytest.approx(51.5, abs=1e-3)
    assert london.asn == 20712
    assert london.as_org == "Andrews & Arnold"
    if ip_version == 6:
        assert paris.city == "Paris"
        assert paris.asn == 3215
    else:
        assert paris == GeoFacts()  # an IPv6 client against IPv4-only files: unknown, no error


def test_databases_recognised_by_metadata_not_name(tmp_path: Path) -> None:
    write_mmdb(tmp_path / "whatever1.mmdb", RECORDS, "asn", database_type="GeoLite2-ASN")
    write_mmdb(tmp_path / "whatever2.mmdb", RECORDS, "city", database_type="DBIP-City-Lite")
    write_mmdb(tmp_path / "whatever3.mmdb", RECORDS, "city", "flat", database_type="unnamed")
    kinds = {p.name: describe_database(p) for p in sorted(tmp_path.glob("*.mmdb"))}
    assert kinds["whatever1.mmdb"].kind == "asn"
    assert kinds["whatever2.mmdb"].kind == "city"
    assert (kinds["whatever3.mmdb"].kind, kinds["whatever3.mmdb"].layout) == ("city", "flat")


@pytest.mark.parametrize("address", ["10.0.0.1", "not-an-ip", "", "::1"])
def test_unknown_addresses_give_empty_facts(tmp_path: Path, address: str) -> None:
    write_mmdb(tmp_path / "city.mmdb", RECORDS, "city")
    with GeoLookup.from_folder(tmp_path) as geo:
        assert geo.lookup(address) == GeoFacts()


def test_no_folder_means_no_facts(tmp_path: Path) -> None:
    with GeoLookup.from_folder(tmp_path / "missing") as geo:
        assert not geo.has_locations
        assert geo.lookup("81.2.69.142") == GeoFacts()


def test_corrupt_database_is_a_clear_error(tmp_path: Path) -> None:
    good = write_mmdb(tmp_path / "city.mmdb", RECORDS, "city")
    (tmp_path / "broken.mmdb").write_bytes(good.read_bytes()[:200])
    with pytest.raises(GeoipError, match=r"broken\.mmdb is not a valid MaxMind DB file"):
        GeoLookup.from_folder(tmp_path)


def _raw_mmdb(path: Path, database_type: str, network: str, record: dict[str, object]) -> None:
    """A database whose records have whatever shape is given (as one built by hand may)."""
    import mmdb_writer
    import netaddr

    writer = mmdb_writer.MMDBWriter(ip_version=6, database_type=database_type, ipv4_compatible=True)
    writer.insert_network(netaddr.IPSet([netaddr.IPNetwork(network)]), record)
    writer.to_db_file(str(path))


def test_records_of_the_wrong_shape_give_no_facts_not_an_error(tmp_path: Path) -> None:
    odd = {"country": {"iso_code": "FR"}, "subdivisions": "Bretagne", "city": ["Rennes"]}
    _raw_mmdb(tmp_path / "odd.mmdb", "GeoLite2-City", "81.2.69.0/24", odd)
    _raw_mmdb(tmp_path / "odder.mmdb", "GeoLite2-City", "8.8.8.0/24", {"country": "US"})
    with GeoLookup.from_folder(tmp_path) as geo:
        facts = geo.lookup("81.2.69.142")
        assert (facts.country_code, facts.region, facts.city) == ("FR", None, None)
        assert geo.lookup("8.8.8.8").country_code is None


def test_a_visitor_s_as_number_and_name_come_from_one_database(tmp_path: Path) -> None:
    # The first ASN database knows the name but not the number; the second knows both.
    partial = {"autonomous_system_organization": "Wrong Org"}
    _raw_mmdb(tmp_path / "a-asn.mmdb", "GeoLite2-ASN", "81.2.69.0/24", partial)
    write_mmdb(tmp_path / "b-asn.mmdb", RECORDS, "asn", database_type="GeoLite2-ASN")
    with GeoLookup.from_folder(tmp_path) as geo:
        facts = geo.lookup("81.2.69.142")
    assert (facts.asn, facts.as_org) == (20712, "Andrews & Arnold")


def test_a_zoned_ipv6_address_is_no_corrupt_database(tmp_path: Path) -> None:
    write_mmdb(tmp_path / "city.mmdb", RECORDS, "city", database_type="GeoLite2-City")
    with GeoLookup.from_folder(tmp_path) as geo:
        assert geo.lookup("fe80::1%eth0") == GeoFacts()
