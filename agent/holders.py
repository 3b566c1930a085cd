"""What a thing is for, said as the kind it is: "something to hold my pens" is a pen holder.

A wish's words are matched against the catalog's facts ("pen holders", "yarn storage"); the
verb a person says ("to hold", "to store", "to organise") is not a word those facts use, and
left alone it matched nothing or something else ("hold pens" -> pen-style erasers). Said of
what they have ("to hold my pens", "that stores our yarn"), the verb becomes the noun of the
kind of thing that does it; what they have is left out of the picks as owned
(:mod:`crossrec.agent.owned`).
"""

from __future__ import annotations

import re

__all__ = ["as_holders"]

_NOUNS = {
    "hold": "holder",
    "store": "storage",
    "organise": "organizer",
    "organize": "organizer",
    "carry": "case",
}
_FOR_MINE = re.compile(  # "to hold my", "that stores all our", "which organizes my"
    r"\b(?:to|that|which)\s+(hold|store|organi[sz]e|carry)(?:s|es)?(?=\s+(?:all\s+)?"
    r"(?:my|our)\b)",
    re.IGNORECASE,
)


def as_holders(text: str) -> str:
    """``text`` with "to hold my ..." said as "holder my ..." (see the module docstring)."""
    return _FOR_MINE.sub(lambda m: " " + _NOUNS[m.group(1).casefold()], text)
