"""Distil the bundled MiniLM into a shallow document encoder for fast indexing.

Indexing spends nearly all its time embedding item documents, and MiniLM-L6's cost is its six
transformer layers. The student keeps the teacher's tokenizer, word embeddings (frozen) and
pooling, starts from a few of the teacher's layers, and is trained to reproduce the
teacher's normalised document vectors (cosine loss). Queries keep the full teacher, so the
student only has to land documents where the teacher would have put them
(:class:`crossrec.retrieval.index.student.DistilledEmbedder`).

Where a catalog has train-split dialogs, an optional ranking term (``rank_weight``) also
teaches the student what the teacher alone cannot: for each (dialog, recommended item) pair,
the item's student vector should outscore, under the teacher's query vector, the other
pairs' items and the teacher's own top-ranked wrong items (in-batch softmax with hard
negatives). Distillation keeps every other document where the teacher put it.

What is saved is only the student's own weights (no word embeddings, fp16) and a card, in
the cache (nothing ships in the repository; ``make student`` runs the recipe);
:func:`crossrec.retrieval.index.student.materialise_student` rebuilds the full model folder from
the bundled teacher on first use.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "DistillConfig",
    "RankingPairs",
    "build_student",
    "dialog_pairs",
    "distill",
    "student_vectors",
    "train_student",
    "training_texts",
]

log = logging.getLogger(__name__)


@dataclass
class DistillConfig:
    """How the student is built and trained."""

    layers: str = field(
        default="0,5", metadata={"help": "teacher layers the student starts from, comma-separated"}
    )
    epochs: int = field(default=2, metadata={"help": "passes over the training texts"})
    lr: float = field(default=2e-4, metadata={"help": "peak learning rate (AdamW, linear decay)"})
    warmup: float = field(default=0.05, metadata={"help": "share of steps spent warming up"})
    batch_size: int = field(default=64, metadata={"help": "texts per step"})
    max_seq_length: int = field(default=128, metadata={"help": "tokens per text"})
    valid_share: float = field(default=0.02, metadata={"help": "texts held out for validation"})
    rank_weight: float = field(
        default=0.0,
        metadata={"help": "weight of the ranking term on train-split dialog pairs (0: none)"},
    )
    rank_batch: int = field(default=16, metadata={"help": "dialog pairs per step"})
    temperature: float = field(default=0.05, metadata={"help": "softmax temperature of ranking"})
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.layer_ids:
            raise ValueError(f"layers must name at least one teacher layer, got {self.layers!r}")
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError("epochs and batch_size must be >= 1")
        if not 0 < self.valid_share < 0.5:
            raise ValueError(f"valid_share must be in (0, 0.5), got {self.valid_share}")
        if self.rank_weight < 0 or self.rank_batch < 2 or self.temperature <= 0:
            raise ValueError("rank_weight must be >= 0, rank_batch >= 2, temperature > 0")

    @property
    def layer_ids(self) -> tuple[int, ...]:
        return tuple(int(x) for x in str(self.layers).split(",") if x.strip())


@dataclass
class RankingPairs:
    """Train-split (query, item) pairs, all indices into the training texts.

    ``queries`` are the teacher's query vectors; ``positives[n]`` the documents recommended
    after query ``n``; ``negatives[n]`` the teacher's top-ranked other documents among
    ``documents`` (the candidates of validation recall); ``groups[n]`` the dialog of pair
    ``n``, so held-out pairs are whole dialogs (neighbouring turns share context).
    """

    queries: np.ndarray
    positives: list[list[int]]
    negatives: list[list[int]]
    documents: np.ndarray
    groups: list[str] | None = None

    @classmethod
    def mine(cls, queries, positives, documents, targets, hard: int = 10, groups=None):
        """Pairs whose hard negatives are the teacher's best-scored non-positive documents."""
        if not len(positives):
            raise ValueError("no ranking pairs to mine")
        documents = np.asarray(documents)
        scores = np.asarray(queries) @ np.asarray(targets)[documents].T
        top = np.argsort(-scores, axis=1)[:, : hard + max(map(len, positives), default=0)]
        negatives = []
        for row, pos in zip(top, map(set, positives), strict=True):
            negatives.append([int(documents[j]) for j in row if documents[j] not in pos][:hard])
        vectors = np.asarray(queries, np.float32)
        return cls(vectors, [list(p) for p in positives], negatives, documents, groups)

    def __len__(self) -> int:
        return len(self.positives)


def build_student(teacher_dir: Path, layers: Sequence[int]):
    """A BERT encoder with the teacher's embeddings and the chosen teacher layers, in order."""
    from transformers import AutoModel

    teacher = AutoModel.from_pretrained(teacher_dir, attn_implementation="eager")
    n = teacher.config.num_hidden_layers
    if any(not 0 <= i < n for i in layers) or list(layers) != sorted(set(layers)):
        raise ValueError(f"layers must be increasing teacher layers in 0..{n - 1}, got {layers}")
    teacher.encoder.layer = teacher.encoder.layer.__class__(
        [teacher.encoder.layer[i] for i in layers]
    )
    teacher.config.num_hidden_layers = len(layers)
    return teacher


def _mean_pool(hidden, mask):
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


def _batches(lengths: np.ndarray, batch_size: int, rng: random.Random) -> list[np.ndarray]:
    """Length-sorted batches in shuffled order: little padding, no fixed curriculum."""
    order = np.argsort(lengths + np.array([rng.random() for _ in lengths]), kind="stable")
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def student_vectors(model, tokenizer, texts: Sequence[str], max_len: int, batch: int = 128):
    """Normalised mean-pooled vectors of ``texts`` (for validation and tests)."""
    import torch

    out = np.zeros((len(texts), model.config.hidden_size), np.float32)
    order = np.argsort([len(t) for t in texts])
    model.eval()
    with torch.no_grad():
        for start in range(0, len(texts), batch):
            idx = order[start : start + batch]
            enc = tokenizer(
                [texts[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=max_len,
                return_tensors="pt",
            )
            pooled = _mean_pool(model(**enc).last_hidden_state, enc["attention_mask"])
            out[idx] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    return out


# long by design: one training loop; the distillation loss, the ranking term, the schedule
# and the validation read together (helpers would only pass the same dozen values around)
def train_student(
    model,
    tokenizer,
    texts: Sequence[str],
    targets: np.ndarray,
    config: DistillConfig,
    log_path: Path | None = None,
    progress: bool = True,
    pairs: RankingPairs | None = None,
) -> dict:
    """Train ``model`` in place so its document vectors match ``targets``; returns metrics.

    With ``pairs`` and ``config.rank_weight > 0`` the ranking term is added (module doc).
    Held-out texts stay out of both terms; held-out pairs measure dense recall@50.
    """
    import torch
    from tqdm.auto import tqdm

    if len(texts) != len(targets):
        raise ValueError(f"{len(texts)} texts but {len(targets)} target vectors")
    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    held = set(rng.sample(range(len(texts)), max(1, int(len(texts) * config.valid_share))))
    train_idx = np.array([i for i in range(len(texts)) if i not in held])
    valid_idx = np.array(sorted(held))
    enc = tokenizer(list(texts), truncation=True, max_length=config.max_seq_length, padding=False)[
        "input_ids"
    ]
    lengths = np.array([len(enc[i]) for i in train_idx])
    model.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.01)
    steps = config.epochs * math.ceil(len(train_idx) / config.batch_size)
    warm = max(1, int(steps * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    target_t = torch.from_numpy(np.asarray(targets, np.float32))
    pad = tokenizer.pad_token_id or 0

    ranking = _Ranking(pairs, held, config, rng) if pairs and config.rank_weight > 0 else None

    def encode(rows) -> torch.Tensor:
        width = max(len(enc[i]) for i in rows)
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, i in enumerate(rows):
            ids[r, : len(enc[i])] = torch.tensor(enc[i])
            mask[r, : len(enc[i])] = 1
        pooled = _mean_pool(model(input_ids=ids, attention_mask=mask).last_hidden_state, mask)
        return torch.nn.functional.normalize(pooled, dim=-1)

    def validate(tag: str) -> None:
        got = student_vectors(
            model, tokenizer, [texts[i] for i in valid_idx], config.max_seq_length
        )
        history[f"valid_cosine_{tag}"] = float((got * np.asarray(targets)[valid_idx]).sum(1).mean())
        if ranking:
            history[f"valid_pair_recall@50_{tag}"] = ranking.recall(
                student_vectors(model, tokenizer, ranking.texts(texts), config.max_seq_length)
            )

    logf = log_path.open("a") if log_path else None
    history: dict = {}
    validate("start")
    step, start = 0, time.perf_counter()
    bar = tqdm(total=steps, desc="distilling", unit="step", disable=not progress)
    for epoch in range(config.epochs):
        model.train()
        for batch in _batches(lengths, config.batch_size, rng):
            rows = train_idx[batch]
            loss = (1 - (encode(rows) * target_t[rows]).sum(-1)).mean()
            if ranking:
                queries, documents, labels, mask = ranking.batch()
                logits = queries @ encode(documents).T / config.temperature
                rank_loss = torch.nn.functional.cross_entropy(
                    logits.masked_fill(mask, -1e4), labels
                )
                loss = loss + config.rank_weight * rank_loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            bar.update(1)
            if logf and (step % 50 == 0 or step == steps):
                row = {"step": step, "epoch": epoch, "loss": round(loss.item(), 5)}
                logf.write(json.dumps(row) + "\n")
                logf.flush()
        validate(f"epoch{epoch + 1}")
        log.info("epoch %d: %s", epoch + 1, {k: v for k, v in history.items() if "epoch" in k})
    bar.close()
    if logf:
        logf.close()
    history.update(
        steps=step,
        seconds=round(time.perf_counter() - start, 1),
        train_texts=len(train_idx),
        valid_texts=len(valid_idx),
    )
    if ranking:
        history.update(train_pairs=len(ranking.train), valid_pairs=len(ranking.valid))
    return history


class _Ranking:
    """Batches of the ranking term: each pair's positive and one hard negative, in-batch."""

    def __init__(self, pairs: RankingPairs, held: set[int], config: DistillConfig, rng):
        import torch

        self.pairs, self.config, self.rng = pairs, config, rng
        groups = pairs.groups or [str(n) for n in range(len(pairs))]
        members: dict[str, list[int]] = {}
        for n, group in enumerate(groups):
            members.setdefault(group, []).append(n)
        names = sorted(members)
        rng.shuffle(names)
        self.valid, wanted = [], max(1, int(len(pairs) * config.valid_share))
        while len(self.valid) < wanted:
            self.valid += members[names.pop()]
        # whole dialogs are held out; pairs touching held-out texts stay out of training too
        order = [n for name in names for n in members[name]]
        self.train = [n for n in order if not held.intersection(pairs.positives[n])]
        if not self.train:
            raise ValueError("no ranking pairs left for training")
        self.negatives = [[j for j in negs if j not in held] for negs in pairs.negatives]
        self.queries = torch.from_numpy(pairs.queries)
        self.cursor = len(self.train)

    def batch(self):
        import torch

        size = min(self.config.rank_batch, len(self.train))
        if self.cursor + size > len(self.train):
            self.rng.shuffle(self.train)
            self.cursor = 0
        rows = self.train[self.cursor : self.cursor + size]
        self.cursor += size
        positives = [self.rng.choice(self.pairs.positives[n]) for n in rows]
        negatives = [self.rng.choice(self.negatives[n] or positives) for n in rows]
        documents = positives + negatives
        mask = torch.tensor(
            [
                [j in self.pairs.positives[n] and b != a for b, j in enumerate(documents)]
                for a, n in enumerate(rows)
            ]
        )  # another pair's positive that is also this pair's is not a negative
        return self.queries[rows], documents, torch.arange(len(rows)), mask

    def texts(self, texts: Sequence[str]) -> list[str]:
        return [texts[j] for j in self.pairs.documents]

    def recall(self, vectors: np.ndarray, k: int = 50) -> float:
        """Share of held-out pairs with a positive among the top ``k`` of ``documents``."""
        scores = self.pairs.queries[self.valid] @ vectors.T
        top = np.argsort(-scores, axis=1)[:, :k]
        return float(
            np.mean(
                [
                    bool(set(self.pairs.documents[row]).intersection(self.pairs.positives[n]))
                    for row, n in zip(top, self.valid, strict=True)
                ]
            )
        )


def training_texts(datasets: Sequence, dialog_texts: int, seed: int = 0) -> dict[str, list[str]]:
    """Item documents of every dataset, plus up to ``dialog_texts`` train-split utterances each.

    Only train splits are read, so validation and test dialogs stay unseen.
    """
    groups: dict[str, list[str]] = {}
    for dataset in datasets:
        groups[f"{dataset.name} documents"] = [item.document() for item in dataset.catalog]
        turns = dataset.turns.get("train", ())
        utterances = sorted({u for t in turns for u in (*t.context, t.reference) if u})
        if utterances and dialog_texts > 0:
            picked = random.Random(seed).sample(utterances, min(dialog_texts, len(utterances)))
            groups[f"{dataset.name} train utterances"] = picked
    return groups


def dialog_pairs(dataset) -> tuple[list[str], list[list[int]], list[str]]:
    """Query texts of the train split's recommendation turns, their targets' positions in the
    catalog (the order of ``training_texts``' documents) and their dialogs; empty without
    dialogs."""
    from crossrec.retrieval import EntityLinker, build_retrieval, decisions

    if not any(t.targets for t in dataset.turns.get("train", ())):
        return [], [], []
    position = {item.id: n for n, item in enumerate(dataset.catalog)}
    linker = EntityLinker(dataset.catalog, build_retrieval(dataset, None).graph)
    queries, positives, groups = [], [], []
    for row in decisions(dataset, "train", linker):
        found = sorted({position[t] for t in row.targets if t in position})
        if found and row.text.strip():
            queries.append(row.text)
            positives.append(found)
            groups.append(f"{dataset.name}/{row.group}")
    return queries, positives, groups


def distill(
    teacher_dir: Path,
    texts: Sequence[str],
    targets: np.ndarray,
    config: DistillConfig,
    out_dir: Path,
    progress: bool = True,
    card: dict | None = None,
    pairs: RankingPairs | None = None,
) -> dict:
    """Build, train and save a student; returns its card (``card`` adds provenance)."""
    from crossrec.retrieval import save_student
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(teacher_dir)
    model = build_student(teacher_dir, config.layer_ids)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "train_log.jsonl").unlink(missing_ok=True)  # a rerun starts a fresh log
    metrics = train_student(
        model, tokenizer, texts, targets, config, out_dir / "train_log.jsonl", progress, pairs
    )
    card = {**(card or {}), "config": asdict(config), "metrics": metrics}
    save_student(model, out_dir, card)
    return card
