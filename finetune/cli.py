"""``crossrec model``, ``train``, ``rerank-eval`` and ``distill-embedder``."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

__all__ = ["register"]


def _model(args: argparse.Namespace) -> int:
    from crossrec.finetune.model import resolve_model_path
    from crossrec.retrieval.cli import paths_from_args

    path = resolve_model_path(args.model, paths_from_args(args).cache)
    print(path)
    return 0


def _examples(args, recipe, output: Path) -> tuple[dict, list, list]:
    """Catalogs and train/held-out examples (built once, then read from the run folder)."""
    from crossrec.finetune.examples import build_examples, read_examples, write_examples
    from crossrec.retrieval.cli import open_retrieval

    path = output / "examples.jsonl"
    catalogs, examples = {}, []
    for name in recipe.datasets:
        retrieval = open_retrieval(args, name, index_if_missing=True)
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
    from crossrec.retrieval.cli import paths_from_args
    from crossrec.retrieval.config import save_config

    recipe = load_recipe(args.config, args.set)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    save_config(recipe, output / "recipe.yaml")
    catalogs, train_examples, heldout = _examples(args, recipe, output)
    model, tokenizer = load_base_model(
        ModelConfig(name=recipe.train.model), paths_from_args(args).cache
    )
    result = train(
        model,
        tokenizer,
        catalogs,
        train_examples,
        heldout,
        recipe.train,
        output,
        resume=args.resume,
    )
    if not result["is_main"]:
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
        command="crossrec " + shlex.join(getattr(args, "argv", ())),
        data={
            "datasets": list(recipe.datasets),
            "examples": counts,
            "source": "train splits only; held-out = a slice of train users/dialogs",
        },
        config=recipe_dict(recipe),
        metrics=result["summary"]["validation"],
        training={k: v for k, v in result["summary"].items() if k != "validation"},
        git_commit=git_commit(Path(__file__).parent),
    )
    folder = save_adapter(result["model"], output / "adapter", card)
    print(json.dumps(result["summary"], indent=2))
    print(f"adapter saved to {folder}")
    return 0


def _rerank_eval(args: argparse.Namespace) -> int:
    from crossrec.finetune.adapter import adapter_base_model, shipped_adapter_path
    from crossrec.finetune.rerank_eval import RerankEvalConfig, best_weight, run_rerank_eval

    config = RerankEvalConfig(
        dataset=args.dataset,
        split=args.split,
        limit=args.limit,
        model=args.model,
        adapter=args.adapter,
        num_candidates=args.num_candidates,
        seed=args.seed,
        systems=tuple(s.strip() for s in args.systems.split(",") if s.strip()),
        ranking=args.ranking,
    )
    if "lora" in config.systems:
        adapter = args.adapter or shipped_adapter_path()
        base = adapter_base_model(adapter)
        if base and base != args.model and Path(base).name != Path(args.model).name:
            raise ValueError(
                f"the adapter {adapter} was trained for {base}, not {args.model}; pass "
                "--adapter trained for that model or leave lora out of --systems"
            )
    if args.tune_weight and "lora" not in config.systems:
        raise ValueError(
            "--tune-weight tunes the adapter's fusion weight; include lora in --systems"
        )
    report = run_rerank_eval(args, config)
    if args.tune_weight:
        from crossrec.retrieval.cli import paths_from_args
        from crossrec.retrieval.fusion import default_fusion, save_fusion, tuned_fusion_path

        if config.split != "valid":
            raise ValueError("--tune-weight tunes on validation data only; use --split valid")
        best = best_weight(report["lora_fusion_weight_grid"])
        cache = paths_from_args(args).cache
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
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
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
    from crossrec.retrieval.catalogs import open_dataset
    from crossrec.retrieval.cli import paths_from_args
    from crossrec.retrieval.config import from_namespace
    from crossrec.retrieval.embed import EmbedderConfig, load_embedder, resolve_model

    config = from_namespace(DistillConfig, args)
    model = from_namespace(EmbedderConfig, args, prefix="embed-").model
    paths = paths_from_args(args)
    datasets = [open_dataset(name, paths) for name in args.dataset]
    groups = training_texts(datasets, args.dialog_texts, config.seed)
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
        "command": "crossrec " + shlex.join(getattr(args, "argv", ())),
        "git_commit": git_commit(Path(__file__).parent),
    }
    output = args.output or paths.cache / "embedders" / args.name
    card = distill(
        Path(resolve_model(model)), texts, targets, config, output, card=provenance, pairs=pairs
    )
    print(json.dumps(card["metrics"], indent=2))
    choice = args.name if args.output is None else str(output)
    print(f"student saved to {output}; use it with --embed-document-model {choice}")
    return 0


def _train_ranker(args: argparse.Namespace) -> int:
    import json

    from crossrec.finetune.ltr import (
        RankerConfig,
        RankingRows,
        build_rows,
        fused_scores,
        ranker_path,
        recall_at,
        train_ranker,
    )
    from crossrec.retrieval.cli import open_retrieval, paths_from_args
    from crossrec.retrieval.config import from_namespace

    config = from_namespace(RankerConfig, args)
    train = valid = None
    per_dataset = {}
    for name in args.dataset:
        folder = args.rows_dir
        saved = [folder / f"{name}-{split}.npz" for split in ("train", "valid")] if folder else []
        if saved and all(p.is_file() for p in saved):
            print(f"{name}: reading rows from {args.rows_dir}", file=sys.stderr)
            rows, per_dataset[name] = (RankingRows.load(p) for p in saved)
        else:
            retrieval = open_retrieval(args, name, index_if_missing=True)
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
    out = args.output or ranker_path(paths_from_args(args).cache, args.name or args.dataset[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out), num_iteration=booster.best_iteration or None)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    print(f"wrote {out} and {out.with_suffix('.json')}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the model and training commands to the ``crossrec`` parser."""
    from crossrec.finetune.model import DEFAULT_MODEL
    from crossrec.retrieval.cli import common_parser
    from crossrec.retrieval.student import DEFAULT_STUDENT

    common = common_parser()
    model = subparsers.add_parser("model", parents=[common], help="convert/cache the base model")
    model.add_argument("action", choices=["convert"])
    model.add_argument("--model", default=DEFAULT_MODEL)
    model.set_defaults(func=_model)

    train = subparsers.add_parser("train", parents=[common], help="train a LoRA reranker adapter")
    train.add_argument(
        "--config", type=Path, help="recipe YAML (default: the shipped adapter's recipe)"
    )
    train.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a recipe value, e.g. train.learning_rate=1e-4 (repeatable)",
    )
    train.add_argument(
        "--output", type=Path, required=True, help="run folder (examples, log, adapter)"
    )
    train.add_argument("--resume", action="store_true", help="continue from the latest checkpoint")
    train.set_defaults(func=_train)

    rerank = subparsers.add_parser(
        "rerank-eval",
        parents=[common],
        help="retrieval order vs zero-shot vs LoRA on validation data",
    )
    rerank.add_argument("--dataset", required=True, choices=["opendialkg", "amazon_arts_office"])
    rerank.add_argument("--split", default="valid", choices=["valid", "test"])
    rerank.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help="base model name, Hugging Face id or folder (the adapter must be trained for it)",
    )
    rerank.add_argument("--adapter", help="adapter folder (default: the shipped adapter)")
    rerank.add_argument("--limit", type=int, default=0, help="evaluate a seeded subset of N rows")
    rerank.add_argument("--num-candidates", type=int, default=20)
    rerank.add_argument(
        "--ranking",
        default="fused",
        choices=["fused", "learned"],
        help="candidates in the fused order, or the learned stage's (as the agent ranks them)",
    )
    rerank.add_argument("--seed", type=int, default=0)
    rerank.add_argument("--out", type=Path, help="also write the report as JSON here")
    rerank.add_argument(
        "--tune-weight",
        action="store_true",
        help="write the best LLM/retrieval fusion weight to <cache>/fusion/NAME.yaml, which "
        "overlays the shipped fusion file (the package is never written)",
    )
    rerank.add_argument(
        "--systems",
        default="zero_shot,zero_shot_line,lora",
        help="comma-separated rerankers to compare with the retrieval order",
    )
    rerank.set_defaults(func=_rerank_eval)

    from crossrec.finetune.distill import DistillConfig
    from crossrec.finetune.ltr import RankerConfig
    from crossrec.retrieval.config import add_dataclass_arguments

    ranker = subparsers.add_parser(
        "train-ranker",
        parents=[common],
        help="train the learned ranking stage (LightGBM lambdarank) on train splits",
    )
    ranker.add_argument("--dataset", action="append", required=True, help="repeatable")
    ranker.add_argument(
        "--name", help="ranker name (default: the first dataset; 'generic' for any catalog)"
    )
    ranker.add_argument(
        "--output", type=Path, help="model file (default: <cache>/rankers/NAME.txt)"
    )
    ranker.add_argument(
        "--rows-dir",
        type=Path,
        help="keep the built rows here and reuse them when present (same config only: delete "
        "the folder after changing the data, the features or the row options)",
    )
    add_dataclass_arguments(ranker.add_argument_group("ranker"), RankerConfig)
    ranker.set_defaults(func=_train_ranker)

    student = subparsers.add_parser(
        "distill-embedder",
        parents=[common],
        help="distil the embedding model into a fast document encoder",
    )
    student.add_argument(
        "--dataset",
        action="append",
        required=True,
        help="dataset or registered catalog whose documents (and train dialogs) to learn from",
    )
    student.add_argument(
        "--dialog-texts", type=int, default=20000, help="train-split utterances per dataset"
    )
    student.add_argument(
        "--name", default=DEFAULT_STUDENT, help="the student's name, for --embed-document-model"
    )
    student.add_argument(
        "--output", type=Path, help="folder for the student (default: <cache>/embedders/<name>)"
    )
    add_dataclass_arguments(student.add_argument_group("distillation"), DistillConfig)
    student.set_defaults(func=_distill)
