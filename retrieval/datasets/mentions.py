"""Which catalog items a dialog has named so far (used for metrics and training data)."""

from __future__ import annotations

import re

from crossrec.retrieval.datasets.schema import Catalog, normalize_title

__all__ = ["mentioned_items", "title_pattern"]


def title_pattern(catalog: Catalog) -> re.Pattern[str]:
    """One regex matching any catalog title of 2+ words or 6+ characters, on word boundaries."""
    keys = [t for t in catalog.titles() if t and (len(t.split()) >= 2 or len(t) >= 6)]
    keys.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")


def mentioned_items(
    context: tuple[str, ...], entities: tuple[str, ...], catalog: Catalog, pattern: re.Pattern[str]
) -> tuple[str, ...]:
    """Items named so far: annotated entities that are items, plus titles found in the text."""
    found: dict[str, None] = {}
    for name in entities:
        for item_id in catalog.by_title(name):
            found[item_id] = None
    for utterance in context:
        for match in pattern.finditer(normalize_title(utterance)):
            for item_id in catalog.titles().get(match.group(1), ()):
                found[item_id] = None
    return tuple(found)
