"""The streaming build (index/streaming.py) gives the index the in-memory builder gives: same chunk
ids and order, same vectors, same BM25 scores, same articles and manifest, through a full build and
incremental updates (changed, new, vanished, pruned articles); and the memory-mapped tables answer
exactly like tables loaded into memory. Real Chroma, real BM25; vectors from the benchmark's
deterministic stand-in embedder (eval/bench_scale.py), so equality is exact and no model is loaded."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

import eval.bench_scale as bench_scale
from depeche.settings import Settings
from index.builder import build_index_in_memory
from index.loaders import load_corpus
from index.mmap_table import Table, write_table
from index.sentences import split_sentences
from index.store import Store
from index.streaming import build_index_streaming
from index.tables import ChunkTable, write_chunks
from depeche.types import Chunk
from tests.conftest import CORPUS, ROOT

QUERIES = ["Kim Jong Un Pékin", "élection présidentielle", "zoo de Beauval ornithorynque", "football match",
           "Donald Trump critique la rencontre", "qwertyuiop"]


def sentences() -> list[str]:
    arts, _ = load_corpus([CORPUS])
    return [a.text[s:e] for a in arts for s, e in split_sentences(a.text) if 30 <= e - s <= 600]


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    bench_scale.synthetic_jsonl(sentences(), 120, folder / "syn.jsonl")
    (folder / "wire").mkdir()
    for p in sorted(CORPUS.glob("*.txt"))[:6]:
        (folder / "wire" / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def settings_for(store: Path, corpus: Path) -> Settings:
    return Settings.from_mapping({"store": str(store), "corpus": [str(corpus)], "embedder": bench_scale.STANDIN})


def snapshot(store_path: Path) -> dict:
    store = Store(store_path)
    m = store.require_manifest()
    chunks = list(store.read_chunks(m.generation))
    got = store.collection(m.collection).get(include=["embeddings", "documents", "metadatas"])
    vectors = {i: np.asarray(v) for i, v in zip(got["ids"], got["embeddings"])}
    from index.bm25 import LexicalIndex

    lexical = LexicalIndex.load(store.gen_dir(m.generation) / "bm25")
    scores = [lexical.scores(q) for q in QUERIES + [c.text[:60] for c in chunks[::15]]]
    articles = {k: asdict(a) for k, a in store.read_articles(m.generation).items()}
    return {"chunks": chunks, "vectors": vectors, "docs": dict(zip(got["ids"], got["documents"])),
            "meta": dict(zip(got["ids"], got["metadatas"])), "scores": scores, "articles": articles,
            "manifest": {k: v for k, v in m.articles.items()}, "generation": m.generation}


def assert_same_index(a: dict, b: dict) -> None:
    assert [c.id for c in a["chunks"]] == [c.id for c in b["chunks"]]
    assert a["chunks"] == b["chunks"]
    assert set(a["vectors"]) == set(b["vectors"]) == {c.id for c in a["chunks"]}
    for k, v in a["vectors"].items():
        np.testing.assert_array_equal(v, b["vectors"][k])
    assert a["docs"] == b["docs"] and a["meta"] == b["meta"]
    assert len(a["scores"]) == len(b["scores"])
    for x, y in zip(a["scores"], b["scores"]):
        np.testing.assert_array_equal(x, y)
    assert a["articles"] == b["articles"]
    assert a["manifest"] == b["manifest"]
    assert a["generation"] == b["generation"]


def both(tmp_path: Path, corpus: Path, **kw):
    ref = build_index_in_memory(settings_for(tmp_path / "ref", corpus), progress=False, **kw)
    new = build_index_streaming(settings_for(tmp_path / "new", corpus), progress=False, window=50, **kw)
    for f in ("articles", "chunks", "added", "updated", "unchanged", "removed", "vanished", "embedded_chunks"):
        assert getattr(ref, f) == getattr(new, f), f
    a, b = snapshot(tmp_path / "ref"), snapshot(tmp_path / "new")
    assert_vector_file_matches_chroma(tmp_path / "new", b)
    return a, b


def assert_vector_file_matches_chroma(store_path: Path, snap: dict) -> None:
    """The generation's vectors.npy (what questions search) is Chroma's vectors in chunk-table order."""
    from index.vectors import VectorFile

    store = Store(store_path)
    vf = VectorFile.open(store.gen_dir(snap["generation"]), store.read_chunks(snap["generation"]))
    assert vf is not None
    want = np.stack([snap["vectors"][c.id] for c in snap["chunks"]]).astype(np.float32)
    want /= np.linalg.norm(want, axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(vf.vectors), want, rtol=0, atol=1e-6)


def test_streaming_build_equals_the_in_memory_build_through_updates_and_prune(tmp_path, corpus):
    a, b = both(tmp_path, corpus)
    assert len(a["chunks"]) > 300
    assert_same_index(a, b)

    # One article changed, one added, one gone (kept, then pruned), one JSONL record rewritten.
    wire = sorted((corpus / "wire").glob("*.txt"))
    wire[0].write_text(wire[0].read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté sur le port de Brest.",
                       encoding="utf-8")
    (corpus / "wire" / "new-one.txt").write_text(" date 2024-01-02 Nouveau\n\nLe zorglub de Saint-Malo est exposé.",
                                                 encoding="utf-8")
    wire[1].unlink()
    lines = (corpus / "syn.jsonl").read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[5])
    rec["text"] += " Une phrase de plus."
    lines[5] = json.dumps(rec, ensure_ascii=False)
    (corpus / "syn.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    a, b = both(tmp_path, corpus)
    assert_same_index(a, b)
    assert wire[1].stem in b["manifest"]  # vanished, kept
    a, b = both(tmp_path, corpus, prune=True)
    assert_same_index(a, b)
    assert wire[1].stem not in b["manifest"]
    a, b = both(tmp_path, corpus, rebuild=True)
    assert_same_index(a, b)


def test_streaming_build_reads_an_index_written_before_the_tables(tmp_path, corpus):
    """A generation with chunks.jsonl / articles.jsonl (the format before) is updated in place."""
    s = settings_for(tmp_path / "store", corpus)
    build_index_in_memory(s, progress=False)
    store = Store(s.store_path)
    gen = store.gen_dir(store.require_manifest().generation)
    chunks, articles = list(store.read_chunks(1)), list(store.read_articles(1).values())
    import shutil

    shutil.rmtree(gen / "chunks")
    shutil.rmtree(gen / "articles")
    (gen / "chunks.jsonl").write_text("".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in chunks),
                                      encoding="utf-8")
    (gen / "articles.jsonl").write_text("".join(json.dumps(asdict(a), ensure_ascii=False) + "\n" for a in articles),
                                        encoding="utf-8")
    assert store.read_chunks(1) == chunks
    (corpus / "wire" / "late.txt").write_text(" date 2024-01-02 Tard\n\nLe phare de Cordouan repeint.", encoding="utf-8")
    summary = build_index_streaming(s, progress=False)
    assert (summary.added, summary.unchanged, summary.embedded_chunks) == (1, len(articles), 1)
    after = store.read_chunks(2)
    assert [c for c in after if c.article_id != "late"] == chunks


def test_corpus_changed_between_the_two_passes_is_one_clear_error(tmp_path, corpus, monkeypatch):
    import index.streaming as streaming
    from depeche.errors import DepecheError

    s = settings_for(tmp_path / "store", corpus)
    real = streaming.iter_corpus
    calls = {"n": 0}

    def edited_between(*args):
        calls["n"] += 1
        if calls["n"] == 2:  # someone edits a file after the first pass
            (corpus / "wire" / "intruder.txt").write_text(" date 2024-01-02 Intrus\n\nTexte.", encoding="utf-8")
        return real(*args)

    monkeypatch.setattr(streaming, "iter_corpus", edited_between)
    with pytest.raises(DepecheError, match="changed while it was being indexed"):
        build_index_streaming(s, progress=False)
    assert Store(s.store_path).read_manifest() is None
    assert not list(s.store_path.glob(".gen-*"))


def test_mapped_and_loaded_tables_give_the_same_answers(tmp_path, corpus):
    from rag.engine import Engine

    s = settings_for(tmp_path / "store", corpus)
    build_index_streaming(s, progress=False)
    mapped, loaded = Engine(s), Engine(s.replace({"mmap": False}))
    assert isinstance(mapped.retriever.lexical.model.scores["data"], np.memmap)
    assert not isinstance(loaded.retriever.lexical.model.scores["data"], np.memmap)
    some = list(loaded.retriever.chunks)[::40]
    for q in QUERIES + [c.text[:80] for c in some]:
        for mode in ("hybrid", "bm25", "dense"):
            x, y = mapped.search(q, k=8, mode=mode), loaded.search(q, k=8, mode=mode)
            assert [(h.chunk, h.score) for h in x] == [(h.chunk, h.score) for h in y]
        x = mapped.search(q, k=5, since="2017-01-01", until="2017-12-31")
        assert [h.chunk for h in x] == [h.chunk for h in loaded.search(q, k=5, since="2017-01-01", until="2017-12-31")]
        assert all("2017-01-01" <= h.chunk.date <= "2017-12-31" for h in x)
    ids = [some[0].article_id, some[1].article_id]
    x = mapped.search(QUERIES[0], k=5, articles=ids)
    assert x and {h.chunk.article_id for h in x} <= set(ids)
    assert [h.chunk for h in x] == [h.chunk for h in loaded.search(QUERIES[0], k=5, articles=ids)]
    assert mapped.retriever.chunks_of(ids) == loaded.retriever.chunks_of(ids)
    assert dict(mapped.articles().items()) == dict(loaded.articles().items())
    rows = np.array([0, 5, len(some)])
    assert list(mapped.retriever.article_of[rows]) == [loaded.retriever.chunks[int(i)].article_id for i in rows]


def test_table_keys_sorted_in_blocks_find_every_row(tmp_path, monkeypatch):
    import index.mmap_table as mmap_table

    monkeypatch.setattr(mmap_table, "SORT_BLOCK", 7)
    keys = [f"k{i * 7919 % 1000}" for i in range(1000)]
    write_table(tmp_path / "t", {"id": "str", "n": "int"}, "id", [(k, i) for i, k in enumerate(keys)])
    table = Table(tmp_path / "t")
    assert all(table.find(k) == i for i, k in enumerate(keys)) and table.find("k1000") is None


@pytest.mark.parametrize("block", [7, 100, 1 << 20])
def test_table_key_files_sorted_in_buckets_equal_one_stable_sort(tmp_path, block, monkeypatch):
    import index.mmap_table as mmap_table

    monkeypatch.setattr(mmap_table, "SORT_BLOCK", block)
    keys = [f"k{i * 31 % 400}" for i in range(900)]  # each key two or three times
    write_table(tmp_path / "t", {"id": "str"}, "id", [(k,) for k in keys])
    hashes = np.array([mmap_table.key_hash(k) for k in keys], dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")
    assert np.fromfile(tmp_path / "t" / "key.hash", "<u8").tolist() == hashes[order].tolist()
    assert np.fromfile(tmp_path / "t" / "key.row", "<i8").tolist() == order.tolist()
    assert Table(tmp_path / "t").find("k7") == keys.index("k7")
    assert sorted(f.name for f in (tmp_path / "t").iterdir() if f.name.startswith("key")) == ["key.hash", "key.row"]


def test_chunk_table_round_trip_lookups_and_missing_values(tmp_path):
    chunks = [Chunk(id=f"a{i // 3}::k::{i % 3}", article_id=f"a{i // 3}", title="Été à Noël ✓" if i % 2 else "",
                    date=None if i % 4 == 0 else "2020-02-29", url=None, path=f"/p/{i}", start=i, end=i + 5,
                    text="é" * i) for i in range(10_000)]
    write_chunks(tmp_path / "t", chunks)
    for mmap in (True, False):
        table = ChunkTable(tmp_path / "t", mmap=mmap)
        assert len(table) == 10_000 and table[-1] == chunks[-1] and table[1234] == chunks[1234]
        assert list(table) == chunks
        assert table.positions.get("a17::k::2") == 53 and table.positions.get("nope") is None
        assert table.article_rows("a5") == (15, 18) and table.article_rows("zz") is None
        assert table.date_ints()[0] == 0 and table.date_ints()[1] == 20200229
        assert table.contains_many(["a0::k::0", "x"]).tolist() == [True, False]
    write_table(tmp_path / "empty", {"id": "str", "n": "int"}, "id", [])
    empty = Table(tmp_path / "empty")
    assert len(empty) == 0 and empty.find("x") is None and list(empty.iter_rows()) == []


def test_an_index_built_without_ray_never_imports_it(tmp_path, corpus):
    code = ("import sys, eval.bench_scale as b\n"
            "from depeche.settings import Settings\nfrom index.builder import build_index\n"
            f"build_index(Settings.from_mapping({{'store': {str(tmp_path / 's')!r}, 'corpus': [{str(corpus)!r}], "
            "'embedder': b.STANDIN}), progress=False)\n"
            "print('RAY=' + str('ray' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "RAY=False"
