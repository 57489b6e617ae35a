"""Wording templates of a pack (explain.yaml, an event type's ``says``): text with ``{0}`` or
``{name}`` places the checker fills in, and nothing else.

A template is data from the pack's authors, filled with str.format. A format spec
(``{by:>999999999}``) would have the checker build a string of any size, and an attribute
or an item (``{0.__class__}``, ``{0[1]}``) would reach into the checker's objects: such a
template is refused when it is read, with its line, and never filled.
"""

from __future__ import annotations

import re
import string

PLACE = re.compile(r"^(\d{1,3}|[A-Za-z_][A-Za-z0-9_]*)$")


def template_fault(text: str) -> str | None:
    """What keeps ``text`` from being a template of plain places (None: nothing)."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:  # a lone { or }
        return f"{exc} (write {{{{ or }}}} for a brace of the text)"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if len(shown) > 40:
            shown = shown[:37] + "..."
        if spec or conversion:
            return (f"{shown!r}: a place takes no format spec or conversion (only {{0}}, {{1}}... "
                    "or {name})")
        if not PLACE.fullmatch(name):
            return f"{shown!r}: a place is {{0}}, {{1}}... or {{name}}, with no attribute or item"
    return None
