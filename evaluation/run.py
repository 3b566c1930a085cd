"""Wiring one evaluation run: data, systems, rankings, metrics, files."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from crossrec.evaluation.beyond import beyond_by_domain
from crossrec.evaluation.harness import (
    NEEDS_STORE,
    EvalConfig,
    compare_with_best_baseline,
    evaluate_rankings,
    latency_table,
    run_info,
    run_systems,
    write_json,
)
from crossrec.evaluation.samples import Sample, make_samples
from crossrec.evaluation.systems import AgentSystem, FusedSystem, SASRecSystem, SourceSystem, System
from crossrec.retrieval import Runtime

__all__ = ["evaluate", "evaluate_requests"]


def _dataset(config: EvalConfig, runtime: Runtime):
    """(dataset, samples) for a named dataset or a brought catalog + dialogs."""
    from crossrec.retrieval import load_dialogs_jsonl, register_catalog

    if config.dataset:
        dataset = runtime.dataset(config.dataset)
        return dataset, make_samples(dataset, config.split, config.limit, config.seed)
    name = config.name or Path(config.catalog).stem
    dataset = register_catalog(
        Path(config.catalog),
        name,
        runtime.paths,
        train_dialogs=config.train_dialogs,
        train_histories=config.train_histories,
    )
    turns, _ = load_dialogs_jsonl(Path(config.dialogs), dataset.catalog)
    training = dict(dataset.turns)  # the team's own training dialogs, if it brought some
    dataset.turns = {**training, config.split: turns}
    samples = make_samples(dataset, config.split, config.limit, config.seed)
    dataset.turns = training  # nothing of the evaluated dialogs feeds collaborative statistics
    return dataset, samples


def _sasrec(retrieval, cache: Path, seed: int, epochs: int):
    """SASRec on the train sequences, early-stopped on the validation histories' next items;
    cached under a key over its config, its data and its code (a stale model is never reused)."""
    import hashlib

    from crossrec.evaluation import sasrec
    from crossrec.retrieval import training_sequences

    space = retrieval.space
    sequences = [space.positions(s) for s in training_sequences(retrieval.dataset)]
    valid = [
        (space.positions(h.items), space.position[h.target])
        for h in retrieval.dataset.histories.get("valid", [])
        if h.target in space.position
    ]
    config = sasrec.SASRecConfig(seed=seed, epochs=epochs)
    blob = json.dumps([config.to_dict(), sequences, valid]).encode()
    key = hashlib.sha256(blob + Path(sasrec.__file__).read_bytes()).hexdigest()[:16]
    path = cache / "sasrec" / f"{retrieval.dataset.name}-{key}.pt"
    model = sasrec.SASRecRecommender(len(space), config)
    if path.is_file():
        model.load(path)
        model.training = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    else:
        model.fit(sequences, progress=True, valid=valid)
        path.parent.mkdir(parents=True, exist_ok=True)
        model.save(path)
        path.with_suffix(".json").write_text(json.dumps(model.training), encoding="utf-8")
    return model


def _build_systems(
    config: EvalConfig, runtime: Runtime, retrieval, dialogs: bool
) -> tuple[list[System], dict]:
    from crossrec.agent import AgentConfig, Models, build_recommender, load_agent_models
    from crossrec.retrieval import EntityLinker

    linker = EntityLinker(retrieval.dataset.catalog, retrieval.graph)
    systems: list[System] = []
    agents = {}
    for name in ("popularity", "bm25", "dense", "cooccurrence"):
        source = retrieval.generator.source(name)
        if name in config.systems and source is not None:
            systems.append(SourceSystem(name, source, linker))
    if "sasrec" in config.systems and not dialogs:
        systems.append(
            SASRecSystem(
                _sasrec(retrieval, runtime.cache, config.seed, config.sasrec_epochs), retrieval
            )
        )
    if "fused" in config.systems:
        systems.append(FusedSystem(retrieval, linker))
    wanted = [s for s in ("ranked", "zero_shot", "full") if s in config.systems]
    if wanted:
        agent_config = AgentConfig(
            catalog=retrieval.dataset.name,
            model=config.model,
            adapter=config.adapter,
            ranking=config.ranking,
            justify=config.justify and "full" in wanted,
            writer_adapter=config.writer_adapter,
        )
        if config.writer_samples is not None:
            agent_config.writer_samples = config.writer_samples
        models = load_agent_models(agent_config, runtime)
        for name in wanted:
            shared = (
                models
                if name == "full"
                else Models(
                    models.writer_model,
                    models.tokenizer,
                    models.writer_model,
                    models.embedder,
                    None,
                    # the base model's stronger read-out (see DEVELOPERS.md: label vs line)
                    "line",
                )
            )
            agent = build_recommender(
                retrieval.dataset.name,
                config=replace(agent_config, rerank=name != "ranked"),
                models=shared,
                retrieval=retrieval,
                runtime=runtime,
            )
            agents[name] = agent
            systems.append(AgentSystem(name, agent))
    return systems, agents


def _amazon_cross_domain(systems, samples: list[Sample], catalog, limit: int, k: int) -> dict:
    """Amazon strict subset: the same targets with only the other domain's history."""
    strict = []
    for s in samples[:limit]:
        other = tuple(i for i in s.history if catalog[i].domain != s.target_domain)
        if other:
            strict.append(replace(s, key=s.key + "-xd", history=other, mentioned=other))
    rankings = run_systems(systems, strict, k)
    return {
        name: evaluate_rankings(r, strict, catalog, dialogs=False) for name, r in rankings.items()
    }


def evaluate_requests(config: EvalConfig, runtime: Runtime) -> dict:
    """The ``requests`` protocol: the shipped order and the current one on the same requests."""
    from crossrec.agent import AgentConfig, build_recommender, load_agent_models
    from crossrec.evaluation.requests import (
        build_requests,
        dialog_requests,
        markdown_table,
        run_requests,
        split_seed,
    )

    started = time.perf_counter()
    dataset, _ = _dataset(config, runtime)
    retrieval = runtime.retrieval(dataset.name, index_if_missing=True, dataset=dataset, tuned=False)
    requests = build_requests(
        dataset,
        retrieval.graph,
        n_plain=config.limit or 60,
        n_wish=config.limit or 36,
        seed=split_seed(config.split, config.seed),
    )
    requests += dialog_requests(dataset, config.split, retrieval.graph)
    base = AgentConfig(
        catalog=dataset.name, model=config.model, adapter=config.adapter, k=5, justify=False
    )
    models = load_agent_models(base, runtime)
    report = {"dataset": dataset.name, "split": config.split, "protocol": "requests", "systems": {}}
    # before: the fused order and the utterances as the text query (the order before the
    # ranking stage); crossrec: the configured stage (learned by default) and the wish
    for name, ranking, query_text in (
        ("before", "fused", "dialog"),
        ("crossrec", config.ranking, "wish"),
    ):
        agent = build_recommender(
            dataset.name,
            config=replace(base, ranking=ranking, query_text=query_text, sessions=":memory:"),
            models=models,
            retrieval=retrieval,
            runtime=runtime,
        )
        report["systems"][name] = run_requests(agent, requests)
    report["run"] = run_info(config, started, runtime.command)
    write_json(Path(config.out) / "requests.json", report)
    table = markdown_table(report)
    (Path(config.out) / "requests.md").write_text(
        f"`{report['run']['command']}` (commit {report['run']['git_commit']}, "
        f"{report['run']['seconds']} s)\n\n{table}",
        encoding="utf-8",
    )
    return report


def _fit_disjoint(retrieval, split: str) -> dict:
    """Refit the collaborative statistics on the train dialogs (or users) that have no turn in
    ``split``: OpenDialKG's public split samples turns, so a test turn's own dialog otherwise
    lends its later turns to co-occurrence and popularity."""
    from crossrec.retrieval import training_sequences

    dataset = retrieval.dataset

    def groups(name: str) -> dict[str, str]:  # the source's dialog or user id -> ours
        ids = [t.dialog_id for t in dataset.turns.get(name, [])]
        ids += [h.user_id for h in dataset.histories.get(name, [])]
        return {i.removeprefix(f"{name}-"): i for i in ids}  # "test-1234" is dialog 1234

    train, evaluated = groups("train"), groups(split)
    keep = {ours for raw, ours in train.items() if raw not in evaluated}
    retrieval.refit(training_sequences(dataset, keep=keep))
    return {
        "train_groups": len(train),
        "kept": len(keep),
        "shared_with_split": len(train) - len(keep),
    }


def _ievalm(rankings, samples, dataset, runtime: Runtime):
    """Rankings and samples over iEvaLM-CRS's item set, and what the report says of it."""
    from crossrec.evaluation.ievalm import PUBLISHED, PUBLISHED_SOURCE, ievalm_items, ievalm_view

    titles = ievalm_items(runtime.paths.require_data_dir())
    rankings, samples, counts = ievalm_view(rankings, samples, dataset.catalog, titles)
    return rankings, samples, {**counts, "published": PUBLISHED, "source": PUBLISHED_SOURCE}


def evaluate(config: EvalConfig, runtime: Runtime | None = None) -> dict:
    """Run every requested system and write metrics.json, report.md and plots to ``config.out``."""
    runtime = runtime or Runtime.resolve()
    if config.protocol == "requests":
        return evaluate_requests(config, runtime)
    from crossrec.evaluation.justification import justification_metrics
    from crossrec.evaluation.report import write_report
    from crossrec.retrieval import build_retrieval, default_fusion

    started = time.perf_counter()
    dataset, samples = _dataset(config, runtime)
    if NEEDS_STORE & set(config.systems):
        retrieval = runtime.retrieval(
            dataset.name, index_if_missing=True, dataset=dataset, tuned=False
        )
    else:  # popularity, co-occurrence and SASRec need no vectors
        retrieval = build_retrieval(dataset, None, default_fusion(dataset.name))
    dialogs = any(s.context for s in samples)
    disjoint = _fit_disjoint(retrieval, config.split) if config.dialog_disjoint else None
    systems, agents = _build_systems(config, runtime, retrieval, dialogs)
    rankings = run_systems(systems, samples, config.k)
    served = rankings.get("full")  # what the agent showed first, before any remapping
    report = {
        "dataset": dataset.name,
        "split": config.split,
        "samples": len(samples),
        "rows": len({s.key for s in samples}),
        "systems": {},
        **({"dialog_disjoint": disjoint} if disjoint else {}),
    }
    if config.protocol == "ievalm":  # their item set: one entity per title
        rankings, samples, report["ievalm"] = _ievalm(rankings, samples, dataset, runtime)
    report["protocol"] = config.protocol
    for name, ranks in rankings.items():
        report["systems"][name] = evaluate_rankings(ranks, samples, dataset.catalog, dialogs)
        report["systems"][name]["beyond"] = beyond_by_domain(ranks, samples, retrieval)
    if not dialogs and config.cross_domain_limit:
        for name, metrics in _amazon_cross_domain(
            systems, samples, dataset.catalog, config.cross_domain_limit, config.k
        ).items():
            report["systems"][name]["cross_domain"] = metrics
    report["paired"] = compare_with_best_baseline(rankings, samples)
    report["latency"] = latency_table(systems)
    for system in systems:
        if isinstance(system, SASRecSystem):
            report["sasrec_training"] = system.model.training
    if "full" in agents and config.justify_samples:
        report["justifications"] = justification_metrics(
            agents["full"], samples, served, config.justify_samples
        )
    report["run"] = run_info(config, started, runtime.command)
    out = Path(config.out)
    write_json(out / "metrics.json", report)
    write_report(report, out)
    return report
