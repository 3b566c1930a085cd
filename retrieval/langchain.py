"""The catalog collection as a LangChain vector store and retriever.

``langchain_chroma.Chroma`` is pointed at the same Chroma client and collection that
``crossrec index`` fills, with our embedder wrapped as LangChain ``Embeddings``, so LangChain
code sees exactly the vectors crossrec ranks with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crossrec.retrieval.index.embed import Embedder
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from crossrec.retrieval.index.store import CatalogStore

__all__ = ["CrossrecEmbeddings", "as_retriever", "as_vectorstore"]


class CrossrecEmbeddings(Embeddings):
    """A crossrec :class:`Embedder` as LangChain ``Embeddings``."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


def as_vectorstore(store: CatalogStore):
    """``langchain_chroma.Chroma`` over the store's collection (it must be indexed)."""
    from langchain_chroma import Chroma

    if not store.exists():
        store.count()  # raises NotIndexedError naming the command that builds the index
    return Chroma(
        client=store.client,
        collection_name=store.name,
        embedding_function=CrossrecEmbeddings(store.embedder),
    )


def as_retriever(store: CatalogStore, k: int = 10, domain: str | None = None):
    """A LangChain retriever returning catalog items as Documents (metadata: id, domain, title)."""
    search_kwargs: dict = {"k": k}
    if domain:
        search_kwargs["filter"] = {"domain": domain}
    return as_vectorstore(store).as_retriever(search_kwargs=search_kwargs)
