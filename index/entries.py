"""The manifest's per-article entries (id -> content hash, source path, chunk count) as a mapped table.

A manifest used to hold them inline in ``manifest.json``: at a million articles that is a JSON file of
~100 MB that every build and every serving process parsed into ~1.5 KB of Python objects per article.
They now live in the generation's folder (``gen-N/entries/``, an index/mmap_table.py table keyed by
id) and the manifest names that folder; a build streams them to disk and reads them back by
memory mapping, so its memory no longer grows with the number of articles it tracks.
Manifests written before (entries inline) are still read.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Iterable, Iterator

from index.mmap_table import INT, STR, Table, write_table

ENTRIES_DIR = "entries"
ENTRY_COLUMNS = {"id": STR, "hash": STR, "path": STR, "chunks": INT}


def entry_row(article_id: str, entry: Mapping) -> tuple:
    return (article_id, entry.get("hash"), entry.get("path"), int(entry.get("chunks", 0)))


def write_entries(folder: str | os.PathLike, entries: Mapping[str, Mapping]) -> None:
    write_table(folder, ENTRY_COLUMNS, "id", (entry_row(aid, e) for aid, e in entries.items()))


class EntryTable(Mapping):
    """Read-only ``{article id: {"hash", "path", "chunks"}}`` over a mapped table."""

    def __init__(self, folder: str | os.PathLike, mmap: bool = True) -> None:
        self.table = Table(folder, mmap=mmap)

    def _entry(self, row: int) -> dict:
        t = self.table
        return {"hash": t.text("hash", row), "path": t.text("path", row), "chunks": int(t.ints("chunks")[row])}

    def __getitem__(self, article_id: str) -> dict:
        row = self.table.find(article_id)
        if row is None:
            raise KeyError(article_id)
        return self._entry(row)

    def __contains__(self, article_id) -> bool:
        return self.table.find(article_id) is not None

    def __len__(self) -> int:
        return len(self.table)

    def __iter__(self) -> Iterator[str]:
        for (aid,) in self.table.iter_rows(only=("id",)):
            yield aid

    def items(self) -> Iterable[tuple[str, dict]]:  # sequential, no key lookup per article
        for aid, h, path, chunks in self.table.iter_rows():
            yield aid, {"hash": h, "path": path, "chunks": chunks}

    def values(self) -> Iterable[dict]:
        for _, e in self.items():
            yield e

    def chunks_total(self) -> int:
        return int(self.table.ints("chunks").sum()) if len(self.table) else 0


def chunks_total(entries: Mapping) -> int:
    if isinstance(entries, EntryTable):
        return entries.chunks_total()
    return sum(int(e.get("chunks", 0)) for e in entries.values())
