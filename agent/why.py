"""Why a pick was shown: "why that one?", "why did you recommend Memento?", "why the second
one?" get the reason the reply gave it, said again, and the list is left alone (they were
read as a wish 'why' and answered with five new picks). "Which of these is the best?" gets
the pick ranked first, with its reason (it got five new picks)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crossrec.agent.about import WHICH_ONE, places_said

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.request import Request
    from crossrec.agent.state import Session

__all__ = ["answer_why"]

_WHY = re.compile(
    r"^\W*(?:(?:but|and|so|ok|okay|hmm|um)\W+)?(?:why|how come)\b(?!\W+(?:not|no|don'?t)\b)", re.I
)
# what the question points to without a name: "why that one?", "why did you pick it?"
_IT = re.compile(r"\b(?:it|this one|that one|this|that)\b", re.I)
_THEM = re.compile(r"\b(?:these|those|them|they|all)\b", re.I)
# "which of these is the best?", "which one should I watch first?": the pick ranked first; the
# whole message asks it ("which of these came out first?", "Which of the Star Wars movies is
# the best?" do not)
_WHICH = re.compile(
    r"^\W*(?:\w+\W+)?(?:(?:which|what)(?: one)? of (?:these|those|them)"
    r"(?: is| would you| should (?:i|we))?|"
    r"which one (?:should|would|do) (?:i|we|you)|which would you)\s+(?:(?:is )?the )?"
    r"(?:best|better|top|favou?rite|pick|choose|recommend|suggest|go (?:for|with)|start with|"
    r"(?:watch|read|get|try) first)(?: one)?(?: first| most)?\W*$|"
    r"^\W*what(?:'s| is) the best(?: one| of (?:these|those|them))\W*$",
    re.I,
)


def answer_why(rec: Recommender, request: Request, message: str) -> bool:
    """Answer a question of why a shown pick was chosen from the reason its reply gave, or of
    which of them to start with (the first); False where ``message`` asks no such question or
    nothing was shown."""
    session = request.session
    which = _WHICH.match(message)
    shown = _shown(rec, session) if which or _WHY.match(message) else {}
    if not shown:
        return False
    last = next(t.items for t in reversed(session.dialog) if t.role == "assistant" and t.items)
    if which:  # the first of the list asked of, as ranked for them, with its reason
        rec.record_turn(session, "user", message)
        name, said = _name(rec, last[0]), shown.get(last[0])
        request.answer = f"I'd start with {name}, the first of these" + (
            f": {said}" if said else "."
        )
        return True
    named = [i for m in rec.linker.link(message) if m.kind == "item" for i in m.ids]
    places = [at for at, _ in places_said(message, len(last)) if 1 <= at <= len(last)]
    if named:  # "why Memento?": the one shown, of the ids its title has
        asked = [i for i in named if i in shown][:1] or named[:1]
    elif places:
        asked = [last[at - 1] for at in places]
    elif _IT.search(message) and not _THEM.search(message):  # "why that one?" of several
        asked = last if len(last) == 1 else [i for i in last if i == session.profile.about]
    else:  # "why these?", "why?"
        asked = list(last)
    rec.record_turn(session, "user", message)
    request.answer = "\n".join(_reason(rec, i, shown) for i in asked) if asked else WHICH_ONE
    return True


def _shown(rec: Recommender, session: Session) -> dict[str, str]:
    """Each pick shown in ``session`` -> the reason the reply that showed it last gave."""
    lines: dict[str, str] = {}
    for turn in session.dialog:
        if turn.role != "assistant" or not turn.items:
            continue
        for n, item_id in enumerate(turn.items, 1):
            line = rf"^{n}\. {re.escape(_name(rec, item_id))} - (.+)$"
            said = re.search(line, turn.text, re.MULTILINE)
            lines[item_id] = said.group(1) if said else ""
    return lines


def _name(rec: Recommender, item_id: str) -> str:  # as a reply's line lists it
    return f"{rec.catalog.listed(item_id)} ({rec.catalog[item_id].domain})"


def _reason(rec: Recommender, item_id: str, shown: dict[str, str]) -> str:
    name = _name(rec, item_id)
    if item_id not in shown:
        return f"I have not recommended {name} here."
    return f"Why {name}: {shown[item_id]}" if shown[item_id] else f"{name} is one I picked."
