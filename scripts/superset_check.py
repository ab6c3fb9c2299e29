"""Run every chart of a golkepar bundle through Superset's chart data API, and probe SQL Lab.

Runs with Superset's Python (see superset_check.sh), once the bundle is imported:
    SUPERSET_CONFIG_PATH=... SUPERSET_CHECK_PASSWORD=... python superset_check.py BUNDLE.zip
Prints one line per chart with its row count and one per SQL Lab probe with Superset's answer;
exits 1 when a chart is missing or fails, or when a probe that must be refused runs.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sys
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Any

import yaml


def bundle_documents(path: str) -> dict[str, Any]:
    """The bundle's YAML documents, by path below the ZIP's root folder."""
    with zipfile.ZipFile(path) as bundle:
        return {
            name.split("/", 1)[1]: yaml.safe_load(bundle.read(name))
            for name in bundle.namelist()
            if name.endswith(".yaml")
        }


# What the bundle's URI must carry: golkepar.superset.bundle.CONNECTION_SETTINGS.
LOCKED_SETTINGS = (
    "access_mode=read_only",
    "enable_external_access=false",
    "lock_configuration=true",
)


def sql_lab_probes(workdir: Path) -> list[tuple[str, str, Path | None]]:
    """(name, SQL, a file that must not appear) for what SQL Lab must refuse on the database."""
    secret = workdir / "secret.txt"
    secret.write_text(f"a secret: {secrets.token_hex(8)}\n")
    return [
        ("read_text", f"SELECT * FROM read_text('{secret}')", None),
        (
            "COPY TO",
            f"COPY (SELECT 42 AS answer) TO '{workdir / 'copied.csv'}'",
            workdir / "copied.csv",
        ),
        ("ATTACH", f"ATTACH '{workdir / 'other.duckdb'}' AS other", workdir / "other.duckdb"),
        ("SET enable_external_access", "SET enable_external_access = true", None),
        ("CREATE TABLE", "CREATE TABLE stolen AS SELECT 1 AS x", None),
    ]


def run_sql_lab(
    client: Any, headers: dict[str, str], database_id: int, sql: str
) -> tuple[bool, str]:
    """Send `sql` to SQL Lab's execute endpoint as its editor does: (ran, what Superset said)."""
    answer = client.post(
        "/api/v1/sqllab/execute/",
        headers=headers,
        json={
            "database_id": database_id,
            "sql": sql,
            "schema": "main",
            "runAsync": False,
            "client_id": secrets.token_hex(5),
            "queryLimit": 100,
            "expand_data": True,
        },
    )
    body = answer.json or {}
    if answer.status_code == 200 and body.get("status") == "success":
        return True, f"{len(body.get('data') or [])} rows"
    errors = body.get("errors") or [{"message": body.get("message") or body}]
    return False, f"HTTP {answer.status_code}: " + " ".join(
        str(error.get("message", error)).splitlines()[0] for error in errors
    )


def probe_sql_lab(client: Any, headers: dict[str, str], database_id: int, app: Any) -> int:
    """Every probe refused, with DML off as imported and again with DML on; a SELECT runs."""
    from superset import db
    from superset.models.core import Database

    failures = refusals = 0
    ran, said = run_sql_lab(client, headers, database_id, "SELECT count(*) AS hits FROM hits")
    print(f"{'ok  ' if ran else 'FAIL'} SQL Lab SELECT: {said}")
    failures += not ran
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        # DML on: an admin may turn it on; DuckDB itself must still refuse, not only Superset.
        for allow_dml in (False, True):
            with app.app_context():
                database = db.session.get(Database, database_id)
                database.allow_dml = allow_dml
                db.session.commit()
            for name, sql, must_not_exist in sql_lab_probes(workdir):
                ran, said = run_sql_lab(client, headers, database_id, sql)
                leaked = must_not_exist is not None and must_not_exist.exists()
                label = f"SQL Lab {name} (DML {'on' if allow_dml else 'off'})"
                if ran or leaked:
                    print(f"FAIL {label} was not refused: {said}")
                    failures += 1
                else:
                    print(f"ok   {label} refused: {said}")
                    refusals += 1
        with app.app_context():
            database = db.session.get(Database, database_id)
            database.allow_dml = False
            db.session.commit()
    print(f"SQL Lab probes: {refusals} refused, {failures} not")
    return failures


def main(bundle_path: str) -> int:
    documents = bundle_documents(bundle_path)
    from superset.app import create_app

    app = create_app()
    # A refused SQL Lab query is logged with its traceback; the probe prints Superset's answer.
    logging.getLogger("superset.views.error_handling").setLevel(logging.CRITICAL)
    with app.app_context():
        from superset import db
        from superset.models.core import Database
        from superset.models.dashboard import Dashboard
        from superset.models.slice import Slice

        def by_uuid(model: Any, value: str) -> Any:
            return db.session.query(model).filter_by(uuid=uuid.UUID(value)).one_or_none()

        passed = failures = 0
        (database_doc,) = [d for n, d in documents.items() if n.startswith("databases/")]
        database = by_uuid(Database, database_doc["uuid"])
        if database is None or not all(s in database.sqlalchemy_uri for s in LOCKED_SETTINGS):
            print(f"FAIL database {database_doc['database_name']!r}: missing or not locked down")
            failures += 1
            database_id = None
        else:
            print(f"database {database.database_name!r}: {database.sqlalchemy_uri}")
            database_id = database.id
        (dashboard_doc,) = [d for n, d in documents.items() if n.startswith("dashboards/")]
        dashboard = by_uuid(Dashboard, dashboard_doc["uuid"])
        charts = [d for n, d in documents.items() if n.startswith("charts/")]
        if dashboard is None or len(dashboard.slices) != len(charts):
            found = "missing" if dashboard is None else f"{len(dashboard.slices)} charts"
            print(f"FAIL dashboard {dashboard_doc['dashboard_title']!r}: {found}")
            failures += 1
        else:
            print(f"dashboard {dashboard.dashboard_title!r}: {len(dashboard.slices)} charts")

        # A fresh Superset holds only what the bundle brought, however often it was imported.
        totals = (db.session.query(Slice).count(), db.session.query(Dashboard).count())
        if totals != (len(charts), 1):
            print(f"FAIL after two imports: {totals[0]} charts, {totals[1]} dashboards")
            failures += 1
        site_filter = None
        site_values: list[Any] = []
        time_range = "No filter"
        if dashboard is not None:
            filters = json.loads(dashboard.json_metadata)["native_filter_configuration"]
            (site_filter,) = [f for f in filters if f["name"] == "Site"]
            (time_filter,) = [f for f in filters if f["name"] == "Time range"]
            time_range = time_filter["defaultDataMask"]["extraFormData"]["time_range"]
            print(f"filter 'Time range': {time_range}")
        imported = []
        for chart_doc in charts:
            chart = by_uuid(Slice, chart_doc["uuid"])
            if chart is None:
                print(f"FAIL {chart_doc['slice_name']}: not imported")
                failures += 1
            else:
                context = json.loads(chart.query_context)
                imported.append((chart.id, chart.slice_name, chart.viz_type, context))

    # Requests run outside the app context above: each gets its own, as in a real server.
    client = app.test_client()
    login = client.post(
        "/api/v1/security/login",
        json={
            "username": "admin",
            "password": os.environ["SUPERSET_CHECK_PASSWORD"],
            "provider": "db",
        },
    )
    if login.status_code != 200:
        print(f"FAIL login to the API: HTTP {login.status_code}")
        return 1
    headers = {"Authorization": f"Bearer {login.json['access_token']}"}
    if site_filter is not None:
        (target,) = site_filter["targets"]
        # The query the dashboard runs to list the filter's choices.
        choices = client.post(
            "/api/v1/chart/data",
            headers=headers,
            json={
                "datasource": {"id": target["datasetId"], "type": "table"},
                "queries": [{"columns": [target["column"]["name"]], "metrics": []}],
                "result_type": "full",
            },
        )
        if choices.status_code != 200:
            print(f"FAIL filter {site_filter['name']!r}: HTTP {choices.status_code} {choices.json}")
            failures += 1
        else:
            rows = choices.json["result"][0]["data"]
            site_values = [row[target["column"]["name"]] for row in rows]
            print(f"filter {site_filter['name']!r}: {site_values}")
    in_range = 0
    for chart_id, name, viz_type, context in imported:
        answer = client.get(f"/api/v1/chart/{chart_id}/data/", headers=headers)
        body = answer.json or {}
        if answer.status_code != 200:
            print(f"FAIL {name} ({viz_type}): HTTP {answer.status_code} {body}")
            failures += 1
            continue
        rows = sum(query["rowcount"] for query in body["result"])
        # The same query as the dashboard sends it: its default time range, a site chosen.
        for query in context["queries"]:
            for query_filter in query["filters"]:
                if query_filter["op"] == "TEMPORAL_RANGE":
                    query_filter["val"] = time_range
            query["filters"].append({"col": "site", "op": "IN", "val": site_values[:1]})
        filtered = client.post("/api/v1/chart/data", headers=headers, json=context)
        if filtered.status_code != 200:
            print(f"FAIL {name} ({viz_type}) with the site filter: HTTP {filtered.status_code}")
            failures += 1
            continue
        site_rows = sum(query["rowcount"] for query in filtered.json["result"])
        print(
            f"ok   {name} ({viz_type}): {rows} rows, {site_rows} in the default time range "
            f"for {site_values[:1]}"
        )
        passed += 1
        in_range += site_rows > 0
    print(f"charts: {passed} passed, {failures} failed, {in_range} with rows in the default range")
    if passed and not in_range:
        print("FAIL no chart has rows in the dashboard's default time range")
        failures += 1
    # The page's content security policy keeps third-party tracking images out.
    policy = client.get("/login/").headers.get("Content-Security-Policy", "")
    if "img-src" not in policy or "scarf" in policy:
        print(f"FAIL the content security policy lets a tracking image in: {policy!r}")
        failures += 1
    else:
        print("content security policy: no third-party image host")
    if database_id is not None:
        csrf = client.get("/api/v1/security/csrf_token/", headers=headers)
        headers = headers | {"X-CSRFToken": csrf.json["result"], "Referer": "http://localhost/"}
        failures += probe_sql_lab(client, headers, database_id, app)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
