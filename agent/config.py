"""The agent's typed configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crossrec.finetune import DEFAULT_MODEL

__all__ = ["AgentConfig"]


@dataclass
class AgentConfig:
    """How the recommender retrieves, ranks, explains and remembers."""

    catalog: str = field(
        default="opendialkg", metadata={"help": "catalog (collection) to recommend from"}
    )
    k: int = field(default=3, metadata={"help": "recommendations per chat reply"})
    num_candidates: int = field(
        default=20, metadata={"help": "fused candidates the LLM reranks (<= 26)"}
    )
    rerank: bool = field(default=True, metadata={"help": "rerank candidates with the LLM"})
    pool: int = field(
        default=100, metadata={"help": "fused candidates the ranking stage orders before the LLM"}
    )
    ranking: str = field(
        default="learned_specific",
        metadata={
            "help": "ranking stage: 'learned_specific' (LightGBM over the candidates' "
            "features; when a person named what they liked, a pick sharing a specific fact "
            "with it first), 'learned' (the model's order alone), 'tiers' (a specific shared "
            "fact first, title echoes last, retrieval order inside) or 'fused' (the retrieval "
            "order, as before the stage); an active wish comes first in all but 'fused'"
        },
    )
    query_text: str = field(
        default="wish",
        metadata={
            "help": "text of the lexical and dense queries in chat: 'wish' (what the user wished "
            "for, never the named titles) or 'dialog' (the recent utterances, as before)"
        },
    )
    model: str = field(default=DEFAULT_MODEL, metadata={"help": "base LLM id or path"})
    adapter: str | None = field(
        default=None,
        metadata={
            "help": "LoRA adapter folder for reranking (default: the shipped one; 'none': base model)"
        },
    )
    writer_adapter: str | None = field(
        default=None,
        metadata={
            "help": "LoRA adapter folder of the justification writer (default: the shipped one, "
            "trained on OpenDialKG's replies; 'none': the base model with few-shot prompting)"
        },
    )
    # on the command line the runtime's --device sets it (one flag for every command)
    device: str = field(default="auto", metadata={"help": "auto, cpu or cuda", "cli": False})
    fusion_weight: float | None = field(
        default=None,
        metadata={
            "help": "weight of the retrieval-rank prior added to the LLM's scores "
            "(default: the catalog's tuned rerank_weight)"
        },
    )
    justify: bool = field(
        default=False,
        metadata={
            "help": "have the LLM (the trained writer adapter) write each pick's reason "
            "(checked, else the evidence sentence is kept); off by default: the evidence "
            "sentences always say a detail of the pick, the writer's text less often, and a "
            "reply without the writer is faster (make bench; DEVELOPERS.md, 'Justifications')"
        },
    )
    batch_justifications: bool = field(
        default=True,
        metadata={
            "help": "a trained local writer writes a reply's reasons together in one batched "
            "generation, each streamed as it passes the check (off: one pick after another; "
            "make bench measures both)"
        },
    )
    writer_dtype: str = field(
        default="auto",
        metadata={
            "help": "number format of the writer's copy of the LLM: float32, bfloat16, or auto "
            "(bfloat16 where the CPU or GPU computes it natively, else float32); the reranker "
            "stays float32"
        },
    )
    writer_samples: int = field(
        default=4,
        metadata={
            "help": "a trained writer's reason refused by the check is written again by "
            "sampling this many texts (a reply's later picks together, after the batch; the "
            "first pick's beside its greedy text, see race_first_reason); the first that "
            "passes and says a detail of the pick is kept, else the first that passes (0: "
            "greedy only; tuned on validation picks, DEVELOPERS.md 'Justifications')"
        },
    )
    second_sentence: bool = field(
        default=True,
        metadata={
            "help": "a trained writer's reason that passes but says only what connects the pick "
            "is given back to the writer with the pick's name opening a second sentence, kept "
            "if it passes and says a detail of the pick (reasons written together, the "
            "default with a trained local writer; DEVELOPERS.md 'Justifications')"
        },
    )
    race_first_reason: bool = field(
        default=True,
        metadata={
            "help": "the first pick's rewrites (writer_samples) are sampled in the same batch as "
            "the greedy reasons and race its greedy text: the greedy text is shown with its "
            "first sentence that passes the check, a rewrite once it passes and says a detail "
            "of the pick (off: rewrites only after the batch, when the greedy text was "
            "refused; make bench measures both)"
        },
    )
    max_new_tokens: int = field(
        default=48, metadata={"help": "justification length limit in tokens"}
    )
    max_message_chars: int = field(
        default=2000, metadata={"help": "longer messages are cut, with a notice"}
    )
    recent_utterances: int = field(
        default=3, metadata={"help": "utterances used as the retrieval query text"}
    )
    sessions: Path | None = field(
        default=None,
        metadata={
            "help": "SQLite file for sessions (default: sessions.sqlite in the cache folder)"
        },
    )

    def __post_init__(self) -> None:
        if not 1 <= self.k <= 100:
            raise ValueError(f"k must be in 1..100, got {self.k}")
        if not 2 <= self.num_candidates <= 26:
            raise ValueError(f"num_candidates must be in 2..26, got {self.num_candidates}")
        if self.fusion_weight is not None and self.fusion_weight < 0:
            raise ValueError(f"fusion_weight must be >= 0, got {self.fusion_weight}")
        from crossrec.agent.ranking import RANKINGS

        if self.ranking not in RANKINGS:
            raise ValueError(f"ranking must be one of {sorted(RANKINGS)}, got {self.ranking!r}")
        if self.query_text not in ("wish", "dialog"):
            raise ValueError(f"query_text must be 'wish' or 'dialog', got {self.query_text!r}")
        if self.pool < self.num_candidates:
            raise ValueError(f"pool must be >= num_candidates, got {self.pool}")
        if self.writer_dtype not in ("auto", "float32", "bfloat16"):
            raise ValueError(
                f"writer_dtype must be auto, float32 or bfloat16, got {self.writer_dtype!r}"
            )
        if not 0 <= self.writer_samples <= 8:
            raise ValueError(f"writer_samples must be in 0..8, got {self.writer_samples}")
        if self.max_message_chars < 50:
            raise ValueError(f"max_message_chars must be >= 50, got {self.max_message_chars}")
