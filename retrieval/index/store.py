"""The catalog in Chroma: one collection per catalog, cosine space, idempotent and resumable.

Every stored item carries a content hash of its document and the embedder fingerprint in
its metadata. Indexing compares those with the catalog, embeds only new or changed items,
deletes items that left the catalog, and upserts in chunks, so a run killed at any point
leaves finished chunks in place and the next run embeds only what is missing. Items embedded
by another embedder count as changed, so switching embedders re-embeds everything; until that
run finishes, queries with the new embedder fail with that advice.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from crossrec.retrieval.datasets.schema import Item
from crossrec.retrieval.index.embed import Embedder
from tqdm.auto import tqdm

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

__all__ = [
    "CatalogStore",
    "Hit",
    "IndexSummary",
    "NotIndexedError",
    "StoreConfig",
    "StoreUnavailableError",
    "collection_name",
    "make_client",
]

_NAME_OK = re.compile(r"[^a-zA-Z0-9._-]+")
METADATA_ATTRIBUTES = 3  # values kept per attribute in Chroma metadata


@dataclass
class StoreConfig:
    """Where the vector store lives: an embedded folder or a Chroma server."""

    store: Path | None = field(
        default=None,
        metadata={
            "help": "folder of the embedded Chroma store (env CROSSREC_STORE; default: user cache dir)"
        },
    )
    chroma_host: str | None = field(
        default=None, metadata={"help": "Chroma server host (scale-out)"}
    )
    chroma_port: int = field(default=8000, metadata={"help": "Chroma server port"})

    def __post_init__(self) -> None:
        if not 0 < self.chroma_port < 65536:
            raise ValueError(f"chroma_port must be a TCP port, got {self.chroma_port}")


def make_client(config: StoreConfig) -> ClientAPI:
    """An embedded persistent client, or an HTTP client when a host is configured."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if config.chroma_host:
        return chromadb.HttpClient(
            host=config.chroma_host, port=config.chroma_port, settings=settings
        )
    if config.store is None:
        raise ValueError("no store folder configured: pass --store or set CROSSREC_STORE")
    Path(config.store).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(config.store), settings=settings)


def collection_name(catalog: str) -> str:
    """Chroma-safe collection name for a catalog name."""
    name = _NAME_OK.sub("-", catalog).strip("-._")
    return f"crossrec-{name}"[:512]


class NotIndexedError(LookupError):
    """The catalog has no collection yet; the message says which command builds it."""


class StoreUnavailableError(ConnectionError):
    """The Chroma server did not answer, after retries; the message says where it was sought."""


def _transient() -> tuple[type[BaseException], ...]:
    """Errors of a Chroma server that is down or restarting (the HTTP client's, the OS's)."""
    import httpx

    return (httpx.TransportError, ConnectionError)


@dataclass
class IndexSummary:
    """What one indexing run did."""

    catalog: str
    items: int
    added: int
    updated: int
    deleted: int
    skipped: int
    seconds: float

    @property
    def items_per_second(self) -> float:
        embedded = self.added + self.updated
        return embedded / self.seconds if self.seconds > 0 and embedded else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "items_per_second": round(self.items_per_second, 1)}


@dataclass(frozen=True)
class Hit:
    """One retrieved item with its cosine similarity."""

    item_id: str
    score: float
    domain: str
    title: str


def _hash(item: Item, document: str) -> str:
    return hashlib.sha1(f"{item.domain}\x1f{item.title}\x1f{document}".encode()).hexdigest()


def _metadata(item: Item, digest: str, fingerprint: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "domain": item.domain,
        "title": item.title,
        "hash": digest,
        "embedder": fingerprint,
    }
    for key, values in item.attributes.items():
        safe = _NAME_OK.sub("_", key)[:40]
        if values and safe not in meta:
            meta[safe] = ", ".join(values[:METADATA_ATTRIBUTES])[:500]
    return meta


class CatalogStore:
    """A catalog's items, embedded and kept in one Chroma collection."""

    def __init__(
        self,
        client: ClientAPI,
        embedder: Embedder,
        catalog: str,
        retries: int = 3,
        retry_delay: float = 0.5,
    ):
        self.client = client
        self.embedder = embedder
        self.catalog = catalog
        self.name = collection_name(catalog)
        self.retries = retries
        self.retry_delay = retry_delay
        self._collection = None

    def _read(self, call):
        """``call(collection)``, retried with backoff while a Chroma server does not answer.

        A server that restarts mid-session costs the caller a short wait; one that stays down
        raises :class:`StoreUnavailableError` with a message a person can act on.
        """
        transient = _transient()
        for attempt in range(self.retries + 1):
            try:
                return call(self.collection)
            except transient as exc:
                self._collection = None  # reopen on the next try
                if attempt == self.retries:
                    raise StoreUnavailableError(
                        f"the vector store for {self.catalog!r} is not answering "
                        f"({type(exc).__name__}: {exc}); tried {self.retries + 1} times"
                    ) from exc
                time.sleep(self.retry_delay * 2**attempt)

    def _open(self, create: bool, check: bool = True):
        if self._collection is None:
            if create:
                self._collection = self.client.get_or_create_collection(
                    self.name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"catalog": self.catalog, "embedder": self.embedder.fingerprint},
                )
            else:
                try:
                    self._collection = self.client.get_collection(
                        self.name, embedding_function=None
                    )
                except Exception as exc:  # chromadb raises NotFoundError or ValueError by version
                    if isinstance(exc, _transient()):
                        raise
                    raise NotIndexedError(
                        f"catalog {self.catalog!r} is not indexed yet; run: crossrec index "
                        + (
                            f"--dataset {self.catalog}"
                            if self.catalog in ("opendialkg", "amazon_arts_office")
                            else f"--catalog FILE.jsonl --name {self.catalog}"
                        )
                    ) from exc
        if check:
            stored = (self._collection.metadata or {}).get("embedder")
            if stored and stored != self.embedder.fingerprint:
                raise ValueError(
                    f"collection {self.name} was embedded with {stored!r}, not "
                    f"{self.embedder.fingerprint!r}; use the same embedder, or re-index with this "
                    "one (crossrec index re-embeds every item)"
                )
        return self._collection

    @property
    def collection(self):
        return self._open(create=False)

    def exists(self) -> bool:
        try:
            self._open(create=False)
        except NotIndexedError:
            return False
        return True

    def up_to_date(self, expected_items: int | None = None) -> bool:
        """Whether the collection exists, was embedded by this embedder and holds the items."""
        try:
            collection = self._open(create=False, check=False)
        except NotIndexedError:
            return False
        if (collection.metadata or {}).get("embedder") != self.embedder.fingerprint:
            return False
        return expected_items is None or collection.count() == expected_items

    def count(self) -> int:
        return self.collection.count()

    def domains(self) -> list[str]:
        """Domains of the indexed items (recorded at index time)."""
        value = (self.collection.metadata or {}).get("domains", "")
        return [d for d in value.split(",") if d]

    def stored_hashes(self) -> dict[str, str]:
        """Item id -> content hash of everything in the collection.

        Items embedded by another embedder map to ``""``, so indexing re-embeds them.
        """
        collection = self._open(create=True, check=False)
        fingerprint = self.embedder.fingerprint
        out: dict[str, str] = {}
        total = collection.count()
        for offset in range(0, total, 5000):
            got = collection.get(include=["metadatas"], limit=5000, offset=offset)
            for item_id, meta in zip(got["ids"], got["metadatas"], strict=True):
                meta = meta or {}
                same = meta.get("embedder", fingerprint) == fingerprint
                out[item_id] = meta.get("hash", "") if same else ""
        return out

    def index(
        self, items: Iterable[Item], chunk_size: int = 256, progress: bool = True, skipped: int = 0
    ) -> IndexSummary:
        """Make the collection hold exactly ``items``; embed only what is new or changed."""
        start = time.perf_counter()
        collection = self._open(create=True, check=False)
        items = list(items)
        stored = self.stored_hashes()
        documents = {item.id: item.document() for item in items}
        todo = [i for i in items if stored.get(i.id) != _hash(i, documents[i.id])]
        updated = sum(1 for i in todo if i.id in stored)
        wanted = {i.id for i in items}
        stale = [item_id for item_id in stored if item_id not in wanted]
        for begin in range(0, len(stale), 5000):
            collection.delete(ids=stale[begin : begin + 5000])
        fingerprint = self.embedder.fingerprint
        with tqdm(
            total=len(todo),
            desc=f"indexing {self.catalog}",
            unit="item",
            disable=not progress or not todo,
        ) as bar:
            for begin in range(0, len(todo), chunk_size):
                chunk = todo[begin : begin + chunk_size]
                texts = [documents[i.id] for i in chunk]
                vectors = self.embedder.embed(texts)
                collection.upsert(
                    ids=[i.id for i in chunk],
                    embeddings=vectors,
                    documents=texts,
                    metadatas=[_metadata(i, _hash(i, documents[i.id]), fingerprint) for i in chunk],
                )
                bar.update(len(chunk))
        domains = ",".join(sorted({i.domain for i in items}))
        metadata = {"catalog": self.catalog, "embedder": fingerprint, "domains": domains}
        if any((collection.metadata or {}).get(k) != v for k, v in metadata.items()):
            collection.modify(metadata=metadata)
        return IndexSummary(
            catalog=self.catalog,
            items=collection.count(),
            added=len(todo) - updated,
            updated=updated,
            deleted=len(stale),
            skipped=skipped,
            seconds=time.perf_counter() - start,
        )

    def search(
        self,
        query: str | np.ndarray,
        k: int = 10,
        domain: str | Sequence[str] | None = None,
        exclude: Iterable[str] = (),
    ) -> list[Hit]:
        """Top-``k`` items by cosine similarity to a text or vector, filtered by domain."""
        if k <= 0:
            return []
        vector = (
            self.embedder.embed_query(query)
            if isinstance(query, str)
            else np.asarray(query, np.float32)
        )
        exclude = set(exclude)
        domains = {domain} if isinstance(domain, str) else set(domain or ())
        # Chroma's filtered search is ~10x slower than a plain one, so over-fetch without the
        # filter and filter here; fall back to the filtered query when too few hits remain.
        hits = self._query(vector, min(4 * (k + len(exclude)), 1000), None, exclude, domains, k)
        if len(hits) < k and domains:
            where = (
                {"domain": next(iter(domains))}
                if len(domains) == 1
                else {"domain": {"$in": sorted(domains)}}
            )
            hits = self._query(vector, k + len(exclude), where, exclude, domains, k)
        return hits

    def _query(
        self,
        vector: np.ndarray,
        n: int,
        where: dict | None,
        exclude: set[str],
        domains: set[str],
        k: int,
    ) -> list[Hit]:
        result = self._read(
            lambda c: c.query(
                query_embeddings=vector[None, :],
                n_results=max(n, 1),
                where=where,
                include=["metadatas", "distances"],
            )
        )
        hits = []
        for item_id, meta, distance in zip(
            result["ids"][0], result["metadatas"][0], result["distances"][0], strict=True
        ):
            meta = meta or {}
            if item_id in exclude or (domains and meta.get("domain") not in domains):
                continue
            hits.append(
                Hit(item_id, 1.0 - float(distance), meta.get("domain", ""), meta.get("title", ""))
            )
            if len(hits) == k:
                break
        return hits

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of ``ids`` (missing ids are left out)."""
        if not ids:
            return {}
        wanted = list(dict.fromkeys(ids))
        got = self._read(lambda c: c.get(ids=wanted, include=["embeddings"]))
        return {
            i: np.asarray(v, np.float32) for i, v in zip(got["ids"], got["embeddings"], strict=True)
        }

    def all_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every id and vector in the collection, for exact full ranking in evaluation."""
        collection = self.collection
        ids: list[str] = []
        chunks = []
        for offset in range(0, collection.count(), 5000):
            got = collection.get(include=["embeddings"], limit=5000, offset=offset)
            ids.extend(got["ids"])
            chunks.append(np.asarray(got["embeddings"], np.float32))
        return ids, (np.vstack(chunks) if chunks else np.zeros((0, self.embedder.dim), np.float32))
