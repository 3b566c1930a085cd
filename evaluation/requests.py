"""The ``requests`` protocol: plain requests and follow-up wishes, as people type them.

Built from the catalog and the real dialogs, with a seed:

- *plain requests*: "I loved the movie X. Any books I'd like?" in several phrasings (any other
  catalog: "I really like the X. Any office products I'd like?"), for items X that share a
  specific fact (a writer, director, actor, brand or franchise: any relation that is not a
  grouping one such as genre or category) with at least one item of the asked domain, the other domain
  whenever it has one. A pick is relevant when it shares such a fact with X;
- *follow-up wishes*: "I loved the movie X", then "Something funnier, please", "For my kids",
  ...; a pick fits the wish when its own genres (or, in a catalog without genres, its
  categories) say so (the patterns in :data:`WISHES` and :data:`CATEGORY_WISHES`, the
  evaluation's definition, independent of how the agent maps wishes);
- *strict cross-domain turns*: every turn of the split whose named items are all in one domain
  and whose targets are in the other, ranked from the dialog; relevant are the targets, the
  items sharing a specific fact with a named item, and the items carrying a specific fact the
  dialog named (its annotated entities, e.g. an actor).

Metrics: hit@5 and precision@5 of relevant picks (with its bound: the share of the five slots
a perfect ranking could fill, since some items have fewer than five relevant ones), the
title-echo rate of picks (a pick that shares a title word with a named item but no fact and no
co-occurrence with it, in a catalog whose titles name items), and the share of picks fitting
the active wish, and the share of those picks that also share something with the named item
beyond the wish (a person, a genre or category other than the wish's; not a language or a
year). Every agent configuration runs on the same requests.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from crossrec.agent import Recommender, signals
from crossrec.retrieval import WEAK_RELATIONS, Dataset
from tqdm.auto import tqdm

__all__ = [
    "CATEGORY_WISHES",
    "GENERIC_PHRASINGS",
    "PHRASINGS",
    "WISHES",
    "Request",
    "build_requests",
    "split_seed",
    "dialog_requests",
    "markdown_table",
    "run_requests",
]

PHRASINGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("movie", "book"): (
        "I loved the movie {t}. Any books I'd like?",
        "{t} is one of my favourite films. What should I read next?",
        "Just watched {t} and really enjoyed it - can you suggest some books?",
    ),
    ("book", "movie"): (
        "I really enjoyed the book {t}. Any movies?",
        "{t} is my favourite novel. Recommend me some films.",
        "I just finished reading {t}. What should I watch?",
    ),
    ("movie", "movie"): (
        "I loved the movie {t}. Any other films like it?",
        "What should I watch after {t}?",
    ),
    ("book", "book"): (
        "I loved the book {t}. What should I read next?",
        "Any books for someone who liked {t}?",
    ),
}
# any other pair of domains ({d}: the asked domain's name)
GENERIC_PHRASINGS: tuple[str, ...] = (
    "I really like the {t}. Any {d} products I'd like?",
    "I bought the {t} and loved it. What {d} products would you suggest?",
    "What {d} products go well with the {t}?",
)
# (follow-up message, genre pattern that makes a pick fit it)
WISHES: tuple[tuple[str, str], ...] = (
    ("Something funnier, please", r"comed|humou?r|satire|parody|sitcom"),
    ("I want something my kids can watch", r"family|children|animat|kids|juvenile|cartoon"),
    ("Something scarier?", r"horror|supernatural|slasher"),
    ("Something more romantic, please", r"romance|romantic"),
    ("More action, please", r"action"),
    ("Anything with a bit of science fiction?", r"science fiction|sci-fi|space"),
)

# (follow-up message, category pattern): catalogs whose items have categories, not genres
CATEGORY_WISHES: tuple[tuple[str, str], ...] = (
    ("Something for painting, please", r"paint"),
    # every arts path starts "arts crafts sewing": a sewing item names sewing again below it
    ("I need something for sewing", r"sewing\b.*\bsewing|quilting"),
    ("Anything for drawing?", r"drawing|sketch|pencil|marker"),
    ("Something to keep things organised", r"storage|organi[sz]|filing"),
    ("Something for knitting or crochet?", r"knit|crochet|yarn"),
    ("Anything for writing?", r"writing|pens?\b"),
)


@dataclass(frozen=True)
class Request:
    """One scripted session: the messages and what makes a pick relevant or fit."""

    kind: str  # "plain", "wish" or "dialog"
    messages: tuple[str, ...]
    named: tuple[str, ...]
    relevant: frozenset[str] = frozenset()
    wish_pattern: str | None = None
    domain: str | None = None
    wish_attribute: str = "genre"


def _specific_partners(dataset: Dataset, graph, grouping) -> dict[str, set[str]]:
    partners: dict[str, set[str]] = {}
    for fact in graph.facts:
        if fact[0] in grouping:
            continue
        items = graph.items_with(fact)
        if 2 <= len(items) <= 200:
            for a in items:
                partners.setdefault(a, set()).update(b for b in items if b != a)
    return partners


def split_seed(split: str, seed: int = 0) -> int:
    """The seed of a split's plain requests and wishes: they are drawn from the catalog, not
    from the split's dialogs, so each split draws its own (until session 35 validation ran on
    the test split's requests)."""
    return seed + {"test": 0, "valid": 1, "train": 2}.get(split, 0)


def build_requests(
    dataset: Dataset, graph, n_plain: int = 60, n_wish: int = 36, seed: int = 0
) -> list[Request]:
    """Seeded plain requests and follow-up wishes over ``dataset``'s catalog."""
    rng = random.Random(seed)
    catalog = dataset.catalog
    grouping = graph.grouping_relations()
    partners = _specific_partners(dataset, graph, grouping)
    named = sorted(i for i in partners if len(catalog[i].title.split()) <= 8)
    rng.shuffle(named)
    cross: list[Request] = []
    same: list[Request] = []
    for item_id in named:
        source = catalog[item_id].domain
        for target in sorted(catalog.domains, key=source.__eq__):  # the other domain first
            relevant = frozenset(p for p in partners[item_id] if catalog[p].domain == target)
            if not relevant:
                continue
            phrase = rng.choice(PHRASINGS.get((source, target), GENERIC_PHRASINGS))
            message = phrase.format(t=catalog[item_id].title, d=target)
            request = Request("plain", (message,), (item_id,), relevant, domain=target)
            (same if source == target else cross).append(request)
            break
    # half of the plain requests cross domains (what this product is for), where that many can
    out = cross[: n_plain // 2]
    out += same[: n_plain - len(out)]
    out += cross[n_plain // 2 :][: n_plain - len(out)]  # more across where too few within
    out += _wish_requests(catalog, named, n_wish)
    return out


def _wish_requests(catalog, named: list[str], n: int) -> list[Request]:
    """Follow-up wishes after a liked item: genre wishes on movies where the catalog has them,
    category wishes on the items of any other catalog."""
    movies = [i for i in named if catalog[i].domain == "movie"]
    wishes, attribute = (WISHES, "genre") if movies else (CATEGORY_WISHES, "category")
    bases = movies or named
    out = []
    for m in range(n if bases else 0):
        base = bases[m % len(bases)]
        wish, pattern = wishes[m % len(wishes)]
        title = catalog[base].title
        first = f"I loved the movie {title}" if movies else f"I really like the {title}"
        out.append(Request("wish", (first, wish), (base,), frozenset(), pattern, None, attribute))
    return out


def dialog_requests(dataset: Dataset, split: str, graph) -> list[Request]:
    """The strict cross-domain turns of a dialog split, with fact-defined relevance: the
    targets, and the items of the target domain that share a specific fact with a named item
    or carry a specific fact the dialog named itself (its annotated entities: "Tom Hanks")."""
    catalog = dataset.catalog
    grouping = graph.grouping_relations()
    partners = _specific_partners(dataset, graph, grouping)
    by_value: dict[str, list] = {}
    for fact in graph.facts:
        if fact[0] not in grouping:
            by_value.setdefault(str(fact[1]).casefold(), []).append(fact)
    out = []
    for turn in dataset.turns.get(split, []):
        named = tuple(turn.mentioned)
        domains = {catalog[i].domain for i in named}
        target_domains = {catalog[t].domain for t in turn.targets}
        if len(domains) != 1 or len(target_domains) != 1 or domains == target_domains:
            continue
        (target,) = target_domains
        carriers = set()  # items with a specific fact the dialog named itself
        for fact in (f for e in turn.entities for f in by_value.get(e.casefold(), ())):
            if len(graph.items_with(fact)) <= 200:
                carriers.update(graph.items_with(fact))
        relevant = set(turn.targets)
        relevant |= {i for i in carriers - set(named) if catalog[i].domain == target}
        for i in named:
            relevant |= {p for p in partners.get(i, ()) if catalog[p].domain == target}
        out.append(Request("dialog", tuple(turn.context), named, frozenset(relevant), None, target))
    return out


@dataclass
class Tally:
    """Counts behind the protocol's metrics, per request kind."""

    requests: int = 0
    hits: int = 0
    picks: int = 0
    relevant_picks: int = 0
    echoes: int = 0
    wish_picks: int = 0
    fitting_picks: int = 0
    related_picks: int = 0  # wish picks that share something beyond the wish with X
    fillable: int = 0  # slots a perfect ranking fills with relevant items: min(k, |relevant|)
    examples: list[dict] = field(default_factory=list)

    def metrics(self) -> dict:
        def share(a, b):
            return round(a / b, 4) if b else None

        return {
            "requests": self.requests,
            "hit@5": share(self.hits, self.requests),
            "precision@5": share(self.relevant_picks, self.picks),
            "precision@5_bound": share(self.fillable, 5 * self.requests) if self.fillable else None,
            "echo_rate": share(self.echoes, self.picks),
            "wish_fit": share(self.fitting_picks, self.wish_picks),
            "wish_related": share(self.related_picks, self.wish_picks),
        }


def _fits(item, pattern: str, attribute: str = "genre") -> bool:
    return any(re.search(pattern, g, re.IGNORECASE) for g in item.attributes.get(attribute, ()))


def _related(graph, item_id: str, request: Request) -> bool:
    """Whether a wish pick shares a fact with a named item besides a language, a year and
    what the wish asks for ("I loved Dracula", "something funnier": a horror comedy is
    related, any comedy is not)."""
    return any(
        f[0] not in WEAK_RELATIONS and not re.search(request.wish_pattern, f[1], re.I)
        for other in request.named
        for f in graph.shared(item_id, other)
    )


def run_requests(agent: Recommender, requests: Sequence[Request], k: int = 5) -> dict[str, dict]:
    """Chat every request through ``agent`` (fresh session each) and score the last reply."""
    catalog, graph = agent.catalog, agent.retrieval.graph
    tallies: dict[str, Tally] = {}
    for n, request in enumerate(tqdm(requests, desc="requests", unit="request", leave=False)):
        if request.kind == "dialog":
            ids = [i for i, _ in agent.rank_dialog(list(request.messages), k, shown=True)]
        else:
            session = f"requests-{n}"
            agent.reset(session)
            for message in request.messages:
                reply = agent.chat(message, session_id=session)
            ids = [r.item_id for r in reply.items][:k]
        tally = tallies.setdefault(request.kind, Tally())
        tally.requests += 1
        tally.picks += len(ids)
        good = [i for i in ids if i in request.relevant]
        tally.relevant_picks += len(good)
        tally.hits += bool(good)
        tally.fillable += min(k, len(request.relevant))
        for i in ids:
            s = signals(
                i, request.named, (), (), graph, agent.grouping, agent.retrieval.cooccurrence
            )
            tally.echoes += s.echo
        if request.wish_pattern:
            tally.wish_picks += len(ids)
            tally.fitting_picks += sum(
                _fits(catalog[i], request.wish_pattern, request.wish_attribute) for i in ids
            )
            tally.related_picks += sum(_related(graph, i, request) for i in ids)
        if len(tally.examples) < 5:
            tally.examples.append(
                {"messages": list(request.messages[-2:]), "picks": [catalog[i].title for i in ids]}
            )
    return {kind: {**t.metrics(), "examples": t.examples} for kind, t in tallies.items()}


def markdown_table(report: dict) -> str:
    """The README's table of a ``requests`` report (one row per system and request kind)."""
    names = {
        "plain": "plain requests",
        "wish": "follow-up wishes",
        "dialog": "strict cross-domain turns",
    }
    lines = [
        "| system | requests | n | hit@5 | precision@5 | its bound | title-echo rate | wish fit "
        "| wish picks related to X |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def cell(value):
        return "" if value is None else f"{value:.3f}"

    for kind in ("plain", "wish", "dialog"):
        for system, kinds in report["systems"].items():
            m = kinds.get(kind)
            if m is None:
                continue
            hit = "" if kind == "wish" else cell(m["hit@5"])
            precision = "" if kind == "wish" else cell(m["precision@5"])
            bound = cell(m.get("precision@5_bound"))
            lines.append(
                f"| {system} | {names[kind]} | {m['requests']} | {hit} | {precision} | {bound} | "
                f"{cell(m['echo_rate'])} | {cell(m['wish_fit'])} | {cell(m.get('wish_related'))} |"
            )
    return "\n".join(lines) + "\n"
