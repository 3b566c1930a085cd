"""The scale-out path: the same store code against a real ``chroma run`` server on loopback."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from crossrec.retrieval.index.store import (
    CatalogStore,
    StoreConfig,
    StoreUnavailableError,
    make_client,
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """``chroma run`` on a loopback port over one data folder, stopped and started at will."""

    def __init__(self, path: Path):
        self.exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        if not Path(self.exe).exists():
            pytest.skip("the chroma CLI is not installed")
        self.path = path
        self.port = _free_port()
        self.proc = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.exe, "run", "--path", str(self.path), "--host", "127.0.0.1"]
            + ["--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() ends every process of it
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        pytest.fail("chroma server did not start within 60 s")

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
            self.proc = None


@pytest.fixture
def server(tmp_path):
    server = ChromaServer(tmp_path / "server-data")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def chroma_server(server):
    return server.port


def test_same_queries_against_a_chroma_server(chroma_server, embedder, small_items, tmp_path):
    client = make_client(StoreConfig(chroma_host="127.0.0.1", chroma_port=chroma_server))
    store = CatalogStore(client, embedder, "server-catalog")
    summary = store.index(small_items, progress=False)
    assert summary.items == 6 and summary.added == 6
    assert store.index(small_items, progress=False).added == 0
    books = store.search("science fiction", k=10, domain="book")
    assert {h.item_id for h in books} == {"b1", "b2", "b3"}
    # the embedded store gives the same ranking for the same query
    local = CatalogStore(
        make_client(StoreConfig(store=tmp_path / "local")), embedder, "server-catalog"
    )
    local.index(small_items, progress=False)
    query = "scary haunted hotel horror novel"
    assert [h.item_id for h in store.search(query, k=4)] == [
        h.item_id for h in local.search(query, k=4)
    ]


def test_a_restarting_server_is_retried_and_loses_nothing(server, embedder, small_items):
    client = make_client(StoreConfig(chroma_host="127.0.0.1", chroma_port=server.port))
    store = CatalogStore(client, embedder, "restarts", retries=2, retry_delay=0.05)
    store.index(small_items, progress=False)
    before = [h.item_id for h in store.search("science fiction", k=3)]
    server.stop()
    with pytest.raises(StoreUnavailableError, match="not answering.*tried 3 times"):
        store.search("science fiction", k=3)
    # a server that comes back while the store is retrying: the caller just waits
    patient = CatalogStore(client, embedder, "restarts", retries=8, retry_delay=0.25)
    restart = threading.Timer(1.0, server.start)
    restart.start()
    assert [h.item_id for h in patient.search("science fiction", k=3)] == before
    restart.join()
    assert [h.item_id for h in store.search("science fiction", k=3)] == before
    assert store.count() == len(small_items)


@pytest.mark.slow
def test_chat_survives_a_server_restart(server, odkg, odkg_store, tiny_models, tmp_path):
    """The agent on a server store: a clear reply while it is down, every turn kept."""
    from crossrec.agent.config import AgentConfig
    from crossrec.agent.factory import build_recommender
    from crossrec.agent.state import SessionStore
    from crossrec.retrieval.pipeline import build_retrieval
    from crossrec.retrieval.sources.fusion import default_fusion

    client = make_client(StoreConfig(chroma_host="127.0.0.1", chroma_port=server.port))
    remote = CatalogStore(client, odkg_store.embedder, "opendialkg", retries=1, retry_delay=0.05)
    got = odkg_store.collection.get(include=["embeddings", "metadatas", "documents"])
    target = client.get_or_create_collection(
        remote.name,
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
        metadata=odkg_store.collection.metadata,
    )
    for start in range(0, len(got["ids"]), 1000):
        part = slice(start, start + 1000)
        target.upsert(
            ids=got["ids"][part],
            embeddings=got["embeddings"][part],
            metadatas=got["metadatas"][part],
            documents=got["documents"][part],
        )
    agent = build_recommender(
        "opendialkg",
        config=AgentConfig(catalog="opendialkg", justify=False),
        models=tiny_models,
        retrieval=build_retrieval(odkg, remote, default_fusion("opendialkg")),
        sessions=SessionStore(tmp_path / "sessions.sqlite"),
        cache_dir=tmp_path,
    )
    assert agent.chat("I loved the movie Fight Club", session_id="r").items
    server.stop()
    down = agent.chat("Any books I'd like?", session_id="r")
    assert not down.items and "can't reach" in down.text
    server.start()
    back = agent.chat("Any books I'd like?", session_id="r")
    assert back.items and all(r.item_id in odkg.catalog for r in back.items)
    said = [t.text for t in agent.session("r").dialog if t.role == "user"]
    assert said == ["I loved the movie Fight Club", "Any books I'd like?", "Any books I'd like?"]
    assert odkg.catalog.by_title("Fight Club")[0] in agent.profile("r").liked
