#!/usr/bin/env bash
# `make superset-check`: import golkepar's dashboard bundle into a real Apache Superset, then run
# every chart's query through Superset itself. Superset (about 870 MB) is installed once into its
# own virtual environment; the rest happens in a temporary folder that is removed afterwards.
#
#   GOLKEPAR        the golkepar command to use (default .venv/bin/golkepar)
#   SUPERSET_VENV   where Superset is installed (default .venv-superset)
#   PYTHON          the Python that creates SUPERSET_VENV (default python3, 3.11 or newer)
set -euo pipefail
cd "$(dirname "$0")/.."

GOLKEPAR=${GOLKEPAR:-.venv/bin/golkepar}
source scripts/superset_env.sh
"$SUPERSET_VENV/bin/python" -c 'from importlib.metadata import version as v
print(*(f"{name} {v(name)}" for name in ("apache-superset", "duckdb", "duckdb-engine")), sep=", ")'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "building a warehouse: golkepar demo --dir $work/demo"
# $GOLKEPAR is a command line, split on purpose (e.g. "python -m golkepar").
$GOLKEPAR demo --dir "$work/demo" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
duckdb_file=$(find "$work/demo" -name '*.duckdb' -type f | head -n 1)
if [ -z "$duckdb_file" ]; then
  echo "golkepar demo wrote no .duckdb file under $work/demo" >&2
  exit 1
fi

step "writing the bundle for $duckdb_file"
# The demo's days are fixed: the dashboard's default range ends on its last day.
DUCKDB_FILE=$duckdb_file $GOLKEPAR superset-bundle --output "$work/bundle.zip" --until-latest

step "setting up Superset's own database"
admin_password=$("$SUPERSET_VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(16))')
cat >"$work/superset_config.py" <<CONFIG
SECRET_KEY = "$("$SUPERSET_VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))')"
SQLALCHEMY_DATABASE_URI = "sqlite:///$work/superset.db"
LOG_LEVEL = "WARNING"
CONFIG
privacy_settings >>"$work/superset_config.py"
export SUPERSET_CONFIG_PATH=$work/superset_config.py FLASK_APP=superset
"$superset" db upgrade >"$work/upgrade.log" 2>&1 || { tail -n 30 "$work/upgrade.log" >&2; exit 1; }
"$superset" fab create-admin --username admin --firstname Admin --lastname Check \
  --email admin@localhost --password "$admin_password" >"$work/admin.log" 2>&1 \
  || { tail -n 30 "$work/admin.log" >&2; exit 1; }
"$superset" init >"$work/init.log" 2>&1 || { tail -n 30 "$work/init.log" >&2; exit 1; }

# Twice: the second import must update the same assets (stable UUIDs), not add copies.
for attempt in first second; do
  step "importing the bundle with superset import-dashboards ($attempt time)"
  "$superset" import-dashboards -p "$work/bundle.zip" -u admin >"$work/import.log" 2>&1 \
    || { tail -n 40 "$work/import.log" >&2; exit 1; }
done

step "running every chart's query through Superset's chart data API"
SUPERSET_CHECK_PASSWORD=$admin_password "$SUPERSET_VENV/bin/python" scripts/superset_check.py \
  "$work/bundle.zip"
