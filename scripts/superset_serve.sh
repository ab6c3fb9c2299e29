#!/usr/bin/env bash
# `make superset-serve`: Apache Superset with golkepar's dashboard on DUCKDB_FILE, served on
# 127.0.0.1 only, in one command. The first run installs Superset into its own virtual
# environment, writes its configuration with a random SECRET_KEY (a file of mode 0600), creates
# its metadata database and an admin user (password printed once). Every run writes the bundle
# again and imports it over the previous one, then serves until Ctrl-C.
#
#   DUCKDB_FILE              the warehouse to show (default: golkepar's setting, .env included)
#   SUPERSET_HOME            Superset's configuration, key and metadata (default .superset)
#   SUPERSET_PORT            the port on 127.0.0.1 (default 8088)
#   SUPERSET_ADMIN_PASSWORD  the admin's password: used when creating the user, or set anew
#   SUPERSET_BUNDLE_ARGS     more options for `golkepar superset-bundle` (e.g. --until-latest)
#   GOLKEPAR, SUPERSET_VENV, PYTHON   as for superset_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

GOLKEPAR=${GOLKEPAR:-.venv/bin/golkepar}
port=${SUPERSET_PORT:-8088}
case $port in
  '' | *[!0-9]*) echo "error: SUPERSET_PORT must be a port number, not '$port'" >&2; exit 2 ;;
esac
source scripts/superset_env.sh

home=${SUPERSET_HOME:-.superset}
mkdir -p "$home"
home=$(cd "$home" && pwd)
# Only the owner may read what is in here: the key that signs sessions, the metadata database.
chmod 700 "$home"
umask 077

if [ ! -s "$home/secret_key" ]; then
  step "writing a random SECRET_KEY to $home/secret_key (mode 0600)"
  "$superset_python" -c 'import secrets; print(secrets.token_urlsafe(48))' >"$home/secret_key.part"
  mv "$home/secret_key.part" "$home/secret_key"
fi
chmod 600 "$home/secret_key"

if [ ! -f "$home/superset_config.py" ]; then
  step "writing $home/superset_config.py"
  cat >"$home/superset_config.py.part" <<'CONFIG'
# Apache Superset's configuration for golkepar's dashboard, written once by
# scripts/superset_serve.sh; edits are kept. See docs/superset.md for production settings.
from pathlib import Path

_HOME = Path(__file__).resolve().parent
# Signs sessions and encrypts the database passwords Superset stores: keep the file private.
SECRET_KEY = (_HOME / "secret_key").read_text().strip()
# Superset's own metadata (users, dashboards, charts, saved queries): a SQLite file here.
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_HOME / 'superset.db'}"
LOG_LEVEL = "WARNING"
# Rate limits kept in memory: one process on 127.0.0.1.
RATELIMIT_STORAGE_URI = "memory://"
CONFIG
  privacy_settings >>"$home/superset_config.py.part"
  mv "$home/superset_config.py.part" "$home/superset_config.py"
fi
export SUPERSET_CONFIG_PATH=$home/superset_config.py FLASK_APP=superset

step "writing the bundle"
# shellcheck disable=SC2086 # options, split on purpose
$GOLKEPAR superset-bundle --output "$home/golkepar-superset.zip" ${SUPERSET_BUNDLE_ARGS:-}

version=$("$superset_python" -c 'from importlib.metadata import version; print(version("apache-superset"))')
if [ "$(cat "$home/.initialized" 2>/dev/null)" != "$version" ]; then
  step "setting up Superset $version's metadata database in $home (once; a minute or two)"
  "$superset" db upgrade >"$home/upgrade.log" 2>&1 || { tail -n 30 "$home/upgrade.log" >&2; exit 1; }
  "$superset" init >"$home/init.log" 2>&1 || { tail -n 30 "$home/init.log" >&2; exit 1; }
  echo "$version" >"$home/.initialized"
fi

url="http://127.0.0.1:$port"
"$superset_python" scripts/superset_setup.py "$home/golkepar-superset.zip" "$url"

step "serving on $url (Ctrl-C stops it)"
# One process: DuckDB allows many readers of the file, and a second process would not help on
# a small machine. gthread workers answer a dashboard's chart requests side by side.
exec "$SUPERSET_VENV/bin/gunicorn" --bind "127.0.0.1:$port" --workers 1 \
  --worker-class gthread --threads 8 --timeout 60 \
  --limit-request-line 0 --limit-request-field_size 0 \
  --access-logfile "$home/access.log" --error-logfile - --log-level warning \
  "superset.app:create_app()"
