"""A kept wish set aside where a new request names a maker none of whose works fit it.

"horror movies", then "movies with Tom Hanks", gave horror films without him ("No other pick
has Tom Hanks and fits 'horror'"); "comedy movies", then "I want books by Stephen King", comic
books by others. A wish persists until the person changes it, but a message that names a
person or a brand and wishes for nothing asks for their works: where none of them (in the
domain asked for) fits the kept wish, the wish is set aside and the reply says so. Where some
do ("comedy movies", then "with Jim Carrey"), the wish narrows them as before.

A wish that maps onto nothing is said, with what was followed instead
(:func:`unmatched_notice`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crossrec.agent.sequels import SEQUEL
from crossrec.agent.wishes import Wish, facts_text

if TYPE_CHECKING:
    from crossrec.agent.nlu import Understanding
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.state import Profile

__all__ = ["set_aside", "unknown_taste", "unmatched_notice"]


def set_aside(rec: Recommender, und: Understanding, profile: Profile) -> str | None:
    """Drop the kept wish where ``und`` names makers (no wish of its own) none of whose works
    fit it; what the reply says of it, or None where the wish stays."""
    if not profile.wish or any(not negative for _, negative in und.wishes):
        return None
    makers = [tuple(f) for f in und.liked_facts if f[0] not in rec.grouping]
    if not makers:
        return None
    graph, domain = rec.retrieval.graph, profile.domain
    wish = Wish.from_dict(profile.wish)

    def facts(item_id: str) -> set:
        return set(graph.facts_of(item_id))

    theirs = {i for f in makers for i in graph.items_with(f)}
    theirs = {i for i in theirs if domain is None or rec.catalog[i].domain == domain}
    avoid = {tuple(f) for f in profile.disliked_facts}  # "but not horror": none of those
    theirs = {i for i in theirs - {*profile.liked, *profile.disliked} if not avoid & facts(i)}
    if not theirs or any(set(wish.facts) & facts(i) for i in theirs):
        return None
    # the wish and its facts, kept as liked: no "filed under Horror, which you asked for"
    profile.wish = None
    profile.liked_facts = [f for f in profile.liked_facts if tuple(f) not in set(wish.facts)]
    return f"Nothing here with {facts_text(makers)} fits {wish.text!r}, so I set that wish aside."


def unmatched_notice(text: str, profile: Profile, others: bool) -> str:
    """What a reply says of a wish that maps onto nothing, and what it followed instead: the
    message's other wishes, the wish kept from before ("watercolor painting", then "something
    cheaper" in a catalog with no prices), what was named, or, with nothing, popularity."""
    said = f"I couldn't match {text!r} to anything in this catalog"
    if SEQUEL.fullmatch(text):  # "any sequels?" after Inception
        if not profile.liked:  # "I want the rest of the series"
            return "Which series do you mean? Name a title and I'll look for its sequels."
        said = "I know of no sequels in this catalog to what you named"
    if others:
        return f"{said}."
    if profile.wish:
        return f"{said}, so I kept to your earlier wish {profile.wish['text']!r}."
    basis = "what you named" if profile.liked or profile.liked_facts else "popularity"
    return f"{said}, so I ranked by {basis}."


def unknown_taste(und: Understanding, profile: Profile, asked: bool) -> list[str]:
    """What a reply says where the picks are for someone whose taste nothing said tells ("a
    movie my grandma would like" gave the most chosen films, Pulp Fiction first, as if it had
    followed a wish): that it cannot tell (the reply then says what to tell it); none where
    anything was ``asked`` or is known of the person."""
    known = profile.liked or profile.liked_facts or profile.wish or und.liked or und.liked_facts
    if not und.whom or asked or known:
        return []
    whose, whom = und.whom.split()
    whose = {"my": "your", "our": "your"}.get(whose, whose)  # "her mom", "a teacher"
    plural = whom.endswith("s") and not whom.endswith("ss")  # "parents", not "boss"
    likes = "like" if plural else "likes"
    return [f"I don't know what {whose} {whom} {likes} yet."]  # the reply says what to tell
