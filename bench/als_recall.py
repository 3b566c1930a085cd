"""Candidate recall@20/@100 of the fused list with and without the ALS source.

Usage: python -m bench.als_recall [DATASET] [SPLIT]   (default: amazon_arts_office valid)

Every source ranks every line of the split once (with the catalog's shipped fusion weights and
its Chroma store when indexed); the fused list is then recomputed for each ALS weight, so the
rows differ only in that weight. Printed and written to runs/als-recall-DATASET-SPLIT.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0)


def main(argv=None) -> int:
    from crossrec.retrieval.datasets import load_dataset
    from crossrec.retrieval.paths import Paths
    from crossrec.retrieval.pipeline import (
        build_retrieval,
        candidate_query,
        decisions,
        training_sequences,
    )
    from crossrec.retrieval.runtime import Runtime
    from crossrec.retrieval.sources.candidates import ALSSource, FusedGenerator, FusionConfig
    from crossrec.retrieval.sources.cooccur import ALSModel
    from crossrec.retrieval.sources.fusion import default_fusion

    argv = sys.argv[1:] if argv is None else argv
    name = argv[0] if argv else "amazon_arts_office"
    split = argv[1] if len(argv) > 1 else "valid"
    ds = load_dataset(name, Paths.resolve().require_data_dir())
    store = Runtime.resolve().store(name)
    store = store if store.up_to_date(len(ds.catalog)) else None
    fusion = default_fusion(name)
    retrieval = build_retrieval(ds, store, fusion)
    rows = decisions(ds, split)
    results: dict = {"dataset": name, "split": split, "lines": len(rows), "store": bool(store)}
    for factors in (32, 64, 128):
        start = time.perf_counter()
        als = ALSModel(retrieval.space, factors=factors).fit(training_sequences(ds))
        fit_s = time.perf_counter() - start
        sources = [*retrieval.generator.sources, ALSSource(als)]
        weights = {**fusion.weights, "als": 1.0}
        generator = FusedGenerator(sources, FusionConfig(weights=weights, rrf_k=fusion.rrf_k))
        rankings = [generator.rankings(candidate_query(d)) for d in rows]

        def recall(weights: dict, k: int, rankings=rankings) -> float:
            fuse = FusedGenerator([], FusionConfig(weights=weights, rrf_k=fusion.rrf_k)).fuse
            used = [{n: v for n, v in r.items() if weights.get(n, 0.0) > 0} for r in rankings]
            hits = [
                any(t in {c.item_id for c in fuse(r, k)} for t in d.targets)
                for d, r in zip(rows, used, strict=True)
            ]
            return round(float(np.mean(hits)), 4)

        row = {"fit_s": round(fit_s, 1)}
        for w in WEIGHTS:
            row[f"fused+als{w}"] = {k: recall({**fusion.weights, "als": w}, k) for k in (20, 100)}
        row["als_alone"] = {k: recall({"als": 1.0}, k) for k in (20, 100)}
        row["cooccurrence_alone"] = {k: recall({"cooccurrence": 1.0}, k) for k in (20, 100)}
        results[f"factors_{factors}"] = row
        print(factors, json.dumps(row), flush=True)
    out = Path(f"runs/als-recall-{name}-{split}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
