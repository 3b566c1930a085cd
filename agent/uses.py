"""What a thing is for, or must not do: "something to hold my pens" is a pen holder.

A wish's words are matched against the catalog's facts ("pen holders", "yarn storage"); the
verb a person says ("to hold", "to store", "to organise") is not a word those facts use, and
left alone it matched nothing or something else ("hold pens" -> pen-style erasers). Said of
what they have ("to hold my pens", "that stores our yarn"), the verb becomes the noun of the
kind of thing that does it; what they have is left out of the picks as owned
(:mod:`crossrec.agent.owned`). What a thing must not do ("tape that doesn't damage walls")
is a clause of its own: the thing is the wish, "tape", and what it must not do an exclusion;
the whole clause negated left out tape itself.
"""

from __future__ import annotations

import re

__all__ = ["plain_uses"]

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


_MUST_NOT = re.compile(  # "tape |that |doesn't damage walls", "pens which won't bleed"
    r"\b(?:that|which|who)\s+(?=(?:does|do|did|will|would|is|are|can|could|should)\s*n[o']?t\b|"
    r"won'?t\b|can'?t\b|cannot\b|never\b)",
    re.IGNORECASE,
)


def plain_uses(text: str) -> str:
    """``text`` with "to hold my ..." said as "holder my ...", and "that doesn't ..." as a
    clause of its own (see the module docstring)."""
    text = _MUST_NOT.sub(", not ", text)  # "can't", "isn't" negate only here: "I can't get
    # enough of horror" is no exclusion
    return _FOR_MINE.sub(lambda m: " " + _NOUNS[m.group(1).casefold()], text)
