"""Candidate sources (dense, BM25, co-occurrence, ALS, knowledge, popularity) and their fusion."""
