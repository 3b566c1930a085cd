"""A justification writer learned from real replies: examples and a LoRA fit on them.

One example is one recommending turn of OpenDialKG's train split: the pick (the turn's target
that its reply names), the liked item the agent's evidence connects it to, the pick's facts
(:func:`crossrec.agent.writer_facts`, as at serving), the user's last message -> the human
recommender's reply. Only replies that pass the agent's grounding check and name what connects
(the liked item or a given fact) are kept, so the adapter learns the replies the check lets
through; the facts a reply states are true facts of the pick and are added to its fact list,
so the writer learns to say the facts it is given. Training is the plain language-model loss
on the reply tokens, with a held-out slice of dialogs for the validation loss.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from crossrec.finetune.prompting import cut_to_tokens
from crossrec.retrieval import EntityLinker, EvidenceFinder, Retrieval, decisions
from tqdm.auto import tqdm

__all__ = ["WriterConfig", "WriterExample", "build_writer_examples", "train_writer"]

_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass
class WriterConfig:
    """How many writer examples to build, and how to train on them."""

    examples: int = field(default=1500, metadata={"help": "most training examples"})
    composed_examples: int = field(
        default=500, metadata={"help": "most examples composed for a catalog without replies"}
    )
    heldout_fraction: float = field(default=0.1, metadata={"help": "dialogs held out"})
    epochs: float = field(default=1.0, metadata={"help": "passes over the examples"})
    learning_rate: float = field(default=5e-4, metadata={"help": "AdamW learning rate"})
    batch_size: int = field(default=8, metadata={"help": "examples per update"})
    lora_rank: int = field(default=8, metadata={"help": "LoRA rank"})
    message_words: int = field(default=20, metadata={"help": "words of the user's message"})
    message_tokens: int = field(default=40, metadata={"help": "tokens of the user's message"})
    save_steps: int = field(default=25, metadata={"help": "updates between checkpoints"})
    seed: int = field(default=0, metadata={"help": "seed of the split, the order and LoRA"})


@dataclass
class WriterExample:
    """One prompt (pick, liked item, facts, message) and the reply to learn."""

    dataset: str
    row_id: str
    group: str  # the dialog: held-out dialogs never lend a turn to training
    split: str
    item_id: str
    pick: str
    domain: str
    liked: str
    facts: list[list[str]]
    message: str
    reply: str


def _said(tokenizer, utterance: str, config: WriterConfig) -> str:
    """The user's message as the serving writer cuts it (words, then tokens)."""
    said = " ".join(utterance.split()[: config.message_words])
    return cut_to_tokens(tokenizer, said, config.message_tokens).strip() or "(nothing)"


def _connects(reply: str, liked: str, facts) -> bool:
    folded = reply.casefold()
    return any(v and v.casefold() in folded for v in (liked, *(value for _, value in facts)))


def _turns(dataset, linker, config: WriterConfig, rng: random.Random):
    """(train turns to learn from, held-out groups, whether the turns have human replies):
    the turns with a reply, or where the catalog has none a sample of four per example."""
    rows = decisions(dataset, "train", linker)
    replies = [d for d in rows if d.reference and d.dialog]
    if not replies:  # no human replies: reasons composed from the evidence, for a sample
        rows = rng.sample(rows, min(len(rows), 4 * config.composed_examples))
    groups = sorted({d.group for d in replies or rows})
    rng.shuffle(groups)
    heldout = set(groups[: max(1, int(len(groups) * config.heldout_fraction))])
    return replies or rows, heldout, bool(replies)


def build_writer_examples(
    retrieval: Retrieval, tokenizer, config: WriterConfig, progress: bool = True
) -> list[WriterExample]:
    """Training and held-out writer examples from the train split's recommending turns: their
    human replies, or where a catalog has none (Amazon) reasons composed from the evidence
    (:func:`crossrec.agent.compose_reason`) for at most ``config.composed_examples``."""
    from crossrec.agent import GroundingCheck, compose_reason, writer_facts

    dataset = retrieval.dataset
    catalog, graph = dataset.catalog, retrieval.graph
    linker = EntityLinker(catalog, graph)
    check = GroundingCheck(catalog, graph)
    finder = EvidenceFinder(graph, retrieval.cooccurrence)
    rng = random.Random(config.seed)
    rows, heldout, replies = _turns(dataset, linker, config, rng)
    out: list[WriterExample] = []
    for n, decision in enumerate(tqdm(rows, desc="writer examples", disable=not progress)):
        for item_id in decision.targets:
            links = finder.find(item_id, decision.history, decision.facts, limit=3)
            reply = " ".join(decision.reference.split()) if replies else ""
            if links and not replies:
                reply = compose_reason(item_id, links, catalog, graph, variant=n)
            if not reply or check.problems(reply, item_id, decision.history, links):
                continue
            own = set(graph.facts_of(item_id))
            stated = [f for m in linker.link(reply) if m.kind == "fact" for f in m.facts]
            liked, facts = writer_facts(
                item_id, links, catalog, graph, extra=[f for f in stated if f in own]
            )
            if not _connects(reply, liked, facts):
                continue
            out.append(
                WriterExample(
                    dataset=dataset.name,
                    row_id=decision.row_id,
                    group=decision.group,
                    split="heldout" if decision.group in heldout else "train",
                    item_id=item_id,
                    pick=catalog.spoken(item_id),
                    domain=catalog[item_id].domain,
                    liked=liked,
                    facts=[list(f) for f in facts],
                    message=_said(
                        tokenizer, decision.dialog[-1] if decision.dialog else "", config
                    ),
                    reply=reply,
                )
            )
            break
    train = [e for e in out if e.split == "train"]
    rng.shuffle(train)
    most = config.examples if replies else config.composed_examples
    return train[:most] + [e for e in out if e.split == "heldout"][: max(1, most // 8)]


def _encode(tokenizer, example: WriterExample) -> tuple[list[int], list[int]]:
    """(input ids, labels): the chat-templated prompt, then the reply and end of turn."""
    from crossrec.agent import trained_prompt

    messages = trained_prompt(
        example.pick, example.domain, example.liked, example.facts, example.message
    )
    text = tokenizer.apply_chat_template(
        [{"role": r, "content": c} for r, c in messages], tokenize=False, add_generation_prompt=True
    )
    prompt = tokenizer(text, add_special_tokens=False)["input_ids"]
    answer = tokenizer(example.reply + tokenizer.eos_token, add_special_tokens=False)["input_ids"]
    return prompt + answer, [-100] * len(prompt) + answer


def _loss(model, tokenizer, batch: Sequence[tuple[list[int], list[int]]]):
    import torch

    width = max(len(ids) for ids, _ in batch)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    ids = torch.tensor([i + [pad] * (width - len(i)) for i, _ in batch])
    labels = torch.tensor([lab + [-100] * (width - len(lab)) for _, lab in batch])
    mask = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i, _ in batch])
    device = next(model.parameters()).device
    return model(
        input_ids=ids.to(device), attention_mask=mask.to(device), labels=labels.to(device)
    ).loss


def _heldout_loss(model, tokenizer, encoded, batch_size: int) -> float:
    import torch

    model.eval()
    with torch.no_grad():
        losses = [
            float(_loss(model, tokenizer, encoded[i : i + batch_size]))
            for i in range(0, len(encoded), batch_size)
        ]
    model.train()
    return sum(losses) / max(1, len(losses))


# long by design: the training loop (plan, resume, step, checkpoint, validate) in reading order
def train_writer(
    model,
    tokenizer,
    examples: Sequence[WriterExample],
    config: WriterConfig,
    output_dir: Path,
    progress: bool = True,
):
    """Fit a LoRA writer adapter; checkpoints in ``output_dir/checkpoint`` (resumed when
    present). Returns (the adapter-wrapped model, a summary)."""
    import torch
    from peft import LoraConfig, get_peft_model, set_peft_model_state_dict
    from safetensors.torch import load_file

    torch.manual_seed(config.seed)
    output_dir = Path(output_dir)
    checkpoint = output_dir / "checkpoint"
    train = [_encode(tokenizer, e) for e in examples if e.split == "train"]
    heldout = [_encode(tokenizer, e) for e in examples if e.split == "heldout"]
    lora = LoraConfig(
        r=config.lora_rank,
        lora_alpha=2 * config.lora_rank,
        target_modules=list(_TARGETS),
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(model, lora)
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=config.learning_rate
    )
    rng = random.Random(config.seed)
    order = []
    for _ in range(max(1, math.ceil(config.epochs))):
        epoch = list(range(len(train)))
        rng.shuffle(epoch)
        order += epoch
    order = order[: int(len(train) * config.epochs)]
    plan = [order[i : i + config.batch_size] for i in range(0, len(order), config.batch_size)]
    total = max(1, len(plan))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / max(1, total // 20)) * 0.5 * (1 + math.cos(math.pi * s / total))
    )  # fmt: skip
    step = 0
    if (checkpoint / "state.json").is_file():
        step = json.loads((checkpoint / "state.json").read_text())["step"]
        set_peft_model_state_dict(model, load_file(str(checkpoint / "adapter_model.safetensors")))
        saved = torch.load(checkpoint / "trainer.pt", weights_only=True)
        optimizer.load_state_dict(saved["optimizer"])
        schedule.load_state_dict(saved["schedule"])
    before = _heldout_loss(model, tokenizer, heldout, config.batch_size) if step == 0 else None
    model.train()
    start, tokens = time.perf_counter(), 0
    for number in tqdm(range(step, total), desc="writer", disable=not progress):
        batch = [train[i] for i in plan[number]]
        loss = _loss(model, tokenizer, batch)
        loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        tokens += sum(len(ids) for ids, _ in batch)
        if config.save_steps and (number + 1) % config.save_steps == 0:
            model.save_pretrained(checkpoint)
            torch.save(
                {"optimizer": optimizer.state_dict(), "schedule": schedule.state_dict()},
                checkpoint / "trainer.pt",
            )
            (checkpoint / "state.json").write_text(json.dumps({"step": number + 1}))
    seconds = time.perf_counter() - start
    summary = {
        "train_examples": len(train),
        "heldout_examples": len(heldout),
        "updates": total,
        "heldout_loss_before": before,
        "heldout_loss_after": _heldout_loss(model, tokenizer, heldout, config.batch_size),
        "train_seconds": round(seconds, 1),
        "tokens_per_s": round(tokens / max(seconds, 1e-9), 1),
        "config": asdict(config),
    }
    model.eval()
    return model, summary
