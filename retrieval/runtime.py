"""What one process shares: the folders, the Chroma client, the embedder and the device.

The ``crossrec`` entry point resolves one :class:`Runtime` from its options and hands it to
every library call (``evaluate(config, runtime)``, ``build_recommender(..., runtime=runtime)``);
Python callers get the same object from :meth:`Runtime.resolve`. The client and the embedder
are opened on first use, once, so a process never holds two copies of either.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from crossrec.retrieval.index.embed import Embedder, EmbedderConfig, load_embedder
from crossrec.retrieval.index.store import CatalogStore, NotIndexedError, StoreConfig, make_client
from crossrec.retrieval.paths import Paths

__all__ = ["Runtime", "RuntimeConfig"]

log = logging.getLogger(__name__)


@dataclass
class RuntimeConfig:
    """The folders and the device (the store and the embedder have their own configs)."""

    data_dir: Path | None = field(
        default=None, metadata={"help": "data directory (env CROSSREC_DATA_DIR)"}
    )
    cache_dir: Path | None = field(
        default=None, metadata={"help": "cache folder (env CROSSREC_CACHE)"}
    )
    device: str = field(
        default="auto",
        metadata={"help": "where the language model runs: auto, cpu, cuda or cuda:N"},
    )


class Runtime:
    """Paths, the Chroma client, the embedder and the device of one process."""

    def __init__(
        self,
        paths: Paths,
        store: StoreConfig | None = None,
        embedder_config: EmbedderConfig | None = None,
        device: str = "auto",
        *,
        embedder: Embedder | None = None,
        client=None,
        command: tuple[str, ...] = (),
    ) -> None:
        store = store or StoreConfig()
        self.paths = paths
        self.store_config = replace(store, store=store.store or paths.store)
        self.embedder_config = embedder_config or EmbedderConfig()
        self.device = device
        self.command = tuple(command)  # the argv that started this run, for reports
        self._lock = threading.Lock()
        if embedder is not None:
            self.__dict__["embedder"] = embedder
        if client is not None:
            self.__dict__["client"] = client

    @classmethod
    def resolve(
        cls,
        config: RuntimeConfig | None = None,
        store: StoreConfig | None = None,
        embedder_config: EmbedderConfig | None = None,
        **kwargs,
    ) -> Runtime:
        """Explicit values, then the ``CROSSREC_*`` environment, then the user cache folder."""
        config = config or RuntimeConfig()
        store = store or StoreConfig()
        paths = Paths.resolve(config.data_dir, store.store, config.cache_dir)
        return cls(paths, store, embedder_config, config.device, **kwargs)

    @property
    def cache(self) -> Path:
        return self.paths.cache

    @cached_property
    def client(self):
        """The Chroma client: the embedded store folder, or a server when a host is set."""
        return make_client(self.store_config)

    @cached_property
    def embedder(self) -> Embedder:
        """The embedder, loaded on first use (the store's fingerprint names it)."""
        with self._lock:
            if "embedder" not in self.__dict__:
                self.__dict__["embedder"] = load_embedder(self.embedder_config, self.cache)
            return self.__dict__["embedder"]

    def store(self, catalog: str) -> CatalogStore:
        """The catalog's collection in this runtime's Chroma, with this runtime's embedder."""
        return CatalogStore(self.client, self.embedder, catalog)

    def dataset(self, name: str, skip_invalid: bool = False):
        """A shipped dataset or a catalog registered with ``crossrec index --catalog``."""
        from crossrec.retrieval.datasets.catalogs import open_dataset

        return open_dataset(name, self.paths, skip_invalid)

    def retrieval(
        self, catalog: str, *, index_if_missing: bool = False, dataset=None, tuned: bool = True
    ):
        """Dataset + store + fitted candidate generator for ``catalog``.

        A catalog without an index raises :class:`NotIndexedError` naming the command that
        builds it, or is indexed now with ``index_if_missing``. ``tuned`` lays the cache's tuned
        fusion weights over the shipped ones (serving); the evaluation reads the shipped ones,
        so a report does not depend on what a machine's cache holds.
        """
        from crossrec.retrieval.datasets import DATASETS
        from crossrec.retrieval.pipeline import build_retrieval
        from crossrec.retrieval.sources.fusion import default_fusion

        dataset = dataset or self.dataset(catalog)
        store = self.store(dataset.name)
        if index_if_missing and not store.up_to_date(len(dataset.catalog)):
            summary = store.index(dataset.catalog)
            print(f"indexed {summary.catalog}: {summary.items} items", file=sys.stderr)
        elif not store.exists():
            where = self.store_config.chroma_host or self.store_config.store
            how = f"--dataset {catalog}" if catalog in DATASETS else "--catalog FILE.jsonl --name"
            raise NotIndexedError(
                f"catalog {catalog!r} is not indexed in {where}; run: crossrec index {how}"
                + ("" if catalog in DATASETS else f" {catalog}")
            )
        elif store.count() != len(dataset.catalog):
            log.warning(
                "index of %s holds %d items but the catalog has %d; re-run crossrec index",
                catalog,
                store.count(),
                len(dataset.catalog),
            )
        fusion = default_fusion(dataset.name, self.cache if tuned else None)
        return build_retrieval(dataset, store, fusion)
