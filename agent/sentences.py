"""A reason's sentences as the writer writes them: where one ends, which may be shown.

The writer's text arrives in pieces (:mod:`crossrec.agent.llm` streams them); a sentence is
shown only once it is whole and has passed the check, and a full stop inside a name the
reason may say ("David O. Russell", "Dr. No") ends none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

__all__ = ["Sentences", "first_sentence", "is_whole", "plain", "whole_sentences"]

# a full stop after a title ("Dr. Watson") ends no sentence; one inside a name the reason may
# say ("David O. Russell", "Dr. No") neither (:func:`_masked`)
_NO_END = r"(?<!\b(?:Dr|Mr|Ms|St|Jr)\.)"
_SENTENCE_END = re.compile(r"(?<=[.!?])" + _NO_END + r"\s+")
_WHOLE = re.compile(r"[.!?]" + _NO_END + r"(?=\s)")
_ENDED = re.compile(r"[.!?]" + _NO_END + r"[\"')\]]*$")  # not cut off by the token limit
_INTERJECTION = re.compile(
    r"^(?:(?:yes|yeah|yep|sure|of course)[,.!]+\s*)+",  # "Yes Man" is a title: no comma
    re.IGNORECASE,
)


def plain(text: str) -> str:
    """``text`` without an opening that answers a question nobody asked ("Yes, you should
    check out Lullaby ..." -> "You should check out Lullaby ..."): the writer learned it from
    dialog replies. Only the interjection goes; "" when it was all there was."""
    rest = _INTERJECTION.sub("", text, count=1)
    return rest[:1].upper() + rest[1:] if rest != text else text


def _masked(text: str, names: Sequence[str]) -> str:
    """``text`` with the full stops inside ``names`` hidden (same length), so that they end no
    sentence: "written by David O. Russell" is one sentence, "try Project X." ends one."""
    for name in names:
        text = text.replace(name, name.replace(".", "\x00"))
    return text


def _split(text: str, names: Sequence[str]) -> list[str]:
    """``text`` cut into sentences as ``_SENTENCE_END.split`` does, but not inside ``names``."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(_masked(text, names)):
        out.append(text[start : m.start()])
        start = m.end()
    return [*out, text[start:]]


def whole_sentences(text: str, names: Sequence[str] = ()) -> str:
    """``text`` on one line, without a last sentence cut off by the token limit (kept when it
    is all there is: the check then judges it) and without an opening interjection; a full
    stop inside one of ``names`` ends no sentence."""
    text = " ".join(str(text).split())
    if text and not _ENDED.search(_masked(text, names)):
        whole = [m.end() for m in _WHOLE.finditer(_masked(text, names))]
        if whole and len(text[: whole[-1]].split()) >= 5:  # not at "Dr." of "Dr. No"
            text = text[: whole[-1]]
    return plain(text)


def is_whole(text: str, names: Sequence[str] = ()) -> bool:
    """Whether ``text`` ends a sentence (a full stop inside ``names`` ends none)."""
    return _ENDED.search(_masked(text.strip(), names)) is not None


def first_sentence(text: str, names: Sequence[str] = ()) -> str:
    """The first sentence of ``text`` if the model finished it ("" if not): "Camp Rock is a
    2008 film. It" -> "Camp Rock is a 2008 film."; a full stop inside ``names`` ends none."""
    sentence = _split(" ".join(str(text).split()), names)[0].strip()
    return sentence if is_whole(sentence, names) else ""


class Sentences:
    """One reason's checked sentences as the model writes it: :meth:`feed` takes the pieces
    and returns what may be shown; the first refused sentence ends the reason (:attr:`refused`),
    and :meth:`finish` judges what is left when the model stops."""

    def __init__(self, job: tuple, names: Sequence[str], check: Callable[[str, bool], list]):
        self.job = job  # (item_id, links, history, message, wish), for whoever reads it
        self.names = names  # names with a full stop the reason may say
        self.check = check  # (sentence, whether it is the first) -> the check's problems
        self.buffer, self.emitted, self.problems = "", [], []

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    def _take(self, sentence: str) -> list[str]:
        first = not self.emitted
        self.problems = self.check(sentence, first)
        if self.problems:
            return []
        self.emitted.append(sentence)
        return [("" if first else " ") + sentence]

    def feed(self, piece: str) -> list[str]:
        self.buffer += piece
        if any(  # "... by David O." may go on as "David O. Russell": wait for the rest
            "." in name[:k] and self.buffer.endswith(name[:k])
            for name in self.names
            for k in range(2, len(name))
        ):
            return []
        *done, self.buffer = _split(self.buffer, self.names)
        shown: list[str] = []
        for sentence in (" ".join(d.split()) for d in done):
            if not self.emitted and not (sentence := plain(sentence)):
                continue  # "Yes!" alone
            shown += self._take(sentence)
            if self.refused:
                break
        return shown

    def finish(self) -> list[str]:
        tail = " ".join(self.buffer.split())
        if tail and not _ENDED.search(_masked(tail, self.names)) and self.emitted:
            tail = ""  # the model ran out of tokens mid-sentence: keep what was whole
        tail = tail if self.emitted else plain(tail)
        return self._take(tail) if tail and not self.refused else []
