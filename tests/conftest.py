"""Fixtures shared by the test modules; test data is built in code, never checked in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run_golkepar(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real `golkepar` command in a subprocess, as a user would."""
    child_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("OVH_", "MAXMIND_", "GEOIP_"))
    }
    child_env["PYTHONPATH"] = str(SRC)
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "golkepar", *args],
        cwd=cwd,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
