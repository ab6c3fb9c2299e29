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
