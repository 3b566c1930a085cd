"""LoRA training of the verbalizer reranker with peft + accelerate.

The same loop runs single-process on CPU, on one GPU, and multi-process under
``accelerate launch`` (gloo on CPU, NCCL on GPUs). Loss is cross-entropy on the answer tokens
only; the LM head runs only on the answer positions (sequences are left-padded so answers end
in the same columns). Validation (label accuracy, loss) runs every ``eval_steps``; state is
checkpointed every ``save_steps`` and ``--resume`` continues from the latest checkpoint.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from crossrec.finetune.examples import Example, rerank_input
from crossrec.finetune.model import DEFAULT_MODEL
from crossrec.finetune.prompting import PromptBuilder, PromptEncoding, PromptLimits
from crossrec.finetune.rerank import (
    VERBALIZER_TOKEN,
    VerbalizerReranker,
    candidate_logits,
    last_logits,
    left_pad,
)
from tqdm.auto import tqdm

__all__ = ["LoraSettings", "TrainConfig", "encode_example", "evaluate_examples", "train"]


@dataclass
class LoraSettings:
    """The LoRA adapter's shape."""

    rank: int = field(default=8, metadata={"help": "LoRA rank r"})
    alpha: int = field(default=16, metadata={"help": "LoRA alpha (scale = alpha / r)"})
    dropout: float = field(default=0.05, metadata={"help": "dropout on the LoRA path"})
    target_modules: tuple[str, ...] = field(
        default=("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
        metadata={"help": "module names that get adapters"},
    )

    def __post_init__(self) -> None:
        if self.rank < 1 or self.alpha < 1:
            raise ValueError(f"LoRA rank and alpha must be >= 1, got {self.rank}, {self.alpha}")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"LoRA dropout must be in [0, 1), got {self.dropout}")


@dataclass
class TrainConfig:
    """Everything one training run needs, saved next to its adapter."""

    model: str = field(default=DEFAULT_MODEL, metadata={"help": "base model id or path"})
    lora: LoraSettings = field(default_factory=LoraSettings, metadata={"cli": False})
    prompt: PromptLimits = field(default_factory=PromptLimits, metadata={"cli": False})
    learning_rate: float = field(default=3e-4, metadata={"help": "peak learning rate"})
    schedule: str = field(
        default="cosine",
        metadata={"help": "learning-rate schedule", "choices": ("cosine", "linear", "constant")},
    )
    warmup_ratio: float = field(default=0.05, metadata={"help": "share of steps spent warming up"})
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay"})
    epochs: float = field(default=1.0, metadata={"help": "passes over the training examples"})
    max_length: int = field(default=1024, metadata={"help": "longest prompt+answer in tokens"})
    batch_size: int = field(default=4, metadata={"help": "examples per step and process"})
    grad_accum: int = field(default=4, metadata={"help": "steps per optimizer update"})
    loss: str = field(
        default="line",
        metadata={
            "help": "line: cross-entropy over the candidates' line read-outs (the shipped reranker); "
            "label: over the label tokens at the answer position (LlamaRec); lm: plain "
            "language-model loss on the answer tokens",
            "choices": ("line", "label", "lm"),
        },
    )
    eval_steps: int = field(
        default=50, metadata={"help": "validate every N optimizer updates (0: end only)"}
    )
    save_steps: int = field(
        default=50, metadata={"help": "checkpoint every N optimizer updates (0: never)"}
    )
    eval_examples: int = field(default=120, metadata={"help": "held-out examples per validation"})
    max_steps: int = field(
        default=0, metadata={"help": "stop after N optimizer updates (0: epochs decide)"}
    )
    seed: int = field(default=0, metadata={"help": "random seed"})

    def __post_init__(self) -> None:
        if self.learning_rate <= 0 or self.epochs <= 0:
            raise ValueError("learning_rate and epochs must be > 0")
        if self.batch_size < 1 or self.grad_accum < 1:
            raise ValueError("batch_size and grad_accum must be >= 1")
        if self.schedule not in ("cosine", "linear", "constant"):
            raise ValueError(f"unknown schedule {self.schedule!r}")
        if self.loss not in ("line", "label", "lm"):
            raise ValueError(f"unknown loss {self.loss!r}; choose line, label or lm")

    @property
    def rerank_mode(self) -> str:
        """The read-out the trained adapter is meant for."""
        return "line" if self.loss == "line" else "label"


@dataclass(frozen=True)
class Encoded:
    """A training example as tokens: the prompt, the answer (for the lm loss), the true label."""

    prompt: PromptEncoding
    answer: list[int]
    label: int

    @property
    def length(self) -> int:
        return len(self.prompt.ids) + len(self.answer)


def encode_example(builder: PromptBuilder, example: Example, max_length: int) -> Encoded:
    """Tokenise one example (prompt with candidate-line positions, answer tokens)."""
    prompt = builder.encode(rerank_input(example))
    answer = builder.tokenizer(
        builder.answer(example.label, example.justification), add_special_tokens=False
    )["input_ids"]
    if len(prompt.ids) + len(answer) > max_length:
        raise ValueError(
            f"example {example.dataset}/{example.row_id} is {len(prompt.ids) + len(answer)} "
            f"tokens, over max_length={max_length}"
        )
    return Encoded(prompt, list(answer), example.label)


def _batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Length-grouped batches in random order (little padding, no fixed order)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    group = batch_size * 16
    batches = []
    for start in range(0, len(order), group):
        chunk = sorted(order[start : start + group], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _loss(model, batch: Sequence[Encoded], pad_id: int, verbalizer_id: int, kind: str):
    """Mean loss of a batch: cross-entropy over the candidates (line or label read-out), or the
    plain language-model loss on the answer tokens (lm)."""
    import torch
    from torch.nn.functional import cross_entropy

    if kind in ("line", "label"):
        pairs = candidate_logits(model, [e.prompt for e in batch], pad_id, verbalizer_id)
        device = pairs[0][0].device
        losses = [
            cross_entropy(
                (line if kind == "line" else label)[None], torch.tensor([e.label], device=device)
            )
            for (line, label), e in zip(pairs, batch, strict=True)
        ]
        return torch.stack(losses).mean()
    sequences = [e.prompt.ids + e.answer for e in batch]
    input_ids, mask, positions = left_pad(sequences, pad_id)
    device = next(model.parameters()).device
    keep = max(len(e.answer) for e in batch) + 1
    logits = last_logits(
        model, input_ids.to(device), mask.to(device), positions.to(device), keep=keep
    ).float()
    targets = torch.full((len(batch), keep - 1), -100, dtype=torch.long)
    for row, e in enumerate(batch):
        targets[row, keep - 1 - len(e.answer) :] = torch.tensor(e.answer)
    return cross_entropy(
        logits[:, :-1].reshape(-1, logits.shape[-1]),
        targets.to(device).reshape(-1),
        ignore_index=-100,
    )


def evaluate_examples(
    model,
    builder: PromptBuilder,
    examples: Sequence[Example],
    max_length: int,
    batch_size: int = 4,
    mode: str = "line",
) -> dict[str, float]:
    """Label accuracy, recall@5, mean rank of the true candidate and the loss, on held-out examples."""
    if not examples:
        return {}
    was_training = model.training
    model.eval()
    reranker = VerbalizerReranker(
        model, builder.tokenizer, builder, batch_size, max_length, mode=mode
    )
    scores = reranker.score([rerank_input(e) for e in examples])
    if was_training:
        model.train()
    ranks = [int((s > s[e.label]).sum()) + 1 for s, e in zip(scores, examples, strict=True)]
    loss = float(np.mean([-s[e.label] for s, e in zip(scores, examples, strict=True)]))
    return {
        "label_accuracy": float(np.mean([r == 1 for r in ranks])),
        "recall@5": float(np.mean([r <= 5 for r in ranks])),
        "mean_rank": float(np.mean(ranks)),
        "loss": loss,
    }


def _schedule(config: TrainConfig, total: int):
    warmup = max(1, int(total * config.warmup_ratio))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        if config.schedule == "cosine":
            return 0.5 * (1 + math.cos(math.pi * progress))
        if config.schedule == "linear":
            return 1.0 - progress
        return 1.0

    return factor


def _save_checkpoint(
    model, optimizer, scheduler, checkpoints: Path, state: dict, keep: int = 2
) -> None:
    """Adapter weights + optimizer and schedule state (the frozen base model is not copied)."""
    import shutil

    import torch

    folder = checkpoints / f"update-{state['update']}"
    model.save_pretrained(folder / "adapter")
    torch.save(
        {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()},
        folder / "trainer.pt",
    )
    (checkpoints / "latest.json").write_text(json.dumps(state))
    old = sorted(checkpoints.glob("update-*"), key=lambda p: int(p.name.split("-")[1]))[:-keep]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)


def _load_checkpoint(model, optimizer, scheduler, folder: Path) -> None:
    import torch
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    set_peft_model_state_dict(
        model, load_file(str(folder / "adapter" / "adapter_model.safetensors"))
    )
    saved = torch.load(folder / "trainer.pt", weights_only=True)
    optimizer.load_state_dict(saved["optimizer"])
    scheduler.load_state_dict(saved["scheduler"])


def train(
    model,
    tokenizer,
    catalogs: dict,
    train_examples: Sequence[Example],
    eval_examples: Sequence[Example],
    config: TrainConfig,
    output_dir: Path,
    resume: bool = False,
    progress: bool = True,
) -> dict:
    """Fit a LoRA adapter on ``train_examples``; returns the final validation metrics.

    ``catalogs`` maps dataset name -> Catalog (prompts render titles from them).
    """
    import torch
    from accelerate import Accelerator
    from accelerate.utils import set_seed
    from peft import LoraConfig, get_peft_model

    output_dir = Path(output_dir)
    accelerator = Accelerator(
        gradient_accumulation_steps=config.grad_accum, cpu=not torch.cuda.is_available()
    )
    set_seed(config.seed)
    builders = {
        name: PromptBuilder(cat, tokenizer, config.prompt) for name, cat in catalogs.items()
    }
    encoded = [encode_example(builders[e.dataset], e, config.max_length) for e in train_examples]
    verbalizer_id = tokenizer.encode(VERBALIZER_TOKEN, add_special_tokens=False)[0]
    lora = LoraConfig(
        r=config.lora.rank,
        lora_alpha=config.lora.alpha,
        lora_dropout=config.lora.dropout,
        target_modules=list(config.lora.target_modules),
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(model, lora)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        trainable, lr=config.learning_rate, weight_decay=config.weight_decay
    )
    rng = random.Random(config.seed)
    n_epochs = max(1, math.ceil(config.epochs))
    plan = [_batches([e.length for e in encoded], config.batch_size, rng) for _ in range(n_epochs)]
    plan = [b for epoch in plan for b in epoch][: int(len(plan[0]) * config.epochs)]
    plan = plan[accelerator.process_index :: accelerator.num_processes]
    total_updates = max(1, len(plan) // config.grad_accum)
    if config.max_steps:
        total_updates = min(total_updates, config.max_steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _schedule(config, total_updates))
    checkpoints = output_dir / "checkpoints"
    state = {"update": 0, "batch": 0, "tokens": 0}
    if resume and (checkpoints / "latest.json").is_file():
        state = json.loads((checkpoints / "latest.json").read_text())
        _load_checkpoint(model, optimizer, scheduler, checkpoints / f"update-{state['update']}")
        accelerator.print(f"resumed from update {state['update']}")
    # The scheduler is stepped by hand once per optimizer update, so it is not prepared.
    model, optimizer = accelerator.prepare(model, optimizer)
    log_path = output_dir / "train_log.jsonl"
    output_dir.mkdir(parents=True, exist_ok=True)

    def log(record: dict) -> None:
        if accelerator.is_main_process:
            with log_path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")

    def validate() -> dict:
        metrics = {}
        if accelerator.is_main_process and eval_examples:
            unwrapped = accelerator.unwrap_model(model)
            per = {}
            for name, builder in builders.items():
                subset = [e for e in eval_examples if e.dataset == name][: config.eval_examples]
                if subset:
                    per[name] = evaluate_examples(
                        unwrapped,
                        builder,
                        subset,
                        config.max_length,
                        config.batch_size,
                        config.rerank_mode,
                    )
            metrics = {f"{n}/{k}": v for n, m in per.items() for k, v in m.items()}
            log({"update": state["update"], "eval": metrics})
        accelerator.wait_for_everyone()
        return metrics

    start, last_loss = time.perf_counter(), float("nan")
    tokens_at_start = state["tokens"]
    bar = tqdm(
        total=total_updates,
        initial=state["update"],
        desc="training",
        unit="update",
        disable=not progress or not accelerator.is_local_main_process,
    )
    for batch_number in range(state["batch"], len(plan)):
        if state["update"] >= total_updates:
            break
        batch = [encoded[i] for i in plan[batch_number]]
        with accelerator.accumulate(model):
            loss = _loss(model, batch, tokenizer.pad_token_id, verbalizer_id, config.loss)
            accelerator.backward(loss)
            optimizer.step()
            if accelerator.sync_gradients:
                scheduler.step()
            optimizer.zero_grad()
        state["batch"] = batch_number + 1
        state["tokens"] += sum(e.length for e in batch)
        last_loss = float(loss.detach())
        if accelerator.sync_gradients:
            state["update"] += 1
            elapsed = time.perf_counter() - start
            rate = (
                (state["tokens"] - tokens_at_start) * accelerator.num_processes / max(elapsed, 1e-9)
            )
            bar.update(1)
            bar.set_postfix(loss=f"{last_loss:.3f}", tok_s=f"{rate:.0f}")
            log(
                {
                    "update": state["update"],
                    "loss": last_loss,
                    "lr": scheduler.get_last_lr()[0],
                    "tokens": state["tokens"] * accelerator.num_processes,
                    "tokens_per_s": rate,
                    "elapsed_s": elapsed,
                }
            )
            if config.eval_steps and state["update"] % config.eval_steps == 0:
                validate()
            if config.save_steps and state["update"] % config.save_steps == 0:
                if accelerator.is_main_process:
                    _save_checkpoint(
                        accelerator.unwrap_model(model), optimizer, scheduler, checkpoints, state
                    )
                accelerator.wait_for_everyone()
    bar.close()
    metrics = validate()
    elapsed = time.perf_counter() - start
    summary = {
        "updates": state["update"],
        "final_loss": last_loss,
        "train_seconds": elapsed,
        "tokens_per_s": (state["tokens"] - tokens_at_start)
        * accelerator.num_processes
        / max(elapsed, 1e-9),
        "processes": accelerator.num_processes,
        "device": str(accelerator.device),
        "rerank_mode": config.rerank_mode,
        "validation": metrics,
    }
    accelerator.wait_for_everyone()
    return {
        "model": accelerator.unwrap_model(model),
        "summary": summary,
        "is_main": accelerator.is_main_process,
    }
