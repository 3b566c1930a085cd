"""The ranking stage: which fused candidates a person would accept, before and after the LLM.

Each candidate gets a few signals computed from data (:class:`Signals`): does it fit the
active wish, does it share a *specific* fact with what the user named (a writer, director,
actor or brand, or a fact they named themselves; not a genre or a year, which group hundreds
of items), and is it a *title echo* (shares words with a named title but no fact and no
co-occurrence with it: Mansfield Park -> Wicker Park). :class:`LearnedRanking` scores the
candidates' features with a LightGBM lambdarank model trained on the train splits (``crossrec
train-ranker``); :class:`SpecificFirstRanking` (the default) keeps that order but, when a person
named what they liked, puts the picks sharing a specific fact with it first;
:class:`TieredRanking` is the hand rule before it; ``FusedOrder`` the order before this stage,
kept for side-by-side evaluation. A new stage is one subclass here plus one line in :data:`RANKINGS`.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from crossrec.retrieval import Signals, signals

__all__ = [
    "RANKINGS",
    "FusedOrder",
    "LearnedRanking",
    "RankingStage",
    "Signals",
    "SpecificFirstRanking",
    "TieredRanking",
    "among_wishes",
    "make_ranking",
    "signals",
]

log = logging.getLogger(__name__)


class RankingStage(ABC):
    """Orders candidates (best first); the LLM then reranks the head.

    An active wish is a constraint, not a feature: candidates that fit it come first whatever
    the stage scores, since no training row had a wish to learn it from. A stage may also put
    candidates in tiers (:meth:`tier`); ``conversation`` says whether a person named what the
    ranking answers (a chat or a dialog) or it ranks a bare history (``recommend(history)``,
    an Amazon purchase line).
    """

    name: str

    @abstractmethod
    def scores(self, features: np.ndarray, sig: Sequence[Signals]) -> np.ndarray:
        """One score per candidate row of ``features`` (higher first)."""

    def tier(self, s: Signals, conversation: bool) -> tuple[bool, ...]:
        """A candidate's tier inside the constraints (lower first); one tier by default."""
        return ()

    def order(
        self,
        ids: Sequence[str],
        features: np.ndarray,
        sig: Sequence[Signals],
        wish: bool,
        conversation: bool = False,
    ) -> list[str]:
        scores = self.scores(features, sig) if len(ids) else np.zeros(0)

        def key(n: int):
            s = sig[n]
            return (
                *_constraints(s, wish),
                *self.tier(s, conversation),
                *_wish_near(s, wish),
                -scores[n],
            )

        return [ids[n] for n in sorted(range(len(ids)), key=key)]

    def after_llm(
        self, ids: Sequence[str], sig: dict[str, Signals], wish: bool, conversation: bool = False
    ) -> list[str]:
        """The LLM's order of the head, with the constraints and tiers kept."""

        def key(i: str):
            s = sig[i]
            return (*_constraints(s, wish), *self.tier(s, conversation), *_wish_near(s, wish))

        return sorted(ids, key=key)


def _constraints(s: Signals, wish: bool) -> tuple[bool, bool]:
    """Wish fit first (when a wish is active), title echoes last: rules, not learned."""
    return (wish and not s.fits_wish, s.echo)


def _wish_near(s: Signals, wish: bool) -> tuple[int, bool, bool, float]:
    """Inside a wish's picks, those related to what was named first (a specific or genre
    fact, not a year or language; a maker named itself: "ink for my HP printer" is HP's ink,
    while "more action" names a genre, the wish), then the others nearest to it first (a
    rule too): no training row had a wish, so for a pick nothing relates, the learned score
    says how well it matched the wish, not how close it is to what the person named
    ("Dracula", then "funnier": vampire comedies, not any comedy). A genre shared alone
    relates weakly ("like The Notebook but funnier": Drama is Deadpool's too): those come
    after the strongly related, nearest first (romantic comedies). Before all, the picks
    whose titles say the most of what a follow-up narrowed the wish by ("a desk organizer",
    then "in white"). Chosen with what was named relates weakly too, with a genre shared or
    not (after Pride and Prejudice, "newer" began with Toll the Hounds and Blink, named
    beside it in a dialog or two, not Jane Eyre; "like the matrix but funny" with Monty
    Python and the Holy Grail, sharing 'Adventure Film' alone, not Galaxy Quest)."""
    if not (wish and s.fits_wish):
        return (False, False, False, 0.0)
    strong = s.specific_items > 0 or s.named or s.maker
    related = strong or s.kin
    return (-s.says, not related, not strong, 0.0 if strong else -s.near)


class FusedOrder(RankingStage):
    """The retrieval order as it is: the behaviour before the ranking stage (no wish tier)."""

    name = "fused"

    def scores(self, features: np.ndarray, sig: Sequence[Signals]) -> np.ndarray:
        return -np.arange(len(sig), dtype=np.float64)

    def order(self, ids, features, sig, wish, conversation=False) -> list[str]:
        return list(ids)

    def after_llm(self, ids, sig, wish, conversation=False) -> list[str]:
        return list(ids)


def _unlinked(s: Signals) -> bool:
    """No specific fact shared with what was named; a named item itself counts as linked: in
    a dialog it is often what comes next ("Do you like The Dark Knight?"), a reply drops it."""
    return s.specific <= 0 and not s.named


class TieredRanking(RankingStage):
    """A specific shared fact first, title echoes last; stable inside each tier (a hand rule)."""

    name = "tiers"

    def scores(self, features: np.ndarray, sig: Sequence[Signals]) -> np.ndarray:
        return -np.arange(len(sig), dtype=np.float64)

    def tier(self, s: Signals, conversation: bool) -> tuple[bool, ...]:
        return (_unlinked(s),)


class LearnedRanking(RankingStage):
    """A LightGBM lambdarank model over :data:`~crossrec.retrieval.features.FEATURES`."""

    name = "learned"

    def __init__(self, booster):
        self.booster = booster

    def scores(self, features: np.ndarray, sig: Sequence[Signals]) -> np.ndarray:
        return np.asarray(self.booster.predict(features), dtype=np.float64)


class SpecificFirstRanking(LearnedRanking):
    """The learned order, with up to :attr:`promote` candidates sharing a specific fact with
    what a person named moved to the front (what someone asking "more like X" accepts: a
    reply's worth); the LLM reorders the head and the promotion is applied again. A bare
    history keeps the learned order (on Amazon validation lines, brand first costs recall@10)."""

    name = "learned_specific"
    promote = 5

    def order(self, ids, features, sig, wish, conversation=False) -> list[str]:
        ranked = super().order(ids, features, sig, wish, conversation)
        by_id = dict(zip(ids, sig, strict=True))
        return _promoted(ranked, by_id, wish, self.promote) if conversation else ranked

    def after_llm(self, ids, sig, wish, conversation=False) -> list[str]:
        ranked = super().after_llm(ids, sig, wish, conversation)
        return _promoted(ranked, sig, wish, self.promote) if conversation else ranked


def _promoted(order: list[str], sig: dict[str, Signals], wish: bool, n: int) -> list[str]:
    """``order`` with the first ``n`` linked candidates of each constraint group (wish fit,
    echo) moved to the front of their group, those holding more of the named facts first ("a
    movie starring Brad Pitt and Angelina Jolie": Mr. & Mrs. Smith, not her films without
    him); everything else keeps its place."""
    seen: dict[tuple[bool, bool], int] = {}
    first = set()
    for i in sorted(order, key=lambda i: -sig[i].held):  # stable: the stage's order inside
        group = _constraints(sig[i], wish)
        if not _unlinked(sig[i]) and seen.get(group, 0) < n:
            seen[group] = seen.get(group, 0) + 1
            first.add(i)
    place = {i: k for k, i in enumerate(order)}
    # ``order`` comes sorted by the stage, nearness inside a wish included: places keep it
    return sorted(
        order,
        # titles saying the model asked for before a maker named: "toner for brother hl-l2340dw"
        # gave Brother's toners for other printers before the ones for it
        key=lambda i: (
            *_constraints(sig[i], wish),
            -sig[i].says if wish else 0,
            i not in first,
            -sig[i].held,
            place[i],
        ),  # fmt: skip
    )


def among_wishes(ranked: list[tuple[str, float]], fits: Sequence[set[str]]) -> list:
    """``ranked`` (id, score pairs, best first) shared among a message's wishes: the picks that
    fit every one of them first ("funny and scary": horror comedies), then one pick of each in
    turn, in the order they were said ("washi tape and my planner": a tape, a planner, ...),
    each its own best first; picks that fit none keep their places after them. ``fits``: the
    ids that fit each wish."""
    ids = [i for i, _ in ranked]
    out = [i for i in ids if all(i in fit for fit in fits)]
    turns = [[i for i in ids if i in fit and i not in out] for fit in fits]
    while any(turns):
        for turn in turns:
            while turn and turn[0] in out:
                turn.pop(0)
            if turn:
                out.append(turn.pop(0))
    score = dict(ranked)
    return [(i, score[i]) for i in out + [i for i in ids if i not in out]]


def make_ranking(name: str, catalog: str, cache: Path | None = None) -> RankingStage:
    """The named stage; the learned ones load the catalog's ranker (cache, shipped, generic)."""
    stage = RANKINGS[name]
    if issubclass(stage, LearnedRanking):
        from crossrec.finetune import load_ranker

        booster = load_ranker(catalog, cache)
        if booster is None:
            log.warning("no learned ranker for %s; using the tiered rule", catalog)
            return TieredRanking()
        return stage(booster)
    return stage()


RANKINGS: dict[str, type[RankingStage]] = {
    "fused": FusedOrder,
    "tiers": TieredRanking,
    "learned": LearnedRanking,
    "learned_specific": SpecificFirstRanking,
}
