"""Typed dataclass configs: YAML/JSON round trips.

Every crossrec config is a ``@dataclass`` whose fields carry ``metadata={"help": ...}``; the
``crossrec`` command builds its options from those fields (:mod:`crossrec.cli.options`).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml

__all__ = [
    "config_from_dict",
    "config_to_dict",
    "load_config_file",
    "save_config",
]

T = TypeVar("T")


def _base_type(tp: Any) -> tuple[Any, bool]:
    """Return (inner type, is_optional) for ``X | None`` annotations."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def config_to_dict(config: Any) -> dict[str, Any]:
    """A JSON/YAML-ready dict of a (possibly nested) dataclass config."""

    def convert(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, tuple | list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return convert(config)


def config_from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Inverse of ``config_to_dict``; unknown keys are an error that names them."""
    names = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ValueError(
            f"unknown {cls.__name__} option(s): {', '.join(unknown)}; known: {', '.join(names)}"
        )
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        tp, _ = _base_type(hints[key])
        if value is None:
            kwargs[key] = None
        elif dataclasses.is_dataclass(tp) and isinstance(value, dict):
            kwargs[key] = config_from_dict(tp, value)
        elif tp is Path:
            kwargs[key] = Path(value)
        elif typing.get_origin(tp) is tuple and isinstance(value, list | tuple):
            kwargs[key] = tuple(value)
        elif typing.get_origin(tp) is dict and isinstance(value, dict):
            kwargs[key] = dict(value)
        else:
            kwargs[key] = value
    return cls(**kwargs)


def load_config_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML or JSON config file into a dict."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read config file {path}: {exc}") from exc
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"config file {path} must hold a mapping, got {type(data).__name__}")
    return data


def save_config(config: Any, path: str | Path) -> None:
    """Write a dataclass config as YAML (or JSON for a .json path)."""
    path = Path(path)
    data = config_to_dict(config)
    if path.suffix == ".json":
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
