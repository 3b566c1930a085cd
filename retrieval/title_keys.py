"""The keys a title is linked by: the title, its name less a qualifier or an alternative
title, less its article.

A catalog's titles are keys as they are ("the dark knight"). Where titles *name* items, an
item whose title carries a qualifier ("Eclipse (Romance Film) #211", the Twilight film) is also
keyed by its spoken name ("eclipse"), where no title is that already; else "I loved Eclipse"
linked nothing, or "The Eclipse", another film, by its title less its article. A name other
titles begin with stays theirs: "Star Wars" of "Star Wars (Science Fiction Film)" is the
series of "Star Wars: Episode IV ..." ("no Star Wars" leaves them all out). A title with an
alternative one is keyed by its first ("The Hobbit" of "The Hobbit or There and Back Again":
"who wrote The Hobbit?" linked the genre Hobbit). A qualified title whose name is another
domain's title is keyed by it after that title ("the shining": the novel, then the film "The
Shining (Horror Film)"), for the other names said beside it to choose ("se7en and zodiac").
A title with a subtitle is keyed by its name before the colon ("outliers" of "Outliers: The
Story of Success", "anchorman", "talladega nights"), where that name is one title's alone and
no other title begins with it but another domain's version ("world war z": the book, then
the film); "star wars", "mission" stay the series' or nothing's. Else "I read Outliers"
linked nothing. A possessive is keyed typed without its apostrophe too ("oceans eleven",
"schindlers list"), where no title reads so: "oceans eleven" was the genre Ocean; so is a
sequel's number written the other way ("the godfather part 2", "rocky 2", "toy story ii",
"ocean s 11").
"""

from __future__ import annotations

import re
from functools import cache

from crossrec.retrieval.datasets.schema import Catalog, before_alternative, normalize_title
from crossrec.retrieval.index.embed import bundled_minilm_path

__all__ = ["NUMBERS", "nicknames", "spoken_keys", "title_keys", "without_articles"]


def title_keys(catalog: Catalog) -> dict[str, list[str]]:
    """Normalised title -> item ids, with the spoken names of qualified titles (see above)."""
    keys = catalog.titles()
    if catalog.describes:  # a product's spoken name is its first words: no name of its own
        return keys
    keys = {**keys, **{normalize_title(n): [i] for i, n in catalog.subtitled.items()}}
    spoken: dict[str, list[str]] = {}
    versions: dict[str, list[str]] = {}  # "the shining": the novel, then the film so qualified
    for item in catalog:
        key = normalize_title(catalog.spoken(item.id))
        if key and key not in keys and not catalog.begun.get(key, set()) - {item.id}:
            spoken.setdefault(key, []).append(item.id)
        elif key in keys and all(catalog[i].domain != item.domain for i in keys[key]):
            versions.setdefault(key, []).append(item.id)
        key = normalize_title(before_alternative(item.title))  # its own name, though the
        if key and key not in keys:  # films begin with it ("The Hobbit: An Unexpected Journey")
            spoken.setdefault(key, []).append(item.id)
    keys = {key: [*ids, *versions.get(key, ())] for key, ids in keys.items()}
    keys = {key: list(dict.fromkeys(ids)) for key, ids in {**spoken, **keys}.items()}
    typed = {form: ids for key, ids in keys.items() for form in _typed(key)}
    keys = {**{key: ids for key, ids in typed.items() if key not in keys}, **keys}
    return {**nicknames(keys, catalog), **keys}


def nicknames(keys: dict[str, list[str]], catalog: Catalog) -> dict[str, list[str]]:
    """A word that only one work's titles say (its versions in each domain) and that no fact
    value says, where people use it for nothing else: no word of the embedder's vocabulary
    ("shawshank", "gatsby", "mockingbird"; not "inception" or "princesses", nor "hobbit", said
    by five titles, nor "poltergeist" of Poltergeist III alone). "I liked shawshank" was the
    wish 'shawshank'. None without the vocabulary."""
    known = _known_words()
    valued = {w for item in catalog for values in item.attributes.values() for v in values
              for w in normalize_title(v).split()}  # fmt: skip
    works: dict[str, set[str]] = {}  # word -> the works whose titles say it
    for key, ids in keys.items():
        for word in set(key.split()) - valued:
            if len(word) >= 5 and word.isalpha() and known and not _known(word, known):
                works.setdefault(word, set()).update(_work(catalog, i) for i in ids)
    said = sorted(keys, key=len)  # the plainest title: "the great gatsby", as said whole
    plainest = {word: next(key for key in said if word in key.split()) for word in works}
    return {
        word: keys[plainest[word]]
        for word, told in works.items()
        if len(told) == 1 and word not in keys and not _SEQUEL.search(plainest[word])
    }


_SEQUEL = re.compile(r"\b(?:\d+|ii|iii|iv|part)\b")  # "poltergeist": no Poltergeist III alone


def _known(word: str, known: frozenset[str]) -> bool:
    """Whether ``word`` or its singular is a known word ("princesses", "valentines")."""
    endings = (("s", ""), ("es", ""), ("ies", "y"), ("ers", ""))  # "beginners": begin
    forms = [word, *(word[: -len(end)] + to for end, to in endings if word.endswith(end))]
    return any(form in known for form in forms)


def _work(catalog: Catalog, item_id: str) -> str:
    """The name a work is told by in every domain: its spoken title less a qualifier."""
    return normalize_title(catalog.spoken(item_id))


@cache
def _known_words() -> frozenset[str]:
    """The whole words of the bundled embedder's vocabulary (none where it is missing)."""
    try:
        vocab = bundled_minilm_path() / "vocab.txt"
    except ModuleNotFoundError:
        return frozenset()
    words = vocab.read_text("utf-8").split() if vocab.exists() else []
    return frozenset(w for w in words if w.isalpha())


_POSSESSIVE = re.compile(r"(\w) s\b")  # "ocean s eleven" (normalised "Ocean's Eleven")
ROMAN = ("ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")  # "the godfather part 2": Part II
_ARABIC = ("2", "3", "4", "5", "6", "7", "8", "9")
_NUMERAL = re.compile(r"(?<=\w )(?:" + "|".join(ROMAN + _ARABIC) + r")\b")
_SPELLED = (  # "ocean s 11": Ocean's Eleven; "apollo thirteen": Apollo 13
    *("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"),
    *("twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"),
    *("nineteen", "twenty"),
)
NUMBERS = {  # a number said in words -> its digits ("ii", "two": "2")
    "i": "1",
    "one": "1",
    **dict(zip(ROMAN, _ARABIC, strict=True)),
    **{word: str(n) for n, word in enumerate(_SPELLED, 2)},
}
_SPELLED_OR_ARABIC = re.compile(
    r"(?<=\w )(?:" + "|".join(_SPELLED + tuple(str(n) for n in range(2, 21))) + r")\b"
)


def _typed(key: str) -> set[str]:
    """The ways a title ``key`` may be typed but is not written: its possessive without the
    apostrophe, its number the other way, each with the other."""
    numbers = {
        _numbered(key),
        *(_SPELLED_OR_ARABIC.sub(_other_spelling, k) for k in (key, _numbered(key))),
    } - {key}
    return {*numbers, *(_POSSESSIVE.sub(r"\1s", k) for k in (key, *numbers))} - {key}


def _other_spelling(said: re.Match) -> str:
    """A number spelled the other way: "eleven" -> "11", "11" -> "eleven"."""
    n = said.group()
    return str(_SPELLED.index(n) + 2) if n in _SPELLED else _SPELLED[int(n) - 2]


def spoken_keys(keys: dict[str, list[str]], catalog: Catalog) -> set[str]:
    """The ``keys`` that are no title, but a sequel's number written the other way after a
    name of two words or five letters ("toy story ii", "rocky 4"; "saw 3" of "we saw 3 films"
    is spoken): names that may be said plainly ("you and i"), linked in lower case only
    where liked or alone."""
    titles = catalog.titles()
    return {k for k in keys if k not in titles and not (_typed(k) & titles.keys() and _named(k))}


def _numbered(key: str) -> str:
    return _NUMERAL.sub(_other_numeral, key)


def _named(key: str) -> bool:  # a sequel's name: "toy story", "rocky"; not "saw"
    words = key.split()
    return len(words) > 2 or len(words[0]) >= 5


def _other_numeral(said: re.Match) -> str:
    """A sequel's number the other way: "ii" -> "2", "3" -> "iii"."""
    n = said.group()
    return _ARABIC[ROMAN.index(n)] if n in ROMAN else ROMAN[_ARABIC.index(n)]


def without_articles(titles: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Titles after a leading "the", "a" or "an", where no title reads so already: people write
    "Silence of the Lambs" (else "Silence", a novel, is linked), "I loved Matrix" (one word
    is held to the one-word rule)."""
    out: dict[str, set[str]] = {}
    for key, ids in titles.items():
        article, _, rest = key.partition(" ")
        if article in {"the", "a", "an"} and rest and rest not in titles:
            out.setdefault(rest, set()).update(ids)
    return {key: tuple(sorted(ids)) for key, ids in out.items()}
