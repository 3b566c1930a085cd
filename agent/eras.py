"""The years a wish names: "1975", "the 80s", "the eighties", "older", "newer".

:func:`named_years` reads a year or a decade as the catalog's year facts; :func:`era` reads
"older" / "newer" as the years a decade or more before / after what the user named (the
catalog's oldest / newest quarter without it), and "recent" / "modern" as its newest quarter
at least; :func:`era_label` says such an open run. An age is no era: "for a 10 year old" is
a wish for kids' things (:func:`plain_years`), not for films up to 1865.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set

import numpy as np
from crossrec.agent.wordlists import for_whom
from crossrec.retrieval import Fact, KnowledgeGraph

__all__ = [
    *("DECADE", "ERA_WORDS", "YEAR", "YEARS_SAID", "era", "era_label", "full_decade"),
    *("AGES", "named_years", "person_age", "plain_years", "years_label"),
]

YEAR = re.compile(r"(?<!\d)((?:1[89]|20)\d\d)(s?)(?!\d)")  # "1975", "1980s"
# a year or decade with the word that bounds it: "before 2000", "since 2010", "pre-1980s"
YEARS_SAID = re.compile(
    r"(?:\b(before|until|till|pre|after|since|post)[\s-]+)?" + YEAR.pattern, re.I
)
_DECADE_WORDS = (
    *("twenties", "thirties", "forties", "fifties"),
    *("sixties", "seventies", "eighties", "nineties"),
)
_AGED = re.compile(r"\b(?:her|his|my|their|your|our)\s+(?:late|mid|early)[\s-]*$", re.I)
# not an age ("her 50s", "in my 30s") nor seconds ("a 60s timer") nor a chart ("top 40s")
_NO_DECADE = r"(?<!her )(?<!his )(?<!my )(?<!their )(?<!your )(?<!our )(?<!its )(?<!top )"
DECADE = re.compile(  # "the 80s", "the '80s", "'90s", "80s action", "the eighties": 1920-1999
    rf"(?:\bthe\s+'?|(?<![\w'])'|{_NO_DECADE}(?<![\w'$-]))([2-9]0)'?s\b(?!\s*(?:timers?|sec))"
    rf"|(?:\bthe\s+|{_NO_DECADE}\b)(" + "|".join(_DECADE_WORDS) + r")\b",
    re.IGNORECASE,
)
_PERSON = (  # one whose age is said: "my daughter is 8"; not "my budget is 20"
    r"he|she|they|who|son|daughter|kid|child|boy|girl|baby|toddler|nephew|niece|grandson|"
    r"granddaughter|grandkid|brother|sister|sibling|student|friend|cousin"
)
# "a 10 year old", "an 8yo", "she is 8", "my son, who is 12", "aged 9", "i'm 15"; not "is 10
# minutes long" nor "is 10 years ago"
AGE = re.compile(
    r"\b(\d{1,2})[\s-]*(?:(?:years?|yrs?)[\s-]*olds?|y/?o)\b"
    r"|\b(?:(?:" + _PERSON + r")(?:\s+is|\s+turned|\s+turns|\s+just\s+turned)|i\s+am|i['’]?m"
    r"|(?:she|he)['’]?s"  # "shes 12"
    r"|aged?|turning)\s+(?:just\s+|only\s+)?(\d{1,2})\b(?![.,:]\d|\s*(?:%|\$|[a-z]*\d|"
    r"(?:min|hour|hr|sec|page|episode|season|star|dollar|buck|book|movie|film|year|day|week|month|"
    r"time|point|item|pack|piece|inch|cm|mm|ft|oz|lb|chapter|percent|feet|foot|row|project)))",
    re.IGNORECASE,
)
_OLDER = frozenset({"older", "old", "classic", "classics", "vintage", "earlier"})
_NEWER = frozenset({"newer", "recent", "modern", "latest", "newest", "later"})
ERA_WORDS = _OLDER | _NEWER
_WHO = frozenset(  # "older kids", "older readers": an age, not an era (and agent/words/for_whom)
    {"kids", "kid", "children", "child", "teens", "teenagers", "readers", "people", "adults"}
    | {"boys", "girls", "students", "siblings"}
)
_NOW = frozenset({"recent", "modern", "latest", "newest"})  # not only newer than what was named
_ERA_GAP = 10  # years between what the user named and an "older" / "newer" pick


def full_decade(match: re.Match) -> str:
    """ "the 80s", "the eighties" -> " 1980s ": the wish a year rule reads; an age is kept
    ("in her late 60s", "his mid fifties")."""
    if _AGED.search(match.string, 0, match.start()):
        return match.group()
    short, word = match.groups()
    return f" {1900 + (int(short) if short else 20 + 10 * _DECADE_WORDS.index(word.lower()))}s "


def plain_years(text: str) -> str:
    """``text`` with its decades as years ("the 80s" -> "1980s") and its ages as audiences."""
    return AGE.sub(_age_word, DECADE.sub(full_decade, text))


AGES = frozenset({"kids", "teens"})  # the wishes an age is read as


def person_age(text: str) -> bool:
    """Whether ``text`` says a person's age ("my niece is 14"), not who a pick is for ("for a
    12 year old")."""
    return any(m.group(2) for m in AGE.finditer(text))


def _age_word(match: re.Match) -> str:
    """ "a 10 year old" -> " kids ", "my 15-year-old" -> " teens ": an age is an audience, not
    "old" films; an adult's age says nothing."""
    age = int(match.group(1) or match.group(2))
    return " kids " if age < 13 else " teens " if age < 18 else " "


def named_years(text: str, year_facts: Sequence[Fact]) -> tuple[Fact, ...] | None:
    """The ``year_facts`` a wish names: "1975", or a decade, "1980s", "the 80s", "the
    eighties"; None where it names no year (or the catalog has none): its words may mean a
    kind."""
    full, wanted = DECADE.sub(full_decade, text), set()
    if not YEAR.search(full) or not year_facts:
        return None
    held = [int(value) for _, value in year_facts if value.isdigit()]
    for bound, year, decade in YEARS_SAID.findall(full):
        start = int(year) - (int(year) % 10 if decade else 0)
        end = start + (10 if decade else 1)  # "before 2000" is up to 1999, "after the 80s" 1990 on
        first, last = {
            "before": (0, start), "pre": (0, start), "until": (0, end), "till": (0, end),
            "after": (end, 10_000), "post": (end, 10_000), "since": (start, 10_000),
        }.get(bound.casefold(), (start, end))  # fmt: skip
        wanted |= {y for y in held if first <= y < last} if bound else set(range(start, end))
    return tuple(f for f in year_facts if f[1].isdigit() and int(f[1]) in wanted)


def years_label(text: str) -> str:
    """How a reply says the years a wish bounds ("years before 2000"); "" where none is bound."""
    said = [f"{b.casefold()} {y}{d}" for b, y, d in YEARS_SAID.findall(text) if b]
    return f"years {' and '.join(said)}" if said else ""


def era(
    text: str,
    history: Sequence[str],
    graph: KnowledgeGraph,
    facts: Sequence[Fact] = (),
    among: Set[Fact] | None = None,
) -> tuple[Fact, ...] | None:
    """The years "older" / "newer" in ``text`` mean, around the ``history`` items' years (else
    the middle year of the items of the liked ``facts`` and of the history's makers: after
    "movies directed by Steven Spielberg", "his older stuff" was years up to 1865), of those
    ``among`` the domain asked ("old movies" were the books' years up to 1865); None where it
    says neither (or both) or the catalog has no years."""
    said = text.split()  # not "older kids": who the picks are for
    ages = zip(said, [*said[1:], ""], strict=True)
    whom = _WHO | for_whom()
    words = {w for w, after in ages if not (w in ("older", "old") and after in whom)}
    older, newer = bool(words & _OLDER), bool(words & _NEWER)
    if older == newer:
        return None
    years = {
        f: int(f[1])
        for f in graph.facts
        if f[0] == "year" and f[1].isdigit() and (among is None or f in among)
    }
    if not years:
        return None
    mine = [years[f] for h in history for f in graph.facts_of(h) if f in years]
    if history and not mine:  # of no year: its people's years ("like the princess bride",
        # then "older", was years up to 1865, the catalog's oldest quarter of the years named)
        grouping = graph.grouping_relations()
        facts = [*facts, *(f for h in history for f in graph.facts_of(h) if f[0] not in grouping)]
    sign = -1 if older else 1
    # the newest quarter of the items (2010 on in OpenDialKG), not of the years named (1973)
    held = np.repeat(list(years.values()), [int(graph.df[graph.fact_index[f]]) for f in years])
    now = int(np.percentile(held, 75))
    theirs = [years[f] for fact in facts for i in graph.items_with(tuple(fact))
              for f in graph.facts_of(i) if f in years]  # fmt: skip
    if not mine and theirs:
        return tuple(f for f, y in years.items() if sign * (y - int(np.median(theirs))) > 0)
    if not mine:  # the catalog's oldest quarter of years named (classics) / newest of items
        edge = int(np.percentile(list(years.values()), 25)) if older else now
        return tuple(f for f, y in years.items() if sign * (y - edge) > 0)
    if newer and words & _NOW and max(mine) + _ERA_GAP < now:  # "more modern" than Austen
        return tuple(f for f, y in years.items() if y > now)
    # "older" than a 2012 book is a decade or more before it, not 2011; a year before
    # (after) it only where the catalog has nothing that far off
    edge = min(mine) if older else max(mine)
    for gap in (_ERA_GAP, 1):
        found = tuple(f for f, y in years.items() if sign * (y - edge) >= gap)
        if found:
            return found
    return ()


def era_label(found: Sequence[Fact], text: str) -> str:
    """An open run of years as a reply says it: "older" -> "years up to 2004", not "years
    975-2004" (the catalog's one book of 975 is not what the wish was about)."""
    years = [int(v) for _, v in found]
    if not years:
        return ""
    return f"years up to {max(years)}" if set(text.split()) & _OLDER else f"years from {min(years)}"
