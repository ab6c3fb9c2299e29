"""The visitor classes of the warehouse, with the one colour and plain name each has everywhere.

The report and the Superset dashboard draw every class in the same colour, so a reader who has
learnt "purple is bots" on one page is never misled on another. Attackers are red, never green.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VisitorClass:
    """A value of `visitor_class`, its colour (CSS hex and in words) and what a page calls it."""

    name: str
    colour: str
    label: str
    colour_name: str


# In the order pages list them: the audience first, then the rest.
VISITOR_CLASSES = (
    VisitorClass("human", "#2563eb", "Humans", "blue"),
    VisitorClass("bot", "#9333ea", "Bots", "purple"),
    VisitorClass("attacker", "#dc2626", "Attackers", "red"),
    VisitorClass("admin", "#0d9488", "Admins", "teal"),
    VisitorClass("unknown", "#6b7280", "Unknown", "grey"),
)
CLASS_COLOURS = {c.name: c.colour for c in VISITOR_CLASSES}
CLASS_LABELS = {c.name: c.label for c in VISITOR_CLASSES}
