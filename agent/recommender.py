"""The conversational recommender: profile -> candidates -> LLM rerank -> grounded replies.

Every pick comes from the candidate generator (catalog items only), reordered by the reranker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from crossrec.agent.config import AgentConfig
from crossrec.agent.explain import Explainer
from crossrec.agent.justify import JustificationWriter
from crossrec.agent.ranking import RankingStage, Signals, make_ranking
from crossrec.agent.reply import Recommendation, Reply
from crossrec.agent.state import Profile, Session, SessionStore, Turn
from crossrec.agent.wishes import WishMapper
from crossrec.finetune import Reranker, RerankInput, build_rerank_input, fuse_scores
from crossrec.retrieval import (
    CandidateQuery,
    EntityLinker,
    EvidenceFinder,
    Retrieval,
    StoreUnavailableError,
    dialog_query,
    feature_matrix,
    nearness,
)

__all__ = ["CandidateSet", "Recommender"]

log = logging.getLogger(__name__)


@dataclass
class CandidateSet:
    """The candidate pool of one query: ids in fused order, ranking features, signals."""

    ids: list[str]
    features: np.ndarray
    signals: dict[str, Signals]
    avoided: CandidateSet | None = None  # the pool with disliked facts, when nothing else is left


class Recommender:
    """Cross-domain conversational recommendation over one catalog."""

    def __init__(
        self,
        retrieval: Retrieval,
        reranker: Reranker | None = None,
        writer: JustificationWriter | None = None,
        sessions: SessionStore | None = None,
        config: AgentConfig | None = None,
        ranking: RankingStage | None = None,
    ):
        self.retrieval = retrieval
        self.catalog = retrieval.dataset.catalog
        self.reranker = reranker
        self.sessions = sessions or SessionStore()
        self.config = config or AgentConfig(catalog=retrieval.dataset.name)
        self.linker = EntityLinker(self.catalog, retrieval.graph, retrieval.store)
        self.finder = EvidenceFinder(retrieval.graph, retrieval.cooccurrence)
        self.grouping = retrieval.graph.grouping_relations()
        self.ranking = ranking or make_ranking(self.config.ranking, self.catalog.name)
        self._wishes: WishMapper | None = None
        self._model_lock = threading.Lock()  # the reranker and the writer share one model
        self.explainer = Explainer(
            self.catalog,
            retrieval.graph,
            EvidenceFinder(retrieval.graph, retrieval.cooccurrence, known_names=True),
            writer,
            self.config,
            self._model_lock,
        )
        self._locks_guard = threading.Lock()
        self._session_locks: dict[str, threading.Semaphore] = {}

    @property
    def writer(self) -> JustificationWriter | None:
        return self.explainer.writer

    @writer.setter
    def writer(self, writer: JustificationWriter | None) -> None:
        self.explainer.writer = writer

    @property
    def wishes(self) -> WishMapper:
        """Maps wish text onto this catalog's facts (value vectors computed on first use)."""
        if self._wishes is None:
            embedder = self.retrieval.store.embedder if self.retrieval.store is not None else None
            self._wishes = WishMapper(self.retrieval.graph, embedder)
        return self._wishes

    @classmethod
    def from_defaults(
        cls,
        catalog: str = "opendialkg",
        *,
        data_dir: str | Path | None = None,
        store: str | Path | None = None,
        cache_dir: str | Path | None = None,
        chroma_host: str | None = None,
        chroma_port: int = 8000,
        config: AgentConfig | None = None,
    ) -> Recommender:
        """The bundled model, the shipped adapter and the local store, all offline."""
        from crossrec.agent.factory import build_recommender

        return build_recommender(
            catalog,
            data_dir=data_dir,
            store=store,
            cache_dir=cache_dir,
            chroma_host=chroma_host,
            chroma_port=chroma_port,
            config=config,
        )

    @property
    def fusion_weight(self) -> float:
        """Weight of the retrieval-rank prior against the LLM scores (config, else the catalog's)."""
        if self.config.fusion_weight is not None:
            return self.config.fusion_weight
        return self.retrieval.generator.config.rerank_weight

    def warm_up(self) -> float:
        """Do once, now, what the first turn would otherwise pay for: the wish vectors, the
        query encoder, the ranking stage and the LLM's first pass. Returns the seconds taken."""
        start = time.perf_counter()
        self.wishes.warm()
        history = tuple(item.id for item in list(self.catalog)[:1])
        query = CandidateQuery(text="warm up", history=history, exclude=frozenset(history))
        ranked = self.rank(query, self.config.k)
        for item_id, _ in ranked[:1]:
            self.recommendation(item_id, 0.0, history, (), explain=True)
        writer = self.writer
        if ranked and self.explainer.writes and self.config.batch_justifications and writer.batches:
            jobs = [(i, self.finder.find(i, history, (), 3), history, "", None) for i, _ in ranked]
            with self.explainer.model_lock:  # a reply's k rows together: their kernels too
                writer.write_many(jobs)
        return time.perf_counter() - start

    # integrations ---------------------------------------------------------------------------
    def as_runnable(self):
        """This recommender as a LangChain Runnable (invoke, batch, stream)."""
        from crossrec.agent.langchain import RecommenderRunnable

        return RecommenderRunnable(self)

    def as_tool(self, name: str = "crossrec_recommend"):
        """This recommender as a LangChain structured tool."""
        from crossrec.agent.langchain import recommender_tool

        return recommender_tool(self, name)

    def as_retriever(self, k: int = 10, domain: str | None = None):
        """A LangChain retriever over the same Chroma collection."""
        from crossrec.retrieval import as_retriever

        if self.retrieval.store is None:
            raise ValueError("this recommender has no vector store")
        return as_retriever(self.retrieval.store, k=k, domain=self.catalog.check_domain(domain))

    # ranking -----------------------------------------------------------------------------
    def rank(
        self,
        query: CandidateQuery,
        k: int,
        dialog: Sequence[str] = (),
        avoid_facts: Sequence[tuple[str, str]] = (),
        timings: dict[str, float] | None = None,
        signals_out: dict[str, Signals] | None = None,
    ) -> list[tuple[str, float]]:
        """The top ``k`` (item id, score): fused candidates, the ranking stage, the LLM rerank.

        Candidates with a fact in ``avoid_facts`` (a genre the user dislikes) are dropped;
        ``timings`` receives ``retrieve_s`` and ``rerank_s``, ``signals_out`` their :class:`Signals`.
        """
        timings = {} if timings is None else timings
        start = time.perf_counter()
        candidates = self.candidates(query, k, avoid_facts)
        timings["retrieve_s"] = time.perf_counter() - start
        ranked = self.order(query, candidates, k, dialog, timings)
        if signals_out is not None:
            signals_out.update({i: candidates.signals[i] for i, _ in ranked})
        return ranked

    def candidates(
        self, query: CandidateQuery, k: int, avoid_facts: Sequence[tuple[str, str]] = ()
    ) -> CandidateSet:
        """The fused candidate pool with its ranking features, without disliked facts."""
        pool = max(k, self.config.num_candidates, self.config.pool)
        found = self.retrieval.generator.generate(query, k=pool)
        avoid = {tuple(f) for f in avoid_facts}
        kept = [c for c in found if not avoid & set(self.retrieval.graph.facts_of(c.item_id))]
        candidates = self._features(kept, query)
        if avoid and not kept and found:
            candidates.avoided = self._features(found, query)
        return candidates

    def _features(self, candidates: Sequence, query: CandidateQuery) -> CandidateSet:
        features, sigs = feature_matrix(
            candidates,
            query,
            self.retrieval.graph,
            self.grouping,
            self.retrieval.cooccurrence,
            self.retrieval.popularity,
            self.retrieval.generator.config.per_source,
        )
        ids = [c.item_id for c in candidates]
        if query.wish:  # what orders a wish's picks (the ranking stage's wish rule)
            text = query.texts if self.retrieval.graph.titles_describe else ()
            pop = None if text else self.retrieval.popularity  # nothing named: the best known
            near = (query.history, self.retrieval.store, self.catalog, text, pop, query.wish)
            sigs = nearness(sigs, ids, *near, facts_of=self.retrieval.graph.facts_of)
        return CandidateSet(ids, features, dict(zip(ids, sigs, strict=True)))

    def order(
        self,
        query: CandidateQuery,
        candidates: CandidateSet,
        k: int,
        dialog: Sequence[str] = (),
        timings: dict[str, float] | None = None,
    ) -> list[tuple[str, float]]:
        """The ranking stage's order, then the LLM's over its head: the top ``k`` with scores."""
        timings = {} if timings is None else timings
        sig, wish = candidates.signals, bool(query.wish)
        start = time.perf_counter()
        said = bool(dialog)  # a person's words, not a bare history
        ids = self.ranking.order(
            candidates.ids, candidates.features, [sig[i] for i in candidates.ids], wish, said
        )
        # the ranking stage counts as retrieval time, the LLM as rerank time
        timings["retrieve_s"] = timings.get("retrieve_s", 0.0) + time.perf_counter() - start
        head, tail = ids[: self.config.num_candidates], ids[self.config.num_candidates :]
        start = time.perf_counter()
        if self.reranker is not None and self.config.rerank and len(head) > 1:
            with self._model_lock:
                llm = self.reranker.score([self.rerank_input(query, head, dialog)])[0]
            fused = fuse_scores(llm, self.fusion_weight)
            order = np.argsort(-fused, kind="stable")
            by_llm = {head[n]: float(fused[n]) for n in order}
            head = self.ranking.after_llm(list(by_llm), sig, wish, said)
            scores = [by_llm[i] for i in head]
        else:
            scores = [float(-np.log1p(n)) for n in range(len(head))]
        timings["rerank_s"] = time.perf_counter() - start
        floor = min(scores, default=0.0)
        ranked = list(zip(head, scores, strict=True))
        ranked += [(i, floor - 1.0 - n * 1e-3) for n, i in enumerate(tail)]
        return ranked[:k]

    def rerank_input(
        self, query: CandidateQuery, head: Sequence[str], dialog: Sequence[str] = ()
    ) -> RerankInput:
        """The reranker's input for these candidates (the one builder serving, evaluation and
        training share)."""
        return build_rerank_input(
            self.finder, head, query.history, query.facts, dialog, query.domain
        )

    def rank_dialog(
        self,
        context: Sequence[str],
        k: int = 100,
        timings: dict[str, float] | None = None,
        shown: bool = False,
    ) -> list[tuple[str, float]]:
        """Stateless ranking for an evaluation dialog (utterances, user first). ``shown``:
        only what a reply would show, no item the dialog named, one per title and a maker's
        share (:func:`~crossrec.agent.turn.distinct_picks`, ``varied``); else the ranking as it is (a protocol
        such as iEvaLM's counts named items)."""
        from crossrec.agent.turn import distinct_picks, varied

        timings = {} if timings is None else timings
        start = time.perf_counter()
        query = dialog_query(context, self.linker, recent=self.config.recent_utterances)
        timings["link_s"] = time.perf_counter() - start
        if not shown:
            return self.rank(query, k, dialog=context, timings=timings)
        ranked = self.rank(query, self.config.pool, dialog=context, timings=timings)  # a reply's
        ranked = distinct_picks(self.catalog, ranked, query.history)
        return varied(self.retrieval.graph, ranked, [*query.history, *query.facts], query.wish)[:k]

    def _resolve(self, refs: Sequence[str]) -> tuple[list[str], list[str]]:
        """Item ids for ids or titles (linked); second value: the references not found."""
        ids, unknown = [], []
        for ref in refs:
            ref = str(ref)
            if ref in self.catalog:
                ids.append(ref)
                continue
            exact = self.catalog.by_title(ref)
            mentions = [m for m in self.linker.link(f'"{ref}"') if m.kind == "item"]
            found = exact[:1] or (list(mentions[0].ids[:1]) if mentions else [])
            (ids if found else unknown).extend(found or [ref])
        return ids, unknown

    def recommend(
        self,
        history: Sequence[str] = (),
        domain: str | None = None,
        k: int = 10,
        exclude: Sequence[str] = (),
        explain: bool = False,
    ) -> list[Recommendation]:
        """Recommendations from a history of ids or titles alone (no dialog); history is excluded."""
        domain = self.catalog.check_domain(domain)
        if not 1 <= k <= 1000:
            raise ValueError(f"k must be in 1..1000, got {k}")
        ids, unknown = self._resolve(history)
        if history and not ids:
            raise ValueError(
                f"none of the history items are in catalog {self.catalog.name!r}: {unknown[:5]}"
            )
        query = CandidateQuery(
            history=tuple(ids), domain=domain, exclude=frozenset(ids) | frozenset(exclude)
        )
        ranked = self.rank(query, k)
        return [
            self.recommendation(i, s, ids, (), explain=explain, variant=n)
            for n, (i, s) in enumerate(ranked)
        ]

    def recommendation(
        self,
        item_id: str,
        score: float,
        history: Sequence[str],
        facts,
        explain: bool,
        message: str = "",
        wish=None,
        links: Sequence | None = None,
        variant: int = 0,
    ) -> Recommendation:
        """One pick with its evidence, card line and evidence sentence; ``explain`` has the
        writer (when there is one) write the justification instead."""
        if links is None:
            links = self.explainer.finder.find(item_id, history, facts, limit=3)
        pick = self.explainer.card(item_id, score, history, facts, wish, links, variant)
        if explain:
            self.explainer.write(pick, links, history, message, wish)
        return pick

    # conversation ---------------------------------------------------------------------------
    def chat(self, message: str, session_id: str = "default", domain: str | None = None) -> Reply:
        """One conversational turn; returns the full reply."""
        reply = None
        for event in self.chat_events(message, session_id, domain):
            if isinstance(event, Reply):
                reply = event
        return reply

    def stream(
        self, message: str, session_id: str = "default", domain: str | None = None
    ) -> Iterator[str]:
        """One conversational turn as text chunks (justifications stream as they are checked)."""
        for event in self.chat_events(message, session_id, domain):
            if isinstance(event, str):
                yield event

    def chat_events(
        self, message: str, session_id: str = "default", domain: str | None = None
    ) -> Iterator[str | Reply]:
        """Text chunks of the reply as they are ready, then the complete :class:`Reply`."""
        from crossrec.agent.turn import run_turn

        with self.session_lock(session_id):  # two tabs or a double-click: one turn at a time
            try:
                yield from run_turn(self, message, session_id, domain)
            except StoreUnavailableError as exc:
                log.warning("turn of session %s without a vector store: %s", session_id, exc)
                text = (
                    "I can't reach the catalog's search service right now (I tried a few "
                    "times). Your conversation is saved; please send that again in a moment."
                )
                session = self.session(session_id)
                self.record_turn(session, "user", str(message)[: self.config.max_message_chars])
                self.record_turn(session, "assistant", text)
                self.sessions.save(session)
                yield text
                yield Reply(text, session_id=session_id, notices=["vector store unavailable"])

    def session_lock(self, session_id: str) -> threading.Semaphore:
        """The lock that serialises everything that reads and writes one session.

        A semaphore, not a lock: a streamed turn holds it across ``yield``, and the UI resumes
        a generator on whichever worker thread is free, so it may be released by another
        thread than the one that took it.
        """
        with self._locks_guard:
            return self._session_locks.setdefault(str(session_id), threading.BoundedSemaphore(1))

    # profile ------------------------------------------------------------------------------
    def session(self, session_id: str) -> Session:
        return self.sessions.load(session_id, self.catalog.name)

    def profile(self, session_id: str) -> Profile:
        return self.session(session_id).profile

    def update_profile(
        self,
        session_id: str,
        like: Sequence[str] = (),
        dislike: Sequence[str] = (),
        forget: Sequence[str] = (),
    ) -> Profile:
        """Add likes/dislikes (ids or titles) or remove items from a session's profile."""
        with self.session_lock(session_id):
            return self._update_profile(session_id, like, dislike, forget)

    def _update_profile(self, session_id: str, like, dislike, forget) -> Profile:
        session = self.session(session_id)
        for refs, action in (
            (like, session.profile.like),
            (dislike, session.profile.dislike),
            (forget, session.profile.forget),
        ):
            ids, unknown = self._resolve(refs)
            if unknown:
                raise ValueError(f"not in catalog {self.catalog.name!r}: {unknown[:5]}")
            for item_id in ids:
                action(item_id)
        self.sessions.save(session)
        return session.profile

    def set_domain(self, session_id: str, domain: str | None) -> Profile:
        with self.session_lock(session_id):
            session = self.session(session_id)
            session.profile.domain = self.catalog.check_domain(domain)
            self.sessions.save(session)
            return session.profile

    def reset(self, session_id: str) -> None:
        with self.session_lock(session_id):
            self.sessions.delete(session_id, self.catalog.name)

    def record_turn(
        self, session: Session, role: str, text: str, items: Sequence[str] = ()
    ) -> None:
        session.dialog.append(Turn(role, text, list(items), time.time()))
