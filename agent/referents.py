""" "More like the second one", "something similar": a request about an item it does not name.

After "Who is in The Princess Bride?" (answered, with picks like it), "recommend something
similar" got the catalog's most chosen items, and after The Hobbit's picks "more like the second
one" was the wish 'second'. A request points to an item without naming it in two ways: a pick
of the last reply by its place, or, right after a question about an item, "similar" or "like
it": that item. Either is liked, as a title named there would be, and the words that point to
it are no wish.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crossrec.agent.about import places_said
from crossrec.agent.clauses import masked

__all__ = ["referred"]

# "something similar", "more like it", "anything like that one", "similar but newer"
_SIMILAR = re.compile(r"\b(?:similar|like (?:it|this|that)(?:\s+one)?)\b", re.IGNORECASE)


def referred(message: str, shown: Sequence[str], about: str | None) -> tuple[list[str], str]:
    """The items ``message`` points to (picks of the last reply, ``shown`` in order, by their
    place; else ``about``, the item a question just asked about, where it asks for something
    like it) and ``message`` with the words that point blanked."""
    places = places_said(message, len(shown))
    picks = [shown[at - 1] for at, _ in places if 1 <= at <= len(shown)]
    if picks:
        return list(dict.fromkeys(picks)), masked(message, [span for _, span in places])
    similar = _SIMILAR.search(message)
    if about and similar:
        return [about], message
    return [], message
