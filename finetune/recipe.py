"""A training recipe: which data, how many examples, how to train. Saved with every adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from crossrec.finetune.examples import ExampleConfig
from crossrec.finetune.train import TrainConfig
from crossrec.retrieval import DATASETS, config_from_dict, config_to_dict, load_config_file

__all__ = ["Recipe", "apply_overrides", "default_recipe_path", "load_recipe", "recipe_dict"]


@dataclass
class Recipe:
    """Datasets, example building and training settings of one adapter."""

    datasets: tuple[str, ...] = field(
        default=("amazon_arts_office", "opendialkg"),
        metadata={"help": "datasets whose train splits make the examples"},
    )
    examples: ExampleConfig = field(default_factory=ExampleConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        unknown = [d for d in self.datasets if d not in DATASETS]
        if unknown or not self.datasets:
            raise ValueError(
                f"recipe datasets must be among {list(DATASETS)}, got {list(self.datasets)}"
            )


def default_recipe_path() -> Path:
    return Path(str(resources.files("crossrec.finetune").joinpath("recipes", "default.yaml")))


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply ``section.key=value`` overrides (values parsed as YAML) to a recipe dict."""
    for override in overrides:
        key, sep, raw = override.partition("=")
        if not sep or not key:
            raise ValueError(f"override {override!r} must look like section.key=value")
        node = data
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(f"override {override!r}: {part!r} is not a section")
        node[leaf] = yaml.safe_load(raw)
    return data


def load_recipe(path: Path | None = None, overrides: list[str] | None = None) -> Recipe:
    """The recipe in ``path`` (default: the shipped adapter's), with overrides applied."""
    data = load_config_file(path or default_recipe_path())
    data = apply_overrides(data, overrides or [])
    recipe = config_from_dict(Recipe, data)
    return recipe


def recipe_dict(recipe: Recipe) -> dict[str, Any]:
    return config_to_dict(recipe)
