"""Evidence: why a candidate fits a user, as true facts connecting it to their history.

Every link is computed from data, never generated: a fact the user named that the item has,
a fact the item shares with a history item (knowledge graph or attributes), or co-occurrence
with a history item in the training interactions. The reranker's prompt shows the strongest
link per candidate; the agent's justifications are written from (and checked against) them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from crossrec.retrieval.datasets.schema import Catalog
from crossrec.retrieval.graph import Fact, KnowledgeGraph
from crossrec.retrieval.sources.cooccur import Cooccurrence

__all__ = ["EvidenceFinder", "EvidenceLink", "describe_fact"]


def describe_fact(fact: Fact) -> str:
    relation, value = fact
    return f"{relation} {value}"


@dataclass(frozen=True)
class EvidenceLink:
    """One true connection between a recommended item and the user's history or words."""

    kind: str  # "named_fact", "shared_fact" or "cooccurrence"
    strength: float
    history_item: str | None = None
    fact: Fact | None = None

    def describe(self, catalog: Catalog, max_title_words: int = 8) -> str:
        """Short text for prompts and cards, e.g. 'director David Fincher, like Fight Club'."""
        title = catalog[self.history_item].short(max_title_words) if self.history_item else ""
        if self.kind == "named_fact":
            return f"{describe_fact(self.fact)} (you mentioned)"
        if self.kind == "shared_fact":
            return f"{describe_fact(self.fact)}, like {title}"
        return f"often chosen with {title}"

    def compact(self, history_refs: dict[str, int] | None = None) -> str:
        """Few-token form for prompts: "brand ivation (#2)", "with #5", "actor Ryan Reynolds"."""
        ref = ""
        if self.history_item is not None:
            number = (history_refs or {}).get(self.history_item)
            ref = f"#{number}" if number else ""
        if self.kind == "cooccurrence":
            return f"often with {ref}".strip() if ref else "often chosen together"
        relation, value = self.fact
        words = value.split()
        value = " ".join(words[-3:] if relation == "category" else words[:4])
        return f"{relation} {value}" + (f" ({ref})" if ref else "")

    @classmethod
    def from_dict(cls, data: dict) -> EvidenceLink:
        fact = (data["relation"], data["value"]) if data.get("relation") else None
        return cls(data["kind"], float(data.get("strength", 0.0)), data.get("history_item"), fact)

    def to_dict(self, catalog: Catalog) -> dict:
        return {
            "kind": self.kind,
            "strength": round(self.strength, 4),
            "history_item": self.history_item,
            "history_title": catalog.shown(self.history_item) if self.history_item else None,
            "relation": self.fact[0] if self.fact else None,
            "value": self.fact[1] if self.fact else None,
            "text": self.describe(catalog),
        }


class EvidenceFinder:
    """Finds the strongest true links from an item to a history and named facts."""

    def __init__(
        self,
        graph: KnowledgeGraph,
        cooccurrence: Cooccurrence | None = None,
        min_cooccurrence: float = 0.05,
        known_names: bool = False,
    ):
        self.graph = graph
        self.known_names = known_names  # say the best-known shared name (see _best_known)
        self.catalog = graph.space.catalog
        self.cooccurrence = cooccurrence
        self.min_cooccurrence = min_cooccurrence

    def find(
        self,
        item_id: str,
        history: Sequence[str] = (),
        facts: Sequence[Fact] = (),
        limit: int = 3,
        avoid: Collection[str] = (),
    ) -> list[EvidenceLink]:
        """Up to ``limit`` links, strongest first; one per history item or named fact, none
        by a value to ``avoid`` (one left out: "not by the same director" then gave Man of
        Steel as "same writer as The Dark Knight: Christopher Nolan")."""
        links: list[EvidenceLink] = []
        own = set(self.graph.facts_of(item_id))
        roles: dict[str, Fact] = {}  # a person named, held in two roles: the one most theirs
        for fact in (f for f in facts if f in own and f[1] not in avoid):  # ("Jaws stars
            held = roles.get(fact[1])  # Steven Spielberg": he directs it)
            if held is None or len(self.graph.items_with(fact)) > len(self.graph.items_with(held)):
                roles[fact[1]] = fact
        for fact in roles.values():
            links.append(EvidenceLink("named_fact", 2.0 + self.graph.weight(fact), fact=fact))
        recent = [
            h for h in dict.fromkeys(reversed(history)) if h != item_id and h in self.catalog
        ][:20]
        for age, other in enumerate(recent):
            recency = 0.9**age
            shared = [f for f in self.graph.shared(item_id, other) if f[1] not in avoid]
            if shared:
                links.append(
                    EvidenceLink(
                        "shared_fact",
                        self.graph.weight(shared[0]) * recency,
                        history_item=other,
                        fact=self._best_known(shared) if self.known_names else shared[0],
                    )
                )
            if self.cooccurrence is not None:
                similarity = self.cooccurrence.neighbours(item_id, other)
                if similarity >= self.min_cooccurrence:
                    links.append(
                        EvidenceLink("cooccurrence", 4.0 * similarity * recency, history_item=other)
                    )
        links.sort(key=lambda link: -link.strength)
        return links[:limit]

    def _best_known(self, shared: list[Fact]) -> Fact:
        """The fact a reply's link names (with ``known_names``; the reranker's prompt keeps
        the one it was trained on, the strongest): where the strongest is a name (a writer,
        director, actor, brand), the shared name with the most items. The rarest is the
        strongest evidence, but a person knows Panic Room as David Fincher's, not as Jared
        Leto's, The Dark Knight Rises by Morgan Freeman, not by Nestor Carbonell, and Sense and
        Sensibility by Jane Austen, not by Tony Tanner, an editor of the edition Mansfield
        Park is filed as. A grouping fact keeps the rarest: Batman, not Action."""
        grouping = self.graph.grouping_relations()
        if shared[0][0] in grouping:
            return shared[0]
        names = [f for f in shared if f[0] not in grouping]
        return max(names, key=lambda f: self.graph.df[self.graph.fact_index[f]])
