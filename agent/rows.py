"""The rows of one batched generation of a reply's reasons (:mod:`crossrec.agent.justify`).

The first pick's reason is the one a reader waits for, so its sampled rewrites are drawn beside
the greedy texts and race its greedy row; a later pick's text is held until the picks before
it are shown, so its rewrites can wait for the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from crossrec.agent.sentences import Sentences

__all__ = ["FirstPick"]


class FirstPick:
    """The rows of a reply's reasons written together: row ``p < k`` is pick ``p``'s greedy
    text, rows ``k..`` the first pick's sampled rewrites (``samples``), racing its greedy row.

    The greedy text wins with its first sentence that passes (as a reason written alone is
    shown: a reader waits for it); a rewrite wins once what it has written passes and
    ``specific`` says it names a detail of the pick. The winner's text is shown and the other
    rows stop. If every row ends without a winner, the first rewrite that passed at all is
    shown (:meth:`fallback`). A greedy text that says no detail of the pick gets a second
    sentence later (:mod:`crossrec.agent.detail`); holding it for a rewrite that might say
    more made the reader wait (DEVELOPERS.md, "Justifications").
    ``gates`` are the rows' sentence gates, ``done`` the picks whose reason is settled."""

    def __init__(
        self, k: int, samples: int, gates: Sequence[Sentences], specific: Callable[[str], bool]
    ):
        self.k, self.rows = k, k + samples
        self.gates, self.specific = gates, specific
        self.sampled = frozenset(range(k, self.rows))
        self.racing = {0, *self.sampled} if k else set()
        self.winner: int | None = None
        self.done: set[int] = set()

    def pick(self, row: int) -> int:
        return row if row < self.k else 0

    def shown(self, row: int) -> int:
        """The row whose text stands for ``row``'s pick: the first pick's winner (its greedy
        row while none has won), any other pick's own row."""
        if self.pick(row) != 0:
            return row
        return self.winner if self.winner is not None else 0

    def show(self, row: int, passed: list[str]) -> tuple[list[str], set[int]]:
        """What to show of the sentences ``row``'s gate just ``passed``, and the rows to stop:
        a later pick's as they come; the first pick's once a row of it wins (all it has
        written so far), nothing while it has not."""
        if not passed or self.pick(row) != 0 or self.winner is not None:
            return passed, set()
        if row >= self.k and not self.specific(" ".join(self.gates[row].emitted)):
            return [], set()  # a rewrite that says no detail of the pick (yet): held
        return self._win(row)

    def fallback(self) -> list[str]:
        """The first pick's text when every row ended without a winner: the first rewrite
        that passed (its sentences, now shown), else nothing (its evidence sentence)."""
        held = [row for row in sorted(self.sampled) if self.gates[row].emitted]
        if self.winner is not None or not held:
            return []
        return self._win(held[0])[0]

    def _win(self, row: int) -> tuple[list[str], set[int]]:
        self.winner = row
        said = self.gates[row].emitted
        return [said[0], *(" " + s for s in said[1:])], self.racing - {row}

    def rivals(self, row: int) -> set[int]:
        """The rows that stop when ``row``'s pick is settled."""
        return self.racing if self.pick(row) == 0 else {row}

    def settles(self, row: int, ended: set[int]) -> bool:
        """Whether ``row`` ending settles its pick: the first pick's once its winner ends, or
        every one of its rows has ended without one."""
        if self.pick(row) != 0:
            return True
        return row == self.winner if self.winner is not None else self.racing <= ended

    def relabel(self, pick: int, event):
        """``pick``'s final reason (any other event as it is): a sampled rewrite that won is
        marked "llm-retry" (a sampled text, as after the batch), with the greedy text's
        problems where it was refused (none where the rewrite merely passed first)."""
        won = pick == 0 and self.winner is not None and self.winner >= self.k
        if won and not isinstance(event, str):
            event.source = "llm-retry" if event.source == "llm" else event.source
            event.problems = event.problems or self.gates[0].problems
        return event
