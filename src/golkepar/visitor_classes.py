"""The visitor classes of the warehouse, with the one colour and plain name each has everywhere.

The report and the Superset dashboard draw every class in the same colour, so a reader who has
learnt "purple is bots" on one page is never misled on another. Attackers are red, never green.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VisitorClass:
    """A value of `visitor_class`, its colour (CSS hex) and what a page calls it."""

    name: str
    colour: str
    label: str


# In the order pages list them: the audience first, then the rest.
VISITOR_CLASSES = (
    VisitorClass("human", "#2563eb", "Humans"),
    VisitorClass("bot", "#9333ea", "Bots"),
    VisitorClass("attacker", "#dc2626", "Attackers"),
    VisitorClass("admin", "#0d9488", "Admins"),
    VisitorClass("unknown", "#6b7280", "Unknown"),
)
CLASS_COLOURS = {c.name: c.colour for c in VISITOR_CLASSES}
CLASS_LABELS = {c.name: c.label for c in VISITOR_CLASSES}
