"""The report stage: one self-contained HTML page (and a terminal summary) from the warehouse."""

from __future__ import annotations
