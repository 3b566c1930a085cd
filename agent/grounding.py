"""The grounding check: what a justification may say about a pick, and what it may not.

:class:`GroundingCheck` verifies that every title a text names is the recommended item or a
history item, that every fact it states is in the evidence or true of the item (and of the
right person in the right role, :mod:`crossrec.agent.claims`), that it names the pick, calls
it by its own kind, and that nothing else sneaks in (links, instructions, runaway text).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

from crossrec.agent.claims import misattributions, unsupported_years
from crossrec.agent.phrasing import form_words, spoken_forms, stock_phrase
from crossrec.retrieval import FRANCHISE, Catalog, EntityLinker, EvidenceLink, KnowledgeGraph

__all__ = ["GroundingCheck", "kind_nouns", "unknown_names", "word_spans"]

_REFERENCE = re.compile(r"#\s?\d+")  # the prompt numbers the history: "brand ivation (#2)"
_URL = re.compile(r"https?://|www\.|\b\S+@\S+\.\w+\b", re.IGNORECASE)
# a claim that people chose the two items together: only a co-occurrence link backs it
_TOGETHER = re.compile(
    r"\b(?:buyers of|people who (?:bought|chose|liked|picked)|fans of|often (?:add|adds|goes? "
    r"with)|same basket|(?:also|many people) (?:picked|chose|bought)|have gone for)\b",
    re.IGNORECASE,
)
_INSTRUCTION = re.compile(
    r"ignore (?:all|any|previous|your)|system prompt|as an ai|<\||\|>|instruction", re.IGNORECASE
)
_REFUSAL = re.compile(
    r"\b(?:i'?m sorry|i can'?t|i cannot|i'?d be happy|i'?m glad|as an ai|i'?m here to)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@cache
def _tone_words() -> frozenset[str]:
    """Words a justification may use freely (tone, not facts), plus the phrasing forms' words."""
    text = resources.files("crossrec.agent").joinpath("words", "tone_words.txt").read_text("utf-8")
    words = {ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}
    return frozenset(words) | form_words()


# nouns that say what kind of thing an item is; other domains use their name and its plural
_KIND_NOUNS = {
    "movie": ("movie", "movies", "film", "films"),
    "book": ("book", "books", "novel", "novels"),
}


def word_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where ``phrase`` stands in ``text`` as whole words, ignoring case ("Up" is not in
    "builds up"... but is in "Up is ...")."""
    if not phrase:
        return []
    pattern = rf"(?<!\w){re.escape(phrase)}(?!\w)"
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


# up to three words between "X is a" and a kind noun, none of them a preposition: "Haunted is
# another one from the film's writer" calls Haunted no film
_GAP = r"(?:(?!(?:by|from|of|like|than|as|with|in|to|for) )\w+ ){0,3}"
# capitalised after a quote or bracket, or as a pronoun or conjunction: no name
_COMMON = frozenset({
    "he", "she", "they", "it", "we", "i", "his", "her", "hers", "their", "its", "our", "but",
    "and", "or", "so", "yet", "when", "while", "where", "each", "all", "some", "both", "this",
    "that", "these", "those", "there", "then", "also", "with", "from", "for", "as", "if",
    "because",
})  # fmt: skip


def unknown_names(text: str, vocabulary: set[str], said: str = "") -> list[str]:
    """The capitalised words inside a sentence (not its first word, nor one after a colon,
    semicolon, quote or bracket that opens a clause) that ``vocabulary`` (the titles, facts and
    evidence a text may use) and the user's own words ``said`` (a wish quoted back) lack: names
    the writer made up ("The Matrix stars Theo and Thea", "Nicholas Cage" for Nicolas Cage),
    which the count of novel words lets through."""
    allowed = vocabulary | _COMMON | set(_WORDS.findall(said.casefold()))
    found = []
    for clause in re.split(r"[.!?:;][\"')\]]*\s+|[\"'(\[]", text):
        words = _WORDS.findall(clause)[1:]
        found += [
            w for w in words if w[:1].isupper() and len(w) > 1 and w.casefold() not in allowed
        ]
    return found


def kind_nouns(domain: str) -> tuple[str, ...]:
    """The words that would call an item a ``domain`` item ("film" for a movie)."""
    folded = domain.casefold()
    return _KIND_NOUNS.get(folded, (folded,) if folded.endswith("s") else (folded, f"{folded}s"))


class GroundingCheck:
    """Checks a justification against the catalog, the user's items and the evidence.

    A text passes when it names the recommended item, is at most ``max_words`` long (each
    title of the item or the history counting as one word), names no other item than it or the
    user's history, states no fact outside the evidence or the item's own facts, uses at most
    ``novel_words`` content words that appear in none of those, does not call the item by
    another domain's kind noun ("Chain Reaction, a thriller film" or "the film Chain Reaction"
    for a book; "based on the novel" is fine), and has no links, refusals or instruction-like
    text.
    """

    def __init__(
        self,
        catalog: Catalog,
        graph: KnowledgeGraph | None,
        max_words: int = 50,
        novel_words: int = 4,
    ):
        self.catalog = catalog
        self.graph = graph
        self.linker = EntityLinker(catalog, graph)
        self.max_words = max_words
        self.novel_words = novel_words

    def _vocabulary(
        self, item_id: str, history: Sequence[str], links: Sequence[EvidenceLink]
    ) -> set[str]:
        texts = [self.catalog[item_id].title, self.catalog[item_id].domain]
        texts += [self.catalog[h].title for h in history if h in self.catalog]
        texts += [link.describe(self.catalog) for link in links]
        if self.graph is not None:
            texts += [f"{r} {v}" for r, v in self.graph.facts_of(item_id)]
        return {w for t in texts for w in _WORDS.findall(t.casefold())} | _tone_words()

    def _unknown_words(self, text, item_id, history, links, known, said: str) -> list[str]:
        """Too many words that no evidence has, and capitalised ones (made-up names) that
        neither it nor the facts of ``known`` (the pick and the history in the catalog) have."""
        vocabulary = self._vocabulary(item_id, history, links)
        novel = [w for w in _WORDS.findall(text.casefold()) if len(w) > 3 and w not in vocabulary]
        issues = (
            [f"adds words found in no evidence: {novel[:6]}"]
            if len(novel) > self.novel_words
            else []
        )
        made_up = unknown_names(text, vocabulary | self._history_words(known), said)
        return issues + [f"names {n!r}, which no title or fact here has" for n in made_up[:1]]

    def _history_words(self, items: Sequence[str]) -> set[str]:
        """The words of the facts of ``items`` (a liked item's director may be named)."""
        if self.graph is None:
            return set()
        return {
            w
            for i in items
            for _, v in self.graph.facts_of(i)
            for w in _WORDS.findall(v.casefold())
        }

    def problems(
        self,
        text: str,
        item_id: str,
        history: Sequence[str],
        links: Sequence[EvidenceLink],
        said: str = "",
    ) -> list[str]:
        """Everything wrong with ``text``; an empty list means it passes. ``said``: the user's
        own words (a wish) the text may quote back."""
        if not text.strip():
            return ["empty"]
        issues = []
        allowed_items = {item_id, *history}
        known = [i for i in (item_id, *history) if i in self.catalog]
        mentions = self.mentions(text, known)
        # titles of the item and the history count as one word each: Amazon titles are long
        title_words = sum(
            len(m.text.split()) - 1
            for m in mentions
            if m.kind == "item" and set(m.ids) & allowed_items
        )
        if len(text.split()) - title_words > self.max_words:
            issues.append(f"longer than {self.max_words} words")
        for pattern, what in (
            (_URL, "a link or address"),
            (_INSTRUCTION, "instruction-like text"),
            (_REFUSAL, "a refusal or meta comment"),
        ):
            if pattern.search(text):
                issues.append(f"contains {what}")
        if _TOGETHER.search(text) and not any(link.kind == "cooccurrence" for link in links):
            issues.append("says people chose them together, which no evidence shows")
        names = [self.catalog[i].title for i in known] + [self.catalog.spoken(i) for i in known]
        titles = list(names)
        untitled = functools.reduce(lambda t, n: t.replace(n, " "), names, text)
        if "?" in untitled:  # "What's Up, Doc?" is a title, not a question
            issues.append("asks a question instead of explaining")
        if _REFERENCE.search(untitled):  # the prompt's "(#2)"; "New Moon (Twilight, #2)" is a title
            issues.append("says a reference number of the prompt")
        if self.graph is not None:
            names += [v for _, v in self.graph.facts_of(item_id)]
        praise = stock_phrase(text, names)
        if praise:
            issues.append(f"stock praise {praise!r} instead of a reason")
        folded = " ".join(_WORDS.findall(text.casefold()))
        title = " ".join(_WORDS.findall(self.catalog[item_id].title.casefold()))
        spoken = " ".join(_WORDS.findall(self.catalog.spoken(item_id).casefold()))
        if title and not any(n in folded for n in (title, " ".join(title.split()[:4]), spoken)):
            issues.append("does not name the recommended item")
        issues += self._unknown_words(text, item_id, history, links, known, said)
        issues += self._wrong_kind(folded, title, item_id, history)
        allowed_facts = {link.fact for link in links if link.fact}
        if self.graph is not None:
            allowed_facts |= set(self.graph.facts_of(item_id))
        spoken_names = {" ".join(_WORDS.findall(self.catalog.spoken(i).casefold())) for i in known}
        issues += self._mention_problems(mentions, allowed_items, allowed_facts, spoken_names)
        return issues + self._claims(text, mentions, allowed_facts, item_id, known, titles)

    def _claims(self, text, mentions, allowed_facts, item_id, known, titles) -> list[str]:
        """Who did what, and when: of the pick, or of a history item the text may name; a
        sentence naming no item ("It stars ...") speaks of the pick."""
        own = None
        if self.graph is not None:
            allowed_facts = allowed_facts | {f for h in known for f in self.graph.facts_of(h)}
            own = (self.catalog.spoken(item_id), frozenset(self.graph.facts_of(item_id)))
        found = misattributions(text, mentions, allowed_facts, self._named(text, known), own)
        return found + unsupported_years(text, allowed_facts, titles)

    def _named(self, text: str, items: Sequence[str]) -> list[tuple[int, int, str, frozenset]]:
        """Where ``text`` names each of ``items`` (title or spoken name), with the item's
        facts; a name inside another's longer name ("Young Guns" in "Young Guns II") or that is
        one of their fact values ("Drama", a book and a genre) is not one."""
        if self.graph is None:
            return []
        # a franchise is named by its titles: "Dune" still names the film of the Dune story
        values = {v.casefold() for i in items for r, v in self.graph.facts_of(i) if r != FRANCHISE}
        found = [
            (a, b, text[a:b], frozenset(self.graph.facts_of(item_id)))
            for item_id in items
            for name in {self.catalog[item_id].title, self.catalog.spoken(item_id)}
            if name.casefold() not in values
            for a, b in word_spans(text, name)
        ]
        return [
            n
            for n in found
            if not any(o[0] <= n[0] and n[1] <= o[1] and o[1] - o[0] > n[1] - n[0] for o in found)
        ]

    def mentions(self, text: str, items: Sequence[str]) -> list:
        """The items and facts ``text`` names, less the fact mentions inside a spoken name
        (:meth:`Catalog.spoken`) of one of ``items`` (the pick and the history): "rockin beads
        ..." names an item, it does not state the brand; and less those inside a longer value
        of one of their facts, as a sentence says it (a category by its last words). Item
        mentions all stay, so another item's whole title is still seen."""
        mentions = self.linker.link(text)
        if not self.catalog.describes:  # titles are spoken whole and linked as items
            return mentions
        names = [
            span for item_id in items for span in word_spans(text, self.catalog.spoken(item_id))
        ]
        facts = {f for i in items for f in self.graph.facts_of(i)} if self.graph else set()
        # a value inside a longer one of their own facts ("k company" in the category "stamping
        # k company") is said as part of it: no brand is claimed
        values = [
            span
            for f in facts
            for said in spoken_forms(f, self.graph)
            for span in word_spans(text, said)
        ]

        def inside(m, spans, strictly: bool) -> bool:
            return any(
                a <= m.start and m.end <= b and (not strictly or b - a > m.end - m.start)
                for a, b in spans
            )

        return [
            m
            for m in mentions
            if m.kind != "fact" or not (inside(m, names, False) or inside(m, values, True))
        ]

    def _mention_problems(
        self, mentions, allowed_items: set, allowed_facts: set, spoken_names: set = frozenset()
    ) -> list[str]:
        """Items other than the pick and the history, and facts that are not the pick's. A
        title said as the pick's or a history item's spoken name is theirs ("The Great Gatsby"
        for "The Great Gatsby (Award-Winning Work)", though a book has that bare title)."""
        values = {v.casefold() for _, v in allowed_facts}
        issues = []
        for mention in mentions:
            if (
                mention.kind == "item"
                and not set(mention.ids) & allowed_items
                and mention.text.casefold() not in values  # "Drama": a genre, and a book's title
                and " ".join(_WORDS.findall(mention.text.casefold())) not in spoken_names
            ):
                issues.append(
                    f"names {mention.text!r}, which is neither the item nor a history item"
                )
            elif (
                mention.kind == "fact"
                and not {v.casefold() for _, v in mention.facts} & values  # roles: claims.py
                and not self._is_title(mention.text, allowed_items)
            ):
                issues.append(f"states {mention.text!r}, which is not in the evidence")
        return issues

    def _is_title(self, text: str, items) -> bool:
        """A fact-like span that is one of ``items``' own titles ("Mystery", a book)."""
        key = " ".join(_WORDS.findall(text.casefold()))
        return any(key == " ".join(_WORDS.findall(self.catalog[i].title.casefold())) for i in items)

    def _wrong_kind(self, folded: str, title: str, item_id: str, history) -> list[str]:
        """Another domain's kind noun said of the item itself: "<title> is a (few words) film"
        (or "another ... film"), "<title>, a (few words) film" or "the film <title>"
        (punctuation already removed); not the domain of a liked item of the same title ("the
        book The Hunger Games" beside the film)."""
        item = self.catalog[item_id]
        said = self.catalog.spoken(item_id).casefold()  # as phrasing._names compares them
        namesakes = {
            self.catalog[h].domain
            for h in history
            if h in self.catalog and self.catalog.spoken(h).casefold() == said
        }
        spoken = " ".join(_WORDS.findall(self.catalog.spoken(item_id).casefold()))
        names = "|".join(re.escape(t) for t in {title, " ".join(title.split()[:4]), spoken} if t)
        if not names:
            return []
        found = []
        for domain in self.catalog.domains:
            if domain == item.domain or domain in namesakes:
                continue
            for noun in kind_nouns(domain):
                called = (
                    rf"\b(?:{names}) (?:is |was )?(?:a|an|another|the|this) {_GAP}{noun}\b",
                    rf"\b(?:the|this|that) {noun} (?:{names})\b",
                )
                if any(re.search(pattern, folded) for pattern in called):
                    found.append(f"calls {item.title!r} a {noun!r}, but it is a {item.domain}")
        return found
