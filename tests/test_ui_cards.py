"""The cards' evidence lines, read as a person reads them (the browser tests show them)."""

from __future__ import annotations

from crossrec.ui.components import evidence_lines


def test_evidence_lines_say_a_franchise_named_like_the_title_once():
    said = evidence_lines(
        [
            {
                "history_title": "The Hunger Games",
                "relation": "franchise",
                "value": "The Hunger Games",
            },
            {"history_title": "Fight Club", "relation": "writer", "value": "Chuck Palahniuk"},
            {"history_title": "Fight Club"},
            {"relation": "genre", "value": "Horror"},
        ],
        limit=4,
    )
    assert said == [
        "Like <b>The Hunger Games</b>: same franchise",
        "Like <b>Fight Club</b>: same writer Chuck Palahniuk",
        "Often chosen with <b>Fight Club</b>",
        "You mentioned genre Horror",
    ]
