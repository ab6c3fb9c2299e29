"""What a site's earlier runs learnt: days the server has no log for, and the live log's ETag.

Kept in `<LOG_PATH_BASE>/<site>/.fetch-state.json`, written atomically. It never holds a
password or a URL; losing it costs only some repeated requests.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from golkepar._files import atomic_write_text
from golkepar.fetch.naming import LogKind

log = logging.getLogger(__name__)
STATE_VERSION = 1


@dataclass(frozen=True)
class LiveCopy:
    """The live log as last downloaded: its size on disk and the server's ETag for it."""

    size: int
    etag: str | None = None


@dataclass
class FetchState:
    """Mutable while a run works; saved at the end of each site and after each live update."""

    missing: dict[LogKind, set[date]] = field(
        default_factory=lambda: {LogKind.ACCESS: set(), LogKind.ERROR: set()}
    )
    live: dict[date, LiveCopy] = field(default_factory=dict)

    def to_json(self) -> str:
        document = {
            "version": STATE_VERSION,
            "missing": {
                kind.value: sorted(day.isoformat() for day in days)
                for kind, days in self.missing.items()
            },
            "live": {
                day.isoformat(): {"size": copy.size, "etag": copy.etag}
                for day, copy in sorted(self.live.items())
            },
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> FetchState:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("version") != STATE_VERSION:
            raise ValueError("unknown state version")
        state = cls()
        for kind in (LogKind.ACCESS, LogKind.ERROR):
            for day in document.get("missing", {}).get(kind.value, []):
                state.missing[kind].add(date.fromisoformat(day))
        for day, copy in document.get("live", {}).items():
            state.live[date.fromisoformat(day)] = LiveCopy(int(copy["size"]), copy.get("etag"))
        return state


def load_state(path: Path) -> FetchState:
    """The saved state, or a fresh one when the file is missing or unreadable."""
    try:
        return FetchState.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return FetchState()
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        # Only an optimisation is lost: the missing days are asked again.
        log.warning("ignoring unreadable fetch state %s: %s", path, e)
        return FetchState()


def save_state(path: Path, state: FetchState) -> None:
    """Write the state atomically."""
    atomic_write_text(path, state.to_json())
