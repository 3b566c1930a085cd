"""SASRec (Kang & McAuley, 2018), the self-attentive next-item baseline for Amazon histories.

Items are the caller's integer positions ``0..num_items-1``; inside the model they are
shifted by one so that index 0 is padding. Sequences are right-padded: the oldest kept item
sits at position 0, so with the causal mask no real position ever attends to padding and no
attention row is fully masked. Training predicts the next item at every position with a
full softmax over the catalogue; the full-catalogue logits are materialised for at most
``logit_chunk`` positions at a time (the rest are recomputed in the backward pass), so a
catalogue of tens of thousands of items fits in a few hundred MB.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.checkpoint import checkpoint
from tqdm.auto import tqdm

__all__ = ["SASRec", "SASRecConfig", "SASRecRecommender"]

_FORMAT = 1


@dataclass
class SASRecConfig:
    """Shape and training settings of a SASRec model."""

    hidden: int = field(default=64, metadata={"help": "embedding and hidden size"})
    layers: int = field(default=2, metadata={"help": "self-attention blocks"})
    heads: int = field(default=2, metadata={"help": "attention heads (must divide hidden)"})
    max_len: int = field(default=50, metadata={"help": "most recent items the model reads"})
    dropout: float = field(default=0.2, metadata={"help": "dropout on embeddings and blocks"})
    epochs: int = field(default=20, metadata={"help": "most passes over the training sequences"})
    patience: int = field(
        default=3,
        metadata={"help": "with validation pairs: epochs without a better recall@10 before stop"},
    )
    batch_size: int = field(default=128, metadata={"help": "sequence windows per update"})
    lr: float = field(default=1e-3, metadata={"help": "Adam learning rate"})
    seed: int = field(default=0, metadata={"help": "seed for initialisation, shuffling, dropout"})
    device: str = field(default="cpu", metadata={"help": "torch device, e.g. cpu or cuda"})
    logit_chunk: int = field(
        default=2048,
        metadata={"help": "positions whose full-catalogue logits are held in memory at once"},
    )

    def __post_init__(self) -> None:
        names = ("hidden", "layers", "heads", "max_len", "epochs", "batch_size", "logit_chunk")
        for name in (*names, "patience"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        if self.hidden % self.heads:
            raise ValueError(f"heads ({self.heads}) must divide hidden ({self.hidden})")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a positive number, got {self.lr}")
        try:
            torch.device(self.device)
        except (RuntimeError, TypeError) as error:
            raise ValueError(f"device {self.device!r} is not a torch device: {error}") from None

    def to_dict(self) -> dict[str, Any]:
        """Plain values, for JSON/YAML and checkpoints."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SASRecConfig:
        """The config saved by :meth:`to_dict`; unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown SASRecConfig keys {unknown}; known: {sorted(known)}")
        return cls(**data)


class SASRec(nn.Module):
    """Item and position embeddings, causal pre-norm transformer blocks, dot-product output."""

    def __init__(self, num_items: int, config: SASRecConfig) -> None:
        super().__init__()
        if num_items < 1:
            raise ValueError(f"num_items must be >= 1, got {num_items}")
        self.num_items = num_items
        self.config = config
        self.item_embedding = nn.Embedding(num_items + 1, config.hidden, padding_idx=0)
        self.position_embedding = nn.Embedding(config.max_len, config.hidden)
        self.dropout = nn.Dropout(config.dropout)
        block = nn.TransformerEncoderLayer(
            d_model=config.hidden,
            nhead=config.heads,
            dim_feedforward=config.hidden,
            dropout=config.dropout,
            batch_first=True,
            norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(
            block, config.layers, norm=nn.LayerNorm(config.hidden), enable_nested_tensor=False
        )
        std = config.hidden**-0.5
        nn.init.normal_(self.item_embedding.weight, std=std)
        nn.init.normal_(self.position_embedding.weight, std=std)
        with torch.no_grad():
            self.item_embedding.weight[0].zero_()

    def forward(self, inputs: Tensor) -> Tensor:
        """Hidden states ``(batch, length, hidden)`` for right-padded internal ids."""
        length = inputs.shape[1]
        if length > self.config.max_len:
            raise ValueError(f"sequence length {length} exceeds max_len {self.config.max_len}")
        positions = torch.arange(length, device=inputs.device)
        x = self.item_embedding(inputs) * math.sqrt(self.config.hidden)
        x = self.dropout(x + self.position_embedding(positions))
        causal = torch.ones(length, length, dtype=torch.bool, device=inputs.device).triu(1)
        return self.encoder(x, mask=causal, src_key_padding_mask=inputs == 0)

    def output_weight(self) -> Tensor:
        """Embeddings of the real items, ``(num_items, hidden)``; row ``i`` is item ``i``."""
        return self.item_embedding.weight[1:]

    def item_logits(self, hidden: Tensor) -> Tensor:
        """Scores of every item for each hidden state, ``(..., num_items)``."""
        return hidden @ self.output_weight().T


def _cross_entropy_sum(hidden: Tensor, weight: Tensor, targets: Tensor) -> Tensor:
    return F.cross_entropy(hidden @ weight.T, targets, reduction="sum")


def _chunked_cross_entropy(hidden: Tensor, weight: Tensor, targets: Tensor, chunk: int) -> Tensor:
    """Summed full-softmax cross-entropy, holding at most ``chunk`` rows of logits at once."""
    if hidden.shape[0] <= chunk:
        return _cross_entropy_sum(hidden, weight, targets)
    total = hidden.new_zeros(())
    for start in range(0, hidden.shape[0], chunk):
        rows = slice(start, start + chunk)
        part = checkpoint(
            _cross_entropy_sum, hidden[rows], weight, targets[rows], use_reentrant=False
        )
        total = total + part
    return total


class SASRecRecommender:
    """Trains a :class:`SASRec` on item sequences and scores the next item for a history."""

    def __init__(self, num_items: int, config: SASRecConfig | None = None) -> None:
        if isinstance(num_items, bool) or not isinstance(num_items, int) or num_items < 1:
            raise ValueError(f"num_items must be an integer >= 1, got {num_items!r}")
        self.num_items = num_items
        self.config = config or SASRecConfig()
        self.model: SASRec | None = None
        self.training: dict[str, Any] = {}  # what fit() reported, without the loss curve

    def _encode(self, sequence: Sequence[int], where: str) -> np.ndarray:
        """Internal ids (+1) of a caller sequence, after checking the range."""
        items = np.asarray(sequence, dtype=np.int64).reshape(-1)
        if items.size and (items.min() < 0 or items.max() >= self.num_items):
            bad = items[(items < 0) | (items >= self.num_items)][0]
            raise ValueError(f"{where} has item {bad} outside 0..{self.num_items - 1}")
        return items + 1

    def _windows(self, sequences: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Right-padded ``(inputs, targets)`` training windows covering every transition.

        A sequence longer than ``max_len + 1`` is cut, from its end, into windows that
        overlap by one item, so each transition is trained on exactly once.
        """
        length = self.config.max_len
        windows: list[np.ndarray] = []
        for index, sequence in enumerate(sequences):
            items = self._encode(sequence, f"sequence {index}")
            end = len(items)
            while end >= 2:
                start = max(0, end - length - 1)
                windows.append(items[start:end])
                end = start + 1
        if not windows:
            raise ValueError("no sequence has two or more items; there is nothing to train on")
        inputs = np.zeros((len(windows), length), dtype=np.int64)
        targets = np.zeros((len(windows), length), dtype=np.int64)
        for row, window in enumerate(windows):
            inputs[row, : len(window) - 1] = window[:-1]
            targets[row, : len(window) - 1] = window[1:]
        return inputs, targets

    def fit(
        self,
        sequences: Sequence[Sequence[int]],
        progress: bool = False,
        valid: Sequence[tuple[Sequence[int], int]] = (),
    ) -> dict[str, Any]:
        """Train a fresh model on next-item prediction at every position of ``sequences``
        (item histories in time order, items in ``0..num_items-1``).

        With ``valid`` (history, next item) pairs, recall@10 on them is measured after every
        epoch; training stops after ``config.patience`` epochs without a better one, and the
        model keeps its best epoch's weights. Deterministic for a given ``config.seed``, device
        and thread count; the global torch RNG state is restored afterwards.

        Returns ``loss`` (mean cross-entropy per target, per epoch), ``seconds``, ``windows``
        (training rows), ``transitions`` (targets per epoch) and, with ``valid``,
        ``valid_recall@10`` per epoch and ``best_epoch`` (1-based).
        """
        config = self.config
        inputs, targets = self._windows(sequences)
        device = torch.device(config.device)
        forked = [device] if device.type == "cuda" else []
        began = time.perf_counter()
        losses: list[float] = []
        curve: list[float] = []
        best: tuple[float, int, dict] | None = None
        with torch.random.fork_rng(devices=forked):
            torch.manual_seed(config.seed)
            model = SASRec(self.num_items, config).to(device)
            optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, betas=(0.9, 0.98))
            order_rng = np.random.default_rng(config.seed)
            model.train()
            for _ in tqdm(range(config.epochs), desc="SASRec", unit="epoch", disable=not progress):
                order = order_rng.permutation(len(inputs))
                losses.append(self._epoch(model, optimizer, inputs[order], targets[order]))
                if not valid:
                    continue
                self.model = model.eval()
                curve.append(self._recall_at_10(valid))
                model.train()
                if best is None or curve[-1] > best[0]:
                    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
                    best = (curve[-1], len(curve), state)
                elif len(curve) - best[1] >= config.patience:
                    break
        if best is not None:
            model.load_state_dict(best[2])
        self.model = model.eval()
        report = {
            "loss": losses,
            "seconds": time.perf_counter() - began,
            "windows": len(inputs),
            "transitions": int((targets > 0).sum()),
        }
        if best is not None:
            report.update({"valid_recall@10": curve, "best_epoch": best[1]})
        self.training = {k: v for k, v in report.items() if k != "loss"}
        return report

    def _epoch(self, model: SASRec, optimizer, inputs: np.ndarray, targets: np.ndarray) -> float:
        """One pass over the (shuffled) windows; the mean cross-entropy per target."""
        config, device = self.config, next(model.parameters()).device
        total, count = 0.0, 0
        for start in range(0, len(inputs), config.batch_size):
            x = torch.from_numpy(inputs[start : start + config.batch_size]).to(device)
            y = torch.from_numpy(targets[start : start + config.batch_size]).to(device)
            keep = y > 0
            hidden = model(x)[keep]
            loss_sum = _chunked_cross_entropy(
                hidden, model.output_weight(), y[keep] - 1, config.logit_chunk
            )
            n = int(keep.sum())
            optimizer.zero_grad(set_to_none=True)
            (loss_sum / n).backward()
            optimizer.step()
            total += float(loss_sum.detach())
            count += n
        return total / count

    def _recall_at_10(self, pairs: Sequence[tuple[Sequence[int], int]]) -> float:
        """Share of (history, next item) pairs whose item is in the top 10 of the history."""
        pairs = [(h, t) for h, t in pairs if len(h)]
        if not pairs:
            return 0.0
        scores = self.batch_scores([h for h, _ in pairs])
        top = np.argpartition(-scores, min(10, scores.shape[1] - 1), axis=1)[:, :10]
        return float(np.mean([t in row for (_, t), row in zip(pairs, top, strict=True)]))

    def _require_model(self) -> SASRec:
        if self.model is None:
            raise RuntimeError("the SASRec model is not trained; call fit() or load() first")
        return self.model

    def scores(self, history: Sequence[int]) -> np.ndarray:
        """Next-item scores ``(num_items,)`` for one non-empty history, oldest item first."""
        return self.batch_scores([history])[0]

    def batch_scores(self, histories: Sequence[Sequence[int]]) -> np.ndarray:
        """Next-item scores ``(len(histories), num_items)``, ``config.batch_size`` at a time.

        Only the most recent ``max_len`` items of a history are read.

        Raises:
            ValueError: If a history is empty or holds an item outside ``0..num_items-1``.
        """
        model = self._require_model()
        device = next(model.parameters()).device
        encoded = []
        for index, history in enumerate(histories):
            items = self._encode(history, f"history {index}")[-self.config.max_len :]
            if items.size == 0:
                raise ValueError(f"history {index} is empty; SASRec needs at least one item")
            encoded.append(items)
        out = np.zeros((len(encoded), self.num_items), dtype=np.float32)
        step = self.config.batch_size
        with torch.inference_mode():
            for start in range(0, len(encoded), step):
                chunk = encoded[start : start + step]
                lengths = torch.tensor([len(items) for items in chunk])
                x = torch.zeros((len(chunk), int(lengths.max())), dtype=torch.long)
                for row, items in enumerate(chunk):
                    x[row, : len(items)] = torch.from_numpy(items)
                hidden = model(x.to(device))
                last = hidden[torch.arange(len(chunk)), lengths.to(device) - 1]
                out[start : start + len(chunk)] = model.item_logits(last).float().cpu().numpy()
        return out

    def save(self, path: str | Path) -> None:
        """Write the config, catalogue size and weights to one ``torch.save`` file."""
        model = self._require_model()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {name: tensor.cpu() for name, tensor in model.state_dict().items()}
        blob = {
            "format": _FORMAT,
            "num_items": self.num_items,
            "config": self.config.to_dict(),
            "state_dict": state,
        }
        torch.save(blob, path)

    def load(self, path: str | Path) -> SASRecRecommender:
        """Replace this recommender's model with the one saved by :meth:`save`; returns self.

        The saved shape and training settings replace ``self.config``; the device stays this
        recommender's ``config.device``.

        Raises:
            ValueError: If the file is not a SASRec checkpoint or was trained for a catalogue
                of another size than ``num_items``.
        """
        blob = torch.load(Path(path), map_location="cpu", weights_only=True)
        if not isinstance(blob, dict) or blob.get("format") != _FORMAT:
            raise ValueError(f"{path} is not a SASRec checkpoint of format {_FORMAT}")
        if int(blob["num_items"]) != self.num_items:
            raise ValueError(
                f"{path} was trained on {blob['num_items']} items but this recommender has "
                f"{self.num_items}; retrain it or delete the stale file"
            )
        config = replace(SASRecConfig.from_dict(blob["config"]), device=self.config.device)
        model = SASRec(self.num_items, config)
        model.load_state_dict(blob["state_dict"])
        self.config = config
        self.model = model.to(torch.device(config.device)).eval()
        return self

    @classmethod
    def from_file(cls, path: str | Path, device: str = "cpu") -> SASRecRecommender:
        """A recommender read from a file written by :meth:`save`, on ``device``."""
        blob = torch.load(Path(path), map_location="cpu", weights_only=True)
        if not isinstance(blob, dict) or "num_items" not in blob:
            raise ValueError(f"{path} is not a SASRec checkpoint of format {_FORMAT}")
        return cls(int(blob["num_items"]), SASRecConfig(device=device)).load(path)
