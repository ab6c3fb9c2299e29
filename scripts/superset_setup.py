"""Import (or update) golkepar's bundle into Superset and make sure an admin user exists.

Runs with Superset's Python, from superset_serve.sh, once `superset db upgrade` and
`superset init` have run:
    SUPERSET_CONFIG_PATH=... python superset_setup.py BUNDLE.zip URL
Prints the admin's password when it creates the user (once), and the dashboard's URL.
Exits 1 with one line on stderr when the warehouse the bundle points at does not exist.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

ADMIN = "admin"


def bundle_contents(path: str) -> dict[str, str]:
    """The bundle's files by path below its root folder, as Superset's import API takes them."""
    with zipfile.ZipFile(path) as bundle:
        contents = {
            name.split("/", 1)[1]: bundle.read(name).decode("utf-8")
            for name in bundle.namelist()
            if name.endswith(".yaml")
        }
    # The same files imported as "assets" rather than as a dashboard: Superset's assets import
    # overwrites the database, datasets and charts too, where a dashboard import keeps the
    # ones it already has (so a changed chart or URI would never arrive).
    metadata = yaml.safe_load(contents["metadata.yaml"])
    contents["metadata.yaml"] = yaml.safe_dump(metadata | {"type": "assets"})
    return contents


def warehouse_of(contents: dict[str, str]) -> tuple[str, Path]:
    """The database's name in the bundle and the DuckDB file its URI points at."""
    (database,) = (yaml.safe_load(t) for n, t in contents.items() if n.startswith("databases/"))
    return database["database_name"], Path(str(make_url(database["sqlalchemy_uri"]).database))


def ensure_admin(security_manager: Any) -> tuple[Any, str]:
    """The admin user, created once, or with its password reset if one is given; and what to say.

    A new user is not committed here: the import that follows commits it, so a failed import
    leaves no user whose printed password went unseen.
    """
    given = os.environ.get("SUPERSET_ADMIN_PASSWORD", "")
    user = security_manager.find_user(username=ADMIN)
    if user is None:
        password = given or secrets.token_urlsafe(12)
        user = security_manager.add_user(
            ADMIN,
            "Admin",
            "User",
            "admin@localhost",
            security_manager.find_role("Admin"),
            password=password,
            commit=False,
        )
        if not user:
            raise SystemExit("error: Superset could not create the admin user")
        if given:
            return user, f"user {ADMIN!r} created with the password in SUPERSET_ADMIN_PASSWORD"
        return user, (
            f"user {ADMIN!r} created, password: {password}\n"
            "   (shown this once: keep it; to change it, run again with "
            "SUPERSET_ADMIN_PASSWORD=...)"
        )
    if given:
        security_manager.reset_password(user.id, given)
        return user, f"user {ADMIN!r}: password set from SUPERSET_ADMIN_PASSWORD"
    return user, f"user {ADMIN!r}: password unchanged (the one printed on the first run)"


def main(bundle_path: str, url: str) -> int:
    contents = bundle_contents(bundle_path)
    database_name, warehouse = warehouse_of(contents)
    if not warehouse.is_file():
        print(
            f"error: no warehouse at {warehouse}: run `golkepar build` (or `make demo`, then "
            "DUCKDB_FILE=demo/golkepar.duckdb) first",
            file=sys.stderr,
        )
        return 1
    from superset.app import create_app

    app = create_app()
    logging.getLogger("superset").setLevel(logging.WARNING)
    # SQLAlchemy's notes on Superset's own models are not the user's business here.
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)
    # A request context: the import records the current user (`g.user`) as the assets' owner.
    with app.test_request_context():
        from flask import g
        from superset import db, security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.models.dashboard import Dashboard

        g.user, said = ensure_admin(security_manager)
        ImportAssetsCommand(contents).run()
        db.session.commit()
        print(f"== {said}")
        (board,) = (yaml.safe_load(t) for n, t in contents.items() if n.startswith("dashboards/"))
        dashboard = db.session.query(Dashboard).filter_by(slug=board["slug"]).one()
        print(
            f"== imported the bundle: database {database_name!r} on {warehouse}, "
            f"dashboard {dashboard.dashboard_title!r} with {len(dashboard.slices)} charts"
        )
        print(f"== open {url}/superset/dashboard/{dashboard.slug}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
