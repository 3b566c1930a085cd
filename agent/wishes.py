"""What a user wishes for, apart from what they named: "something funnier", "no horror".

:func:`~crossrec.agent.clauses.split_wishes` takes the words of a message that may be wishes
("for my kids", "nothing scary"); :class:`WishMapper` maps each onto the catalog's own facts by
embedding the wish against every fact value that groups items (genres, languages, eras,
categories, brands): no per-dataset table, so it works for any catalog. A wish that maps onto
nothing is kept as text and the reply says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from itertools import compress
from typing import NamedTuple

import numpy as np
from crossrec.agent import eras
from crossrec.agent.clauses import split_wishes
from crossrec.agent.kinds import compounds, each_named, holding, in_domains, other_kind, unsaid
from crossrec.agent.sequels import sequel_facts
from crossrec.agent.spelling import Speller, near_any, positive
from crossrec.agent.wish import Wish, facts_text, head_of, most_together
from crossrec.agent.wish_titles import TitleIndex, forms_in, same_stem
from crossrec.agent.wordlists import moods, request_words, word_list
from crossrec.retrieval import FRANCHISE, Fact, KnowledgeGraph, stopwords

__all__ = ["Wish", "WishMapper", "facts_text"]

_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
_PLAIN_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # "comedy" and "drama" of "Comedy-drama"
_NAMED = 0.8  # a wish this near a value names it: no mood is read into it ("dark comedy")
_SAYS = 0.95  # a wish this near a value says its name ("sci-fi": Sci-Fi)
_PART = 0.6  # a wish's word matched alone is this near a value ("strong female lead": no Lesbian)
_EACH = 0.65  # each word of a two-word wish this near a value is a wish of the same pick


class _Matched(NamedTuple):
    """One wish word's match among the values' words (:meth:`WishMapper._by_words`)."""

    top: float  # its best similarity to a word of the values
    shown: str  # the words it matched, as a reply says them ("glue/glues")
    facts: set[int]  # the values holding them
    again: set[int]  # those naming one twice (a node of its own)
    word: str  # the wish word
    kinds: frozenset[str] = frozenset()  # all the words it matched ("paintbrushes" too)


class WishMapper:
    """Maps wish text onto the catalog facts whose values it means, by embedding similarity.

    Only facts that group items are candidates: relations whose most common value covers at
    least ``min_share`` of the catalog (genre, language, category, brand; not actors), values
    held by at least ``min_items`` items. A wish is matched against whole values (short ones:
    "Comedy") or, first, against the words in them (long ones, median ``long_words`` words or
    more: category paths). Vectors are computed on first use (or :meth:`warm`).
    """

    def __init__(
        self,
        graph: KnowledgeGraph,
        embedder,
        min_similarity: float = 0.52,
        margin: float = 0.06,
        max_facts: int = 4,
        min_items: int = 3,
        min_share: float = 0.02,
        min_word_similarity: float = 0.6,
        long_words: int = 4,
    ):
        self.graph = graph
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.margin = margin
        self.max_facts = max_facts
        self.min_word_similarity = min_word_similarity
        grouping = graph.grouping_relations(min_share)
        self.facts: list[Fact] = [
            f
            for f, df in zip(graph.facts, graph.df, strict=True)
            if f[0] in grouping and df >= min_items
        ]
        self.wishable = frozenset(self.facts)  # a named one of these is a wish too
        self._year_rows = np.array([value.isdigit() for _, value in self.facts], dtype=bool)
        self._year_facts = [f for f in graph.facts if f[0] == "year"]  # every year, for _years
        self._vectors: np.ndarray | None = None
        self._vocabulary: tuple[list[str], np.ndarray, list[list[int]]] | None = None
        self._speller: Speller | None = None
        self._domains: dict[str | None, np.ndarray | None] = {None: None}
        self.titles = TitleIndex(graph, self.wishable)  # its index is built on first use
        # long values (Amazon's category paths) are matched word by word first
        lengths = sorted(len(value.split()) for _, value in self.facts)
        self.long_values = bool(lengths) and lengths[len(lengths) // 2] >= long_words

    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            values = [value for _, value in self.facts]
            self._vectors = np.asarray(self.embedder.embed(values), dtype=np.float32).reshape(
                len(values), -1
            )
        return self._vectors

    def map(
        self,
        text: str,
        negative: bool = False,
        history: Sequence[str] = (),
        domain: str | None = None,
        named: Sequence[str] = (),
        facts: Sequence[Fact] = (),
    ) -> Wish:
        """:meth:`mapped`, with the words spelled as the catalog's first
        (:mod:`crossrec.agent.spelling`: "stapplers" is staplers, "thriler" Thriller), among
        the facts of ``domain``'s items where some map ("organize" in an office request is
        office organizers, not the arts paths of "organization"), else among all."""
        sequels = sequel_facts(text, history, self.graph, named)
        if sequels is not None:  # "no Matrix sequels": the franchise named, not Remake
            said = "the franchise " if sequels[:1] and sequels[0][0] == FRANCHISE else "books by "
            label = said + facts_text(sequels) if sequels else ""
            return Wish(text, negative, sequels, 1.0, label=label)
        if self._speller is None:
            self._speller = Speller(w for _, v in self.facts for w in _WORD.findall(v))
        spelled = self._speller.correct(text) if self.embedder is not None else text
        wish = self.mapped(spelled, negative, history, self.in_domain(domain), facts)
        if domain is not None and not wish.understood:
            wish = self.mapped(spelled, negative, history, facts=facts)
        if negative and wish.facts:
            wish = replace(wish, facts=self._said_whole(wish, spelled))
        return replace(wish, text=text) if spelled != text else wish

    def _said_whole(self, wish: Wish, text: str) -> tuple[Fact, ...]:
        """A negative wish's facts, and those of their relations that are the same genre of
        another domain or say its words whole, all together: "no romance" left out Romance and
        kept Romance Film (266 films) and Paranormal romance; "not dystopian" kept The Hunger
        Games, filed under Utopian and dystopian fiction ("no romantic comedy" is no Comedy)."""
        relations = {relation for relation, _ in wish.facts}
        facts = [f for f in self.facts if f[0] in relations]
        more = in_domains([value for _, value in wish.facts], facts)
        said = " ".join(w for w in text.split() if w not in stopwords() and len(w) > 2)
        more += holding(said, facts) if said else ()
        return tuple(dict.fromkeys([*wish.facts, *more]))

    def in_domain(self, domain: str | None) -> np.ndarray | None:
        """Which of :attr:`facts` some item of ``domain`` holds (None: no such domain)."""
        if domain not in self._domains:
            catalog = self.graph.space.catalog
            held = [
                any(catalog[i].domain == domain for i in self.graph.items_with(f))
                for f in self.facts
            ]
            self._domains[domain] = np.array(held, dtype=bool) if any(held) else None
        return self._domains[domain]

    def mapped(
        self,
        text: str,
        negative: bool = False,
        history: Sequence[str] = (),
        allowed: np.ndarray | None = None,
        facts: Sequence[Fact] = (),
    ) -> Wish:
        """The wish ``text`` with the facts it means (the best phrase or word match), among
        the ``allowed`` facts (all by default).

        "older" / "newer" map onto years a decade or more before / after the ``history``
        items' (else the middle year of the items of the liked ``facts``: "his older stuff";
        else the catalog's quartiles), where the catalog has a ``year`` relation.
        """
        if not self.facts or not text.strip():
            return Wish(text, negative)
        measured = [w for w in text.split() if w not in word_list("measure_words")]
        if len(measured) < len(text.split()):  # "but shorter": no fact says a length
            wish = self.mapped(" ".join(measured), negative, history, allowed, facts)
            return replace(wish, text=text)
        named = eras.named_years(text, self._year_facts)
        if named is not None:  # "scary 1980s": the other words a wish too, of the same pick
            full = eras.DECADE.sub(eras.full_decade, text)
            domains = tuple(self.graph.space.catalog.domains)
            rest = " ".join(w for w, _ in split_wishes(eras.YEARS_SAID.sub(" ", full), (), domains))
            asked, label = Wish(rest), eras.years_label(full)
            if rest and not negative:
                asked = self.mapped(rest, negative, history, allowed, facts)
            if not named or not asked.understood:  # no item of those years: said, not joined
                return Wish(text, negative, named, 1.0, label=label)
            said = " ".join("".join(m) for m in eras.YEAR.findall(full))
            years = Wish(said, False, named, 1.0, label=label)
            return replace(Wish.joined([asked, years], together=True), text=text)
        years = eras.era(text, history, self.graph, facts, self._among(allowed, text))
        if years is not None:
            return self._in_era(text, years, negative, history, allowed, facts)
        if self.embedder is None:
            return Wish(text, negative)
        if not self.long_values:  # names such as "Comedy": whole values only
            wish = self._by_phrase(text, negative, allowed)
            each = partial(self._by_phrase, negative=False, allowed=allowed)  # of one pick
            if wish.similarity < _NAMED or self._mood_unsaid(text, wish, allowed):
                # "dark comedy" names Black comedy; "darker" no value, nor "toddlers" of "animated"
                both = not negative and each_named(text, each, max(wish.similarity, _EACH))
                wish = self._by_mood(text, negative, allowed) or both or wish
            elif wish.missed:  # "sport drama" named Drama, and 'sport' names Sport
                wish = each_named(text, each, _EACH) or wish
            if not wish.parts and wish.missed:  # said only where nothing is filed so
                held = [w for w in wish.missed if self._by_phrase(w, False, allowed).understood]
                wish = replace(wish, missed=tuple(w for w in _missed(wish.missed) if w not in held))
        else:
            wish = self._by_words(text, negative, allowed)
            wish = wish if wish.understood else self._by_phrase(text, negative, allowed)
        ok = None if allowed is None else set(compress(self.facts, allowed))
        if self.graph.titles_describe:  # also what items titled like the wish are filed under
            wish = self.titles.widen(wish, ok)
        if ok is not None and wish.facts:  # of the domain asked for, those too
            wish = replace(wish, facts=tuple(f for f in wish.facts if f in ok))
        return wish

    def _among(self, allowed: np.ndarray | None, text: str) -> set[Fact] | None:
        """The ``allowed`` facts (all: None), where ``text`` says an era (else none needed)."""
        if allowed is None or not set(text.split()) & eras.ERA_WORDS:
            return None
        return set(compress(self.facts, allowed))

    def _in_era(
        self, text: str, years: tuple, negative: bool, history, allowed, facts: Sequence[Fact]
    ) -> Wish:
        """An era's years ("older", "classic") and, of the same picks, what the wish's other
        words mean ("classic westerns" was the years up to 1865 alone, any book or film):
        older or newer than the middle of their items, where nothing was named."""
        rest = " ".join(w for w in text.split() if w not in eras.ERA_WORDS)
        asked = Wish(rest)
        if rest and not negative:
            asked = self.mapped(rest, negative, history, allowed, facts)
        if asked.understood and not (history or facts):  # the older westerns, not 1865
            among = self._among(allowed, text)  # of the domain asked: "old war movies"
            years = eras.era(text, history, self.graph, asked.facts, among) or years
        era = Wish(text, negative, years, 1.0, label=eras.era_label(years, text))
        if not (years and asked.understood):
            return era
        said = " ".join(w for w in text.split() if w in eras.ERA_WORDS)
        return replace(Wish.joined([asked, replace(era, text=said)], together=True), text=text)

    def _by_phrase(
        self, text: str, negative: bool, allowed: np.ndarray | None = None, alike: bool = True
    ) -> Wish:
        """The facts whose whole values are nearest the wish as a whole ("science fiction" ->
        Science Fiction, not Fiction), else nearest one of its words or their plain forms;
        ``alike``: also the values it names as well as the best ("sci-fi": Science Fiction)."""
        words = text.split()
        plain = list(dict.fromkeys(b for w in words for b in positive(w)))
        parts = [w for w in dict.fromkeys(words) if w not in plain]
        queries = np.asarray(
            [self.embedder.embed_query(p) for p in [text, *plain, *parts]], dtype=np.float32
        )
        similarity = self.vectors() @ queries.T
        similarity[self._year_rows] = -1.0  # a year is named by its digits, not by nearness
        if allowed is not None:
            similarity[~allowed] = -1.0
        # a comparative means its plain form: "darker" is Black-and-white, "dark" Dark fantasy
        whole, any_part = similarity[:, : 1 + len(plain)].max(axis=1), similarity.max(axis=1)
        alone = whole.max() < self.min_similarity  # then a word alone, and clearly: not "como"
        similarity = any_part if alone else whole
        # another kind of what the wish says is no match of it ("korean war": no Vietnam War)
        close = np.flatnonzero((similarity >= self.min_similarity) & (similarity < _NAMED))
        similarity[[n for n in close if other_kind(text, self.facts[n][1])]] = -1.0
        best = float(similarity.max())
        if best < (_PART if alone else self.min_similarity):  # "como" was Spanish Language
            return Wish(text, negative, (), best)
        order = np.argsort(-similarity)[: self.max_facts]
        # within the margin of the best, or, where the wish says a value's name, another name
        # of it (no word of the best's): "sci-fi" is Sci-Fi (0.99) and Science Fiction (0.82),
        # as the books are filed; "war" is no Iraq War, 'young adult' of a mood no Adult
        near = [n for n in order if similarity[n] >= best - self.margin]
        if alike and best >= _SAYS:
            named = set(_PLAIN_WORD.findall(self.facts[order[0]][1].casefold()))
            near += [  # "Comedy-drama" holds the word "comedy": another kind, not another name
                n for n in order if n not in near and similarity[n] >= _NAMED
                and not named & set(_PLAIN_WORD.findall(self.facts[n][1].casefold()))
            ]  # fmt: skip
        facts = tuple(self.facts[n] for n in near)  # its words a wider kind lacks are said
        return Wish(text, negative, facts, best, missed=() if negative else unsaid(text, facts))

    def instead(self, wish: Wish, left_out: set[Fact], domain: str | None) -> Wish | None:
        """What a positive ``wish`` whose facts are all ``left_out`` means without them, where its
        mood says (``moods.txt`` after "|": "scary but not horror" is thrillers); else None."""
        held = self.in_domain(domain)
        allowed = np.array([f not in left_out for f in self.facts]) & (held is None or held)
        found = self._by_mood(wish.text, wish.negative, allowed, instead=True)
        return replace(found, text=wish.text) if found and found.understood else None

    def _mood_unsaid(self, text: str, wish: Wish, allowed=None) -> bool:
        """Whether the value ``wish`` names is what the words of ``text`` but its moods name
        alone: the mood said nothing to it."""
        rest = [w for w in text.split() if _mood_of(w, moods()) is None]
        if not 0 < len(rest) < len(text.split()):
            return False
        return self._by_phrase(" ".join(rest), False, allowed).facts[:1] == wish.facts[:1]

    def _by_mood(self, text: str, negative: bool, allowed=None, instead=False) -> Wish | None:
        """A mood ("lighter", "grittier", "feel-good") as the genre words ``moods.txt`` gives
        it, each matched as a wish of its own: "lighter" is near no genre's name, comedy and
        family are. The wish's other words are a wish of their own, meant of the same pick:
        "funny horror" is Horror and Comedy, horror comedies first (parts ``together``).
        None where the wish names no mood or nothing maps."""
        known, feel, rest = moods(instead), [], []
        for word in text.split():  # each mood a wish: "scary kids" is Horror and kids', not either
            said = _mood_of(word, known)
            genres = known.get(said, ())  # each its own value only: 'young adult' is no Adult
            found = [self._by_phrase(genre, negative, allowed, alike=False) for genre in genres]
            found = [w if w.understood else Wish(g, negative, holding(g, self.facts, allowed),
                     self.min_similarity) for g, w in zip(genres, found, strict=True)]  # fmt: skip
            facts = tuple(dict.fromkeys(f for wish in found for f in wish.facts))
            facts += in_domains(genres, self.facts) if negative and said else ()  # Crime Fiction
            best = max((wish.similarity for wish in found), default=0.0)
            feel.append(Wish(word, negative, facts, best)) if said else rest.append(word)
        if not feel:
            return None
        # the other words as a wish of their own, first: "funny horror" is Horror, and funny
        asked = self._by_phrase(" ".join(rest), negative, allowed) if rest else Wish("", negative)
        wishes = [wish for wish in (asked, *feel) if wish.understood]
        missed = () if asked.understood else _missed(rest)  # "kids dragons"
        if len(wishes) > 1 and not negative:  # both, of one pick
            return replace(Wish.joined(wishes, together=True), text=text, missed=missed)
        if not wishes:
            return None
        facts = tuple(dict.fromkeys(f for wish in wishes for f in wish.facts))
        return Wish(text, negative, facts, max(w.similarity for w in wishes), missed=missed)

    def _by_words(self, text: str, negative: bool, allowed: np.ndarray | None = None) -> Wish:
        """The facts whose values hold a word nearest a word of the wish: "writing" -> every
        category path with "writing" in it, where values are long ("office products office
        school supplies writing correction supplies ...") and no whole value is near it. With
        several wish words, the values holding a match of each ("sewing machine": not every
        path under "arts crafts sewing"), else those of the best-matched word."""
        words, vectors, owners = self.vocabulary()
        asked = [w for w in dict.fromkeys(text.split()) if len(w) > 2]
        if not words or not asked:
            return Wish(text, negative)
        queries = np.asarray([self.embedder.embed_query(w) for w in asked], dtype=np.float32)
        similarity = vectors @ queries.T
        ok = range(len(self.facts)) if allowed is None else set(np.flatnonzero(allowed).tolist())
        if allowed is not None:  # a word that no allowed fact holds is no match
            similarity[[not allowed[facts].any() for facts, _ in owners]] = -1.0
        best = float(similarity.max())
        groups: list[_Matched] = []
        for k, column in enumerate(similarity.T):
            top = float(column.max())
            matched = [n for n in np.argsort(-column)[:3] if column[n] >= top - self.margin]
            # the word's plural or singular too: "machine" is also "... die cut machines"
            matched += [n for n in forms_in(asked[k], words) if n not in matched and column[n] > -1]
            # those of its own stem first: "organised" is organizers, not floral arranging
            stem = [n for n in matched if same_stem(words[n], asked[k])]
            # far weaker than the best is noise, unless of its own stem ("desk organised")
            if top < self.min_word_similarity or (top < best - self.margin and not stem):
                continue
            matched = stem or matched
            shown = "/".join(words[n] for n in matched)
            # a word it ends, as near: "brushes" is also paintbrushes (0.78), "paper" no sandpaper
            matched += [n for n in compounds(asked[k], words, column) if n not in matched]
            facts = {f for n in matched for f in owners[n][0] if f in ok}
            again = {f for n in matched for f in owners[n][1] if f in ok}
            kinds = frozenset(words[n] for n in matched)
            groups.append(_Matched(top, shown, facts, again, asked[k], kinds))
        if not groups:
            return Wish(text, negative, (), best)
        common = set.intersection(*(g.facts for g in groups))
        if not common:  # the most words matching together, else the one the others describe
            groups = most_together(groups) or [head_of(self, groups)]  # or the best-matched one
            common = set.intersection(*(g.facts for g in groups))
        common = set.intersection(common, *(g.again for g in groups)) or common
        # a kind named is the values ending in it (or in a word ending so: "paintbrush sets"):
        # "brushes" are no brush holders or brush cleaners, "paper clips" no clip holders
        said = set().union(*(g.kinds for g in groups))
        ending = {f for f in common if self._kind_word(f).endswith(tuple(said))}
        # with what is filed below them: "... art supplies drawing" holds the drawing pencils
        paths = {f: self.graph.kind_path(self.facts[f][1]) for f in common}
        ending |= {f for f in common if any(paths[f].startswith(paths[e] + " ") for e in ending)}
        common = ending or common
        facts = tuple(self.facts[f] for f in sorted(common))
        return Wish(text, negative, facts, best, tuple(g.shown for g in groups))

    def _kind_word(self, n: int) -> str:
        """The last word of fact ``n``'s value as a kind ("... brush organizers holders"), or
        the one before a word of sets ("... paintbrushes paintbrush sets")."""
        words = _WORD.findall(self.graph.kind_path(self.facts[n][1]).casefold())
        while len(words) > 1 and words[-1] in word_list("set_words"):
            words.pop()
        return words[-1] if words else ""

    def vocabulary(self) -> tuple[list[str], np.ndarray, list[tuple[list[int], list[int]]]]:
        """The words of the facts' values, their vectors, and for each word the facts holding
        it and those naming it twice. A word in over a quarter of the values ("arts crafts
        sewing", the root of every Amazon arts path) counts only where it comes again ("arts
        crafts sewing sewing machines"). Any other word named twice in some value is there a
        node of its own below a parent it shares: "... painting drawing art supplies drawing
        drawing media pencils" is drawing, the paints under "painting drawing art supplies"
        are not; :meth:`_by_words` prefers those values where they fit the whole wish. A seller's
        name at a path's end is no word of it ("... bible covers christian art gifts" is no
        gift: :meth:`KnowledgeGraph.kind_path`)."""
        if self._vocabulary is None:
            values = [
                [w for w in _WORD.findall(kind.casefold()) if len(w) > 2 and w not in stopwords()]
                for kind in (self.graph.kind_path(v) for _, v in self.facts)
            ]
            df: dict[str, int] = {}
            for value in values:
                for word in set(value):
                    df[word] = df.get(word, 0) + 1
            root = {w for w, n in df.items() if n > len(values) / 4}
            owners: dict[str, list[int]] = {}
            again: dict[str, list[int]] = {}  # values naming the word a second time
            for n, value in enumerate(values):
                rest = list(value)
                for word in root & set(rest):
                    rest.remove(word)  # its first place: the root's
                for word in dict.fromkeys(rest):
                    owners.setdefault(word, []).append(n)
                    if word not in root and rest.count(word) > 1:
                        again.setdefault(word, []).append(n)
            words = sorted(owners)
            vectors = np.zeros((0, 1), np.float32)  # no word to match (years, codes)
            if words:
                vectors = np.asarray(self.embedder.embed(words), np.float32).reshape(len(words), -1)
            owned = [(owners[w], again.get(w, owners[w])) for w in words]
            self._vocabulary = (words, vectors, owned)
        return self._vocabulary

    def warm(self) -> None:
        """Compute the value (and, for long values, word) vectors now, not on the first wish."""
        if self.facts and self.embedder is not None:
            self.vectors()
            if self.long_values:
                self.vocabulary()


def _missed(words: Sequence[str]) -> tuple[str, ...]:
    """The words beside a mood worth saying nothing matched: no short word ("make" of "make
    me cry") and none spelled near an asking word ("somthing")."""
    filler = request_words() | stopwords()
    return tuple(w for w in words if len(w) > 4 and not near_any(w, filler))


def _mood_of(word: str, known: dict) -> str | None:
    """The mood ``word`` says, as ``known`` has it: itself, its plain form ("lighter"), or
    its singular ("toddlers")."""
    return next((m for m in (word, *positive(word), word.removesuffix("s")) if m in known), None)
