"""What a clause wishes for and what it leaves out.

"funny movies without Adam Sandler" wishes for funny films and leaves out Adam Sandler: the
words before a negation are wished for (the whole clause read negative left out Comedy), the
words after it left out, but who it is for: "a horror movie that isn't too scary for a 12 year
old" leaves out what is too scary, not what is for kids. A clause that begins by saying the
picks are too much of something leaves it out: "too old, something recent".
"""

from __future__ import annotations

import re

__all__ = ["listed_out", "polarity_parts"]

# a phrase first: its words are no wish ("I can't stand musicals"); "why not" suggests
_NEGATION = re.compile(  # not "I don't mind violence"
    r"(?<!why )\b(?!(?:don'?t|do not|doesn'?t|not)(?:\s+really)?\s+mind\b)"
    r"(?:(?:can'?t|cannot|can not) (?:stand|bear|handle)|"
    r"(?:tired|sick|bored|scared|afraid|terrified|frightened) of|fed up with|"
    r"had enough of|not (?:a )?(?:big |huge )?fan of|not interested in|not into|"
    r"don'?t care (?:for|about)|no|not|nothing|none|without|less|avoid|except|hate|hated|"
    r"dislike|don'?t|doesn'?t|never|skip|anything but|other than|instead of|rather than|stop)\b",
    re.IGNORECASE,
)
# a complaint of what was shown: "too old, something recent", "those are way too scary"; not
# a question of a named item ("is |coraline| too scary for kids?")
_TOO = re.compile(
    r"^\W*(?:(?:it|that|this|these|those|they|these ones|those ones|all of them|all)"
    r"(?:['’]s|['’]re|\s+(?:is|are|was|were|seem|seems|feel|feels|look|looks))?\s+)?(?:(?:a\s+)?(?:bit|little|"
    r"way|much|kinda|kind of|rather|far|just)\s+)?too\b",
    re.IGNORECASE,
)
_AUDIENCE = re.compile(  # "for kids", "for my children" (an age is "kids" by then: eras.py)
    r"\bfor\s+(?:(?:a|an|my|our|the|young|little)\s+)*(?:kids?|child(?:ren)?|teens?|family)\b",
    re.IGNORECASE,
)

_NEGATED_AUDIENCE = re.compile(  # "not |for kids", "that is not |meant for children"
    r"\s*(?:(?:is|are)\s*n[o']?t\s+)?(?:(?:really|meant|made|suitable|aimed)\s+)?", re.I
)


_LISTED = re.compile(  # the rest of a list left out: "no star trek, |star wars or alien"
    r"^(?!.*\b(?:some\w*|any\w*|maybe|instead|rather|prefer|want|more|please|but|ones?|for|"
    r"give|me|i|just|either|ideally|ok|okay|fine|like|love|good|great|would|could|can)\b)"
    r"[\w\s'’-]*\b(?:or|nor)\b[\w\s'’-]*$",
    re.IGNORECASE,
)


def listed_out(clause: str, after: str, negated: bool) -> bool:
    """Whether ``clause``, ``after`` a ``negated`` one, goes on listing what is left out: a
    comma and then names joined by "or" ("no horror, |gore or slasher"), not a new wish ("no
    horror, |something funny or sweet")."""
    return negated and after.strip() == "," and bool(_LISTED.match(clause))


def polarity_parts(clause: str) -> list[tuple[str, bool]]:
    """``(text, negative)`` parts of ``clause``: before its first negation (wished for), after
    it (left out), and who it is for after it (wished for: "nothing scary for kids"), unless
    the negation is of whom ("not for kids", "not meant for children")."""
    negation = _TOO.search(clause) or _NEGATION.search(clause)
    if not negation:
        return [(clause, False)]
    at = negation.start()
    heard = _AUDIENCE.search(clause, at)
    if heard and _NEGATED_AUDIENCE.fullmatch(clause, negation.end(), heard.start()):
        return [(clause[:at], False), (clause[heard.start() :], True)]  # "not for kids"
    rest = _AUDIENCE.sub(" ", clause[negation.end() :])
    return [(clause[:at], False), (rest, True), (heard[0] if heard else "", False)]
