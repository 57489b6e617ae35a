"""Terminal styling: ANSI colours where the output is a terminal, plain text elsewhere; and
``visible``, which every text renderer (and the command line's error lines) passes free text
through, so that a value cannot forge a line or send the terminal an escape sequence."""

from __future__ import annotations

import os
import unicodedata


def visible(text: object) -> str:
    """``text`` as one line that shows what it holds: every control or format character (a
    line break, the ESC of an escape sequence, a bidirectional override...) written as its
    escape (``\\n``, ``\\x1b``, ``\\u202e``); spaces and printable characters as they are."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or unicodedata.category(c) == "Zs"
                   else c.encode("unicode_escape").decode("ascii") for c in text)


class Style:
    """ANSI colours, or nothing when the output is not a terminal (or NO_COLOR is set)."""

    CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34",
             "magenta": "35", "cyan": "36"}

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(self.CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


STATUS_STYLE = {"fulfilled": ("green",), "complied": ("green",), "pending": ("yellow",),
                "late": ("magenta",), "breached": ("red", "bold"), "discharged": ("cyan",)}


def use_colour(stream) -> bool:
    """Colour on a terminal, unless NO_COLOR (or TERM=dumb) says otherwise; FORCE_COLOR forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"
