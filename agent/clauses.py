"""The words of a message that may be wishes, clause by clause, with their polarity.

:func:`split_wishes` takes the words of a message that are neither a linked name nor a way of
asking ("any books I'd like?"), clause by clause, and tells a wish ("for my kids") from an
exclusion ("nothing scary"); :class:`~crossrec.agent.wishes.WishMapper` maps each onto the
catalog's facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from crossrec.agent import eras
from crossrec.agent.asides import plain_states, without_asides
from crossrec.agent.negation import listed_out, polarity_parts
from crossrec.agent.sequels import plain_sequels
from crossrec.agent.spelling import near_any
from crossrec.agent.uses import plain_uses
from crossrec.agent.wordlists import grown_ups, request_words, word_list
from crossrec.retrieval import domain_cues, domain_names, other_domains, stopwords

__all__ = ["masked", "split_wishes"]

_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
_CLAUSE = re.compile(  # not "anything but acrylic": what is left out
    r"[.!?;,\n]+|(?<!anything )\bbut\b|\band\b|\bhowever\b", re.IGNORECASE
)
_CLAUSES = re.compile(f"({_CLAUSE.pattern})", re.IGNORECASE)  # and what divides them
_JOINED = re.compile(  # "feel good" is feel-good, "date night" date-night; not "made me feel good"
    r"(?<!\bme )(?<!\bus )\b(?:feel\s+good|light\s+hearted|mind\s+bending|date\s+night|sci\s+fi)\b",
    re.I,  # "sci fi" was the wish 'sci'
)
_PAGE_TURNER = re.compile(r"\bpage[\s-]+turners?\b", re.I)  # 'turner': nothing filed so
_ROM_COM = re.compile(r"\brom[\s-]?coms?\b", re.I)  # "a rom com" matched nothing
_WORLD_WAR = re.compile(  # "world war 2" was 'world war' (World War I too)
    r"\b(?:ww\s?2|wwii|world\s+war\s+(?:2|two)\b)", re.I
)
_SET_IN = re.compile(  # "movies set in space" was 'set space', and Set It Off a pick
    r"\b(?:set|tak(?:es?|ing)\s+place)\s+(?=(?:in|during|on|at)\b)", re.I
)
_TRUE_STORY = re.compile(  # "based on true stories" was short stories and fairy tales
    r"\b(?:true|real)(?:[\s-]+life)?\s+(?:stor(?:y|ies)|events)\b",
    re.I,  # no "event planner"
)
_STORY = frozenset({"story", "stories", "triangle", "triangles", "letters"})
_WHO_LOVES = frozenset({"i", "we", "they", "you", "he", "she", "really", "also", "just"})
_BEFORE_NOUN = frozenset({"a", "an", "about"})  # "love" after these is a noun: "a love story"


@cache
def _not_wishes(domains: tuple[str, ...]) -> frozenset[str]:
    """Stopwords, asking words, grown-ups a pick is for ("wife") and the words that only name
    a domain (and their plurals); a cue word naming a kind of thing in a domain ("drawing",
    "binders") stays a wish."""
    ignore = set(stopwords() | request_words() | grown_ups())  # "for my wife": no wish
    for domain in (*domains, *other_domains()):
        cues = (*domain_names().get(domain, ()), *other_domains().get(domain, ()), domain)
        if domain not in domain_names():  # a brought catalog's domain: every cue names it
            cues += domain_cues().get(domain, ())
        ignore |= {w for cue in cues for w in (cue.lower(), cue.lower() + "s")}
    return frozenset(ignore)


def masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the ``(start, end)`` spans blanked (same length: offsets still hold)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


_GIFT = frozenset({"gift", "gifts", "present", "presents"})  # alone, what a pick is for


def split_wishes(
    message: str,
    spans: Iterable[tuple[int, int]],
    domains: Sequence[str],
    kinds: Iterable[str] = (),
    names_works: bool = False,
    max_words: int = 8,
    max_wishes: int = 3,
) -> list[tuple[str, bool]]:
    """``(wish words, negative)`` per clause of ``message``, outside the linked ``spans``.

    The domain's cue words ("books", "watch"), stopwords and asking words are not a wish, so
    "I loved the movie Fight Club. Any books I'd like?" has none, unless they begin one of the
    catalog's ``kinds`` of item ("book stand"). Words to the assistant ("ignore your previous
    instructions") are no wish. Only the last ``max_wishes`` clauses with a
    wish count (a pasted essay is not a hundred wishes). Where titles name works
    (``names_works``), where a story is set is no word of it (not so for "a pencil set in a
    tin").
    """
    text = without_asides(plain_states(masked(message, spans)))  # "I'm sad": 'uplifting'
    text = plain_sequels(plain_uses(eras.plain_years(text)))
    text = _JOINED.sub(lambda said: "-".join(said.group().split()), text)
    text = _ROM_COM.sub("romantic comedy", text)
    text = _PAGE_TURNER.sub("suspenseful", text)
    text = _WORLD_WAR.sub("World War II", text)
    text = _SET_IN.sub("", text) if names_works else text
    text = _TRUE_STORY.sub("true-story", text)
    kinds = tuple(kinds)
    for kind in (k for k in kinds if " " not in k):  # "book ends", titled "bookends"
        said = r"\b" + r"[\s-]?".join(map(re.escape, kind)) + r"\b"
        text = re.sub(said, lambda _, kind=kind: kind, text, flags=re.I)
    ignore, out = _not_wishes(tuple(domains)) - {kind.split()[0] for kind in kinds}, []
    pieces, negated = _CLAUSES.split(text), False  # clauses and what comes between them
    for n, clause in enumerate(pieces[::2]):
        listed = listed_out(clause, pieces[2 * n - 1] if n else "", negated)
        parts = [(clause, True)] if listed else polarity_parts(clause)
        negated = any(negative for _, negative in parts)
        for part, negative in parts:
            words = _wish_words(eras.YEARS_SAID.sub(" ", part), ignore)  # "since 2010" is one
            words += [f"{b} {y}{d}".strip().casefold() for b, y, d in eras.YEARS_SAID.findall(part)]
            if words and not set(words) <= _GIFT:  # "a gift for my boss": no kind of gift
                out.append((" ".join(words[:max_words]), negative))
    # "older, like from the 50s": the 50s, an era word beside years asked no more
    if any(eras.YEAR.search(words) for words, no in out if not no):
        out = [(w, no) for w, no in out if no or not set(w.split()) <= eras.ERA_WORDS]
    return out[-max_wishes:]


def _wish_words(clause: str, ignore: frozenset[str]) -> list[str]:
    """The words of ``clause`` that may be a wish, lower-cased: three letters or more, not
    ``ignore``d. Where the clause is in sentence case (some word in lower case), capitals
    also mark names: an ignored word that begins one stays ("set in New York" is not "set
    york"), and two capitals after a capitalised word are a word ("World War II"). In "I AM
    LOOKING FOR SCARY MOVIES" or "Recommend Something Funny" they mark nothing."""
    words = _WORD.findall(clause)
    negations = word_list("negation_words")
    cased = any(w[0].islower() for w in words)

    def title(n: int) -> bool:  # a capitalised word inside a sentence-cased clause
        return cased and 0 < n < len(words) and words[n].istitle()

    def plain(n: int) -> bool:
        word, low = words[n], words[n].casefold()
        before = words[n - 1].casefold() if n > 0 else ""
        after = words[n + 1].casefold() if n + 1 < len(words) else ""  # "true love stories"
        story = after in _STORY and before not in _WHO_LOVES  # not "I love stories about dogs"
        noun = low == "love" and (before in _BEFORE_NOUN or story)
        if (low in ignore and not noun) or low in negations:  # "I love it", "a love story"
            return False
        if len(low) > 5 and near_any(low, request_words(), 91.0):  # "somthing like", "sugest"
            return False
        roman = set(word) <= set("IVX") and n > 0 and words[n - 1].istitle()  # "World War II"
        return len(word) > 2 or (len(word) == 2 and word.isupper() and (title(n - 1) or roman))

    def name_start(n: int) -> bool:
        low = words[n].casefold()
        return title(n) and title(n + 1) and plain(n + 1) and low not in negations

    return [w.casefold() for n, w in enumerate(words) if plain(n) or name_start(n)]
