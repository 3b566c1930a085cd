"""Link names in free text to catalog items and knowledge-graph facts.

Three passes, each over what the previous left: 1. exact, longest-first n-grams of normalised
titles (also without a leading article: "Silence of the Lambs") and fact values; 2. fuzzy,
capitalised or quoted spans against titles with rapidfuzz (typos); 3. embedding, quoted spans
and spans after cue verbs ("I loved ...") in the vector store, above a cosine threshold.

:meth:`EntityLinker.series` finds a name that begins several titles ("no Harry Potter").
One-word titles ("Up", "Her", "Seven") are common words, so they link only when written
capitalised and not at the start of a sentence, or in quotes; one that is a stopword ("Up",
"Her", "It") only in quotes or capitalised right after its kind ("the movie Up") in a message
that is not all capitals or title case. One-word fact values are held to a similar rule:
they link when capitalised, when they are a genre (genres are written in lower case: "I like
horror"), when their relation names them ("brand canon"), or when the catalog's own titles use
the word as that name (most titles holding "fiskars" are Fiskars products, so "my fiskars
scissors" names the brand; few titles holding "paper" are by the brand Paper); a value that is
just its relation's name ("brand") never links. A value of one word and stopwords ("my desk")
whose word titles use plainly links in lower case only as a genre or after its relation's name;
a spoken name ("you and i" of "You and I (Film)") after a liking word or alone."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from crossrec.retrieval.alone import (
    capitalised_spans,
    listed_beside_name,
    named_series,
    named_so,
    near_words,
    topics,
    typed_alone,
)
from crossrec.retrieval.by_maker import named_titles
from crossrec.retrieval.casing import (
    KINDS,
    after_cue,
    after_run_cue,
    alone,
    describes,
    fold,
    goes_on,
    in_a_name,
    kind_over_title,
    liked_in_lowercase,
    named_by_kind,
    phrase_facts,
    plural_names,
    said_as_name,
    sentence_cased,
    sentence_start,
    subject_at_start,
    whose,
)
from crossrec.retrieval.datasets.schema import Catalog
from crossrec.retrieval.mention import Mention, masked_words
from crossrec.retrieval.respell import Respeller
from crossrec.retrieval.sources.lexical import stopwords
from crossrec.retrieval.surnames import people_by_initial, respelt_people, said_as_maker, surnames
from crossrec.retrieval.title_keys import spoken_keys, title_keys, without_articles
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.index.store import CatalogStore

__all__ = ["EntityLinker", "Mention"]

_TOKEN = re.compile(r"\w+", re.UNICODE)
_QUOTED = re.compile(r"[\"“«']([^\"”»']{2,80})[\"”»']")
_CUE = re.compile(
    r"\b(?:loved|love|liked|like|enjoyed|enjoy|read|watched|saw|bought|used|use|own|hated|disliked|"
    r"about|of|than|to)\s+(?:the\s+" + KINDS + r"\s+)?([^.,;!?\n]{3,80})",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"\s+(?:" + KINDS + r"s?|episodes?|seasons?|times|of)\b", re.I)
_KIND_BEFORE = re.compile(r"\b" + KINDS + r"[ \t]+$", re.IGNORECASE)
_PLAIN_WORDS = 3  # longest value (in words but stopwords) told plain by the titles
_RARE = 3  # items holding a value of several plain words that the titles may tell plain
_KIND = 3.0  # a value is a kind where paths ending in it file this many times its items
_FEW = 3  # items a value said in lower case groups at least
_MAX_WORDS = 256  # longest title or fact value the exact pass looks for, in words


class EntityLinker:
    """Finds catalog items and facts named in a message."""

    def __init__(
        self,
        catalog: Catalog,
        graph: KnowledgeGraph | None = None,
        store: CatalogStore | None = None,
        fuzzy_cutoff: float = 0.88,
        min_similarity: float = 0.78,
    ):
        self.catalog, self.graph, self.store = catalog, graph, store
        self.fuzzy_cutoff = fuzzy_cutoff
        self.min_similarity = min_similarity
        self.titles = title_keys(catalog)
        self._spoken = spoken_keys(self.titles, catalog)  # "you and i": capitalised only
        self.fact_names = plural_names(graph.names(), graph) if graph is not None else {}
        self._plural = set(self.fact_names) - set(graph.names() if graph is not None else ())
        self._surnames: dict = {}  # "by Tarantino": a surname one person holds
        self._people: dict = {}
        if graph is not None:
            title_words = Counter(w for key in self.titles for w in set(key.split()))
            self._surnames = surnames(graph, self.fact_names, title_words)
            self.fact_names = {**self._surnames, **self.fact_names}
            self._people = people_by_initial(graph, self.fact_names)  # "Jim Carey"
        # first word -> the lengths of the titles and fact values that start with it, so the
        # exact pass looks up only windows that can match (long messages stay fast)
        self._unarticled = without_articles(self.titles)
        sizes: dict[str, set[int]] = {}
        for key in (*self.titles, *self._unarticled, *self.fact_names):
            words = key.split()
            if 0 < len(words) <= _MAX_WORDS:
                sizes.setdefault(words[0], set()).add(len(words))
        self._sizes_by_first = {w: tuple(sorted(v)) for w, v in sizes.items()}
        self._by_initial: dict[str, list[str]] = {}
        for key in self.titles:
            if key:
                self._by_initial.setdefault(key[0], []).append(key)

    def link(self, text: str) -> list[Mention]:
        """All mentions in ``text``, in order of appearance, without overlaps."""
        tokens = [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]
        taken = [False] * len(tokens)
        mentions = self._exact(text, tokens, taken)
        mentions += self._fuzzy(text, tokens, taken)
        if self.names_items and self.graph is not None:  # not products: "stapplers" is a wish
            mentions += self._respeller.mentions(text, tokens, taken, self._keyed, self.series_of)
        mentions = named_titles(self, text, tokens, mentions) if self.graph else mentions
        if self.store is not None:
            mentions = self._embedded(text, mentions)
        return sorted(mentions, key=lambda m: m.start)

    def _single_word_ok(self, text: str, tokens: list, taken: list, n: int, whole: bool) -> bool:
        """Whether a one-word title (``whole``: not a title less its article, "Matrix") is
        said as one at token ``n`` (see the module docstring; also in a list right after a
        name: "the godfather and |goodfellas")."""
        start, end, word = tokens[n]
        listed = listed_beside_name(text, tokens, taken, n, self.fact_names, self.titles)
        if whole and word not in self.fact_names and listed and len(word) >= 4:
            return word not in stopwords()  # a short one by the rules below ("I liked Up and")
        original = text[start]
        quoted = start > 0 and text[start - 1] in "\"“'«"
        # '"It"', "the movie Up": a title, though a common word; in "Recommend A Book You Will
        # Love" or "SUGGEST A MOVIE THEY LIKE" capitals mark nothing
        after_kind = original.isupper() and _KIND_BEFORE.search(text[:start])
        after_kind = after_kind and sentence_cased(text)
        after_cue_cased = original.isupper() and whole and after_cue(text, start)  # "like Up"
        if quoted or after_kind or after_cue_cased and sentence_cased(text):
            return len(word) >= 2
        kind = whole and word not in self.fact_names and word not in self._common  # "like up"
        if kind and named_by_kind(text, start, end):
            return len(word) >= 2
        if word.isdigit():  # "I read 1984", "Brave New World and 1984": a title, else a year
            return whole and (after_cue(text, start) or listed) and not _COUNTED.match(text, end)
        if word in stopwords() or len(word) < 3:
            return False
        # a title alone ("inception") or after "not" in lower case names it, unless it is a topic
        named = alone(text, start, end) or after_run_cue(text, start, end)  # ("horror", "drama")
        named = named and self.names_items and not self._topic(word)
        if original.isupper():  # "Inception was amazing": a sentence's subject, not its capital
            if not whole and _in_a_run(text, tokens, taken, n):  # "I loved Ready Player One":
                return False  # not The Player, a title less its article, inside a longer name
            return not sentence_start(text, start) or subject_at_start(text, end) or named
        # "i loved inception": in lower case, a whole title after a liking or asking word, or a
        # subject (a title, not a subtitled name: "food was great"), where no fact is so named
        liked = liked_in_lowercase(text, start, end if self.catalog.by_title(word) else None)
        liked = liked and word not in self._common  # ("i like horror"), nor a common value
        return whole and len(word) >= 4 and word not in self.fact_names and (liked or named)

    def _single_word_facts(self, text: str, tokens: list, n: int, facts: list) -> list:
        """The facts a lone word may stand for at token ``n`` (see the module docstring)."""
        start, end, word = tokens[n]
        if word in self._surnames:  # "by Tarantino", "nolan's films"; not "set in Washington"
            held = len({i for f in facts for i in self.graph.items_with(f)})
            return list(facts) if said_as_maker(text, start, end, held) else []
        # a short word: an acronym in a sentence-cased message ("my HP printer", not "Pilot G2")
        acronym = text[start:end].isupper() and sentence_cased(text)
        acronym = acronym and not (n > 0 and text[tokens[n - 1][0]].isupper())
        acronym = acronym or self.graph.titles_describe and bool(set(facts) & self._title_marks)
        mine = whose(text, tokens, n, self.titles)  # "a gift for my brother": no maker Brother
        if word in stopwords() or mine or len(word) < (2 if acronym else 4):  # or "my hp printer"
            return []
        previous = tokens[n - 1][2] if n > 0 else ""
        # a sentence's first word is capitalised anyway: a name there only where titles do not
        # use the word plainly ("Tape for gift wrapping" names no brand Tape; "Crayola markers")
        plain = sentence_start(text, start) and word in self._titled_words
        capitalised = text[start].isupper() and not plain
        return [  # in lower case, of a few items ("best books of all time": no Time (Dimension))
            f
            for f in facts
            if fold(f[0]) != word
            and (said_as_name(f, capitalised, previous) or f in self._title_marks)
            and (capitalised or len(self.graph.items_with(f)) >= _FEW)
        ]

    @cached_property
    def _titled_words(self) -> dict[str, set[str]]:
        """One-word fact values that 3 or more titles hold, with those titles' items."""
        return self._titled({key for key in self.fact_names if " " not in key})

    @cached_property
    def _title_marks(self) -> frozenset:
        """One-word fact values the titles use as names: at least half of the (3 or more)
        titles holding the word belong to items with that fact (built on first use)."""
        return frozenset(
            fact
            for word, ids in self._titled_words.items()
            for fact in self.fact_names[word]
            if named_so(self.catalog, self.graph, fact, ids)
        )

    @cached_property
    def _plain_phrases(self) -> frozenset[str]:
        """Values of several words the titles use plainly ("my desk", "oil painting": brands):
        under half of the 3+ titles holding their words (stopwords aside) have the value, and
        one of several such words is held by under ``_RARE`` items ("bob ross" is not) or the
        category paths ending in them file ``_KIND`` times its items (the brand "colored
        pencils", 3 items, 106 filed so; not "ranger ink"). In lower
        case these link only as a genre or after their relation's name (built on first use)."""
        wanted: dict[str, tuple[str, ...]] = {}
        kinds = self.graph.kinds()  # "colored pencils", a brand of 3 items, files 106: a kind
        for key in self.fact_names:
            words = tuple(w for w in key.split() if w not in stopwords())
            held = [len(self.graph.items_with(f)) for f in self.fact_names[key]]
            filed = kinds.get(key, 0.0) + kinds.get(key + "s", 0.0)  # "mouse pad": "... pads"
            # rare, or a kind, not a maker whose name ends a few paths ("ranger ink")
            rare = all(n < _RARE for n in held) or filed >= _KIND * sum(held)
            if " " in key and (len(words) == 1 or (rare and 1 < len(words) <= _PLAIN_WORDS)):
                wanted[key] = words
        titled = self._titled({w for words in wanted.values() for w in words})
        plain = set()
        for key, words in wanted.items():
            if all(w in titled for w in words):
                ids = set.intersection(*(titled[w] for w in words))
                if len(ids) >= 3 and not any(
                    named_so(self.catalog, self.graph, f, ids) for f in self.fact_names[key]
                ):
                    plain.add(key)
        return frozenset(plain)

    def _titled(self, words) -> dict[str, set[str]]:
        """For each of ``words`` that 3 or more titles hold, the items of those titles."""
        titled: dict[str, set[str]] = {}
        for key, ids in self.titles.items():
            for word in set(key.split()) & words:
                titled.setdefault(word, set()).update(ids)
        return {word: ids for word, ids in titled.items() if len(ids) >= 3}

    def _exact(self, text: str, tokens: list, taken: list[bool]) -> list[Mention]:
        found = []
        words = [t[2] for t in tokens]
        windows = sorted(
            (
                (size, n)
                for n, word in enumerate(words)
                for size in self._sizes_by_first.get(word, ())
                if n + size <= len(words)
            ),
            key=lambda window: (-window[0], window[1]),
        )  # longest first, then left to right
        for size, n in windows:
            if any(taken[n : n + size]):
                continue
            key = " ".join(words[n : n + size])
            start, end = tokens[n][0], tokens[n + size - 1][1]
            ids = self.titles.get(key) or self._unarticled.get(key)
            if not ids and size > 1 and text[tokens[n + size - 1][0]].isupper():  # "what genre
                ids = self.titles.get(key + "s")  # is Paper Town?": Paper Towns, not Town
            inside = key in self._plural and in_a_name(text, start, words[n - 1 : n], key, self)
            facts = None if inside else self.fact_names.get(key)
            whole = key in self.titles  # not "matrix" of "the matrix"
            if size == 1 and ids and not self._single_word_ok(text, tokens, taken, n, whole):
                ids = None
            spoken = size > 1 and key in self._spoken and not text[start].isupper()
            subject = end if _COUNTED.match(text, end) else None  # "the hobbit movie was";
            if spoken and not (liked_in_lowercase(text, start, subject) or alone(text, start, end)):
                ids = None  # not "abraham lincoln was a great president": the man
            if key in self.titles and describes(text, start, end, words[n - 1 : n]):
                ids = None
            if (ids or facts) and goes_on(text, start, end, bool(ids)):
                continue
            if size == 1 and facts:
                facts = self._single_word_facts(text, tokens, n, facts)
            elif facts and key in self._plain_phrases:  # "keep my desk organised": no brand
                facts = phrase_facts(text, tokens[n : n + size], tokens[n - 1 : n], facts)
            if facts and kind_over_title(text, start, end, facts, ids, self.graph):
                ids = None  # "Canon": the brand; "young adult books": the genre, no film
            if ids:
                found.append(Mention(text[start:end], start, end, "item", ids=tuple(ids)))
            elif facts:
                found.append(Mention(text[start:end], start, end, "fact", facts=tuple(facts)))
            else:
                continue
            taken[n : n + size] = [True] * size
        return found

    def _fuzzy(self, text: str, tokens: list, taken: list[bool]) -> list[Mention]:
        found, spans = [], capitalised_spans(text, tokens, taken)
        whole = typed_alone(self, text, tokens, taken) and (0, len(tokens)) not in spans
        spans += [(0, len(tokens))] if whole else []  # "the shawshank redemtion"
        for n, m in spans:
            key = " ".join(t[2] for t in tokens[n:m])
            pool = self._by_initial.get(key[0], [])
            best = process.extractOne(
                key, pool, scorer=fuzz.ratio, score_cutoff=100 * self.fuzzy_cutoff
            )
            if best and whole and (n, m) == (0, len(tokens)) and not near_words(key, best[0]):
                continue  # "the long walk" is no The Long War
            start, end = tokens[n][0], tokens[m - 1][1]
            if best and not goes_on(text, start, end, True):
                ids, score = tuple(self.titles[best[0]]), best[1] / 100
                found.append(Mention(text[start:end], start, end, "item", ids, (), "fuzzy", score))
                taken[n:m] = [True] * (m - n)
        spans = capitalised_spans(text, tokens, taken)  # a person's name typed wrong: "Jim Carey"
        return found + respelt_people(self._people, self.fact_names, text, tokens, taken, spans)

    def series(self, text: str, linked: Sequence[Mention] = ()) -> list[Mention]:
        """Capitalised names outside ``linked`` that begin two or more titles ("Harry Potter",
        "The Lord of the Rings") whose items a name holds together (most of them share a
        writer, director, actor or brand: "New York" begins New York Stories and New York
        Minute, which share nobody): a series, all its items named at once (``method``
        "series"). Run after :meth:`link`, on what it left: "I loved the Harry Potter books"
        is the literary series, "no Harry Potter" all of it."""
        return named_series(self, text, linked)

    @cached_property
    def _respeller(self) -> Respeller:  # "lord of the rigns", "inceptoin", "harry poter"
        known = {w for key in self.fact_names for w in key.split()} | stopwords()
        return Respeller(self._keyed, known)

    @cached_property
    def _keyed(self) -> dict[str, list[str]]:  # titles, also less a leading article
        return {**self._unarticled, **self.titles}

    @cached_property
    def _common(self) -> frozenset[str]:  # "drama": a value too common to weigh, no name
        graph = self.graph
        if graph is None:
            return frozenset()
        return frozenset(fold(f[1]) for f in graph.facts if graph.weight(f) <= 0)

    @cached_property
    def _topic(self):  # "zombies" typed alone is a topic, not the film Zombies
        return topics(self.graph, self.fact_names)

    @cached_property
    def names_items(self) -> bool:  # titles are names (films, books), not descriptions
        return self.graph is None or not self.graph.titles_describe

    @cached_property
    def _sorted_titles(self) -> list[str]:
        return sorted(self.titles)

    def titles_beginning(self, key: str) -> list[str]:
        """The title keys that begin with ``key`` (or "the" and it) and go on."""
        keys, titles = self._sorted_titles, []
        for prefix in (key + " ", f"the {key} "):  # up to "key!", "!" after " "
            titles += keys[
                bisect.bisect_left(keys, prefix) : bisect.bisect_left(keys, prefix[:-1] + "!")
            ]
        return titles

    def series_of(self, key: str) -> tuple[str, ...]:
        """The ids of the titles beginning with ``key`` (or "the" and it), when there are two
        titles or more and one name fact is held by at least half of their items (two at
        least: "The Road to El Dorado" and "The Road to Little Dribbling" share nobody)."""
        titles = self.titles_beginning(key)
        if len(titles) < 2:
            return ()
        ids = sorted({i for title in titles for i in self.titles[title]})
        grouping = self.graph.grouping_relations()
        held = Counter(f for i in ids for f in self.graph.facts_of(i) if f[0] not in grouping)
        most = max(held.values(), default=0)  # held by two items at least: not one's own
        return tuple(ids) if most >= 2 and 2 * most >= len(ids) else ()

    def _embedded(self, text: str, linked: list[Mention]) -> list[Mention]:
        """``linked`` plus the items found by searching quoted spans and spans after cue verbs
        in the vector store. A span may hold facts already linked when it says more than them
        and the item found holds one of them: "the prismacolor premier colored pencils" is one
        product of the brand Prismacolor, not the brands Prismacolor and Colored Pencils (a
        brand of the data that this product does not have)."""
        out = list(linked)
        spans = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text)]
        spans += [(m.start(1), m.end(1)) for m in _CUE.finditer(text)]
        for start, end in spans:
            phrase = text[start:end].strip()
            start += len(text[start:end]) - len(text[start:end].lstrip())
            end = start + len(phrase)
            inside = [m for m in out if m.start < end and start < m.end]
            if any(m.kind == "item" or m.start < start or m.end > end for m in inside):
                continue
            rest = masked_words(phrase, [(m.start - start, m.end - start) for m in inside])
            said = [w for w in rest if w not in stopwords() and len(w) > 2]  # not "s" of "Nolan's"
            if len(phrase.split()) > 10 or not said:
                continue
            if not (hits := self.store.search(phrase, k=1)) or hits[0].score < self.min_similarity:
                continue
            if inside and self.graph is not None:
                own = set(self.graph.facts_of(hits[0].item_id))
                if not any(own & set(m.facts) for m in inside):
                    continue  # an item of none of the names said is not what they named
            out = [m for m in out if m not in inside]
            ids = (hits[0].item_id,)
            out.append(Mention(phrase, start, end, "item", ids, (), "embedding", hits[0].score))
        return out


def _in_a_run(text: str, tokens: list, taken: list[bool], n: int) -> bool:
    """Whether token ``n`` is one word of a run of capitalised words not yet linked, in a
    sentence-cased message (a sentence's first word begins no run)."""

    def joined(m: int) -> bool:  # a capitalised word right beside it
        if not 0 <= m < len(tokens) or taken[m] or not text[tokens[m][0]].isupper():
            return False
        left, right = sorted((tokens[m], tokens[n]))
        alone = not text[left[1] : right[0]].strip()
        return alone and not (m < n and sentence_start(text, tokens[m][0]))

    return sentence_cased(text) and (joined(n - 1) or joined(n + 1))
