"""Verbalizer reranking (as in LlamaRec): one forward pass scores all K labelled candidates.

The score of candidate ``k`` is the log-probability of its label token at the answer
position, renormalised over the K labels. The output is therefore always a permutation of the
given catalog items, whatever the prompt contains. Works with a base model (zero-shot) or a
model with a LoRA adapter; scores can be fused with retrieval scores.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from crossrec.finetune.prompting import PromptBuilder, RerankInput

__all__ = ["NaiveReranker", "VerbalizerReranker", "fuse_scores", "last_logits", "left_pad"]


def left_pad(sequences: Sequence[Sequence[int]], pad_id: int):
    """(input_ids, attention_mask, position_ids), left-padded so every row ends at the last column."""
    import torch

    width = max(len(s) for s in sequences)
    input_ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        if seq:
            input_ids[row, width - len(seq):] = torch.tensor(list(seq))
            mask[row, width - len(seq):] = 1
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    return input_ids, mask, positions


def last_logits(model, input_ids, mask, positions, keep: int = 1):
    """Logits of the last ``keep`` positions only (skips the LM head elsewhere when supported)."""
    try:
        return model(input_ids=input_ids, attention_mask=mask, position_ids=positions,
                     use_cache=False, logits_to_keep=keep).logits
    except TypeError:  # models without logits_to_keep
        return model(input_ids=input_ids, attention_mask=mask, position_ids=positions).logits[:, -keep:]


class VerbalizerReranker:
    """Label-token log-probabilities from one causal-LM forward pass per prompt."""

    def __init__(self, model, tokenizer, builder: PromptBuilder, batch_size: int = 4,
                 max_length: int = 2048):
        self.model = model
        self.tokenizer = tokenizer
        self.builder = builder
        self.batch_size = batch_size
        self.max_length = max_length

    def _encode(self, prompts: Sequence[str]):
        ids = [self.tokenizer(p, add_special_tokens=False)["input_ids"] for p in prompts]
        too_long = [len(i) for i in ids if len(i) > self.max_length]
        if too_long:
            raise ValueError(f"rerank prompt of {too_long[0]} tokens exceeds max_length={self.max_length}; "
                             "lower the prompt limits or the number of candidates")
        return left_pad(ids, self.tokenizer.pad_token_id)

    def score(self, inputs: Sequence[RerankInput]) -> list[np.ndarray]:
        """Per input, log-probabilities of its candidates (renormalised over the labels)."""
        import torch

        out: list[np.ndarray] = []
        device = next(self.model.parameters()).device
        for start in range(0, len(inputs), self.batch_size):
            batch = inputs[start:start + self.batch_size]
            input_ids, mask, positions = self._encode([self.builder.prompt(i) for i in batch])
            with torch.inference_mode():
                logits = last_logits(self.model, input_ids.to(device), mask.to(device), positions.to(device))
            for row, inp in enumerate(batch):
                labels = torch.tensor(self.builder.candidate_labels(inp), device=device)
                out.append(torch.log_softmax(logits[row, -1, labels].float(), dim=-1).cpu().numpy())
        return out

    def rank(self, inp: RerankInput) -> list[tuple[str, float]]:
        """Candidates of ``inp`` with their scores, best first."""
        scores = self.score([inp])[0]
        order = np.argsort(-scores, kind="stable")
        return [(inp.candidates[n], float(scores[n])) for n in order]


class NaiveReranker:
    """The slow baseline: one forward pass per candidate, scored by P("Yes"). For benchmarks."""

    def __init__(self, model, tokenizer, builder: PromptBuilder):
        self.model = model
        self.tokenizer = tokenizer
        self.builder = builder
        self.yes = tokenizer.encode("Yes", add_special_tokens=False)[0]

    def score(self, inp: RerankInput) -> np.ndarray:
        import torch

        device = next(self.model.parameters()).device
        scores = []
        for item_id in inp.candidates:
            single = RerankInput(candidates=(item_id,), history=inp.history, dialog=inp.dialog,
                                 domain=inp.domain)
            text = self.builder.prompt(single).replace(
                self.builder.template["answer"], "Will the user like it? Answer Yes or No.")
            ids = self.tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
            with torch.inference_mode():
                logits = last_logits(self.model, ids.to(device), torch.ones_like(ids).to(device),
                                     torch.arange(ids.shape[1])[None].to(device))[0, -1].float()
            scores.append(float(torch.log_softmax(logits, -1)[self.yes]))
        return np.array(scores)


def fuse_scores(llm_scores: np.ndarray, weight: float) -> np.ndarray:
    """LLM label log-probabilities plus ``weight`` x a retrieval-rank prior, -log(1 + rank).

    Candidates are given in retrieval order, so position n has rank n. ``weight`` 0 keeps the
    pure LLM order; a large weight keeps the retrieval order.
    """
    ranks = np.arange(len(llm_scores))
    return np.asarray(llm_scores) - weight * np.log1p(ranks)
