"""Build the bm25s index of a chunk table one document at a time, in bounded memory.

``bm25s.BM25.index`` needs every document's tokens in memory at once (for 200k articles: hundreds
of millions of Python strings). This writer produces the same on-disk index (the files
``bm25s.BM25.load`` reads, same scores for every query) in three sequential steps:

1. ``add(tokens)``: tokens become vocabulary ids (first-seen order), appended to a spool file;
   document frequencies and lengths are counted;
2. ``close()``: the spool is read back document by document and scored with bm25s's own functions
   (Lucene BM25, k1=1.2, b=0.75: what ``LexicalIndex.build`` uses), giving (token, doc, score)
   triples in document order, again spooled to disk;
3. the CSC matrix (column = token, rows ascending within a column, as bm25s writes it) is written
   bucket by bucket of tokens, each bucket at most ``BUCKET_ENTRIES`` entries in memory.

Memory: the vocabulary, 4 bytes per document, and one bucket; the rest is on disk.
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
BUCKET_ENTRIES = 8_000_000
READ_ENTRIES = 4_000_000


class BM25Writer:
    def __init__(self, work: str | os.PathLike) -> None:
        self.work = Path(work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.vocab: dict[str, int] = {}
        self.df = array("q")
        self.lengths = array("i")
        self._spool = open(self.work / "tokens.i32", "wb")
        self._pending = array("i")

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
        self.lengths.append(len(ids))
        self._pending.extend(ids)
        if len(self._pending) >= READ_ENTRIES:
            self._pending.tofile(self._spool)
            self._pending = array("i")

    def close(self, folder: str | os.PathLike) -> None:
        """Write the bm25s index into ``folder`` and remove the work files."""
        from bm25s import __version__ as bm25s_version
        from bm25s.scoring import _build_idf_array, _get_counts_from_token_ids, _score_tfc_lucene
        from bm25s.scoring import _score_idf_lucene

        self._pending.tofile(self._spool)
        self._spool.close()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        n_docs, n_vocab = len(self.lengths), len(self.vocab)
        lengths = np.frombuffer(self.lengths, dtype=np.int32) if n_docs else np.zeros(0, np.int32)
        avg = np.array(lengths, dtype=np.int64).mean() if n_docs else 0.0  # as bm25s: np.array(lens).mean()
        df = np.frombuffer(self.df, dtype=np.int64) if n_vocab else np.zeros(0, np.int64)
        idf = _build_idf_array({i: int(d) for i, d in enumerate(df)}, n_docs, _score_idf_lucene, "float32")

        # Step 2: (token, doc, score) in document order.
        triples = open(self.work / "triples.bin", "wb")
        tokens = np.memmap(self.work / "tokens.i32", dtype=np.int32, mode="r") if lengths.sum() else np.zeros(0, np.int32)
        pos = 0
        buf_v, buf_d, buf_s = array("i"), array("i"), array("f")
        for doc, ln in enumerate(lengths.tolist()):
            ids = tokens[pos:pos + ln].tolist()
            pos += ln
            voc, tf = _get_counts_from_token_ids(ids, dtype="float32", int_dtype="int32")
            scores = (idf[voc] * _score_tfc_lucene(tf_array=tf, l_d=ln, l_avg=avg, k1=K1, b=B)).astype(np.float32)
            buf_v.extend(voc.tolist())
            buf_d.extend([doc] * len(voc))
            buf_s.extend(scores.tolist())
            if len(buf_v) >= READ_ENTRIES or doc == n_docs - 1:
                rec = np.empty(len(buf_v), dtype=[("v", "<i4"), ("d", "<i4"), ("s", "<f4")])
                rec["v"], rec["d"], rec["s"] = buf_v, buf_d, buf_s
                rec.tofile(triples)
                buf_v, buf_d, buf_s = array("i"), array("i"), array("f")
        triples.close()
        del tokens

        # Step 3: CSC, bucket by bucket of token ids.
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        nnz = int(indptr[-1])
        rec_type = np.dtype([("v", "<i4"), ("d", "<i4"), ("s", "<f4")])
        with open(folder / "data.csc.index.npy", "wb") as fd, open(folder / "indices.csc.index.npy", "wb") as fi:
            _npy_header(fd, np.float32, nnz)
            _npy_header(fi, np.int32, nnz)
            t0 = 0
            while t0 < n_vocab:
                t1 = int(np.searchsorted(indptr, indptr[t0] + BUCKET_ENTRIES, side="right")) - 1
                t1 = min(n_vocab, max(t1, t0 + 1))
                parts = []
                with open(self.work / "triples.bin", "rb") as src:
                    while True:
                        block = np.fromfile(src, dtype=rec_type, count=READ_ENTRIES)
                        if not block.size:
                            break
                        sel = block[(block["v"] >= t0) & (block["v"] < t1)]
                        if sel.size:
                            parts.append(sel)
                got = np.concatenate(parts) if parts else np.zeros(0, rec_type)
                order = np.argsort(got["v"], kind="stable")  # document order kept inside a token
                got["s"][order].tofile(fd)
                got["d"][order].tofile(fi)
                del got, parts, order
                t0 = t1
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
        finally:
            shutil.rmtree(self.work, ignore_errors=True)


def _npy_header(fh, dtype, n: int) -> None:
    np.lib.format.write_array_header_1_0(
        fh, {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": (n,)})
