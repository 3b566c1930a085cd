"""Where crossrec reads data and keeps its state; resolved once by the entry point."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Paths"]


@dataclass(frozen=True)
class Paths:
    """The data directory, the vector store folder and the cache folder."""

    data_dir: Path
    store: Path
    cache: Path

    @classmethod
    def resolve(
        cls,
        data_dir: Path | None = None,
        store: Path | None = None,
        cache: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Paths:
        """Explicit values win, then ``CROSSREC_DATA_DIR`` / ``CROSSREC_STORE`` /
        ``CROSSREC_CACHE``, then folders under the user cache directory (where
        ``crossrec data download`` puts the datasets)."""
        from platformdirs import user_cache_dir

        env = os.environ if environ is None else environ
        cache = Path(cache or env.get("CROSSREC_CACHE") or user_cache_dir("crossrec"))
        data = data_dir or env.get("CROSSREC_DATA_DIR") or cache / "data"
        return cls(
            data_dir=Path(data).expanduser(),
            store=Path(store or env.get("CROSSREC_STORE") or cache / "store").expanduser(),
            cache=cache.expanduser(),
        )

    def require_data_dir(self) -> Path:
        if not self.data_dir.is_dir():
            raise FileNotFoundError(
                f"data directory {self.data_dir} does not exist: pass --data-dir DIR or set "
                "CROSSREC_DATA_DIR, or fetch the public datasets with: crossrec data download"
            )
        return self.data_dir
