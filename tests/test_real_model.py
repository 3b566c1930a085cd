"""The real bundled SmolLM2 (slow): conversion, generation, reranking, the shipped adapter, a chat."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from cli_helpers import crossrec_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smollm(workdir):
    from crossrec.finetune.model import load_base_model

    return load_base_model(cache_dir=workdir)


def test_conversion_is_verified_and_cached(smollm, workdir):
    marker = json.loads(
        (workdir / "models" / "smollm2-135m-instruct" / "crossrec-conversion.json").read_text()
    )
    assert marker["max_logit_difference"] < 1e-3
    model, tokenizer = smollm
    assert sum(p.numel() for p in model.parameters()) == 134_515_008
    assert tokenizer.chat_template


def test_generation_says_something(smollm):
    import torch

    model, tokenizer = smollm
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "Name a famous novel."}],
        tokenize=False,
        add_generation_prompt=True,
    )
    ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)["input_ids"]
    with torch.inference_mode():
        out = model.generate(ids, max_new_tokens=12, do_sample=False)
    text = tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True)
    assert len(text.split()) >= 2


def test_shipped_adapter_reranks_a_real_example(smollm, odkg_retrieval):
    from crossrec.finetune.adapter import load_adapter, shipped_adapter_path
    from crossrec.finetune.prompting import PromptBuilder
    from crossrec.finetune.rerank import LineReranker
    from crossrec.finetune.rerank_eval import build_inputs
    from crossrec.retrieval.linking import EntityLinker
    from crossrec.retrieval.pipeline import decisions

    model, tokenizer = smollm
    card = (shipped_adapter_path() / "README.md").read_text()
    assert "smollm2-135m-instruct" in card and "crossrec train" in card
    linker = EntityLinker(odkg_retrieval.dataset.catalog, odkg_retrieval.graph)
    rows = decisions(odkg_retrieval.dataset, "valid", linker)[:3]
    inputs = build_inputs(odkg_retrieval, rows, 20)
    import copy

    tuned = load_adapter(copy.deepcopy(model), shipped_adapter_path())
    builder = PromptBuilder(odkg_retrieval.dataset.catalog, tokenizer)
    for inp, scores in zip(
        inputs, LineReranker(tuned, tokenizer, builder).score(inputs), strict=True
    ):
        assert scores.shape == (len(inp.candidates),) and np.isfinite(scores).all()


def test_cross_domain_chat_with_the_real_model(odkg_store, workdir, tmp_path, data_dir):
    from crossrec.agent import AgentConfig, Recommender
    from crossrec.agent.grounding import GroundingCheck

    rec = Recommender.from_defaults(
        "opendialkg",
        data_dir=data_dir,
        store=workdir / "store",
        cache_dir=workdir,
        config=AgentConfig(sessions=tmp_path / "s.sqlite"),
    )
    reply = rec.chat("I loved the movie Fight Club. Any books I'd like?", session_id="real")
    assert reply.items and all(r.domain == "book" and r.item_id in rec.catalog for r in reply.items)
    history = rec.profile("real").liked
    check = GroundingCheck(rec.catalog, rec.retrieval.graph)  # no writer by default
    for r in reply.items:
        links = rec.finder.find(r.item_id, history, (), limit=3)
        assert check.problems(r.justification, r.item_id, history, links) == []
        assert r.connection and r.justification_source == "evidence"
    assert any(e.get("history_title") == "Fight Club" for r in reply.items for e in r.evidence)


def test_terminal_chat_session_survives_a_restart(odkg_store, workdir, tmp_path, data_dir):
    env = crossrec_env(workdir / "store", data_dir, workdir)
    base = [
        sys.executable,
        "-m",
        "crossrec.cli",
        "chat",
        "--session",
        "restart",
        "--sessions",
        str(tmp_path / "chat.sqlite"),
        "--no-justify",
    ]
    first = subprocess.run(
        [*base, "--message", "I loved the movie Gone Girl"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert first.returncode == 0, first.stderr[-2000:]
    assert "picks" in first.stdout
    second = subprocess.run(
        [*base, "--message", "/profile"], env=env, capture_output=True, text=True, timeout=600
    )
    assert second.returncode == 0, second.stderr[-2000:]
    assert "liked: Gone Girl" in second.stdout
