"""How the chat app is served: a typed config the ``crossrec ui`` options come from."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LOOPBACK", "UIConfig"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class UIConfig:
    """Where and how the chat app is served."""

    host: str = field(
        default="127.0.0.1",
        metadata={
            "help": "address to bind (127.0.0.1: this machine only; 0.0.0.0: every interface)"
        },
    )
    port: int = field(default=7860, metadata={"help": "TCP port"})
    auth: str | None = field(
        default=None,
        repr=False,
        metadata={"help": "require a login, USER:PASS (env CROSSREC_UI_AUTH)"},
    )
    concurrency: int = field(
        default=2, metadata={"help": "chat replies computed at once (queue limit)"}
    )
    max_queue: int = field(
        default=64, metadata={"help": "requests waiting in the queue before refusing"}
    )
    catalogs: tuple[str, ...] = field(
        default=(),
        metadata={
            "help": "catalogs to offer (default: --catalog plus every other indexed one)",
            "comma": True,
        },
    )

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ValueError(f"port must be a TCP port (1-65535), got {self.port}")
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {self.concurrency}")
        if self.max_queue < 1:
            raise ValueError(f"max_queue must be >= 1, got {self.max_queue}")
        self.credentials()  # fail early on a malformed --auth

    def credentials(self) -> tuple[str, str] | None:
        """``(user, password)`` from ``auth``, or None when no login is required."""
        if not self.auth:
            return None
        user, sep, password = self.auth.partition(":")
        if not sep or not user or not password:
            raise ValueError(
                "auth must look like USER:PASS with both parts non-empty "
                "(the value is not shown here)"
            )
        return user, password

    def is_loopback(self) -> bool:
        """True when only this machine can reach the server."""
        return self.host in LOOPBACK
