"""Build the bm25s index of a chunk table one document at a time, in bounded memory.

``bm25s.BM25.index`` needs every document's tokens in memory at once (for 200k articles: hundreds
of millions of Python strings). This writer produces the same on-disk index (the files
``bm25s.BM25.load`` reads, same scores for every query) in three sequential steps:

1. ``add(tokens)``: tokens become vocabulary ids (first-seen order), appended to a spool file;
   document frequencies are counted and document lengths spooled to a second file;
2. ``close()``: the spool is read back document by document and scored with bm25s's own functions
   (Lucene BM25, k1=1.2, b=0.75: what ``LexicalIndex.build`` uses), giving (token, doc, score)
   triples in document order, again spooled to disk;
3. the triples are dealt into bucket files by token range (``BUCKET_ENTRIES`` entries a bucket; a
   token with more is a bucket of its own), then the CSC matrix (column = token, rows ascending
   within a column, as bm25s writes it) is written bucket by bucket: each triple is read twice,
   whatever the corpus size, and a bucket is sorted in memory only when it holds several tokens.

Memory: the vocabulary and one bucket (~100 MB); the rest, document lengths included, is on disk. (The
writer read the whole triple file once per bucket before, and held a frequent token's whole column:
quadratic time and linear memory past a few million articles.)
"""
from __future__ import annotations

import json
import os
import shutil
from array import array
from pathlib import Path

import numpy as np

K1, B = 1.2, 0.75
EMPTY = "\u2205"  # the token of a document without any (as in LexicalIndex.build)
BUCKET_ENTRIES = 4_000_000
READ_ENTRIES = 1_000_000
REC = np.dtype([("v", "<i4"), ("d", "<i4"), ("s", "<f4")])  # (token, document, score)


class BM25Writer:
    def __init__(self, work: str | os.PathLike) -> None:
        self.work = Path(work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.vocab: dict[str, int] = {}
        self.df = array("q")
        self.n_docs = self.n_tokens = 0
        self._spool = open(self.work / "tokens.i32", "wb")
        self._lengths = open(self.work / "lengths.i32", "wb")
        self._pending, self._pending_lengths = array("i"), array("i")

    def add(self, tokens: list[str]) -> None:
        tokens = tokens or [EMPTY]
        vocab, ids = self.vocab, array("i")
        for t in tokens:
            i = vocab.get(t)
            if i is None:
                i = vocab[t] = len(vocab)
                self.df.append(0)
            ids.append(i)
        for i in set(ids):
            self.df[i] += 1
        self.n_docs += 1
        self.n_tokens += len(ids)
        self._pending_lengths.append(len(ids))
        self._pending.extend(ids)
        if len(self._pending) >= READ_ENTRIES:
            self._pending.tofile(self._spool)
            self._pending_lengths.tofile(self._lengths)
            self._pending, self._pending_lengths = array("i"), array("i")

    def close(self, folder: str | os.PathLike) -> None:
        """Write the bm25s index into ``folder`` and remove the work files."""
        from bm25s import __version__ as bm25s_version
        from bm25s.scoring import _build_idf_array, _get_counts_from_token_ids, _score_tfc_lucene
        from bm25s.scoring import _score_idf_lucene

        self._pending.tofile(self._spool)
        self._pending_lengths.tofile(self._lengths)
        self._spool.close()
        self._lengths.close()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        n_docs, n_vocab = self.n_docs, len(self.vocab)
        # bm25s: np.array(lens).mean(), a float64 sum of integers (exact below 2**53) over the count
        avg = np.float64(self.n_tokens) / n_docs if n_docs else 0.0  # np.float64, as bm25s's
        df = np.frombuffer(self.df, dtype=np.int64) if n_vocab else np.zeros(0, np.int64)
        idf = _build_idf_array({i: int(d) for i, d in enumerate(df)}, n_docs, _score_idf_lucene, "float32")

        # Step 2: (token, doc, score) in document order.
        triples = open(self.work / "triples.bin", "wb")
        tokens = np.memmap(self.work / "tokens.i32", dtype=np.int32, mode="r") if self.n_tokens else np.zeros(0, np.int32)
        pos = 0
        buf_v, buf_d, buf_s = array("i"), array("i"), array("f")
        for doc, ln in enumerate(_lengths(self.work / "lengths.i32")):
            ids = tokens[pos:pos + ln].tolist()
            pos += ln
            voc, tf = _get_counts_from_token_ids(ids, dtype="float32", int_dtype="int32")
            scores = (idf[voc] * _score_tfc_lucene(tf_array=tf, l_d=ln, l_avg=avg, k1=K1, b=B)).astype(np.float32)
            buf_v.extend(voc.tolist())
            buf_d.extend([doc] * len(voc))
            buf_s.extend(scores.tolist())
            if len(buf_v) >= READ_ENTRIES or doc == n_docs - 1:
                rec = np.empty(len(buf_v), dtype=REC)
                rec["v"], rec["d"], rec["s"] = buf_v, buf_d, buf_s
                rec.tofile(triples)
                buf_v, buf_d, buf_s = array("i"), array("i"), array("f")
        triples.close()
        del tokens

        # Step 3: CSC. The triples are dealt into bucket files by token range (one read), then each
        # bucket is put in token order and appended to the matrix (one read of each bucket).
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        nnz = int(indptr[-1])
        bounds = bucket_bounds(indptr, BUCKET_ENTRIES)
        deal(self.work / "triples.bin", self.work, bounds, n_vocab)
        (self.work / "triples.bin").unlink()
        with open(folder / "data.csc.index.npy", "wb") as fd, open(folder / "indices.csc.index.npy", "wb") as fi:
            _npy_header(fd, np.float32, nnz)
            _npy_header(fi, np.int32, nnz)
            for b in range(len(bounds) - 1):
                path = self.work / f"bucket-{b}.bin"
                if not path.exists():
                    continue
                if bounds[b + 1] - bounds[b] == 1:  # one token: its entries are in document order already
                    with open(path, "rb") as src:
                        while (block := np.fromfile(src, dtype=REC, count=READ_ENTRIES)).size:
                            block["s"].tofile(fd)
                            block["d"].tofile(fi)
                else:
                    got = np.fromfile(path, dtype=REC)
                    order = np.argsort(got["v"], kind="stable")  # document order kept inside a token
                    got["s"][order].tofile(fd)
                    got["d"][order].tofile(fi)
                    del got, order
                path.unlink()
        np.save(folder / "indptr.csc.index.npy", indptr)
        vocab = dict(self.vocab)
        if "" not in vocab:  # bm25s.BM25.index(create_empty_token=True) does the same
            vocab[""] = max(vocab.values(), default=-1) + 1
        (folder / "vocab.index.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        params = {"k1": K1, "b": B, "delta": 0.5, "method": "lucene", "idf_method": "lucene", "dtype": "float32",
                  "int_dtype": "int32", "num_docs": n_docs, "version": bm25s_version, "backend": "numpy"}
        (folder / "params.index.json").write_text(json.dumps(params, indent=4), encoding="utf-8")
        shutil.rmtree(self.work, ignore_errors=True)

    def abort(self) -> None:
        try:
            self._spool.close()
            self._lengths.close()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)


def _lengths(path: Path):
    """The document lengths of ``path``, READ_ENTRIES at a time."""
    with open(path, "rb") as src:
        while (block := np.fromfile(src, dtype=np.int32, count=READ_ENTRIES)).size:
            yield from block.tolist()


def bucket_bounds(indptr: np.ndarray, most: int) -> list[int]:
    """Token ranges [t0, t1) holding at most ``most`` entries each, by the column pointers ``indptr``;
    a token with more entries than that is a range of its own (pure)."""
    n_vocab, out, t0 = len(indptr) - 1, [0], 0
    while t0 < n_vocab:
        t1 = int(np.searchsorted(indptr, indptr[t0] + most, side="right")) - 1
        t0 = min(n_vocab, max(t1, t0 + 1))
        out.append(t0)
    return out


def deal(triples: Path, work: Path, bounds: list[int], n_vocab: int) -> None:
    """Append each triple of ``triples`` (in its order) to ``work/bucket-B.bin``, B its token's range
    in ``bounds``; READ_ENTRIES triples in memory at a time."""
    bucket_of = np.zeros(max(n_vocab, 1), dtype=np.int32)
    for b in range(len(bounds) - 1):
        bucket_of[bounds[b]:bounds[b + 1]] = b
    with open(triples, "rb") as src:
        while (block := np.fromfile(src, dtype=REC, count=READ_ENTRIES)).size:
            which = bucket_of[block["v"]]
            order = np.argsort(which, kind="stable")  # the triples' order kept inside a bucket
            block, which = block[order], which[order]
            cuts = np.flatnonzero(np.diff(which)) + 1
            for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(which)]):
                with open(work / f"bucket-{int(which[lo])}.bin", "ab") as out:
                    block[lo:hi].tofile(out)


def _npy_header(fh, dtype, n: int) -> None:
    np.lib.format.write_array_header_1_0(
        fh, {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": (n,)})
