"""The scale-out path: the same store code against a real ``chroma run`` server on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crossrec.retrieval.store import CatalogStore, StoreConfig, make_client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(exe).exists():
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [
            exe,
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start within 60 s")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


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
