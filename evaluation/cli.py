"""Commands of this package (filled in as the package grows)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this package's commands to the ``crossrec`` parser."""
