"""Understanding one user message: what it names, what it wishes for, and the domain asked for.

What the user *named* (items and facts) is linked; what they *wish for* is the rest of their
words, clause by clause ("something funnier", "nothing scary"; see
:mod:`crossrec.agent.wishes`), so the named titles' words never reach the text queries.

Names are linked by :class:`~crossrec.retrieval.linking.EntityLinker` (exact, fuzzy,
embedding). Each mention's polarity comes from its own clause ("I loved X but hated Y"),
so one sentence can add a like and a dislike. A name shared by items of several domains is
resolved by a domain word next to it ("the book Dune") or by the requested domain, and
otherwise asked about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from crossrec.agent.asides import asks_price, occasions, without_asides
from crossrec.agent.clauses import masked, split_wishes
from crossrec.agent.eras import person_age
from crossrec.agent.follow_ups import FOR_KEPT, FOR_ONLY, OF_KEPT
from crossrec.agent.owned import owned_kinds
from crossrec.agent.same import as_said, same_relations
from crossrec.agent.sequels import SEQUEL, first_asked
from crossrec.agent.unknown import name_spans, unknown_names
from crossrec.agent.versions import told_as
from crossrec.agent.wordlists import for_whom, grown_ups
from crossrec.retrieval import (
    Catalog,
    EntityLinker,
    Fact,
    Mention,
    before_subtitle,
    detect_domain,
    domain_cues,
    domains_together,
    kinds_sold,
    normalize_title,
    requested_unknown_domain,
    stopwords,
    titled_with,
)

__all__ = ["Understanding", "understand"]

_CLAUSE = re.compile(  # a comma ends one where a request begins: "I hated X, any romance?"
    r"[.!?;\n]+|\bbut\b|\bhowever\b|\bwhereas\b|\balthough\b|,\s*(?=(?:any|anything|something|"
    r"what|can|could|recommend|suggest|give|show|just|so|please|maybe|i|i'd|i'm|want|need|"
    r"looking|now)\b)",  # "I hated Twilight, want a good fantasy book"
    re.IGNORECASE,
)
_DISLIKES = (  # a taste: "I hated Titanic"
    r"hate|hated|hates|dislike|disliked|dislikes|can'?t stand|cannot stand|boring|bored|awful|"
    r"terrible|not (?:a )?fan|not into|not interested|(?:do|did|does)\s*n[o']?t (?:really )?(?:like|love|enjoy)|"
    r"(?:do|did|does) not (?:really )?(?:like|love|enjoy)|never again|worst|disappointing|overrated"
)
_DISLIKE = re.compile(rf"\b(?:{_DISLIKES})\b", re.IGNORECASE)
_NEGATIVE = re.compile(rf"\b(?:{_DISLIKES}|no more|avoid|except|anything but)\b", re.I)
_THAT_ISNT = r"(?:that|which|who)\s+(?:are|is)n['’]?t"  # "books that aren't |Harry Potter"
_LEFT_OUT_BEFORE = re.compile(  # right before a name: "but not The Dark Knight", "no Titanic";
    # not "why not Inception?", "whether or not Titanic wins", "oh no Inception was amazing"
    r"(?<!\bwhy\s)(?<!\bor\s)(?<!\boh\s)\b(?:no|not|except|besides|anything but|other than|"
    r"instead of|no more|(?<!there's )(?<!there is )nothing like|" + _THAT_ISNT + r")\s+"
    r"(?:(?:that|this)(?:\s+one)?\s*[,:–—-]\s*)?"  # "not that one, |the devil wears prada"
    r"(?:(?:any\s+(?:of\s+)?)?the\s+)?$",  # "but not the |Mission Impossible ones"
    re.IGNORECASE,
)
_LEFT_OUT_LIST = re.compile(  # listed after one: "not It or |The Shining", "no Saw, |Hostel"
    r"(?<!\bwhy\s)(?<!\bor\s)(?<!\boh\s)\b(?i:no|not|except|anything but|other than|neither|"
    r"(?<!there's )(?<!there is )nothing like)"
    r"\s+[A-Z0-9][\w'’:-]*"  # not past a new wish: "nothing like twilight, more like |alien"
    r"(?:[\s,]+(?!(?i:please|more|like|but|something|instead)\b)[\w'’:-]+){0,6}?"
    r"(?:\s*,\s*|\s+(?:or|nor)\s+)$"
)
_NOT_WANTED = re.compile(  # "I don't want anything with |Tom Cruise"; not "I don't want to
    # miss |Tom Hanks", "I don't want horror and I liked |Inception", "I didn't want |it to end"
    r"\b(?:(?:do|does)\s*n[o']?t|do not|does not)\s+(?:really\s+)?(?:want|need)\b(?!\s+to\b)"
    r"(?:(?![,;.!?]|\b(?:but|just|instead|rather|only|and|or|except|than)\b).)*$",
    re.IGNORECASE,
)
_HAD = re.compile(r"\balready\s+(?:have|got|own|bought|use)\s+(?:the\s+|some\s+)?$", re.I)
_HAD_END = re.compile(r"\s*(?:[,.;!?]|$|and\b|but\b|so\b)", re.IGNORECASE)
_ANOTHER = re.compile(  # "something else", "another brand"; not "what else goes with them"
    r"\b(?:some|any)(?:thing|one)\s+(?:else|different)\b|\b(?:another|other|different)\s+"
    r"(?:brands?|makers?|ones?|kinds?)\b",
    re.IGNORECASE,
)
_ANY_DOMAIN = re.compile(
    r"\b(?:any (?:domain|kind|type|category)|anything at all|whatever|any of them|"
    r"all (?:domains|categories))\b",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|nothing|without|less|avoid|except|anything but|" + _THAT_ISNT + r")\s+"
    r"(?:\w+\s+){0,2}"
    r"(?:(?:directed|written|starring|featuring)\s+(?:by\s+)?)?$",  # "no movies directed by"
    re.IGNORECASE,
)
_SEQUELS_NEXT = re.compile(r"['’]?s?\s+(?:(?:book|movie|film)s?\s+)?" + SEQUEL.pattern, re.I)
_FOR_WHOM = re.compile(r"\bfor\s+(?:my|our|the|a|an|his|her|their)\s+(?:little\s+)?(\w+)", re.I)
_WHOSE = re.compile(r"\b(my|our|a|his|her|their)\s+(?:little\s+|older\s+|best\s+)?(\w+)", re.I)
_LACKS = re.compile(  # "a stapler that doesn't jam", "pens that dont smudge for ...", "tape
    # that won't damage walls": the verb and its object, not what follows ("for left handers")
    r"\b(?:that|which)\s+(?:(?:does|do|will|would|can|wo|ca)n['’]?t|(?:does|do|will|would|can)"
    r"\s*not|never)\s+([a-z]+(?:\s+(?!(?:for|with|in|on|and|but|to)\b)[a-z]+){0,2})",
    re.IGNORECASE,
)
_FREE = re.compile(  # "glitter free", "mess-free", "free of glitter"; not "free shipping"
    r"\b([a-z]{3,})[\s-]free\b(?!\s+(?:of|shipping|delivery|returns?|trial|samples?|gifts?|\d)\b)"
    r"|\bfree\s+of\s+([a-z]{3,})\b",
    re.I,
)
_NOT_FREE = frozenset({"feel", "set", "get", "totally", "completely"})
_BEFORE_FOR = re.compile(  # "glue for fabric", "a notebook to take notes in meetings"
    r"([\w-]+)\s+(?:for|to\s+(?:take|keep|hold|carry|store|use|write|draw|organi[sz]e))\b",
    re.IGNORECASE,
)
_CODE = re.compile(  # a model's code or number: "hp 62", "pilot g2", "tn450", "hl-2270dw", "2019"
    r"(?<![\w$.#,/])(?=[a-z\d-]*\d)[a-z\d]+(?:-(?!years?\b)[a-z\d]+)*(?![\w%/]|[.,]\d)"
    r"(?![\s-]*(?:years?|yrs?|months?|y/?o)\b)(?<!\b\d)",  # not "a 12 year old", one digit
    re.IGNORECASE,
)
_INSTEAD = re.compile(r"\b(?:instead|actually)\b", re.IGNORECASE)
_GRADED = re.compile(r"\b(?:too|so|very|overly|that)\s+([a-z-]+)", re.I)
_REPEAT = re.compile(
    r"\b(?:again|repeat|remind me|once more|same ones?|previous (?:ones|picks))\b", re.IGNORECASE
)


@dataclass
class Understanding:
    """What one message says about the user's tastes and request."""

    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    liked_facts: list[tuple[str, str]] = field(default_factory=list)
    disliked_facts: list[tuple[str, str]] = field(default_factory=list)
    ambiguous: list[Mention] = field(default_factory=list)
    domain: str | None = None
    unknown_domain: str | None = None
    missing_domain: str | None = None  # asked for beside a domain the catalog has
    domain_beside_wishes: str | None = None  # the domain said outside the wishes' words
    any_domain: bool = False
    repeat_ok: bool = False
    again: tuple[str, ...] = ()  # words a shown pick's title says to be shown again: "mini one"
    wishes: list[tuple[str, bool]] = field(default_factory=list)  # (words, negative)
    left_out: list[str] = field(default_factory=list)  # series names whose titles are disliked
    excluded: list[str] = field(default_factory=list)  # disliked items said as no taste: "no X"
    disliked_titles: list[str] = field(default_factory=list)  # of the disliked, but a series
    owned: list[str] = field(default_factory=list)  # what the user has: "I bought a stapler"
    unknown: list[str] = field(default_factory=list)  # names not in the catalog: "La La Land"
    same: list[tuple[str, bool]] = field(default_factory=list)  # ("writer", negative): liked's
    sequels_of: list[str] = field(default_factory=list)  # "no Matrix sequels": not The Matrix
    priced: bool = False  # a price asked for: "under 20 dollars" (no catalog has prices)
    of_kept: bool = False  # of the kept wish's kind: "watercolor ones", "in white", "with x"
    graded: list[str] = field(default_factory=list)  # said by degree: "too long" (no title word)
    codes: list[str] = field(default_factory=list)  # a model said: "hp |62| ink", "pilot |g2|"
    lacks: list[str] = field(default_factory=list)  # a product "that doesn't |jam|": what
    domains: tuple[str, ...] = ()  # two asked at once: "movies or books similar?"
    before_for: tuple[str, ...] = ()  # "glue| for fabric": a kind said before its purpose
    for_kept: bool = False  # "ink pads for them": for the kept wish's kind
    for_only: bool = False  # only what the thing is for: "for kids", "something for fabric"
    kept: tuple[Fact, ...] = ()  # that kind's facts: what is for them is not them again
    person_age: bool = False  # "my niece is 14": beside another wish, no wish of its own
    said_for: bool = False  # whom the pick is for: "like Frozen |for my niece|" (not "she loved")
    whom: str = ""  # one of no genre the picks are for: "a movie |my grandma| would like"
    instead: bool = False  # "romance instead", "actually, romance": the kept wish replaced


def _clause_of(text: str, start: int) -> str:
    bounds = [0] + [m.end() for m in _CLAUSE.finditer(text)] + [len(text)]
    begin = max(b for b in bounds if b <= start)
    end = min((m.start() for m in _CLAUSE.finditer(text) if m.start() > start), default=len(text))
    return text[begin:end]


def _domain_word_next_to(text: str, mention: Mention, domains: tuple[str, ...]) -> str | None:
    """The domain a word right before a name ("the book Dune") or right after it, with no
    punctuation between ("The Hunger Games books", "Fight Club the book"), says it means."""
    window = text[max(0, mention.start - 24) : mention.start].lower().split()[-2:]
    after = re.match(r"[ \t]+(?:the\s+)?([^\W\d_]+)", text[mention.end : mention.end + 24])
    window += [after.group(1).lower()] if after else []
    for domain in domains:
        cues = (*domain_cues().get(domain, ()), domain, domain + "s")
        if any(w.strip(",:'\"") in cues for w in window):
            return domain
    return None


def resolve(
    mention: Mention, text: str, catalog: Catalog, domain: str | None, beside: str | None = None
) -> list[str]:
    """The item ids a mention most likely means (one, unless it stays ambiguous; all the
    items of a series). A title of one domain whose name another domain's qualified title
    has too ("Zodiac", "Zodiac (Crime Fiction Film)") is the first, unless a kind is said next
    to it or the other names said ``beside`` it are of the other domain ("se7en and zodiac")."""
    if mention.method == "series":
        return list(mention.ids)
    by_domain: dict[str, list[str]] = {}
    for item_id in mention.ids:
        by_domain.setdefault(catalog[item_id].domain, []).append(item_id)
    if len(by_domain) <= 1:
        return list(mention.ids[:1])
    said = _domain_word_next_to(text, mention, catalog.domains)
    key = normalize_title(mention.text)
    titled = {catalog[i].domain for i in mention.ids if key in _names(catalog[i].title)}
    titled = titled or {catalog[min(mention.ids, key=lambda i: len(catalog[i].title))].domain}
    # one domain's title, another's qualified version ("great gatsby"): the domain asked,
    # else the title's
    if len(titled) == 1:
        exact = any(key == normalize_title(catalog[i].title) for i in mention.ids)
        hint = said or beside or (None if exact else domain)
        return by_domain.get(hint, [])[:1] or by_domain[next(iter(titled))][:1]
    hint = said or domain
    if hint in by_domain:
        return by_domain[hint][:1]
    return [ids[0] for ids in by_domain.values()]


def _names(title: str) -> set[str]:  # "world war z" of "World War Z: An Oral History"
    names = {normalize_title(title), normalize_title(before_subtitle(title))}
    return names | {n.split(" ", 1)[1] for n in names if n.startswith(("the ", "a ", "an "))}


_FILLERS = frozenset({"product", "products", "item", "items", "thing", "things", "stuff"})


def _only_asks(text: str, domains: tuple[str, ...]) -> bool:
    """Whether every word of a linked name only names one of the catalog's ``domains`` ("office
    products"): a genre such as Travel or Love is a real fact, "films" is not."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    cues = {c.casefold() for d in domains for c in (d, d + "s", *domain_cues().get(d, ()))}
    return bool(words) and all(w in cues or w in _FILLERS for w in words)


_ELSE = re.compile(r"\b(?:else|other)\b", re.IGNORECASE)


def _also_told(out: Understanding, message: str, mention: Mention, ids, catalog) -> list[str]:
    """The versions in the domain asked for of a title named with no kind, where the message
    asks for something else: "i really liked the shining, what else should i watch" led with
    the film The Shining (the title named the novel)."""
    asked = out.domain
    if not (ids and asked and _ELSE.search(message[mention.end :])) or mention.method == "series":
        return []
    if _domain_word_next_to(message, mention, catalog.domains):  # "the book The Shining"
        return []
    return [v for i in ids if catalog[i].domain != asked for v in told_as(catalog, i, asked)]


_ALL_OF = re.compile(r"\ball\s+(?:of\s+)?(?:the\s+)?$", re.IGNORECASE)


def _all_of(message: str, mention: Mention, ids: list[str], linker: EntityLinker) -> list[str]:
    """The other items of a series said whole: "I've already seen all the Hunger Games movies"
    has seen every Hunger Games film (of the domain said next to it, if one is), not the
    first alone."""
    if not ids or not _ALL_OF.search(message[: mention.start]):
        return []
    domain = _domain_word_next_to(message, mention, linker.catalog.domains)
    more = linker.series_of(normalize_title(mention.text))
    return [i for i in more if i not in ids and domain in (None, linker.catalog[i].domain)]


def _negative(message: str, mention: Mention, names: Sequence[Mention] = ()) -> bool:
    """Whether a mention is disliked or left out: its clause says so, a negation comes right
    before it, or (a fact or a series) a negation precedes it."""
    if _NEGATIVE.search(_clause_of(message, mention.start)):
        return True
    before = message[: mention.start]
    if _LEFT_OUT_BEFORE.search(before):  # "anything but Fight Club"
        return True
    listed = list(before)  # the names before it as names: "No Country for Old Men, True Grit"
    for other in (n for n in names if n.end <= mention.start):
        listed[other.start : other.end] = "X" * (other.end - other.start)
    if _LEFT_OUT_LIST.search("".join(listed)):  # "not It or The Shining"
        return True
    if _NOT_WANTED.search(before):  # "I don't want anything like Titanic"
        return True
    if _HAD.search(before) and _HAD_END.match(message, mention.end) and _ANOTHER.search(message):
        return True  # "I already have prismacolor, something else": another brand (not
    # "crayola markers, need something else": other than markers)
    named_many = mention.kind == "fact" or mention.method == "series"
    return named_many and bool(_NEGATED_BEFORE.search(before))


def _without(text: str, wishes: list[str]) -> str:
    """``text`` without the words of ``wishes``: the kind of item a wish names ("planner")
    does not choose the domain where another wish may be in another."""
    words = {word for wish in wishes for word in wish.split()}
    found = re.finditer(r"[\w'-]+", text)
    return masked(text, [m.span() for m in found if m.group().lower() in words])


def _read_wishes(out, message, catalog, mentions, read, wishable, kinds) -> None:
    """The wishes, what the user has and the unknown names of ``message``, outside the
    ``mentions`` (all linked) and the ``read`` ones (with polarity); a liked genre or category
    the catalog groups by is a wish too ("more action, please"). A person linked inside an
    unknown name ("La La" of "La La Land") is dropped from ``read``: no one named them."""
    linked, people = name_spans(mentions)
    unknown = unknown_names(message, linked, catalog.domains, people=people)
    read[:] = [(m, neg) for m, neg in read if not any(a <= m.start < b for a, b in unknown)]
    spans = [(m.start, m.end) for m, neg in read if neg or not m.facts or set(m.facts) - wishable]
    out.unknown, spans = [message[a:b] for a, b in unknown], spans + unknown
    out.wishes = split_wishes(message, spans, catalog.domains, kinds, not catalog.describes)
    out.owned = owned_kinds(message, spans, catalog.domains)
    out.before_for = tuple(w.casefold() for w in _BEFORE_FOR.findall(masked(message, spans)))
    out.instead = bool(_INSTEAD.search(message))


def _lacking(out: Understanding, text: str, linker: EntityLinker) -> str:
    """``text`` less what a product should not do or have ("a stapler that doesn't jam",
    "glitter free"), kept in ``out.lacks``: product titles say it ("no jam"), and no wish
    leaves it out or asks it ("glitter free craft kits" gave glitter)."""
    if linker.graph is None or not linker.graph.titles_describe:
        return text
    lacks = list(_LACKS.finditer(text))
    said = _NOT_FREE | stopwords()  # "glitter" of "glitter free" or "free of glitter":
    lacked = [(m, (m.group(1) or m.group(2)).casefold()) for m in _FREE.finditer(text)]
    free = [(m, word) for m, word in lacked if word not in said]
    out.lacks = [m.group(1).casefold() for m in lacks] + [f"{word} free" for _, word in free]
    return masked(text, [m.span() for m in [*lacks, *(m for m, _ in free)]])


def _read_manner(out: Understanding, message: str, unnamed: str, domains) -> None:
    """How the message asks, outside the names: any domain (or two: "movies or books"),
    again, a price, of the kept kind, by degree."""
    out.any_domain = bool(_ANY_DOMAIN.search(message))
    out.domains = domains_together(unnamed, domains)  # "books by X and movies based on them"
    if out.domains:
        out.any_domain, out.domain = True, None
    out.repeat_ok = bool(_REPEAT.search(message))
    out.priced = asks_price(unnamed)  # not "Cheaper by the Dozen"
    out.of_kept = bool(OF_KEPT.search(unnamed))
    out.for_kept = bool(FOR_KEPT.search(unnamed))
    out.for_only = bool(FOR_ONLY.search(unnamed))
    out.person_age = person_age(unnamed)  # "my niece is 14 and into vampires"
    out.said_for = any(w.casefold() in for_whom() for w in _FOR_WHOM.findall(unnamed))
    whose = (" ".join(m).casefold() for m in _WHOSE.findall(unnamed))  # "my grandma"
    out.whom = next((w for w in whose if w.split()[1] in grown_ups()), "")
    out.graded = [m.group(1).casefold() for m in _GRADED.finditer(unnamed)]
    out.codes = [c.casefold() for c in _CODE.findall(without_asides(unnamed))]  # no count


def understand(
    message: str,
    linker: EntityLinker,
    current_domain: str | None = None,
    wishable: frozenset = frozenset(),
) -> Understanding:
    """Parse ``message`` against the catalog behind ``linker``. A named fact that is
    ``wishable`` (a genre or category that groups items: "more action, please") is also a
    wish."""
    catalog = linker.catalog
    out = Understanding()
    away = occasions(message)  # "to read on the road trip": no On the Road, no Road trip
    mentions = [
        m
        for m in linker.link(message)
        if m.text[:1].isupper() or not any(a <= m.start and m.end <= b for a, b in away)
    ]
    asks = [m for m in mentions if m.kind == "fact" and _only_asks(m.text, catalog.domains)]
    named = [m for m in mentions if m not in asks]  # "Any office products?" names no category
    # the domain asked for is said outside the names: "What office products go well with the
    # Global Art pencil case?" asks for office products, not art
    # "not by the same writer": a relation of what was liked, no wish and no domain's cue
    same = same_relations(message)
    out.same = [(relation, negative) for *_, relation, negative in same]
    plain = _lacking(out, masked(message, [(a, b) for a, b, *_ in same]), linker)
    unnamed = masked(plain, [(m.start, m.end) for m in named])
    out.domain = detect_domain(unnamed, catalog.domains)
    kinds = kinds_sold(unnamed, catalog.domains, linker.titles)  # "book stand": not books
    # "Any books about painting?" among art supplies: painting, and the books said missing
    missing = requested_unknown_domain(unnamed, catalog.domains, kinds)
    out.missing_domain, out.unknown_domain = (missing, None) if out.domain else (None, missing)
    _read_manner(out, message, unnamed, catalog.domains)
    # a name that begins several titles and that nothing else linked names them all: "no
    # Harry Potter, please" leaves every one out, "I love Harry Potter" likes the series ("I
    # loved the Harry Potter books" was linked above: the literary series); a name listed
    # after one left out is left out too ("not star wars or star trek")
    every = [*named, *linker.series(message, mentions)]
    read = [(m, _negative(message, m, every)) for m in named]
    for series in every[len(named) :]:
        read.append((series, _negative(message, series, every)))
        if read[-1][1]:
            out.left_out.append(series.text)
    _read_wishes(out, plain, catalog, [*mentions, *(m for m, _ in read)], read, wishable, kinds)
    liked = [text for text, negative in out.wishes if not negative]
    out.domain_beside_wishes = out.domain
    if len(liked) > 1:  # wishes may span domains: "washi tape and my planner" is arts and office
        out.domain_beside_wishes = detect_domain(_without(unnamed, liked), catalog.domains)
    beside = {catalog[m.ids[0]].domain for m, _ in read if m.kind == "item" and len(m.ids) == 1}
    known = next(iter(beside)) if len(beside) == 1 else None  # "se7en and zodiac": the film
    for mention, negative in read:
        _read_named(out, mention, negative, message, linker, current_domain, known)
    for name in out.left_out:  # "everything titled 'harry potter'": the boxed set too
        _leave_out_titled(out, normalize_title(name), linker)
    return out


def _leave_out_titled(out: Understanding, key: str, linker: EntityLinker) -> None:
    """Leave out (where its series was, not only disliked) the other items whose titles hold
    ``key``, a left-out series' name, by its makers (:func:`titled_with`)."""
    ids = titled_with(linker, key)
    out.disliked.extend(i for i in ids if i not in out.disliked)
    if set(linker.series_of(key)) & set(out.excluded):
        out.excluded.extend(i for i in ids if i not in out.excluded)


def _read_named(
    out: Understanding,
    mention: Mention,
    negative: bool,
    message: str,
    linker: EntityLinker,
    current_domain: str | None,
    beside: str | None = None,
) -> None:
    """What one name said in ``message`` likes or leaves out (``beside``: the one domain of
    the other names said)."""
    catalog = linker.catalog
    if mention.kind == "fact":  # "directed by Steven Spielberg": the director only
        facts = as_said(message[: mention.start], mention.facts, message[mention.end :])
        (out.disliked_facts if negative else out.liked_facts).extend(facts)
        return
    ids = resolve(mention, message, catalog, out.domain or current_domain, beside)
    if mention.method == "series" and not negative:  # "harry potter movies": the others too
        said = _clause_of(message, mention.start)
        ids = first_asked(said, ids, catalog, out.domain or current_domain)
    if len(ids) > 1 and mention.method != "series":
        out.ambiguous.append(replace(mention, kind="item", ids=tuple(ids), facts=()))
        return
    if negative and _SEQUELS_NEXT.match(message, mention.end):  # its franchise is the wish
        out.sequels_of.extend(ids)
        return
    (out.disliked if negative else out.liked).extend(ids)
    out.liked.extend(() if negative else _all_of(message, mention, ids, linker))
    out.liked.extend(() if negative else _also_told(out, message, mention, ids, catalog))
    excluded = negative and not _DISLIKE.search(_clause_of(message, mention.start))
    out.excluded.extend(ids if excluded else ())
    more = linker.series_of(normalize_title(mention.text)) if excluded and ids else ()
    out.disliked.extend(i for i in more if i not in ids)  # "not Mission Impossible": II too
    if negative and ids and mention.method != "series":
        if more:
            out.left_out.append(mention.text)
        else:
            out.disliked_titles.append(catalog[ids[0]].title)
