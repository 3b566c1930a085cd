"""Hand-written code against the well-kept library that replaces it, side by side in one run.

* fuzzy title matching: ``difflib.get_close_matches`` vs ``rapidfuzz.process.extractOne``
  (same pools, same cut-off) on OpenDialKG titles with one typo each;
* BM25: the in-house sparse BM25 vs ``bm25s`` (same tokens, k1, b) on OpenDialKG validation
  turns: candidate recall@100 and time per query;
* BLEU / ROUGE-L: the in-house formulas vs ``sacrebleu`` and ``rouge-score`` on OpenDialKG
  reference replies.

    python -m bench.library_swaps --out bench/library_swaps.json
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import time
from pathlib import Path

import numpy as np


def _typo(title: str, rng: random.Random) -> str:
    i = rng.randrange(1, max(2, len(title) - 1))
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return title[:i] + title[i + 1 :]
    if kind == "swap" and i + 1 < len(title):
        return title[:i] + title[i + 1] + title[i] + title[i + 2 :]
    return title[:i] + title[i] + title[i:]


def fuzzy(linker, n: int = 1000, seed: int = 0) -> dict:
    from rapidfuzz import fuzz, process

    rng = random.Random(seed)
    keys = [k for k in linker.titles if len(k) >= 8]
    chosen = rng.sample(keys, n)
    queries = [(_typo(k, rng), k) for k in chosen]
    cutoff = linker.fuzzy_cutoff
    out = {}
    for name, match in (
        ("difflib", lambda q, pool: (difflib.get_close_matches(q, pool, 1, cutoff) or [None])[0]),
        (
            "rapidfuzz",
            lambda q, pool: (
                process.extractOne(q, pool, scorer=fuzz.ratio, score_cutoff=cutoff * 100) or [None]
            )[0],
        ),
    ):
        start = time.perf_counter()
        found = [match(q, linker._by_initial.get(q[0], [])) for q, _ in queries]
        seconds = time.perf_counter() - start
        out[name] = {
            "correct": round(sum(f == k for f, (_, k) in zip(found, queries, strict=True)) / n, 3),
            "wrong": round(sum(f not in (None, k) for f, (_, k) in zip(found, queries, strict=True)) / n, 3),
            "ms_per_query": round(1000 * seconds / n, 3),
        }  # fmt: skip
    out["speedup"] = round(out["difflib"]["ms_per_query"] / out["rapidfuzz"]["ms_per_query"], 1)
    return out


def bm25(retrieval, n: int = 1000, seed: int = 0) -> dict:
    import bm25s
    from crossrec.retrieval.linking import EntityLinker
    from crossrec.retrieval.pipeline import decisions
    from crossrec.retrieval.sources.lexical import BM25Index, tokenize

    space = retrieval.space
    docs = [space.catalog[i].document() for i in space.ids]
    rows = decisions(
        retrieval.dataset, "valid", EntityLinker(retrieval.dataset.catalog, retrieval.graph)
    )
    rows = random.Random(seed).sample(rows, min(n, len(rows)))
    queries = [" ".join(r.dialog[-2:]) for r in rows]
    start = time.perf_counter()
    ours = BM25Index(docs)
    built = {"in_house": time.perf_counter() - start}
    start = time.perf_counter()
    lib = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    lib.index([tokenize(d) for d in docs], show_progress=False)
    built["bm25s"] = time.perf_counter() - start
    out = {"rows": len(rows), "index_s": {k: round(v, 2) for k, v in built.items()}}
    tops = {}
    for name, score in (
        ("in_house", ours.scores),
        ("bm25s", lambda q: lib.get_scores(tokenize(q))),
    ):
        start = time.perf_counter()
        tops[name] = [np.argsort(-score(q), kind="stable")[:100] for q in queries]
        seconds = time.perf_counter() - start
        hits = [
            bool({space.ids[j] for j in top} & set(r.targets))
            for top, r in zip(tops[name], rows, strict=True)
        ]
        out[name] = {
            "recall@100": round(float(np.mean(hits)), 4),
            "ms_per_query": round(1000 * seconds / len(rows), 2),
        }
    out["top10_overlap"] = round(
        float(np.mean([len(set(a[:10]) & set(b[:10])) / 10 for a, b in zip(tops["in_house"], tops["bm25s"], strict=True)])), 3
    )  # fmt: skip
    return out


def text_metrics(dataset, n: int = 1000, seed: int = 0) -> dict:
    import sacrebleu
    from crossrec.evaluation.textmetrics import bleu, mean_rouge_l
    from rouge_score import rouge_scorer

    refs = [t.reference for t in dataset.turns["valid"] if t.reference]
    rng = random.Random(seed)
    refs = rng.sample(refs, min(n, len(refs)))
    hyps = [" ".join(r.split()[: max(1, len(r.split()) * 2 // 3)]) for r in refs]  # cut replies
    out = {"pairs": len(refs)}
    start = time.perf_counter()
    ours = {"bleu": bleu(hyps, refs), "rouge_l": mean_rouge_l(hyps, refs)}
    out["in_house"] = {k: round(v, 4) for k, v in ours.items()} | {
        "s": round(time.perf_counter() - start, 3)
    }
    start = time.perf_counter()
    scorer = rouge_scorer.RougeScorer(["rougeL"])
    lib = {
        "bleu": sacrebleu.corpus_bleu(hyps, [refs]).score / 100,
        "rouge_l": float(
            np.mean(
                [scorer.score(r, h)["rougeL"].fmeasure for h, r in zip(hyps, refs, strict=True)]
            )
        ),
    }
    out["libraries"] = {k: round(v, 4) for k, v in lib.items()} | {
        "s": round(time.perf_counter() - start, 3)
    }
    return out  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("bench/library_swaps.json"))
    args = parser.parse_args(argv)
    from crossrec.retrieval.runtime import Runtime

    retrieval = Runtime.resolve().retrieval("opendialkg")
    from crossrec.retrieval.linking import EntityLinker

    linker = EntityLinker(retrieval.dataset.catalog, retrieval.graph)
    report = {
        "fuzzy": fuzzy(linker),
        "bm25": bm25(retrieval),
        "text_metrics": text_metrics(retrieval.dataset),
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
