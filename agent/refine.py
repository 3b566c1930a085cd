"""A follow-up that says more of the kept wish: "from the 80s" after "a scary movie" (horror
of the 1980s), "for a beginner" after "scrapbooking", "cordless" after "hot glue gun"."""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from crossrec.agent import eras
from crossrec.agent.follow_ups import SAYING_HOW
from crossrec.agent.nlu import Understanding
from crossrec.agent.state import Profile
from crossrec.agent.wish_titles import forms_in, same_word
from crossrec.agent.wishes import Wish
from crossrec.agent.wordlists import for_whom
from crossrec.retrieval import stopwords

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender
    from crossrec.retrieval import KnowledgeGraph

__all__ = ["narrowed", "refined_wish", "refines", "titled_in_kept"]

_KIND = 20  # items filed under a kind ending in a word that makes it a kind of thing
_YOUNG = frozenset({"children", "child", "family", "teen", "teenager", "teenagers", "toddlers"})
_GROWN = frozenset({"adult", "adults", "grown-ups", "grownups"})  # "for kids", then "for adults"
_ALIKE = 0.62  # a follow-up word this near a kept one replaces it: "red" of "black" (0.64; not
# "blue" of "watercolor", 0.60: the int8 MiniLM gives them so on an AMD EPYC)


def narrowed(rec: Recommender, und: Understanding, profile: Profile, wish: Wish) -> Wish:
    """A follow-up wish of another kind of fact than the kept one narrows it: "from the 80s"
    after "a scary movie" is horror from the 1980s (it replaced the horror), "a comedy" after
    "from the 90s" a 90s comedy; it replaces a kept part of its own kind ("something funnier"
    then: comedy, still from the 1980s). A message naming what it likes (but a genre: "a
    comedy") starts anew, and wishes meant of different picks ("funny and scary") are neither
    narrowed nor narrow."""
    named = und.liked or set(map(tuple, und.liked_facts)) - rec.wishes.wishable
    if not profile.wish or named or und.instead or (wish.parts and not wish.together):
        return wish  # "romance instead"
    kept = Wish.from_dict(profile.wish)
    if kept.parts and not kept.together:
        return wish
    said = {relation for relation, _ in wish.facts}
    parts = [
        p
        for p in kept.parts or (kept,)
        if p.facts and (not said & {f[0] for f in p.facts} or _with(rec, profile, p, wish))
    ]
    return Wish.joined([*parts, *(wish.parts or (wish,))], together=True) if parts else wish


def _with(rec: Recommender, profile: Profile, kept: Wish, wish: Wish) -> bool:
    """Whether a follow-up ``wish`` of the ``kept`` part's kind of fact still goes with it:
    who the picks are for ("movies for kids", then "something funny": funny films for kids,
    not The Hangover), or facts that the asked domain's items hold together more often than
    by chance (Family and Comedy; not Horror and Comedy: "scary", then "funnier", is comedy)."""
    audience = for_whom() | eras.AGES | _YOUNG
    if set(kept.text.split()) <= audience:
        return not set(wish.text.split()) & (audience | _GROWN)
    if set(map(tuple, kept.facts)) & set(wish.facts):  # "funny", then "funnier"
        return False
    graph = rec.wishes.graph
    catalog = graph.space.catalog
    domain = set(catalog.ids(profile.domain)) if profile.domain else set(catalog.ids())
    a, b = ({i for f in w.facts for i in graph.items_with(tuple(f))} & domain for w in (kept, wish))
    return bool(a and b) and len(a & b) * len(domain) >= len(a) * len(b)


def refines(rec: Recommender, und: Understanding, profile: Profile, wish: Wish) -> bool:
    """Whether a follow-up ``wish`` that names no kind of thing refines the wish kept from
    before, where titles describe things: "scrapbooking", then "for a beginner", is
    "scrapbooking beginner" (alone, 'beginner' was jewelry basics kits); "I need a stapler" or
    "something for calligraphy" names a kind (a word of one) and is a wish anew, unless the
    kept wish's titles say it before their kind and it maps onto some of the kept wish's facts
    (:func:`_in_titles`: "electric" after a pencil sharpener; "brushes" after acrylic paint is
    paintbrushes). A word nothing matches ("cheaper") keeps the earlier wish as it was."""
    if not wish.understood or not profile.wish or wish.negative:
        return False
    if sum(not negative for _, negative in und.wishes) > 1:  # not "with dots instead of lines"
        return False
    if und.liked or und.liked_facts and not und.for_only:  # "for my hp printer": a maker
        return False
    if not rec.wishes.graph.titles_describe:
        return False
    kinds, _ = _kind_words(rec.wishes.graph)
    named = [word for word in wish.text.split() if forms_in(word, kinds)]
    kept, graph = Wish.from_dict(profile.wish), rec.wishes.graph
    if und.for_only and _for_which(rec, kept, wish.text):  # "markers", then "for fabric"
        return True
    if not named or und.of_kept:  # "watercolor ones", "in white": of the kept kind
        return True
    if _says_which(rec, kept, wish.text):  # "journal", then "leather"
        return True
    # a word that is no kind of its own ("cordless" of cordless telephones; "white", which ends
    # one kind of one item) that two of the kept wish's titles say (two cordless glue guns are
    # filed as glue guns, the third with glue sticks; "poster board", then "white")
    if all(not _a_kind(graph, w) and _in_titles(graph, kept, w, 2, anywhere=True) for w in named):
        return True
    if not {tuple(f) for f in kept.facts} & set(wish.facts):
        return False
    return all(_in_titles(graph, kept, word) for word in named)


def refined_wish(
    rec: Recommender, und: Understanding, profile: Profile, text: str, negative: bool, known
) -> Wish:
    """The kept wish said more of by a follow-up's ``text`` (mapped with what is ``known``):
    its words after the kept wish's, mapped within the kept facts where they fall there
    ("watercolor paper", then "for a beginner"), and among the items titled with them all
    ("journal", then "leather": leather journals, filed under notebooks); the follow-up's
    words are for the picks' titles to say ("in white"), and its picks shown may be again."""
    words = _for_which(rec, Wish.from_dict(profile.wish), text) if und.for_only else ()
    if words and not _whom(text):  # "markers", then "for fabric"; "for kids" is said below
        return _for_it(rec, Wish.from_dict(profile.wish), words, negative, known)
    text = " ".join(w for w in text.split() if w not in SAYING_HOW) or text  # "shaped like"
    kept = _less_replaced(rec, Wish.from_dict(profile.wish), text)  # "black pens", "in blue"
    said, titled = (*kept.said, *text.split()), rec.wishes.titles.titled(text)
    text = f"{kept.text} {text}"
    wish = rec.wishes.map(text, negative, *known)
    within = tuple(f for f in wish.facts if f in kept.facts)  # still watercolor paper
    # and the kept facts whose items' titles say the follow-up: "rubber stamps", then "with
    # flowers", the cling stamps titled "flower", not only the office ones mapped nearest
    graph = rec.wishes.graph
    within += tuple(f for f in kept.facts if f not in within and titled & set(graph.items_with(f)))
    wish = replace(wish, facts=within) if within else replace(kept, text=text)
    wish = rec.wishes.titles.widen(wish)  # "journal leather": leather journals too
    wish = replace(wish, said=tuple(dict.fromkeys(said)))  # titles say it: "in white"
    und.again = tuple(w for w in wish.said if w not in kept.said)  # the mini ones shown
    return wish


def _less_replaced(rec: Recommender, kept: Wish, text: str) -> Wish:
    """``kept`` without the words before its last that a word of the follow-up ``text``
    replaces, one :data:`_ALIKE` near it ("black gel pens", then "in blue": blue gel pens, not
    black ones with blue barrels; "small notebook", then "a bigger one")."""
    words = [w for w in text.split() if len(w) > 2 and w not in stopwords()]
    if not words or rec.wishes.embedder is None:
        return kept
    embed = rec.wishes.embedder.embed_query
    new = np.asarray([embed(w) for w in words], dtype=np.float32)
    said = kept.text.split()  # the kind is its last word but those said after it ("gel pens
    head = next((w for w in reversed(said) if w not in kept.said), said[-1])  # blue", "in red")
    before = [w for w in said if w != head]
    gone = {w for w in before if len(w) > 2 and float(np.max(new @ embed(w))) >= _ALIKE}
    if not gone:
        return kept
    text = " ".join(w for w in kept.text.split() if w not in gone)
    return replace(kept, text=text, said=tuple(w for w in kept.said if w not in gone))


def _for_which(rec: Recommender, kept: Wish, text: str) -> tuple[str, ...]:
    """The words of a follow-up saying only what a thing is for that say which of the kept
    wish's kind: who it is for ("sketchbook", then "for kids"), or words two titles or more
    say with the kind ("markers", then "something for fabric": fabric markers, not fabric;
    "pens", then "for left handed people": left handed pens); none: a wish anew ("for
    knitting" after a stapler)."""
    words = tuple(w for w in text.split() if len(w) > 2 and w not in stopwords())
    if _whom(" ".join(words)):
        return words
    kind, titled = _kind_of(kept), rec.wishes.titles.titled
    if not kind:  # every kept word narrowed it
        return ()
    words = tuple(w for w in words if len(titled(f"{kind} {w}")) >= 2)  # not "people"
    return words if words and len(titled(" ".join([kind, *words]))) >= 2 else ()


def _whom(text: str) -> bool:
    """Whether ``text`` says only whom a thing is for ("kids", "my daughter")."""
    words = {w for w in text.split() if w not in stopwords()}
    return bool(words) and words <= for_whom() | eras.AGES | _YOUNG | _GROWN


def _kind_of(kept: Wish) -> str:
    """The kept wish's kind: its words but those a follow-up narrowed it by ("in white")."""
    return " ".join(w for w in kept.text.split() if w not in kept.said)


def _for_it(rec: Recommender, kept: Wish, words: tuple[str, ...], negative: bool, known) -> Wish:
    """The ``kept`` wish for what a follow-up's ``words`` say it is for: its facts the two
    together map onto ("needles", then "for my sewing machine": machine needles), with the
    kinds of its kind that file items titled with both (fabric markers are filed as fabric
    markers, paint pens and markers, permanent markers); the picks whose titles say them
    first. Not the laser printers titled "paper", for "printer paper", then "for a laser
    printer"."""
    graph, kind = rec.wishes.graph, _kind_of(kept)
    titled = rec.wishes.titles.titled(" ".join([kind, *words]))
    facts = {f for i in titled for f in graph.facts_of(i) if f[0] == "category"}
    more = (f for f in facts if forms_in(kind.split()[-1], _path(graph, f[1])))  # a seller's too
    mapped = rec.wishes.map(" ".join([kind, *words]), negative, *known).facts
    within = [f for f in mapped if f in kept.facts] or kept.facts  # still machine needles
    return replace(
        kept,
        text=" ".join([kept.text, *words]),
        facts=tuple(dict.fromkeys((*map(tuple, within), *sorted(more)))),
        said=tuple(dict.fromkeys((*kept.said, *words))),
    )


def _path(graph: KnowledgeGraph, value: str) -> list[str]:
    return sorted(graph.kind_path(value).split())


def _says_which(rec: Recommender, kept: Wish, text: str, least: int = 2) -> bool:
    """Whether a follow-up of a word or two, none a kind of thing of its own (a word that
    kinds filing ``_KIND`` items end in), says which of the kept wish's kind of thing: in
    ``least`` titles or more of the catalog it comes before the kept wish's last word, with
    its other words ("journal", then "leather": leather journals, though "leather" alone is
    leathercraft; "scissors", then "for kids"; "tissue paper", then "only white"). Said after
    it, it is what goes with it ("notebook with pen")."""
    words = [w for w in text.split() if len(w) > 2 and w not in stopwords()]
    kind = [w for w in kept.text.split() if len(w) > 2 and w not in stopwords()]
    if not words or len(words) > 2 or not kind or (kept.parts and not kept.together):
        return False
    if any(_a_kind(rec.wishes.graph, w) for w in words):  # "stapler", then "staples"
        return False
    catalog, found = rec.wishes.graph.space.catalog, 0
    for item_id in rec.wishes.titles.titled(" ".join([*kind, *words])):
        title = catalog[item_id].title.split()
        head = max((n for n, w in enumerate(title) if same_word(w, kind[-1])), default=0)
        found += all(any(same_word(w, t) for t in title[:head]) for w in words)
        if found >= least:
            return True
    return False


def _in_titles(
    graph: KnowledgeGraph, kept: Wish, word: str, least: int = 3, anywhere: bool = False
) -> bool:
    """Whether ``least`` titles or more of the kept wish's items say ``word`` before their
    kind (or ``anywhere``) ("electric pencil sharpener", "navy blue ... stapler", "left handed
    scissors"): it says which of them. Said after it, it is what goes with them ("colored
    pencils with sharpener", "planner with stickers": a sharpener, stickers are a wish anew),
    as is a word none says ("calligraphy" after scrapbooking)."""
    catalog = graph.space.catalog
    kinds = sorted({graph.kind_path(value).split()[-1] for _, value in kept.facts})
    items = {i for f in kept.facts for i in graph.items_with(tuple(f))}

    def before_kind(title: str) -> bool:
        words = title.split()
        found = (n for n, w in enumerate(words) if forms_in(w, kinds))  # where the kind is said
        kind = len(words) if anywhere else next(found, len(words))
        return any(forms_in(w, [word]) for w in words[:kind])

    said = (i for i in items if before_kind(catalog[i].title))
    return sum(1 for _ in itertools.islice(said, least)) >= least


def _a_kind(graph: KnowledgeGraph, word: str) -> bool:
    """Whether ``word`` (or its plural or singular) ends kinds filing ``_KIND`` items or more:
    a kind of thing of its own ("staples"; not "white")."""
    sizes = _kind_sizes(graph)
    return any(sizes.get(form, 0) >= _KIND for form in (word, word + "s", word[:-1]))


@lru_cache(maxsize=4)
def _kind_sizes(graph: KnowledgeGraph) -> dict[str, float]:
    """The words kinds end in -> the most items a kind ending in it files ("pens": 514
    ballpoint pens; "white": 1, Lily White oil paint)."""
    sizes: dict[str, float] = {}
    for kind, filed in graph.kinds().items():
        sizes[kind.split()[-1]] = max(filed, sizes.get(kind.split()[-1], 0.0))
    return sizes


@lru_cache(maxsize=4)
def _kind_words(graph: KnowledgeGraph) -> tuple[list[str], list[str]]:
    """The words of the kinds of things the catalog files ("calligraphy sumi brushes"), and
    the words kinds end in ("brushes"), sorted (for :func:`forms_in`: a word, its plural or its
    singular)."""
    kinds = graph.kinds()
    return sorted({w for kind in kinds for w in kind.split()}), sorted(
        {k.split()[-1] for k in kinds}
    )


def titled_in_kept(rec: Recommender, und: Understanding, profile: Profile, wish: Wish) -> bool:
    """Whether a follow-up that maps onto nothing is words two of the kept wish's titles say
    ("sketchbook", then "spiral bound": "I couldn't match 'spiral bound'", and hardbound
    sketchbooks): it says which of them, as "cordless" does."""
    graph = rec.wishes.graph
    if wish.understood or wish.negative or not profile.wish or not graph.titles_describe:
        return False
    if len(und.wishes) > 1 or und.liked or und.liked_facts:
        return False
    kept, words = Wish.from_dict(profile.wish), [w for w in wish.text.split() if len(w) > 2]
    return bool(words) and all(_in_titles(graph, kept, w, 2, anywhere=True) for w in words)
