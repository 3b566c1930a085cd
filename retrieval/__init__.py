"""Catalogs, datasets, embeddings, the Chroma store and the candidate generators."""
