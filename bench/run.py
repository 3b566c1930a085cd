"""``make bench``: speed and memory measured side by side, written to bench/results.json.

Every figure that is a comparison is a ratio of two measurements taken in the same run on the
same inputs, because this machine is noisy:

* embedding: sentence-transformers with default settings vs crossrec's ONNX int8 embedder and
  (once ``make student`` has trained it) the opt-in distilled document encoder, on the same
  catalog documents, plus dense recall@50 of each on OpenDialKG validation and test turns;
* reranking: the verbalizer (one forward pass for K=20) vs one pass per candidate;
* training: LoRA tokens/s and peak memory on real examples;
* agent: per-stage latency (link, retrieve, rerank, first reply chunk, full reply), p50/p95;
* reply: a 3-pick justified reply, the shipped writer beside the writers before it;
* first_reply: the first reply after start against the same message asked again later.

Usage: python -m bench.run [--out bench/results.json] [--only embedding,rerank,train,agent]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import time
from pathlib import Path

import numpy as np


def _paths():
    from crossrec.retrieval.paths import Paths

    return Paths.resolve()


def bench_embedding(n_docs: int = 2000) -> dict:
    from crossrec.retrieval.datasets import load_dataset
    from crossrec.retrieval.index.embed import (
        EmbedderConfig,
        SentenceTransformerEmbedder,
        load_embedder,
    )
    from crossrec.retrieval.index.student import DEFAULT_STUDENT, student_path
    from crossrec.retrieval.linking import EntityLinker
    from crossrec.retrieval.pipeline import build_retrieval, decisions

    paths = _paths()
    amazon = load_dataset("amazon_arts_office", paths.require_data_dir())
    docs = [item.document() for item in random.Random(0).sample(list(amazon.catalog), n_docs)]
    embedders = {
        "default": SentenceTransformerEmbedder(),  # max_seq_length 256, batch 32, fp32 torch
        "ours": load_embedder(EmbedderConfig(), cache_dir=paths.cache),
    }
    result: dict = {"documents": n_docs, "ours_config": vars(EmbedderConfig())}
    try:  # the student is trained by `make student`, not shipped
        folder = student_path(DEFAULT_STUDENT, paths.cache)
    except FileNotFoundError as err:
        result["student_missing"] = str(err)
    else:
        card = json.loads((folder / "card.json").read_text())
        embedders["student"] = load_embedder(
            EmbedderConfig(document_model=DEFAULT_STUDENT), cache_dir=paths.cache
        )
        result["student_card"] = {k: card.get(k) for k in ("command", "config", "metrics")}
    for embedder in embedders.values():
        embedder.embed(docs[:64])
    rates = {name: [] for name in embedders}
    for _ in range(2):  # interleaved, so drift hits all of them
        for name, embedder in embedders.items():
            start = time.perf_counter()
            embedder.embed(docs)
            rates[name].append(len(docs) / (time.perf_counter() - start))
    for name, r in rates.items():
        result[f"{name}_texts_per_s"] = max(r)
        if name != "default":
            result[f"{name}_speedup"] = max(r) / max(rates["default"])
    # retrieval quality of the vector spaces: exact dense search, same queries; validation is
    # what recipes were tuned on, test is reported as it comes
    odkg = load_dataset("opendialkg", paths.require_data_dir())
    retrieval = build_retrieval(odkg, None)
    linker = EntityLinker(odkg.catalog, retrieval.graph)
    item_docs = [odkg.catalog[i].document() for i in retrieval.space.ids]
    items = {name: embedder.embed(item_docs) for name, embedder in embedders.items()}
    for split in ("valid", "test"):
        rows = decisions(odkg, split, linker)  # each row carries its dialog query's text
        texts = [r.text for r in rows]
        for name, embedder in embedders.items():
            queries = embedder.embed_queries(texts)
            top = np.argsort(-(queries @ items[name].T), axis=1)[:, :50]
            hits = [
                bool(set(r.targets).intersection(retrieval.space.ids[j] for j in row))
                for row, r in zip(top, rows, strict=True)
            ]
            result[f"{name}_dense_recall@50_opendialkg_{split}"] = float(np.mean(hits))
        for name in embedders:
            if name != "default":
                key = f"dense_recall@50_opendialkg_{split}"
                result[f"{name}_recall@50_{split}_relative_change"] = (
                    result[f"{name}_{key}"] / result[f"default_{key}"] - 1
                )
    return result


def _rerank_inputs(n: int):
    from crossrec.finetune.rerank_eval import build_inputs
    from crossrec.retrieval.datasets import load_dataset
    from crossrec.retrieval.index.embed import EmbedderConfig, load_embedder
    from crossrec.retrieval.index.store import CatalogStore, StoreConfig, make_client
    from crossrec.retrieval.linking import EntityLinker
    from crossrec.retrieval.pipeline import build_retrieval, decisions
    from crossrec.retrieval.sources.fusion import default_fusion

    paths = _paths()
    odkg = load_dataset("opendialkg", paths.require_data_dir())
    store = CatalogStore(
        make_client(StoreConfig(store=paths.store)),
        load_embedder(EmbedderConfig(), cache_dir=paths.cache),
        "opendialkg",
    )
    if not store.up_to_date(len(odkg.catalog)):
        store.index(odkg.catalog)
    retrieval = build_retrieval(odkg, store, default_fusion("opendialkg"))
    rows = random.Random(0).sample(
        decisions(odkg, "valid", EntityLinker(odkg.catalog, retrieval.graph)), n
    )
    return odkg, build_inputs(retrieval, rows, 20)


def bench_rerank(n: int = 12) -> dict:
    from crossrec.finetune.model import load_base_model
    from crossrec.finetune.prompting import PromptBuilder
    from crossrec.finetune.rerank import LineReranker, NaiveReranker

    odkg, inputs = _rerank_inputs(n)
    model, tokenizer = load_base_model(cache_dir=_paths().cache)
    builder = PromptBuilder(odkg.catalog, tokenizer)
    verbalizer = LineReranker(model, tokenizer, builder, batch_size=1)
    naive = NaiveReranker(model, tokenizer, builder)
    verbalizer.score(inputs[:1])
    one, many = [], []
    for inp in inputs:
        start = time.perf_counter()
        verbalizer.score([inp])
        one.append(time.perf_counter() - start)
        start = time.perf_counter()
        naive.score([inp])
        many.append(time.perf_counter() - start)
    tokens = [len(tokenizer(builder.prompt(i))["input_ids"]) for i in inputs]
    return {
        "inputs": n,
        "candidates": 20,
        "prompt_tokens_mean": float(np.mean(tokens)),
        "verbalizer_s_p50": float(np.median(one)),
        "naive_per_candidate_s_p50": float(np.median(many)),
        "speedup": float(np.median(many) / np.median(one)),
    }


def bench_train(updates: int = 3) -> dict:
    from crossrec.finetune.examples import read_examples
    from crossrec.finetune.model import load_base_model
    from crossrec.finetune.train import TrainConfig, train
    from crossrec.retrieval.datasets import load_dataset

    path = Path("runs/default/examples.jsonl")
    if not path.is_file():
        return {"skipped": "run `make adapter` first (needs runs/default/examples.jsonl)"}
    examples = [e for e in read_examples(path) if e.split == "train"][: updates * 16]
    catalogs = {
        name: load_dataset(name, _paths().require_data_dir()).catalog
        for name in {e.dataset for e in examples}
    }
    model, tokenizer = load_base_model(cache_dir=_paths().cache)
    config = TrainConfig(batch_size=4, grad_accum=4, eval_steps=0, save_steps=0, max_steps=updates)
    out = Path("runs/bench-train")
    result = train(model, tokenizer, catalogs, examples, [], config, out, progress=False)
    summary = result.summary
    return {
        "updates": summary["updates"],
        "tokens_per_s": summary["tokens_per_s"],
        "device": summary["device"],
        "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }


def bench_agent(n: int = 20) -> dict:
    from crossrec.agent.config import AgentConfig
    from crossrec.agent.factory import build_recommender, load_agent_models
    from crossrec.agent.state import SessionStore
    from crossrec.evaluation.metrics import latency_summary

    out = {}
    config = AgentConfig(catalog="opendialkg")
    models = load_agent_models(config)
    messages = [
        "I loved the movie Fight Club. Any books I'd like?",
        "Something with Tom Hanks please",
        "I read The Hobbit, what movie should I watch?",
        "books by Stephen King",
        "I like science fiction films like Alien",
    ]
    rec = build_recommender("opendialkg", config=config, models=models, sessions=SessionStore())
    stages: dict[str, list[float]] = {}
    for i in range(n):
        start = time.perf_counter()
        first = None
        reply = None
        for event in rec.chat_events(messages[i % len(messages)], session_id=f"bench-{i}"):
            if first is None:
                first = time.perf_counter() - start
            reply = event
        for key, value in {**reply.timings, "first_chunk_s": first}.items():
            stages.setdefault(key, []).append(value)
    out["opendialkg_chat"] = {k: latency_summary(v) for k, v in stages.items()}
    # retrieval at 40k items: the Amazon catalog (indexed by `crossrec index --dataset amazon_arts_office`)
    try:
        amazon = build_recommender(
            "amazon_arts_office",
            config=AgentConfig(catalog="amazon_arts_office"),
            models=models,
            sessions=SessionStore(),
        )
    except LookupError as exc:
        out["amazon_retrieval"] = {"skipped": str(exc)}
        return out
    from crossrec.evaluation.samples import make_samples
    from crossrec.evaluation.systems import sample_query

    dense = amazon.retrieval.generator.source("dense")
    samples = make_samples(amazon.retrieval.dataset, "valid", limit=n, seed=0)
    chroma, fused, rerank = [], [], []
    for sample in samples:
        query = sample_query(sample, amazon.linker)
        vector = dense.query_vectors(query)[0]
        start = time.perf_counter()
        amazon.retrieval.store.search(vector, k=100, domain=sample.domain)
        chroma.append(time.perf_counter() - start)
        timings: dict[str, float] = {}
        amazon.rank(query, 10, timings=timings)
        fused.append(timings["retrieve_s"])
        rerank.append(timings["rerank_s"])
    out["amazon_retrieval"] = {
        "items": len(amazon.catalog),
        "chroma_dense_query_s": latency_summary(chroma),
        "fused_candidates_s": latency_summary(fused),
        "rerank_s": latency_summary(rerank),
    }
    return out


def bench_hostile(n: int = 1000) -> dict:
    """The seeded hostile battery through the real agent (shipped model, adapter, ranker)."""
    from crossrec.agent.config import AgentConfig
    from crossrec.agent.factory import build_recommender
    from crossrec.agent.state import SessionStore
    from crossrec.evaluation.hostile import hostile_messages, run_battery

    n = int(os.environ.get("CROSSREC_BENCH_HOSTILE", n))
    rec = build_recommender(
        "opendialkg", config=AgentConfig(catalog="opendialkg"), sessions=SessionStore()
    )
    titles = [item.title for item in rec.catalog]
    return run_battery(rec, hostile_messages(n, titles, seed=0))


def _reply_requests(catalog, n: int, seed: int = 0) -> list[str]:
    """Plain requests as a person types them, half of them across domains."""
    rng = random.Random(seed)
    items = [i for i in catalog if len(catalog.by_title(i.title)) == 1]
    out = []
    for k, item in enumerate(rng.sample(items, n)):
        other = [d for d in catalog.domains if d != item.domain]
        want = other[0] if k % 2 == 0 and other else item.domain
        out.append(f"I loved the {item.domain} {item.title}. Any {want}s I'd like?")
    return out


def _timed_turn(rec, message: str, session_id: str) -> tuple[float, float, object]:
    """(seconds to the first pick's justification text, seconds to the full reply, reply)."""
    start, first, after_pick_line, reply = time.perf_counter(), None, False, None
    for event in rec.chat_events(message, session_id=session_id):
        if not isinstance(event, str):
            reply = event
        elif after_pick_line and first is None and event.strip():
            first = time.perf_counter() - start
        else:
            after_pick_line = after_pick_line or event.startswith("\n1. ")
    full = time.perf_counter() - start
    return (first if first is not None else full), full, reply


def _share(run: dict, which) -> float:
    """The share of a mode's texts whose source ``which`` accepts ("llm+detail" is the
    writer's text with a composed second sentence: not the writer's words alone)."""
    return round(sum(v for s, v in run["sources"].items() if which(s)) / max(run["texts"], 1), 3)


def _justifying_agent():
    """(the shipped OpenDialKG agent with --justify and k=3, its models, seconds to load)."""
    from crossrec.agent.config import AgentConfig
    from crossrec.agent.factory import build_recommender, load_agent_models
    from crossrec.agent.state import SessionStore

    started = time.perf_counter()
    config = AgentConfig(catalog="opendialkg", k=3, justify=True)
    models = load_agent_models(config)
    rec = build_recommender("opendialkg", config=config, models=models, sessions=SessionStore())
    return rec, models, time.perf_counter() - started


def bench_reply(n: int = 30) -> dict:
    """A 3-pick reply with the trained LLM writer as shipped (its own number format, the
    reasons written together and streamed, the first pick's rewrites racing its greedy text, a
    second sentence where a reason says no detail), the same without that second sentence, the
    same with every rewrite written after the batch, the same writing greedy only, the writer as
    before (float32, pick by pick, greedy), the few-shot base-model writer (before the writer
    adapter) and evidence sentences, side by side per request: time to the first pick's text,
    time to the full reply, what the picks' texts were and how many say a detail of the pick."""
    from crossrec.agent.justify import JustificationWriter
    from crossrec.agent.llm import load_writer, local_chat_model, local_pipeline
    from crossrec.agent.phrasing import is_specific, stock_phrase

    n = int(os.environ.get("CROSSREC_BENCH_REPLY", n))
    rec, models, load_s = _justifying_agent()
    config = rec.config
    graph, trained = rec.retrieval.graph, rec.writer.trained
    float32_writer = load_writer(models.writer_model, config.model, config.writer_adapter)[0]
    float32_chat = local_chat_model(float32_writer, models.tokenizer, config.max_new_tokens)

    def shipped_but(**changes) -> JustificationWriter:  # the shipped batched writer, changed
        settings = {"samples": config.writer_samples, "race": True, "detail": True, **changes}
        return JustificationWriter(
            rec.writer.chat_model, rec.catalog, graph, trained=trained, **settings
        )

    writers = {  # (writer, reasons written together)
        "llm_writer": (rec.writer, True),
        # the first pick's rewrites after the batch, as before
        "llm_writer_rewrites_after": (shipped_but(race=False), True),
        # as shipped, without the second sentence for a detail
        "llm_writer_one_sentence": (shipped_but(detail=False), True),
        "llm_writer_greedy_only": (shipped_but(samples=0), True),
        "llm_writer_before": (  # float32, one pick after another, greedy (the default before)
            JustificationWriter(float32_chat, rec.catalog, graph, trained=trained),
            False,
        ),
        "few_shot_writer": (
            JustificationWriter(
                local_chat_model(models.writer_model, models.tokenizer, config.max_new_tokens),
                rec.catalog,
                graph,
            ),
            False,
        ),
        "evidence": (None, False),
    }
    warm_s = rec.warm_up()  # as `crossrec ui` and `crossrec chat` do before serving
    # the first reply after start, with --justify as shipped
    first_reply_s = _timed_turn(rec, "I loved the movie Alien. Any books I'd like?", "bench-1st")[1]
    runs: dict[str, dict] = {
        mode: {"first": [], "full": [], "sources": {}, "stock": 0, "specific": 0, "texts": 0}
        for mode in writers
    }
    for k, message in enumerate(_reply_requests(rec.catalog, n)):
        modes = list(runs)
        for mode in modes[k % len(modes) :] + modes[: k % len(modes)]:  # rotate who goes first
            rec.writer, rec.config.batch_justifications = writers[mode]
            rec.config.justify = rec.writer is not None
            session = f"bench-reply-{mode}-{k}"
            first, full, reply = _timed_turn(rec, message, session)
            run = runs[mode]
            run["first"].append(first)
            run["full"].append(full)
            for item in reply.items:
                run["sources"][item.justification_source] = (
                    run["sources"].get(item.justification_source, 0) + 1
                )
                names = [item.title, *(v for _, v in graph.facts_of(item.item_id))]
                names += [rec.catalog[i].title for i in rec.profile(session).liked]
                run["stock"] += stock_phrase(item.justification, names) is not None
                liked = rec.profile(session).liked
                links = rec.explainer.finder.find(item.item_id, liked, (), limit=3)
                run["specific"] += is_specific(
                    item.justification, item.item_id, liked, links, graph, rec.catalog
                )
                run["texts"] += 1
                run.setdefault("examples", []).append(item.justification)
    from crossrec.evaluation.metrics import latency_summary

    out = {"requests": n, "k": 3, "model_load_s": round(load_s, 1), "warm_up_s": round(warm_s, 1)}
    for mode, run in runs.items():
        out[mode] = {
            "first_pick_text_s": latency_summary(run["first"]),
            "full_reply_s": latency_summary(run["full"]),
            "justification_sources": run["sources"],
            "llm_text_share": _share(run, lambda s: s in ("llm", "llm-retry")),
            "composed_detail_share": _share(run, lambda s: s.endswith("+detail")),
            "stock_phrase_rate": round(run["stock"] / max(run["texts"], 1), 3),
            "specificity": round(run["specific"] / max(run["texts"], 1), 3),
            "examples": run.get("examples", [])[:6],
        }
    out["first_reply_after_start_s"] = round(first_reply_s, 2)
    out["first_reply_vs_p50"] = round(first_reply_s / out["llm_writer"]["full_reply_s"]["p50"], 2)
    out["first_reply_justified"] = True
    out["speedup_full_p50"] = round(
        out["llm_writer"]["full_reply_s"]["p50"] / out["evidence"]["full_reply_s"]["p50"], 1
    )
    for span in ("first_pick_text_s", "full_reply_s"):  # the writers before / as shipped
        for before in ("llm_writer_before", "llm_writer_rewrites_after", "llm_writer_one_sentence"):
            out[f"{before.removeprefix('llm_writer_')}_vs_now_{span}"] = round(
                out[before][span]["p50"] / out["llm_writer"][span]["p50"], 2
            )
    out["writer_samples"] = config.writer_samples
    shipped = writers["llm_writer"][0].chat_model  # rec.writer is the last mode's by now
    out["writer_dtype"] = str(local_pipeline(shipped).model.dtype)
    return out


def bench_first_reply(others: int = 6, again: int = 3) -> dict:
    """The first reply in a freshly started agent (warmed up as ``crossrec ui`` and ``crossrec
    chat`` do before serving) against later ones, with --justify as shipped and nothing else
    in the process: the same first message asked again in new sessions once ``others`` other
    requests have been served (the fair comparison: one message with itself), and the p50 of
    those other requests (their messages differ, so they bound the comparison loosely).
    ``CROSSREC_BENCH_FIRST`` sets the first message."""
    from crossrec.agent.llm import local_pipeline

    message = os.environ.get("CROSSREC_BENCH_FIRST", "I loved the movie Alien. Any books I'd like?")
    others = int(os.environ.get("CROSSREC_BENCH_OTHERS", others))
    rec, _, load_s = _justifying_agent()
    warm_s = rec.warm_up()
    first_text, first_s, _ = _timed_turn(rec, message, "bench-first")
    requests = _reply_requests(rec.catalog, others, seed=1)
    other = [_timed_turn(rec, m, f"bench-other-{k}")[1] for k, m in enumerate(requests)]
    later = [_timed_turn(rec, message, f"bench-again-{i}")[:2] for i in range(again)]
    same_text = statistics.median(t for t, _ in later)
    same_full = statistics.median(f for _, f in later)
    others_p50 = statistics.median(other)
    return {
        "message": message,
        "model_load_s": round(load_s, 1),
        "warm_up_s": round(warm_s, 1),
        "first_reply_s": round(first_s, 2),
        "first_text_s": round(first_text, 2),
        "same_message_later_s": round(same_full, 2),
        "same_message_later_first_text_s": round(same_text, 2),
        "others_p50_s": round(others_p50, 2),
        "others": others,
        "again": again,
        "first_vs_same_later": round(first_s / same_full, 2),
        "first_text_vs_same_later": round(first_text / same_text, 2),
        "first_vs_others_p50": round(first_s / others_p50, 2),
        "writer_dtype": str(local_pipeline(rec.writer.chat_model).model.dtype),
    }


def bench_ui_load(sessions: int = 8) -> dict:
    """``sessions`` Chromium sessions chatting at once through the Gradio queue (shipped agent)."""
    from crossrec.agent.config import AgentConfig
    from crossrec.agent.factory import build_recommender
    from crossrec.agent.state import SessionStore

    from bench.ui_load import ui_load

    rec = build_recommender(
        "opendialkg", config=AgentConfig(catalog="opendialkg"), sessions=SessionStore()
    )
    return ui_load(rec, sessions=int(os.environ.get("CROSSREC_BENCH_SESSIONS", sessions)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results.json"))
    parser.add_argument(
        "--only", default="embedding,rerank,train,agent,hostile,reply,first_reply,ui_load"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    names = args.only.split(",")
    if len(names) > 1:  # one process per benchmark, so peak memory is each one's own
        import subprocess
        import sys

        for name in names:
            subprocess.run(
                [sys.executable, "-m", "bench.run", "--out", str(args.out), "--only", name],
                check=True,
            )
        return 0
    results = json.loads(args.out.read_text()) if args.out.is_file() else {}
    for name in names:
        print(f"== {name}", flush=True)
        results[name] = globals()[f"bench_{name}"]()
        results[name]["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
        print(json.dumps(results[name], indent=2), flush=True)
    results["machine"] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
