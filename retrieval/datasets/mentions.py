"""Which catalog items a dialog has named so far (used for metrics and training data)."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from crossrec.retrieval.datasets.schema import Catalog, normalize_title

if TYPE_CHECKING:
    from crossrec.retrieval.datasets.schema import Dataset

__all__ = ["mentioned_items", "named_by_people", "title_pattern"]


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


def named_by_people(dataset: Dataset, split: str = "train") -> Counter[str]:
    """In how many of ``split``'s dialogs the person asking named each item first, writing
    its title as it is written (its capitals, and not as the start of a longer name: not
    "Elizabeth Banks"), plus how many histories hold it: what people bring up themselves. The
    person's words are the last utterance before each recommendation, and every second one
    back. The dialogs' annotations also take common phrases for titles ("yes please" is the
    book Yes Please, "I wonder" the novel Wonder), and the recommenders' picks, which people
    then say back, lean to the end of the alphabet (Zoe's Tale, Shark Night)."""
    counts: Counter[str] = Counter(
        i for row in dataset.histories.get(split, ()) for i in set(row.items)
    )
    dialogs: dict[str, tuple[tuple[str, ...], set[str]]] = {}
    for turn in dataset.turns.get(split, ()):
        context, ids = dialogs.get(turn.dialog_id, ((), set()))
        longer = turn.context if len(turn.context) > len(context) else context
        dialogs[turn.dialog_id] = (longer, ids | set(turn.mentioned))
    for context, ids in dialogs.values():
        for item_id in ids:
            name = re.escape(dataset.catalog[item_id].title)  # not "Elizabeth Banks"
            title = re.compile(rf"(?<!\w){name}(?!\w|[ \t]+[A-Z])")
            first = next((n for n, said in enumerate(context) if title.search(said)), None)
            if first is not None and (len(context) - 1 - first) % 2 == 0:
                counts[item_id] += 1
    return counts
