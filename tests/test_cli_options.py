"""Options from config dataclasses: what the command line and a ``--config`` file parse to."""

from __future__ import annotations

import shlex

import pytest
from crossrec.cli import apply_config_file, build_parser, check_required


@pytest.fixture(scope="module")
def parser():
    return build_parser()


def _parse(parser, command: str, config: str | None = None, tmp_path=None):
    argv = shlex.split(command)
    if config is not None:
        path = tmp_path / "options.yaml"
        path.write_text(config)
        argv += ["--config", str(path)]
    args = parser.parse_args(argv)
    sub = next(a for a in parser._actions if a.dest == "command").choices[args.command]
    apply_config_file(sub, args)
    check_required(sub, args)
    return args


def test_flags_never_swallow_the_next_word(parser):
    args = _parse(parser, 'search --json "fight club" --catalog books')
    assert args.json is True and args.text == "fight club"
    assert _parse(parser, "data --verify-checksums check").verify_checksums is True
    args = _parse(parser, "chat --no-rerank --justify --device cuda:1")
    assert (args.rerank, args.justify, args.device) == (False, True, "cuda:1")


def test_config_values_are_parsed_like_the_command_line(parser, tmp_path):
    args = _parse(parser, "ui", "catalogs: a,b\n", tmp_path)
    assert args.catalogs == ("a", "b")
    assert _parse(parser, "train-ranker", "dataset: opendialkg\n", tmp_path).dataset == [
        "opendialkg"
    ]
    args = _parse(parser, "eval", "systems: [bm25, dense]\nk: '5'\n", tmp_path)
    assert args.systems == ("bm25", "dense") and args.k == 5
    args = _parse(parser, "search hi --k 7", "catalog: c\nk: 3\njson: yes\n", tmp_path)
    assert (args.catalog, args.k, args.json) == ("c", 7, True)  # the command line wins


def test_config_values_meet_the_same_checks(parser, tmp_path):
    with pytest.raises(ValueError, match="not one of valid"):  # only validation data tunes
        _parse(parser, "tune-fusion", "dataset: opendialkg\nsplit: test\n", tmp_path)
    with pytest.raises(ValueError, match="invalid literal"):
        _parse(parser, "search hi", "catalog: c\nk: many\n", tmp_path)
    with pytest.raises(SystemExit):  # --catalog is required: on the command line or in the file
        _parse(parser, "search hi", "k: 3\n", tmp_path)


def test_every_command_prints_its_help(parser):
    """A help text with a percent sign ("from 29% to 46%") made ``crossrec chat --help`` fail."""
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in commands.items():
        assert "--config" in sub.format_help(), name
