"""How a name is written: capitals, sentence starts, a message typed in lower case.

The linker reads capitals as names ("I loved Inception", not "the inception of the idea") and
a sentence's first word, capitalised anyway, as a name only where more says so. A message
typed all in lower case ("i loved inception") marks nothing by capitals, so there a word that
is a whole title is one where a liking or asking word comes right before it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

from crossrec.retrieval.sources.lexical import stopwords

__all__ = [
    "KINDS",
    "after_cue",
    "after_run_cue",
    "alone",
    "alone_spans",
    "describes",
    "fold",
    "name_key",
    "named_by_kind",
    "goes_on",
    "in_a_name",
    "liked_in_lowercase",
    "lowercase_runs",
    "name_end",
    "phrase_facts",
    "plural_names",
    "said_as_name",
    "sentence_cased",
    "sentence_start",
    "subject_at_start",
    "whose",
    "typed_in_lowercase",
]

_TOKEN = re.compile(r"\w+", re.UNICODE)
KINDS = r"(?:book|movie|film|show|novel|series)"  # "the movie Up", "loved the book Dune"

_DESCRIBED = re.compile(r"^" + KINDS + r"s?$")  # "a scary movie": a kind of film, no title
_GOES_ON = re.compile(r"(['’]s)?[ \t]+([A-Z][\w'’-]*)")  # "La La| Land", "The Queen|'s Gambit"
_RUN = re.compile(r"(?:[ \t]+[A-Z][\w'’-]*)*")  # more capitalised words
_KIND_OF = re.compile(
    r"\s*(?:-\s*)?(?:kind|type|sort|style)\s+of\b|\s*-?\s*(?:type|style|like|vibes?)\b", re.I
)
_FANS = re.compile(r"\s+(?:fans?|lovers?|readers?|viewers?|people)\b", re.I)
_SOME = frozenset({"a", "an", "another", "any", "some"})
_GOOD = frozenset({"good", "great", "nice", "fun", "new", "decent", "cool", "really", "very"})
_TALK_NAMED = re.compile(r"\b(?:similar to|like|than|about|called|titled)\s+$", re.I)
# a list's part holding these is a clause: "Friday and Saturday are movie nights for us"
_CLAUSE = frozenset(["am", "is", "are", "was", "were", "i", "we", "us", "our", "my"])
_JOINER = re.compile(r"\s*,\s*(?:(?:and|or|&)\s+)?|\s+(?:and|or|&)\s+|\s*/\s*", re.I)
_TALK = frozenset(  # words of asking and answering: "show me", "what if", "yes please"
    ["show", "tell", "give", "find", "let", "get", "need", "want", "recommend", "suggest"]
    + ["look", "please", "yes", "no"]
)
_LOWERCASE_SINGLE_WORD_RELATIONS = frozenset({"genre"})
_POSSESSIVES = frozenset({"my", "our", "his", "her", "your", "their"})
_PREPOSITIONS = frozenset({"on", "in", "at", "for", "to", "with", "from", "into", "under"})
_READ = frozenset({"read", "watch", "reading", "watching", "listen"})
_INTO = re.compile(r" ([a-z]+)\b")  # a word right after a title, in the same phrase


def describes(text: str, start: int, end: int, before: list[str]) -> bool:
    """Whether a whole title said (``text[start:end]``, ``before`` the word before it) is no
    name: words of talk in lower or sentence case ("show me some thrillers", "tell no one", "yes
    please"; not "Tell No One" nor "i loved show me"); said in lower case after "a" / "any" and
    ending in its kind
    describes what is asked for ("a scary movie" is horror, "any good scary movie?" too; "any
    lego movie" The Lego Movie),
    as does one of several words after "a" or "an" ("movies for a date night": no Date Night)
    or "for" ("a romantic comedy for date night"; not "for fight club fans"), unless a kind of
    it is asked (``after``: "a good will hunting kind of movie"); at a message's start, such a
    title followed by more words describes too ("scary movie but not too gory"), as does one
    in lower case after "read" or "watch" that begins with a preposition and runs into a word
    ("to read on the road trip")."""
    said, after = text[start:end], text[end:]
    words = said.split()
    said_words = {fold(w) for w in words}
    if len(words) > 1 and said_words & _TALK and said_words <= _TALK | stopwords():
        named = _CUE.search(text[:start]) or _TALK_NAMED.search(text[:start])
        return not (all(w[0].isupper() for w in words) or named or _SUBJECT.match(after))
    if not before and said.islower() and len(words) > 1 and words[0] != "the":
        # a message's first words: "scary movie but not too gory" (no Scary Movie)
        return bool(_DESCRIBED.match(words[-1])) and bool(_TOKEN.search(after))
    into = _INTO.match(after)  # "to read |on the road| trip": a phrase, no On the Road
    read = bool(before) and before[0] in _READ
    if said.islower() and fold(words[0]) in _PREPOSITIONS and read and into:
        return into[1] not in stopwords()
    if not (said.islower() and before and words) or _KIND_OF.match(after):
        return False
    if before[0] == "for" and len(words) > 1:  # "a comedy for date night", not "for fight club
        return not _FANS.match(after)  # fans"
    first = _word_before(text, start)  # "any |good scary movie" (not "a good die hard")
    return (first in _SOME and bool(_DESCRIBED.match(words[-1]))) or (
        before[0] in {"a", "an"} and len(words) > 1
    )


def _word_before(text: str, start: int) -> str:
    """The word before ``start``, past words of praise ("any good", "a really nice")."""
    words = [fold(w) for w in _TOKEN.findall(text[:start])]
    while len(words) > 1 and words[-1] in _GOOD:
        words.pop()
    return words[-1] if words else ""


def sentence_cased(text: str) -> bool:  # some word in lower case; in all capitals none marks
    return any(t[0].islower() for t in _TOKEN.findall(text))


def goes_on(text: str, start: int, end: int, title: bool) -> bool:
    """Whether a capitalised name begins a longer one in a sentence-cased message: possessed
    ("The Queen's Gambit"), or a clause's subject before "was" ("La La Land was great")."""
    more = _GOES_ON.match(text, end)
    if not more or not text[start].isupper() or (title and not more.group(1)):
        return False
    word = fold(more.group(2))
    if word in stopwords() or _DESCRIBED.match(word):  # "Tom Hanks And", "Stephen King Books"
        return False
    subject = not text[:start].strip() or text[:start].rstrip()[-1] in ".!?;,"
    run = _RUN.match(text, more.end())
    said = more.group(1) or (subject and re.match(r"\s+(?:was|were)\b", text[run.end() :]))
    return bool(said) and sentence_cased(text)


def sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?\n"


def said_as_name(fact: tuple[str, str], capitalised: bool, previous: str) -> bool:
    """Whether a word is said as ``fact``'s value: capitalised, a genre (written in lower
    case), or right after its relation's name ("brand canon")."""
    return capitalised or fact[0] in _LOWERCASE_SINGLE_WORD_RELATIONS or fold(fact[0]) == previous


def fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in word if not unicodedata.combining(ch)).casefold()


def name_key(name: str) -> str:
    """``name`` without case, accents, spaces or marks: "J. K. Rowling" and "J.K. Rowling" are
    one person."""
    return "".join(ch for ch in fold(name) if ch.isalnum())


# a title right after these, in lower case: "i loved |inception", "who is in |titanic"; a yes/no
# question's first word: "is |coraline too scary?" (not "about": "movies about vampires")
_CUE = re.compile(
    r"(?:\b(?:lov(?:e|es|ed)|lik(?:e|es|ed)|enjoy(?:s|ed)?|ador(?:e|es|ed)|watched|watching|"
    r"read|reading|saw|seen|similar\s+to|"  # "books similar to |divergent"
    r"hat(?:e|es|ed)|dislik(?:e|es|ed)|can['’]?t\s+stand|"
    r"(?:watch|read|see)\s+(?:next\s+)?after|"  # "what should i watch after |frozen"
    r"finished|directed|wrote|(?:author|writer|director)\s+of|"  # "the director of |jaws"
    r"fav(?:ou?rite)?(?:\s+" + KINDS + r")?\s+(?:is|was)|"
    r"(?:who(?:'s|\s+is|\s+was|\s+stars|\s+starred|\s+acted|\s+played)|stars|starred)\s+in)"
    r"|^\s*(?:is|was|are|does))\s+(?:the\s+" + KINDS + r"\s+)?$"
    r"|\bthe\s+" + KINDS + r"\s+$",  # "and the movie |se7en"
    re.IGNORECASE,
)
# a name left out or had whole, in lower case: "but not |harry potter", "read all of |harry
# potter"
_RUN_CUE = re.compile(
    r"\b(?:not|no|except|besides|than|nothing like|(?:are|is)n['’]?t|all(?:\s+of)?)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# a series asked for in lower case: "any |percy jackson| books?", "more |star wars| films"
_SERIES_CUE = re.compile(r"\b(?:any|some|more|other)\s+(?:of\s+)?(?:the\s+)?$", re.IGNORECASE)
_I = frozenset({"I"})
_KIND_LIKE = re.compile(r"\b" + KINDS + r"s?\s+(?:just\s+|kind\s+of\s+)?like\s+$", re.I)
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?]|$|please\b|and\b|or\b|but\b)", re.I)
_KINDS_AFTER = re.compile(r"\s+(?:books|movies|films|novels)\b", re.I)
# "movies like it": what was named; "like you", "like yes": no title
_POINTING = frozenset(
    ["it", "this", "that", "these", "those", "them", "one", "ones", "mine", "you", "us", "yes"]
)
# "Interstellar", "Interstellar. books?", "gravity - any novels like it?"
_ALONE_AFTER = re.compile(
    r"\W*(?:(?:please|pls|thanks|thank you)\W*)?$|\s*[.,;:!?-]*\s*(?:(?:any|some|good|other|more"
    r"|similar|recommend|suggest)\s+){0,3}"
    + KINDS
    + r"s?(?:\s+(?:like (?:it|this|that)|please))?\W*$",
    re.IGNORECASE,
)
_SUBJECT = re.compile(  # "Inception |was amazing", "Dune |is one of my favourite novels"
    r"(?:\s+"
    + KINDS
    + r"s?)?(?:\s+(?:was|were)\b|\s+is\s+(?:one of my|my (?:favou?rite|all[- ]time)|"
    r"(?:so |really )?(?:great|amazing|awesome|brilliant|excellent|wonderful|fantastic"
    r"|the best)\b))",
    re.IGNORECASE,
)  # also with its kind: "the hobbit |movie was fun"
_PRAISE = (  # "... |are my favorite movies", "... |were amazing"
    r"\s+(?:were\b|are\s+(?:some of my|among my|my (?:favou?rite|all[- ]time)|(?:all |so |really )?"
    r"(?:great|amazing|awesome|brilliant|excellent|wonderful|fantastic|the best)\b))"
)
# "Inception|, memento and interstellar are my favorite movies": the first of a list that is
# the sentence's subject
_LIST_SUBJECT = re.compile(
    r"(?:\s*,\s*[^,.!?]{1,40}?)*,?\s+(?:and|&)\s+[^,.!?]{1,40}?" + _PRAISE, re.I
)


_THOUGHT = re.compile(r"(?:^|[.!?;]\s*|\b(?:thought|think|felt|found|guess)\s+)$", re.I)


def typed_in_lowercase(text: str) -> bool:
    """Whether ``text`` has capitals only at sentence starts and for "I"."""
    return not any(
        m.group()[0].isupper() and m.group() not in _I and not sentence_start(text, m.start())
        for m in _TOKEN.finditer(text)
    )


def after_cue(text: str, start: int) -> bool:
    """Whether a liking or asking word comes right before ``start``: "I read |1984"."""
    return bool(_CUE.search(text[:start]))


def liked_in_lowercase(text: str, start: int, end: int | None = None) -> bool:
    """Whether ``text`` is typed in lower case and a liking or asking word comes right before
    ``start`` ("i loved |inception", "who directed |jaws?", "my favorite movie is |avatar"),
    or, given its ``end``, the name is a sentence's subject before "was" or praise, at its
    start or after a word of thinking ("inception was confusing but i liked it", "i thought
    avatar was boring")."""
    subject = end is not None and _THOUGHT.search(text[:start]) and _SUBJECT.match(text, end)
    return bool(after_cue(text, start) or subject) and typed_in_lowercase(text)


def after_run_cue(text: str, start: int, end: int) -> bool:
    """Whether ``text`` is typed in lower case and a word leaving a name out, or having it all,
    comes right before ``start``: "romance books but not |twilight", "better than |inception";
    after "no", only a name said alone ("no twilight please"; "no doubt the best" names no
    Doubt)."""
    cue = _RUN_CUE.search(text[:start])
    if cue and re.match(r"no\b", cue.group(), re.IGNORECASE):
        cue = cue if _ALONE_AFTER.match(text, end) else None
    return bool(cue) and typed_in_lowercase(text)


def named_by_kind(text: str, start: int, end: int) -> bool:
    """Whether a word is a title by the kinds said around it: the end of a clause after
    "movies like" ("movies like |up|", "books like |wonder|?"; not "movies like |it|"), or
    between "the" and a kind said in the plural ("the |divergent| books were great")."""
    if text[start:end].casefold() in _POINTING:
        return False
    if _KIND_LIKE.search(text[:start]) and _CLAUSE_END.match(text, end):
        return True
    if len(text[start:end]) < 4:  # "the red books": no RED
        return False
    return bool(re.search(r"\bthe\s+$", text[:start], re.I) and _KINDS_AFTER.match(text, end))


def alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the whole message but for punctuation and "please" (or a
    question of a domain after it: "Interstellar. books?"): a name typed alone ("inception",
    "harry potter", "Twilight") is the title; so is each of a list typed alone: "frozen and
    shrek", "inception, memento and interstellar" (:func:`listed_alone`)."""
    whole = not _TOKEN.search(text[:start]) and bool(_ALONE_AFTER.match(text, end))
    return whole or listed_alone(text, start, end)


def listed_alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is one name of a list that is the whole message but for
    what :func:`alone` allows after it ("frozen and shrek", "inception, memento and
    interstellar", "Misery and Carrie"): two to five parts of one to six words each, none
    a clause."""
    parts = _parts(text)
    return (start, end) in parts and 2 <= len(parts) <= 5


def _parts(text: str) -> list[tuple[int, int]]:
    """Where each part of a message that is a list alone begins and ends ([] if it is not)."""
    tail = next(m for m in _ALONE_AFTER.finditer(text) if m.end() == len(text))
    body, parts, at = text[: tail.start()], [], 0
    for cut in [*_JOINER.finditer(body), None]:
        stop = cut.start() if cut else len(body)
        words = list(_TOKEN.finditer(body, at, stop))
        said = {w.group().casefold() for w in words}
        if not 1 <= len(words) <= 6 or said & _CLAUSE or re.search(r"[.!?;:]", body[at:stop]):
            return []
        parts.append((words[0].start(), words[-1].end()))
        at = cut.end() if cut else stop
    return parts


def subject_at_start(text: str, end: int) -> bool:
    """Whether a capitalised word at a sentence's start, ending at ``end``, is its subject
    before "was", or before "is" and praise ("Inception was amazing", "Dune is my favourite
    novel"): a name, not a capital of the sentence ("Friday is movie night" says nothing of
    the film), or the first of a list that is ("Inception, memento and interstellar are my
    favorite movies")."""
    subject = _SUBJECT.match(text, end) or _LIST_SUBJECT.match(text, end)
    return bool(subject) and sentence_cased(text)


def name_end(tokens: list) -> int:
    """Where a name typed alone ends: before a kind said after it ("harry potter movies"),
    else at the message's end."""
    kind = len(tokens) > 2 and _DESCRIBED.match(tokens[-1][2])
    return len(tokens) - 1 if kind else len(tokens)


def alone_spans(tokens: list) -> list[tuple[int, int]]:
    """The spans a name typed alone may take: the message, less a kind said after it ("harry
    potter movies"), less "the" before it ("the harry potter movies" was the wish 'harry
    potter': Cannabis)."""
    starts = {0, 1} if tokens[0][2] == "the" else {0}
    return sorted((a, b) for a in starts for b in {len(tokens), name_end(tokens)} if b > a)


def lowercase_runs(text: str, tokens: list, taken: list[bool]) -> list[tuple[int, range]]:
    """In a message typed in lower case, the words right after a liking word, a "not", an
    "all" or an "any" up to a comma or a stop ("i really liked |harry potter|, what movies",
    "but not |harry potter|", "any |percy jackson| books?"): each run's end, and where a series
    may begin in it (its first word, or the word after "the": "who directed the |star wars|
    movies")."""
    runs = []
    if not typed_in_lowercase(text):
        return runs
    for n, (start, _, _) in enumerate(tokens):
        fans = _for_fans(tokens, taken, n)  # "movies for |harry potter| fans"
        listed = _listed(text, tokens, taken, n)
        cued = after_cue(text, start) or _RUN_CUE.search(text[:start]) or listed
        if taken[n] or not (fans or cued or _SERIES_CUE.search(text[:start])):
            continue
        m = fans or n + 1
        while (
            not fans
            and m < len(tokens)
            and not taken[m]
            and not text[tokens[m - 1][1] : tokens[m][0]].strip()
        ):
            m += 1
        runs.append((m, range(n, n + 1 + (tokens[n][2] == "the"))))
    return runs


def _listed(text: str, tokens: list, taken: list[bool], n: int) -> bool:
    """Whether token ``n`` begins a name listed beside a linked one: right after it and "and"
    or a comma ("the hobbit and |harry potter", "not star trek, |star wars or alien"), or
    first in the message, before "and" and it ("|harry potter and the hunger games")."""
    joined = ("and", "or", "&")
    if n >= 2 and tokens[n - 1][2] in joined and taken[n - 2]:
        return True
    if n >= 1 and taken[n - 1] and text[tokens[n - 1][1] : tokens[n][0]].strip() == ",":
        return True
    first = next((m for m, t in enumerate(taken) if t), 0) if n == 0 else 0
    return first > 1 and tokens[first - 1][2] in joined


def _for_fans(tokens: list, taken: list[bool], n: int) -> int:
    """Where the words from token ``n`` end before "fans" or "fan" when "for" comes right
    before ``n`` ("gifts for |star wars| fans"); 0 where they do not."""
    if n == 0 or tokens[n - 1][2] != "for":
        return 0
    for m in range(n + 1, min(n + 7, len(tokens))):
        if taken[m - 1]:
            return 0
        if tokens[m][2] in ("fans", "fan"):
            return m
    return 0


def phrase_facts(text: str, window: list, before: list, facts: list) -> list:
    """A plain phrase's facts where it is written as a name: its words capitalised ("My
    Desk", "Oil Painting"; not "Brother sewing machine", Brother's) in a message not all in
    capitals, or as a genre, or after its relation's name ("brand my desk")."""
    named = all(text[t[0]].isupper() for t in window if t[2] not in stopwords())
    named = named and sentence_cased(text)  # not "ANYTHING FOR OIL PAINTING"
    previous = before[0][2] if before else ""
    return [f for f in facts if said_as_name(f, named, previous)]


_FEW = 3  # items of a genre whose plural names it
_KIND_WORDS = ("film", "movie", "fiction", "literature", "novel")  # "zombies": Zombie Film too
_VERB_FORMS = frozenset({"loves", "likes", "needs", "wants", "looks", "reads", "hates", "plays"})


def kind_over_title(text: str, start: int, end: int, facts: Sequence, ids, graph) -> bool:
    """Whether a name that is both a title and a fact value means the value: where titles
    describe the items (a brand: "Canon"), or said in lower case, in several words, as the
    value of ``_FEW`` or more other items ("young adult books" is the genre, not the film
    Young Adult; "true crime" too; "ice age" the film: one other item is filed so)."""
    if graph.titles_describe:
        return True
    said = text[start:end].split()
    if len(said) < 2 or any(w[:1].isupper() for w in said[1:]):
        return False  # "True Crime": a name
    if said[0][:1].isupper() and not sentence_start(text, start):
        return False  # "Young adult books please": a sentence's first word, no name
    return any(len(set(graph.items_with(f)) - set(ids or ())) >= _FEW for f in facts)


def in_a_name(text: str, start: int, before: list[str], key: str, linker) -> bool:
    """Whether a plural genre at ``start`` (said as ``key``, the word ``before`` it) is part
    of a name: capitalised inside a sentence ("No Star Wars"), or ending a title's first words
    ("who directed the star wars movies")."""
    if text[start].isupper() and not sentence_start(text, start):
        return True
    return bool(before) and bool(linker.titles_beginning(f"{before[0]} {key}"))


def plural_names(names: dict[str, list], graph) -> dict[str, list]:
    """``names`` (a value as said -> its facts) with the plural of each value of a relation
    that groups a few items or more (a genre), where titles name items: "picture books" is the
    genre Picture book, "robots" Robot (they matched nothing); not a verb's form ("she loves":
    no Love) nor a year's ("1990s"). A plural that is a value of its own also means its
    singular's: "sports" is Sport (49 items) as well as Sports (2 books); so does the singular
    and a kind of work: "zombies" is Zombie (Media genre) and Zombie Film ("no zombies" kept
    Grindhouse, a zombie film)."""
    if graph.titles_describe:
        return names
    grouping, df = graph.grouping_relations(), graph.df
    more = {}
    for key, facts in names.items():
        plural = key + "s"  # of a few items at least: "cartoons" is more than Cartoon's two
        kept = [f for f in facts if f[0] in grouping and df[graph.fact_index[f]] >= _FEW]
        if not kept or not key[-1:].isalpha() or key[-1] == "s" or plural in _VERB_FORMS:
            continue
        kinds = [f for k in _KIND_WORDS for f in names.get(f"{key} {k}", ()) if f[0] in grouping]
        more[plural] = list(dict.fromkeys([*names.get(plural, ()), *kept, *kinds]))
    return {**names, **more}


def whose(text: str, tokens: list, n: int, titles: Mapping[str, Collection[str]]) -> bool:
    """Whether a word in lower case at token ``n``, after a possessive ("my", "our", ...), is
    whom a thing is for, not a maker: no title says it with the word after it ("a gift for my
    |brother", "my brother who draws", "my brother loves drawing"; not "my hp printer", "my
    fiskars scissors")."""
    start, _, word = tokens[n]
    if n == 0 or tokens[n - 1][2] not in _POSSESSIVES or text[start].isupper():
        return False
    after = tokens[n + 1][2] if n + 1 < len(tokens) else ""
    return not any(word in key.split() and after in key.split() for key in titles)
