# Sourced by the superset_*.sh scripts: installs Apache Superset into its own virtual environment
# once (about 870 MB, a few minutes), and again when scripts/superset-requirements.txt changes.
#
#   SUPERSET_VENV   where Superset is installed (default .venv-superset)
#   PYTHON          the Python that creates SUPERSET_VENV (default python3, 3.11 or newer)
SUPERSET_VENV=${SUPERSET_VENV:-.venv-superset}
PYTHON=${PYTHON:-python3}
step() { printf '== %s\n' "$*"; }

superset_requirements=scripts/superset-requirements.txt
superset_installed=$SUPERSET_VENV/.installed
if [ ! -f "$superset_installed" ] || [ "$superset_requirements" -nt "$superset_installed" ]; then
  step "installing Apache Superset into $SUPERSET_VENV (a few minutes)"
  "$PYTHON" -m venv "$SUPERSET_VENV"
  "$SUPERSET_VENV/bin/pip" install --quiet --upgrade pip
  "$SUPERSET_VENV/bin/pip" install --quiet -r "$superset_requirements"
  touch "$superset_installed"
fi
superset=$SUPERSET_VENV/bin/superset
superset_python=$SUPERSET_VENV/bin/python

# Lines every superset_config.py golkepar writes ends with. Superset's pages show a usage-tracking
# image from a third party (Scarf) on every view; leaving its hosts out of the content security
# policy keeps browsers from loading it. superset_check.py checks the policy served.
privacy_settings() {
  cat <<'CONFIG'

# No third-party tracking image: Superset's content security policy without the Scarf hosts
# (written by golkepar's scripts; superset.config is still being read when this file is).
import copy as _copy
import sys as _sys

TALISMAN_CONFIG = _copy.deepcopy(_sys.modules["superset.config"].TALISMAN_CONFIG)
TALISMAN_CONFIG["content_security_policy"]["img-src"] = [
    source
    for source in TALISMAN_CONFIG["content_security_policy"]["img-src"]
    if "scarf" not in source
]
CONFIG
}
