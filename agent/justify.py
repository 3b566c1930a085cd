"""Grounded justifications: evidence first, then words, then a check (:mod:`.grounding`).

For each recommendation the evidence (true links to the user's history and words) is already
computed. A LangChain chat model (the local SmolLM2 by default; any chat model, e.g. a remote
OpenAI-compatible server, works) writes one or two sentences from it. :class:`GroundingCheck`
verifies that every title the text names is the recommended item or a history item, that every
fact it states is in the evidence or true of the item, and that nothing else sneaks in (links,
instructions, runaway text). A failed text is written again once (a few-shot writer without
its shots; a trained local writer by sampling, ``samples`` texts at once); if that fails too,
a sentence built from the evidence itself is used. Streaming emits only sentences that passed
the check.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crossrec.agent.detail import add_details
from crossrec.agent.grounding import GroundingCheck, word_spans
from crossrec.agent.phrasing import (
    Explanation,
    explain_pick,
    is_specific,
    praise_words,
    spoken_forms,
    writer_facts,
)
from crossrec.agent.rows import FirstPick
from crossrec.agent.sentences import Sentences, whole_sentences
from crossrec.agent.writer_prompts import few_shot_prompt, trained_prompt
from crossrec.finetune import cut_to_tokens
from crossrec.retrieval import Catalog, EvidenceLink, KnowledgeGraph

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = ["Justification", "JustificationWriter"]

_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
SAMPLING = {"do_sample": True, "temperature": 0.7, "top_p": 0.9}  # measured on valid turns


def seed_of(jobs: Sequence[tuple]) -> int:
    """A reply's sampling seed, from its picks: the same reply is written the same way."""
    picks = "|".join(str(job[0]) for job in jobs)
    return int.from_bytes(hashlib.sha256(picks.encode()).digest()[:4], "big")


@dataclass
class Justification:
    """The text shown to the user, and how it was obtained."""

    text: str
    source: str  # "llm", "llm-retry" or "evidence"
    problems: list[str] = field(default_factory=list)


class JustificationWriter:
    """Writes and checks justifications with any LangChain chat model.

    The model rewrites the evidence sentence (:func:`~crossrec.agent.phrasing.explain_pick`) in
    the tone of the user's message. Text that fails the check, or that only copies the
    evidence sentence, is not counted as the model's: the evidence sentence is used instead.
    """

    def __init__(
        self,
        chat_model: BaseChatModel,
        catalog: Catalog,
        graph: KnowledgeGraph | None = None,
        message_words: int = 20,
        message_tokens: int = 40,
        trained: bool = False,
        samples: int = 0,
        race: bool = False,
        detail: bool = False,
    ):
        self.chat_model = chat_model
        self.trained = trained  # the model carries a writer adapter: its own prompt, no shots
        self.samples = samples  # sampled rewrites of a trained local writer's refused reason
        self.race = race  # the first pick's rewrites drawn beside its greedy text (stream_many)
        self.detail = detail  # a second sentence for a reason that says no detail (stream_many)
        self.catalog = catalog
        self.graph = graph
        self.check = GroundingCheck(catalog, graph)
        self.message_words = message_words
        self.message_tokens = message_tokens

    def explain(self, item_id: str, links: Sequence[EvidenceLink], wish=None) -> Explanation:
        """The evidence sentence and card line of a pick (no model involved)."""
        return explain_pick(item_id, links, self.catalog, self.graph, wish)

    def _said(self, message: str) -> str:
        """The user's message, cut to words and then to tokens (emoji and CJK are many each)."""
        words = re.sub(r"[\x00-\x1f]+", " ", str(message)).split()[: self.message_words]
        said = " ".join(words)[: 8 * self.message_tokens]
        tokenizer = getattr(self.chat_model, "tokenizer", None)
        if tokenizer is not None and said:
            try:
                said = cut_to_tokens(tokenizer, said, self.message_tokens)
            except (NotImplementedError, TypeError, KeyError):  # no offsets: characters bound it
                said = said[: 2 * self.message_tokens]
        return said.strip() or "(nothing)"

    def messages(
        self,
        item_id: str,
        links: Sequence[EvidenceLink],
        history: Sequence[str],
        message: str,
        wish=None,
    ) -> list[tuple[str, str]]:
        """The prompt: for a trained writer the pick's facts; else the few-shot rewrite of the
        evidence note in the tone of the user's message."""
        if self.trained:
            item = self.catalog[item_id]
            liked, facts = writer_facts(item_id, links, self.catalog, self.graph, wish)
            return trained_prompt(
                self.catalog.spoken(item_id), item.domain, liked, facts, self._said(message)
            )
        return few_shot_prompt(self.explain(item_id, links, wish).sentence, self._said(message))

    def _generate(self, messages) -> str:
        reply = self.chat_model.invoke(messages)
        return reply.content if isinstance(reply.content, str) else str(reply.content)

    def _sayable(self, item_id: str, links: Sequence[EvidenceLink], history) -> list[str]:
        """The names a reason of ``item_id`` may say: its title and the liked items', its
        facts' and the linked facts' values."""
        ids = [i for i in (item_id, *history) if i in self.catalog]
        names = [n for i in ids for n in (self.catalog[i].title, self.catalog.spoken(i))]
        names += [v for _, v in self.graph.facts_of(item_id)] if self.graph is not None else []
        return names + [link.fact[1] for link in links if link.fact]

    def _names(self, item_id: str, links: Sequence[EvidenceLink], history) -> list[str]:
        """The names with a full stop that a reason of ``item_id`` may say (longest first)."""
        names = self._sayable(item_id, links, history)
        return sorted({n for n in names if "." in n}, key=len, reverse=True)

    def _unpraised(self, jobs: Sequence[tuple]) -> dict:
        """``generate``'s ``bad_words_ids`` for a trained local writer: the praise words
        (:func:`~crossrec.agent.phrasing.praise_words`) after a space, less those that a title
        or fact of ``jobs`` says ("The Good Shepherd" is a title, "classic" may be a genre)."""
        from crossrec.agent.llm import local_pipeline

        pipe = local_pipeline(self.chat_model) if self.trained else None
        if pipe is None:
            return {}
        names = []
        for item_id, links, history, _, wish in jobs:
            names += self._sayable(item_id, links, history)
            names += [v for _, v in (wish[1] if wish else ())]
        said = set(_WORDS.findall(" ".join(names).casefold()))
        words = [w for w in praise_words() if w not in said]
        ids = [pipe.tokenizer.encode(" " + w, add_special_tokens=False) for w in words]
        return {"bad_words_ids": ids} if ids else {}

    def _problems(self, text, item_id, history, links, wish, first: bool = True) -> list[str]:
        """The check's problems, and for a reason's first sentence whether it says what
        connects the pick to the user (the liked item, the connecting fact or the wish's):
        "Lullaby came out in 2002" is true, but no reason. Where nothing connects (no liked
        item, no linked fact, no wish) a true sentence about the pick is all there is to say."""
        found = self.check.problems(text, item_id, history, links, wish[0] if wish else "")
        if first and not found:
            keys = [v for _, v in (wish[1] if wish else ())]
            for link in links:  # any true connection counts, not only the one listed first
                if link.fact:
                    keys += [link.fact[1], *spoken_forms(link.fact, self.graph)]
                if link.history_item in self.catalog:
                    keys.append(self.catalog.spoken(link.history_item))
            # whole words: a liked "Up" is not said in "builds up"
            if any(keys) and not any(word_spans(text, k) for k in keys):
                found.append("does not say what connects the pick to the user")
        return found

    def _resample(self, jobs: Sequence[tuple], prompts, notes) -> list[Justification | None]:
        """Trained local writer's reasons written again after greedy decoding was refused:
        ``samples`` sampled texts for each, all in one call (seeded by the picks, so a reply is
        reproducible); for each job the first text that passes the check and is more than its
        evidence sentence, else None (also where there is no sampling). ``jobs`` are ``(item_id,
        links, history, message, wish)``; ``prompts`` and ``notes`` their prompts and evidence
        sentences."""
        from crossrec.agent.llm import generate_batch, local_pipeline

        pipe = local_pipeline(self.chat_model) if self.trained and self.samples else None
        if pipe is None or not jobs:
            return [None] * len(jobs)
        try:
            texts = generate_batch(
                pipe,
                list(prompts),
                seed=seed_of(jobs),
                **SAMPLING,
                **self._unpraised(jobs),
                num_return_sequences=self.samples,
            )
        except Exception:  # the greedy reasons' evidence sentences still stand
            return [None] * len(jobs)
        out: list[Justification | None] = []
        for n, (job, note) in enumerate(zip(jobs, notes, strict=True)):
            out.append(self._best(texts[n * self.samples : (n + 1) * self.samples], job, note))
        return out

    def _best(self, texts: Sequence[str], job: tuple, note: str) -> Justification | None:
        """The first of ``texts`` that passes the check, is more than the evidence sentence
        ``note`` and says a detail of the pick too (:func:`is_specific`); else the first that
        passes and is more than ``note``; else None."""
        item_id, links, history, _, wish = job
        names = self._names(item_id, links, history)
        passed = [
            text
            for text in (whole_sentences(t, names) for t in texts)
            if not self._problems(text, item_id, history, links, wish) and self._own(text, note)
        ]
        specific = [t for t in passed if self._specific(t, job)]
        found = (specific or passed)[:1]
        return Justification(found[0], "llm-retry") if found else None

    def _specific(self, text: str, job: tuple) -> bool:
        """Whether ``text`` names what connects the pick and a detail of it (:func:`is_specific`)."""
        item_id, links, history, _, wish = job
        said = wish[1] if wish else ()
        return self.graph is not None and is_specific(
            text, item_id, history, links, self.graph, self.catalog, said
        )

    @staticmethod
    def _own(text: str, note: str) -> bool:
        """Whether ``text`` is more than a copy of the evidence sentence ``note``."""
        return _WORDS.findall(text.casefold()) != _WORDS.findall(note.casefold())

    def write(
        self,
        item_id: str,
        links: Sequence[EvidenceLink],
        history: Sequence[str] = (),
        message: str = "",
        wish=None,
    ) -> Justification:
        """Generate, check, regenerate once, and fall back to the evidence sentence."""
        note = self.explain(item_id, links, wish).sentence
        messages = self.messages(item_id, links, history, message, wish)
        problems: list[str] = []
        # a retry drops the shots; a trained writer's prompt has none (greedy would repeat)
        for attempt, source in enumerate(("llm",) if self.trained else ("llm", "llm-retry")):
            try:
                text = self._generate(messages if attempt == 0 else messages[:1] + messages[-1:])
                text = whole_sentences(text, self._names(item_id, links, history))
            except Exception as exc:  # a remote model may be down; the evidence still works
                problems.append(f"generation failed: {exc}")
                break
            found = self._problems(text, item_id, history, links, wish)
            if not found:
                own = self._own(text, note)
                return Justification(text, source if own else "evidence", problems)
            problems += found
        job = (item_id, links, history, message, wish)
        again = self._resample([job], [messages], [note])[0]
        if again is not None:
            again.problems = problems
            return again
        return Justification(note, "evidence", problems)

    @property
    def batches(self) -> bool:
        """Whether :meth:`write_many` writes in one batched generation (a trained local writer;
        a few-shot or remote writer streams pick by pick)."""
        from crossrec.agent.llm import local_pipeline

        return self.trained and local_pipeline(self.chat_model) is not None

    def write_many(self, jobs: Sequence[tuple]) -> list[Justification]:
        """``write`` for several picks (``(item_id, links, history, message, wish)`` each): a
        trained local writer (:attr:`batches`) writes them together (:meth:`stream_many`); any
        other writer one by one."""
        if not self.batches:
            return [self.write(*job) for job in jobs]
        finals = {}
        for row, event in self.stream_many(jobs):
            if isinstance(event, Justification):
                finals[row] = event
        return [finals[row] for row in range(len(jobs))]

    def stream_many(self, jobs: Sequence[tuple]) -> Iterator[tuple[int, str | Justification]]:
        """:meth:`stream` for several picks written in one batched generation (a trained local
        writer, :attr:`batches`): ``(pick, checked sentence)`` as each is written and ``(pick,
        Justification)`` as each reason ends; a refused reason stops its row. With ``race`` the
        first pick's ``samples`` rewrites race its greedy text in the batch (:class:`FirstPick`);
        a later pick's refused text, held until the picks before it are shown anyway, is written
        again after it; with ``detail`` a reason that says no detail gets a second sentence."""
        from crossrec.agent.llm import local_pipeline, stream_batch

        k = len(jobs)
        notes = [self.explain(item_id, links, wish).sentence for item_id, links, _, _, wish in jobs]
        prompts = [self.messages(*job) for job in jobs]
        gates = [self._sentences(job) for job in jobs]
        samples = self.samples if self.race and k else 0
        gates += [self._sentences(jobs[0]) for _ in range(samples)]
        first = FirstPick(k, samples, gates, lambda text: self._specific(text, jobs[0]))
        ended: set[int] = set()  # rows the model writes no more of
        later: list[int] = []  # refused picks to sample again once the batch is done
        thin: dict[int, Justification] = {}  # passed, but say no detail of the pick

        def settle(row: int) -> Iterator[tuple[int, str | Justification]]:
            pick = first.pick(row)
            if row in first.racing:  # no row won: the first rewrite that passed, if one did
                yield from ((pick, sentence) for sentence in first.fallback())
            gate = gates[first.shown(row)]
            ended.update(first.rivals(row))
            if not gate.emitted and self.samples and not (pick == 0 and samples):
                later.append(pick)
                return
            first.done.add(pick)
            events = [first.relabel(pick, e) for e in self._final(gate, notes[pick])]
            yield from self._hold(pick, events, jobs[pick], thin)

        pieces = stream_batch(
            local_pipeline(self.chat_model), [prompts[first.pick(r)] for r in range(first.rows)],
            ended, first.sampled, seed_of(jobs), SAMPLING["temperature"], SAMPLING["top_p"],
            self._unpraised(jobs).get("bad_words_ids"),
        )  # fmt: skip
        try:
            for row, piece in pieces:
                if row in ended:
                    continue
                passed = gates[row].finish() if piece is None else gates[row].feed(piece)
                shown, stop = first.show(row, passed)
                ended.update(stop)
                yield from ((first.pick(row), sentence) for sentence in shown)
                if piece is None or gates[row].refused:
                    ended.add(row)
                    yield from settle(row) if first.settles(row, ended) else ()
        except Exception as exc:  # keep what passed; the rest keep their evidence sentences
            for pick in set(range(k)) - first.done - set(later):
                gates[first.shown(pick)].problems = [f"generation failed: {exc}"]
                yield from settle(pick)
        finally:
            pieces.close()  # the model stops here, whatever happened
        again = self._resample(*([x[r] for r in later] for x in (jobs, prompts, notes)))
        for pick, found in zip(later, again, strict=True):
            final = list(self._final(gates[pick], notes[pick], found))
            yield from self._hold(pick, final, jobs[pick], thin)
        yield from add_details(self, jobs, thin)

    def _hold(self, pick: int, events: list, job: tuple, thin: dict) -> Iterator[tuple]:
        """``pick``'s last events, but a reason of the writer's that says no detail of the pick
        is held in ``thin`` for a second sentence (:func:`~crossrec.agent.detail.add_details`)."""
        *said, final = events
        yield from ((pick, e) for e in said)
        may_hold = self.detail and self.graph is not None and final.source != "evidence"
        if may_hold and not self._specific(final.text, job):
            thin[pick] = final
        else:
            yield pick, final

    def _pieces(self, messages) -> Iterator[str]:
        """The reply's text as it is generated: a local model through
        :func:`~crossrec.agent.llm.stream_local` (it stops when the reader does), any other
        chat model through its LangChain stream."""
        from crossrec.agent.llm import local_pipeline, stream_local

        pipe = local_pipeline(self.chat_model)
        if pipe is not None:
            yield from stream_local(pipe, messages)
            return
        for chunk in self.chat_model.stream(messages):
            yield chunk.content if isinstance(chunk.content, str) else str(chunk.content)

    def stream(
        self,
        item_id: str,
        links: Sequence[EvidenceLink],
        history: Sequence[str] = (),
        message: str = "",
        wish=None,
    ) -> Iterator[str | Justification]:
        """Yield checked sentences as the model writes them, then the final Justification.

        A sentence is shown only after it passed the check; the first failing sentence ends
        the stream. If no sentence passed, a trained writer with ``samples`` writes it again
        (not streamed); else, or if that fails too, the evidence sentence is shown.
        """
        note = self.explain(item_id, links, wish).sentence
        messages = self.messages(item_id, links, history, message, wish)
        gate = self._sentences((item_id, links, history, message, wish))
        pieces = self._pieces(messages)
        try:
            for piece in pieces:
                yield from gate.feed(piece)
                if gate.refused:
                    break
            else:
                yield from gate.finish()
        except Exception as exc:  # a remote model may fail mid-stream; keep what passed
            gate.problems = [f"generation failed: {exc}"]
        finally:
            pieces.close()  # a local model stops generating here, whatever happened
        again = None if gate.emitted else self._resample([gate.job], [messages], [note])[0]
        yield from self._final(gate, note, again)

    def _sentences(self, job: tuple) -> Sentences:
        """The sentence gate of one reason: each sentence checked as :meth:`_problems` does."""
        item_id, links, history, _, wish = job

        def check(sentence: str, first: bool) -> list[str]:
            return self._problems(sentence, item_id, history, links, wish, first)

        return Sentences(job, self._names(item_id, links, history), check)

    def _final(
        self, gate: Sentences, note: str, again: Justification | None = None
    ) -> Iterator[str | Justification]:
        """A streamed reason's end: the Justification of what passed; where nothing did, the
        text written again (``again``) or the evidence sentence, then its Justification."""
        if gate.emitted:
            text = " ".join(gate.emitted)
            yield Justification(text, "llm" if self._own(text, note) else "evidence", gate.problems)
            return
        if again is not None:
            again.problems = again.problems or gate.problems  # why the greedy text was refused
        yield again.text if again else note
        yield again or Justification(note, "evidence", gate.problems)
