"""Assemble the retrieval components of one dataset: graph, collaborative models, sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from crossrec.retrieval.datasets.mentions import named_by_people
from crossrec.retrieval.datasets.schema import Dataset, DialogTurn, History
from crossrec.retrieval.graph import KnowledgeGraph
from crossrec.retrieval.index.store import CatalogStore
from crossrec.retrieval.intent import detect_domain
from crossrec.retrieval.itemspace import ItemSpace
from crossrec.retrieval.linking import EntityLinker
from crossrec.retrieval.sources.candidates import (
    ALSSource,
    BM25Source,
    CandidateQuery,
    CooccurrenceSource,
    DenseSource,
    FusedGenerator,
    FusionConfig,
    KnowledgeSource,
    PopularitySource,
)
from crossrec.retrieval.sources.cooccur import ALSModel, Cooccurrence, Popularity

__all__ = [
    "Decision",
    "Retrieval",
    "build_retrieval",
    "candidate_query",
    "decisions",
    "dialog_query",
    "query_for_history",
    "training_sequences",
]


def training_sequences(
    dataset: Dataset, splits: Sequence[str] = ("train",), keep: set[str] | None = None
) -> list[tuple[str, ...]]:
    """Item sequences for collaborative models: one per user or per dialog.

    ``keep`` restricts to those user or dialog ids (for cross-fitting folds).
    """
    sequences: dict[str, list[str]] = {}
    for split in splits:
        for row in dataset.histories.get(split, []):
            if keep is not None and row.user_id not in keep:
                continue
            seq = sequences.setdefault(f"{split}/{row.user_id}", list(row.items))
            if row.target and row.target not in seq[len(row.items) :]:
                seq.append(row.target)
        for turn in dataset.turns.get(split, []):
            if keep is not None and turn.dialog_id not in keep:
                continue
            seq = sequences.setdefault(f"{split}/{turn.dialog_id}", [])
            for item_id in (*turn.mentioned, *turn.targets):
                if item_id not in seq:
                    seq.append(item_id)
    return [tuple(s) for s in sequences.values() if s]


@dataclass
class Retrieval:
    """Everything candidate generation needs for one catalog."""

    dataset: Dataset
    space: ItemSpace
    graph: KnowledgeGraph
    cooccurrence: Cooccurrence
    popularity: Popularity
    store: CatalogStore | None
    generator: FusedGenerator
    als: ALSModel | None = None  # fitted only when the fusion gives the "als" source weight

    @cached_property
    def named(self) -> dict[str, int]:
        """How often people named each item themselves in the train split
        (:func:`~crossrec.retrieval.datasets.mentions.named_by_people`): what a reply with
        nothing to go on shows."""
        return dict(named_by_people(self.dataset))

    def refit(self, sequences: Sequence[Sequence[str]]) -> None:
        """Refit the collaborative models on other sequences (cross-fitting)."""
        self.cooccurrence.fit(sequences)
        self.popularity.fit(sequences)
        if self.als is not None:
            self.als.fit(sequences)


def build_retrieval(
    dataset: Dataset,
    store: CatalogStore | None,
    fusion: FusionConfig | None = None,
    sequences: Sequence[Sequence[str]] | None = None,
) -> Retrieval:
    """Fit the collaborative models on ``sequences`` (default: the train split) and wire sources."""
    space = ItemSpace(dataset.catalog)
    graph = KnowledgeGraph(space, dataset.triples)
    sequences = training_sequences(dataset) if sequences is None else sequences
    cooccurrence = Cooccurrence(space).fit(sequences)
    popularity = Popularity(space).fit(sequences)
    sources = [
        BM25Source(space),
        CooccurrenceSource(cooccurrence),
        KnowledgeSource(graph),
        PopularitySource(popularity),
    ]
    als = None
    if fusion is not None and fusion.weights.get(ALSSource.name, 0.0) > 0:
        als = ALSModel(space).fit(sequences)
        sources.append(ALSSource(als))
    if store is not None:
        sources.insert(0, DenseSource(store))
    generator = FusedGenerator(sources, fusion)
    return Retrieval(dataset, space, graph, cooccurrence, popularity, store, generator, als)


def query_for_history(
    row: History, domain: str | None, history: Sequence[str] | None = None
) -> CandidateQuery:
    """A candidate query from a user's history alone; items they already have are excluded."""
    items = tuple(row.items if history is None else history)
    return CandidateQuery(history=items, domain=domain, exclude=frozenset(items))


def dialog_query(
    context: Sequence[str],
    linker: EntityLinker,
    recent: int = 3,
    domain: str | None = None,
    detect: bool = True,
    strip_names: bool = True,
) -> CandidateQuery:
    """A candidate query from dialog utterances (user first, alternating).

    Linked items become the history (oldest first), linked facts the named facts, the last
    ``recent`` utterances the text; without ``domain``, an explicit request in the user's
    utterances ("any books?") sets it. With ``strip_names`` the text keeps only what was not
    linked, so the lexical and dense queries follow what was said about the names, never the
    names' own words (Mansfield Park must not find Wicker Park).
    """
    items: dict[str, None] = {}
    facts: dict[tuple[str, str], None] = {}
    texts = []
    for n, utterance in enumerate(context):
        mentions = linker.link(utterance)
        for mention in mentions:
            if mention.kind == "item":
                items.update(dict.fromkeys(mention.ids))
            else:
                facts.update(dict.fromkeys(mention.facts))
        if n >= len(context) - recent:
            kept = list(utterance)
            for m in mentions if strip_names else ():
                kept[m.start : m.end] = " " * (m.end - m.start)
            texts.append(" ".join("".join(kept).split()))
    if domain is None and detect:
        domain = detect_domain(" ".join(context[0::2]), linker.catalog.domains)
    text = " ".join(texts)
    return CandidateQuery(text=text, history=tuple(items), facts=tuple(facts), domain=domain)


@dataclass(frozen=True)
class Decision:
    """A dataset row as the reranker sees it: who, what was said, what was chosen."""

    row_id: str
    group: str
    history: tuple[str, ...]
    dialog: tuple[str, ...]
    domain: str | None
    facts: tuple[tuple[str, str], ...]
    targets: tuple[str, ...]
    text: str = ""
    reference: str = ""


def decisions(dataset: Dataset, split: str, linker: EntityLinker | None = None) -> list[Decision]:
    """Every decision of a split (one per Amazon line, one per OpenDialKG turn)."""
    rows = dataset.split(split)
    out = []
    for n, row in enumerate(rows):
        if isinstance(row, History):
            if row.target is None:  # a one-item history: statistics only, nothing to predict
                continue
            domain = dataset.catalog[row.target].domain
            out.append(
                Decision(f"{split}-{n}", row.user_id, row.items, (), domain, (), (row.target,))
            )
        elif isinstance(row, DialogTurn):
            if linker is None:
                raise ValueError("dialog datasets need an entity linker")
            query = dialog_query(row.context, linker)
            out.append(
                Decision(
                    f"{split}-{n}",
                    row.dialog_id,
                    query.history,
                    row.context,
                    query.domain,
                    query.facts,
                    row.targets,
                    query.text,
                    row.reference,
                )
            )
    return out


def candidate_query(decision: Decision) -> CandidateQuery:
    """The candidate query the agent would issue for this decision."""
    if decision.dialog:
        return CandidateQuery(
            text=decision.text,
            history=decision.history,
            facts=decision.facts,
            domain=decision.domain,
        )
    return query_for_history(History("", decision.history), decision.domain)
