"""A French BM25 index over chunks (bm25s), persisted beside Chroma.

llama-index's BM25Retriever uses an English stemmer and re-tokenises on every load; bm25s with
our French analyser is faster and, measured on the dev gold, better for French.
Scores come back as a dense array over chunks so that fusion and date masks stay simple.

Query time reads the saved index with :class:`SavedBM25` (numpy only): bm25s imports scipy, ~0.4 s
of a cold `depeche ask`, for nothing a query needs. Same files, same arithmetic (the precomputed
per-term scores summed in query-term order with ``np.add.at``), so the same float32 scores.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from index.french import tokenize


class LexicalIndex:
    def __init__(self, model) -> None:
        self.model = model

    @classmethod
    def build(cls, texts: Sequence[str]) -> "LexicalIndex":
        import bm25s

        model = bm25s.BM25(k1=1.2, b=0.75)
        tokens = [tokenize(t) or ["\u2205"] for t in texts]
        if tokens:
            model.index(tokens, show_progress=False)
        return cls(model)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.model.save(str(folder))

    @classmethod
    def load(cls, folder: Path, mmap: bool = False) -> "LexicalIndex":
        """``mmap``: the score matrix stays on disk, mapped (shared by processes, paged by the OS)."""
        return cls(SavedBM25(Path(folder), mmap=mmap))

    def scores(self, query: str) -> np.ndarray:
        toks = [t for t in tokenize(query) if t in self.model.vocab_dict]
        n = int(self.model.scores.get("num_docs", 0))
        if not toks or n == 0:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self.model.get_scores(toks), dtype=np.float32)


class SavedBM25:
    """A bm25s index as saved by ``BM25.save`` (Lucene BM25: no non-occurrence term), for scoring
    only: ``vocab_dict``, ``scores`` (data, indices, indptr, num_docs) and ``get_scores`` as bm25s
    has them."""

    METHODS = ("lucene", "robertson", "atire")  # those bm25s scores without a non-occurrence array

    def __init__(self, folder: Path, mmap: bool = False) -> None:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method", "lucene") not in self.METHODS:
            raise ValueError(f"BM25 method {params.get('method')!r} needs bm25s itself")
        self.vocab_dict: dict[str, int] = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.int_dtype = np.dtype(params.get("int_dtype", "int32"))
        mode = "r" if mmap else None
        self.scores = {name: np.load(folder / f"{name}.csc.index.npy", mmap_mode=mode, allow_pickle=False)
                       for name in ("data", "indices", "indptr")}
        self.scores["num_docs"] = params.get("num_docs")

    def get_scores(self, query_tokens: list[str]) -> np.ndarray:
        ids = np.asarray([self.vocab_dict[t] for t in query_tokens if t in self.vocab_dict], dtype=self.int_dtype)
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        out = np.zeros(int(self.scores["num_docs"]), dtype=self.dtype)
        for start, end in zip(indptr[ids], indptr[ids + 1]):
            np.add.at(out, indices[start:end], data[start:end])
        return out