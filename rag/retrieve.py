"""Hybrid retrieval over one index generation: French BM25 + e5 dense (Chroma via llama-index).

The dense side goes through llama-index's ChromaVectorStore with metadata filters for dates and
articles. The lexical side is our French bm25s index (see index/bm25.py for why not
llama-index's BM25Retriever); QueryFusionRetriever is not used because its fusion modes ignore
per-retriever weights and re-run retrieval per query variant, and we measured that French news
needs a weighted blend (min-max normalised both sides; figures in rag/fusion.py).
`Engine.ask` searches through rag/query.py (English gloss for BM25, period in the question).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from depeche.types import Chunk, Hit
from index.chunking import embed_text  # noqa: F401  (documented: what BM25 indexed)
from rag.dates import date_int
from rag.fusion import blend_minmax


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # YYYY-MM-DD inclusive
    until: str | None = None
    articles: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.articles)


class Retriever:
    def __init__(self, chunks: list[Chunk], lexical, vector_store, embedder) -> None:
        self.chunks = chunks
        self.lexical = lexical
        self.vector_store = vector_store
        self.embedder = embedder
        if hasattr(chunks, "positions"):  # a mapped chunk table (index/tables.py): no object per chunk
            self.pos, self.dates, self.article_of = chunks.positions, chunks.date_ints(), chunks.article_of
        else:
            self.pos = {c.id: i for i, c in enumerate(chunks)}
            self.dates = np.array([date_int(c.date) for c in chunks], dtype=np.int64)
            self.article_of = np.array([c.article_id for c in chunks], dtype=object)

    # ---- masks --------------------------------------------------------------
    def mask(self, f: Filters) -> np.ndarray | None:
        if not f.active:
            return None
        m = np.ones(len(self.chunks), dtype=bool)
        if f.since:
            m &= self.dates >= date_int(f.since)
        if f.until:
            m &= (self.dates <= date_int(f.until)) & (self.dates > 0)
        if f.articles:
            if hasattr(self.chunks, "article_mask"):
                m &= self.chunks.article_mask(f.articles)
            else:
                m &= np.isin(self.article_of, list(f.articles))
        return m

    # ---- the two sides ---------------------------------------------------------
    def lexical_scores(self, query: str, f: Filters, n: int) -> dict[int, float]:
        scores = self.lexical.scores(query)
        if scores.size == 0:
            return {}
        m = self.mask(f)
        if m is not None:
            scores = np.where(m, scores, 0.0)
        top = np.argsort(-scores)[:n]
        return {int(i): float(scores[i]) for i in top if scores[i] > 0}

    def dense_scores(self, query: str, f: Filters, n: int, qvec: np.ndarray | None = None) -> dict[int, float]:
        if qvec is None:
            qvec = self.query_vector(query)
        since, until = (date_int(f.since) if f.since else 0), (date_int(f.until) if f.until else 0)
        fetch = n
        while True:
            found = self.vector_store.search(qvec, fetch, since=since, until=until, articles=tuple(f.articles))
            out: dict[int, float] = {}
            for node_id, cos in found:
                i = self.pos.get(node_id)
                if i is None:
                    continue  # written by a build that has not switched over yet, or was killed
                out[i] = cos
                if len(out) == n:
                    return out
            # Rows the live chunk table does not list took places: ask for more, until Chroma has no more.
            if len(found) < fetch or fetch >= self._rows():
                return out
            fetch *= 4

    def _rows(self) -> int:
        """Rows in the Chroma collection (live chunks plus any left-overs of an unfinished build)."""
        count = getattr(self.vector_store, "count", None)
        return count() if count is not None else len(self.chunks)

    def query_vector(self, query: str, keep: bool = True) -> np.ndarray:
        """The query's embedding; the last one is kept, as evidence scoring needs it again
        (``keep=False``: a one-off embedding that does not replace it)."""
        last = getattr(self, "_last_query", None)
        if last is not None and last[0] == query:
            return last[1]
        vec = self.embedder.embed_query(query)
        if keep:
            self._last_query = (query, vec)
        return vec

    # ---- public ------------------------------------------------------------------
    def search(self, query: str, k: int = 5, filters: Filters = Filters(), mode: str = "hybrid",
               bm25_weight: float = 0.5, pool: int = 40) -> list[Hit]:
        if not self.chunks:
            return []
        n = max(pool, k)
        lex = self.lexical_scores(query, filters, n) if mode in ("hybrid", "bm25") else {}
        den = self.dense_scores(query, filters, n) if mode in ("hybrid", "dense") else {}
        if mode == "bm25":
            fused = lex
        elif mode == "dense":
            fused = den
        else:
            fused = blend_minmax(lex, den, bm25_weight)
        ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        return [Hit(self.chunks[i], float(s)) for i, s in ranked]

    def chunks_of(self, article_ids: Sequence[str]) -> list[Chunk]:
        if hasattr(self.chunks, "chunks_of"):
            return self.chunks.chunks_of(article_ids)
        want = set(article_ids)
        return [c for c in self.chunks if c.article_id in want]
