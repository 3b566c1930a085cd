"""One conversational turn, as a stream of text chunks followed by the complete reply."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from crossrec.agent.justify import Justification
from crossrec.agent.nlu import Understanding, understand
from crossrec.agent.reply import Reply
from crossrec.agent.state import Session
from crossrec.agent.wishes import Wish
from crossrec.retrieval import CandidateQuery, detect_domain, normalize_title

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender

__all__ = ["EMPTY_REPLY", "run_turn"]

EMPTY_REPLY = (
    "Tell me about something you enjoyed (a movie, a book, a product) or what you are "
    "looking for, and I will suggest a few items."
)


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


def _apply(und: Understanding, session: Session) -> None:
    profile = session.profile
    for item_id in und.liked:
        profile.like(item_id)
    for item_id in und.disliked:
        profile.dislike(item_id)
    for fact in und.liked_facts:
        profile.like_fact(fact)
    for fact in und.disliked_facts:
        profile.dislike_fact(fact)
    if und.any_domain:
        profile.domain = None
    if und.domain:
        profile.domain = und.domain


def _apply_wishes(rec: Recommender, und: Understanding, session: Session) -> list[str]:
    """Map this message's wishes onto catalog facts and keep them; notices for the reply.

    A wish replaces the active one; an exclusion ("nothing scary") adds disliked facts, which
    persist like named dislikes. A wish that maps onto nothing is said, not pretended.
    """
    profile, notices = session.profile, []
    if und.disliked_facts:
        notices.append(f"Leaving out {_facts_text(und.disliked_facts)}.")
    for text, negative in und.wishes:
        wish = rec.wishes.map(text, negative, history=profile.liked)
        if not wish.understood:
            notices.append(
                f"I couldn't match {text!r} to anything in this catalog, "
                "so I ranked by what you named."
            )
        elif negative:
            for fact in wish.facts:
                profile.dislike_fact(fact)
            notices.append(f"Leaving out {_facts_text(wish.facts)} ({text}).")
        else:
            profile.wish = wish.to_dict()
    return notices


_SPARE = 3  # picks ranked beyond k, to replace same-title duplicates


def _distinct(rec: Recommender, ranked: list) -> list:
    """Drop a pick whose domain and title (ignoring case and accents) an earlier pick has:
    "From Dusk till Dawn" and "From Dusk Till Dawn" are two catalog rows, one film to a person."""
    seen, out = set(), []
    for item_id, score in ranked:
        item = rec.catalog[item_id]
        key = (item.domain, normalize_title(item.title))
        if key not in seen:
            seen.add(key)
            out.append((item_id, score))
    return out


def _facts_text(facts, limit: int = 3) -> str:
    values = [value for _, value in facts]
    years = [int(v) for v in values if v.isdigit()]
    if len(years) == len(values) and len(years) > limit:
        return f"years {min(years)}-{max(years)}"
    return ", ".join(values[:limit]) + (" ..." if len(values) > limit else "")


def _header(rec: Recommender, domain: str | None, n: int, liked: list[str]) -> str:
    kind = f"{domain} picks" if domain else "picks"
    basis = ""
    if liked:
        basis = " based on " + ", ".join(rec.catalog[i].title for i in liked[-2:])
    return f"Here are {n} {kind}{basis}:"


def _wish_line(wish: Wish | None, fitting: int, n: int) -> str:
    if wish is None:
        return ""
    if fitting == 0:
        return f"Nothing I found fits {wish.text!r} ({_facts_text(wish.facts)}); these are the closest.\n"
    return f"Following your wish {wish.text!r}: {_facts_text(wish.facts)} ({fitting} of {n} fit).\n"


def run_turn(
    rec: Recommender, message: str, session_id: str, domain: str | None
) -> Iterator[str | Reply]:
    """Update the session from ``message``, rank, explain, stream, persist."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    notices: list[str] = []
    if not isinstance(message, str) or not message.strip():
        yield EMPTY_REPLY
        yield Reply(EMPTY_REPLY, session_id=session_id, notices=["empty message"])
        return
    limit = rec.config.max_message_chars
    if len(message) > limit:
        notices.append(
            f"Your message was {len(message):,} characters long; I read the first {limit:,}."
        )
        message = message[:limit]
    session = rec.session(session_id)
    if domain is not None and domain not in rec.catalog.domains:
        text = (
            f"I can't recommend from the domain {domain!r} in this catalog; "
            f"available domains: {', '.join(rec.catalog.domains)}."
        )
        yield text
        yield Reply(text, session_id=session_id, notices=notices)
        return
    resolved = _resolve_pending(rec, session, message)
    und = understand(message, rec.linker, domain or session.profile.domain)
    und.liked = resolved + und.liked
    timings["link_s"] = time.perf_counter() - started
    _apply(und, session)
    notices += _apply_wishes(rec, und, session)
    if domain is not None:
        session.profile.domain = domain
    rec.record_turn(session, "user", message)
    if und.unknown_domain:
        text = (
            f"This catalog has no {und.unknown_domain} items; I can recommend "
            f"{', '.join(rec.catalog.domains)}. Which would you like?"
        )
        rec.record_turn(session, "assistant", text)
        rec.sessions.save(session)
        yield text
        yield Reply(text, session_id=session_id, domain=session.profile.domain, notices=notices)
        return
    question = None
    if und.ambiguous:
        mention = und.ambiguous[0]
        options = " or ".join(
            f"the {rec.catalog[i].domain} {rec.catalog[i].title!r}" for i in mention.ids
        )
        question = f"Did you mean {options}?"
        session.profile.pending = {"text": mention.text, "options": list(mention.ids)}
    profile = session.profile
    exclude = set(profile.liked) | set(profile.disliked)
    if not und.repeat_ok:
        exclude |= set(profile.recommended)
    utterances = session.utterances()
    wish = Wish.from_dict(profile.wish) if profile.wish else None
    if rec.config.query_text == "wish":
        text = wish.text if wish else ""
    else:
        said = [t.text for t in session.dialog if t.role == "user"]
        text = " ".join(said[-rec.config.recent_utterances :])
    query = CandidateQuery(
        text=text,
        history=tuple(profile.liked),
        facts=tuple(tuple(f) for f in profile.liked_facts),
        domain=profile.domain,
        exclude=frozenset(exclude),
        disliked=tuple(profile.disliked),
        wish=wish.facts if wish else (),
    )
    rank_start = time.perf_counter()
    avoid = [tuple(f) for f in profile.disliked_facts]
    sig: dict = {}
    wanted = rec.config.k + _SPARE
    ranked = rec.rank(query, wanted, dialog=utterances, avoid_facts=avoid, signals_out=sig)
    if not ranked and avoid:
        ranked = rec.rank(query, wanted, dialog=utterances, signals_out=sig)
        if ranked:
            notices.append(
                f"Everything left has {_facts_text(avoid)}, which you asked me to leave out; "
                "these are the closest."
            )
    ranked = _distinct(rec, ranked)[: rec.config.k]
    timings["rank_s"] = time.perf_counter() - rank_start
    prefix = "".join(n + "\n" for n in notices) + (question + "\n" if question else "")
    if not ranked:
        text = (
            prefix
            + "I found nothing new that fits; tell me more about what you like, or allow other domains."
        )
        rec.record_turn(session, "assistant", text)
        rec.sessions.save(session)
        yield text
        yield Reply(
            text,
            session_id=session_id,
            domain=profile.domain,
            notices=notices,
            question=question,
            timings=timings,
        )
        return
    fitting = sum(sig[i].fits_wish for i, _ in ranked)
    header = (
        prefix
        + _wish_line(wish, fitting, len(ranked))
        + _header(rec, profile.domain, len(ranked), profile.liked)
    )
    yield header
    timings["first_chunk_s"] = time.perf_counter() - started
    parts, items = [header], []
    wish_pair = (wish.text, wish.facts) if wish else None
    offset = len(profile.recommended)  # varies the sentence forms from one reply to the next
    for n, (item_id, score) in enumerate(ranked, start=1):
        links = rec.finder.find(item_id, profile.liked, query.facts, limit=3)
        item_rec = rec.recommendation(
            item_id,
            score,
            profile.liked,
            query.facts,
            explain=False,
            wish=wish_pair,
            links=links,
            variant=offset + n - 1,
        )
        line = f"\n{n}. {item_rec.title} ({item_rec.domain}) - "
        yield line
        parts.append(line)
        final = Justification(item_rec.justification, item_rec.justification_source)
        if rec.writer is not None and rec.config.justify:
            with rec._model_lock:
                for chunk in rec.writer.stream(item_id, links, profile.liked, message, wish_pair):
                    if isinstance(chunk, Justification):
                        final = chunk
                    else:
                        parts.append(chunk)
                        yield chunk
        else:
            parts.append(final.text)
            yield final.text
        item_rec.justification, item_rec.justification_source = final.text, final.source
        items.append(item_rec)
    profile.recommended += [r.item_id for r in items if r.item_id not in profile.recommended]
    text = "".join(parts)
    rec.record_turn(session, "assistant", text, [r.item_id for r in items])
    rec.sessions.save(session)
    timings["total_s"] = time.perf_counter() - started
    yield Reply(text, items, session_id, profile.domain, notices, question, timings)
