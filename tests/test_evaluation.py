"""The evaluation harness end to end (tiny LLM), bring-your-own data, and leakage checks."""

from __future__ import annotations

import itertools
import json

import pytest
from crossrec.cli import main


def _run(tmp_path, workdir, *args) -> dict:
    out = tmp_path / "eval"
    code = main(
        [
            "eval",
            "--store",
            str(workdir / "store"),
            "--cache-dir",
            str(workdir),
            "--out",
            str(out),
            *args,
        ]
    )
    assert code == 0
    report = json.loads((out / "metrics.json").read_text())
    for name in ("report.md", "recall_at_k.png", "per_domain.png"):
        assert (out / name).stat().st_size > 0
    return report


def _sane(metrics: dict) -> None:
    assert metrics["valid_rate"] == 1.0
    values = [metrics[f"recall@{k}"] for k in (1, 5, 10, 50)]
    assert values == sorted(values) and values[0] >= 0 and values[-1] <= 1


def test_opendialkg_harness_with_all_dialog_systems(tmp_path, workdir, odkg_store, tiny_model_dir):
    report = _run(
        tmp_path,
        workdir,
        "--dataset",
        "opendialkg",
        "--split",
        "valid",
        "--limit",
        "6",
        "--systems",
        "popularity,bm25,dense,cooccurrence,fused,zero_shot,full",
        "--model",
        str(tiny_model_dir),
        "--adapter",
        "none",
        "--justify-samples",
        "3",
        "--ranking",
        "fused",
    )
    systems = report["systems"]
    assert set(systems) == {
        "popularity",
        "bm25",
        "dense",
        "cooccurrence",
        "fused",
        "zero_shot",
        "full",
    }
    for metrics in systems.values():
        _sane(metrics)
        assert {"recall@10_excl_mentioned", "cross_domain", "per_domain"} <= set(metrics)
    # without the ranking stage, reranking only reorders the top 20 fused candidates: the
    # top-50 sets are the same
    assert systems["full"]["recall@50"] == systems["fused"]["recall@50"]
    assert report["samples"] >= 6 and report["latency"]["full"]["rerank_s"]["n"] == report["rows"]
    justifications = report["justifications"]
    assert justifications["n"] == 3 and justifications["groundedness_title_recheck"] == 1.0
    assert 0 <= justifications["distinct_1"] <= 1 and "bleu" in justifications
    assert report["run"]["command"].startswith("crossrec eval")


def test_amazon_harness_without_a_vector_store(tmp_path, workdir, data_dir):
    report = _run(
        tmp_path,
        workdir,
        "--dataset",
        "amazon_arts_office",
        "--split",
        "valid",
        "--limit",
        "30",
        "--systems",
        "popularity,bm25,cooccurrence",
        "--cross-domain-limit",
        "10",
    )
    for metrics in report["systems"].values():
        _sane(metrics)
        assert set(metrics["per_domain"]) <= {"arts", "office"}
        assert metrics["cross_domain"]["n"] <= 10
        beyond = metrics["beyond"]
        assert 0 < beyond["coverage"] <= 30 * 10 / 38396 and 0 < beyond["intra_list_diversity"] <= 1
        assert set(beyond["per_domain"]) == set(metrics["per_domain"])
    popular, lexical = (
        report["systems"]["popularity"]["beyond"],
        report["systems"]["bm25"]["beyond"],
    )
    assert popular["novelty"] < lexical["novelty"]  # best-sellers are the least novel
    assert popular["coverage"] < lexical["coverage"]
    assert "## Beyond accuracy" in (tmp_path / "eval" / "report.md").read_text()
    assert report["samples"] == 30


def test_bring_your_own_catalog_and_dialogs(tmp_path, workdir, tiny_model_dir, embedder):
    items = [
        {
            "id": f"b{n}",
            "title": f"Space Saga Part {n}",
            "domain": "book",
            "attributes": {"writer": [f"Author {n % 3}"], "genre": ["science fiction"]},
        }
        for n in range(12)
    ]
    items += [
        {
            "id": f"m{n}",
            "title": f"Laugh Out Loud {n}",
            "domain": "movie",
            "attributes": {"director": [f"Director {n % 2}"], "genre": ["comedy"]},
        }
        for n in range(12)
    ]
    catalog = tmp_path / "items.jsonl"
    catalog.write_text("\n".join(json.dumps(i) for i in items) + "\n")
    turns = [
        {
            "context": [f"I loved Laugh Out Loud {n}. Any books?"],
            "rec": [f"Space Saga Part {n}"],
            "resp": f"Try Space Saga Part {n}.",
        }
        for n in range(6)
    ]
    dialogs = tmp_path / "turns.jsonl"
    dialogs.write_text("\n".join(json.dumps(t) for t in turns) + "\n")
    report = _run(
        tmp_path,
        workdir,
        "--catalog",
        str(catalog),
        "--dialogs",
        str(dialogs),
        "--name",
        "byo-test",
        "--split",
        "test",
        "--systems",
        "bm25,dense,fused,full",
        "--model",
        str(tiny_model_dir),
        "--adapter",
        "none",
        "--justify-samples",
        "2",
    )
    assert report["dataset"] == "byo-test" and report["samples"] == 6
    for metrics in report["systems"].values():
        _sane(metrics)
        assert set(metrics["per_domain"]) == {"book"}


def test_nothing_from_test_reaches_training_statistics_or_examples(data_dir):
    from crossrec.finetune.examples import ExampleConfig, build_examples
    from crossrec.retrieval.datasets import load_dataset
    from crossrec.retrieval.pipeline import build_retrieval, training_sequences

    dataset = load_dataset("amazon_arts_office", data_dir)
    retrieval = build_retrieval(dataset, None)
    train_items = {i for s in training_sequences(dataset) for i in s}
    test_only = {i for h in dataset.histories["test"] for i in (*h.items, h.target)} - train_items
    assert test_only  # the check is not vacuous
    for item_id in test_only:
        position = retrieval.space.position[item_id]
        assert retrieval.popularity.counts[position] == 0
        assert retrieval.cooccurrence.matrix[position].nnz == 0
        assert retrieval.cooccurrence.matrix[:, position].nnz == 0
    train_rows = {(h.items, h.target) for h in dataset.histories["train"]}
    config = ExampleConfig(per_dataset=6, heldout_per_dataset=2, require_retrieved=False)
    examples = list(itertools.islice(build_examples(retrieval, config, progress=False), 8))
    assert len(examples) == 8
    for example in examples:
        assert example.row_id.startswith("train-")
        assert (tuple(example.history), example.target) in train_rows


def test_dialog_disjoint_statistics_drop_every_dialog_the_test_split_shares(odkg):
    """OpenDialKG's counterpart: its public split samples turns, so test dialogs have train
    turns; --dialog-disjoint fits the statistics without any of those dialogs."""
    from crossrec.evaluation.run import _fit_disjoint
    from crossrec.retrieval.pipeline import build_retrieval, training_sequences

    retrieval = build_retrieval(odkg, None)
    test_dialogs = {t.dialog_id.removeprefix("test-") for t in odkg.turns["test"]}
    shared = {t.dialog_id for t in odkg.turns["train"]}
    shared = {d for d in shared if d.removeprefix("train-") in test_dialogs}
    assert len(shared) > 300  # the leak is real
    leaked = {i for t in odkg.turns["train"] if t.dialog_id in shared for i in t.targets}
    elsewhere = {i for t in odkg.turns["train"] if t.dialog_id not in shared for i in t.targets}
    only_shared = leaked - elsewhere - {m for t in odkg.turns["train"] for m in t.mentioned
                                        if t.dialog_id not in shared}  # fmt: skip
    assert only_shared  # items that only shared dialogs put into the statistics
    info = _fit_disjoint(retrieval, "test")
    assert info["shared_with_split"] == len(shared)
    for item_id in only_shared:
        position = retrieval.space.position[item_id]
        assert retrieval.popularity.counts[position] == 0
        assert retrieval.cooccurrence.matrix[position].nnz == 0
    retrieval.refit(training_sequences(odkg))
    assert any(retrieval.popularity.counts[retrieval.space.position[i]] for i in only_shared)


@pytest.mark.parametrize(
    "bad", [["--dataset", "opendialkg", "--catalog", "x.jsonl"], ["--split", "test"]]
)
def test_eval_rejects_contradictory_options(bad, capsys):
    assert main(["eval", *bad]) == 2
    assert "error" in capsys.readouterr().err


def test_examples_in_retrieval_order_keep_the_fused_order(data_dir):
    from crossrec.finetune.examples import ExampleConfig, build_examples
    from crossrec.retrieval.datasets import load_dataset
    from crossrec.retrieval.pipeline import build_retrieval

    retrieval = build_retrieval(load_dataset("amazon_arts_office", data_dir), None)
    made = {}
    for order in ("retrieval", "random"):
        config = ExampleConfig(per_dataset=6, heldout_per_dataset=2, candidate_order=order)
        made[order] = list(itertools.islice(build_examples(retrieval, config, progress=False), 8))
    # the held-out rows come first and are the same rows in both orders
    pairs = list(zip(made["retrieval"][:2], made["random"][:2], strict=True))
    for kept, shuffled in pairs:
        assert kept.row_id == shuffled.row_id and kept.target == shuffled.target
        assert sorted(kept.candidates) == sorted(shuffled.candidates)
    assert any(k.candidates != s.candidates for k, s in pairs)
    for example in made["retrieval"]:
        assert example.candidates[example.label] == example.target
    # the fused order puts many targets first (that it is not shuffled is checked above)
    assert min(e.label for e in made["retrieval"]) == 0
    with pytest.raises(ValueError, match="candidate_order"):
        ExampleConfig(candidate_order="sorted")


def _byo_files(tmp_path):
    """A catalog whose movie -> book pairs only a team's own logs reveal (no shared words)."""
    words = [
        "amber",
        "basil",
        "cedar",
        "delta",
        "ember",
        "fjord",
        "garnet",
        "harbor",
        "indigo",
        "juniper",
        "kestrel",
        "lumen",
    ]
    items = [
        {"id": f"m{n}", "title": f"{w.title()} Film", "domain": "movie"}
        for n, w in enumerate(words)
    ]
    items += [
        {"id": f"b{n}", "title": f"{w.title()} Tale", "domain": "book"}
        for n, w in enumerate(reversed(words))
    ]
    catalog = tmp_path / "items.jsonl"
    catalog.write_text("\n".join(json.dumps(i) for i in items) + "\n")
    # each user who watched m<n> read b<n>; titles and ids both work
    histories = [
        {"user_id": f"u{n}{r}", "items": [f"m{n}", f"b{n}"]} for n in range(12) for r in range(3)
    ]
    histories[0]["items"] = [items[0]["title"], "b0"]
    train = tmp_path / "histories.jsonl"
    train.write_text("\n".join(json.dumps(h) for h in histories) + "\n")
    turns = [
        {"context": [f"I loved {items[n]['title']}. A book?"], "rec": [f"b{n}"]} for n in range(12)
    ]
    dialogs = tmp_path / "turns.jsonl"
    dialogs.write_text("\n".join(json.dumps(t) for t in turns) + "\n")
    return catalog, train, dialogs


def test_a_teams_own_training_histories_feed_the_collaborative_sources(tmp_path, workdir):
    catalog, train, dialogs = _byo_files(tmp_path)
    common = ["--catalog", str(catalog), "--dialogs", str(dialogs), "--name", "byo-logs"]
    common += ["--systems", "cooccurrence,popularity", "--justify-samples", "0"]
    without = _run(tmp_path, workdir, *common)
    with_logs = _run(tmp_path, workdir, *common, "--train-histories", str(train))
    assert without["systems"]["cooccurrence"]["recall@1"] == 0.0  # nothing to learn from
    assert with_logs["systems"]["cooccurrence"]["recall@1"] == 1.0
    assert with_logs["systems"]["popularity"]["recall@10"] > 0


def test_training_logs_are_kept_with_a_registered_catalog_and_validated(tmp_path, workdir):
    from crossrec.retrieval import Paths
    from crossrec.retrieval.datasets.catalogs import open_dataset, register_catalog
    from crossrec.retrieval.datasets.schema import DataError

    catalog, train, dialogs = _byo_files(tmp_path)
    paths = Paths(data_dir=tmp_path, store=tmp_path / "store", cache=tmp_path / "cache")
    register_catalog(catalog, "byo-kept", paths, train_histories=train, train_dialogs=dialogs)
    opened = open_dataset("byo-kept", paths)  # as the agent and the UI open it
    assert len(opened.histories["train"]) == 36 and len(opened.turns["train"]) == 12
    first = opened.histories["train"][0]  # the title became its id; the last item is next
    assert (first.items, first.target) == (("m0",), "b0")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"items": ["m1"]}\n{"items": ["No Such Title"]}\n')
    with pytest.raises(DataError, match=r"bad.jsonl:2: field 'items'"):
        register_catalog(catalog, "byo-kept", paths, train_histories=bad)
    assert len(open_dataset("byo-kept", paths).histories["train"]) == 36  # nothing was lost
    register_catalog(catalog, "byo-kept", paths)  # registering again keeps the logs
    assert len(open_dataset("byo-kept", paths).histories["train"]) == 36
    with pytest.raises(FileNotFoundError, match="--train-histories"):
        register_catalog(catalog, "byo-kept", paths, train_histories=tmp_path / "missing.jsonl")
    assert len(open_dataset("byo-kept", paths).histories["train"]) == 36


def test_ievalm_view_ranks_over_their_item_set_one_entity_per_title():
    from crossrec.evaluation.ievalm import ievalm_view
    from crossrec.evaluation.samples import Sample
    from crossrec.retrieval.datasets.schema import Catalog, Item

    catalog = Catalog(
        "toy",
        [
            Item("1", "movie", "Fight Club"),
            Item("2", "book", "Fight Club"),
            Item("3", "book", "Lullaby"),
            Item("4", "book", "Not In Their Set"),
        ],
    )
    samples = [Sample("t1", "2", "book"), Sample("t2", "4", "book")]
    rankings = {"sys": {"t1": ["4", "3", "2", "1"], "t2": ["4"]}}
    viewed, moved, counts = ievalm_view(rankings, samples, catalog, {"Fight Club", "Lullaby"})
    assert viewed["sys"]["t1"] == ["3", "1"]  # "4" is outside; the two Fight Clubs are one
    assert [s.target for s in moved] == ["1", "4"]  # the book's label is the shared entity
    assert counts == {"items": 2, "samples": 2, "targets_outside": 1}


def test_ievalm_protocol_prints_their_numbers_beside_ours(tmp_path, workdir, data_dir):
    from crossrec.evaluation.ievalm import ievalm_items

    assert len(ievalm_items(data_dir)) == 2965
    report = _run(
        tmp_path, workdir, "--dataset", "opendialkg", "--protocol", "ievalm", "--limit", "40",
        "--systems", "popularity,cooccurrence", "--justify-samples", "0",
    )  # fmt: skip
    assert report["protocol"] == "ievalm" and report["ievalm"]["items"] <= 2965
    assert report["ievalm"]["targets_outside"] < report["samples"] / 10
    text = (tmp_path / "eval" / "report.md").read_text()
    assert "Protocol `ievalm`" in text and "theirs, not ours" in text
    for metrics in report["systems"].values():
        _sane(metrics)


def test_justification_metrics_explain_a_pick_a_reply_would_show(tiny_agent):
    """A reply never offers a named item again, so neither is one scored as a justification:
    the ranking's first item that is not the liked film is explained."""
    from crossrec.evaluation.justification import justification_metrics
    from crossrec.evaluation.samples import Sample

    catalog = tiny_agent.catalog
    liked, other = catalog.by_title("Fight Club")[0], catalog.by_title("Lullaby")[0]
    sample = Sample("k", liked, catalog[liked].domain, history=(liked,), domain="book")
    report = justification_metrics(tiny_agent, [sample], {"k": [liked, other]}, limit=1)
    assert report["n"] == 1 and report["examples"][0]["item"] == "Lullaby"
    assert justification_metrics(tiny_agent, [sample], {"k": [liked]}, limit=1)["n"] == 0
