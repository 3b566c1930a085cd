"""The distilled document encoder: saved weights, their materialisation, the embedder.

``crossrec distill-embedder`` (see :mod:`crossrec.finetune.distill`) trains a shallow
student of the bundled MiniLM to reproduce the teacher's document vectors. What is saved is
the student's own weights in fp16 without the word-embedding matrix (the teacher's, frozen
during training) plus ``card.json``, by default under ``<cache>/embedders/<name>``, where
:func:`student_path` finds it by name (no weights ship in the repository).
:func:`materialise_student` rebuilds a complete sentence-transformers folder from the bundled
teacher once, in the cache, verified against the card's checksum of the teacher's word
embeddings.

:class:`DistilledEmbedder` embeds documents with the student and queries with the teacher,
so the vectors share the teacher's space: indexing gets faster and, for a student trained
with the ranking term, documents land where their train dialogs' queries find them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from crossrec.retrieval.index.embed import Embedder

__all__ = [
    "DEFAULT_STUDENT",
    "DistilledEmbedder",
    "materialise_student",
    "save_student",
    "student_path",
]

log = logging.getLogger(__name__)

DEFAULT_STUDENT = "minilm-l3-crossrec"
WEIGHTS = "student.safetensors"
CARD = "card.json"
_SHARED = "embeddings.word_embeddings.weight"


def student_path(choice: str, cache_dir: Path) -> Path:
    """A student folder: ``choice`` itself, or the one named ``choice`` under the cache."""
    for path in (Path(choice), Path(cache_dir) / "embedders" / choice):
        if (path / WEIGHTS).is_file():
            return path
    raise FileNotFoundError(
        f"no student embedder {choice!r} (neither a folder nor {Path(cache_dir) / 'embedders'}"
        f"/{choice}); train it with `make student` (crossrec distill-embedder --name {choice})"
        " or pass the folder a distill-embedder run wrote"
    )


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array, np.float32).tobytes()).hexdigest()[:16]


def save_student(model, out_dir: Path, card: dict) -> Path:
    """Save the student's own weights (fp16, no word embeddings) and its card to ``out_dir``."""
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    state = model.state_dict()
    shared = state[_SHARED].detach().cpu().numpy()
    own = {k: v.detach().half().contiguous() for k, v in state.items() if k != _SHARED}
    save_file(own, str(out_dir / WEIGHTS))
    card = {
        **card,
        "num_hidden_layers": model.config.num_hidden_layers,
        "word_embeddings_sha256": _digest(shared),
    }
    (out_dir / CARD).write_text(json.dumps(card, indent=2) + "\n")
    return out_dir


def materialise_student(student_dir: Path, teacher_dir: Path, cache_dir: Path) -> Path:
    """A full sentence-transformers folder for the student, built once under ``cache_dir``."""
    card = json.loads((student_dir / CARD).read_text())
    weights = student_dir / WEIGHTS
    tag = hashlib.sha256(weights.read_bytes()).hexdigest()[:12]
    target = cache_dir / f"{student_dir.name}-{tag}"
    if (target / "model.safetensors").is_file():
        return target
    import torch
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModel

    log.info("materialising the student embedder %s into %s (once)", student_dir.name, target)
    config = AutoConfig.from_pretrained(teacher_dir)
    config.num_hidden_layers = int(card["num_hidden_layers"])
    teacher = AutoModel.from_pretrained(teacher_dir)
    shared = teacher.embeddings.word_embeddings.weight.detach()
    if _digest(shared.numpy()) != card["word_embeddings_sha256"]:
        raise ValueError(
            f"the student {student_dir} was distilled from another teacher than {teacher_dir} "
            "(word embeddings differ); distil it again with crossrec distill-embedder"
        )
    model = AutoModel.from_config(config)
    state = {k: v.float() for k, v in load_file(str(weights)).items()}
    state[_SHARED] = shared
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or [k for k in missing if "position_ids" not in k]:
        raise ValueError(f"student weights do not fit: missing {missing}, unexpected {unexpected}")
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(
        teacher_dir, partial, ignore=shutil.ignore_patterns("model.safetensors", "*.onnx", "onnx")
    )
    with torch.no_grad():
        model.save_pretrained(partial)
    (partial / CARD).write_text(json.dumps(card, indent=2) + "\n")
    try:
        partial.rename(target)
    except OSError:  # another process finished first
        shutil.rmtree(partial, ignore_errors=True)
        if not (target / "model.safetensors").is_file():
            raise
    return target


class DistilledEmbedder(Embedder):
    """Documents through the distilled student, queries through the full teacher."""

    def __init__(self, documents: Embedder, queries: Embedder, name: str = DEFAULT_STUDENT):
        if documents.dim != queries.dim:
            raise ValueError(f"student dim {documents.dim} != teacher dim {queries.dim}")
        self.documents = documents
        self.queries = queries
        self.name = name
        self.dim = queries.dim

    @property
    def fingerprint(self) -> str:
        return f"{self.queries.fingerprint}+docs:{self.name}"

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self.documents.embed(texts, progress)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.queries.embed_queries(texts)
