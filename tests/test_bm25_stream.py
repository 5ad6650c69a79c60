"""The streaming BM25 writer (index/bm25_stream.py) writes what bm25s writes: same scores for every
query, whatever the bucket and block sizes (buckets of several tokens, a token whose column is
larger than a bucket, blocks smaller than a document's entries)."""
from __future__ import annotations

import numpy as np
import pytest

import index.bm25_stream as bm25_stream
from index.bm25 import LexicalIndex
from index.french import tokenize
from tests.test_streaming import sentences

QUERIES = ["Kim Jong Un Pékin", "la rencontre de Pékin", "de la", "défilé militaire Poutine", "qwertyuiop"]


@pytest.mark.parametrize("bucket,block", [(5, 7), (40, 3), (4_000_000, 1_000_000)])
def test_streamed_bm25_scores_equal_bm25s_whatever_the_bucket_size(tmp_path, monkeypatch, bucket, block):
    texts = sentences()[:150] + [""]  # an empty document too
    monkeypatch.setattr(bm25_stream, "BUCKET_ENTRIES", bucket)
    monkeypatch.setattr(bm25_stream, "READ_ENTRIES", block)
    w = bm25_stream.BM25Writer(tmp_path / "work")
    for t in texts:
        w.add(tokenize(t))
    w.close(tmp_path / "bm25")
    assert not (tmp_path / "work").exists()
    streamed = LexicalIndex.load(tmp_path / "bm25")
    reference = LexicalIndex.build(texts)
    for q in QUERIES + texts[::10]:
        np.testing.assert_array_equal(streamed.scores(q), reference.scores(q))


def test_buckets_hold_at_most_the_bound_unless_one_token_is_larger():
    indptr = np.cumsum([0, 3, 2, 10, 1, 1, 1])
    bounds = bm25_stream.bucket_bounds(indptr, 5)
    assert bounds[0] == 0 and bounds[-1] == 6
    for t0, t1 in zip(bounds, bounds[1:]):
        assert t1 > t0
        assert indptr[t1] - indptr[t0] <= 5 or t1 - t0 == 1
