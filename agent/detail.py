"""A second sentence for a reason that only says what connects the pick.

A trained writer learned from human replies, which mostly say one thing: "Demi Lovato starred
in Camp Rock." is true and connects the pick to the user, but says nothing of Camp Rock itself.
Such a reason is given back to the writer with the pick's name as the opening of a second
sentence ("Demi Lovato starred in Camp Rock. Camp Rock"), and the writer goes on from there
(greedy, one batched call for all such picks of a reply). The sentence is kept only if the
reason with it passes the grounding check and says a detail of the pick
(:func:`~crossrec.agent.phrasing.is_specific`). Where the writer's sentence does not pass, a
sentence composed from the pick's own facts is tried the same way ("Camp Rock came out in
2008."), and the reason's source says so ("llm+detail"): a reason that connects the pick to the
user always says something of the pick too, where the check allows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

__all__ = [
    "COMPOSED",
    "DETAIL_TOKENS",
    "add_details",
    "composed_sentence",
    "sampled_sentences",
    "second_sentences",
]

DETAIL_TOKENS = 24  # a short sentence: "Camp Rock is a 2008 musical film."
COMPOSED = "+detail"  # a source's mark: "llm+detail" is the writer's text and a composed detail


def add_details(writer, jobs: Sequence[tuple], thin: dict) -> Iterator[tuple[int, object]]:
    """The reasons held for a second sentence (``thin``: pick -> its Justification), each with
    the sentence it got, if any: ``(pick, " sentence")``, then ``(pick, Justification)``. One
    batched greedy call for them all, with the praise words banned as in the first; where the
    greedy sentence does not pass, one batched call of the writer's ``samples`` sampled
    sentences for each (:func:`sampled_sentences`); then a composed detail."""
    if not thin:
        return
    from crossrec.agent.llm import generate_batch, local_pipeline

    picks = sorted(thin)
    held, texts = [jobs[p] for p in picks], [thin[p].text for p in picks]

    def complete(conversations: list, **sampling) -> list[str]:
        pipe, unpraised = local_pipeline(writer.chat_model), writer._unpraised(held)
        return generate_batch(
            pipe, conversations, max_new_tokens=DETAIL_TOKENS, **unpraised, **sampling
        )

    try:
        more = second_sentences(writer, held, texts, complete)
        more = sampled_sentences(writer, held, texts, more, complete)
    except Exception:  # the reasons stand as they were
        more = [""] * len(picks)
    for pick, sentence in zip(picks, more, strict=True):
        final, source = thin[pick], thin[pick].source
        if not sentence:  # the writer said nothing more that passes: a composed detail
            sentence, source = composed_sentence(writer, jobs[pick], final.text), source + COMPOSED
        if sentence:
            yield pick, " " + sentence
            final = replace(final, text=f"{final.text} {sentence}", source=source)
        yield pick, final


def sampled_sentences(
    writer, jobs: Sequence[tuple], texts: Sequence[str], greedy: list[str], complete: Callable
) -> list[str]:
    """``greedy`` with each ``""`` replaced by the first of the writer's ``samples`` sampled
    second sentences that passes (:func:`second_sentences` on each job repeated, in one call
    seeded by the picks, as the first sentence's rewrites are)."""
    from crossrec.agent.justify import SAMPLING, seed_of

    again = [n for n, sentence in enumerate(greedy) if not sentence]
    n = writer.samples
    if not again or not n:
        return greedy
    seed = seed_of([jobs[m] for m in again])

    def sample(conversations: list) -> list[str]:
        return complete(conversations, seed=seed, **SAMPLING)

    found = second_sentences(
        writer,
        [jobs[m] for m in again for _ in range(n)],
        [texts[m] for m in again for _ in range(n)],
        sample,
    )
    out = list(greedy)
    for row, m in enumerate(again):
        out[m] = next((s for s in found[row * n : (row + 1) * n] if s), "")
    return out


def composed_sentence(writer, job: tuple, text: str) -> str:
    """A second sentence composed from the pick's facts
    (:func:`~crossrec.agent.phrasing.detail_sentence`) where the writer's own did not pass;
    kept only if the reason with it passes the check and is specific, as the writer's is. Its
    reason's source is marked :data:`COMPOSED`, so the writer's own text is counted apart."""
    from crossrec.agent.phrasing import detail_sentence
    from crossrec.agent.sentences import is_whole

    item_id, links, history, _, wish = job
    if not is_whole(text, writer._names(item_id, links, history)):
        return ""
    sentence = detail_sentence(item_id, text, links, writer.catalog, writer.graph)
    reason = f"{text} {sentence}"
    fine = sentence and not writer._problems(reason, item_id, history, links, wish)
    return sentence if fine and writer._specific(reason, job) else ""


def second_sentences(
    writer, jobs: Sequence[tuple], texts: Sequence[str], complete: Callable
) -> list[str]:
    """For each ``(job, text)`` the second sentence ``writer`` (a
    :class:`~crossrec.agent.justify.JustificationWriter`) adds, ``""`` where none passes or
    ``text`` ends no sentence; ``complete(conversations)`` continues each conversation's last
    (assistant) message."""
    from crossrec.agent.sentences import first_sentence, is_whole

    names = [writer._names(item_id, links, history) for item_id, links, history, _, _ in jobs]
    whole = [n for n, text in enumerate(texts) if is_whole(text, names[n])]
    openings = {n: _opening(writer, jobs[n]) for n in whole}
    conversations = [
        [*writer.messages(*jobs[n]), ("assistant", f"{texts[n]} {openings[n]}")] for n in whole
    ]
    more = dict(zip(whole, complete(conversations) if whole else [], strict=True))
    out = []
    for n, (job, text) in enumerate(zip(jobs, texts, strict=True)):
        if n not in more:
            out.append("")
            continue
        item_id, links, history, _, wish = job
        opening = openings[n]  # capitalised: "U.s. art ..." must stay one name too
        sentence = first_sentence(opening + more[n], [*names[n], opening])
        reason = f"{text} {sentence}"  # judged as the reason it makes, as the agent check does
        fine = sentence and not writer._problems(reason, item_id, history, links, wish)
        out.append(sentence if fine and writer._specific(reason, job) else "")
    return out


def _opening(writer, job: tuple) -> str:
    """The pick's name as a sentence opens: "Camp Rock", "Acco binder clips" (Amazon titles
    are lower case)."""
    name = writer.catalog.spoken(job[0])
    return name[:1].upper() + name[1:]
