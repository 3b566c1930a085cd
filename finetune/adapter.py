"""LoRA adapters: save (with a model card), load, merge; the adapter shipped with crossrec."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "SHIPPED_ADAPTER",
    "AdapterCard",
    "adapter_base_model",
    "adapter_mode",
    "git_commit",
    "load_adapter",
    "merge_adapter",
    "save_adapter",
    "shipped_adapter_path",
]

SHIPPED_ADAPTER = "default"
CARD_FILE = "crossrec_card.json"


def shipped_adapter_path(name: str = SHIPPED_ADAPTER) -> Path:
    """Folder of an adapter shipped inside the package (``adapters/<name>``)."""
    path = Path(str(resources.files("crossrec.finetune").joinpath("adapters", name)))
    if not (path / "adapter_config.json").is_file():
        raise FileNotFoundError(f"no shipped adapter {name!r} at {path}")
    return path


def git_commit(cwd: Path | None = None) -> str | None:
    """The current git commit of ``cwd`` (None outside a repository)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


@dataclass
class AdapterCard:
    """What a person needs to trust and reproduce an adapter."""

    base_model: str
    command: str
    data: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    git_commit: str | None = None
    title: str = "verbalizer-reranker"  # what the adapter does: "justification writer"

    def render(self) -> str:
        meta = {
            "base_model": self.base_model,
            "library_name": "peft",
            "tags": ["crossrec", "lora", "recommendation"],
        }
        return "\n".join(
            [
                "---",
                yaml.safe_dump(meta, sort_keys=False).strip(),
                "---",
                "",
                f"# crossrec {self.title} LoRA adapter",
                "",
                f"Base model: `{self.base_model}`. Git commit: `{self.git_commit or 'unknown'}`.",
                "",
                "## Reproduce",
                "",
                "```",
                self.command,
                "```",
                "",
                "## Data",
                "",
                "```json",
                json.dumps(self.data, indent=2),
                "```",
                "",
                "## Validation metrics (held-out slice of train)",
                "",
                "```json",
                json.dumps(self.metrics, indent=2),
                "```",
                "",
                "## Training",
                "",
                "```json",
                json.dumps(self.training, indent=2),
                "```",
                "",
                "## Config",
                "",
                "```yaml",
                yaml.safe_dump(self.config, sort_keys=False).strip(),
                "```",
                "",
            ]
        )

    def save(self, folder: Path) -> None:
        (folder / "README.md").write_text(self.render(), encoding="utf-8")
        (folder / CARD_FILE).write_text(json.dumps(self.__dict__, indent=2), encoding="utf-8")


def save_adapter(model, folder: Path, card: AdapterCard, half: bool = True) -> Path:
    """Save the LoRA weights (fp16 by default, to stay small) and the model card."""
    import torch
    from peft import get_peft_model_state_dict

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = get_peft_model_state_dict(model)
    if half:
        state = {k: v.to(torch.float16) for k, v in state.items()}
    model.save_pretrained(folder, state_dict=state)
    card.save(folder)
    return folder


def _card(folder: Path | str) -> dict:
    """The adapter's recorded card (empty for an adapter saved without one)."""
    path = Path(folder) / CARD_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def adapter_base_model(folder: Path | str) -> str | None:
    """The base model name an adapter's card records (None without a card)."""
    return _card(folder).get("base_model")


def adapter_mode(folder: Path | str) -> str:
    """The rerank read-out an adapter was trained for ("line" or "label"; "label" if unrecorded)."""
    return _card(folder).get("training", {}).get("rerank_mode", "label")


def load_adapter(model, folder: Path | str, adapter_name: str = "default"):
    """Wrap ``model`` with the adapter in ``folder`` (weights cast to the model's dtype)."""
    from peft import PeftModel

    folder = Path(folder)
    if not (folder / "adapter_config.json").is_file():
        raise FileNotFoundError(f"{folder} is not a LoRA adapter folder (no adapter_config.json)")
    peft_model = PeftModel.from_pretrained(model, str(folder), adapter_name=adapter_name)
    peft_model.eval()
    return peft_model


def merge_adapter(peft_model):
    """Fold the adapter into the base weights; returns a plain model (faster inference)."""
    return peft_model.merge_and_unload()
