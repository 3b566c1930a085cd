""" "More like the second one", "something similar": a request about an item it does not name.

After "Who is in The Princess Bride?" (answered, with picks like it), "recommend something
similar" got the catalog's most chosen items, and after The Hobbit's picks "more like the second
one" was the wish 'second'. A request points to an item without naming it in two ways: a pick
of the last reply by its place, or, right after a question about an item, "similar" or "like
it": that item. Either is liked, as a title named there would be, and the words that point to
it are no wish; a negation before them in their clause points away ("nothing similar" likes
nothing, "not the second one" leaves that pick out).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crossrec.agent.about import places_said
from crossrec.agent.clauses import masked

__all__ = ["likes_shown", "of_shown", "referred"]

# "something similar", "more like it", "anything like that one", "similar but newer"
_SIMILAR = re.compile(  # and "is there a movie of it?", its version in another domain
    r"\b(?:similar|like (?:it|this|that|these|those|them)(?:\s+ones?)?|(?:movie|film|book|novel|version|adaptation)s?"
    r"\s+(?:version\s+)?of\s+(?:it|this|that)\b|(?:movie|film|book|novel)\s+(?:version|adaptation))",
    re.IGNORECASE,
)
# what is like the picks shown, where nothing is liked: not "is there a movie version?"
_LIKE_SHOWN = re.compile(
    r"\b(?:similar|(?:more\s+)?like\s+(?:these|those)|more\s+like\s+them)\b", re.I
)
# some of the picks shown: "any of those made into movies?", "which of these have films?"
_OF_SHOWN = re.compile(  # not "any of those for kids?": a wish of the kept kind
    r"\b(?:any|which|some|either)\s+(?:one\s+)?of\s+(?:those|these|them)\s+(?:(?:been\s+|"
    r"were\s+|was\s+|got\s+|are\s+|is\s+)?(?:made|turned|adapted)(?:\s+(?:into|as))?"
    r"|(?:are\s+|is\s+)?based\s+on"
    r"|ha(?:ve|s)\s+(?:a\s+|any\s+)?(?:movie|film|book|novel|version|adaptation)s?)\b",
    re.IGNORECASE,
)
# said before it in its clause, it points away: "nothing similar", "not the second one, I hated
# that", "I don't want anything similar", "I didn't like the second one"
_AWAY = re.compile(
    r"\b(?:no|not|nothing|none|never|without|hate[sd]?|dislike[sd]?|(?:do|does|did)\s*n[o']?t)\b"
    r"[^.,;!?]*$",  # its clause: not "I don't know, something similar"
    re.IGNORECASE,
)


# right after a question about an item, an opinion of "it" is of that item: "I hated it,
# nothing similar", "loved it! more like it", "it was boring"
_NEGATIVE = (
    r"hated?|disliked?|(?:did|do|does)\s*n[o']?t\s+(?:like|enjoy|love)|(?:can|could)\s*n[o']?t"
    r"\s+stand|(?:was|is)\s*n[o']?t\s+(?:a fan of|for me)|not\s+a\s+fan\s+of"
)
_OPINION = re.compile(
    rf"\b(?:(?P<no>{_NEGATIVE})|loved?|liked?|enjoyed|adored)\s+(?:it|that one|this one)\b"
    r"|\b(?:it|that one|this one)\s+(?:was|is)\s+(?:so\s+|really\s+|pretty\s+)?(?:"
    r"(?P<bad>terrible|awful|boring|dull|bad|overrated|meh)|great|amazing|awesome|brilliant"
    r"|fantastic|excellent|wonderful)\b",
    re.IGNORECASE,
)


def of_shown(message: str) -> bool:
    """Whether ``message`` asks of some of the picks shown ("any of those made into movies?")."""
    return bool(_OF_SHOWN.search(message))


def likes_shown(message: str) -> bool:
    """Whether ``message`` asks for what is like the picks shown ("similar", "more like these")."""
    return bool(_LIKE_SHOWN.search(message))


def referred(
    message: str,
    shown: Sequence[str],
    about: str | None,
    names: bool = False,
    alone: bool = False,
) -> tuple[list[str], list[str], str]:
    """The items ``message`` points to (picks of the last reply, ``shown`` in order, by their
    place; else ``about``, the item a question just asked about, where it asks for something
    like it and ``names`` no title of its own; else, where nothing is liked (``alone``), the
    picks shown: "books by George Orwell", then "similar but by other authors", got the most
    chosen books), those it points away from (a negation before the place: "not the second
    one, I hated that"), and ``message`` with the words that point blanked. "nothing similar"
    likes nothing."""
    places = [(at, span) for at, span in places_said(message, len(shown)) if 1 <= at <= len(shown)]
    if places:
        away = [_AWAY.search(message[: span[0]]) is not None for _, span in places]
        liked = [shown[at - 1] for (at, _), no in zip(places, away, strict=True) if not no]
        disliked = [shown[at - 1] for (at, _), no in zip(places, away, strict=True) if no]
        return liked, disliked, masked(message, [span for _, span in places])
    of_shown = _OF_SHOWN.search(message) if shown and not names else None
    if of_shown:  # "any of those made into movies?": the picks shown, whatever is liked
        return list(shown), [], masked(message, [of_shown.span()])
    opinion = _OPINION.search(message) if about and not names else None
    plain = masked(message, [opinion.span()]) if opinion else message  # "boring" is no wish
    if opinion and (opinion.group("no") or opinion.group("bad")):  # "I hated it, nothing similar"
        return [], [about], plain
    similar = _SIMILAR.search(message)
    asks = similar is not None and not _AWAY.search(message[: similar.start()])
    if about and not names and (opinion or asks):
        return [about], [], plain
    if alone and not (about or names) and likes_shown(message) and asks:
        return list(shown), [], message
    return [], [], message
