"""The chunk vectors beside the chunk table, for answering without Chroma in the process.

Importing chromadb and opening its client was ~1 CPU s of a cold `depeche ask` (half of what was
left). A build therefore also writes ``vectors.npy`` into the new generation: the vector of every
chunk-table row, in row order, copied from the collection once the collection holds them all. At
query time :class:`VectorFile` maps it read-only and scores every allowed row exactly (one matrix
product: ~5 ms for the shared corpus's 3,654 chunks, ~50 ms at 165k): the same cosine as Chroma's
(vectors normalised, as hnswlib does for the cosine space), the exact top-n where HNSW approximates
it, the same date and article filters as ``index.store.DenseIndex``.

Up to ``EXACT_MAX_ROWS`` rows; a bigger index, an index built before this file existed, or a build
that could not copy every vector, is searched in Chroma as before.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

FILE = "vectors.npy"
EXACT_MAX_ROWS = 500_000  # 730 MB of float32 at e5-small's 384 dimensions; ~0.1 s a query
PAGE = 1000


def write_vectors(folder: Path, chunks: Sequence, collection) -> bool:
    """Copy the vectors of ``chunks`` (the chunk table, in its order) from ``collection`` to
    ``folder/vectors.npy``, normalised; False (and no file) when the table is empty or too big, or a
    vector is missing."""
    n = len(chunks)
    if not 0 < n <= EXACT_MAX_ROWS:
        return False
    tmp = folder / f".{FILE}.tmp"
    out = None
    try:
        for lo in range(0, n, PAGE):
            ids = [c.id for c in chunks[lo:lo + PAGE]]
            got = collection.get(ids=ids, include=["embeddings"])
            where = {i: k for k, i in enumerate(got["ids"])}
            embs = got["embeddings"]
            if out is None:
                if not len(embs):
                    return False
                dim = len(embs[0])
                out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(n, dim))
            for j, cid in enumerate(ids):
                k = where.get(cid)
                if k is None or len(embs[k]) != dim:
                    return False
                out[lo + j] = np.asarray(embs[k], dtype=np.float32)
        for lo in range(0, n, PAGE * 16):
            block = out[lo:lo + PAGE * 16]
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            block /= np.where(norms > 0, norms, 1.0)
        out.flush()
        del out
        tmp.replace(folder / FILE)
        return True
    finally:
        out = None
        tmp.unlink(missing_ok=True)


class VectorFile:
    """Exact cosine search over the mapped ``vectors.npy`` of one generation (``search`` and ``count``
    as ``index.store.DenseIndex``)."""

    def __init__(self, path: Path, chunks) -> None:
        self.vectors = np.load(path, mmap_mode="r")
        self.chunks = chunks

    @classmethod
    def open(cls, folder: Path, chunks) -> "VectorFile | None":
        """The generation's vector file, when it exists and matches its chunk table; else None."""
        path = Path(folder) / FILE
        if not path.is_file() or not hasattr(chunks, "date_ints"):
            return None
        try:
            vf = cls(path, chunks)
        except (OSError, ValueError):
            return None
        ok = vf.vectors.ndim == 2 and len(vf.vectors) == len(chunks) and len(chunks) <= EXACT_MAX_ROWS
        return vf if ok else None

    def count(self) -> int:
        return len(self.vectors)

    def allowed(self, since: int, until: int, articles: tuple[str, ...]) -> np.ndarray | None:
        """Rows passing the filters (dates as ``date_int``, 0 = unknown: excluded by either bound)."""
        m = None
        if since or until:
            d = np.asarray(self.chunks.date_ints())
            m = np.ones(len(d), dtype=bool)
            if since:
                m &= d >= since
            if until:
                m &= (d <= until) & (d > 0)
        if articles:
            a = self.chunks.article_mask(articles)
            m = a if m is None else m & a
        return m

    def search(self, vector, n: int, *, since: int = 0, until: int = 0,
               articles: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first (ties: table order)."""
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(q))
        if norm == 0 or len(self.vectors) == 0:
            return []
        sims = self.vectors @ (q / norm)
        rows = np.arange(len(sims))
        m = self.allowed(since, until, tuple(articles))
        if m is not None:
            rows, sims = rows[m], sims[m]
        n = min(n, len(rows))
        if n <= 0:
            return []
        top = np.argpartition(-sims, n - 1)[:n] if n < len(rows) else np.arange(len(rows))
        top = top[np.lexsort((rows[top], -sims[top]))]
        return [(self.chunks[int(rows[i])].id, float(sims[i])) for i in top]
