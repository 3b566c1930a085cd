"""``crossrec chat``: a terminal chat on the same agent."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

from crossrec.cli import (
    add_dataclass_arguments,
    from_namespace,
    runtime_from,
    runtime_parser,
)

__all__ = ["register"]

HELP = """commands: /profile  /domain NAME|any  /like TITLE  /dislike TITLE  /reset  /quit"""


@dataclass
class ChatOptions:
    session: str = field(default="terminal", metadata={"help": "session id (kept across runs)"})
    message: str | None = field(
        default=None, metadata={"help": "send one message and exit (no prompt)"}
    )


def _agent(args: argparse.Namespace):
    from crossrec.agent.config import AgentConfig
    from crossrec.agent.factory import build_recommender

    config = from_namespace(AgentConfig, args)
    print("loading the models, the catalog and the ranker ...", file=sys.stderr)
    # the runtime's embedder is the one the command line describes (--embed-*): the store's
    # fingerprint must match the embedder it was indexed with
    rec = build_recommender(config.catalog, config=config, runtime=runtime_from(args))
    print(f"ready (warmed up in {rec.warm_up():.1f} s)", file=sys.stderr)
    return rec


def _command(rec, session: str, line: str) -> bool:
    """Handle a /command; False ends the chat."""
    name, _, rest = line[1:].partition(" ")
    rest = rest.strip()
    if name in ("quit", "exit", "q"):
        return False
    try:
        if name == "profile":
            p = rec.profile(session)
            title = lambda ids: ", ".join(rec.catalog[i].title for i in ids) or "-"  # noqa: E731
            print(
                f"liked: {title(p.liked)}\ndisliked: {title(p.disliked)}\ndomain: {p.domain or 'any'}"
            )
        elif name == "domain":
            rec.set_domain(session, None if rest in ("", "any") else rest)
            print(f"domain: {rest or 'any'}")
        elif name in ("like", "dislike"):
            rec.update_profile(session, **{name: [rest]})
            print(f"{name}d {rest}")
        elif name == "reset":
            rec.reset(session)
            print("session cleared")
        else:
            print(HELP)
    except ValueError as exc:
        print(f"error: {exc}")
    return True


def _chat(args: argparse.Namespace) -> int:
    options = from_namespace(ChatOptions, args)
    rec = _agent(args)
    messages = [options.message] if options.message else None
    if messages is None:
        print(f"crossrec chat on {rec.catalog.name} ({', '.join(rec.catalog.domains)}); {HELP}")
    while True:
        if messages is not None:
            if not messages:
                return 0
            line = messages.pop(0)
        else:
            try:
                line = input("you> ")
            except EOFError:
                print()
                return 0
        if line.startswith("/"):
            if not _command(rec, options.session, line.strip()):
                return 0
            continue
        print("crossrec> ", end="", flush=True)
        for chunk in rec.stream(line, session_id=options.session):
            print(chunk, end="", flush=True)
        print()
        sys.stdout.flush()


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``crossrec chat``."""
    from crossrec.agent.config import AgentConfig

    chat = subparsers.add_parser(
        "chat", parents=[runtime_parser()], help="chat with the recommender"
    )
    add_dataclass_arguments(chat.add_argument_group("agent"), AgentConfig)
    add_dataclass_arguments(chat.add_argument_group("chat"), ChatOptions)
    chat.set_defaults(func=_chat)
