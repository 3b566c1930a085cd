"""A title named by its series' name and words of its own.

People name a title the catalog files under another one: "Harry Potter and the Sorcerer's
Stone" (the catalog's "Harry Potter and the Philosopher's Stone"), "Star Wars: A New Hope"
("Star Wars: Episode IV - A New Hope"). The linker found the series ("Harry Potter and the":
every Harry Potter item) and a one-word title in the rest ("Stone"), and the other words were
a wish ("sorcerer's": Sword and sorcery). Where a series' name (:meth:`EntityLinker.series_of`)
is followed by capitalised words, the series' title that holds more than half of those words
is the one named; where none does (or two hold as many), the whole name is the series and its
own words are no wish ("Harry Potter and the Sorcerer's Stone": every Harry Potter item;
"Star Wars: The Last Jedi" is no Return of the Jedi). Only capitalised names: in lower case
nothing tells where a name ends.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crossrec.retrieval.mention import Mention
from crossrec.retrieval.sources.lexical import stopwords

if TYPE_CHECKING:
    from crossrec.retrieval.linking import EntityLinker

__all__ = ["named_members", "titled_with"]

_LEAD = re.compile(r"[ \t]*[:\-–—]?[ \t]*")  # between the series' name and the title's words
_INSIDE = re.compile(r"[ \t'’-]*")  # between a title's words
_JOINING = frozenset({"of", "the", "and", "a", "an", "in", "to", "s"})
_LONGEST = 7  # words of a series' name


def named_members(
    linker: EntityLinker, text: str, tokens: list, mentions: list[Mention]
) -> list[Mention]:
    """``mentions`` with each title named by its series and its own words put in place of
    the mentions inside it ("Stone" of "Harry Potter and the Sorcerer's Stone")."""
    out, n = list(mentions), 0
    while n < len(tokens):
        found = _member_at(linker, text, tokens, n) if text[tokens[n][0]].isupper() else None
        if not found:
            n += 1
            continue
        end, key, name = found
        start, stop = tokens[n][0], tokens[end - 1][1]
        inside = [m for m in out if m.start < stop and start < m.end]
        if any(m.start < start or m.end > stop or m.end - m.start == stop - start for m in inside):
            n = end  # a longer name, or this one whole, was linked already
            continue
        out = [m for m in out if m not in inside]
        ids, method = (tuple(linker.titles[key]), "member") if key else (name, "series")
        out.append(Mention(text[start:stop], start, stop, "item", ids, (), method))
        n = end
    return sorted(out, key=lambda m: m.start)


def _member_at(linker: EntityLinker, text: str, tokens: list, n: int) -> tuple | None:
    """Where a title named by its series from token ``n`` ends, its title key ("" where no
    title holds most of its words: the series, its own words no wish) and the series' ids."""
    for b in range(min(len(tokens) - 1, n + _LONGEST), n + 1, -1):  # longest name first
        name = " ".join(t[2] for t in tokens[n:b])
        if not _LEAD.fullmatch(text[tokens[b - 1][1] : tokens[b][0]]) or not _capitalised(
            text, tokens[n:b]
        ):
            continue
        series = linker.series_of(name) if text[tokens[b][0]].isupper() else ()
        if not series:
            continue
        end = _words_end(text, tokens, b)
        end = next((m for m in range(b, end) if _and_title(linker, tokens, m, end)), end)
        end = next((m for m in range(b, end) if _and_other(linker, name, tokens, m, end)), end)
        said = {t[2] for t in tokens[b:end]} - stopwords() - _JOINING
        key = _best_title(linker, name, said) if said else ""
        if not said or not key and _two_names(linker, tokens, b, end):
            return None
        return end, key, series
    return None


def _two_names(linker: EntityLinker, tokens: list, b: int, end: int) -> bool:
    """Whether a series' name that ends in "and" (or "and the") and the words after it are two
    names, not the series' name and a title's own words: "Harry Potter and Twilight", "Harry
    Potter and The Hunger Games" (a title, said with its article)."""
    return tokens[b - 1][2] in ("and", "or") or _and_title(linker, tokens, b - 2, end)


def _and_title(linker: EntityLinker, tokens: list, m: int, end: int) -> bool:
    """Whether token ``m`` is "and" (or "or") and words after it, up to ``end`` at most, a
    title: "Harry Potter and the Sorcerer's Stone |and The Hunger Games (and Twilight)"."""
    if m < 0 or tokens[m][2] not in ("and", "or"):
        return False
    words = [t[2] for t in tokens[m + 1 : end]]
    return any(" ".join(words[:e]) in linker.titles for e in range(1, len(words) + 1))


def _and_other(linker: EntityLinker, name: str, tokens: list, m: int, end: int) -> bool:
    """Whether token ``m`` is "and" (or "or") and no title of the series ``name`` holds a word
    after it, up to ``end``: another name ("Brave New World and Fahrenheit 451" was the series
    "Brave New" with its own words "World and Fahrenheit")."""
    if tokens[m][2] not in ("and", "or"):
        return False
    held = {w for key in linker.titles_beginning(name) for w in key.split()}
    return not held & ({t[2] for t in tokens[m + 1 : end]} - _JOINING)


def _capitalised(text: str, tokens: list) -> bool:
    """Whether a series' name is said as one: each word capitalised but joining ones ("I love
    Crayola crayons" names no "i love to create" item)."""
    return all(text[t[0]].isupper() or t[2] in _JOINING for t in tokens)


def _words_end(text: str, tokens: list, b: int) -> int:
    """The end of the capitalised words from token ``b`` (joined by short lower-case words)."""
    end, m = b + 1, b + 1
    while m < len(tokens) and _INSIDE.fullmatch(text[tokens[m - 1][1] : tokens[m][0]]):
        if text[tokens[m][0]].isupper():
            end = m + 1
        elif tokens[m][2] not in _JOINING:
            break
        m += 1
    return end


def _best_title(linker: EntityLinker, name: str, said: set[str]) -> str:
    """The title beginning with ``name`` that holds most of the ``said`` words (more than
    half; the shortest of those that hold as many), "" where two tie or none holds so many
    ("The Last Jedi" is no Return of the Jedi)."""
    scored = []
    for key in linker.titles_beginning(name):
        rest = [w for w in key.split() if w not in name.split()]
        scored.append((len(said & set(rest)), -len(rest), key))
    if not scored or not said:
        return ""
    scored.sort(reverse=True)
    best = scored[0]
    tied = len(scored) > 1 and scored[1][:2] == best[:2]  # of another item ("episode 4" is iv)
    tied = tied and set(linker.titles[scored[1][2]]) != set(linker.titles[best[2]])
    return best[2] if 2 * best[0] > len(said) and not tied else ""


def titled_with(linker: EntityLinker, key: str) -> list[str]:
    """The items outside the series ``key`` names whose titles hold it anywhere and that share
    a maker with it: "Complete Harry Potter Boxed Set" of "harry potter" (not Twilight of the
    Ice Nymphs of "twilight")."""
    graph, series = linker.graph, linker.series_of(key)
    grouping = graph.grouping_relations()
    makers = {f for i in series for f in graph.facts_of(i) if f[0] not in grouping}
    ids = [i for title, ids in linker.titles.items() if f" {key} " in f" {title} " for i in ids]
    return [i for i in dict.fromkeys(ids) if i not in series and makers & set(graph.facts_of(i))]
