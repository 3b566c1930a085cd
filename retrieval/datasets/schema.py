"""The normalised schema every dataset adapter produces: items, histories, dialog turns."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

__all__ = [
    "Catalog",
    "before_alternative",
    "without_qualifier",
    "DataError",
    "Dataset",
    "DialogTurn",
    "History",
    "Item",
    "SkippedRow",
    "normalize_title",
]

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")
# words that open a clause of a product description: "prong bases for two piece fasteners"
# "(Satirical Book)", "(1977)"; a series place ("Requiem (Providence #2)") stays
# "Pulse (Horror Film) #313": a qualifier and the source's number for the entity
_NUMBER = re.compile(r"(?<=\))\s*#\d+\s*$")  # "Pulse (Horror Film) #313"
_QUALIFIER = re.compile(r"(?<=\S)\s+\([^()#]*\)(?:\s*#\d+)?\s*$")
_ARTICLES = frozenset({"the", "a", "an"})
_NUMBERED = re.compile(r"\b(?:\d+|[ivx]+)$", re.IGNORECASE)  # "Mad Max 2", "Star Trek III"
_ALTERNATIVE = re.compile(  # "or" after a comma or a semicolon, before a colon or a bracket, or
    # before three words or more: "Moby Dick; or, The Whale", "The Hobbit or There and Back Again"
    r"(.+?)(?:\s*[;,]\s*or\b|\s+or\s*[:(]|\s+or\s+(?=\S+(?:\s+\S+){2,}$))",
    re.IGNORECASE,
)
_SMALL = frozenset(["to", "be", "a", "an", "the", "of", "in", "do", "not"])  # "To Be or Not to Be"
_CLAUSE_WORDS = frozenset(
    ["for", "with", "by", "to", "in", "of", "from", "and", "featuring", "including"]
)


def normalize_title(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key for matching titles and names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PUNCT.sub(" ", text.casefold())
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Item:
    """One catalog item in one domain."""

    id: str
    domain: str
    title: str
    text: str = ""
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def document(self, max_values: int = 6) -> str:
        """The text that is embedded and lexically indexed for this item."""
        parts = [self.title, self.domain]
        if self.text:
            parts.append(self.text)
        for key, values in self.attributes.items():
            if values:
                parts.append(f"{key}: {', '.join(values[:max_values])}")
        return ". ".join(parts)

    def short(self, max_words: int = 12) -> str:
        """The title, cut to ``max_words`` words, for compact prompts."""
        words = self.title.split()
        return " ".join(words[:max_words]) + (" ..." if len(words) > max_words else "")


@dataclass(frozen=True)
class History:
    """A user's time-ordered cross-domain history and the held-out next item."""

    user_id: str
    items: tuple[str, ...]
    target: str | None = None


@dataclass(frozen=True)
class DialogTurn:
    """A recommendation turn: what was said so far and what the recommender named next."""

    dialog_id: str
    turn_id: int
    context: tuple[str, ...]
    mentioned: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    reference: str = ""
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkippedRow:
    """A malformed input row that ``--skip-invalid`` left out, and why."""

    path: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: field {self.field!r}: {self.reason}"


class DataError(ValueError):
    """Malformed input data; the message names file, line and field."""

    def __init__(self, path: str, line: int, field_name: str, reason: str):
        self.row = SkippedRow(str(path), line, field_name, reason)
        super().__init__(str(self.row))


class Catalog:
    """An immutable, id-indexed set of items with title lookup."""

    def __init__(self, name: str, items: Iterable[Item]):
        self.name = name
        self._items: dict[str, Item] = {}
        for item in items:
            if item.id in self._items:
                raise ValueError(f"catalog {name!r}: duplicate item id {item.id!r}")
            self._items[item.id] = item
        self._by_title: dict[str, list[str]] = {}
        for item in self._items.values():
            self._by_title.setdefault(normalize_title(item.title), []).append(item.id)
        self.domains: tuple[str, ...] = tuple(sorted({i.domain for i in self._items.values()}))

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self._items.values())

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __getitem__(self, item_id: str) -> Item:
        try:
            return self._items[item_id]
        except KeyError:
            raise KeyError(f"item {item_id!r} is not in catalog {self.name!r}") from None

    def get(self, item_id: str) -> Item | None:
        return self._items.get(item_id)

    def ids(self, domain: str | None = None) -> list[str]:
        return [i.id for i in self._items.values() if domain is None or i.domain == domain]

    @functools.cached_property
    def describes(self) -> bool:
        """Whether titles here are product descriptions rather than names: the median title
        runs past 8 words (Amazon's run to 30; a film or book title rarely passes 8)."""
        lengths = sorted(len(item.title.split()) for item in self._items.values())
        return bool(lengths) and lengths[len(lengths) // 2] > 8

    def spoken(self, item_id: str, max_words: int = 6, min_words: int = 4) -> str:
        """An item's title as a sentence says it. Where titles are descriptions
        (:attr:`describes`), their first words: at most ``max_words``, cut where a clause
        opens ("acco 70023 prong bases" of "... prong bases for two piece paper fasteners"),
        trailing numbers dropped down to ``min_words`` (never a bare brand); a card still
        shows the whole title. Elsewhere the title less a trailing qualifier ("Fight Club" of
        "Fight Club (Satirical Book)": a person says the name, the card shows the rest) or
        an alternative title (:func:`before_alternative`) or a subtitle (:attr:`subtitled`),
        but a numbered part's ("Star Wars Episode V: The Empire Strikes Back" stays whole)."""
        title = self[item_id].title
        words = title.split()
        if not self.describes:
            short = self.subtitled.get(item_id, "")  # not "Terminator 2": the part is named
            named = before_alternative(title) or ("" if _NUMBERED.search(short) else short)
            return named or without_qualifier(title)
        if len(words) <= max_words:
            return title
        cut = next(
            (i for i in range(min_words, max_words) if words[i].casefold() in _CLAUSE_WORDS),
            max_words,
        )
        kept = words[:cut]
        while len(kept) > min_words and not any(ch.isalpha() for ch in kept[-1]):
            kept.pop()
        return " ".join(kept)

    @functools.cached_property
    def begun(self) -> dict[str, set[str]]:
        """The first words of normalised titles (fewer than all of a title's) -> the items whose
        titles begin with them ("star wars" -> every Star Wars title's items), read once."""
        out: dict[str, set[str]] = {}
        for key, ids in self._by_title.items():
            words = key.split()
            for n in range(1, len(words)):
                out.setdefault(" ".join(words[:n]), set()).update(ids)
        return out

    @functools.cached_property
    def subtitled(self) -> dict[str, str]:
        """Item id -> its title's name before a subtitle ("Outliers" of "Outliers: The Story of
        Success"), where titles are names and no other title is that name, less its article
        too, or begins with it but another domain's version so qualified ("World War Z (Horror
        Film)" beside "World War Z: An Oral History of the Zombie War"), and no fact is so
        named. "Star Wars: Episode IV - A New Hope" keeps its title (the name is the series'),
        as do "Avengers: Age of Ultron" (The Avengers), "Abraham Lincoln: Vampire Hunter" (a
        person) and "Z: A Novel of Zelda Fitzgerald" (two letters or fewer are no name)."""
        if self.describes:
            return {}
        taken = set(self._by_title)  # titles, less their article, and the facts' values
        said = [t.partition(" ") for t in self._by_title]  # "a", a title of one article too
        taken |= {rest for first, _, rest in said if first in _ARTICLES and rest}
        taken |= {normalize_title(v) for i in self for vs in i.attributes.values() for v in vs}
        names: dict[str, list[str]] = {}
        for item in self:
            key = normalize_title(before_subtitle(item.title))
            if len(key) > 2 and key not in taken:
                names.setdefault(key, []).append(item.id)
        out = {}
        for key, ids in names.items():
            if len(ids) == 1 and all(
                self[i].domain != self[ids[0]].domain
                and normalize_title(without_qualifier(self[i].title)) == key
                for i in self.begun.get(key, set()) - set(ids)
            ):
                out[ids[0]] = before_subtitle(self[ids[0]].title)
        return out

    def shown(self, item_id: str) -> str:
        """An item's title as a card or a question shows it: whole, less a data set's entity
        number ("Eclipse (Romance Film)" of OpenDialKG's "Eclipse (Romance Film) #211")."""
        return _NUMBER.sub("", self[item_id].title) or self[item_id].title

    def listed(self, item_id: str) -> str:
        """The name a reply lists an item by: the spoken name where titles are names ("Fight
        Club"), the whole title where they describe products (a spoken prefix would merge
        two products into one line)."""
        return self[item_id].title if self.describes else self.spoken(item_id)

    def by_title(self, title: str) -> list[str]:
        """Ids of items whose normalised title equals ``title``'s."""
        return list(self._by_title.get(normalize_title(title), ()))

    def titles(self) -> dict[str, list[str]]:
        """Normalised title -> item ids, for linkers."""
        return self._by_title

    def check_domain(self, domain: str | None) -> str | None:
        """Return ``domain`` if the catalog has it (None means all); else a clear ValueError."""
        if domain is None or domain in self.domains:
            return domain
        raise ValueError(
            f"unknown domain {domain!r} for catalog {self.name!r}; available: {', '.join(self.domains)}"
        )


@dataclass
class Dataset:
    """A catalog with its interaction data, split into train/valid/test."""

    name: str
    catalog: Catalog
    histories: dict[str, list[History]] = field(default_factory=dict)
    turns: dict[str, list[DialogTurn]] = field(default_factory=dict)
    triples: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``dialogs`` if the dataset has dialog turns, else ``histories``."""
        return "dialogs" if any(self.turns.values()) else "histories"

    def split(self, name: str) -> list[History] | list[DialogTurn]:
        data = self.turns if self.kind == "dialogs" else self.histories
        if name not in data:
            raise ValueError(
                f"dataset {self.name!r} has no split {name!r}; splits: {', '.join(data)}"
            )
        return data[name]


def before_alternative(title: str) -> str:
    """The title before an alternative one: "The Hobbit" of "The Hobbit or There and Back
    Again", "Moby Dick" of "Moby Dick; or, The Whale"; "" where there is none ("Live Free or
    Die Hard", "Dead or Alive", "To Be or Not to Be")."""
    said = _ALTERNATIVE.match(title)
    words = said.group(1).casefold().split() if said else []
    return said.group(1) if set(words) - _SMALL else ""


def before_subtitle(title: str) -> str:
    """A subtitled title's name before its colon ("Outliers" of "Outliers: The Story of
    Success", "Dr. Strangelove" of "Dr. Strangelove or: How I Learned ..."); "" where the
    title has no colon."""
    name, colon, _ = title.partition(":")
    return name.strip().removesuffix(" or").strip() if colon else ""


def without_qualifier(text: str) -> str:
    """``text`` less a trailing qualifier and entity number ("Terry Turner" of "Terry Turner
    (TV Program Creator)", "Pulse" of "Pulse (Horror Film) #313"); as it is without one."""
    return _QUALIFIER.sub("", text) or text
