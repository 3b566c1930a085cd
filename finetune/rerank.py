"""Verbalizer reranking: one forward pass scores all K labelled candidates of a prompt.

Two read-outs of the same forward pass, both restricted to the given candidates, so the output
is always a permutation of catalog items whatever the prompt contains:

* ``label`` (as in LlamaRec): the next-token log-probabilities of the label tokens A..T at the
  answer position. The natural zero-shot formulation.
* ``line``: at the last token of each candidate's line, the logit of the verbalizer token
  ("Yes"): does this line fit the user described above it? Each candidate is judged with the
  history and dialog in view, still in one pass. A 135M model learns this read-out from a few
  hundred examples, where the label read-out, which must point back across 20 lines, stays at
  chance (measured; see DEVELOPERS.md), so the shipped adapter is trained for it.

Scores are log-softmax normalised over the candidates and can be fused with retrieval scores.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from crossrec.finetune.prompting import PromptBuilder, PromptEncoding, RerankInput

__all__ = [
    "MODES",
    "READOUTS",
    "VERBALIZER_TOKEN",
    "LabelReranker",
    "LineReranker",
    "NaiveReranker",
    "Reranker",
    "VerbalizerReranker",
    "make_reranker",
    "candidate_logits",
    "fuse_scores",
    "last_logits",
    "left_pad",
]

VERBALIZER_TOKEN = "Yes"


def left_pad(sequences: Sequence[Sequence[int]], pad_id: int):
    """(input_ids, attention_mask, position_ids), left-padded so every row ends at the last column."""
    import torch

    width = max(len(s) for s in sequences)
    input_ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        if seq:
            input_ids[row, width - len(seq) :] = torch.tensor(list(seq))
            mask[row, width - len(seq) :] = 1
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    return input_ids, mask, positions


def last_logits(model, input_ids, mask, positions, keep=1):
    """Logits of the kept positions only: the last ``keep`` (int) or the given column indices (tensor).

    The LM head then runs on a handful of positions instead of the whole sequence.
    """
    try:
        return model(
            input_ids=input_ids,
            attention_mask=mask,
            position_ids=positions,
            use_cache=False,
            logits_to_keep=keep,
        ).logits
    except TypeError:  # models without logits_to_keep
        logits = model(input_ids=input_ids, attention_mask=mask, position_ids=positions).logits
        return logits[:, -keep:] if isinstance(keep, int) else logits[:, keep]


def candidate_logits(model, encodings: Sequence[PromptEncoding], pad_id: int, verbalizer_id: int):
    """Per prompt: (line read-out logits, label read-out logits), from one batched forward pass."""
    import torch

    input_ids, mask, positions = left_pad([e.ids for e in encodings], pad_id)
    width = input_ids.shape[1]
    shifted = [[width - len(e.ids) + p for p in e.line_positions] for e in encodings]
    columns = sorted({c for row in shifted for c in row} | {width - 1})
    index = {c: n for n, c in enumerate(columns)}
    device = next(model.parameters()).device
    keep = torch.tensor(columns, device=device)
    logits = last_logits(
        model, input_ids.to(device), mask.to(device), positions.to(device), keep=keep
    )
    out = []
    for row, enc in enumerate(encodings):
        line = logits[row, [index[c] for c in shifted[row]], verbalizer_id].float()
        label = logits[row, index[width - 1], torch.tensor(enc.label_ids, device=device)].float()
        out.append((line, label))
    return out


class Reranker(ABC):
    """Scores the candidates of each reranker input (higher is better); never adds any."""

    @abstractmethod
    def score(self, inputs: Sequence[RerankInput]) -> list[np.ndarray]:
        """Per input, one score per candidate, in the input's candidate order."""

    def rank(self, inp: RerankInput) -> list[tuple[str, float]]:
        """Candidates of ``inp`` with their scores, best first."""
        scores = self.score([inp])[0]
        order = np.argsort(-scores, kind="stable")
        return [(inp.candidates[n], float(scores[n])) for n in order]


class VerbalizerReranker(Reranker):
    """Scores the K candidates of each prompt with one forward pass per prompt (batched).

    A subclass is one read-out of that pass (:meth:`pick`); register it in ``READOUTS``.
    """

    readout = ""

    def __init__(
        self,
        model,
        tokenizer,
        builder: PromptBuilder,
        batch_size: int = 4,
        max_length: int = 2048,
    ):
        self.model = model
        self.tokenizer = tokenizer
        self.builder = builder
        self.batch_size = batch_size
        self.max_length = max_length
        ids = tokenizer.encode(VERBALIZER_TOKEN, add_special_tokens=False)
        self.verbalizer_id = ids[0]

    @property
    def mode(self) -> str:
        return self.readout

    @abstractmethod
    def pick(self, line_logits, label_logits):
        """The candidates' logits this read-out scores by (one value per candidate)."""

    def encode(self, inp: RerankInput) -> PromptEncoding:
        enc = self.builder.encode(inp)
        if len(enc.ids) > self.max_length:
            raise ValueError(
                f"rerank prompt of {len(enc.ids)} tokens exceeds max_length={self.max_length}; "
                "lower the prompt limits or the number of candidates"
            )
        return enc

    def score(self, inputs: Sequence[RerankInput]) -> list[np.ndarray]:
        """Per input, log-probabilities of its candidates (normalised over the candidates)."""
        import torch

        out: list[np.ndarray] = []
        for start in range(0, len(inputs), self.batch_size):
            encodings = [self.encode(i) for i in inputs[start : start + self.batch_size]]
            with torch.inference_mode():
                pairs = candidate_logits(
                    self.model, encodings, self.tokenizer.pad_token_id, self.verbalizer_id
                )
            for line, label in pairs:
                out.append(torch.log_softmax(self.pick(line, label), dim=-1).cpu().numpy())
        return out


class LineReranker(VerbalizerReranker):
    """At the last token of each candidate's line, the logit of "Yes": does this line fit?"""

    readout = "line"

    def pick(self, line_logits, label_logits):
        return line_logits


class LabelReranker(VerbalizerReranker):
    """At the answer position, the next-token logits of the labels A..T (as in LlamaRec)."""

    readout = "label"

    def pick(self, line_logits, label_logits):
        return label_logits


# one line per read-out: the name adapters, recipes and --mode options use
READOUTS: dict[str, type[VerbalizerReranker]] = {"line": LineReranker, "label": LabelReranker}
MODES = tuple(READOUTS)


def make_reranker(
    mode: str, model, tokenizer, builder: PromptBuilder, **kwargs
) -> VerbalizerReranker:
    """The reranker of read-out ``mode`` (``line`` or ``label``)."""
    if mode not in READOUTS:
        raise ValueError(f"unknown rerank mode {mode!r}; choose from {MODES}")
    return READOUTS[mode](model, tokenizer, builder, **kwargs)


class NaiveReranker(Reranker):
    """The slow baseline: one forward pass per candidate, scored by P("Yes"). For benchmarks."""

    def __init__(self, model, tokenizer, builder: PromptBuilder):
        self.model = model
        self.tokenizer = tokenizer
        self.builder = builder
        self.yes = tokenizer.encode(VERBALIZER_TOKEN, add_special_tokens=False)[0]

    def score(self, inputs: Sequence[RerankInput]) -> list[np.ndarray]:
        return [self._score(inp) for inp in inputs]

    def _score(self, inp: RerankInput) -> np.ndarray:
        import torch

        device = next(self.model.parameters()).device
        scores = []
        for item_id in inp.candidates:
            single = RerankInput(
                candidates=(item_id,), history=inp.history, dialog=inp.dialog, domain=inp.domain
            )
            text = self.builder.prompt(single).replace(
                self.builder.template["answer"], "Will the user like it? Answer Yes or No."
            )
            ids = self.tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
            with torch.inference_mode():
                logits = last_logits(
                    self.model,
                    ids.to(device),
                    torch.ones_like(ids).to(device),
                    torch.arange(ids.shape[1])[None].to(device),
                )[0, -1].float()
            scores.append(float(torch.log_softmax(logits, -1)[self.yes]))
        return np.array(scores)


def fuse_scores(llm_scores: np.ndarray, weight: float) -> np.ndarray:
    """LLM log-probabilities plus ``weight`` x a retrieval-rank prior, -log(1 + rank).

    Candidates are given in retrieval order, so position n has rank n. ``weight`` 0 keeps the
    pure LLM order; a large weight keeps the retrieval order.
    """
    ranks = np.arange(len(llm_scores))
    return np.asarray(llm_scores) - weight * np.log1p(ranks)
