"""Training losses, one object per reranker read-out (plus the plain language-model loss).

A new read-out is one :class:`Loss` subclass here plus one line in ``LOSSES``; its ``readout``
names the reranker (:data:`crossrec.finetune.rerank.READOUTS`) the trained adapter serves.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crossrec.finetune.rerank import candidate_logits, last_logits, left_pad

if TYPE_CHECKING:
    from crossrec.finetune.train import Encoded

__all__ = ["LOSSES", "LabelLoss", "LineLoss", "LMLoss", "Loss"]


class Loss(ABC):
    """Mean loss of a batch of encoded examples."""

    readout = "label"  # the read-out the trained adapter is meant for

    @abstractmethod
    def __call__(self, model, batch: Sequence[Encoded], pad_id: int, verbalizer_id: int): ...


class _CandidateLoss(Loss):
    """Cross-entropy over the candidates of each prompt, by one read-out of one forward pass."""

    def __call__(self, model, batch, pad_id, verbalizer_id):
        import torch
        from torch.nn.functional import cross_entropy

        pairs = candidate_logits(model, [e.prompt for e in batch], pad_id, verbalizer_id)
        device = pairs[0][0].device
        losses = [
            cross_entropy(self.pick(line, label)[None], torch.tensor([e.label], device=device))
            for (line, label), e in zip(pairs, batch, strict=True)
        ]
        return torch.stack(losses).mean()

    @abstractmethod
    def pick(self, line_logits, label_logits): ...


class LineLoss(_CandidateLoss):
    """Over the candidates' line read-outs (the shipped reranker)."""

    readout = "line"

    def pick(self, line_logits, label_logits):
        return line_logits


class LabelLoss(_CandidateLoss):
    """Over the label tokens at the answer position (LlamaRec)."""

    readout = "label"

    def pick(self, line_logits, label_logits):
        return label_logits


class LMLoss(Loss):
    """Plain language-model loss on the answer tokens (label and justification)."""

    readout = "label"

    def __call__(self, model, batch, pad_id, verbalizer_id):
        import torch
        from torch.nn.functional import cross_entropy

        sequences = [e.prompt.ids + e.answer for e in batch]
        input_ids, mask, positions = left_pad(sequences, pad_id)
        device = next(model.parameters()).device
        keep = max(len(e.answer) for e in batch) + 1
        logits = last_logits(
            model, input_ids.to(device), mask.to(device), positions.to(device), keep=keep
        ).float()
        targets = torch.full((len(batch), keep - 1), -100, dtype=torch.long)
        for row, e in enumerate(batch):
            targets[row, keep - 1 - len(e.answer) :] = torch.tensor(e.answer)
        return cross_entropy(
            logits[:, :-1].reshape(-1, logits.shape[-1]),
            targets.to(device).reshape(-1),
            ignore_index=-100,
        )


LOSSES: dict[str, Loss] = {"line": LineLoss(), "label": LabelLoss(), "lm": LMLoss()}
