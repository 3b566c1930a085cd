"""``crossrec model``, ``train``, ``train-writer``, ``train-ranker``, ``rerank-eval`` and
``distill-embedder``."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from crossrec.cli import (
    add_dataclass_arguments,
    from_namespace,
    runtime_from,
    runtime_parser,
)
from crossrec.finetune.model import DEFAULT_MODEL
from crossrec.retrieval import DEFAULT_STUDENT

__all__ = ["register"]


@dataclass
class ModelOptions:
    action: str = field(
        default="convert", metadata={"positional": True, "choices": ("convert",), "help": "convert"}
    )
    model: str = field(
        default=DEFAULT_MODEL, metadata={"help": "base model name, Hugging Face id or folder"}
    )


@dataclass
class TrainOptions:
    config: Path | None = field(
        default=None, metadata={"help": "recipe YAML (default: the shipped adapter's recipe)"}
    )
    set: tuple[str, ...] = field(
        default=(),
        metadata={
            "repeat": True,
            "help": "override a recipe value, e.g. train.learning_rate=1e-4 (repeatable)",
        },
    )
    output: Path = field(
        default=Path("runs/adapter"),
        metadata={"required": True, "help": "run folder (examples, log, adapter)"},
    )
    resume: bool = field(default=False, metadata={"help": "continue from the latest checkpoint"})


@dataclass
class TrainRankerOptions:
    dataset: tuple[str, ...] = field(
        default=(), metadata={"repeat": True, "required": True, "help": "dataset (repeatable)"}
    )
    name: str | None = field(
        default=None,
        metadata={"help": "ranker name (default: the first dataset; 'generic' for any catalog)"},
    )
    output: Path | None = field(
        default=None, metadata={"help": "model file (default: <cache>/rankers/NAME.txt)"}
    )
    rows_dir: Path | None = field(
        default=None,
        metadata={
            "help": "keep the built rows here and reuse them when present (same config only: "
            "delete the folder after changing the data, the features or the row options)"
        },
    )


@dataclass
class DistillOptions:
    dataset: tuple[str, ...] = field(
        default=(),
        metadata={
            "repeat": True,
            "required": True,
            "help": "dataset or registered catalog whose documents (and train dialogs) to learn from",
        },
    )
    dialog_texts: int = field(
        default=20000, metadata={"help": "train-split utterances per dataset"}
    )
    name: str = field(
        default=DEFAULT_STUDENT, metadata={"help": "the student's name, for --embed-document-model"}
    )
    output: Path | None = field(
        default=None,
        metadata={"help": "folder for the student (default: <cache>/embedders/<name>)"},
    )


@dataclass
class TrainWriterOptions:
    output: Path = field(
        default=Path("runs/writer"),
        metadata={"help": "folder for examples, checkpoints and the adapter (adapter/)"},
    )
    datasets: str = field(
        default="opendialkg,amazon_arts_office",
        metadata={
            "help": "comma-separated catalogs: human replies where they have them, else "
            "reasons composed from the evidence"
        },
    )


def _train_writer(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from crossrec.finetune.adapter import AdapterCard, git_commit, save_adapter
    from crossrec.finetune.model import ModelConfig, load_base_model
    from crossrec.finetune.writer import WriterConfig, build_writer_examples, train_writer

    config, options = from_namespace(WriterConfig, args), from_namespace(TrainWriterOptions, args)
    runtime = runtime_from(args)
    model, tokenizer = load_base_model(ModelConfig(device=runtime.device), runtime.cache)
    names = [n.strip() for n in options.datasets.split(",") if n.strip()]
    examples = [
        example
        for name in names
        for example in build_writer_examples(
            runtime.retrieval(name, index_if_missing=True), tokenizer, config
        )
    ]
    options.output.mkdir(parents=True, exist_ok=True)
    with (options.output / "examples.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in examples)
    model, summary = train_writer(model, tokenizer, examples, config, options.output)
    card = AdapterCard(
        base_model=DEFAULT_MODEL,
        command="crossrec " + shlex.join(runtime.command),
        data={
            "datasets": names,
            "source": "reference replies of the train split; composed reasons where none",
        },
        config=asdict(config),
        metrics={k: summary[k] for k in ("heldout_loss_before", "heldout_loss_after")},
        training={**summary, "role": "writer"},
        git_commit=git_commit(Path(__file__).parent),
        title="justification writer",
    )
    folder = save_adapter(model, options.output / "adapter", card)
    print(json.dumps(summary, indent=2))
    print(f"writer adapter saved to {folder}")
    return 0


def _model(args: argparse.Namespace) -> int:
    from crossrec.finetune.model import resolve_model_path

    options = from_namespace(ModelOptions, args)
    path = resolve_model_path(options.model, runtime_from(args).cache)
    print(path)
    return 0


def _examples(runtime, recipe, output: Path) -> tuple[dict, list, list]:
    """Catalogs and train/held-out examples (built once, then read from the run folder)."""
    from crossrec.finetune.examples import build_examples, read_examples, write_examples

    path = output / "examples.jsonl"
    catalogs, examples = {}, []
    for name in recipe.datasets:
        retrieval = runtime.retrieval(name, index_if_missing=True)
        catalogs[name] = retrieval.dataset.catalog
        if not path.is_file():
            examples += list(build_examples(retrieval, recipe.examples))
    if path.is_file():
        examples = read_examples(path)
        print(f"read {len(examples)} examples from {path}")
    else:
        write_examples(examples, path)
        print(f"wrote {len(examples)} examples to {path}")
    return (
        catalogs,
        [e for e in examples if e.split == "train"],
        [e for e in examples if e.split == "heldout"],
    )


def _train(args: argparse.Namespace) -> int:
    from crossrec.finetune.adapter import AdapterCard, git_commit, save_adapter
    from crossrec.finetune.model import ModelConfig, load_base_model
    from crossrec.finetune.recipe import load_recipe, recipe_dict
    from crossrec.finetune.train import train
    from crossrec.retrieval import save_config

    options = from_namespace(TrainOptions, args)
    runtime = runtime_from(args)
    recipe = load_recipe(options.config, list(options.set))
    output = options.output
    output.mkdir(parents=True, exist_ok=True)
    save_config(recipe, output / "recipe.yaml")
    catalogs, train_examples, heldout = _examples(runtime, recipe, output)
    model, tokenizer = load_base_model(
        ModelConfig(name=recipe.train.model, device=runtime.device), runtime.cache
    )
    result = train(
        model,
        tokenizer,
        catalogs,
        train_examples,
        heldout,
        recipe.train,
        output,
        resume=options.resume,
    )
    if not result.is_main:
        return 0
    counts = {
        name: {
            "train": sum(e.dataset == name for e in train_examples),
            "heldout": sum(e.dataset == name for e in heldout),
        }
        for name in catalogs
    }
    card = AdapterCard(
        base_model=recipe.train.model,
        command="crossrec " + shlex.join(runtime.command),
        data={
            "datasets": list(recipe.datasets),
            "examples": counts,
            "source": "train splits only; held-out = a slice of train users/dialogs",
        },
        config=recipe_dict(recipe),
        metrics=result.summary["validation"],
        training={k: v for k, v in result.summary.items() if k != "validation"},
        git_commit=git_commit(Path(__file__).parent),
    )
    folder = save_adapter(result.model, output / "adapter", card)
    print(json.dumps(result.summary, indent=2))
    print(f"adapter saved to {folder}")
    return 0


def _rerank_eval(args: argparse.Namespace) -> int:
    from crossrec.finetune.adapter import adapter_base_model, shipped_adapter_path
    from crossrec.finetune.rerank_eval import RerankEvalConfig, best_weight, run_rerank_eval

    config = from_namespace(RerankEvalConfig, args)
    runtime = runtime_from(args)
    if "lora" in config.systems:
        adapter = config.adapter or shipped_adapter_path()
        base = adapter_base_model(adapter)
        if base and base != config.model and Path(base).name != Path(config.model).name:
            raise ValueError(
                f"the adapter {adapter} was trained for {base}, not {config.model}; pass "
                "--adapter trained for that model or leave lora out of --systems"
            )
    if config.tune_weight and "lora" not in config.systems:
        raise ValueError(
            "--tune-weight tunes the adapter's fusion weight; include lora in --systems"
        )
    if config.tune_weight and config.split != "valid":
        raise ValueError("--tune-weight tunes on validation data only; use --split valid")
    report = run_rerank_eval(config, runtime)
    if config.tune_weight:
        from crossrec.retrieval import default_fusion, save_fusion, tuned_fusion_path

        best = best_weight(report["lora_fusion_weight_grid"])
        cache = runtime.cache
        fusion = default_fusion(config.dataset, cache)
        fusion.rerank_weight = best
        note = (
            f"source weights tuned by crossrec tune-fusion; rerank_weight={best} tuned by crossrec "
            f"rerank-eval --tune-weight on {config.dataset}/valid ({report['systems']['lora']['rows']} rows)"
        )
        written = tuned_fusion_path(config.dataset, cache)
        save_fusion(fusion, written, note=note)
        report["tuned_rerank_weight"] = best
        report["tuned_fusion_written_to"] = str(written)
    if config.out:
        config.out.parent.mkdir(parents=True, exist_ok=True)
        config.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


def _ranking_pairs(datasets, text_groups: dict[str, list[str]], targets, embedder):
    """The ranking term's pairs from every dataset with train dialogs, as text indices."""
    from crossrec.finetune.distill import RankingPairs, dialog_pairs

    offsets, start = {}, 0
    for name, group in text_groups.items():
        offsets[name] = start
        start += len(group)
    queries, positives, groups, documents = [], [], [], []
    for dataset in datasets:
        texts, found, dialogs = dialog_pairs(dataset)
        offset = offsets[f"{dataset.name} documents"]
        queries += texts
        positives += [[offset + j for j in row] for row in found]
        groups += dialogs
        if found:
            documents += range(offset, offset + len(dataset.catalog))
    if not queries:
        raise ValueError("--rank-weight needs a dataset with train-split dialogs")
    print(f"ranking term: {len(queries)} train dialog pairs over {len(documents)} documents")
    vectors = embedder.embed_queries(queries)
    return RankingPairs.mine(vectors, positives, documents, targets, groups=groups)


def _distill(args: argparse.Namespace) -> int:
    from crossrec.finetune.adapter import git_commit
    from crossrec.finetune.distill import DistillConfig, distill, training_texts
    from crossrec.retrieval import EmbedderConfig, load_embedder, resolve_model

    config = from_namespace(DistillConfig, args)
    options = from_namespace(DistillOptions, args)
    runtime = runtime_from(args)
    model = runtime.embedder_config.model
    paths = runtime.paths
    datasets = [runtime.dataset(name) for name in options.dataset]
    groups = training_texts(datasets, options.dialog_texts, config.seed)
    texts = [text for group in groups.values() for text in group]
    teacher = EmbedderConfig(
        model=model,
        backend="onnx",
        max_seq_length=config.max_seq_length,
        document_model="none",
    )
    print(
        f"teacher vectors for {len(texts)} texts: "
        + ", ".join(f"{len(v)} {k}" for k, v in groups.items())
    )
    embedder = load_embedder(teacher, cache_dir=paths.cache)
    targets = embedder.embed(texts, progress=True)
    pairs = _ranking_pairs(datasets, groups, targets, embedder) if config.rank_weight else None
    provenance = {
        "teacher": model,
        "data": {k: len(v) for k, v in groups.items()}
        | ({"train dialog pairs": len(pairs)} if pairs else {}),
        "command": "crossrec " + shlex.join(runtime.command),
        "git_commit": git_commit(Path(__file__).parent),
    }
    output = options.output or paths.cache / "embedders" / options.name
    card = distill(
        Path(resolve_model(model)), texts, targets, config, output, card=provenance, pairs=pairs
    )
    print(json.dumps(card["metrics"], indent=2))
    choice = options.name if options.output is None else str(output)
    print(f"student saved to {output}; use it with --embed-document-model {choice}")
    return 0


def _train_ranker(args: argparse.Namespace) -> int:
    import json

    from crossrec.finetune.ltr import (
        RankerConfig,
        RankingRows,
        build_rows,
        fused_scores,
        hold_out_valid,
        ranker_path,
        recall_at,
        train_ranker,
    )

    config = from_namespace(RankerConfig, args)
    options = from_namespace(TrainRankerOptions, args)
    runtime = runtime_from(args)
    train = valid = None
    per_dataset = {}
    for name in options.dataset:
        folder = options.rows_dir
        saved = [folder / f"{name}-{split}.npz" for split in ("train", "valid")] if folder else []
        if saved and all(p.is_file() for p in saved):
            print(f"{name}: reading rows from {folder}", file=sys.stderr)
            rows, per_dataset[name] = (RankingRows.load(p) for p in saved)
        else:
            retrieval = runtime.retrieval(name, index_if_missing=True)
            if held := hold_out_valid(retrieval, seed=config.seed):
                print(f"{name}: {held} train users/dialogs held out to validate", file=sys.stderr)
            print(f"{name}: building cross-fitted train rows and validation rows", file=sys.stderr)
            rows = build_rows(retrieval, "train", config, cross_fit=True)
            per_dataset[name] = build_rows(retrieval, "valid", config, cross_fit=False)
            if saved:
                rows.save(saved[0])
                per_dataset[name].save(saved[1])
        train = rows if train is None else train.extend(rows)
        valid = per_dataset[name] if valid is None else valid.extend(per_dataset[name])
    booster = train_ranker(train, valid, config)
    report = {"rounds": booster.best_iteration or booster.current_iteration(), "datasets": {}}
    for name, rows in per_dataset.items():
        report["datasets"][name] = {
            "valid_rows": rows.rows,
            "fused": recall_at(fused_scores(rows), rows),
            "learned": recall_at(booster.predict(rows.features), rows),
        }
    out = options.output or ranker_path(runtime.cache, options.name or options.dataset[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out), num_iteration=booster.best_iteration or None)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    print(f"wrote {out} and {out.with_suffix('.json')}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the model and training commands to the ``crossrec`` parser."""
    from crossrec.finetune.distill import DistillConfig
    from crossrec.finetune.ltr import RankerConfig
    from crossrec.finetune.rerank_eval import RerankEvalConfig
    from crossrec.finetune.writer import WriterConfig

    common = runtime_parser()
    for name, options, handler, text in (
        ("model", (ModelOptions,), _model, "convert/cache the base model"),
        # train's --config is its recipe (the shared --config option is left out)
        ("train", (TrainOptions,), _train, "train a LoRA reranker adapter"),
        (
            "train-writer",
            (TrainWriterOptions, WriterConfig),
            _train_writer,
            "train the justification writer's LoRA adapter on train replies (composed where none)",
        ),
        (
            "rerank-eval",
            (RerankEvalConfig,),
            _rerank_eval,
            "retrieval order vs zero-shot vs LoRA on validation data",
        ),
        (
            "train-ranker",
            (TrainRankerOptions, RankerConfig),
            _train_ranker,
            "train the learned ranking stage (LightGBM lambdarank) on train splits",
        ),
        (
            "distill-embedder",
            (DistillOptions, DistillConfig),
            _distill,
            "distil the embedding model into a fast document encoder",
        ),
    ):
        parents = [runtime_parser(config_file=False) if name == "train" else common]
        parser = subparsers.add_parser(name, parents=parents, help=text)
        for cls in options:
            add_dataclass_arguments(parser.add_argument_group(cls.__name__), cls)
        parser.set_defaults(func=handler)
