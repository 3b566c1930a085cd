"""Command-line options from typed configs, ``--config FILE.yaml``, and the one runtime.

Every ``crossrec`` option is a field of a config dataclass (help text from its metadata):
``add_dataclass_arguments`` turns a dataclass into options and ``from_namespace`` reads them
back, so no default is stated twice. Field metadata may add ``choices``, ``positional``,
``required``, ``repeat`` (a tuple option given once per value, ``--dataset a --dataset b``)
and ``comma`` (a tuple option as one comma-separated value, ``--systems a,b``).
A ``--config`` file (YAML or JSON) holds any of a command's options by their long names
(``embed-model`` or ``embed_model``); the command line wins over the file, the file over the
defaults. The shared options (folders, store, embedder, device) resolve one :class:`Runtime`.
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from crossrec.retrieval import (
    EmbedderConfig,
    Runtime,
    RuntimeConfig,
    StoreConfig,
    config_from_dict,
    config_to_dict,
    load_config_file,
)

__all__ = [
    "add_dataclass_arguments",
    "apply_config_file",
    "check_required",
    "from_namespace",
    "runtime_from",
    "runtime_parser",
]

T = TypeVar("T")


def _inner(tp: Any) -> Any:
    """``X`` for ``X | None``, else ``tp``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise argparse.ArgumentTypeError(f"expected true/false, got {text!r}")


def _comma_list(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}")
    return names


def _kwargs(tp: Any, meta: typing.Mapping[str, Any]) -> dict[str, Any]:
    """argparse keyword arguments for a field of type ``tp``."""
    origin = typing.get_origin(tp)
    if tp is bool:  # --json / --no-json; never swallows the next word
        return {"action": argparse.BooleanOptionalAction}
    if origin in (tuple, list) and meta.get("comma"):
        return {"type": _comma_list, "metavar": "A,B"}
    if origin in (tuple, list):
        inner = typing.get_args(tp)[0] if typing.get_args(tp) else str
        kind = inner if inner in (int, float, Path) else str
        return (
            {"type": kind, "action": "append"}
            if meta.get("repeat")
            else {
                "type": kind,
                "nargs": "*",
            }
        )
    return {"type": tp if tp in (int, float, str, Path) else str}


def add_dataclass_arguments(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    cls: type,
    prefix: str = "",
    skip: tuple[str, ...] = (),
) -> None:
    """Add one option per field of dataclass ``cls``; defaults stay on the dataclass."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name in skip or f.metadata.get("cli") is False:
            continue
        kwargs = _kwargs(_inner(hints[f.name]), f.metadata)
        kwargs["help"] = f.metadata.get("help", "").replace("%", "%%")  # "29%" is no format
        if "choices" in f.metadata:
            kwargs["choices"] = f.metadata["choices"]
        if f.metadata.get("positional"):
            parser.add_argument(f.name, **kwargs)
            continue
        kwargs.update(dest=prefix.replace("-", "_") + f.name, default=None)
        if f.metadata.get("required"):  # checked after --config is read (check_required)
            kwargs["help"] += " (required)"
        action = parser.add_argument("--" + prefix + f.name.replace("_", "-"), **kwargs)
        action.crossrec_required = bool(f.metadata.get("required"))


def from_namespace(
    cls: type[T], ns: argparse.Namespace, base: T | None = None, prefix: str = ""
) -> T:
    """Build ``cls`` from parsed options, keeping ``base`` (or the defaults) where unset."""
    values = config_to_dict(base) if base is not None else {}
    for f in dataclasses.fields(cls):
        value = getattr(ns, prefix.replace("-", "_") + f.name, None)
        if value is not None:
            values[f.name] = value
    return config_from_dict(cls, values)


def runtime_parser(config_file: bool = True) -> argparse.ArgumentParser:
    """The options every command shares: ``--config``, folders, store, embedder, device.

    ``config_file=False`` leaves ``--config`` to a command that has its own (``train``'s recipe).
    """
    parser = argparse.ArgumentParser(add_help=False)
    if config_file:
        parser.add_argument(
            "--config",
            dest="config_file",
            type=Path,
            metavar="FILE.yaml",
            help="read options from a YAML/JSON mapping of option names to values "
            "(the command line wins)",
        )
    group = parser.add_argument_group("locations")
    add_dataclass_arguments(group, RuntimeConfig)
    add_dataclass_arguments(group, StoreConfig)
    add_dataclass_arguments(parser.add_argument_group("embedder"), EmbedderConfig, prefix="embed-")
    return parser


def apply_config_file(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Fill the options the command line left unset from ``--config`` (unknown names fail)."""
    path = getattr(args, "config_file", None)
    if path is None:
        return
    known = {a.dest for a in parser._actions if a.dest not in ("help", "config_file")}
    for key, value in load_config_file(path).items():
        dest = str(key).lstrip("-").replace("-", "_")
        if dest not in known:
            raise ValueError(
                f"{path}: unknown option {key!r} for crossrec {args.command}; "
                f"known: {', '.join(sorted(known - {'func', 'command', 'verbose'}))}"
            )
        if getattr(args, dest, None) in (None, []):
            action = next(a for a in parser._actions if a.dest == dest)
            setattr(args, dest, _from_file(action, value, f"{path}: {key}"))


def _from_file(action: argparse.Action, value: Any, where: str) -> Any:
    """A config file's value as the command line would have parsed it: the option's type, a
    list for a repeatable option, a comma list from a string or a list, checked choices."""

    def one(item: Any) -> Any:
        kind = action.type
        if kind is None or isinstance(item, bool):
            return item
        return kind(item if isinstance(item, str) else str(item))

    try:
        if action.type is _comma_list:
            value = tuple(value) if isinstance(value, list | tuple) else _comma_list(str(value))
        elif isinstance(action, argparse.BooleanOptionalAction):
            value = value if isinstance(value, bool) else _parse_bool(str(value))
        elif isinstance(action, argparse._AppendAction) or action.nargs == "*":
            value = [one(v) for v in (value if isinstance(value, list | tuple) else [value])]
        else:
            value = one(value)
    except (TypeError, ValueError, argparse.ArgumentTypeError) as exc:
        raise ValueError(f"{where}: {exc}") from exc
    values = value if isinstance(value, list | tuple) else [value]
    if action.choices is not None and any(v not in action.choices for v in values):
        raise ValueError(f"{where}: {value!r} is not one of {', '.join(map(str, action.choices))}")
    return value


def check_required(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Fail, naming the options, when a required one is neither given nor in ``--config``."""
    missing = [
        action.option_strings[0]
        for action in parser._actions
        if getattr(action, "crossrec_required", False) and getattr(args, action.dest) in (None, [])
    ]
    if missing:
        parser.error(
            f"the following arguments are required: {', '.join(missing)} "
            "(on the command line or in --config)"
        )


def runtime_from(args: argparse.Namespace) -> Runtime:
    """The runtime the shared options describe (one client, one embedder, per process)."""
    return Runtime.resolve(
        from_namespace(RuntimeConfig, args),
        from_namespace(StoreConfig, args),
        from_namespace(EmbedderConfig, args, prefix="embed-"),
        command=tuple(getattr(args, "argv", ())),
    )
