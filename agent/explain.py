"""The explain stage: the one place where evidence becomes the text a person reads.

Each pick gets its card (title, domain, evidence links, the connection line) and its reason:
the evidence sentence (:mod:`crossrec.agent.phrasing`), or, with ``justify``, the LLM writer's
checked text. The writer shares the language model with the reranker, so the explainer holds
the model lock while it writes; nothing else here touches the model.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from crossrec.agent.config import AgentConfig
from crossrec.agent.justify import Justification, JustificationWriter
from crossrec.agent.phrasing import explain_pick
from crossrec.agent.reply import Recommendation

if TYPE_CHECKING:
    from crossrec.agent.ranking import Signals
    from crossrec.agent.request import Request
    from crossrec.agent.wishes import Wish
    from crossrec.retrieval import Catalog, EvidenceFinder, KnowledgeGraph

__all__ = ["Explainer"]


class Explainer:
    """Cards and reasons for ranked picks, streamed as they are ready."""

    def __init__(
        self,
        catalog: Catalog,
        graph: KnowledgeGraph,
        finder: EvidenceFinder,
        writer: JustificationWriter | None = None,
        config: AgentConfig | None = None,
        model_lock: threading.Lock | None = None,
    ):
        self.catalog, self.graph, self.finder = catalog, graph, finder
        self.writer = writer
        self.config = config or AgentConfig(justify=writer is not None)  # read live: justify
        self.model_lock = model_lock or threading.Lock()

    @property
    def writes(self) -> bool:
        """Whether the LLM writer writes the reasons (else the evidence sentences do)."""
        return self.writer is not None and self.config.justify

    def card(
        self,
        item_id: str,
        score: float,
        history: Sequence[str],
        facts=(),
        wish=None,
        links: Sequence | None = None,
        variant: int = 0,
    ) -> Recommendation:
        """One pick with its evidence, connection line and evidence sentence."""
        item = self.catalog[item_id]
        if links is None:
            links = self.finder.find(item_id, history, facts, limit=3)
        pick = Recommendation(
            item_id,
            self.catalog.shown(item_id),
            item.domain,
            round(score, 4),
            evidence=[link.to_dict(self.catalog) for link in links],
        )
        known = bool(history or facts or wish)
        explanation = explain_pick(item_id, links, self.catalog, self.graph, wish, variant, known)
        pick.connection = explanation.connection
        pick.justification, pick.justification_source = explanation.sentence, "evidence"
        return pick

    def write(self, pick: Recommendation, links, history, message: str = "", wish=None) -> None:
        """Replace the pick's evidence sentence with the LLM writer's checked text, written as
        a reply's first pick is (the evaluation scores what a reader is shown first)."""
        if self.writes:
            job = (pick.item_id, links, history, message, wish)
            with self.model_lock:
                if self.config.batch_justifications and self.writer.batches:
                    result = self.writer.write_many([job])[0]
                else:
                    result = self.writer.write(*job)
            pick.justification, pick.justification_source = result.text, result.source

    def reply(
        self, request: Request, ranked: Sequence[tuple[str, float]], signals: dict[str, Signals]
    ) -> Iterator[str | Recommendation]:
        """The reply's text chunks in order; each finished pick follows its text."""
        if request.answer is not None:
            yield request.answer
            return
        prefix = "".join(n + "\n" for n in request.notices)
        prefix += request.question + "\n" if request.question else ""
        if not ranked:
            yield prefix + (
                "I found nothing new that fits; tell me more about what you like, "
                "or allow other domains."
            )
            return
        profile, query, wish = request.session.profile, request.query, request.wish
        liked = list(query.history)  # what was named, and an item asked about ("Who directed X?")
        named = [i for i in liked if i not in request.stand_in]  # not a maker's stand-ins
        fitting = sum(signals[i].fits_wish for i, _ in ranked)
        held = [set(self.graph.facts_of(i)) for i, _ in ranked]
        if wish and wish.together and wish.parts:  # "dogs for kids": those that fit both
            fitting = sum(all(h & set(p.facts) for p in wish.parts) for h in held)
        yield (
            prefix
            + _wish_line(wish, fitting, len(ranked), held)
            + self._header(profile.domain, len(ranked), named)
            + (_ASK if not (liked or profile.liked_facts or wish) else "")
        )
        offset = len(profile.recommended)  # varies the sentence forms from one reply to the next
        picks, fit = [], {item_id: self._fitted(wish, item_id) for item_id, _ in ranked}
        avoid = {value for _, value in profile.disliked_facts}  # "not by the same director"
        for n, (item_id, score) in enumerate(ranked):
            links = self.finder.find(item_id, liked, query.facts, limit=3, avoid=avoid)
            card = self.card(item_id, score, liked, query.facts, fit[item_id], links, offset + n)
            picks.append((card, links))
        if self.writes and self.config.batch_justifications and self.writer.batches:
            jobs = [
                (p.item_id, links, liked, request.message, fit[p.item_id]) for p, links in picks
            ]
            with self.model_lock:  # every reason in one batched generation, shown in order
                yield from self._in_order([p for p, _ in picks], self.writer.stream_many(jobs))
            return
        for n, (pick, links) in enumerate(picks, start=1):
            yield self._line(n, pick)
            final = Justification(pick.justification, pick.justification_source)
            if self.writes:
                with self.model_lock:
                    for chunk in self.writer.stream(
                        pick.item_id, links, liked, request.message, fit[pick.item_id]
                    ):
                        if isinstance(chunk, Justification):
                            final = chunk
                        else:
                            yield chunk
            else:
                yield final.text
            pick.justification, pick.justification_source = final.text, final.source
            yield pick

    def _in_order(self, picks: list[Recommendation], events) -> Iterator[str | Recommendation]:
        """The reply's picks in order from reasons written together (``(row, sentence or
        Justification)`` events): the first pick's sentences as they pass the check, a later
        pick's held until the picks before it are done."""
        held: list[list[str]] = [[] for _ in picks]
        done = [False] * len(picks)
        current = 0
        yield self._line(1, picks[0])
        for row, event in events:
            if isinstance(event, Justification):
                picks[row].justification, picks[row].justification_source = event.text, event.source
                done[row] = True
            elif row == current:
                yield event
            else:
                held[row].append(event)
            while current < len(picks) and done[current]:
                yield picks[current]
                current += 1
                if current < len(picks):
                    yield self._line(current + 1, picks[current])
                    yield from held[current]
                    held[current] = []
        for n in range(current, len(picks)):  # events that stopped early: what was held
            yield from held[n] if n == current else [self._line(n + 1, picks[n]), *held[n]]
            yield picks[n]

    def _fitted(self, wish: Wish | None, item_id: str) -> tuple[str, tuple] | None:
        """The wish a pick is said to fit: of wishes meant together ("sad" and "1950s"), the
        ones it fits ("For '1950s': ... came out in 1966", not "fits 'sad and 1950s'")."""
        if wish is None:
            return None
        own = set(self.graph.facts_of(item_id))
        held = [p for p in wish.parts if own & set(p.facts)] if wish.together else []
        if not held or len(held) == len(wish.parts):
            return wish.text, wish.facts
        return " and ".join(p.text for p in held), tuple(f for p in held for f in p.facts)

    def _line(self, n: int, pick) -> str:
        """A pick's line in the text reply: its name as said where titles are names ("Fight
        Club", not "Fight Club (Satirical Book)"); a product's whole title (the card too)."""
        return f"\n{n}. {self.catalog.listed(pick.item_id)} ({pick.domain}) - "

    def _header(self, domain: str | None, n: int, liked: list[str]) -> str:
        kind = f"{domain} picks" if domain else "picks"
        shown = liked[-2:]
        basis, names = "", [self.catalog.spoken(i) for i in shown]
        if len(set(names)) < len(names):  # "the movie Fight Club, the book Fight Club"
            names = [f"the {self.catalog[i].domain} {n}" for i, n in zip(shown, names, strict=True)]
        more = f" and {len(liked) - 2} more" if len(liked) > 2 else ""  # not only the last two
        if liked:
            basis = " based on " + ", ".join(names) + more
        return f"Here are {n} {kind}{basis}:"


_ASK = (  # a reply with nothing to go on (popular picks) asks for what would tailor them
    "\nThese are what people here choose most; tell me something you enjoyed, or what you "
    "are in the mood for, and I will tailor them."
)


def _wish_line(wish: Wish | None, fitting: int, n: int, held: list[set]) -> str:
    if wish is None or not wish.understood:  # what goes with what the user has: no facts
        return ""
    facts = Counter({f: c for f in wish.facts if (c := sum(f in h for h in held))})
    if fitting == 0 and wish.together and wish.parts:  # said in a notice: each fits one
        return f"Following your wish {wish.text!r}: {wish.summary} (none fits all of it).\n"
    if fitting == 0:
        return f"Nothing I found fits {wish.text!r} ({wish.summary}); these are the closest.\n"
    said = wish.summary_of(facts)  # what the picks hold of it, not all it was mapped onto
    return f"Following your wish {wish.text!r}: {said} ({fitting} of {n} fit).\n"
