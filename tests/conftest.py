"""Shared fixtures: real data, the bundled MiniLM, real Chroma in temp folders, a tiny LLM.

The tiny LLM is a randomly initialised 2-layer Llama with the real SmolLM2 tokenizer (read
from the bundled GGUF once per session), saved as a normal model folder so every loading path
is the real one. Tests marked ``slow`` use the real bundled SmolLM2.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    value = os.environ.get("CROSSREC_DATA_DIR")
    if not value or not Path(value).is_dir():
        pytest.skip("CROSSREC_DATA_DIR is not set to the data directory")
    return Path(value)


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    """A session-wide cache folder (ONNX export, converted tokenizer, stores)."""
    return tmp_path_factory.mktemp("crossrec-cache")


@pytest.fixture(scope="session")
def tokenizer_dir(workdir) -> Path:
    """The SmolLM2 tokenizer (with its chat template), read from the bundled GGUF once."""
    from crossrec.finetune.model import bundled_gguf
    from transformers import AutoTokenizer

    path = workdir / "tokenizer"
    gguf = bundled_gguf()
    AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name).save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_model_dir(tokenizer_dir, workdir) -> Path:
    """A tiny random Llama + the real tokenizer, as a standard model folder."""
    import shutil

    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    path = workdir / "tiny-llama"
    LlamaForCausalLM(config).save_pretrained(path)
    for item in tokenizer_dir.iterdir():
        shutil.copy(item, path / item.name)
    return path


@pytest.fixture(scope="session")
def small_items():
    """Six hand-made items in two domains, for store tests."""
    from crossrec.retrieval.datasets.schema import Item

    return [
        Item(
            "m1", "movie", "Alien", attributes={"director": ("Ridley Scott",), "genre": ("Horror",)}
        ),
        Item(
            "m2",
            "movie",
            "Blade Runner",
            attributes={"director": ("Ridley Scott",), "genre": ("Science Fiction",)},
        ),
        Item("m3", "movie", "Toy Story", attributes={"genre": ("Animation", "Comedy")}),
        Item(
            "b1",
            "book",
            "Dune",
            attributes={"writer": ("Frank Herbert",), "genre": ("Science Fiction",)},
        ),
        Item(
            "b2",
            "book",
            "The Shining",
            attributes={"writer": ("Stephen King",), "genre": ("Horror",)},
        ),
        Item(
            "b3",
            "book",
            "Winnie-the-Pooh",
            attributes={"writer": ("A. A. Milne",), "genre": ("Children",)},
        ),
    ]


@pytest.fixture(scope="session")
def embedder(workdir):
    from crossrec.retrieval.index.embed import EmbedderConfig, load_embedder

    return load_embedder(EmbedderConfig(), cache_dir=workdir)


@pytest.fixture(scope="session")
def odkg(data_dir):
    from crossrec.retrieval.datasets import load_dataset

    return load_dataset("opendialkg", data_dir)


@pytest.fixture(scope="session")
def odkg_store(odkg, embedder, workdir):
    """OpenDialKG indexed into an embedded Chroma store (once per session)."""
    from crossrec.retrieval.index.store import CatalogStore, StoreConfig, make_client

    store = CatalogStore(make_client(StoreConfig(store=workdir / "store")), embedder, "opendialkg")
    store.index(odkg.catalog, progress=False)
    return store


@pytest.fixture(scope="session")
def odkg_retrieval(odkg, odkg_store):
    from crossrec.retrieval.pipeline import build_retrieval
    from crossrec.retrieval.sources.fusion import default_fusion

    return build_retrieval(odkg, odkg_store, default_fusion("opendialkg"))


@pytest.fixture(scope="session")
def tiny_models(tiny_model_dir, embedder):
    """The agent's models, with the tiny LLM in every role."""
    from crossrec.agent.factory import Models
    from crossrec.agent.llm import local_chat_model
    from crossrec.finetune.model import load_base_model

    model, tokenizer = load_base_model(str(tiny_model_dir))
    return Models(
        model, tokenizer, model, embedder, local_chat_model(model, tokenizer, max_new_tokens=12)
    )


@pytest.fixture
def tiny_agent(odkg_retrieval, tiny_models, tmp_path):
    """A full Recommender on the real OpenDialKG catalog with the tiny LLM."""
    from crossrec.agent.config import AgentConfig
    from crossrec.agent.factory import build_recommender
    from crossrec.agent.state import SessionStore

    return build_recommender(
        "opendialkg",
        config=AgentConfig(catalog="opendialkg"),
        models=tiny_models,
        retrieval=odkg_retrieval,
        sessions=SessionStore(tmp_path / "sessions.sqlite"),
        cache_dir=tmp_path,
    )
