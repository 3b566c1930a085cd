"""The understand stage: one message read into a :class:`Request` against its session.

Names become liked or disliked items and facts, wishes ("something funnier", "from the
1980s") become catalog facts, and the candidate query is built. A message that needs no
ranking (empty, an unknown domain) gets its ``answer`` here and skips the later stages.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from crossrec.agent.about import (
    NOT_SHOWN,
    WHICH_ONE,
    about,
    about_series,
    asked_about,
    asked_qualities,
    asked_series,
    asked_together,
    unknown_asked,
)
from crossrec.agent.asides import asked_count
from crossrec.agent.eras import AGES
from crossrec.agent.kept import set_aside, unknown_taste, unmatched_notice
from crossrec.agent.leave_out import (
    also_named,
    leave_out,
    leave_out_owned,
    leave_out_said,
    leave_out_titled,
    said_left_out,
    titled_only,
)
from crossrec.agent.nlu import Understanding, understand
from crossrec.agent.purpose import for_kept, headed, whom_beside, with_named
from crossrec.agent.referents import likes_shown, referred
from crossrec.agent.refine import narrowed, refined_wish, refines, titled_in_kept
from crossrec.agent.same import few_left, first_names, said_same
from crossrec.agent.stand_in import stand_in
from crossrec.agent.state import Session
from crossrec.agent.title_words import coded, free_of, free_titled, said_beside, titled_words
from crossrec.agent.why import answer_why
from crossrec.agent.wish import Wish, facts_text, named_exactly
from crossrec.agent.wish_titles import titled_missed
from crossrec.agent.wordlists import small_talk
from crossrec.retrieval import CandidateQuery, detect_domain, said_of

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender

__all__ = ["EMPTY_REPLY", "Request", "facts_text", "read_request"]

EMPTY_REPLY = (
    "Tell me about something you enjoyed (a movie, a book, a product) or what you are "
    "looking for, and I will suggest a few items."
)


@dataclass
class Request:
    """What the understand stage makes of one message."""

    session_id: str
    session: Session | None = None
    notices: list[str] = field(default_factory=list)
    question: str | None = None  # "Did you mean the book or the film?"
    wish: Wish | None = None
    query: CandidateQuery | None = None
    dialog: list[str] = field(default_factory=list)  # the session's utterances, for the LLM
    avoid: list[tuple[str, str]] = field(default_factory=list)  # disliked facts
    stand_in: tuple[str, ...] = ()  # a maker's works or a title's versions in the history
    domains: tuple[str, ...] = ()  # two asked at once ("movies or books"), each its share
    named: tuple[str, ...] = ()  # the items this message named liked, where it named no fact
    message: str = ""
    answer: str | None = None  # a reply that needs no ranking
    keep: bool = True  # False: nothing of this turn is kept (an empty message)
    count: int | None = None  # picks asked for: "give me 3 books"
    started: float = field(default_factory=time.perf_counter)

    def picks(self, k: int) -> int:
        """The picks the reply holds: as many as asked for ("give me 3 books"), else ``k``."""
        return self.count or k

    @property
    def domain(self) -> str | None:
        return self.session.profile.domain if self.session and self.keep else None


def read_request(rec: Recommender, message: str, session_id: str, domain: str | None) -> Request:
    """Update the session from ``message`` and build the candidate query."""
    request = Request(session_id)
    message = _opened(rec, request, message, session_id, domain)
    if message is None:
        return request
    session = request.session
    if _small_talk(rec, request, message) or answer_why(rec, request, message):
        return request
    if _answer_about(rec, request, message, domain):
        return request
    request.count = asked_count(message)  # "give me 3 books"
    pointed, away, plain = _pointed(rec, session, message)  # "more like the second one"
    plain = first_names(plain, [f for f in session.profile.liked_facts if f[0] not in rec.grouping])
    und = understand(plain, rec.linker, domain or session.profile.domain, rec.wishes.wishable)
    und.liked, und.disliked = list(dict.fromkeys(pointed + und.liked)), away + und.disliked
    und.disliked_titles += [rec.catalog[i].title for i in away]  # "I hated it": said left out
    same = said_same(rec, und, session.profile)  # "not by the same writer": the liked's writers
    before, had = session.profile.domain, session.profile.wish  # the wish kept before it
    _apply(rec, und, session)
    k = request.picks(rec.config.k)
    request.notices += few_left(rec, same, session.profile, k)  # "more by the same author"
    if len(_apply_wishes(rec, und, session, request.notices)) > 1:
        # wishes may span domains ("washi tape and my planner"): a kind of item one of them
        # names ("planner") does not choose the domain
        session.profile.domain = und.domain_beside_wishes or before
    if und.missing_domain:
        request.notices.append(
            f"This catalog has no {und.missing_domain} items; these are {und.domain} items."
        )
    if domain is not None:
        session.profile.domain = domain
    rec.record_turn(session, "user", message)
    if und.unknown_domain:
        request.answer = (
            f"This catalog has no {und.unknown_domain} items; I can recommend "
            f"{', '.join(rec.catalog.domains)}. Which would you like?"
        )
        return request
    for mention in und.ambiguous[:1]:  # "Did you mean the book 'Dune' or the movie 'Dune'?"
        options = [f"the {rec.catalog[i].domain} {rec.catalog.shown(i)!r}" for i in mention.ids]
        request.question = f"Did you mean {' or '.join(options)}?"
        session.profile.pending = {"text": mention.text, "options": list(mention.ids)}
    _query(rec, request, und.repeat_ok, und.again, _shown_again(rec, session, und, before, had))
    request.domains, request.named = und.domains, () if und.liked_facts else tuple(und.liked)
    stand_in(rec, request)
    return request


def _opened(
    rec: Recommender, request: Request, message: str, session_id: str, domain: str | None
) -> str | None:
    """``message`` as read (the first ``max_message_chars``, said so), with its session; None
    where the turn ends here, answered (an empty message, a domain the catalog lacks)."""
    if not isinstance(message, str) or not message.strip():
        request.answer, request.keep, request.notices = EMPTY_REPLY, False, ["empty message"]
        return None
    limit = rec.config.max_message_chars
    if len(message) > limit:
        request.notices.append(
            f"Your message was {len(message):,} characters long; I read the first {limit:,}."
        )
        message = message[:limit]
    request.message, request.session = message, rec.session(session_id)
    if domain is not None and domain not in rec.catalog.domains:
        request.keep = False
        request.answer = (
            f"I can't recommend from the domain {domain!r} in this catalog; "
            f"available domains: {', '.join(rec.catalog.domains)}."
        )
        return None
    return message


_THOSE = frozenset({"those", "these", "them", "that", "this", "ones", "one", "any", "all"})


def _shown_again(
    rec: Recommender, session: Session, und: Understanding, before: str | None, had: dict | None
) -> set[str]:
    """The picks that may be shown again: the last reply's of the domain a message that names
    and wishes nothing else chose ("only movies" after picks of both: the films shown, then
    more), those a message that only leaves something out keeps ("not Agatha Christie"
    replaced five picks, none of hers), and a person's kept, where a first wish narrows them
    ("Jim Carrey movies", then "only comedies", hid his comedies shown before)."""
    asked = und.liked or und.liked_facts or any(not negative for _, negative in und.wishes)
    # something left out ("none of those" is no such thing, "too violent" says less of all);
    # not "not by the same writer": a version of what was liked may lack its writer's name
    left = any(negative and set(text.split()) - _THOSE for text, negative in und.wishes)
    if not (asked or und.same or und.graded) and (left or und.disliked_facts or und.disliked):
        return set(_last_picks(session))
    makers = {tuple(f) for f in session.profile.liked_facts if f[0] not in rec.grouping}
    if makers and und.wishes and not (und.liked or und.liked_facts or had):  # "only comedies"
        facts = rec.retrieval.graph.facts_of  # his, once: the first wish after him, ``had`` none
        return {i for i in session.profile.recommended if makers & set(facts(i))}
    named = und.liked or und.liked_facts or und.wishes or und.disliked
    domain = session.profile.domain
    if named or domain is None or domain == before:
        return set()
    return {i for i in _last_picks(session) if rec.catalog[i].domain == domain}


def _query(
    rec: Recommender,
    request: Request,
    repeat_ok: bool,
    again: tuple = (),
    kept: frozenset[str] | set[str] = frozenset(),
) -> None:
    """The candidate query, the dialog and the facts to avoid, from the updated profile; the
    picks shown before whose titles say half of ``again`` or more ("mini one"), or ``kept``,
    may be shown again."""
    session = request.session
    profile = session.profile
    exclude = set(profile.liked) | set(profile.disliked)
    exclude |= rec.retrieval.graph.same_works(profile.liked)  # Se7en's "Seven (... Film)"
    if not repeat_ok:
        shown = [i for i in profile.recommended if i not in kept]
        exclude |= {
            i for i in shown if not again or 2 * said_of(rec.catalog[i].title, again) < len(again)
        }
    request.wish = Wish.from_dict(profile.wish) if profile.wish else None
    parts = request.wish.parts if request.wish else ()
    if rec.config.query_text == "wish":
        text = request.wish.query if request.wish else ""
    else:
        said = [t.text for t in session.dialog if t.role == "user"]
        text = " ".join(said[-rec.config.recent_utterances :])
    request.query = CandidateQuery(
        text=text,
        history=tuple(profile.liked),
        facts=tuple(tuple(f) for f in profile.liked_facts),
        domain=profile.domain,
        exclude=frozenset(exclude),
        disliked=tuple(profile.disliked),
        wish=request.wish.facts if request.wish else (),
        wish_texts=tuple(p.query for p in parts) if rec.config.query_text == "wish" else (),
        wish_words=request.wish.said if request.wish else (),
    )
    request.dialog = session.utterances()
    request.avoid = [tuple(f) for f in profile.disliked_facts]


_SMALL_TALK = {
    "greeting": "Hello! " + EMPTY_REPLY,
    "thanks": "You're welcome! Ask for more like these, or tell me what you are in the mood for.",
    "bye": "Goodbye! What you told me is kept for the next time you use this session.",
}


def _small_talk(rec: Recommender, request: Request, message: str) -> bool:
    """A message of small talk only ("hi", "thanks a lot!", "ok bye") gets a short answer, not
    picks; False for any other (``agent/words/small_talk.txt``)."""
    kinds = [small_talk().get(word) for word in re.findall(r"[a-z]+", message.casefold())]
    said = [kind for kind in kinds if kind != "-"]
    if not said or None in said:
        return False
    if any(m.kind == "item" for m in rec.linker.link(message)):  # "Hi! Super 8", "The Help"
        return False
    rec.record_turn(request.session, "user", message)
    request.answer = _SMALL_TALK[said[-1]]
    return True


def _not_here(many: bool) -> str:
    return "they are not in this catalog" if many else "it is not in this catalog"


def _answer_about(rec: Recommender, request: Request, message: str, domain: str | None) -> bool:
    """A question about one item ("Who directed Inception?", "the second one?") is answered
    from its facts, with picks like it (of the ``domain`` chosen or asked after it), or alone
    where it is a pick shown or liked before them (the list shown stays); no taste or wish."""
    session = request.session
    profile = session.profile
    last = profile.about or (profile.liked[-1] if profile.liked else None)
    # a list first: "Tell me about Inception and Stranger Things" asks of both
    together, lacked = asked_together(message, rec.linker, rec.catalog.domains)
    listed = bool(together or lacked)
    asked = None if listed else asked_about(message, rec.linker, _last_picks(session), last)
    series = None if listed or asked is not None else asked_series(message, rec.linker)
    if asked is None and not together and not series:
        lacked = lacked or [unknown_asked(message, rec.linker, rec.catalog.domains)]
        if lacked[0] is None:
            return False
    after = detect_domain(message.partition("?")[2], rec.catalog.domains)  # "? any books by him"
    profile.domain = domain or after or profile.domain
    rec.record_turn(session, "user", message)
    qualities = asked_qualities(message, rec.linker, rec.wishes)
    if series:  # "Who wrote Harry Potter?": what its titles share
        args = (message, rec.catalog, rec.retrieval.graph, qualities)
        request.notices.append(about_series(series.text, series.ids, *args))
        together = list(series.ids)
    if asked is None and not together:
        names = " or ".join(repr(name) for name in lacked)
        request.answer = f"I don't know {names}: {_not_here(len(lacked) > 1)}, so I can't say."
        return True
    if asked in ("", WHICH_ONE):
        request.answer = asked or NOT_SHOWN
        return True
    items = together or [asked]
    profile.about = items[-1]
    graph = rec.retrieval.graph
    request.notices.extend(f"I don't know {name!r}: {_not_here(False)}." for name in lacked)
    request.notices.extend(
        about(item_id, message, rec.catalog, graph, qualities) for item_id in items if not series
    )
    shown = _last_picks(session)  # "who directed the second one?", or "it" of what they
    if not together and shown and (asked in shown or asked in profile.liked):  # liked: the
        request.answer = "\n".join(request.notices)  # answer, and the list shown stays
        request.notices = []
        return True
    _query(rec, request, False)
    history = tuple(dict.fromkeys((*request.query.history, *items)))  # once, if liked too
    exclude = request.query.exclude | set(items)
    request.query = replace(request.query, history=history, exclude=exclude)
    return True


def _last_picks(session: Session) -> list[str]:
    """The picks of the last reply that showed any, in order."""
    return next(
        (t.items for t in reversed(session.dialog) if t.role == "assistant" and t.items), []
    )


def _pointed(rec: Recommender, session: Session, message: str) -> tuple[list, list, str]:
    """What ``message`` likes and leaves out without naming it (the answer to "which one did
    you mean?", "more like the second one", "something similar"), and its other words."""
    resolved = _resolve_pending(rec, session, message)
    # after a question about Jaws, "similar to The Notebook" is like the title it names; the
    # message is linked for that only where an item was asked about
    about, shown = session.profile.about, _last_picks(session)
    alone = not session.profile.liked  # "similar" is like the picks shown
    asked = bool(about or alone and shown and likes_shown(message))  # link it only then
    named = asked and any(m.kind == "item" for m in rec.linker.link(message))
    pointed, away, plain = referred(message, shown, about, named, alone)
    return resolved + pointed, away, plain


def _resolve_pending(rec: Recommender, session: Session, message: str) -> list[str]:
    """Answer a pending "which one did you mean?" question from this message."""
    pending = session.profile.pending
    if not pending:
        return []
    chosen = detect_domain(message, rec.catalog.domains)
    picks = [i for i in pending["options"] if rec.catalog[i].domain == chosen]
    session.profile.pending = None
    for item_id in picks[:1]:
        session.profile.like(item_id)
    return picks[:1]


def _apply(rec: Recommender, und: Understanding, session: Session) -> None:
    profile = session.profile
    for item_id in und.liked:
        profile.like(item_id)
        profile.about = None  # "it" is now what was liked
    for item_id in und.disliked:  # only left out ("no Harry Potter, please"), a liked item
        # stays what the picks are like; a liked item is never picked again anyway
        if item_id not in profile.liked or item_id not in und.excluded:
            profile.dislike(item_id)
    for fact in und.liked_facts:
        profile.like_fact(fact)
    for fact in (f for said in und.disliked_facts for f in also_named(rec, tuple(said))):
        profile.dislike_fact(fact)  # "not sci-fi": Science Fiction too
    leave_out_said(rec, und.disliked_facts, profile)  # "not Sharpie": no "sharpie ..." title
    if und.any_domain:
        profile.domain = None
    if und.domain:
        profile.domain = und.domain


def _apply_wishes(
    rec: Recommender, und: Understanding, session: Session, notices: list[str]
) -> list[Wish]:
    """Map this message's wishes onto catalog facts and keep them; notices for the reply are
    added to ``notices``; the understood liked wishes are returned.

    A message's wishes replace the active one, joined where it holds several ("washi tape and
    my planner"); an exclusion ("nothing scary") adds disliked facts, which
    persist like named dislikes. A wish that maps onto nothing is said, not pretended.
    """
    profile = session.profile
    for_kept(und, profile)  # "ink pad for them": for the rubber stamps
    notices += said_left_out(und, rec.wishes.graph.grouping_relations())
    wishes, unmatched, left_out = [], [], []
    owned = leave_out_owned(rec, und, profile, notices)
    has = {f for facts in owned.values() for f in facts}
    asked = len(und.wishes) > 1 or und.liked or und.liked_facts  # more than what they have
    for text, negative in und.wishes:
        if text in owned and asked:  # "I bought a label maker. What else would help ...?"
            continue
        if (und.liked or und.liked_facts) and whom_beside(rec, und, text):
            continue  # "My daughter loved The Hunger Games": more like it, not children's books
        named = [*und.liked, *und.excluded, *und.disliked, *und.sequels_of]  # "Shrek sequels"
        facts = [tuple(f) for f in profile.liked_facts]  # "his older stuff": Spielberg's films
        args = (profile.liked, und.domain_beside_wishes, named, facts)
        wish = _mapped(rec, und, text, negative, args)
        refined = refines(rec, und, profile, wish) or titled_in_kept(rec, und, profile, wish)
        if refined:  # "scrapbooking", then "for a beginner"
            wish = refined_wish(rec, und, profile, text, negative, args)
            text = wish.text
        if text in owned:  # alone, it asks for what goes with it: its words, not its kind
            wishes.append(replace(wish, facts=tuple(f for f in wish.facts if f not in owned[text])))
        elif negative and free_titled(rec, text):  # "glue that isn't toxic": "non toxic"
            und.lacks.append(f"{text} free")
        elif not wish.understood or negative and titled_only(rec, text):  # "not yellow" too
            said = set(text.split())  # "not a princess one": titled so ("too long", "those": no)
            titled = negative and not said & set(und.graded) and said - _THOSE
            if not (titled and leave_out_titled(rec, text, profile, notices)):
                unmatched.append(text)
        elif negative:
            left_out.append(wish)
        else:  # asked for now, it is no longer left out ("I bought a stapler", then "I need
            # a stapler"; "no horror", then "something scary"), unless this message has it or
            # the kept wish asked it before ("labels for my home printer", then "round ones")
            lift = set() if refined else set(wish.facts) - has
            lift -= set(map(tuple, und.disliked_facts))
            profile.disliked_facts = [f for f in profile.disliked_facts if tuple(f) not in lift]
            wishes.append(wish)
    wishes[:] = leave_out(rec, und, wishes, left_out, profile, notices)
    titled = titled_words(rec, wishes, unmatched)  # "paint for kids, non toxic": titles say it
    notices += [unmatched_notice(t, profile, bool(wishes)) for t in unmatched if t not in titled]
    notices += unknown_taste(und, profile, bool(wishes or unmatched))  # "my grandma would like"
    if und.person_age and len(wishes) > 1:  # "my niece is 14 and into vampires": vampires
        wishes[:] = [w for w in wishes if w.text not in AGES] or wishes
    _keep(rec, und, profile, wishes, titled, notices)
    return wishes


def _keep(rec: Recommender, und: Understanding, profile, wishes, titled, notices) -> None:
    """Keep the message's ``wishes`` as the active one (the words ``titled`` for titles to
    say), or say more of the kept one, or set it aside."""
    if wishes:  # "a stapler that doesn't jam": titles saying "jam" ("jam free") first
        wish = said_beside(rec, narrowed(rec, und, profile, Wish.joined(wishes)))
        said = [*und.codes, *titled, *(v for r, v in und.liked_facts if r not in rec.grouping)]
        wish = coded(rec, free_of(rec, wish, und.lacks, notices), said)  # "hp 62", "dell toner"
        profile.wish = wish.to_dict()
    elif und.lacks and profile.wish:  # "glue", then "that isn't toxic": of the kept wish
        profile.wish = free_of(rec, Wish.from_dict(profile.wish), und.lacks, notices).to_dict()
    elif aside := set_aside(rec, und, profile):  # "horror", then "movies with Tom Hanks"
        notices.append(aside)


def _mapped(rec: Recommender, und: Understanding, text: str, negative: bool, known: tuple) -> Wish:
    """The wish ``text`` on the catalog's facts (with what is ``known``: history, domain,
    names, facts), as the kind said before a purpose (:func:`headed`), its words that a
    genre named in the message holds not said unmatched ("picture books for my toddler":
    Picture book, not "nothing here is filed under 'picture'")."""
    wish = named_exactly(rec.wishes.graph, rec.wishes.map(text, negative, *known), 0.55, known[1])
    wish = with_named(rec, und, headed(rec, und, text, wish, known))  # "young adult ... about"
    if rest := tuple(f for f in wish.facts if f not in und.kept):  # "yarn for them" after
        wish = replace(wish, facts=rest)  # knitting needles: not the needles a yarn shop sells
    named = {w.removesuffix("s") for _, v in und.liked_facts for w in v.casefold().split()}
    wish = replace(wish, missed=tuple(w for w in wish.missed if w.removesuffix("s") not in named))
    return titled_missed(rec.wishes.titles, wish, known[1])  # "family movies about dragons"
