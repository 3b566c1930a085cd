"""OpenDialKG (iEvaLM-CRS processed release): movies and books, dialogs, knowledge graph.

Domain rule (the release has no domain field): an item with any ``actor`` or ``director``
is a screen work and gets domain ``movie``. So is an item whose genres name a screen format
(an animated or children's TV series, a cartoon, a sitcom, a soap opera), and an item with a
TV-format genre ("Television", "Miniseries", a talk, game, reality or variety show) that
names no writer: Freebase also tags novels with their adaptations' formats ("Chain Reaction",
a novel, is tagged "Game show"), so a writer keeps such items books. Every other item gets
domain ``book``. On the published file this gives 2,287 movies and 1,385 books (2,249 and
1,423 by people alone): the format rule moved 38 items that the people-only rule filed as
books (Winx Club, Family Guy, The Big Bang Theory, The Ellen DeGeneres Show, ...).

Genre rule: an item the file gives no genre whose title the source qualified with a genre of
the catalog ("The Stand (Horror Film)", "(Action/Adventure Film)", "(Romantic comedy Film)")
gets that genre: 217 items, of 280 qualified titles without one (:func:`qualifier_genres`).
Without it "not horror" left in "The Stand (Horror Film)" and "I want a scary movie" had none.

Year rule: Freebase merged some films with the novels they adapt, and such a film carries its
novel's year. A screen work's year is dropped where it is before films were made (1888: Sense
and Sensibility, 1811; The Tempest, 1623; "old movies" put them first), or more than
:data:`CAST_GAP` years before the median year of its cast's other films (three or more): 19
more, such as I Am Legend (1954), Casino Royale (1953) and The Curious Case of Benjamin Button
(1922); one real year goes with them (Doctor Zhivago, 1965, its cast's other films 2005).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from statistics import median

from crossrec.retrieval.datasets.mentions import mentioned_items, title_pattern
from crossrec.retrieval.datasets.rows import RowSink, iter_jsonl, read_json
from crossrec.retrieval.datasets.schema import Catalog, Dataset, DialogTurn, Item

__all__ = ["ATTRIBUTE_ORDER", "FILES", "domain_of", "load_opendialkg", "qualifier_genres"]

FILES = (
    "id2info.json",
    "train_data_processed.jsonl",
    "valid_data_processed.jsonl",
    "test_data_processed.jsonl",
    "kg.json",
    "entity2id.json",
    "relation2id.json",
)
SPLITS = {
    "train": "train_data_processed.jsonl",
    "valid": "valid_data_processed.jsonl",
    "test": "test_data_processed.jsonl",
}
ATTRIBUTE_ORDER = ("year", "genre", "director", "writer", "actor", "language")
FIRST_FILMS = 1888  # a screen work dated before it carries a novel's year
CAST_GAP = 35  # or one dated this many years before its cast's other films


# Genres that only a screen work has, whoever is credited, and those a novel may carry too.
_SCREEN_FORMAT = re.compile(
    r"\b(?:animated (?:series|cartoon)|cartoon|anime|children's television series|sitcom|"
    r"television comedy|soap opera)\b",
    re.IGNORECASE,
)
_TV_FORMAT = re.compile(
    r"\b(?:television|tv series|miniseries|talk show|game show|reality television|reality-tv|"
    r"variety show)\b",
    re.IGNORECASE,
)


_QUALIFIER = re.compile(  # "(Horror Film) #313": the genre the source qualified a title with
    r"\(([^()#]*?)(?:\s+(?:Film|TV Program|TV Series|Book|Novel))?\)\s*(?:#\d+)?\s*$"
)


def domain_of(info: dict) -> str:
    """``movie`` for screen works (people or format, see the module docstring), else ``book``."""
    if info.get("actor") or info.get("director"):
        return "movie"
    genres = info.get("genre") or ()
    genres = [genres] if isinstance(genres, str) else [str(g) for g in genres]
    if any(_SCREEN_FORMAT.search(g) for g in genres):
        return "movie"
    if not info.get("writer") and any(_TV_FORMAT.search(g) for g in genres):
        return "movie"
    return "book"


def _dedupe(values) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    seen: dict[str, None] = {}
    for v in values or ():
        v = str(v).strip()
        if v and v not in seen:
            seen[v] = None
    return tuple(seen)


def _items(path: Path, sink: RowSink) -> tuple[list[Item], set[str]]:
    """The catalog's items, and the titles of the films whose novel's year is dropped."""
    items, rows = [], read_json(path)
    infos = [info for info in rows.values() if isinstance(info, dict)]
    genres = {g.casefold(): g for info in infos for g in _dedupe(info.get("genre"))}
    for key, info in rows.items():
        name = str(info.get("name", "")).strip() if isinstance(info, dict) else ""
        if not name:
            sink.bad(path, 1, f"{key}.name", "item has no name")
            continue
        attributes = {a: _dedupe(info.get(a)) for a in ATTRIBUTE_ORDER if _dedupe(info.get(a))}
        domain = domain_of(info)
        qualified = () if "genre" in attributes else qualifier_genres(name, genres)
        if qualified:
            attributes["genre"] = qualified
        items.append(Item(id=str(key), domain=domain, title=name, attributes=attributes))
    return _without_novel_years(items)


def _without_novel_years(items: list[Item]) -> tuple[list[Item], set[str]]:
    """``items``, each screen work dated by the novel it adapts without its year (see the
    module docstring), and those works' titles."""
    years = {i.id: y for i in items if (y := _year(i)) is not None}
    cast: dict[str, list[str]] = defaultdict(list)
    for item in items:
        for actor in set(item.attributes.get("actor", ())) if item.id in years else ():
            cast[actor].append(item.id)
    out = []
    for item in items:
        year = years.get(item.id) if item.domain == "movie" else None
        actors = set(item.attributes.get("actor", ())) if year is not None else set()
        others = [years[j] for a in actors for j in cast[a] if j != item.id]
        novel = year is not None and (
            year < FIRST_FILMS or len(others) >= 3 and year < median(others) - CAST_GAP
        )
        attributes = {k: v for k, v in item.attributes.items() if k != "year" or not novel}
        out.append(replace(item, attributes=attributes) if novel else item)
    return out, {item.title for item, kept in zip(items, out, strict=True) if item is not kept}


def _year(item: Item) -> int | None:
    said = item.attributes.get("year", ())
    return int(said[0]) if said and said[0].isdigit() else None


def qualifier_genres(title: str, genres: dict[str, str]) -> tuple[str, ...]:
    """The catalog's ``genres`` (folded -> as written) a title's qualifier names: "Horror" of
    "The Stand (Horror Film)", "Action" and "Adventure" of "(Action/Adventure Film)"."""
    said = _QUALIFIER.search(title)
    parts = said.group(1).split("/") if said else []
    return tuple(
        dict.fromkeys(genres[p.strip().casefold()] for p in parts if p.strip().casefold() in genres)
    )


def load_opendialkg(data_dir: Path, skip_invalid: bool = False) -> Dataset:
    """Load the catalog, the three turn splits and the knowledge graph from ``data_dir``."""
    root = Path(data_dir) / "opendialkg"
    sink = RowSink(skip_invalid)
    items, undated = _items(root / "id2info.json", sink)
    catalog = Catalog("opendialkg", items)
    pattern = title_pattern(catalog)
    turns: dict[str, list[DialogTurn]] = {}
    for split, filename in SPLITS.items():
        path = root / filename
        rows = []
        for line, row in iter_jsonl(path, sink):
            context = row.get("context")
            if not isinstance(context, list) or not all(isinstance(u, str) for u in context):
                sink.bad(path, line, "context", "expected a list of utterances")
                continue
            targets = []
            for name in row.get("rec") or []:
                ids = catalog.by_title(str(name))
                if not ids:
                    sink.bad(path, line, "rec", f"{name!r} is not a catalog item")
                targets.extend(ids[:1])
            if not targets:
                sink.bad(path, line, "rec", "no recommended catalog item")
                continue
            entities = tuple(str(e) for e in row.get("entity") or ())
            rows.append(
                DialogTurn(
                    dialog_id=f"{split}-{row.get('dialog_id', line)}",
                    turn_id=int(row.get("turn_id", 0)),
                    context=tuple(context),
                    mentioned=mentioned_items(tuple(context), entities, catalog, pattern),
                    targets=tuple(dict.fromkeys(targets)),
                    reference=str(row.get("resp", "")),
                    entities=entities,
                )
            )
        turns[split] = rows
    return Dataset(
        name="opendialkg",
        catalog=catalog,
        turns=turns,
        # a film's novel year is in the graph's triples too, told by name
        triples=[t for t in _triples(root) if t[1] != "year" or t[0] not in undated],
        skipped=sink.skipped,
    )


def _triples(root: Path) -> list[tuple[str, str, str]]:
    """(head name, relation, tail name) triples of ``kg.json``."""
    names = {int(v): k for k, v in read_json(root / "entity2id.json").items()}
    relations = {int(v): k for k, v in read_json(root / "relation2id.json").items()}
    triples: dict[tuple[str, str, str], None] = {}
    for head, edges in read_json(root / "kg.json").items():
        head_name = names.get(int(head))
        for relation, tail in edges:
            tail_name = names.get(int(tail))
            if head_name and tail_name and int(relation) in relations:
                triples[(head_name, relations[int(relation)], tail_name)] = None
    return list(triples)
