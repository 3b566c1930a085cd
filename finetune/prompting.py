"""The reranker prompt: a user's history, the dialog so far and K labelled candidates.

Templates are package data (``prompts/rerank.yaml``). Every piece of catalog or user text is
cleaned (control characters, newlines) and cut to a budget before it enters a prompt, so a
title cannot break the layout, and long inputs cannot crowd out the candidates.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml
from crossrec.retrieval import Catalog, EvidenceFinder, EvidenceLink

log = logging.getLogger(__name__)

__all__ = [
    "cut_to_tokens",
    "LABELS",
    "PromptBuilder",
    "PromptEncoding",
    "PromptLimits",
    "RerankInput",
    "build_rerank_input",
    "clean_text",
    "load_template",
]

LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_SPECIAL = re.compile(r"<\|[^|<>]{0,40}\|>|<\|?/?s\|?>|\[/?INST\]")  # chat-template control tokens


def clean_text(text: str, max_words: int) -> str:
    """One line of at most ``max_words`` words, with chat control tokens ("<|im_end|>") removed."""
    return " ".join(_SPECIAL.sub(" ", _CONTROL.sub(" ", text)).split()[:max_words])


@cache
def load_template(name: str = "rerank") -> dict:
    """A prompt template shipped in ``crossrec.finetune/prompts``."""
    text = (
        resources.files("crossrec.finetune").joinpath("prompts", f"{name}.yaml").read_text("utf-8")
    )
    return yaml.safe_load(text)


@dataclass(frozen=True)
class RerankInput:
    """Everything the reranker sees for one decision."""

    candidates: tuple[str, ...]
    history: tuple[str, ...] = ()
    dialog: tuple[str, ...] = ()
    domain: str | None = None
    evidence: tuple[EvidenceLink | None, ...] = ()

    def __post_init__(self) -> None:
        if not self.candidates:
            raise ValueError("a rerank input needs at least one candidate")
        if len(self.candidates) > len(LABELS):
            raise ValueError(
                f"at most {len(LABELS)} candidates per prompt, got {len(self.candidates)}"
            )
        if len(set(self.candidates)) != len(self.candidates):
            raise ValueError("candidate ids must be unique")
        if self.evidence and len(self.evidence) != len(self.candidates):
            raise ValueError("evidence must have one entry per candidate")


def build_rerank_input(
    finder: EvidenceFinder,
    candidates: Sequence[str],
    history: Sequence[str] = (),
    facts: Sequence = (),
    dialog: Sequence[str] = (),
    domain=None,
) -> RerankInput:
    """What the reranker sees for one decision: the candidates, each with its strongest
    evidence link to the user's history or named facts. Serving, evaluation and training
    examples are all built here, so the three cannot drift apart."""
    evidence = tuple((finder.find(c, history, facts, limit=1) or [None])[0] for c in candidates)
    return RerankInput(
        candidates=tuple(candidates),
        history=tuple(history),
        dialog=tuple(dialog),
        domain=domain if isinstance(domain, str) else None,
        evidence=evidence,
    )


@dataclass(frozen=True)
class PromptEncoding:
    """A tokenised rerank prompt: ids, the last token of each candidate line, label token ids."""

    ids: list[int]
    line_positions: list[int]
    label_ids: list[int]


def cut_to_tokens(tokenizer, text: str, max_tokens: int) -> str:
    """A prefix of ``text`` (at a character boundary) of at most ``max_tokens`` tokens, cut at
    the first token past the budget. Byte-level tokens can split one character (an emoji, a
    CJK sign) into several, and a prefix can tokenize differently from the whole, so the cut
    is re-checked and shortened until it fits."""
    if max_tokens < 0:
        raise ValueError(f"max_tokens must be >= 0, got {max_tokens}")
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    offsets = enc["offset_mapping"]
    if len(offsets) <= max_tokens:
        return text
    cut = text[: offsets[max_tokens][0]].rstrip()
    while cut and len(tokenizer(cut, add_special_tokens=False)["input_ids"]) > max_tokens:
        cut = cut[:-1].rstrip()
    return cut


@dataclass
class PromptLimits:
    """Budgets of the parts of a prompt, in words and in tokens.

    Word budgets keep prompts short; token budgets bound them for any input: a word of emoji or
    CJK can be dozens of tokens, so every part is also cut to its tokens, and the whole prompt
    fits the model's window whatever the user types.
    """

    history_items: int = field(default=5, metadata={"help": "most recent history items shown"})
    title_words: int = field(default=6, metadata={"help": "words kept per title"})
    dialog_turns: int = field(default=4, metadata={"help": "most recent utterances shown"})
    utterance_words: int = field(default=40, metadata={"help": "words kept per utterance"})
    evidence_words: int = field(default=8, metadata={"help": "words of evidence per candidate"})
    title_tokens: int = field(default=24, metadata={"help": "tokens kept per title"})
    utterance_tokens: int = field(default=80, metadata={"help": "tokens kept per utterance"})
    evidence_tokens: int = field(default=24, metadata={"help": "tokens of evidence per candidate"})


class PromptBuilder:
    """Renders :class:`RerankInput` into chat text for one tokenizer."""

    def __init__(
        self,
        catalog: Catalog,
        tokenizer,
        limits: PromptLimits | None = None,
        template: dict | None = None,
    ):
        self.catalog = catalog
        self.tokenizer = tokenizer
        self.limits = limits or PromptLimits()
        self.template = template or load_template("rerank")
        self.label_ids = [self._single_token(label) for label in LABELS]
        self._cut_logged = False

    def _single_token(self, label: str) -> int:
        ids = self.tokenizer.encode(label, add_special_tokens=False)
        if len(ids) != 1:
            raise ValueError(
                f"label {label!r} is {len(ids)} tokens for this tokenizer; the verbalizer "
                "needs single-token labels"
            )
        return ids[0]

    def _cut(self, text: str, max_words: int, max_tokens: int) -> str:
        """``clean_text``, then at most ``max_tokens`` tokens of this tokenizer."""
        text = clean_text(text, max_words)
        cut = cut_to_tokens(self.tokenizer, text, max_tokens)
        if cut != text and not self._cut_logged:
            log.info("prompt text cut to %d tokens", max_tokens)
            self._cut_logged = True
        return cut

    def _title(self, item_id: str) -> str:
        lim = self.limits
        return self._cut(self.catalog[item_id].title, lim.title_words, lim.title_tokens)

    def user_message(self, inp: RerankInput) -> str:
        return self._user_message(inp)[0]

    def _user_message(self, inp: RerankInput) -> tuple[str, list[int]]:
        """The user turn and, for each candidate, the offset of its line's last character."""
        t, lim = self.template, self.limits
        lines: list[str] = []
        ends: list[int] = []
        history = [h for h in inp.history if h in self.catalog][-lim.history_items :]
        refs = {h: n for n, h in enumerate(history, start=1)}
        if history:
            lines.append(t["history_header"])
            lines += [
                t["history_line"].format(
                    number=n, title=self._title(h), domain=self.catalog[h].domain
                )
                for h, n in refs.items()
            ]
        dialog = inp.dialog[-lim.dialog_turns :]
        if dialog:
            first = (len(inp.dialog) - len(dialog)) % 2
            lines.append(t["dialog_header"])
            lines += [
                t["dialog_line"].format(
                    speaker=t["speakers"][(first + n) % 2],
                    text=self._cut(u, lim.utterance_words, lim.utterance_tokens),
                )
                for n, u in enumerate(dialog)
            ]
        domain = clean_text(inp.domain, 4) if inp.domain else None
        lines.append(t["request_domain"].format(domain=domain) if domain else t["request_any"])
        lines.append(t["candidates_header"])
        mixed = len({self.catalog[c].domain for c in inp.candidates}) > 1 or not domain
        for n, item_id in enumerate(inp.candidates):
            line = t["candidate_line"].format(label=LABELS[n], title=self._title(item_id))
            if mixed:
                line += t["candidate_domain"].format(domain=self.catalog[item_id].domain)
            link = inp.evidence[n] if inp.evidence else None
            if link is not None:
                line += t["candidate_evidence"].format(
                    evidence=self._cut(link.compact(refs), lim.evidence_words, lim.evidence_tokens)
                )
            lines.append(line)
            ends.append(sum(len(x) + 1 for x in lines) - 2)
        lines.append(t["answer"])
        return "\n".join(lines), ends

    def prompt(self, inp: RerankInput) -> str:
        """The full chat-formatted prompt, ending where the answer label goes."""
        return self._prompt(inp)[0]

    def _prompt(self, inp: RerankInput) -> tuple[str, list[int]]:
        user, ends = self._user_message(inp)
        messages = [
            {"role": "system", "content": self.template["system"]},
            {"role": "user", "content": user},
        ]
        text = self.tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=True
        )
        start = text.index(user)
        return text, [start + e for e in ends]

    def encode(self, inp: RerankInput) -> PromptEncoding:
        """Token ids of the prompt and the token position that ends each candidate's line."""
        text, ends = self._prompt(inp)
        try:
            enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        except NotImplementedError as exc:
            raise ValueError("the reranker needs a fast tokenizer (offset mapping)") from exc
        offsets = enc["offset_mapping"]
        positions, token = [], 0
        for end in ends:
            while token + 1 < len(offsets) and offsets[token + 1][0] <= end:
                token += 1
            positions.append(token)
        return PromptEncoding(list(enc["input_ids"]), positions, list(self.candidate_labels(inp)))

    def answer(self, label_index: int, justification: str = "") -> str:
        """The training target: the label, optionally a justification, then end of turn."""
        end = self.tokenizer.eos_token or ""
        text = LABELS[label_index] + (f"\n{clean_text(justification, 40)}" if justification else "")
        return text + end

    def candidate_labels(self, inp: RerankInput) -> Sequence[int]:
        return self.label_ids[: len(inp.candidates)]
