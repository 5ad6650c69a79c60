"""Column tables on disk, written row by row and read by memory mapping (the chunk and article tables).

A table is a folder::

    meta.json            {"rows": N, "columns": {"name": "str" | "int"}, "key": "id"}
    <col>.blob           str column: the UTF-8 values, end to end
    <col>.off            str column: N + 1 little-endian int64 offsets into the blob
    <col>.nul            str column: N bytes, 1 where the value is None
    <col>.i64            int column: N little-endian int64
    key.hash, key.row    the key column's 64-bit hashes, sorted, and the row of each (lookups)

Readers open every file with ``mmap`` (numpy memmap): a serving process maps the pages instead of
holding a private copy, several processes on a machine share them through the page cache, and the
OS pages them out under pressure. ``mmap=False`` reads the files into private memory instead.
The writer holds one block of rows, whatever the table size: the key hashes go to a spill file as
the rows are written and are sorted at the end bucket by bucket (``sort_keys``).
"""
from __future__ import annotations

import hashlib
import json
import os
from array import array
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

FLUSH_ROWS = 4096
SORT_BLOCK = 1 << 20  # rows of key hashes in memory at a time while they are sorted
STR, INT = "str", "int"


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


class TableWriter:
    def __init__(self, folder: str | os.PathLike, columns: dict[str, str], key: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.columns, self.key = dict(columns), key
        self.rows = 0
        self._buf: list[tuple] = []
        self._spill = open(self.folder / "key.spill", "wb")  # the key hashes in row order
        self._files = {}
        self._pos = {}
        for name, kind in self.columns.items():
            if kind == STR:
                self._files[name] = [open(self.folder / f"{name}.{ext}", "wb") for ext in ("blob", "off", "nul")]
                array("q", [0]).tofile(self._files[name][1])
                self._pos[name] = 0
            else:
                self._files[name] = [open(self.folder / f"{name}.i64", "wb")]

    def append(self, row: Sequence[Any]) -> None:
        """One row, values in the order of ``columns``."""
        self._buf.append(tuple(row))
        if len(self._buf) >= FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._buf:
            return
        for j, (name, kind) in enumerate(self.columns.items()):
            values = [r[j] for r in self._buf]
            if kind == STR:
                blob_fh, off_fh, nul_fh = self._files[name]
                encoded = [b"" if v is None else v.encode("utf-8") for v in values]
                offs = array("q")
                pos = self._pos[name]
                for e in encoded:
                    pos += len(e)
                    offs.append(pos)
                self._pos[name] = pos
                blob_fh.write(b"".join(encoded))
                offs.tofile(off_fh)
                nul_fh.write(bytes(1 if v is None else 0 for v in values))
                if name == self.key:
                    array("Q", (key_hash(v) for v in values)).tofile(self._spill)
            else:
                array("q", (int(v) for v in values)).tofile(self._files[name][0])
        self.rows += len(self._buf)
        self._buf = []

    def close(self) -> None:
        self._flush()
        self._close_files()
        sort_keys(self.folder / "key.spill", self.folder, self.rows)
        meta = {"rows": self.rows, "columns": self.columns, "key": self.key, "version": 1}
        (self.folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    def _close_files(self) -> None:
        for fhs in self._files.values():
            for fh in fhs:
                fh.close()
        self._spill.close()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()
        else:
            self._close_files()


def sort_keys(spill: Path, folder: Path, rows: int) -> None:
    """``folder/key.hash`` and ``key.row``: the hashes of ``spill`` (one a row, in row order) sorted,
    equal hashes in row order, and the row of each; ``spill`` is removed. The hashes are uniform, so
    they are dealt by their top bits into buckets of about SORT_BLOCK rows (one read), then each
    bucket is sorted in memory and appended: ~16 bytes a row of one bucket held, whatever ``rows``."""
    bits = min(8, max(0, (max(rows, 1) - 1) // SORT_BLOCK).bit_length())  # at most 256 files open
    with open(folder / "key.hash", "wb") as fh, open(folder / "key.row", "wb") as fr:
        if bits == 0:  # one bucket
            hashes = np.fromfile(spill, dtype="<u8", count=rows)
            order = np.argsort(hashes, kind="stable")
            hashes[order].tofile(fh)
            order.astype("<i8", copy=False).tofile(fr)
        else:
            rec = np.dtype([("h", "<u8"), ("r", "<i8")])
            paths = [folder / f"key.bucket-{b}" for b in range(1 << bits)]
            outs = [open(p, "wb") for p in paths]
            try:
                with open(spill, "rb") as src:
                    row = 0
                    while (block := np.fromfile(src, dtype="<u8", count=SORT_BLOCK)).size:
                        which = (block >> np.uint64(64 - bits)).astype(np.int64)
                        order = np.argsort(which, kind="stable")  # row order kept inside a bucket
                        got = np.empty(len(block), dtype=rec)
                        got["h"], got["r"] = block[order], order + row
                        row += len(block)
                        which = which[order]
                        cuts = np.flatnonzero(np.diff(which)) + 1
                        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(which)]):
                            got[lo:hi].tofile(outs[int(which[lo])])
            finally:
                for out in outs:
                    out.close()
            for p in paths:
                got = np.fromfile(p, dtype=rec)
                order = np.argsort(got["h"], kind="stable")
                got["h"][order].tofile(fh)
                got["r"][order].tofile(fr)
                del got, order
                p.unlink()
    spill.unlink()


def write_table(folder: str | os.PathLike, columns: dict[str, str], key: str, rows: Iterable[Sequence]) -> None:
    with TableWriter(folder, columns, key) as w:
        for r in rows:
            w.append(r)


def _array(path: Path, dtype: str, count: int, mmap: bool) -> np.ndarray:
    if count == 0 or path.stat().st_size == 0:
        return np.zeros(count, dtype=dtype)
    if mmap:
        return np.memmap(path, dtype=dtype, mode="r", shape=(count,))
    return np.fromfile(path, dtype=dtype, count=count)


class Table:
    """Read access to a table folder (memory mapped unless ``mmap=False``)."""

    def __init__(self, folder: str | os.PathLike, mmap: bool = True) -> None:
        self.folder = Path(folder)
        meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
        self.rows, self.columns, self.key, self.mmap = int(meta["rows"]), meta["columns"], meta["key"], mmap
        self._str: dict[str, tuple] = {}
        self._int: dict[str, np.ndarray] = {}
        for name, kind in self.columns.items():
            if kind == STR:
                off = _array(self.folder / f"{name}.off", "<i8", self.rows + 1, mmap)
                blob = _array(self.folder / f"{name}.blob", "u1", int(off[-1]) if self.rows else 0, mmap)
                nul = _array(self.folder / f"{name}.nul", "u1", self.rows, mmap)
                self._str[name] = (blob, off, nul)
            else:
                self._int[name] = _array(self.folder / f"{name}.i64", "<i8", self.rows, mmap)
        self._khash = _array(self.folder / "key.hash", "<u8", self.rows, mmap)
        self._krow = _array(self.folder / "key.row", "<i8", self.rows, mmap)

    def __len__(self) -> int:
        return self.rows

    def text(self, name: str, i: int) -> str | None:
        blob, off, nul = self._str[name]
        if nul[i]:
            return None
        return blob[int(off[i]):int(off[i + 1])].tobytes().decode("utf-8")

    def ints(self, name: str) -> np.ndarray:
        return self._int[name]

    def row(self, i: int) -> tuple:
        return tuple(self.text(n, i) if k == STR else int(self._int[n][i]) for n, k in self.columns.items())

    def find(self, key: str) -> int | None:
        """The row whose key column equals ``key`` (hash lookup, then the value is compared)."""
        if not isinstance(key, str) or not self.rows:
            return None
        h = np.uint64(key_hash(key))
        lo = int(np.searchsorted(self._khash, h, side="left"))
        while lo < self.rows and self._khash[lo] == h:
            r = int(self._krow[lo])
            if self.text(self.key, r) == key:
                return r
            lo += 1
        return None

    def iter_rows(self, lo: int = 0, hi: int | None = None, only: Sequence[str] = ()) -> Iterator[tuple]:
        """Rows in order (``only`` these columns), read block by block (sequential access)."""
        hi = self.rows if hi is None else hi
        names = [(n, k) for n, k in self.columns.items() if not only or n in only]
        for a in range(lo, hi, FLUSH_ROWS):
            b = min(hi, a + FLUSH_ROWS)
            cols = []
            for n, k in names:
                if k == STR:
                    blob, off, nul = self._str[n]
                    o = np.asarray(off[a:b + 1], dtype=np.int64)
                    raw = blob[int(o[0]):int(o[-1])].tobytes()
                    o = o - o[0]
                    z = np.asarray(nul[a:b])
                    cols.append([None if z[i] else raw[o[i]:o[i + 1]].decode("utf-8") for i in range(b - a)])
                else:
                    cols.append(np.asarray(self._int[n][a:b]).tolist())
            yield from zip(*cols)
