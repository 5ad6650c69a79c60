"""The chunk table and the article table of an index generation, on disk (index/mmap_table.py).

``ChunkTable`` is a read-only sequence of Chunk (row i = BM25 document i) built on demand from the
memory-mapped columns, with what retrieval needs without a Python object per chunk: the chunk row of
a Chroma id (``positions``), the date of every chunk as an int array, and the rows of an article.
``ArticleTable`` is a read-only mapping article id -> Article.

Chunks are written grouped by article (the builder orders them so); the writer records each
article's row range in a small second table (``by_article``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Iterator

import numpy as np

from depeche.types import Article, Chunk
from index.mmap_table import INT, STR, Table, TableWriter

CHUNK_COLUMNS = {"id": STR, "article_id": STR, "title": STR, "date": STR, "url": STR, "path": STR,
                 "start": INT, "end": INT, "text": STR, "date_int": INT}
ARTICLE_COLUMNS = {"id": STR, "title": STR, "text": STR, "date": STR, "url": STR, "path": STR}
GROUP_COLUMNS = {"article_id": STR, "lo": INT, "hi": INT}
CHUNKS_DIR, ARTICLES_DIR, GROUPS_DIR = "chunks", "articles", "by_article"


def date_int(iso: str | None) -> int:
    return int(iso.replace("-", "")) if iso else 0


class ChunkTableWriter:
    def __init__(self, folder: Path) -> None:
        self.chunks = TableWriter(Path(folder), CHUNK_COLUMNS, "id")
        self.groups = TableWriter(Path(folder) / GROUPS_DIR, GROUP_COLUMNS, "article_id")
        self._article, self._lo, self.rows = None, 0, 0

    def append(self, c: Chunk) -> None:
        if c.article_id != self._article:
            self._close_group()
            self._article, self._lo = c.article_id, self.rows
        self.chunks.append((c.id, c.article_id, c.title, c.date, c.url, c.path, c.start, c.end, c.text,
                            date_int(c.date)))
        self.rows += 1

    def _close_group(self) -> None:
        if self._article is not None:
            self.groups.append((self._article, self._lo, self.rows))

    def close(self) -> None:
        self._close_group()
        self.chunks.close()
        self.groups.close()


def write_chunks(folder: Path, chunks) -> None:
    w = ChunkTableWriter(folder)
    for c in chunks:
        w.append(c)
    w.close()


def article_row(a: Article) -> tuple:
    return (a.id, a.title, a.text, a.date, a.url, a.path)


class _Positions:
    """chunk id -> row, like the dict it replaces (``.get``, ``in``, ``[]``)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, chunk_id, default=None):
        r = self.table.find(chunk_id)
        return default if r is None else r

    def __contains__(self, chunk_id) -> bool:
        return self.table.find(chunk_id) is not None

    def __getitem__(self, chunk_id) -> int:
        r = self.table.find(chunk_id)
        if r is None:
            raise KeyError(chunk_id)
        return r

    def __len__(self) -> int:
        return len(self.table)


class _ArticleOf:
    """``article_of[rows]`` -> the article ids of those chunk rows (an object array, like before)."""

    def __init__(self, owner: "ChunkTable") -> None:
        self.owner = owner

    def __getitem__(self, rows):
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        g = self.owner.group_of(rows)
        names = {int(k): self.owner.groups.text("article_id", int(k)) for k in np.unique(g)}
        return np.array([names[int(k)] for k in g], dtype=object)

    def __len__(self) -> int:
        return len(self.owner)


class ChunkTable(Sequence):
    def __init__(self, folder: Path, mmap: bool = True) -> None:
        self.table = Table(folder, mmap=mmap)
        self.groups = Table(Path(folder) / GROUPS_DIR, mmap=mmap)
        self.positions = _Positions(self.table)
        self.article_of = _ArticleOf(self)

    def __len__(self) -> int:
        return len(self.table)

    def _chunk(self, row: tuple) -> Chunk:
        return Chunk(*row[:9])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self._chunk(self.table.row(int(i)))

    def __iter__(self) -> Iterator[Chunk]:
        for row in self.table.iter_rows():
            yield self._chunk(row)

    def contains_many(self, chunk_ids) -> np.ndarray:
        """Whether each id is in the table, by its 64-bit hash (no string compared: for clean-up)."""
        from index.mmap_table import key_hash

        h = np.fromiter((key_hash(i) for i in chunk_ids), dtype=np.uint64, count=len(chunk_ids))
        return np.isin(h, np.asarray(self.table._khash))

    def date_ints(self) -> np.ndarray:
        return self.table.ints("date_int")

    def article_rows(self, article_id: str) -> tuple[int, int] | None:
        g = self.groups.find(article_id)
        if g is None:
            return None
        return int(self.groups.ints("lo")[g]), int(self.groups.ints("hi")[g])

    def group_of(self, rows: np.ndarray) -> np.ndarray:
        """The article group (row of ``groups``) of each chunk row."""
        return np.searchsorted(np.asarray(self.groups.ints("hi")), rows, side="right")

    def article_mask(self, article_ids) -> np.ndarray:
        m = np.zeros(len(self), dtype=bool)
        for aid in article_ids:
            r = self.article_rows(aid)
            if r:
                m[r[0]:r[1]] = True
        return m

    def chunks_of(self, article_ids) -> list[Chunk]:
        ranges = sorted(r for r in map(self.article_rows, dict.fromkeys(article_ids)) if r)
        return [self._chunk(row) for r in ranges for row in self.table.iter_rows(*r)]

    def iter_groups(self) -> Iterator[tuple[str, int, int]]:
        """(article id, first row, end row) of each article, in table order."""
        yield from self.groups.iter_rows()


class ArticleTable(Mapping):
    def __init__(self, folder: Path, mmap: bool = True) -> None:
        self.table = Table(folder, mmap=mmap)

    def __getitem__(self, article_id: str) -> Article:
        r = self.table.find(article_id)
        if r is None:
            raise KeyError(article_id)
        return Article(*self.table.row(r))

    def __contains__(self, article_id) -> bool:
        return self.table.find(article_id) is not None

    def __len__(self) -> int:
        return len(self.table)

    def __iter__(self) -> Iterator[str]:
        for row in self.table.iter_rows(only=("id",)):
            yield row[0]

    def values(self):  # sequential, without a key lookup per article
        return [Article(*row) for row in self.table.iter_rows()]

    def items(self):
        return [(a.id, a) for a in self.values()]
