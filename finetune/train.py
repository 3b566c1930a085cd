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
from crossrec.finetune.losses import LOSSES
from crossrec.finetune.model import DEFAULT_MODEL
from crossrec.finetune.prompting import PromptBuilder, PromptEncoding, PromptLimits
from crossrec.finetune.rerank import VERBALIZER_TOKEN, make_reranker
from tqdm.auto import tqdm

__all__ = [
    "LoraSettings",
    "TrainConfig",
    "TrainResult",
    "Trainer",
    "encode_example",
    "evaluate_examples",
    "train",
]


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
            "choices": ("line", "label", "lm"),  # the names in losses.LOSSES
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
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss {self.loss!r}; choose from {', '.join(LOSSES)}")

    @property
    def rerank_mode(self) -> str:
        """The read-out the trained adapter is meant for."""
        return LOSSES[self.loss].readout


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
    reranker = make_reranker(
        mode, model, builder.tokenizer, builder, batch_size=batch_size, max_length=max_length
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


@dataclass
class TrainResult:
    """What one run produced: the adapter-wrapped model and its summary (main process only)."""

    model: object
    summary: dict
    is_main: bool


class Trainer:
    """LoRA training of the verbalizer reranker: ``fit``, ``evaluate``, checkpoints, resume.

    The same object runs single-process on CPU, on one GPU, and under ``accelerate launch``.
    """

    def __init__(
        self,
        model,
        tokenizer,
        catalogs: dict,
        config: TrainConfig,
        output_dir: Path,
        progress: bool = True,
    ):
        import torch
        from accelerate import Accelerator
        from accelerate.utils import set_seed
        from peft import LoraConfig, get_peft_model

        self.config, self.tokenizer, self.progress = config, tokenizer, progress
        self.output_dir = Path(output_dir)
        self.checkpoints = self.output_dir / "checkpoints"
        self.accelerator = Accelerator(
            gradient_accumulation_steps=config.grad_accum, cpu=not torch.cuda.is_available()
        )
        set_seed(config.seed)
        self.builders = {
            name: PromptBuilder(cat, tokenizer, config.prompt) for name, cat in catalogs.items()
        }
        self.loss = LOSSES[config.loss]
        self.verbalizer_id = tokenizer.encode(VERBALIZER_TOKEN, add_special_tokens=False)[0]
        lora = LoraConfig(
            r=config.lora.rank,
            lora_alpha=config.lora.alpha,
            lora_dropout=config.lora.dropout,
            target_modules=list(config.lora.target_modules),
            task_type="CAUSAL_LM",
        )
        self.model = get_peft_model(model, lora)
        trainable = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(
            trainable, lr=config.learning_rate, weight_decay=config.weight_decay
        )
        self.scheduler = None
        self.state = {"update": 0, "batch": 0, "tokens": 0}

    def _plan(self, encoded: Sequence[Encoded]) -> tuple[list[list[int]], int]:
        """This process's batches over all epochs, and the number of optimizer updates."""
        import torch

        config, accelerator = self.config, self.accelerator
        rng = random.Random(config.seed)
        n_epochs = max(1, math.ceil(config.epochs))
        plan = [
            _batches([e.length for e in encoded], config.batch_size, rng) for _ in range(n_epochs)
        ]
        plan = [b for epoch in plan for b in epoch][: int(len(plan[0]) * config.epochs)]
        plan = plan[accelerator.process_index :: accelerator.num_processes]
        total = max(1, len(plan) // config.grad_accum)
        if config.max_steps:
            total = min(total, config.max_steps)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, _schedule(config, total))
        return plan, total

    def _log(self, record: dict) -> None:
        if self.accelerator.is_main_process:
            with (self.output_dir / "train_log.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")

    def evaluate(self, examples: Sequence[Example]) -> dict[str, float]:
        """Validation metrics per dataset (``name/metric``), logged; main process only."""
        metrics = {}
        if self.accelerator.is_main_process and examples:
            unwrapped = self.accelerator.unwrap_model(self.model)
            config = self.config
            for name, builder in self.builders.items():
                subset = [e for e in examples if e.dataset == name][: config.eval_examples]
                if subset:
                    found = evaluate_examples(
                        unwrapped, builder, subset, config.max_length, config.batch_size,
                        config.rerank_mode,
                    )  # fmt: skip
                    metrics |= {f"{name}/{k}": v for k, v in found.items()}
            self._log({"update": self.state["update"], "eval": metrics})
        self.accelerator.wait_for_everyone()
        return metrics

    def save_checkpoint(self, keep: int = 2) -> None:
        """Adapter weights + optimizer and schedule state (the frozen base model is not copied)."""
        if self.accelerator.is_main_process:
            _save_checkpoint(
                self.accelerator.unwrap_model(self.model), self.optimizer, self.scheduler,
                self.checkpoints, self.state, keep,
            )  # fmt: skip
        self.accelerator.wait_for_everyone()

    def resume(self) -> bool:
        """Continue from the latest checkpoint, if there is one."""
        if self.scheduler is None:
            raise RuntimeError("resume() continues a planned run: call fit(..., resume=True)")
        latest = self.checkpoints / "latest.json"
        if not latest.is_file():
            return False
        self.state = json.loads(latest.read_text())
        folder = self.checkpoints / f"update-{self.state['update']}"
        _load_checkpoint(self.model, self.optimizer, self.scheduler, folder)
        self.accelerator.print(f"resumed from update {self.state['update']}")
        return True

    def _step(self, batch: Sequence[Encoded]) -> float:
        accelerator = self.accelerator
        with accelerator.accumulate(self.model):
            loss = self.loss(self.model, batch, self.tokenizer.pad_token_id, self.verbalizer_id)
            accelerator.backward(loss)
            self.optimizer.step()
            if accelerator.sync_gradients:
                self.scheduler.step()
            self.optimizer.zero_grad()
        self.state["tokens"] += sum(e.length for e in batch)
        return float(loss.detach())

    # long by design: the training loop (step, log, validate, checkpoint) in reading order
    def fit(
        self,
        train_examples: Sequence[Example],
        eval_examples: Sequence[Example] = (),
        resume: bool = False,
    ) -> TrainResult:
        """Train on ``train_examples``, validating every ``eval_steps`` and checkpointing every
        ``save_steps`` updates; returns the model and the summary."""
        config, accelerator = self.config, self.accelerator
        encoded = [
            encode_example(self.builders[e.dataset], e, config.max_length) for e in train_examples
        ]
        plan, total = self._plan(encoded)
        if resume:
            self.resume()
        # the scheduler is stepped by hand once per optimizer update, so it is not prepared
        self.model.train()
        self.model, self.optimizer = accelerator.prepare(self.model, self.optimizer)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        state, start, last_loss = self.state, time.perf_counter(), float("nan")
        tokens_at_start = state["tokens"]
        bar = tqdm(
            total=total, initial=state["update"], desc="training", unit="update",
            disable=not self.progress or not accelerator.is_local_main_process,
        )  # fmt: skip
        for number in range(state["batch"], len(plan)):
            if state["update"] >= total:
                break
            last_loss = self._step([encoded[i] for i in plan[number]])
            state["batch"] = number + 1
            if not accelerator.sync_gradients:
                continue
            state["update"] += 1
            elapsed = time.perf_counter() - start
            rate = (
                (state["tokens"] - tokens_at_start) * accelerator.num_processes / max(elapsed, 1e-9)
            )
            bar.update(1)
            bar.set_postfix(loss=f"{last_loss:.3f}", tok_s=f"{rate:.0f}")
            self._log({"update": state["update"], "loss": last_loss, "lr": self.scheduler.get_last_lr()[0],
                       "tokens": state["tokens"] * accelerator.num_processes, "tokens_per_s": rate,
                       "elapsed_s": elapsed})  # fmt: skip
            if config.eval_steps and state["update"] % config.eval_steps == 0:
                self.evaluate(eval_examples)
            if config.save_steps and state["update"] % config.save_steps == 0:
                self.save_checkpoint()
        bar.close()
        metrics = self.evaluate(eval_examples)
        elapsed = time.perf_counter() - start
        summary = {
            "updates": state["update"],
            "final_loss": last_loss,
            "train_seconds": elapsed,
            "tokens_per_s": (state["tokens"] - tokens_at_start) * accelerator.num_processes / max(elapsed, 1e-9),
            "processes": accelerator.num_processes,
            "device": str(accelerator.device),
            "rerank_mode": config.rerank_mode,
            "validation": metrics,
        }  # fmt: skip
        accelerator.wait_for_everyone()
        return TrainResult(
            accelerator.unwrap_model(self.model), summary, accelerator.is_main_process
        )


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
) -> TrainResult:
    """Fit a LoRA adapter on ``train_examples`` (a :class:`Trainer` in one call).

    ``catalogs`` maps dataset name -> Catalog (prompts render titles from them).
    """
    trainer = Trainer(model, tokenizer, catalogs, config, output_dir, progress)
    return trainer.fit(train_examples, eval_examples, resume=resume)
