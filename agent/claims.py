"""Who did what, and when: the claims a justification makes beyond naming a fact.

The grounding check already refuses a name that is no fact of the pick or the history. A
trained writer also says *how* a person is involved and *when* a work came out, and those can
be wrong with every name right: "Wag the Dog ... stars David Mamet" (he wrote it), "The Dirty
Dozen ... was released in 1942" (no year fact says so). :func:`misattributions` reads the
role word next to each person ("starring X", "X directed", "written by X") and
:func:`unsupported_years` every year, against the facts the text may use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from crossrec.retrieval import Fact, Mention

__all__ = ["misattributions", "unsupported_years"]

# role words -> the relation they claim; the nearest one to a person's name is its claim
_ROLES = {
    "actor": r"stars?|starring|starred|acts?|acted|actor|actress|plays|played|features?|featuring",
    "director": r"direct(?:s|ed|ing|or)?",
    "writer": r"wr(?:ote|itten|ites|iter)|author(?:ed)?|penned",
}
_ROLE = re.compile(
    "|".join(rf"(?P<{relation}>\b(?:{words})\b)" for relation, words in _ROLES.items()),
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_BEFORE, _AFTER = 40, 14  # characters searched for a role word before / after a name


def _claimed_role(text: str, mention: Mention) -> tuple[str | None, int]:
    """The relation the nearest role word claims for ``mention`` ("starring X", "X directed"),
    looking back a few words first, then just after the name, and where that word starts;
    (None, -1) without one."""
    start = max(0, mention.start - _BEFORE)
    clause = re.split(r"[.;!]", text[start : mention.start])[-1]
    found = list(_ROLE.finditer(clause))
    if found:
        return found[-1].lastgroup, mention.start - len(clause) + found[-1].start()
    rest = text[mention.end : mention.end + _AFTER]
    after = _ROLE.match(rest.lstrip(" ,"))
    if after is None:
        return None, -1
    return after.lastgroup, mention.end + len(rest) - len(rest.lstrip(" ,"))


def _bound(named: Sequence, mention: Mention, role_at: int) -> tuple | None:
    """The named item a role claim is about: the nearest on the role word's side ("Se7en,
    starring P" is about Se7en; "P stars in Zodiac" about Zodiac), else the nearest."""
    if not named:
        return None
    if role_at < mention.start:
        side = [n for n in named if n[1] <= role_at]
    else:
        side = [n for n in named if n[0] >= mention.end]
    return min(side or named, key=lambda n: max(n[0] - mention.end, mention.start - n[1]))


def _roles(facts: Iterable[Fact]) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for relation, value in facts:
        roles.setdefault(value.casefold(), set()).add(relation)
    return roles


def _sentence_ends(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """Where the sentences of ``text`` end; a full stop inside a title or name ("Dr. Moreau",
    "Robert Downey Jr.") ends none."""
    masked = list(text)
    for a, b in spans:
        masked[a:b] = "x" * (b - a)
    return [m.end() for m in _SENTENCE_END.finditer("".join(masked))] + [len(text)]


def misattributions(
    text: str,
    mentions: Sequence[Mention],
    facts: Iterable[Fact],
    named: Sequence[tuple[int, int, str, frozenset]] = (),
    pick: tuple[str, frozenset] | None = None,
) -> list[str]:
    """Each person the text gives a role that none of ``facts`` gives them. ``named`` holds
    the spans of the items the text names (start, end, name, the item's facts): a role said
    in a sentence that names items must hold on the one it is about (:func:`_bound`), so
    "The Island of Dr. Moreau is starring Morgan Freeman" is refused though he starred in the
    liked item; in a sentence that names none ("It stars ..."), on ``pick`` (name, facts)."""
    roles = _roles(facts)
    spans = [(m.start, m.end) for m in mentions] + [(a, b) for a, b, _, _ in named]
    ends = _sentence_ends(text, spans)
    problems = []
    for mention in mentions:
        people = {v for r, v in mention.facts if r in _ROLES}
        if mention.kind != "fact" or not people:
            continue
        claimed, role_at = _claimed_role(text, mention)
        if claimed is None:
            continue
        held = set().union(*(roles.get(v.casefold(), set()) for v in people))
        start = max((e for e in ends if e <= mention.start), default=0)
        end = min(e for e in ends if e > mention.start)
        near = _bound([n for n in named if start <= n[0] and n[1] <= end], mention, role_at)
        if near is None and pick is not None:
            near = (0, 0, *pick)
        if near is not None and claimed in held:
            _, _, name, own = near
            there = set().union(*(_roles(own).get(v.casefold(), set()) for v in people))
            if claimed not in there:
                problems.append(f"says {name!r} has {mention.text!r} as {claimed}; it does not")
        elif claimed not in held:
            problems.append(
                f"gives {mention.text!r} the role {claimed}; the facts say {sorted(held) or 'none'}"
            )
    return problems


def unsupported_years(text: str, facts: Iterable[Fact], titles: Sequence[str] = ()) -> list[str]:
    """Each year in the text (outside the ``titles``) that no year fact of ``facts`` has."""
    for title in sorted((t for t in titles if t), key=len, reverse=True):
        text = re.sub(re.escape(title), " ", text, flags=re.IGNORECASE)
    years = {value for relation, value in facts if relation == "year"}
    return [
        f"says {year}, which no year fact has" for year in _YEAR.findall(text) if year not in years
    ]
