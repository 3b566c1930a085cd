"""The writer's prompts: a writer adapter's (training and serving alike) and the few-shot
rewrite of an evidence sentence for a model without one (``prompts/justify.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from crossrec.agent.phrasing import spoken_value

__all__ = ["few_shot_prompt", "trained_prompt"]


@cache
def _template() -> dict:
    text = resources.files("crossrec.agent").joinpath("prompts", "justify.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def trained_prompt(
    pick: str, domain: str, liked: str, facts, message: str
) -> list[tuple[str, str]]:
    """The prompt of a writer adapter trained on real replies (training and serving alike)."""
    t = _template()["trained"]
    user = t["user"].format(
        pick=pick,
        domain=domain,
        liked=liked or "(nothing named)",
        facts="; ".join(f"{r} {spoken_value((r, v))}" for r, v in facts) or "(none)",
        message=message,
    )
    return [("system", t["system"]), ("user", user)]


def few_shot_prompt(note: str, message: str) -> list[tuple[str, str]]:
    """The evidence sentence ``note`` to rewrite in the tone of the user's ``message``, after
    the template's worked examples."""
    t = _template()
    out = [("system", t["system"])]
    for shot in t["shots"]:
        out += [
            ("user", t["user"].format(note=shot["note"], message=shot["message"])),
            ("assistant", shot["reply"]),
        ]
    out.append(("user", t["user"].format(note=note, message=message)))
    return out
