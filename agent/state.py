"""Conversation state: the dialog, a cross-domain profile, and their SQLite persistence.

A session belongs to one catalog. Its profile holds what the user liked (time-ordered, any
domain), disliked, and was already recommended, the facts they named ("Ryan Reynolds",
"comedy"), the target domain, and a pending question when a name was ambiguous. Sessions are
rows keyed by id, so two sessions never see each other's state, and a restarted process
continues where the last one stopped.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Profile", "Session", "SessionStore", "Turn"]


@dataclass
class Turn:
    """One message of the dialog."""

    role: str  # "user" or "assistant"
    text: str
    items: list[str] = field(default_factory=list)
    time: float = field(default_factory=time.time)


@dataclass
class Profile:
    """What the recommender knows about the user, across domains."""

    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    recommended: list[str] = field(default_factory=list)
    liked_facts: list[list[str]] = field(default_factory=list)
    disliked_facts: list[list[str]] = field(default_factory=list)
    domain: str | None = None
    pending: dict | None = None  # {"text": name, "options": [item ids]} awaiting an answer
    wish: dict | None = None  # the active wish (Wish.to_dict()), kept until the user changes it
    about: str | None = None  # the item last asked about ("Who directed it?"), until one is liked

    def like(self, item_id: str) -> None:
        if item_id in self.disliked:
            self.disliked.remove(item_id)
        if item_id in self.liked:
            self.liked.remove(item_id)
        self.liked.append(item_id)

    def dislike(self, item_id: str) -> None:
        if item_id in self.liked:
            self.liked.remove(item_id)
        if item_id not in self.disliked:
            self.disliked.append(item_id)

    def forget(self, item_id: str) -> None:
        for bucket in (self.liked, self.disliked):
            if item_id in bucket:
                bucket.remove(item_id)

    def like_fact(self, fact: tuple[str, str]) -> None:
        value = list(fact)
        if value in self.disliked_facts:
            self.disliked_facts.remove(value)
        if value not in self.liked_facts:
            self.liked_facts.append(value)

    def dislike_fact(self, fact: tuple[str, str]) -> None:
        value = list(fact)
        if value in self.liked_facts:
            self.liked_facts.remove(value)
        if value not in self.disliked_facts:
            self.disliked_facts.append(value)


@dataclass
class Session:
    """A conversation: id, catalog, profile and dialog."""

    id: str
    catalog: str
    profile: Profile = field(default_factory=Profile)
    dialog: list[Turn] = field(default_factory=list)

    def utterances(self) -> list[str]:
        return [t.text for t in self.dialog]

    def to_json(self) -> str:
        return json.dumps(
            {"profile": asdict(self.profile), "dialog": [asdict(t) for t in self.dialog]}
        )

    @classmethod
    def from_json(cls, session_id: str, catalog: str, text: str) -> Session:
        data = json.loads(text)
        return cls(
            session_id, catalog, Profile(**data["profile"]), [Turn(**t) for t in data["dialog"]]
        )


class SessionStore:
    """Sessions in one SQLite file (``:memory:`` for a throwaway store)."""

    def __init__(self, path: Path | str = ":memory:", max_turns: int = 200):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.max_turns = max_turns
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL") if self.path != ":memory:" else None
        self._db.execute("""CREATE TABLE IF NOT EXISTS sessions (
            id TEXT NOT NULL, catalog TEXT NOT NULL, state TEXT NOT NULL, updated REAL NOT NULL,
            PRIMARY KEY (id, catalog))""")

    def load(self, session_id: str, catalog: str) -> Session:
        """The stored session, or a new empty one."""
        if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > 200:
            raise ValueError("session_id must be a non-empty string of at most 200 characters")
        with self._lock:
            row = self._db.execute(
                "SELECT state FROM sessions WHERE id=? AND catalog=?", (session_id, catalog)
            ).fetchone()
        return (
            Session.from_json(session_id, catalog, row[0]) if row else Session(session_id, catalog)
        )

    def save(self, session: Session) -> None:
        session.dialog = session.dialog[-self.max_turns :]
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions (id, catalog, state, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id, catalog) DO UPDATE SET state=excluded.state, updated=excluded.updated",
                (session.id, session.catalog, session.to_json(), time.time()),
            )

    def delete(self, session_id: str, catalog: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE id=? AND catalog=?", (session_id, catalog))

    def close(self) -> None:
        with self._lock:
            self._db.close()
