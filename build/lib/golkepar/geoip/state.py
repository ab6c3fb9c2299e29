"""`geoip-state.json`: where each file in IP_PATH_BASE came from and when it was last checked.

`update` reads it to skip files that are fresh or unchanged; `status` to name each file's source.
It is a cache: a missing or unreadable state only costs a download.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from golkepar._files import atomic_write_text

logger = logging.getLogger(__name__)

STATE_FILE = "geoip-state.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class FileState:
    """One kept file: its source, the URL it came from (no secrets), and validators."""

    source: str
    url: str
    sha256: str | None
    etag: str | None
    last_modified: str | None
    downloaded_at: str
    checked_at: str

    def checked(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.checked_at)
        except ValueError:
            return None


def load_state(folder: Path) -> dict[str, FileState]:
    """The recorded files by name; empty when there is no readable state."""
    path = folder / STATE_FILE
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        return {name: FileState(**entry) for name, entry in raw["files"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        logger.warning("ignoring unreadable %s (%s): files will be checked again", path, e)
        return {}


def save_state(folder: Path, files: dict[str, FileState]) -> None:
    """Write the state atomically, files sorted by name."""
    body = {
        "version": STATE_VERSION,
        "files": {name: asdict(files[name]) for name in sorted(files)},
    }
    atomic_write_text(folder / STATE_FILE, json.dumps(body, indent=2) + "\n")
