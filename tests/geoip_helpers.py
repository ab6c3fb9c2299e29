"""Real test data for the geoip tests: `.mmdb` files, archives and crawler ranges, built in code,
and a loopback server playing MaxMind, DB-IP, ip-location-db and the search engines."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from golkepar.config import Settings
from golkepar.geoip.download import GEOIP_RETRY, DownloadPolicy
from golkepar.geoip.lookup import Kind, Layout
from golkepar.geoip.writer import NetworkRecord, write_mmdb

ACCOUNT_ID = "424242"
LICENSE_KEY = "Sup3rSecretLicenceKey_x9"
BASIC_AUTH = "Basic " + base64.b64encode(f"{ACCOUNT_ID}:{LICENSE_KEY}".encode()).decode()

RECORDS = [
    NetworkRecord(
        "81.2.69.0/24", "GB", "England", "London", 51.5, -0.12, 20712, "Andrews & Arnold"
    ),
    NetworkRecord("2a01:cb00::/32", "FR", "Île-de-France", "Paris", 48.86, 2.35, 3215, "Orange"),
    NetworkRecord(
        "66.249.64.0/24", "US", "California", "Mountain View", 37.4, -122.1, 15169, "GOOGLE"
    ),
]

GOOGLEBOT = {
    "creationTime": "2026-11-27T15:46:03.000000",
    "prefixes": [{"ipv6Prefix": "2001:4860:4801:10::/64"}, {"ipv4Prefix": "66.249.64.0/27"}],
}
BINGBOT = {
    "creationTime": "2026-11-20T10:00:00.000000",
    "prefixes": [{"ipv4Prefix": "157.55.39.0/24"}, {"ipv4Prefix": "207.46.13.0/24"}],
}


def mmdb(
    folder: Path,
    kind: Kind,
    database_type: str,
    layout: Layout = "nested",
    ip_version: int = 6,
    records: list[NetworkRecord] | None = None,
) -> bytes:
    """The bytes of a real database written by the project's own writer."""
    path = folder / f"built-{database_type}-{kind}-{layout}-{ip_version}.bin"
    folder.mkdir(parents=True, exist_ok=True)
    write_mmdb(path, records or RECORDS, kind, layout, database_type, ip_version)
    return path.read_bytes()


def targz(members: dict[str, bytes]) -> bytes:
    """A tar.gz holding `members` (name -> content)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def maxmind_archive(edition: str, database: bytes) -> bytes:
    """MaxMind's layout: `<EDITION>_<YYYYMMDD>/<EDITION>.mmdb` beside a licence file."""
    folder = f"{edition}_20261127"
    return targz({f"{folder}/LICENSE.txt": b"GeoLite2 EULA", f"{folder}/{edition}.mmdb": database})


def gz(content: bytes) -> bytes:
    return gzip.compress(content)


def sha256_line(content: bytes, file_name: str) -> str:
    return f"{hashlib.sha256(content).hexdigest()}  {file_name}\n"


def fast_policy(
    waits: list[float], attempts: int = 3, max_bytes: int = 50_000_000, timeout_s: float = 10.0
) -> DownloadPolicy:
    """Retries without sleeping: the waits asked for are recorded instead."""
    retry = replace(
        GEOIP_RETRY, attempts=attempts, base_delay_s=0.0, timeout_s=timeout_s, sleep=waits.append
    )
    return DownloadPolicy(retry=retry, max_bytes=max_bytes)


def base_url(httpserver: HTTPServer) -> str:
    return httpserver.url_for("/").rstrip("/")


def settings_for(httpserver: HTTPServer, folder: Path, **fields: object) -> Settings:
    """Settings that point every source and the crawler ranges at the loopback server."""
    base = base_url(httpserver)
    values: dict[str, object] = {
        "ip_path_base": folder,
        "maxmind_base_url": base,
        "dbip_base_url": base,
        "ip_location_db_base_url": f"{base}/releases/latest",
        "googlebot_ranges_url": f"{base}/google/googlebot.json",
        "bingbot_ranges_url": f"{base}/bing/bingbot.json",
    }
    values.update(fields)
    return Settings(**values)  # type: ignore[arg-type]


def maxmind_settings(httpserver: HTTPServer, folder: Path, **fields: object) -> Settings:
    return settings_for(
        httpserver,
        folder,
        geoip_source="maxmind",
        maxmind_account_id=ACCOUNT_ID,
        maxmind_license_key=LICENSE_KEY,
        **fields,
    )


def serve_crawler_ranges(httpserver: HTTPServer) -> tuple[bytes, bytes]:
    """Publish both vendors' files; return their exact bytes."""
    google = json.dumps(GOOGLEBOT, indent=2).encode()
    bing = json.dumps(BINGBOT).encode()
    httpserver.expect_request("/google/googlebot.json").respond_with_data(
        google, content_type="application/json"
    )
    httpserver.expect_request("/bing/bingbot.json").respond_with_data(
        bing, content_type="application/json"
    )
    return google, bing


def serve_maxmind(httpserver: HTTPServer, edition: str, archive: bytes, checksum: str) -> str:
    """Play MaxMind's download API for `edition`: basic auth, then a redirect to the file host.

    The file host is the same server under another origin (127.0.0.1 instead of localhost), as
    MaxMind redirects to its storage provider. Returns the redirected file's path.
    """
    path = f"/geoip/databases/{edition}/download"
    storage_path = f"/storage/{edition}_20261127.tar.gz"
    storage_url = httpserver.url_for(storage_path).replace("localhost", "127.0.0.1")
    httpserver.expect_request(
        path, query_string={"suffix": "tar.gz.sha256"}, headers={"Authorization": BASIC_AUTH}
    ).respond_with_data(checksum)
    httpserver.expect_request(
        path, query_string={"suffix": "tar.gz"}, headers={"Authorization": BASIC_AUTH}
    ).respond_with_response(Response(status=302, headers={"Location": storage_url}))
    httpserver.expect_request(storage_path).respond_with_data(
        archive, content_type="application/gzip"
    )
    return storage_path


def cut_short(content: bytes) -> Response:
    """A response that promises all of `content` but sends only its first half."""

    def half() -> Iterator[bytes]:
        yield content[: len(content) // 2]

    return Response(half(), headers={"Content-Length": str(len(content))}, direct_passthrough=True)


def requests_to(httpserver: HTTPServer, path: str) -> list[Request]:
    return [request for request, _ in httpserver.log if request.path == path]


def leftovers(folder: Path) -> list[str]:
    """Temporary files an update must never leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))
