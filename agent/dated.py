"""A year asked of things whose titles carry theirs: "I need a planner for 2027".

A catalog of products has no year facts, so the year was dropped from the wish, and the picks
were planners of 2014 to 2019 under "fits your wish 'planner 2027'". Where titles describe
items, inside each tier of wish fit the titles saying a year asked come first, then those
saying no year (undated planners), then those saying only other years; the reply says so where
none of the picks says the year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crossrec.agent.eras import YEAR
from crossrec.retrieval import Signals

__all__ = ["dated_first"]


def _years(text: str) -> set[str]:
    return {year for year, _ in YEAR.findall(text)}


def dated_first(
    titles: Mapping[str, str],
    ranked: Sequence[tuple[str, float]],
    signals: Mapping[str, Signals],
    wish: str,
    k: int,
) -> tuple[list[tuple[str, float]], list[str]]:
    """``ranked`` (id, score pairs) with the titles (``titles``: id -> title) saying a year
    the ``wish`` says first inside each tier of wish fit, undated next, other years last; and
    the notice where none of the first ``k`` says it."""
    asked = _years(wish)
    if not asked:
        return list(ranked), []

    def place(pick: tuple[str, float]) -> tuple[bool, int]:
        said = _years(titles[pick[0]])
        return not signals[pick[0]].fits_wish, 0 if said & asked else 2 if said else 1

    out = sorted(ranked, key=place)
    if any(place(pick)[1] == 0 for pick in out[:k]):
        return out, []
    years = " or ".join(sorted(asked))
    return out, [f"Nothing here says {years}; undated ones come first."]
