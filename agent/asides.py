"""Words of a message that are no wish: when something was watched, where it will be (on a
flight, on the road trip), words to the assistant, and a price.

"I watched it last week" wishes for nothing from a week; "ignore your previous instructions"
is no wish for instructions. No catalog here has prices (OpenDialKG's films and books, Amazon's
Arts and Office titles and category paths), and a price's words matched what they name
instead: "under 20 dollars" gave counterfeit-bill detector pens and currency bands, "a gift
under $10" jewelry beads filed under giftware. A price asked for is left out of the wish, and
the reply says it cannot choose by price (:data:`NO_PRICES`). A number of picks asked for
("give me 3 books") is how many the reply holds (:func:`asked_count`).
"""

from __future__ import annotations

import re

from crossrec.agent.wordlists import states

__all__ = ["NO_PRICES", "asked_count", "asks_price", "occasions", "plain_states", "without_asides"]

NO_PRICES = "This catalog has no prices, so I can't choose by price."
_WHEN = re.compile(  # when something was read or watched: "last week", "two days ago"; "of
    # all time" is no wish for time travel ("best books of all time")
    r"\b(?:last|this|past)\s+(?:week|weekend|month|night|year|summer|winter|time)\b"
    r"|\b(?:of\s+)?all[\s-]time\b|\b(?:the|a)\s+(?:first|long|good|great)\s+time\b"
    r"|\b(?:a|an|one|two|three|few|some|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago\b",
    re.IGNORECASE,
)
_WHERE = re.compile(  # where it is read or watched: "on the road trip", "for a long flight"
    r"\b(?:on|for|during)\s+(?:(?:a|an|the|my|our|this|that|next)\s+)?"
    r"(?:(?:long|short|family|summer|weekend|business)\s+)?(?:road\s+trips?|flights?|commutes?|"
    r"(?:plane|train|bus|boat)(?:\s+(?:rides?|trips?|journeys?))?|car\s+(?:rides?|trips?)|beach|"
    r"vacations?|trips?|cruises?|sleepovers?)\b(?!\s+(?:lovers?|fans?)\b)",  # not "car lovers"
    re.IGNORECASE,
)
_FEEL = re.compile(  # how the person feels: "I'm sad", "i feel so lonely", "feeling down"
    r"\b(?:i['’]?m|i\s+am|i\s+feel|i['’]?ve\s+been|(?<!about )(?<!of )feeling)\s+"
    r"(?:feeling\s+)?"
    r"(?:(?:so|really|very|a\s+bit|kind\s+of|kinda|pretty|a\s+little|quite)\s+)*"
    r"([a-z]+)\b(?!\s+(?:of|with|for|to)\b)",  # not "tired of ...", "down for a horror movie"
    re.IGNORECASE,
)
_INSTRUCTION = re.compile(  # words to the assistant, not of a wish: "ignore previous instructions"
    r"\b(?:ignore|disregard|override)\b(?:\s+\w+){0,4}?\s+(?:instructions|prompts?)\b"
    r"|\b(?:ignore|disregard|override|forget)\s+(?:\w+\s+){0,2}(?:previous|prior|above|earlier|"
    r"original)\s+(?:rules|guidelines|directions)\b|\bsystem\s+prompt\b"
    r"|\b(?:you\s+are\s+now|pretend\s+(?:that\s+)?you\s+are|act\s+as\s+if\s+you\s+(?:are|were))"
    r"\s+(?:(?:a|an|the)\s+)?\w+",
    re.IGNORECASE,
)
_MONEY = r"(?:[$£€]\s*\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s*(?:\$|dollars?|bucks|usd|euros?|€|£))"
_PRICE = re.compile(  # "under 20 dollars", "$10", "cheaper"; not "money clips", "price gun"
    r"\b(?:(?:under|below|less than|no more than|not more than|max(?:imum)?|up to|within|"
    r"around|about|for)\s+)?"
    + _MONEY
    + r"|\b(?:cheap(?:er|est)?|inexpensive|affordable|on a budget|budget[ -]friendly|pricey|"
    r"expensive|(?:low|lower|high|higher)[ -](?:cost|price[sd]?))\b",
    re.IGNORECASE,
)


def plain_states(text: str) -> str:
    """``text`` with how the person says they feel said as the mood that answers it: "I'm
    sad, cheer me up" is 'uplifting', not tragedy; "I'm bored" 'exciting'
    (``agent/words/states.txt``)."""
    answers = states()

    def mood(said: re.Match) -> str:
        return f" {answers[said[1].casefold()]} " if said[1].casefold() in answers else said[0]

    return _FEEL.sub(mood, text)


def occasions(text: str) -> list[tuple[int, int]]:
    """Where ``text`` says where something is read or watched ("a book for a long flight",
    "something to read on the road trip"): no wish for flying, no On the Road."""
    return [m.span() for m in _WHERE.finditer(text)]


def asks_price(text: str) -> bool:
    """Whether ``text`` asks for a price: "under 20 dollars", "$10", "cheaper"."""
    return bool(_PRICE.search(text))


def without_asides(text: str) -> str:
    """``text`` less its words to the assistant, when it was read or watched, a price and
    a number of picks asked for (each blanked with spaces)."""
    text = _PRICE.sub(" ", _WHEN.sub(" ", _WHERE.sub(" ", _INSTRUCTION.sub(" ", text))))
    said = _COUNT.search(text)  # "just two movies": no wish for 'two'
    number = said and next(said.span(n) for n in (1, 2, 3) if said.group(n))
    return text[: number[0]] + " " * (number[1] - number[0]) + text[number[1] :] if said else text


_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBERS) + r")"
_PICKS = (
    r"(?:books?|movies?|films?|novels?|picks?|ideas?|options?|items?|recommendations?|"
    r"suggestions?|products?)\b"
)
_UNITS = (  # a length or an amount, not things: "only 2 hours long", "just 8 and loves ..."
    r"(?!(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?|years?|percent|pages?|chapters?|"
    r"episodes?|seasons?|feet|inches|dollars?|bucks?|times?)\b)"
)
_COUNT = re.compile(  # "give me 3 books", "just two planners", "top 10 films"; first or after
    # "need" / "want" only a number of picks ("one good horror movie"; "I need 50 pens": to buy;
    # not a title: "One Flew Over the Cuckoo's Nest", "10 Things I Hate About You")
    r"\b(?:give me|show me|recommend|suggest|list|top|pick)\s+(?:me\s+)?(?:just\s+|only\s+)?"
    + _NUMBER
    + r"\s+(?:[a-z-]+\s+){0,3}?"
    + _UNITS
    + r"[a-z-]+"
    + r"|\b(?:just|only)\s+"  # the thing right after: "just two planners", "only 3 books"
    + _NUMBER
    + r"\s+"
    + _UNITS
    + r"(?:[a-z-]+s|"
    + _PICKS
    + r")\b"
    + r"|(?:^\W*|\b(?:need|want)\s+)"
    + _NUMBER
    + r"\s+(?:(?:good|great|nice|new|more|fun|funny|scary|short|light)\s+)?(?:[a-z-]+\s+)?"
    + _PICKS,
    re.IGNORECASE,
)


def asked_count(text: str, most: int = 10) -> int | None:
    """How many picks ``text`` asks for ("give me 3 books", "just two movies"), at most
    ``most``; None where it says no number."""
    said = _COUNT.search(text)
    if not said:
        return None
    word = next(g for g in said.groups() if g).casefold()
    count = int(word) if word.isdigit() else _NUMBERS.index(word) + 1
    return min(max(count, 1), most)
