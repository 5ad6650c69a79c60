"""Corpus -> chunks -> embeddings -> Chroma (+ a French BM25 index beside it)."""
