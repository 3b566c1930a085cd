"""Fetch the public datasets into a data directory, verified by SHA-256.

Nothing here runs unless a user asks for it (``crossrec data download``). Every file is
fetched from its public GitHub source at a pinned commit, or from a mirror that serves the
data-directory layout (``{mirror}/{dataset}/{file}``), written to a temporary name, checked
against the manifest's checksum and only then moved into place. Files already present with
the right checksum are not fetched again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

__all__ = ["MANIFEST", "SOURCES", "RemoteFile", "check_data_dir", "download", "sha256_of"]

log = logging.getLogger(__name__)

_IEVALM = "https://raw.githubusercontent.com/RUCAIBox/iEvaLM-CRS/162e2f44"
_ODKG = "https://raw.githubusercontent.com/facebookresearch/opendialkg/main"
_URLLM = "https://raw.githubusercontent.com/TingJShen/URLLM/053d7395"

SOURCES = {
    "opendialkg": (
        "OpenDialKG (Moon et al., ACL 2019), processed by iEvaLM-CRS "
        "(github.com/RUCAIBox/iEvaLM-CRS, commit 162e2f44; entity/relation lists from "
        "github.com/facebookresearch/opendialkg). Data licence CC BY-NC 4.0 (non-commercial); "
        "iEvaLM-CRS code MIT."
    ),
    "amazon_arts_office": (
        "Amazon Reviews 2018 (Ni et al., EMNLP 2019), Arts & Crafts + Office Products "
        "overlapping users as published with URLLM (github.com/TingJShen/URLLM, DG_Final/AO, "
        "commit 053d7395). Research use of the Amazon review data; the URLLM repository states "
        "no licence."
    ),
}


@dataclass(frozen=True)
class RemoteFile:
    """One file of a dataset: where it lives publicly and what it must hash to."""

    dataset: str
    name: str
    url: str
    sha256: str
    size: int


def _f(dataset: str, name: str, url: str, sha256: str, size: int) -> RemoteFile:
    return RemoteFile(dataset, name, url, sha256, size)


MANIFEST: tuple[RemoteFile, ...] = (
    _f(
        "opendialkg",
        "id2info.json",
        f"{_IEVALM}/data/opendialkg/id2info.json",
        "a8ce8de8c957a1d339c80ff548e13eb32a66ee639243f67bc479ce09ad1c299e",
        1032113,
    ),
    _f(
        "opendialkg",
        "entity2id.json",
        f"{_IEVALM}/data/opendialkg/entity2id.json",
        "394e2e101463052c6b41f14d87b1420f936528c6f81ed50c22388c51fcda4e81",
        310362,
    ),
    _f(
        "opendialkg",
        "relation2id.json",
        f"{_IEVALM}/data/opendialkg/relation2id.json",
        "0722a517e68359d28182b897282fdefd9ceced47da315ad934f8f298a41a76e1",
        78,
    ),
    _f(
        "opendialkg",
        "kg.json",
        f"{_IEVALM}/data/opendialkg/kg.json",
        "7bb2ab8d4ba6906d2f1a15b26c7a74ddc9d4cc1ddeb02cfa29ec2f5977fecb4d",
        519468,
    ),
    _f(
        "opendialkg",
        "item_ids.json",
        f"{_IEVALM}/data/opendialkg/item_ids.json",
        "c7f7d151066c41a2b70d3df9b414e1d3c67ac48e978e222a90319e1dbfa7e98f",
        18682,
    ),
    _f(
        "opendialkg",
        "dialog_Books.jsonl",
        f"{_IEVALM}/data/opendialkg/dialog_Books.jsonl",
        "e68fb6109ac56ffea10f21bf6350d9e024c7b8ee9abc6a3b2a8e35f31ce3f7f6",
        3058303,
    ),
    _f(
        "opendialkg",
        "train_data_processed.jsonl",
        f"{_IEVALM}/data/opendialkg_eval/train_data_processed.jsonl",
        "472243b8c12c8e1eb44598d094e8b6e03a148ce13dc3f58ea9b323ba4ed27018",
        2240515,
    ),
    _f(
        "opendialkg",
        "valid_data_processed.jsonl",
        f"{_IEVALM}/data/opendialkg_eval/valid_data_processed.jsonl",
        "21bbf814ad76f36f058678b1bf4e9a77ca01ca00766bd8eb39780d1163f74bd2",
        484975,
    ),
    _f(
        "opendialkg",
        "test_data_processed.jsonl",
        f"{_IEVALM}/data/opendialkg_eval/test_data_processed.jsonl",
        "055eb9481823517099f0109929ea640662d58287af708e99983d9b97e2ce51a4",
        485220,
    ),
    _f(
        "opendialkg",
        "opendialkg_entities.txt",
        f"{_ODKG}/data/opendialkg_entities.txt",
        "6ada96862e3289c5fcbe572374a97db96f08ebbb2e0797a86cfe23a7dfa37573",
        1734998,
    ),
    _f(
        "opendialkg",
        "opendialkg_relations.txt",
        f"{_ODKG}/data/opendialkg_relations.txt",
        "408a547dcaf008ee18141e7cb59643e6a6a5850b81bcb9375cc8db35b057f5a3",
        21814,
    ),
    _f(
        "amazon_arts_office",
        "item_listA_F.csv",
        f"{_URLLM}/DG_Final/AO/item_listA_F.csv",
        "cd97eae43ec40a674375cdd14ee51fd1d0ee3983223be1a12263c596d26b1d53",
        2945518,
    ),
    _f(
        "amazon_arts_office",
        "item_listO_AA_F.csv",
        f"{_URLLM}/DG_Final/AO/item_listO_AA_F.csv",
        "bd8d701cfb3aaa03c382803c15a312457688808a1e82f790f1f85a076d42cf3a",
        3866207,
    ),
    _f(
        "amazon_arts_office",
        "train_F2.txt",
        f"{_URLLM}/DG_Final/AO/train_F2.txt",
        "01f597a570658a855d1a603c1f2b4145e8b162b86c0814c7686f20ad75cb9538",
        3842254,
    ),
    _f(
        "amazon_arts_office",
        "valid_F2.txt",
        f"{_URLLM}/DG_Final/AO/valid_F2.txt",
        "04650d1d3655d79fbc0776dcf3ef2873648fac933cf4901fd9d90c25e9427c9b",
        178715,
    ),
    _f(
        "amazon_arts_office",
        "test_F2.txt",
        f"{_URLLM}/DG_Final/AO/test_F2.txt",
        "03d55214e8ca7482961397b790a4188142ffbd23680ed4c03f9dac214d91ef05",
        341078,
    ),
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch(url: str, target: Path, size: int, timeout: float) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "crossrec-data-download"})
    with urllib.request.urlopen(request, timeout=timeout) as response, target.open("wb") as out:
        total = int(response.headers.get("Content-Length") or size or 0) or None
        with tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            desc=target.name.removesuffix(".part"),
            leave=False,
        ) as bar:
            for block in iter(lambda: response.read(1 << 16), b""):
                out.write(block)
                bar.update(len(block))


def download(
    data_dir: Path,
    datasets: tuple[str, ...] = tuple(SOURCES),
    mirror: str | None = None,
    manifest: tuple[RemoteFile, ...] = MANIFEST,
    timeout: float = 60.0,
    echo: Callable[[str], None] = print,
) -> list[Path]:
    """Fetch and verify every manifest file of ``datasets`` into ``data_dir``."""
    unknown = sorted(set(datasets) - {f.dataset for f in manifest})
    if unknown:
        raise ValueError(f"unknown dataset(s) {unknown}; available: {sorted(SOURCES)}")
    written = []
    for remote in (f for f in manifest if f.dataset in datasets):
        target = Path(data_dir) / remote.dataset / remote.name
        if target.is_file() and sha256_of(target) == remote.sha256:
            echo(f"ok       {target} (checksum verified, not fetched again)")
            continue
        url = f"{mirror.rstrip('/')}/{remote.dataset}/{remote.name}" if mirror else remote.url
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        echo(f"fetch    {url}")
        try:
            _fetch(url, part, remote.size, timeout)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise OSError(
                f"could not fetch {url}: {exc}. Check the network, or pass --mirror"
            ) from exc
        actual = sha256_of(part)
        if actual != remote.sha256:
            part.unlink(missing_ok=True)
            raise ValueError(
                f"checksum mismatch for {url}: expected {remote.sha256}, got {actual}; "
                "the file was not kept"
            )
        os.replace(part, target)
        echo(f"saved    {target} ({target.stat().st_size} bytes, sha256 ok)")
        written.append(target)
    return written


def check_data_dir(
    data_dir: Path, manifest: tuple[RemoteFile, ...] = MANIFEST, verify_checksums: bool = False
) -> list[str]:
    """Problems found in ``data_dir`` (missing files, wrong sizes or checksums); empty if fine."""
    problems = []
    for remote in manifest:
        path = Path(data_dir) / remote.dataset / remote.name
        if not path.is_file():
            problems.append(f"missing {path}")
        elif path.stat().st_size != remote.size:
            problems.append(f"size of {path} is {path.stat().st_size}, expected {remote.size}")
        elif verify_checksums and sha256_of(path) != remote.sha256:
            problems.append(f"checksum of {path} differs from the published file")
    return problems
