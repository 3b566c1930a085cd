"""``crossrec data download`` against an HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading

import pytest
from crossrec.retrieval.datasets.download import MANIFEST, RemoteFile, check_data_dir, download


@pytest.fixture
def serve(tmp_path):
    """Serve a folder on a free loopback port; yields a function folder -> base URL."""
    servers = []

    def start(folder):
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *a: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


def _fixture_files(root):
    files = {
        "tiny/items.jsonl": b'{"id": "1", "title": "Dune", "domain": "book"}\n',
        "tiny/turns.jsonl": b'{"context": ["hi"], "rec": ["Dune"]}\n',
    }
    manifest = []
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        dataset, name = rel.split("/")
        manifest.append(
            RemoteFile(
                dataset,
                name,
                "https://example.invalid/" + name,
                hashlib.sha256(data).hexdigest(),
                len(data),
            )
        )
    return tuple(manifest)


def test_download_verifies_checksums_and_skips_verified_files(tmp_path, serve):
    served = tmp_path / "served"
    manifest = _fixture_files(served)
    url = serve(served)
    target = tmp_path / "data"
    log = []
    written = download(target, ("tiny",), mirror=url, manifest=manifest, echo=log.append)
    assert sorted(p.name for p in written) == ["items.jsonl", "turns.jsonl"]
    assert (target / "tiny" / "items.jsonl").read_bytes() == (
        served / "tiny" / "items.jsonl"
    ).read_bytes()
    assert check_data_dir(target, manifest, verify_checksums=True) == []
    again = download(target, ("tiny",), mirror=url, manifest=manifest, echo=log.append)
    assert again == [] and sum("not fetched again" in line for line in log) == 2


def test_corrupted_file_is_rejected_and_not_kept(tmp_path, serve):
    served = tmp_path / "served"
    manifest = _fixture_files(served)
    (served / "tiny" / "turns.jsonl").write_bytes(b"tampered\n")
    with pytest.raises(ValueError, match="checksum mismatch"):
        download(
            tmp_path / "data",
            ("tiny",),
            mirror=serve(served),
            manifest=manifest,
            echo=lambda s: None,
        )
    assert not (tmp_path / "data" / "tiny" / "turns.jsonl").exists()
    assert not list((tmp_path / "data" / "tiny").glob("*.part"))


def test_unreachable_source_names_the_url(tmp_path):
    manifest = (RemoteFile("tiny", "x.txt", "http://127.0.0.1:9/x.txt", "0" * 64, 1),)
    with pytest.raises(OSError, match="could not fetch http://127.0.0.1:9/x.txt"):
        download(tmp_path, ("tiny",), manifest=manifest, timeout=2, echo=lambda s: None)


def test_real_manifest_matches_the_published_files(tmp_path, serve, data_dir):
    """Serve the real data directory on loopback: every manifest checksum must verify."""
    url = serve(data_dir)
    written = download(tmp_path / "data", mirror=url, echo=lambda s: None)
    assert len(written) == len(MANIFEST)
    assert check_data_dir(tmp_path / "data", verify_checksums=True) == []
