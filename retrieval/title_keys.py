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
linked nothing.
"""

from __future__ import annotations

from crossrec.retrieval.datasets.schema import (
    Catalog,
    before_alternative,
    before_subtitle,
    normalize_title,
)

__all__ = ["title_keys", "without_articles"]


def title_keys(catalog: Catalog) -> dict[str, list[str]]:
    """Normalised title -> item ids, with the spoken names of qualified titles (see above)."""
    keys = catalog.titles()
    if catalog.describes:  # a product's spoken name is its first words: no name of its own
        return keys
    begun: dict[str, set[str]] = {}  # words other titles begin with -> their items
    for key, ids in keys.items():
        words = key.split()
        for n in range(1, len(words)):
            begun.setdefault(" ".join(words[:n]), set()).update(ids)
    keys = {**keys, **_subtitled(catalog, keys, begun)}
    spoken: dict[str, list[str]] = {}
    versions: dict[str, list[str]] = {}  # "the shining": the novel, then the film so qualified
    for item in catalog:
        key = normalize_title(catalog.spoken(item.id))
        if key and key not in keys and not begun.get(key, set()) - {item.id}:
            spoken.setdefault(key, []).append(item.id)
        elif key in keys and all(catalog[i].domain != item.domain for i in keys[key]):
            versions.setdefault(key, []).append(item.id)
        key = normalize_title(before_alternative(item.title))  # its own name, though the
        if key and key not in keys:  # films begin with it ("The Hobbit: An Unexpected Journey")
            spoken.setdefault(key, []).append(item.id)
    keys = {key: [*ids, *versions.get(key, ())] for key, ids in keys.items()}
    return {key: list(dict.fromkeys(ids)) for key, ids in {**spoken, **keys}.items()}


def _subtitled(catalog: Catalog, keys: dict, begun: dict[str, set[str]]) -> dict[str, list[str]]:
    """The names before a subtitle (see :func:`_before_subtitle`) that are one title's alone
    and that no other title begins with, but another domain's version so qualified ("world
    war z": the book, then the film "World War Z (Horror Film)", keyed after it as versions
    are)."""
    out = {}
    for key, ids in _before_subtitle(catalog).items():
        domain = catalog[ids[0]].domain
        others = begun.get(key, set()) - set(ids)
        if (
            len(ids) == 1
            and key not in keys
            and all(
                catalog[i].domain != domain and normalize_title(catalog.spoken(i)) == key
                for i in others
            )
        ):
            out[key] = ids
    return out


def _before_subtitle(catalog: Catalog) -> dict[str, list[str]]:
    """A subtitled title's name before its colon -> the items so titled; names of two letters
    or fewer are no key ("Z: A Novel of Zelda Fitzgerald")."""
    out: dict[str, list[str]] = {}
    for item in catalog:
        key = normalize_title(before_subtitle(item.title))
        if len(key) > 2:
            out.setdefault(key, []).append(item.id)
    return out


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
